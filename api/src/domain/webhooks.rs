//! Webhook endpoints for integrators: registered with the event kinds they want, optionally
//! scoped to one client account (which then never receives Note events).
use sea_orm::sea_query::Expr;

use super::{clients, prelude::*};
use crate::{
    auth::tokens,
    entities::{
        webhook_delivery,
        webhook_endpoint::{self, EventTypes},
    },
    services::webhooks::{KINDS, NOTE_KIND},
};

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

fn check_url(url: &str) -> ApiResult<()> {
    if url.starts_with("https://") || url.starts_with("http://") {
        Ok(())
    } else {
        Err(ApiError::field("url", "must be an http(s) URL"))
    }
}

fn check_kinds(kinds: &[String], client_id: Option<Uuid>) -> ApiResult<EventTypes> {
    if let Some(bad) = kinds.iter().find(|k| !KINDS.contains(&k.as_str())) {
        return Err(ApiError::field("event_types", format!("`{bad}` is not one of: {}", KINDS.join(", "))));
    }
    if client_id.is_some() && kinds.iter().any(|k| k == NOTE_KIND) {
        return Err(ApiError::field("event_types", "a client-scoped endpoint cannot receive Note events"));
    }
    let mut kinds = kinds.to_vec();
    kinds.sort();
    kinds.dedup();
    Ok(EventTypes(kinds))
}

/// An endpoint, for staff who manage settings (403 without, 404 when unknown).
pub async fn find(db: &impl ConnectionTrait, actor: &Actor, id: Uuid) -> ApiResult<webhook_endpoint::Model> {
    actor.require(Perm::SettingsManage)?;
    webhook_endpoint::Entity::find_by_id(id).one(db).await?.ok_or(ApiError::NotFound)
}

/// Registers an endpoint with a fresh signing secret; audited.
pub async fn create(change: &mut Change<'_>, body: CreateWebhookRequest) -> ApiResult<webhook_endpoint::Model> {
    check_url(&body.url)?;
    let kinds = check_kinds(&body.event_types, body.client_id)?;
    if let Some(id) = body.client_id {
        clients::known(change.db(), id).await?;
    }
    let now = Utc::now();
    let model = webhook_endpoint::ActiveModel {
        id: Set(Uuid::now_v7()),
        url: Set(body.url),
        secret: Set(format!("whsec_{}", tokens::generate())),
        event_types: Set(kinds),
        client_id: Set(body.client_id),
        active: Set(true),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(change.db())
    .await?;
    let entry = Entry::new("webhook.created", "webhook", Some(model.id), model.client_id);
    change.audit(entry.details(serde_json::json!({"url": model.url}))).await?;
    Ok(model)
}

/// Changes an endpoint's URL or kinds, or switches it off.
pub async fn update(
    change: &mut Change<'_>,
    model: webhook_endpoint::Model,
    body: UpdateWebhookRequest,
) -> ApiResult<webhook_endpoint::Model> {
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
    Ok(active.update(change.db()).await?)
}

/// Removes an endpoint and its delivery log; audited.
pub async fn delete(change: &mut Change<'_>, model: webhook_endpoint::Model) -> ApiResult<()> {
    webhook_endpoint::Entity::delete_by_id(model.id).exec(change.db()).await?;
    let entry = Entry::new("webhook.deleted", "webhook", Some(model.id), model.client_id);
    change.audit(entry.details(serde_json::json!({"url": model.url}))).await?;
    Ok(())
}

/// Sends a delivery again now, whatever its status (404 when unknown).
pub async fn redeliver(change: &mut Change<'_>, id: Uuid) -> ApiResult<()> {
    let updated = webhook_delivery::Entity::update_many()
        .col_expr(webhook_delivery::Column::Status, Expr::value(webhook_delivery::PENDING))
        .col_expr(webhook_delivery::Column::NextAttemptAt, Expr::value(Utc::now()))
        .col_expr(webhook_delivery::Column::LockedUntil, Expr::value(Option::<chrono::DateTime<Utc>>::None))
        .filter(webhook_delivery::Column::Id.eq(id))
        .exec(change.db())
        .await?;
    if updated.rows_affected == 0 {
        return Err(ApiError::NotFound);
    }
    Ok(())
}
