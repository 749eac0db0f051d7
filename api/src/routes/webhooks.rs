//! Webhook endpoints for integrators (admins, `settings.manage`).
use sea_orm::EntityTrait;
use serde::{Deserialize, Serialize};

use super::prelude::*;
use crate::{
    domain::webhooks::{self, CreateWebhookRequest, UpdateWebhookRequest},
    entities::{webhook_delivery, webhook_endpoint},
    pagination::{Key, Sort},
};

#[derive(Serialize, ToSchema)]
pub struct WebhookResponse {
    pub id: Uuid,
    pub url: String,
    pub event_types: Vec<String>,
    /// Only this client account's events, when set.
    pub client_id: Option<Uuid>,
    pub active: bool,
    /// Shown once, when the endpoint is created: verify `Portico-Signature` with it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub secret: Option<String>,
    pub created_at: chrono::DateTime<chrono::Utc>,
}

impl WebhookResponse {
    fn new(m: webhook_endpoint::Model, with_secret: bool) -> Self {
        Self {
            id: m.id,
            url: m.url,
            event_types: m.event_types.0,
            client_id: m.client_id,
            active: m.active,
            secret: with_secret.then_some(m.secret),
            created_at: m.created_at,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct DeliveryResponse {
    pub id: Uuid,
    pub event_id: i64,
    pub kind: String,
    /// `pending`, `delivered` or `failed`.
    pub status: String,
    pub attempts: i32,
    pub last_status: Option<i32>,
    pub last_error: Option<String>,
    pub next_attempt_at: chrono::DateTime<chrono::Utc>,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub delivered_at: Option<chrono::DateTime<chrono::Utc>>,
}

impl From<webhook_delivery::Model> for DeliveryResponse {
    fn from(d: webhook_delivery::Model) -> Self {
        Self {
            id: d.id,
            event_id: d.event_id,
            kind: d.kind,
            status: d.status,
            attempts: d.attempts,
            last_status: d.last_status,
            last_error: d.last_error,
            next_attempt_at: d.next_attempt_at,
            created_at: d.created_at,
            delivered_at: d.delivered_at,
        }
    }
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ListDeliveriesQuery {
    /// Newest first.
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u64>,
    pub cursor: Option<String>,
}

/// The kinds of event an endpoint can subscribe to, each with what it tells.
#[utoipa::path(tag = "webhooks", responses((status = 200, body = Vec<webhooks::EventKindInfo>)))]
#[get("/webhook-event-types")]
pub async fn list_event_types(actor: Actor) -> ApiResult<web::Json<Vec<webhooks::EventKindInfo>>> {
    actor.require(Perm::SettingsManage)?;
    Ok(web::Json(webhooks::event_kinds()))
}

/// Registered webhook endpoints.
#[utoipa::path(tag = "webhooks", responses((status = 200, body = Vec<WebhookResponse>)))]
#[get("/webhooks")]
pub async fn list_webhooks(state: State, actor: Actor) -> ApiResult<web::Json<Vec<WebhookResponse>>> {
    actor.require(Perm::SettingsManage)?;
    let all = webhook_endpoint::Entity::find().all(&state.db).await?;
    Ok(web::Json(all.into_iter().map(|m| WebhookResponse::new(m, false)).collect()))
}

/// Register an endpoint; the answer carries its signing secret, shown this once.
#[utoipa::path(tag = "webhooks", request_body = CreateWebhookRequest, responses((status = 201, body = WebhookResponse)))]
#[post("/webhooks")]
pub async fn create_webhook(state: State, actor: Actor, body: Body<CreateWebhookRequest>) -> ApiResult<HttpResponse> {
    actor.require(Perm::SettingsManage)?;
    body.validate()?;
    let target = webhooks::vet(&state.settings, &body.url).await?;
    let endpoint =
        Change::run(&state, Some(&actor), async |c| webhooks::create(c, body.into_inner(), target).await).await?;
    Ok(HttpResponse::Created().json(WebhookResponse::new(endpoint, true)))
}

/// Change an endpoint's URL, event kinds, or switch it off.
#[utoipa::path(tag = "webhooks", params(("id" = Uuid, Path)), request_body = UpdateWebhookRequest, responses((status = 200, body = WebhookResponse)))]
#[patch("/webhooks/{id}")]
pub async fn update_webhook(
    state: State,
    actor: Actor,
    id: web::Path<Uuid>,
    body: Body<UpdateWebhookRequest>,
) -> ApiResult<web::Json<WebhookResponse>> {
    let endpoint = webhooks::find(&state.db, &actor, *id).await?;
    body.validate()?;
    let target = match &body.url {
        Some(url) => Some(webhooks::vet(&state.settings, url).await?),
        None => None,
    };
    let endpoint =
        Change::run(&state, Some(&actor), async |c| webhooks::update(c, endpoint, body.into_inner(), target).await)
            .await?;
    Ok(web::Json(WebhookResponse::new(endpoint, false)))
}

/// Remove an endpoint and its delivery log.
#[utoipa::path(tag = "webhooks", params(("id" = Uuid, Path)), responses((status = 204, description = "Deleted")))]
#[delete("/webhooks/{id}")]
pub async fn delete_webhook(state: State, actor: Actor, id: web::Path<Uuid>) -> ApiResult<HttpResponse> {
    let endpoint = webhooks::find(&state.db, &actor, *id).await?;
    Change::run(&state, Some(&actor), async |c| webhooks::delete(c, endpoint).await).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// An endpoint's deliveries, newest first: status, attempts, last answer or error.
#[utoipa::path(tag = "webhooks", params(("id" = Uuid, Path), ListDeliveriesQuery), responses((status = 200, body = Page<DeliveryResponse>)))]
#[get("/webhooks/{id}/deliveries")]
pub async fn list_deliveries(
    state: State,
    actor: Actor,
    id: web::Path<Uuid>,
    query: web::Query<ListDeliveriesQuery>,
) -> ApiResult<web::Json<Page<DeliveryResponse>>> {
    let endpoint = webhooks::find(&state.db, &actor, *id).await?;
    let limit = pagination::limit(query.limit)?;
    let sort = Sort::<webhook_delivery::Entity> {
        name: "-created_at",
        col: webhook_delivery::Column::CreatedAt,
        desc: true,
        nullable: false,
        key: |d| Key::Time(d.created_at),
    };
    let select = webhook_delivery::Entity::find().filter(webhook_delivery::Column::EndpointId.eq(endpoint.id));
    let page =
        pagination::fetch_page(&state.db, select, &sort, webhook_delivery::Column::Id, query.cursor.as_deref(), limit)
            .await?;
    Ok(web::Json(page.map(Into::into)))
}

/// Send a delivery again now (whatever its status).
#[utoipa::path(tag = "webhooks", params(("id" = Uuid, Path)), responses((status = 202, description = "Queued")))]
#[post("/webhook-deliveries/{id}/redeliver")]
pub async fn redeliver(state: State, actor: Actor, id: web::Path<Uuid>) -> ApiResult<HttpResponse> {
    actor.require(Perm::SettingsManage)?;
    Change::run(&state, Some(&actor), async |c| webhooks::redeliver(c, *id).await).await?;
    Ok(HttpResponse::Accepted().finish())
}

pub fn config(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_event_types)
        .service(list_webhooks)
        .service(create_webhook)
        .service(update_webhook)
        .service(delete_webhook)
        .service(list_deliveries)
        .service(redeliver);
}
