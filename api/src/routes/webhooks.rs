//! Webhook endpoints for integrators (admins, `settings.manage`).
use sea_orm::sea_query::Expr;

use super::prelude::*;
use crate::{
    entities::{webhook_delivery, webhook_endpoint},
    services::webhooks::{KINDS, NOTE_KIND},
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
    pub created_at: chrono::DateTime<Utc>,
}

impl WebhookResponse {
    fn new(m: webhook_endpoint::Model, with_secret: bool) -> Self {
        Self {
            id: m.id,
            url: m.url,
            event_types: serde_json::from_str(&m.event_types).unwrap_or_default(),
            client_id: m.client_id,
            active: m.active,
            secret: with_secret.then_some(m.secret),
            created_at: m.created_at,
        }
    }
}

#[derive(Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct CreateWebhookRequest {
    #[validate(length(min = 8, max = 2000))]
    pub url: String,
    /// Kinds to receive; `note.changed` only when chosen here, and never with `client_id`.
    #[validate(length(min = 1, max = 20))]
    pub event_types: Vec<String>,
    pub client_id: Option<Uuid>,
}

#[derive(Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct UpdateWebhookRequest {
    #[validate(length(min = 8, max = 2000))]
    pub url: Option<String>,
    #[validate(length(min = 1, max = 20))]
    pub event_types: Option<Vec<String>>,
    pub active: Option<bool>,
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
    pub next_attempt_at: chrono::DateTime<Utc>,
    pub created_at: chrono::DateTime<Utc>,
    pub delivered_at: Option<chrono::DateTime<Utc>>,
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
    pub limit: Option<u64>,
    pub cursor: Option<String>,
}

fn check_url(url: &str) -> ApiResult<()> {
    if url.starts_with("https://") || url.starts_with("http://") {
        Ok(())
    } else {
        Err(ApiError::field("url", "must be an http(s) URL"))
    }
}

fn check_kinds(kinds: &[String], client_id: Option<Uuid>) -> ApiResult<String> {
    if let Some(bad) = kinds.iter().find(|k| !KINDS.contains(&k.as_str())) {
        return Err(ApiError::field("event_types", format!("`{bad}` is not one of: {}", KINDS.join(", "))));
    }
    if client_id.is_some() && kinds.iter().any(|k| k == NOTE_KIND) {
        return Err(ApiError::field("event_types", "a client-scoped endpoint cannot receive Note events"));
    }
    let mut kinds = kinds.to_vec();
    kinds.sort();
    kinds.dedup();
    Ok(serde_json::to_string(&kinds).expect("kinds serialise"))
}

async fn endpoint(state: &AppState, actor: &Actor, id: Uuid) -> ApiResult<webhook_endpoint::Model> {
    actor.require(Perm::SettingsManage)?;
    webhook_endpoint::Entity::find_by_id(id).one(&state.db).await?.ok_or(ApiError::NotFound)
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
    let body = body.into_inner();
    check_url(&body.url)?;
    let kinds = check_kinds(&body.event_types, body.client_id)?;
    if let Some(id) = body.client_id {
        crate::entities::client::Entity::find_by_id(id)
            .one(&state.db)
            .await?
            .ok_or_else(|| ApiError::field("client_id", "is not a known client"))?;
    }
    let now = Utc::now();
    let model = webhook_endpoint::ActiveModel {
        id: Set(Uuid::now_v7()),
        url: Set(body.url),
        secret: Set(format!("whsec_{}", crate::auth::tokens::generate())),
        event_types: Set(kinds),
        client_id: Set(body.client_id),
        active: Set(true),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&state.db)
    .await?;
    audit::record(
        &state.db,
        Some(&actor),
        audit::Entry {
            action: "webhook.created",
            target_type: "webhook",
            target_id: Some(model.id),
            client_id: model.client_id,
            details: serde_json::json!({"url": model.url}),
        },
    )
    .await?;
    Ok(HttpResponse::Created().json(WebhookResponse::new(model, true)))
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
    let model = endpoint(&state, &actor, *id).await?;
    body.validate()?;
    let body = body.into_inner();
    let client_id = model.client_id;
    let mut active = model.into_active_model();
    if let Some(url) = body.url {
        check_url(&url)?;
        active.url = Set(url);
    }
    if let Some(kinds) = &body.event_types {
        active.event_types = Set(check_kinds(kinds, client_id)?);
    }
    if let Some(on) = body.active {
        active.active = Set(on);
    }
    active.updated_at = Set(Utc::now());
    Ok(web::Json(WebhookResponse::new(active.update(&state.db).await?, false)))
}

/// Remove an endpoint and its delivery log.
#[utoipa::path(tag = "webhooks", params(("id" = Uuid, Path)), responses((status = 204, description = "Deleted")))]
#[delete("/webhooks/{id}")]
pub async fn delete_webhook(state: State, actor: Actor, id: web::Path<Uuid>) -> ApiResult<HttpResponse> {
    let model = endpoint(&state, &actor, *id).await?;
    webhook_endpoint::Entity::delete_by_id(model.id).exec(&state.db).await?;
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
    let model = endpoint(&state, &actor, *id).await?;
    let limit = pagination::limit(query.limit)?;
    let sort = Sort::<webhook_delivery::Entity> {
        name: "-created_at",
        col: webhook_delivery::Column::CreatedAt,
        desc: true,
        nullable: false,
        key: |d| Key::Time(d.created_at),
    };
    let select = webhook_delivery::Entity::find().filter(webhook_delivery::Column::EndpointId.eq(model.id));
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
    let updated = webhook_delivery::Entity::update_many()
        .col_expr(webhook_delivery::Column::Status, Expr::value(webhook_delivery::PENDING))
        .col_expr(webhook_delivery::Column::NextAttemptAt, Expr::value(Utc::now()))
        .col_expr(webhook_delivery::Column::LockedUntil, Expr::value(Option::<chrono::DateTime<Utc>>::None))
        .filter(webhook_delivery::Column::Id.eq(*id))
        .exec(&state.db)
        .await?;
    if updated.rows_affected == 0 {
        return Err(ApiError::NotFound);
    }
    Ok(HttpResponse::Accepted().finish())
}

pub fn config(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_webhooks)
        .service(create_webhook)
        .service(update_webhook)
        .service(delete_webhook)
        .service(list_deliveries)
        .service(redeliver);
}
