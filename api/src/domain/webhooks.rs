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
    services::{
        targets,
        webhooks::{self as hooks, KINDS, NOTE_KIND},
    },
};

#[derive(Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct CreateWebhookRequest {
    #[schema(min_length = 8, max_length = 2000)]
    #[validate(length(min = 8, max = 2000))]
    pub url: String,
    /// Kinds to receive; `note.changed` only when chosen here, and never with `client_id`.
    #[schema(min_items = 1, max_items = 20)]
    #[validate(length(min = 1, max = 20))]
    pub event_types: Vec<String>,
    pub client_id: Option<Uuid>,
}

#[derive(Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct UpdateWebhookRequest {
    #[schema(min_length = 8, max_length = 2000)]
    #[validate(length(min = 8, max = 2000))]
    pub url: Option<String>,
    #[schema(min_items = 1, max_items = 20)]
    #[validate(length(min = 1, max = 20))]
    pub event_types: Option<Vec<String>>,
    pub active: Option<bool>,
}

/// A URL found to be a target the server may send to (`services::targets`): public, and
/// `https://` unless the settings allow more. Only `vet` makes one, so an endpoint cannot be
/// written with a URL nobody checked.
pub struct Target(String);

/// Checks `url` as a webhook target. It resolves the host, so it runs before any change
/// begins: a slow resolver must not hold a connection (on SQLite, the only one).
pub async fn vet(settings: &crate::config::Settings, url: &str) -> ApiResult<Target> {
    let s = settings;
    let policy = targets::Policy { allow_private: s.webhook_allow_private_targets, allow_http: s.webhook_allow_http };
    targets::check(url, policy).await.map_err(|why| ApiError::field("url", why))?;
    Ok(Target(url.to_owned()))
}

fn check_kinds(kinds: &[String], client_id: Option<Uuid>) -> ApiResult<EventTypes> {
    if let Some(bad) = kinds.iter().find(|k| !KINDS.contains(&k.as_str())) {
        let known = KINDS.join(", ");
        return Err(ApiError::field("event_types", crate::problem!("webhook-kind-unknown", kind = bad, kinds = known)));
    }
    if client_id.is_some() && kinds.iter().any(|k| k == NOTE_KIND) {
        return Err(ApiError::field("event_types", crate::problem!("webhook-note-client-scoped")));
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
pub async fn create(
    change: &mut Change<'_>,
    body: CreateWebhookRequest,
    target: Target,
) -> ApiResult<webhook_endpoint::Model> {
    let kinds = check_kinds(&body.event_types, body.client_id)?;
    if let Some(id) = body.client_id {
        clients::known(change.db(), id).await?;
    }
    let now = Utc::now();
    let model = webhook_endpoint::ActiveModel {
        id: Set(Uuid::now_v7()),
        url: Set(target.0),
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

/// Changes an endpoint's URL or kinds, or switches it off; audited with what changed (a quiet
/// change of URL would send everything it receives somewhere else).
pub async fn update(
    change: &mut Change<'_>,
    model: webhook_endpoint::Model,
    body: UpdateWebhookRequest,
    target: Option<Target>,
) -> ApiResult<webhook_endpoint::Model> {
    let before = model.clone();
    let mut active = model.into_active_model();
    if let Some(Target(url)) = target {
        active.url = Set(url);
    }
    if let Some(kinds) = &body.event_types {
        active.event_types = Set(check_kinds(kinds, before.client_id)?);
    }
    if let Some(on) = body.active {
        active.active = Set(on);
    }
    active.updated_at = Set(Utc::now());
    let after = active.update(change.db()).await?;
    let mut changed = serde_json::Map::new();
    if after.url != before.url {
        changed.insert("url".into(), serde_json::json!({"from": before.url, "to": after.url}));
    }
    if after.event_types != before.event_types {
        changed.insert("event_types".into(), serde_json::json!({"from": before.event_types, "to": after.event_types}));
    }
    if after.active != before.active {
        changed.insert("active".into(), serde_json::json!({"from": before.active, "to": after.active}));
    }
    if !changed.is_empty() {
        let entry = Entry::new("webhook.updated", "webhook", Some(after.id), after.client_id);
        change.audit(entry.details(serde_json::Value::Object(changed))).await?;
    }
    Ok(after)
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

/// A kind of event an endpoint can subscribe to.
#[derive(Serialize, ToSchema)]
pub struct EventKindInfo {
    pub kind: &'static str,
    /// In the request's language.
    pub description: String,
    /// Only for endpoints of the agency's own: one held to a client account never receives it.
    pub staff_only: bool,
}

/// Every kind an endpoint can subscribe to, in the order the settings screen lists them.
pub fn event_kinds() -> Vec<EventKindInfo> {
    KINDS
        .iter()
        .map(|&kind| EventKindInfo { kind, description: hooks::describe(kind), staff_only: kind == NOTE_KIND })
        .collect()
}
