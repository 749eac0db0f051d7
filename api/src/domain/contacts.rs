//! Contacts: the people at a client account, and where each stands with the portal.
use sea_orm::{FromQueryResult, JoinType, QuerySelect, RelationTrait, Select, sea_query::Expr};

use super::prelude::*;
use crate::entities::{contact, enums::UserStatus, user};

/// Where a contact stands with the portal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PortalAccess {
    /// Never invited.
    None,
    /// Invited; the link is still valid.
    Invited,
    /// Invited, but the link expired or was revoked: resend.
    InvitationExpired,
    Active,
    Deactivated,
}

#[derive(FromQueryResult)]
pub struct ContactRow {
    id: Uuid,
    client_id: Uuid,
    pub name: String,
    email: String,
    phone: Option<String>,
    is_primary: bool,
    user_id: Option<Uuid>,
    created_at: chrono::DateTime<Utc>,
    updated_at: chrono::DateTime<Utc>,
    user_status: Option<UserStatus>,
    invitation_expires_at: Option<chrono::DateTime<Utc>>,
}

impl ContactRow {
    pub fn id(&self) -> Uuid {
        self.id
    }
}

/// How a list of contacts can be sorted.
pub const SORTS: &[Sort<contact::Entity, ContactRow>] = &[Sort {
    name: "name",
    col: contact::Column::Name,
    desc: false,
    nullable: false,
    key: |m| Key::Text(m.name.clone()),
}];

/// The contact with its portal user's status and its open invitation, in the same statement.
pub fn with_access(select: Select<contact::Entity>) -> sea_orm::Selector<sea_orm::SelectModel<ContactRow>> {
    select
        .join(JoinType::LeftJoin, contact::Relation::User.def())
        .column_as(user::Column::Status, "user_status")
        .column_as(open_invitation_expiry("t.contact_id = contacts.id"), "invitation_expires_at")
        .into_model::<ContactRow>()
}

/// When the latest open invitation of the row `matching` names runs out (`NULL` with none), as
/// a column of the same statement.
pub fn open_invitation_expiry(matching: &str) -> sea_orm::sea_query::SimpleExpr {
    Expr::cust(format!(
        "(SELECT MAX(t.expires_at) FROM one_time_tokens t WHERE {matching} \
         AND t.purpose = 'invitation' AND t.used_at IS NULL AND t.revoked_at IS NULL)"
    ))
}

#[derive(Serialize, ToSchema)]
pub struct ContactResponse {
    pub id: Uuid,
    pub client_id: Uuid,
    pub name: String,
    pub email: String,
    pub phone: Option<String>,
    pub is_primary: bool,
    /// The portal user linked to this contact, once invited.
    pub user_id: Option<Uuid>,
    pub portal_access: PortalAccess,
    /// When the pending invitation's link stops working.
    pub invitation_expires_at: Option<chrono::DateTime<Utc>>,
    pub created_at: chrono::DateTime<Utc>,
    pub updated_at: chrono::DateTime<Utc>,
}

impl From<ContactRow> for ContactResponse {
    fn from(m: ContactRow) -> Self {
        let open = m.invitation_expires_at.filter(|at| *at > Utc::now());
        let portal_access = match m.user_status {
            // An API key's hidden user is nobody's portal access.
            None | Some(UserStatus::Service) => PortalAccess::None,
            Some(UserStatus::Active) => PortalAccess::Active,
            Some(UserStatus::Deactivated) => PortalAccess::Deactivated,
            Some(UserStatus::Invited) if open.is_some() => PortalAccess::Invited,
            Some(UserStatus::Invited) => PortalAccess::InvitationExpired,
        };
        Self {
            id: m.id,
            client_id: m.client_id,
            name: m.name,
            email: m.email,
            phone: m.phone,
            is_primary: m.is_primary,
            user_id: m.user_id,
            portal_access,
            invitation_expires_at: open,
            created_at: m.created_at,
            updated_at: m.updated_at,
        }
    }
}

/// One contact through the caller's scope (404, then 403 without `clients.read`).
pub async fn fetch_one(db: &impl ConnectionTrait, actor: &Actor, id: Uuid) -> ApiResult<ContactResponse> {
    policy::contacts(actor)
        .one_with(async |s| Ok(with_access(s.filter(contact::Column::Id.eq(id))).one(db).await?))
        .await
        .map(Into::into)
}

#[derive(Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct CreateContactRequest {
    #[schema(min_length = 1, max_length = 200)]
    #[validate(length(min = 1, max = 200))]
    pub name: String,
    #[schema(max_length = 254, format = IdnEmail)]
    #[validate(email, length(max = 254))]
    pub email: String,
    #[schema(max_length = 50)]
    #[validate(length(max = 50))]
    pub phone: Option<String>,
    #[serde(default)]
    pub is_primary: bool,
}

#[derive(Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct UpdateContactRequest {
    #[schema(min_length = 1, max_length = 200)]
    #[validate(length(min = 1, max = 200))]
    pub name: Option<String>,
    #[schema(max_length = 254, format = IdnEmail)]
    #[validate(email, length(max = 254))]
    pub email: Option<String>,
    #[serde(default, deserialize_with = "patch_field")]
    #[schema(value_type = Option<String>, max_length = 50)]
    #[validate(length(max = 50))]
    pub phone: Option<Option<String>>,
    pub is_primary: Option<bool>,
}

async fn clear_primary(db: &impl ConnectionTrait, client_id: Uuid) -> Result<(), sea_orm::DbErr> {
    contact::Entity::update_many()
        .col_expr(contact::Column::IsPrimary, Expr::value(false))
        .filter(contact::Column::ClientId.eq(client_id))
        .exec(db)
        .await?;
    Ok(())
}

/// Adds a contact to `client_id`; a primary one makes the others not.
pub async fn create(change: &mut Change<'_>, client_id: Uuid, body: CreateContactRequest) -> ApiResult<contact::Model> {
    if body.is_primary {
        clear_primary(change.db(), client_id).await?;
    }
    let now = Utc::now();
    contact::ActiveModel {
        id: Set(Uuid::now_v7()),
        client_id: Set(client_id),
        name: Set(body.name.trim().to_owned()),
        email: Set(body.email.trim().to_lowercase()),
        phone: Set(body.phone),
        is_primary: Set(body.is_primary),
        user_id: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(change.db())
    .await
    .map_err(ApiError::conflict_on_unique("contact-email-taken"))
}

/// Edits a contact; making one primary makes the others not.
pub async fn update(
    change: &mut Change<'_>,
    model: contact::Model,
    body: UpdateContactRequest,
) -> ApiResult<contact::Model> {
    let client_id = model.client_id;
    let mut active = model.into_active_model();
    if let Some(name) = body.name {
        active.name = Set(name.trim().to_owned());
    }
    if let Some(email) = body.email {
        active.email = Set(email.trim().to_lowercase());
    }
    if let Some(phone) = body.phone {
        active.phone = Set(phone);
    }
    if let Some(primary) = body.is_primary {
        if primary {
            clear_primary(change.db(), client_id).await?;
        }
        active.is_primary = Set(primary);
    }
    active.updated_at = Set(Utc::now());
    active.update(change.db()).await.map_err(ApiError::conflict_on_unique("contact-email-taken"))
}

/// Links the contact to its portal user.
pub async fn link_user(change: &Change<'_>, contact: &contact::Model, user_id: Uuid) -> ApiResult<contact::Model> {
    let mut c = contact.clone().into_active_model();
    c.user_id = Set(Some(user_id));
    c.updated_at = Set(Utc::now());
    Ok(c.update(change.db()).await?)
}

/// Removes a contact (a linked portal user stays; deactivate them separately).
pub async fn delete(change: &mut Change<'_>, model: contact::Model) -> ApiResult<()> {
    contact::Entity::delete_by_id(model.id).exec(change.db()).await?;
    let entry = Entry::new("contact.deleted", "contact", Some(model.id), Some(model.client_id));
    change.audit(entry.details(serde_json::json!({"email": model.email}))).await?;
    Ok(())
}
