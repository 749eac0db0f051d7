//! Users: staff and client portal accounts (admins, `users.manage`).
use secrecy::SecretString;

use super::prelude::*;
use crate::entities::{
    client,
    enums::{RoleKind, UserStatus},
    role, user,
};

#[derive(Serialize, ToSchema)]
pub struct UserResponse {
    pub id: Uuid,
    pub email: String,
    pub name: String,
    pub role: String,
    pub kind: RoleKind,
    pub client_id: Option<Uuid>,
    pub status: UserStatus,
    pub last_login_at: Option<chrono::DateTime<Utc>>,
    pub created_at: chrono::DateTime<Utc>,
    pub updated_at: chrono::DateTime<Utc>,
}

impl UserResponse {
    pub fn new(m: user::Model, role: &role::Model) -> Self {
        Self {
            id: m.id,
            email: m.email,
            name: m.name,
            role: role.key.clone(),
            kind: role.kind,
            client_id: m.client_id,
            status: m.status,
            last_login_at: m.last_login_at,
            created_at: m.created_at,
            updated_at: m.updated_at,
        }
    }
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ListUsersQuery {
    pub client_id: Option<Uuid>,
    pub status: Option<UserStatus>,
    /// Only users of this role (its key).
    pub role: Option<String>,
    /// `email` (default), `-created_at`.
    pub sort: Option<String>,
    pub limit: Option<u64>,
    pub cursor: Option<String>,
}

#[derive(Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct CreateUserRequest {
    #[validate(email, length(max = 254))]
    pub email: String,
    #[validate(length(min = 1, max = 200))]
    pub name: String,
    /// Role key, e.g. `member` or `client_finance`.
    pub role: String,
    /// Required for client roles, absent for staff.
    pub client_id: Option<Uuid>,
    /// An initial password makes the account active at once; without one it stays `invited`.
    #[schema(value_type = Option<String>, format = Password)]
    pub password: Option<SecretString>,
}

#[derive(Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct UpdateUserRequest {
    #[validate(length(min = 1, max = 200))]
    pub name: Option<String>,
    /// Role key; a client user keeps a client role and a staff user a staff role.
    pub role: Option<String>,
    /// `active` or `deactivated`. Deactivation signs the user out everywhere at once.
    pub status: Option<UserStatus>,
}

const SORTS: &[Sort<user::Entity>] = &[
    Sort { name: "email", col: user::Column::Email, desc: false, nullable: false, key: |m| Key::Text(m.email.clone()) },
    Sort {
        name: "-created_at",
        col: user::Column::CreatedAt,
        desc: true,
        nullable: false,
        key: |m| Key::Time(m.created_at),
    },
];

pub async fn role_by_key(db: &impl sea_orm::ConnectionTrait, key: &str) -> ApiResult<role::Model> {
    role::Entity::find()
        .filter(role::Column::Key.eq(key))
        .one(db)
        .await?
        .ok_or_else(|| ApiError::field("role", "is not a known role"))
}

/// List users.
#[utoipa::path(tag = "users", params(ListUsersQuery), responses((status = 200, body = Page<UserResponse>)))]
#[get("/users")]
pub async fn list_users(
    state: State,
    actor: Actor,
    query: web::Query<ListUsersQuery>,
) -> ApiResult<web::Json<Page<UserResponse>>> {
    let mut select = policy::users(&actor).list()?;
    let limit = pagination::limit(query.limit)?;
    let sort = pagination::pick(SORTS, query.sort.as_deref())?;
    if let Some(client_id) = query.client_id {
        select = select.filter(user::Column::ClientId.eq(client_id));
    }
    if let Some(status) = query.status {
        select = select.filter(user::Column::Status.eq(status));
    }
    if let Some(key) = &query.role {
        select = select.filter(user::Column::RoleId.eq(role_by_key(&state.db, key).await?.id));
    }
    let page =
        pagination::fetch_page(&state.db, select, sort, user::Column::Id, query.cursor.as_deref(), limit).await?;
    let roles = role::Entity::find().all(&state.db).await?;
    Ok(web::Json(page.map(|u| {
        let role = roles.iter().find(|r| r.id == u.role_id).expect("user's role exists (foreign key)");
        UserResponse::new(u, role)
    })))
}

/// Checks that a role and an account fit together: client roles need an existing client,
/// staff roles must have none.
async fn check_role_fits(
    db: &impl sea_orm::ConnectionTrait,
    role: &role::Model,
    client_id: Option<Uuid>,
) -> ApiResult<()> {
    match (role.kind, client_id) {
        (RoleKind::Client, None) => Err(ApiError::field("client_id", "is required for a client role")),
        (RoleKind::Staff, Some(_)) => Err(ApiError::field("client_id", "must be absent for a staff role")),
        (RoleKind::Client, Some(id)) => {
            client::Entity::find_by_id(id)
                .one(db)
                .await?
                .ok_or_else(|| ApiError::field("client_id", "is not a known client"))?;
            Ok(())
        }
        (RoleKind::Staff, None) => Ok(()),
    }
}

/// Create a user.
#[utoipa::path(tag = "users", request_body = CreateUserRequest, responses((status = 201, body = UserResponse)))]
#[post("/users")]
pub async fn create_user(state: State, actor: Actor, body: Body<CreateUserRequest>) -> ApiResult<HttpResponse> {
    policy::users(&actor).list()?;
    body.validate()?;
    let body = body.into_inner();
    let role = role_by_key(&state.db, &body.role).await?;
    check_role_fits(&state.db, &role, body.client_id).await?;
    let password_hash = match &body.password {
        Some(pw) => {
            crate::auth::password::check_policy(pw).map_err(|m| ApiError::field("password", m))?;
            Some(state.passwords.hash(pw).await?)
        }
        None => None,
    };
    let txn = state.db.begin().await?;
    let status = if password_hash.is_some() { UserStatus::Active } else { UserStatus::Invited };
    let model = user::ActiveModel::new_user(&body.email, &body.name, role.id, body.client_id, password_hash, status)
        .insert(&txn)
        .await
        .map_err(ApiError::conflict_on_unique("A user with that e-mail already exists."))?;
    audit::record(
        &txn,
        Some(&actor),
        audit::Entry {
            action: "user.created",
            target_type: "user",
            target_id: Some(model.id),
            client_id: model.client_id,
            details: serde_json::json!({"role": role.key}),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(HttpResponse::Created().json(UserResponse::new(model, &role)))
}

/// A user.
#[utoipa::path(tag = "users", params(("id" = Uuid, Path)), responses((status = 200, body = UserResponse)))]
#[get("/users/{id}")]
pub async fn get_user(state: State, actor: Actor, id: web::Path<Uuid>) -> ApiResult<web::Json<UserResponse>> {
    let model = policy::users(&actor).get(&state.db, *id).await?;
    let role = role::Entity::find_by_id(model.role_id).one(&state.db).await?.ok_or(ApiError::NotFound)?;
    Ok(web::Json(UserResponse::new(model, &role)))
}

/// Change a user's name, role or status; takes effect on their next request.
#[utoipa::path(tag = "users", params(("id" = Uuid, Path)), request_body = UpdateUserRequest, responses((status = 200, body = UserResponse)))]
#[patch("/users/{id}")]
pub async fn update_user(
    state: State,
    actor: Actor,
    id: web::Path<Uuid>,
    body: Body<UpdateUserRequest>,
) -> ApiResult<web::Json<UserResponse>> {
    let model = policy::users(&actor).get(&state.db, *id).await?;
    body.validate()?;
    let body = body.into_inner();
    let old_role = role::Entity::find_by_id(model.role_id).one(&state.db).await?.ok_or(ApiError::NotFound)?;
    let mut role = old_role.clone();
    let txn = state.db.begin().await?;
    let mut active = model.clone().into_active_model();
    if let Some(name) = body.name {
        active.name = Set(name.trim().to_owned());
    }
    if let Some(key) = &body.role {
        role = role_by_key(&txn, key).await?;
        if role.kind != old_role.kind {
            return Err(ApiError::field(
                "role",
                "must be of the same kind (staff or client) as the user's current role",
            ));
        }
        if role.id != old_role.id {
            if model.id == actor.user_id {
                return Err(ApiError::Conflict("You cannot change your own role.".into()));
            }
            active.role_id = Set(role.id);
            audit::record(
                &txn,
                Some(&actor),
                audit::Entry {
                    action: "user.role_changed",
                    target_type: "user",
                    target_id: Some(model.id),
                    client_id: model.client_id,
                    details: serde_json::json!({"from": old_role.key, "to": role.key}),
                },
            )
            .await?;
        }
    }
    if let Some(status) = body.status {
        match (model.status, status) {
            (from, to) if from == to => {}
            (_, UserStatus::Deactivated) => {
                if model.id == actor.user_id {
                    return Err(ApiError::Conflict("You cannot deactivate yourself.".into()));
                }
                active.status = Set(UserStatus::Deactivated);
                super::auth::revoke_all_for_user(&txn, model.id).await?;
                audit::record(
                    &txn,
                    Some(&actor),
                    audit::Entry {
                        action: "user.deactivated",
                        target_type: "user",
                        target_id: Some(model.id),
                        client_id: model.client_id,
                        details: serde_json::json!({}),
                    },
                )
                .await?;
            }
            (UserStatus::Deactivated, UserStatus::Active) => {
                // Someone who never set a password goes back to `invited`, not `active`.
                active.status =
                    Set(if model.password_hash.is_some() { UserStatus::Active } else { UserStatus::Invited });
                audit::record(
                    &txn,
                    Some(&actor),
                    audit::Entry {
                        action: "user.reactivated",
                        target_type: "user",
                        target_id: Some(model.id),
                        client_id: model.client_id,
                        details: serde_json::json!({}),
                    },
                )
                .await?;
            }
            _ => return Err(ApiError::field("status", "can only be set to `active` (reactivate) or `deactivated`")),
        }
    }
    active.authz_version = Set(model.authz_version + 1);
    active.updated_at = Set(Utc::now());
    let model = active.update(&txn).await?;
    txn.commit().await?;
    state.authz_changed(Some(model.id)).await?;
    Ok(web::Json(UserResponse::new(model, &role)))
}

pub fn config(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_users).service(create_user).service(get_user).service(update_user);
}
