//! Forgotten passwords: a single-use link by e-mail, valid for an hour.
use secrecy::SecretString;
use serde::Deserialize;

use super::prelude::*;
use crate::domain::passwords;

#[derive(Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct PasswordResetRequest {
    #[schema(min_length = 1, max_length = 254)]
    #[validate(length(min = 1, max = 254))]
    pub email: String,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordResetConfirmRequest {
    /// The token from the reset link.
    pub token: String,
    #[schema(value_type = String, format = Password, min_length = 8, max_length = 128)]
    pub password: SecretString,
}

/// Ask for a password reset link. Always 202, whether or not the address has an account.
#[utoipa::path(tag = "auth", security(()), request_body = PasswordResetRequest,
    responses((status = 202, description = "If the address has an active account, a link is on its way"), (status = 429, body = crate::error::Problem)))]
#[post("/auth/password-reset")]
pub async fn request_password_reset(
    state: State,
    addr: ClientAddr,
    body: Body<PasswordResetRequest>,
) -> ApiResult<HttpResponse> {
    body.validate()?;
    passwords::throttle_public(&state, &addr.0).await?;
    passwords::request_reset(&state, &body.email).await?;
    Ok(HttpResponse::Accepted().json(serde_json::json!({})))
}

/// Set a new password with a reset token; every session of the account is signed out.
#[utoipa::path(tag = "auth", security(()), request_body = PasswordResetConfirmRequest,
    responses((status = 204, description = "Password changed; log in with it"), (status = 429, body = crate::error::Problem)))]
#[post("/auth/password-reset/confirm")]
pub async fn confirm_password_reset(
    state: State,
    addr: ClientAddr,
    body: Body<PasswordResetConfirmRequest>,
) -> ApiResult<HttpResponse> {
    passwords::throttle_public(&state, &addr.0).await?;
    passwords::confirm_reset(&state, &body.token, &body.password).await?;
    Ok(HttpResponse::NoContent().finish())
}

pub fn config(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(request_password_reset).service(confirm_password_reset);
}
