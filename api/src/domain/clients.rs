//! Client accounts: created, renamed, set inactive, and deleted only while nothing hangs off
//! them (otherwise their history stays and they are set inactive).
use sea_orm::PaginatorTrait;

use super::prelude::*;
use crate::entities::{client, enums::ClientStatus, invoice, project, user};

#[derive(Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct CreateClientRequest {
    #[schema(min_length = 1, max_length = 200)]
    #[validate(length(min = 1, max = 200))]
    pub name: String,
    pub status: Option<ClientStatus>,
    #[schema(max_length = 10000)]
    #[validate(length(max = 10000))]
    pub notes: Option<String>,
    /// Printed under the client's name on invoices (several lines).
    #[schema(max_length = 1000)]
    #[validate(length(max = 1000))]
    pub billing_address: Option<String>,
    /// VAT or tax number, printed on invoices.
    #[schema(max_length = 50)]
    #[validate(length(max = 50))]
    pub tax_id: Option<String>,
    /// How this client's invoices, statements and e-mails write amounts (a BCP 47 locale such
    /// as `de-DE`); absent or empty: the agency's.
    #[validate(length(max = 35))]
    #[schema(max_length = 35, example = "de-DE")]
    pub locale: Option<String>,
    /// Whether the account's Client Admins (`team.manage`) may invite colleagues, change their
    /// roles and deactivate them, under their Team page (default on).
    pub team_self_service: Option<bool>,
}

#[derive(Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct UpdateClientRequest {
    #[schema(min_length = 1, max_length = 200)]
    #[validate(length(min = 1, max = 200))]
    pub name: Option<String>,
    pub status: Option<ClientStatus>,
    #[serde(default, deserialize_with = "patch_field")]
    #[schema(value_type = Option<String>, max_length = 10000)]
    #[validate(length(max = 10000))]
    pub notes: Option<Option<String>>,
    #[serde(default, deserialize_with = "patch_field")]
    #[schema(value_type = Option<String>, max_length = 1000)]
    #[validate(length(max = 1000))]
    pub billing_address: Option<Option<String>>,
    #[serde(default, deserialize_with = "patch_field")]
    #[schema(value_type = Option<String>, max_length = 50)]
    #[validate(length(max = 50))]
    pub tax_id: Option<Option<String>>,
    /// `null` or empty: back to the agency's locale.
    #[serde(default, deserialize_with = "patch_field")]
    #[schema(value_type = Option<String>, max_length = 35, example = "de-CH")]
    #[validate(length(max = 35))]
    pub locale: Option<Option<String>>,
    /// Off: only the agency manages who at this account has portal access; their Client
    /// Admins lose `team.manage` on their next request.
    pub team_self_service: Option<bool>,
}

/// A chosen locale, canonical, or none (blank: the agency's).
fn client_locale(v: Option<String>) -> ApiResult<Option<String>> {
    filled(v).map(|tag| super::money::locale("locale", &tag)).transpose()
}

/// Blank optional text is no text.
fn filled(v: Option<String>) -> Option<String> {
    v.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty())
}

pub async fn create(change: &mut Change<'_>, body: CreateClientRequest) -> ApiResult<client::Model> {
    let now = Utc::now();
    let model = client::ActiveModel {
        id: Set(Uuid::now_v7()),
        name: Set(body.name.trim().to_owned()),
        status: Set(body.status.unwrap_or(ClientStatus::Active)),
        notes: Set(body.notes),
        billing_address: Set(filled(body.billing_address)),
        tax_id: Set(filled(body.tax_id)),
        locale: Set(client_locale(body.locale)?),
        team_self_service: Set(body.team_self_service.unwrap_or(true)),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(change.db())
    .await?;
    change.audit(Entry::new("client.created", "client", Some(model.id), Some(model.id))).await?;
    Ok(model)
}

pub async fn update(
    change: &mut Change<'_>,
    model: client::Model,
    body: UpdateClientRequest,
) -> ApiResult<client::Model> {
    let (id, was_self_service) = (model.id, model.team_self_service);
    let mut active = model.into_active_model();
    if let Some(name) = body.name {
        active.name = Set(name.trim().to_owned());
    }
    if let Some(status) = body.status {
        active.status = Set(status);
    }
    if let Some(notes) = body.notes {
        active.notes = Set(notes);
    }
    if let Some(v) = body.billing_address {
        active.billing_address = Set(filled(v));
    }
    if let Some(v) = body.tax_id {
        active.tax_id = Set(filled(v));
    }
    if let Some(v) = body.locale {
        active.locale = Set(client_locale(v)?);
    }
    if let Some(on) = body.team_self_service
        && on != was_self_service
    {
        active.team_self_service = Set(on);
        // Its Client Admins hold `team.manage` only while this is on.
        change.authz_changed(None);
        let entry = Entry::new("client.team_self_service_changed", "client", Some(id), Some(id));
        change.audit(entry.details(serde_json::json!({"team_self_service": on}))).await?;
    }
    active.updated_at = Set(Utc::now());
    Ok(active.update(change.db()).await?)
}

pub async fn delete(change: &mut Change<'_>, model: client::Model) -> ApiResult<()> {
    let db = change.db();
    let in_use = user::Entity::find().filter(user::Column::ClientId.eq(model.id)).count(db).await? > 0
        || project::Entity::find().filter(project::Column::ClientId.eq(model.id)).count(db).await? > 0
        || invoice::Entity::find().filter(invoice::Column::ClientId.eq(model.id)).count(db).await? > 0;
    if in_use {
        return Err(ApiError::Conflict(crate::problem!("client-in-use")));
    }
    client::Entity::delete_by_id(model.id).exec(db).await?;
    let entry = Entry::new("client.deleted", "client", Some(model.id), Some(model.id));
    change.audit(entry.details(serde_json::json!({"name": model.name}))).await?;
    Ok(())
}

/// Whether any client account exists yet.
pub async fn any(db: &impl ConnectionTrait) -> ApiResult<bool> {
    Ok(client::Entity::find().count(db).await? > 0)
}

/// A client that exists, for a request naming one by id (422 naming `client_id` otherwise).
pub async fn known(db: &impl ConnectionTrait, id: Uuid) -> ApiResult<client::Model> {
    client::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| ApiError::field("client_id", crate::problem!("client-unknown")))
}
