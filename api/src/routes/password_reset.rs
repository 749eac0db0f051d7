//! Forgotten passwords: a single-use link by e-mail, valid for an hour.
use chrono::Duration;
use secrecy::SecretString;

use super::prelude::*;
use crate::{
    entities::{enums::UserStatus, one_time_token::PASSWORD_RESET, user},
    services::{
        access, mail, messages,
        throttle::{self, Limit},
    },
};

#[derive(Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct PasswordResetRequest {
    #[validate(length(min = 1, max = 254))]
    pub email: String,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordResetConfirmRequest {
    /// The token from the reset link.
    pub token: String,
    #[schema(value_type = String, format = Password)]
    pub password: SecretString,
}

fn invalid_reset() -> ApiError {
    ApiError::BadRequest(
        "This reset link is no longer valid: it has expired or was already used. Ask for a new one.".into(),
    )
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
    let email = body.email.trim().to_lowercase();
    let window = Duration::seconds(state.settings.throttle_window_secs);
    let addr_key = format!("public:addr:{}", addr.0);
    let addr_limit = Limit { max: state.settings.public_max_requests_per_address, window };
    throttle::check(&state.db, &addr_key, addr_limit).await?;
    throttle::hit(&state.db, &addr_key, addr_limit).await?;
    // Per address above; per account here, silently: a flood of resets for one person sends
    // them a few e-mails, not hundreds, and the answer never changes.
    let account_key = format!("reset:account:{email}");
    let account_limit = Limit { max: 3, window };
    if throttle::check(&state.db, &account_key, account_limit).await.is_err() {
        return Ok(HttpResponse::Accepted().json(serde_json::json!({})));
    }
    throttle::hit(&state.db, &account_key, account_limit).await?;
    if let Some(user) = user::Entity::find().filter(user::Column::Email.eq(&email)).one(&state.db).await?
        && user.status == UserStatus::Active
    {
        let txn = state.db.begin().await?;
        let minutes = state.settings.password_reset_ttl_minutes;
        let issued = access::issue(&txn, PASSWORD_RESET, user.id, None, None, Duration::minutes(minutes)).await?;
        let settings = super::settings::load(&txn).await?;
        let link = format!("{}/reset-password#token={}", state.settings.public_url.trim_end_matches('/'), issued.token);
        mail::enqueue(&txn, messages::password_reset(&settings, &user.name, &user.email, &link, minutes)).await?;
        txn.commit().await?;
        state.mailer.wake();
    }
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
    let limit = Limit {
        max: state.settings.public_max_requests_per_address,
        window: Duration::seconds(state.settings.throttle_window_secs),
    };
    let key = format!("public:addr:{}", addr.0);
    throttle::check(&state.db, &key, limit).await?;
    throttle::hit(&state.db, &key, limit).await?;
    let body = body.into_inner();
    crate::auth::password::check_policy(&body.password).map_err(|m| ApiError::field("password", m))?;
    let hash = state.passwords.hash(&body.password).await?;
    let txn = state.db.begin().await?;
    let token = access::redeem(&txn, PASSWORD_RESET, &body.token, invalid_reset).await?;
    let user = user::Entity::find_by_id(token.user_id).one(&txn).await?.ok_or_else(invalid_reset)?;
    if user.status != UserStatus::Active {
        return Err(invalid_reset());
    }
    let mut active = user.clone().into_active_model();
    active.password_hash = Set(Some(hash));
    active.updated_at = Set(Utc::now());
    active.update(&txn).await?;
    super::auth::revoke_all_for_user(&txn, user.id).await?;
    audit::record(
        &txn,
        None,
        audit::Entry {
            action: "password.reset",
            target_type: "user",
            target_id: Some(user.id),
            client_id: user.client_id,
            details: serde_json::json!({}),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(HttpResponse::NoContent().finish())
}

pub fn config(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(request_password_reset).service(confirm_password_reset);
}
