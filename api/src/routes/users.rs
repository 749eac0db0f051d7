//! Users: staff and client portal accounts (admins, `users.manage`).
use sea_orm::EntityTrait;
use serde::{Deserialize, Serialize};

use super::prelude::*;
use crate::{
    domain::{
        devices::{self, ListSessionsQuery, SessionResponse},
        invitations::{self, UserInvitationResponse},
        users::{self, CreateUserRequest, UpdateUserRequest},
    },
    entities::{
        enums::{RoleKind, UserStatus},
        role, user,
    },
    pagination::{Key, Sort},
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
    pub last_login_at: Option<chrono::DateTime<chrono::Utc>>,
    /// Whether they sign in with a second factor.
    pub two_factor_enabled: bool,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub updated_at: chrono::DateTime<chrono::Utc>,
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
            two_factor_enabled: m.totp_enabled_at.is_some(),
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
    #[param(pattern = "^(email|-created_at)$")]
    pub sort: Option<String>,
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u64>,
    pub cursor: Option<String>,
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
        select = select.filter(user::Column::RoleId.eq(users::role_by_key(&state.db, key).await?.id));
    }
    let page =
        pagination::fetch_page(&state.db, select, sort, user::Column::Id, query.cursor.as_deref(), limit).await?;
    let roles = role::Entity::find().all(&state.db).await?;
    Ok(web::Json(page.map(|u| {
        let role = roles.iter().find(|r| r.id == u.role_id).expect("user's role exists (foreign key)");
        UserResponse::new(u, role)
    })))
}

/// Create a user.
#[utoipa::path(tag = "users", request_body = CreateUserRequest, responses((status = 201, body = UserResponse)))]
#[post("/users")]
pub async fn create_user(state: State, actor: Actor, body: Body<CreateUserRequest>) -> ApiResult<HttpResponse> {
    actor.require(Perm::UsersManage)?;
    body.validate()?;
    let (user, role) = users::create(&state, &actor, body.into_inner()).await?;
    Ok(HttpResponse::Created().json(UserResponse::new(user, &role)))
}

/// A user.
#[utoipa::path(tag = "users", params(("id" = Uuid, Path)), responses((status = 200, body = UserResponse)))]
#[get("/users/{id}")]
pub async fn get_user(state: State, actor: Actor, id: web::Path<Uuid>) -> ApiResult<web::Json<UserResponse>> {
    let user = policy::users(&actor).get(&state.db, *id).await?;
    let role = role::Entity::find_by_id(user.role_id).one(&state.db).await?.ok_or(ApiError::NotFound)?;
    Ok(web::Json(UserResponse::new(user, &role)))
}

/// Change a user's name, role or status; takes effect on their next request.
#[utoipa::path(tag = "users", params(("id" = Uuid, Path)), request_body = UpdateUserRequest, responses((status = 200, body = UserResponse)))]
#[patch("/users/{id}")]
pub async fn update_user(
    state: State,
    actor: Actor,
    id: web::Path<Uuid>,
    if_match: IfMatch,
    body: Body<UpdateUserRequest>,
) -> ApiResult<web::Json<UserResponse>> {
    let user = policy::users(&actor).get(&state.db, *id).await?;
    body.validate()?;
    let scope = policy::users(&actor);
    let (user, role) = Change::run(&state, Some(&actor), async |c| {
        let now = async |db: &sea_orm::DatabaseTransaction| {
            let user = scope.get(db, user.id).await?;
            let role = role::Entity::find_by_id(user.role_id).one(db).await?.ok_or(ApiError::NotFound)?;
            Ok(UserResponse::new(user, &role))
        };
        if_match.hold(c, "users", user.id, now).await?;
        users::update(c, user, body.into_inner()).await
    })
    .await?;
    Ok(web::Json(UserResponse::new(user, &role)))
}

/// A user's signed-in devices, for an admin (`users.manage`).
#[utoipa::path(tag = "users", params(("id" = Uuid, Path), ListSessionsQuery), responses((status = 200, body = Page<SessionResponse>)))]
#[get("/users/{id}/sessions")]
pub async fn list_user_sessions(
    state: State,
    actor: Actor,
    id: web::Path<Uuid>,
    query: web::Query<ListSessionsQuery>,
) -> ApiResult<web::Json<Page<SessionResponse>>> {
    let limit = pagination::limit(query.limit)?;
    Ok(web::Json(devices::of_user(&state.db, &actor, *id, query.cursor.as_deref(), limit).await?))
}

/// Sign a user out everywhere (`users.manage`): every login ends and access tokens already
/// out stop at once. Audited.
#[utoipa::path(tag = "users", params(("id" = Uuid, Path)), responses((status = 204, description = "Signed out everywhere")))]
#[delete("/users/{id}/sessions")]
pub async fn end_user_sessions(state: State, actor: Actor, id: web::Path<Uuid>) -> ApiResult<HttpResponse> {
    Change::run(&state, Some(&actor), async |c| devices::end_all_of_user(c, &actor, *id).await).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Send an invited user a new invitation (`users.manage`): a new single-use link, the previous
/// one ending. 409 once they have accepted, or while they are deactivated.
#[utoipa::path(tag = "users", params(("id" = Uuid, Path)), responses((status = 200, body = UserInvitationResponse)))]
#[post("/users/{id}/invitation")]
pub async fn resend_invitation(
    state: State,
    actor: Actor,
    id: web::Path<Uuid>,
) -> ApiResult<web::Json<UserInvitationResponse>> {
    let sent = Change::run(&state, Some(&actor), async |c| {
        let user = users::managed(c.db(), &actor, *id).await?;
        invitations::invite_user(c, &user).await
    })
    .await?;
    Ok(web::Json(sent))
}

/// Revoke an invited user's pending invitation (`users.manage`): its link stops working. 409
/// when none is pending.
#[utoipa::path(tag = "users", params(("id" = Uuid, Path)), responses((status = 204, description = "Revoked"),
    (status = 409, description = "No invitation is pending", content_type = "application/problem+json", body = crate::error::Problem)))]
#[delete("/users/{id}/invitation")]
pub async fn revoke_invitation(state: State, actor: Actor, id: web::Path<Uuid>) -> ApiResult<HttpResponse> {
    Change::run(&state, Some(&actor), async |c| {
        let user = users::managed(c.db(), &actor, *id).await?;
        invitations::revoke_user(c, &user).await
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

pub fn config(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_users)
        .service(create_user)
        .service(get_user)
        .service(update_user)
        .service(list_user_sessions)
        .service(end_user_sessions)
        .service(resend_invitation)
        .service(revoke_invitation);
}
