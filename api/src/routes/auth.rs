//! Login, refresh-token rotation, logout, View as.
use secrecy::SecretString;
use serde::Deserialize;

use super::prelude::*;
use crate::domain::sessions::{self, ImpersonationResponse, TokenResponse};

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

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ImpersonateRequest {
    /// The client user to view the portal as.
    pub user_id: Uuid,
}

/// Log in with e-mail and password.
///
/// Failed attempts are limited per account and per source address; past the limit the answer
/// is 429 with `Retry-After` until the window has passed.
#[utoipa::path(tag = "auth", security(()), request_body = LoginRequest,
    responses((status = 200, body = TokenResponse), (status = 401, body = crate::error::Problem), (status = 429, body = crate::error::Problem)))]
#[post("/auth/login")]
pub async fn login(state: State, addr: ClientAddr, body: Body<LoginRequest>) -> ApiResult<web::Json<TokenResponse>> {
    body.validate()?;
    Ok(web::Json(sessions::login(&state, &addr.0, &body.email, &body.password).await?))
}

/// Exchange a refresh token for a new access token and a new refresh token.
///
/// Presenting a refresh token that was already used revokes every token of that login:
/// someone else holds a copy.
#[utoipa::path(tag = "auth", security(()), request_body = RefreshRequest,
    responses((status = 200, body = TokenResponse), (status = 401, body = crate::error::Problem)))]
#[post("/auth/refresh")]
pub async fn refresh(state: State, body: Body<RefreshRequest>) -> ApiResult<web::Json<TokenResponse>> {
    Ok(web::Json(sessions::refresh(&state, &body.refresh_token).await?))
}

/// Log out: revoke the refresh token and every token of the same login.
#[utoipa::path(tag = "auth", security(()), request_body = RefreshRequest, responses((status = 204, description = "Logged out")))]
#[post("/auth/logout")]
pub async fn logout(state: State, body: Body<RefreshRequest>) -> ApiResult<HttpResponse> {
    sessions::logout(&state, &body.refresh_token).await?;
    Ok(HttpResponse::NoContent().finish())
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
    Ok(web::Json(sessions::impersonate(&state, &actor, body.user_id).await?))
}

pub fn config(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(login).service(refresh).service(logout).service(impersonate);
}
