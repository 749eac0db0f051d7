//! Two-factor sign-in: the caller enrols an authenticator app, replaces their recovery codes or
//! turns it off; an admin resets someone's. A person's own (403 for an API key or View as).
use super::prelude::*;
use crate::domain::two_factor::{
    self, ConfirmTwoFactorRequest, PasswordAndCode, PasswordConfirmation, RecoveryCodes, TwoFactorSetup,
    TwoFactorStatus,
};

/// Whether the caller signs in with a second factor, whether their role requires it, and how
/// many recovery codes they have left.
#[utoipa::path(tag = "me", responses((status = 200, body = TwoFactorStatus)))]
#[get("/me/two-factor")]
pub async fn get_two_factor(state: State, actor: Actor) -> ApiResult<web::Json<TwoFactorStatus>> {
    Ok(web::Json(two_factor::status(&state, &actor).await?))
}

/// Begin enrolling an authenticator app: a new secret, as text, as an `otpauth://` URI and as
/// a QR code, to confirm with a code from the app within 15 minutes. Needs the password; 409
/// while two-factor sign-in is already on. Beginning again replaces an unconfirmed set-up.
#[utoipa::path(tag = "me", request_body = PasswordConfirmation, responses((status = 200, body = TwoFactorSetup)))]
#[post("/me/two-factor/setup")]
pub async fn setup_two_factor(
    state: State,
    actor: Actor,
    body: Body<PasswordConfirmation>,
) -> ApiResult<web::Json<TwoFactorSetup>> {
    Ok(web::Json(two_factor::setup(&state, &actor, &body.password).await?))
}

/// Confirm the enrolment with the code the app shows: two-factor sign-in is on, and the answer
/// holds the recovery codes — the only time they are shown. Every other device of the caller's
/// is signed out. A wrong code counts against the same limit as a wrong password (429 past it).
#[utoipa::path(tag = "me", request_body = ConfirmTwoFactorRequest, responses((status = 200, body = RecoveryCodes)))]
#[post("/me/two-factor/confirm")]
pub async fn confirm_two_factor(
    state: State,
    actor: Actor,
    body: Body<ConfirmTwoFactorRequest>,
) -> ApiResult<web::Json<RecoveryCodes>> {
    body.validate()?;
    Ok(web::Json(two_factor::confirm(&state, &actor, &body.code).await?))
}

/// New recovery codes in place of the old ones, which stop working. Needs the password and a
/// current code (a recovery code is spent).
#[utoipa::path(tag = "me", request_body = PasswordAndCode, responses((status = 200, body = RecoveryCodes)))]
#[post("/me/two-factor/recovery-codes")]
pub async fn new_recovery_codes(
    state: State,
    actor: Actor,
    body: Body<PasswordAndCode>,
) -> ApiResult<web::Json<RecoveryCodes>> {
    body.validate()?;
    Ok(web::Json(two_factor::new_codes(&state, &actor, &body).await?))
}

/// Turn two-factor sign-in off. Needs the password and a current code; 409 while the caller's
/// role requires it.
#[utoipa::path(tag = "me", request_body = PasswordAndCode, responses((status = 204, description = "Turned off")))]
#[post("/me/two-factor/disable")]
pub async fn disable_two_factor(state: State, actor: Actor, body: Body<PasswordAndCode>) -> ApiResult<HttpResponse> {
    body.validate()?;
    two_factor::disable(&state, &actor, &body).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Reset a user's two-factor sign-in (their phone is lost, and their recovery codes with it):
/// they sign in with their password alone and, where their role requires it, enrol again.
/// Every device of theirs is signed out. Needs `users.manage` and at least the permissions
/// they hold; not for the caller's own.
#[utoipa::path(tag = "users", params(("id" = Uuid, Path)), responses((status = 204, description = "Reset")))]
#[post("/users/{id}/two-factor/reset")]
pub async fn reset_two_factor(state: State, actor: Actor, id: web::Path<Uuid>) -> ApiResult<HttpResponse> {
    Change::run(&state, Some(&actor), async |c| two_factor::reset(c, &actor, *id).await).await?;
    Ok(HttpResponse::NoContent().finish())
}

pub fn config(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(get_two_factor)
        .service(setup_two_factor)
        .service(confirm_two_factor)
        .service(new_recovery_codes)
        .service(disable_two_factor)
        .service(reset_two_factor);
}
