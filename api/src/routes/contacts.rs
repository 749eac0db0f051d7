//! Contacts: the people at a client account (staff only).
use sea_orm::{
    ConnectionTrait, FromQueryResult, JoinType, QueryFilter, QuerySelect, RelationTrait, Select, sea_query::Expr,
};

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
struct ContactRow {
    id: Uuid,
    client_id: Uuid,
    name: String,
    email: String,
    phone: Option<String>,
    is_primary: bool,
    user_id: Option<Uuid>,
    created_at: chrono::DateTime<Utc>,
    updated_at: chrono::DateTime<Utc>,
    user_status: Option<UserStatus>,
    invitation_expires_at: Option<chrono::DateTime<Utc>>,
}

/// The contact with its portal user's status and its open invitation, in the same statement.
fn with_access(select: Select<contact::Entity>) -> sea_orm::Selector<sea_orm::SelectModel<ContactRow>> {
    select
        .join(JoinType::LeftJoin, contact::Relation::User.def())
        .column_as(user::Column::Status, "user_status")
        .column_as(
            Expr::cust(
                "(SELECT MAX(t.expires_at) FROM one_time_tokens t WHERE t.contact_id = contacts.id \
                 AND t.purpose = 'invitation' AND t.used_at IS NULL AND t.revoked_at IS NULL)",
            ),
            "invitation_expires_at",
        )
        .into_model::<ContactRow>()
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
            None => PortalAccess::None,
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

async fn fetch_one(db: &impl ConnectionTrait, actor: &Actor, id: Uuid) -> ApiResult<ContactResponse> {
    policy::contacts(actor)
        .one_with(async |s| Ok(with_access(s.filter(contact::Column::Id.eq(id))).one(db).await?))
        .await
        .map(Into::into)
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ListContactsQuery {
    /// `name` (default).
    pub sort: Option<String>,
    pub limit: Option<u64>,
    pub cursor: Option<String>,
}

#[derive(Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct CreateContactRequest {
    #[validate(length(min = 1, max = 200))]
    pub name: String,
    #[validate(email, length(max = 254))]
    pub email: String,
    #[validate(length(max = 50))]
    pub phone: Option<String>,
    #[serde(default)]
    pub is_primary: bool,
}

#[derive(Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct UpdateContactRequest {
    #[validate(length(min = 1, max = 200))]
    pub name: Option<String>,
    #[validate(email, length(max = 254))]
    pub email: Option<String>,
    #[serde(default, deserialize_with = "patch_field")]
    #[schema(value_type = Option<String>)]
    #[validate(length(max = 50))]
    pub phone: Option<Option<String>>,
    pub is_primary: Option<bool>,
}

const SORTS: &[Sort<contact::Entity, ContactRow>] = &[Sort {
    name: "name",
    col: contact::Column::Name,
    desc: false,
    nullable: false,
    key: |m| Key::Text(m.name.clone()),
}];

const DUPLICATE: &str = "This client already has a contact with that e-mail.";

/// The contacts of a client account.
#[utoipa::path(tag = "clients", params(("id" = Uuid, Path), ListContactsQuery), responses((status = 200, body = Page<ContactResponse>)))]
#[get("/clients/{id}/contacts")]
pub async fn list_contacts(
    state: State,
    actor: Actor,
    id: web::Path<Uuid>,
    query: web::Query<ListContactsQuery>,
) -> ApiResult<web::Json<Page<ContactResponse>>> {
    let client = policy::clients(&actor).get(&state.db, *id).await?;
    let limit = pagination::limit(query.limit)?;
    let sort = pagination::pick(SORTS, query.sort.as_deref())?;
    let select = policy::contacts(&actor).list()?.filter(contact::Column::ClientId.eq(client.id));
    let rows = with_access(pagination::prepare(select, sort, contact::Column::Id, query.cursor.as_deref(), limit)?)
        .all(&state.db)
        .await?;
    Ok(web::Json(pagination::finish(rows, limit, sort.name, sort.key, |c| c.id).map(Into::into)))
}

/// Add a contact to a client account.
#[utoipa::path(tag = "clients", params(("id" = Uuid, Path)), request_body = CreateContactRequest, responses((status = 201, body = ContactResponse)))]
#[post("/clients/{id}/contacts")]
pub async fn create_contact(
    state: State,
    actor: Actor,
    id: web::Path<Uuid>,
    body: Body<CreateContactRequest>,
) -> ApiResult<HttpResponse> {
    let client = policy::clients(&actor).get_for(&state.db, *id, Perm::ClientsWrite).await?;
    body.validate()?;
    let body = body.into_inner();
    let now = Utc::now();
    let txn = state.db.begin().await?;
    if body.is_primary {
        clear_primary(&txn, client.id).await?;
    }
    let model = contact::ActiveModel {
        id: Set(Uuid::now_v7()),
        client_id: Set(client.id),
        name: Set(body.name.trim().to_owned()),
        email: Set(body.email.trim().to_lowercase()),
        phone: Set(body.phone),
        is_primary: Set(body.is_primary),
        user_id: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&txn)
    .await
    .map_err(ApiError::conflict_on_unique(DUPLICATE))?;
    txn.commit().await?;
    Ok(HttpResponse::Created().json(fetch_one(&state.db, &actor, model.id).await?))
}

async fn clear_primary(db: &impl ConnectionTrait, client_id: Uuid) -> Result<(), sea_orm::DbErr> {
    contact::Entity::update_many()
        .col_expr(contact::Column::IsPrimary, Expr::value(false))
        .filter(contact::Column::ClientId.eq(client_id))
        .exec(db)
        .await?;
    Ok(())
}

/// A contact.
#[utoipa::path(tag = "clients", params(("id" = Uuid, Path)), responses((status = 200, body = ContactResponse)))]
#[get("/contacts/{id}")]
pub async fn get_contact(state: State, actor: Actor, id: web::Path<Uuid>) -> ApiResult<web::Json<ContactResponse>> {
    Ok(web::Json(fetch_one(&state.db, &actor, *id).await?))
}

/// Edit a contact; making one primary makes the others not.
#[utoipa::path(tag = "clients", params(("id" = Uuid, Path)), request_body = UpdateContactRequest, responses((status = 200, body = ContactResponse)))]
#[patch("/contacts/{id}")]
pub async fn update_contact(
    state: State,
    actor: Actor,
    id: web::Path<Uuid>,
    body: Body<UpdateContactRequest>,
) -> ApiResult<web::Json<ContactResponse>> {
    let model = policy::contacts(&actor).get_for(&state.db, *id, Perm::ClientsWrite).await?;
    body.validate()?;
    let body = body.into_inner();
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
    let txn = state.db.begin().await?;
    if let Some(primary) = body.is_primary {
        if primary {
            clear_primary(&txn, client_id).await?;
        }
        active.is_primary = Set(primary);
    }
    active.updated_at = Set(Utc::now());
    let model = active.update(&txn).await.map_err(ApiError::conflict_on_unique(DUPLICATE))?;
    txn.commit().await?;
    Ok(web::Json(fetch_one(&state.db, &actor, model.id).await?))
}

/// Remove a contact (a linked portal user stays; deactivate them separately).
#[utoipa::path(tag = "clients", params(("id" = Uuid, Path)), responses((status = 204, description = "Deleted")))]
#[delete("/contacts/{id}")]
pub async fn delete_contact(state: State, actor: Actor, id: web::Path<Uuid>) -> ApiResult<HttpResponse> {
    let model = policy::contacts(&actor).get_for(&state.db, *id, Perm::ClientsWrite).await?;
    contact::Entity::delete_by_id(model.id).exec(&state.db).await?;
    Ok(HttpResponse::NoContent().finish())
}

pub fn config(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_contacts)
        .service(create_contact)
        .service(get_contact)
        .service(update_contact)
        .service(delete_contact);
}
