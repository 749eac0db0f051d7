//! The caller's own profile.
use secrecy::SecretString;

use super::prelude::*;
use crate::{
    auth::authz::UserAuthz,
    entities::{
        enums::{RoleKind, UserStatus},
        user,
    },
};

#[derive(Serialize, ToSchema)]
pub struct MeResponse {
    pub id: Uuid,
    pub email: String,
    pub name: String,
    pub kind: RoleKind,
    pub role: String,
    pub client_id: Option<Uuid>,
    pub status: UserStatus,
    /// What the SPA may offer; the server checks them again on every request.
    pub permissions: Vec<Perm>,
    /// Set when a staff member is viewing the portal as this user (read-only).
    pub viewed_by: Option<Uuid>,
}

impl MeResponse {
    pub fn new(user: &user::Model, authz: &UserAuthz, viewed_by: Option<Uuid>) -> Self {
        MeResponse {
            id: user.id,
            email: user.email.clone(),
            name: user.name.clone(),
            kind: authz.kind,
            role: authz.role_key.clone(),
            client_id: user.client_id,
            status: user.status,
            permissions: authz.perms.iter().copied().collect(),
            viewed_by,
        }
    }
}

#[derive(Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct UpdateMeRequest {
    #[validate(length(min = 1, max = 200))]
    pub name: Option<String>,
    /// Required to change the password.
    #[schema(value_type = Option<String>, format = Password)]
    pub current_password: Option<SecretString>,
    #[schema(value_type = Option<String>, format = Password)]
    pub new_password: Option<SecretString>,
}

async fn load(state: &AppState, actor: &Actor) -> ApiResult<(user::Model, std::sync::Arc<UserAuthz>)> {
    let user = user::Entity::find_by_id(actor.user_id).one(&state.db).await?.ok_or(ApiError::NotFound)?;
    let authz = state.authz.get(&state.db, actor.user_id).await?.ok_or(ApiError::NotFound)?;
    Ok((user, authz))
}

/// The caller's profile, role and permissions.
#[utoipa::path(tag = "me", responses((status = 200, body = MeResponse)))]
#[get("/me")]
pub async fn get_me(state: State, actor: Actor) -> ApiResult<web::Json<MeResponse>> {
    let (user, authz) = load(&state, &actor).await?;
    Ok(web::Json(MeResponse::new(&user, &authz, actor.viewed_by)))
}

/// Change the caller's name or password (a new password needs the current one and signs out
/// every other session).
#[utoipa::path(tag = "me", request_body = UpdateMeRequest, responses((status = 200, body = MeResponse)))]
#[patch("/me")]
pub async fn update_me(state: State, actor: Actor, body: Body<UpdateMeRequest>) -> ApiResult<web::Json<MeResponse>> {
    let body = body.into_inner();
    body.validate()?;
    let (user, _) = load(&state, &actor).await?;
    let mut active = user.clone().into_active_model();
    if let Some(name) = &body.name {
        active.name = Set(name.trim().to_owned());
    }
    let mut password_changed = false;
    if let Some(new_password) = &body.new_password {
        let Some(current) = &body.current_password else {
            return Err(ApiError::field("current_password", "is required to set a new password"));
        };
        crate::auth::password::check_policy(new_password).map_err(|m| ApiError::field("new_password", m))?;
        match state.passwords.verify(current, user.password_hash.clone()).await? {
            crate::auth::password::Verified::Yes { .. } => {}
            crate::auth::password::Verified::No => {
                return Err(ApiError::field("current_password", "is not your current password"));
            }
        }
        active.password_hash = Set(Some(state.passwords.hash(new_password).await?));
        password_changed = true;
    }
    active.updated_at = Set(Utc::now());
    let txn = state.db.begin().await?;
    let user = active.update(&txn).await?;
    if password_changed {
        super::auth::revoke_all_for_user(&txn, user.id).await?;
        audit::record(
            &txn,
            Some(&actor),
            audit::Entry {
                action: "password.changed",
                target_type: "user",
                target_id: Some(user.id),
                client_id: user.client_id,
                details: serde_json::json!({}),
            },
        )
        .await?;
    }
    txn.commit().await?;
    state.authz.invalidate_user(user.id);
    let authz = state.authz.get(&state.db, user.id).await?.ok_or(ApiError::NotFound)?;
    Ok(web::Json(MeResponse::new(&user, &authz, actor.viewed_by)))
}

pub fn config(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(get_me).service(update_me);
}
