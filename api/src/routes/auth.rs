//! Login, refresh-token rotation, logout, View as.
use secrecy::SecretString;
use serde::Deserialize;

use actix_web::{HttpRequest, ResponseError};

use super::prelude::*;
use crate::{
    domain::sessions::{self, Device, ImpersonationResponse, TokenResponse},
    session_cookie::{self, SessionHeader},
};

#[derive(Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    #[schema(min_length = 1, max_length = 254)]
    #[validate(length(min = 1, max = 254))]
    pub email: String,
    #[schema(value_type = String, format = Password)]
    pub password: SecretString,
    /// For an account with two-factor sign-in: the 6-digit code from the authenticator app, or
    /// one of the recovery codes. Without it such an account is answered 401 with the problem
    /// type `urn:portico:problem:two-factor-required`; send the same request again with it.
    #[schema(min_length = 1, max_length = 64)]
    #[validate(length(min = 1, max = 64))]
    pub code: Option<String>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RefreshRequest {
    /// The opaque refresh token from the last login or refresh; omit it to use the
    /// `portico_refresh` cookie (with `X-Portico-Session: cookie`).
    pub refresh_token: Option<String>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ImpersonateRequest {
    /// The client user to view the portal as.
    pub user_id: Uuid,
}

/// Log in with e-mail and password.
///
/// Failed attempts are limited per source address and per account from that address; past
/// either limit the answer is 429 with `Retry-After` until the window has passed. An account
/// failing from many addresses is slowed to one attempt every few seconds, never locked.
/// With `X-Portico-Session: cookie` the refresh token comes as an `HttpOnly` cookie instead.
/// A wrong two-factor code counts as a failed attempt, exactly like a wrong password.
#[utoipa::path(tag = "auth", security(()), request_body = LoginRequest, params(SessionHeader),
    responses((status = 200, body = TokenResponse), (status = 401, body = crate::error::Problem), (status = 429, body = crate::error::Problem)))]
#[post("/auth/login")]
pub async fn login(
    req: HttpRequest,
    state: State,
    addr: ClientAddr,
    device: Device,
    body: Body<LoginRequest>,
) -> ApiResult<HttpResponse> {
    body.validate()?;
    let tokens = sessions::login(&state, &addr.0, &device, &body.email, &body.password, body.code.as_deref()).await?;
    Ok(session_cookie::respond(&req, &state.settings, tokens))
}

/// Exchange a refresh token for a new access token and a new refresh token.
///
/// Presenting a refresh token that was already used revokes every token of that login:
/// someone else holds a copy. A login also ends when unused for the idle timeout, and at
/// its absolute lifetime however used. The token comes in the body, or as the
/// `portico_refresh` cookie together with `X-Portico-Session: cookie` (403 without it).
#[utoipa::path(tag = "auth", security(()), request_body = RefreshRequest, params(SessionHeader),
    responses((status = 200, body = TokenResponse), (status = 401, body = crate::error::Problem), (status = 403, body = crate::error::Problem)))]
#[post("/auth/refresh")]
pub async fn refresh(
    req: HttpRequest,
    state: State,
    device: Device,
    body: Body<RefreshRequest>,
) -> ApiResult<HttpResponse> {
    let Some(token) = session_cookie::presented(&req, body.into_inner().refresh_token)? else {
        return Err(sessions::refused_refresh());
    };
    match sessions::refresh(&state, &token, &device).await {
        Ok(tokens) => Ok(session_cookie::respond(&req, &state.settings, tokens)),
        // The login is over: the browser drops its cookie too.
        Err(refused @ ApiError::Unauthorized(_)) => {
            Ok(session_cookie::cleared(&state.settings, refused.error_response()))
        }
        Err(other) => Err(other),
    }
}

/// Log out: revoke the refresh token and every token of the same login, and end the user's
/// access tokens at once (their other logins refresh into new ones).
#[utoipa::path(tag = "auth", security(()), request_body = RefreshRequest, params(SessionHeader),
    responses((status = 204, description = "Logged out"), (status = 403, body = crate::error::Problem)))]
#[post("/auth/logout")]
pub async fn logout(req: HttpRequest, state: State, body: Body<RefreshRequest>) -> ApiResult<HttpResponse> {
    if let Some(token) = session_cookie::presented(&req, body.into_inner().refresh_token)? {
        sessions::logout(&state, &token).await?;
    }
    Ok(session_cookie::cleared(&state.settings, HttpResponse::NoContent().finish()))
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

/// Stop viewing as: ends this View-as session on the server (its token, its streams and its
/// download links stop working at once). Made with the View-as token itself; audited. 409 when
/// the caller is not viewing as anyone.
#[utoipa::path(tag = "auth", responses((status = 204, description = "The View-as session ended"), (status = 409, body = crate::error::Problem)))]
#[post("/auth/impersonate/end")]
pub async fn end_impersonation(state: State, reader: crate::extract::Reader) -> ApiResult<HttpResponse> {
    sessions::end_view_as(&state, &reader.0).await?;
    Ok(HttpResponse::NoContent().finish())
}

pub fn config(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(login).service(refresh).service(logout).service(impersonate).service(end_impersonation);
}
