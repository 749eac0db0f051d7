//! Login, refresh-token rotation, logout.
use chrono::Duration;
use sea_orm::{ConnectionTrait, sea_query::Expr};
use secrecy::SecretString;

use super::prelude::*;
use crate::{
    auth::{
        authz::UserAuthz,
        jwt::{ActClaim, Claims},
        password::Verified,
        tokens,
    },
    entities::{
        enums::{RoleKind, UserStatus},
        refresh_token, user,
    },
    routes::me::MeResponse,
    services::throttle::{self, Limit},
};

#[derive(Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    #[validate(length(min = 1, max = 254))]
    pub email: String,
    #[schema(value_type = String, format = Password)]
    pub password: SecretString,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RefreshRequest {
    /// The opaque refresh token from the last login or refresh.
    pub refresh_token: String,
}

#[derive(Serialize, ToSchema)]
pub struct TokenResponse {
    pub access_token: String,
    /// Always `Bearer`.
    pub token_type: &'static str,
    /// Seconds until the access token expires.
    pub expires_in: i64,
    /// Single use: each refresh returns a new one and retires this one.
    pub refresh_token: String,
    pub user: MeResponse,
}

fn bad_credentials() -> ApiError {
    ApiError::Unauthorized("E-mail or password is incorrect.".into())
}

fn refused_refresh() -> ApiError {
    ApiError::Unauthorized("The refresh token is invalid, expired or already used; log in again.".into())
}

/// Log in with e-mail and password.
///
/// Failed attempts are limited per account and per source address; past the limit the answer
/// is 429 with `Retry-After` until the window has passed.
#[utoipa::path(tag = "auth", security(()), request_body = LoginRequest,
    responses((status = 200, body = TokenResponse), (status = 401, body = crate::error::Problem), (status = 429, body = crate::error::Problem)))]
#[post("/auth/login")]
pub async fn login(state: State, addr: ClientAddr, body: Body<LoginRequest>) -> ApiResult<web::Json<TokenResponse>> {
    let body = body.into_inner();
    body.validate()?;
    let email = body.email.trim().to_lowercase();
    let s = &state.settings;
    let window = Duration::seconds(s.throttle_window_secs);
    let (account_key, account_limit) =
        (format!("login:account:{email}"), Limit { max: s.login_max_failures_per_account, window });
    let (addr_key, addr_limit) =
        (format!("login:addr:{}", addr.0), Limit { max: s.login_max_failures_per_address, window });
    throttle::check(&state.db, &addr_key, addr_limit).await?;
    throttle::check(&state.db, &account_key, account_limit).await?;
    let found = user::Entity::find().filter(user::Column::Email.eq(&email)).one(&state.db).await?;
    // Unknown, invited and deactivated accounts all verify against a hash (the dummy when
    // there is none) and get the same answer, so nothing tells which accounts exist.
    let stored = found.as_ref().filter(|u| u.status == UserStatus::Active).and_then(|u| u.password_hash.clone());
    let verified = state.passwords.verify(&body.password, stored).await?;
    let (user, needs_rehash) = match (found, verified) {
        (Some(u), Verified::Yes { needs_rehash }) if u.status == UserStatus::Active => (u, needs_rehash),
        (found, _) => {
            throttle::hit(&state.db, &account_key, account_limit).await?;
            throttle::hit(&state.db, &addr_key, addr_limit).await?;
            audit::record(
                &state.db,
                None,
                audit::Entry {
                    action: "login.failed",
                    target_type: "user",
                    target_id: found.as_ref().map(|u| u.id),
                    client_id: found.as_ref().and_then(|u| u.client_id),
                    details: serde_json::json!({"email": email, "address": addr.0}),
                },
            )
            .await?;
            return Err(bad_credentials());
        }
    };
    throttle::clear(&state.db, &account_key).await?;
    let mut active = user.clone().into_active_model();
    active.last_login_at = Set(Some(Utc::now()));
    if needs_rehash {
        active.password_hash = Set(Some(state.passwords.hash(&body.password).await?));
    }
    let txn = state.db.begin().await?;
    active.update(&txn).await?;
    audit::record(
        &txn,
        None,
        audit::Entry {
            action: "login",
            target_type: "user",
            target_id: Some(user.id),
            client_id: user.client_id,
            details: serde_json::json!({}),
        },
    )
    .await?;
    let response = issue_session(&state, &txn, &user, Uuid::now_v7()).await?;
    txn.commit().await?;
    Ok(web::Json(response))
}

/// Exchange a refresh token for a new access token and a new refresh token.
///
/// Presenting a refresh token that was already used revokes every token of that login:
/// someone else holds a copy.
#[utoipa::path(tag = "auth", security(()), request_body = RefreshRequest,
    responses((status = 200, body = TokenResponse), (status = 401, body = crate::error::Problem)))]
#[post("/auth/refresh")]
pub async fn refresh(state: State, body: Body<RefreshRequest>) -> ApiResult<web::Json<TokenResponse>> {
    let hash = tokens::hash(&body.refresh_token);
    let token = refresh_token::Entity::find()
        .filter(refresh_token::Column::TokenHash.eq(hash))
        .one(&state.db)
        .await?
        .ok_or_else(refused_refresh)?;
    let now = Utc::now();
    if token.revoked_at.is_some() || token.expires_at <= now {
        return Err(refused_refresh());
    }
    let txn = state.db.begin().await?;
    // Claim the token atomically: of two concurrent uses only one can flip `used_at`.
    let claimed = refresh_token::Entity::update_many()
        .col_expr(refresh_token::Column::UsedAt, Expr::value(now))
        .filter(refresh_token::Column::Id.eq(token.id))
        .filter(refresh_token::Column::UsedAt.is_null())
        .exec(&txn)
        .await?;
    if claimed.rows_affected != 1 {
        txn.rollback().await?;
        revoke_family(&state.db, token.family_id).await?;
        tracing::warn!(user_id = %token.user_id, "refresh token reuse detected; login revoked");
        return Err(refused_refresh());
    }
    let user = user::Entity::find_by_id(token.user_id).one(&txn).await?.ok_or_else(refused_refresh)?;
    if user.status != UserStatus::Active {
        return Err(refused_refresh());
    }
    let response = issue_session(&state, &txn, &user, token.family_id).await?;
    txn.commit().await?;
    Ok(web::Json(response))
}

/// Log out: revoke the refresh token and every token of the same login.
#[utoipa::path(tag = "auth", security(()), request_body = RefreshRequest, responses((status = 204, description = "Logged out")))]
#[post("/auth/logout")]
pub async fn logout(state: State, body: Body<RefreshRequest>) -> ApiResult<HttpResponse> {
    let hash = tokens::hash(&body.refresh_token);
    if let Some(token) =
        refresh_token::Entity::find().filter(refresh_token::Column::TokenHash.eq(hash)).one(&state.db).await?
    {
        revoke_family(&state.db, token.family_id).await?;
    }
    // Same answer for unknown tokens: logging out is idempotent.
    Ok(HttpResponse::NoContent().finish())
}

pub async fn revoke_family(db: &impl ConnectionTrait, family_id: Uuid) -> Result<(), sea_orm::DbErr> {
    refresh_token::Entity::update_many()
        .col_expr(refresh_token::Column::RevokedAt, Expr::value(Utc::now()))
        .filter(refresh_token::Column::FamilyId.eq(family_id))
        .filter(refresh_token::Column::RevokedAt.is_null())
        .exec(db)
        .await?;
    Ok(())
}

/// Revokes every refresh token of a user (password change, deactivation).
pub async fn revoke_all_for_user(db: &impl ConnectionTrait, user_id: Uuid) -> Result<(), sea_orm::DbErr> {
    refresh_token::Entity::update_many()
        .col_expr(refresh_token::Column::RevokedAt, Expr::value(Utc::now()))
        .filter(refresh_token::Column::UserId.eq(user_id))
        .filter(refresh_token::Column::RevokedAt.is_null())
        .exec(db)
        .await?;
    Ok(())
}

fn access_claims(state: &AppState, user: &user::Model, authz: &UserAuthz, act: Option<ActClaim>) -> Claims {
    let now = Utc::now();
    Claims {
        sub: user.id,
        kind: authz.kind,
        role: authz.role_key.clone(),
        client_id: user.client_id,
        perms: authz.perms.iter().map(|p| p.as_str().to_owned()).collect(),
        iat: now.timestamp(),
        exp: now.timestamp() + state.jwt.ttl_secs,
        iss: state.jwt.issuer.clone(),
        aud: state.jwt.audience.clone(),
        jti: Uuid::new_v4(),
        act,
    }
}

/// Issues an access token and a new refresh token in `family_id` for `user`.
pub async fn issue_session(
    state: &AppState,
    db: &impl ConnectionTrait,
    user: &user::Model,
    family_id: Uuid,
) -> ApiResult<TokenResponse> {
    state.authz.invalidate_user(user.id);
    let authz = state.authz.get(db, user.id).await?.ok_or(ApiError::NotFound)?;
    let now = Utc::now();
    let access_token = state.jwt.issue(&access_claims(state, user, &authz, None))?;
    let refresh_plain = tokens::generate();
    refresh_token::ActiveModel {
        id: Set(Uuid::now_v7()),
        user_id: Set(user.id),
        family_id: Set(family_id),
        token_hash: Set(tokens::hash(&refresh_plain)),
        expires_at: Set(now + Duration::days(state.settings.refresh_token_ttl_days)),
        used_at: Set(None),
        revoked_at: Set(None),
        created_at: Set(now),
    }
    .insert(db)
    .await?;
    Ok(TokenResponse {
        access_token,
        token_type: "Bearer",
        expires_in: state.jwt.ttl_secs,
        refresh_token: refresh_plain,
        user: MeResponse::new(user, &authz, None),
    })
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ImpersonateRequest {
    /// The client user to view the portal as.
    pub user_id: Uuid,
}

#[derive(Serialize, ToSchema)]
pub struct ImpersonationResponse {
    /// Acts exactly as the client user, read-only; its `act` claim names the staff member.
    pub access_token: String,
    pub token_type: &'static str,
    pub expires_in: i64,
    /// The client user, with `viewed_by` set.
    pub user: MeResponse,
}

/// View the portal as a client user: a read-only access token acting as them (no refresh
/// token; it is not their login and sends them nothing). Each start is audited.
#[utoipa::path(tag = "auth", request_body = ImpersonateRequest, responses((status = 200, body = ImpersonationResponse)))]
#[post("/auth/impersonate")]
pub async fn impersonate(
    state: State,
    actor: Actor,
    body: Body<ImpersonateRequest>,
) -> ApiResult<web::Json<ImpersonationResponse>> {
    actor.require(Perm::Impersonate)?;
    let target = user::Entity::find_by_id(body.user_id).one(&state.db).await?.ok_or(ApiError::NotFound)?;
    let authz = state.authz.get(&state.db, target.id).await?.ok_or(ApiError::NotFound)?;
    if authz.kind != RoleKind::Client {
        return Err(ApiError::field("user_id", "only client users can be viewed as"));
    }
    if target.status != UserStatus::Active {
        return Err(ApiError::field("user_id", "this user has not activated their portal access"));
    }
    let access_token =
        state.jwt.issue(&access_claims(&state, &target, &authz, Some(ActClaim { sub: actor.user_id })))?;
    audit::record(
        &state.db,
        Some(&actor),
        audit::Entry {
            action: "impersonation.started",
            target_type: "user",
            target_id: Some(target.id),
            client_id: target.client_id,
            details: serde_json::json!({"email": target.email}),
        },
    )
    .await?;
    Ok(web::Json(ImpersonationResponse {
        access_token,
        token_type: "Bearer",
        expires_in: state.jwt.ttl_secs,
        user: MeResponse::new(&target, &authz, Some(actor.user_id)),
    }))
}

pub fn config(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(login).service(refresh).service(logout).service(impersonate);
}
