//! Two-factor sign-in: a TOTP authenticator (RFC 6238: SHA-1, 6 digits, 30-second steps, one
//! step of drift either way) that any user may enrol, ten single-use recovery codes shown once
//! and kept only as hashes, and roles that require it. A code is accepted once: the step it
//! was for is written down and no code of that step or an earlier one is taken again.
use chrono::Duration;
use rand::RngCore;
use sea_orm::{
    PaginatorTrait,
    sea_query::{Expr, ExprTrait},
};
use secrecy::SecretString;
use totp_rs::{Algorithm, Builder, Secret, Totp};

use super::{passwords, prelude::*, sessions, settings};
use crate::{
    auth::{actor::Personal, tokens},
    entities::{recovery_code, role, user},
    services::throttle::{self, Limit},
};

/// How many recovery codes a user is given at a time.
pub const RECOVERY_CODES: usize = 10;
/// How long an enrolment may wait for its confirming code.
const SETUP_MINUTES: i64 = 15;

#[derive(Serialize, ToSchema)]
pub struct TwoFactorStatus {
    /// Whether signing in asks for a code from an authenticator app.
    pub enabled: bool,
    pub enabled_at: Option<chrono::DateTime<Utc>>,
    /// Whether the user's role requires it (then it cannot be turned off, and until it is on
    /// the user may do nothing but enrol).
    pub required: bool,
    /// Recovery codes not yet used.
    pub recovery_codes_left: u64,
}

#[derive(Serialize, ToSchema)]
pub struct TwoFactorSetup {
    /// The shared secret in base32, for typing into an authenticator app by hand.
    pub secret: String,
    /// The `otpauth://totp/…` URI the QR code holds.
    pub otpauth_uri: String,
    /// The QR code of `otpauth_uri` as an SVG document, for scanning with the app.
    pub qr_svg: String,
    /// Seconds left to confirm the enrolment with a code.
    pub expires_in: i64,
}

#[derive(Serialize, ToSchema)]
pub struct RecoveryCodes {
    /// Each signs in once in place of an authenticator code. Shown only now: keep them safe.
    pub recovery_codes: Vec<String>,
}

#[derive(Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct PasswordConfirmation {
    /// The caller's current password.
    #[schema(value_type = String, format = Password)]
    pub password: SecretString,
}

#[derive(Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct PasswordAndCode {
    /// The caller's current password.
    #[schema(value_type = String, format = Password)]
    pub password: SecretString,
    /// A code from the authenticator app now, or one of the recovery codes (which it spends):
    /// a stolen session that also learnt the password must not be able to make its own way in.
    #[validate(length(min = 1, max = 64))]
    #[schema(min_length = 1, max_length = 64)]
    pub code: String,
}

#[derive(Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct ConfirmTwoFactorRequest {
    /// The 6-digit code the authenticator app shows now.
    #[validate(length(min = 6, max = 16))]
    #[schema(min_length = 6, max_length = 16, example = "123456")]
    pub code: String,
}

fn totp(secret: Vec<u8>, issuer: &str, account: &str) -> ApiResult<Totp> {
    // A colon separates issuer from account in the URI: neither may hold one.
    let clean = |s: &str| s.replace(':', " ").trim().to_owned();
    Builder::new()
        .with_algorithm(Algorithm::SHA1)
        .with_digits(6)
        .with_skew(1)
        .with_step_duration(30)
        .with_secret(secret)
        .with_issuer(Some(clean(issuer)).filter(|i| !i.is_empty()))
        .with_account_name(clean(account))
        .build()
        .map_err(|e| ApiError::Internal(anyhow::anyhow!("building a TOTP: {e}")))
}

fn decode(secret: &str) -> ApiResult<Vec<u8>> {
    Secret::try_from_base32(secret)
        .map(|s| s.as_bytes().to_vec())
        .map_err(|e| ApiError::Internal(anyhow::anyhow!("a stored TOTP secret does not decode: {e:?}")))
}

/// The step `code` is valid for now under `secret`, if it is.
fn step_of(secret: &str, code: &str) -> ApiResult<Option<u64>> {
    let digits: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    if digits.len() != 6 || !digits.chars().all(|c| c.is_ascii_digit()) {
        return Ok(None);
    }
    Ok(totp(decode(secret)?, "", "")?.check_current(&digits))
}

/// Writes down that a code of `step` was used, if no code of it or a later step was: false
/// when it had been (the same code sent twice, or a replay).
async fn spend_step(db: &impl ConnectionTrait, user_id: Uuid, step: u64) -> ApiResult<bool> {
    let step = i64::try_from(step).map_err(|_| ApiError::Internal(anyhow::anyhow!("a TOTP step out of range")))?;
    let done = user::Entity::update_many()
        .col_expr(user::Column::TotpLastStep, Expr::value(step))
        .filter(user::Column::Id.eq(user_id))
        .filter(user::Column::TotpLastStep.is_null().or(user::Column::TotpLastStep.lt(step)))
        .exec(db)
        .await?;
    Ok(done.rows_affected == 1)
}

fn normalised_recovery(code: &str) -> String {
    code.chars().filter(|c| c.is_ascii_alphanumeric()).map(|c| c.to_ascii_lowercase()).collect()
}

/// Spends one of `user_id`'s recovery codes, if `code` is one not used yet.
async fn spend_recovery(db: &impl ConnectionTrait, user_id: Uuid, code: &str) -> ApiResult<bool> {
    let done = recovery_code::Entity::update_many()
        .col_expr(recovery_code::Column::UsedAt, Expr::value(Utc::now()))
        .filter(recovery_code::Column::UserId.eq(user_id))
        .filter(recovery_code::Column::CodeHash.eq(tokens::hash(&normalised_recovery(code))))
        .filter(recovery_code::Column::UsedAt.is_null())
        .exec(db)
        .await?;
    Ok(done.rows_affected == 1)
}

/// Tells `user` by e-mail that `what` happened to their sign-in, as part of `change`.
pub async fn tell(change: &mut Change<'_>, user: &user::Model, what: &'static str) -> ApiResult<()> {
    let brand = settings::load(change.db()).await?;
    let link = format!("{}/profile", change.settings().public_url.trim_end_matches('/'));
    let email = crate::services::messages::security_notice(
        &brand,
        &crate::services::messages::To::user(&brand, user),
        what,
        &link,
    );
    change.mail(email, crate::services::events::Source::user(user.id), None).await?;
    Ok(())
}

/// How a sign-in's second factor was given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Factor {
    Authenticator,
    RecoveryCode,
}

/// Checks the second factor of `user` (who has one): an authenticator code not used before, or
/// an unused recovery code, which is spent. `None` when it is neither. Every try counts against
/// the user's own limit, whatever address it comes from (429 past it): six digits are too few
/// for the per-address limits of a login, and only someone who knows the password gets here,
/// so the limit locks no stranger's guesses onto the owner. Cleared by a right code.
pub async fn verify(state: &AppState, user: &user::Model, code: &str) -> ApiResult<Option<Factor>> {
    let Some(secret) = &user.totp_secret else { return Ok(None) };
    let key = limited(state, user.id).await?;
    let factor = match step_of(secret, code)? {
        Some(step) => spend_step(&state.db, user.id, step).await?.then_some(Factor::Authenticator),
        None => spend_recovery(&state.db, user.id, code).await?.then_some(Factor::RecoveryCode),
    };
    if factor.is_some() {
        throttle::clear(&state.db, &key).await?;
    }
    Ok(factor)
}

/// `verify` for a change to the second factor itself: 422 on `code` when it is not right.
async fn require_code(state: &AppState, user: &user::Model, code: &str) -> ApiResult<()> {
    match verify(state, user, code).await? {
        Some(_) => Ok(()),
        None => Err(ApiError::field("code", crate::problem!("two-factor-code-wrong"))),
    }
}

async fn required(db: &impl ConnectionTrait, user: &user::Model) -> ApiResult<bool> {
    let role = role::Entity::find_by_id(user.role_id).one(db).await?.ok_or(ApiError::NotFound)?;
    Ok(role.requires_two_factor)
}

async fn codes_left(db: &impl ConnectionTrait, user_id: Uuid) -> ApiResult<u64> {
    Ok(recovery_code::Entity::find()
        .filter(recovery_code::Column::UserId.eq(user_id))
        .filter(recovery_code::Column::UsedAt.is_null())
        .count(db)
        .await?)
}

async fn me(state: &AppState, actor: &Actor) -> ApiResult<user::Model> {
    actor.require_own(Personal::SecondFactor)?;
    user::Entity::find_by_id(actor.user_id).one(&state.db).await?.ok_or(ApiError::NotFound)
}

/// The caller's two-factor sign-in as it stands.
pub async fn status(state: &AppState, actor: &Actor) -> ApiResult<TwoFactorStatus> {
    let user = me(state, actor).await?;
    Ok(TwoFactorStatus {
        enabled: user.totp_enabled_at.is_some(),
        enabled_at: user.totp_enabled_at,
        required: required(&state.db, &user).await?,
        recovery_codes_left: codes_left(&state.db, user.id).await?,
    })
}

/// Begins an enrolment: a new secret, to be confirmed with a code from the app within
/// `SETUP_MINUTES`. Beginning again replaces one not confirmed. Needs the password: a stolen
/// access token must not be able to tie the account to someone else's phone.
pub async fn setup(state: &AppState, actor: &Actor, password: &SecretString) -> ApiResult<TwoFactorSetup> {
    let user = me(state, actor).await?;
    if user.totp_enabled_at.is_some() {
        return Err(ApiError::Conflict(crate::problem!("two-factor-already-on-setup")));
    }
    passwords::confirm_password(state, &user, password, "password").await?;
    // 160 bits, as RFC 4226 recommends.
    let mut bytes = vec![0u8; 20];
    rand::rng().fill_bytes(&mut bytes);
    let issuer = settings::load(&state.db).await?.agency_name;
    let otp = totp(bytes, &issuer, &user.email)?;
    let secret = otp.secret().to_base32();
    let uri = otp.to_url().map_err(|e| ApiError::Internal(anyhow::anyhow!("an otpauth URI: {e}")))?;
    let qr = qrcode::QrCode::new(uri.as_bytes()).map_err(|e| ApiError::Internal(anyhow::anyhow!("a QR code: {e}")))?;
    let qr_svg = qr.render::<qrcode::render::svg::Color>().min_dimensions(200, 200).build();
    let change = Change::begin(state, Some(actor)).await?;
    let begun = user::Entity::update_many()
        .col_expr(user::Column::TotpPendingSecret, Expr::value(secret.clone()))
        .col_expr(user::Column::TotpPendingAt, Expr::value(Utc::now()))
        .filter(user::Column::Id.eq(user.id))
        .filter(user::Column::TotpEnabledAt.is_null())
        .exec(change.db())
        .await?;
    if begun.rows_affected != 1 {
        return Err(ApiError::Conflict(crate::problem!("two-factor-turned-on-meanwhile")));
    }
    change.commit().await?;
    Ok(TwoFactorSetup { secret, otpauth_uri: uri, qr_svg, expires_in: SETUP_MINUTES * 60 })
}

/// A wrong code costs a try, limited like a password: six digits are few.
async fn limited(state: &AppState, user_id: Uuid) -> ApiResult<String> {
    let key = format!("two_factor:user:{user_id}");
    throttle::reserve(&state.db, &key, Limit::per_account(&state.settings)).await?;
    Ok(key)
}

/// Confirms an enrolment with a code from the app: two-factor sign-in is on, the recovery codes
/// are made (and shown only now), and every other login of the caller's ends, since none of
/// them gave a second factor. Audited.
pub async fn confirm(state: &AppState, actor: &Actor, code: &str) -> ApiResult<RecoveryCodes> {
    let user = me(state, actor).await?;
    if user.totp_enabled_at.is_some() {
        return Err(ApiError::Conflict(crate::problem!("two-factor-already-on")));
    }
    let pending = user
        .totp_pending_secret
        .clone()
        .filter(|_| user.totp_pending_at.is_some_and(|at| at + Duration::minutes(SETUP_MINUTES) > Utc::now()))
        .ok_or_else(|| ApiError::Conflict(crate::problem!("two-factor-no-setup")))?;
    let key = limited(state, user.id).await?;
    let Some(step) = step_of(&pending, code)? else {
        return Err(ApiError::field("code", crate::problem!("two-factor-setup-code-wrong")));
    };
    throttle::clear(&state.db, &key).await?;
    let mut change = Change::begin(state, Some(actor)).await?;
    // Only the set-up this code was checked against, and only while it is not on: of two
    // confirms, or a confirm and a new set-up, one wins and the other is told.
    let now = Utc::now();
    let enabled = user::Entity::update_many()
        .col_expr(user::Column::TotpSecret, Expr::value(pending.clone()))
        .col_expr(user::Column::TotpEnabledAt, Expr::value(now))
        .col_expr(user::Column::TotpLastStep, Expr::value(i64::try_from(step).ok()))
        .col_expr(user::Column::TotpPendingSecret, Expr::value(Option::<String>::None))
        .col_expr(user::Column::TotpPendingAt, Expr::value(Option::<chrono::DateTime<Utc>>::None))
        .col_expr(user::Column::UpdatedAt, Expr::value(now))
        .filter(user::Column::Id.eq(user.id))
        .filter(user::Column::TotpEnabledAt.is_null())
        .filter(user::Column::TotpPendingSecret.eq(pending))
        .exec(change.db())
        .await?;
    if enabled.rows_affected != 1 {
        return Err(ApiError::Conflict(crate::problem!("two-factor-setup-changed")));
    }
    let codes = replace_codes(change.db(), user.id).await?;
    sessions::end_all_but(&mut change, user.id, actor.session_id).await?;
    change.authz_changed(Some(user.id));
    change.audit(Entry::new("two_factor.enabled", "user", Some(user.id), user.client_id)).await?;
    tell(&mut change, &user, "security-two-factor-on").await?;
    change.commit().await?;
    Ok(RecoveryCodes { recovery_codes: codes })
}

/// Makes a new set of recovery codes for `user_id`, retiring the old ones.
async fn replace_codes(db: &impl ConnectionTrait, user_id: Uuid) -> ApiResult<Vec<String>> {
    recovery_code::Entity::delete_many().filter(recovery_code::Column::UserId.eq(user_id)).exec(db).await?;
    let now = Utc::now();
    let mut codes = Vec::with_capacity(RECOVERY_CODES);
    for _ in 0..RECOVERY_CODES {
        // 80 random bits as four groups of four base32 letters: a fast hash is enough.
        let mut bytes = [0u8; 10];
        rand::rng().fill_bytes(&mut bytes);
        let plain = base32::encode(base32::Alphabet::Rfc4648Lower { padding: false }, &bytes);
        let shown = plain.as_bytes().chunks(4).map(|c| String::from_utf8_lossy(c).into_owned()).collect::<Vec<_>>();
        recovery_code::ActiveModel {
            id: Set(Uuid::now_v7()),
            user_id: Set(user_id),
            code_hash: Set(tokens::hash(&plain)),
            used_at: Set(None),
            created_at: Set(now),
        }
        .insert(db)
        .await?;
        codes.push(shown.join("-"));
    }
    Ok(codes)
}

/// New recovery codes in place of the old (used up, or seen by someone else); needs the
/// password and a code. Audited.
pub async fn new_codes(state: &AppState, actor: &Actor, body: &PasswordAndCode) -> ApiResult<RecoveryCodes> {
    let user = me(state, actor).await?;
    if user.totp_enabled_at.is_none() {
        return Err(ApiError::Conflict(crate::problem!("two-factor-not-on-codes")));
    }
    passwords::confirm_password(state, &user, &body.password, "password").await?;
    require_code(state, &user, &body.code).await?;
    let mut change = Change::begin(state, Some(actor)).await?;
    let codes = replace_codes(change.db(), user.id).await?;
    change.audit(Entry::new("two_factor.recovery_codes_replaced", "user", Some(user.id), user.client_id)).await?;
    tell(&mut change, &user, "security-recovery-codes").await?;
    change.commit().await?;
    Ok(RecoveryCodes { recovery_codes: codes })
}

/// Clears `user`'s second factor: secret, step, enrolment under way, recovery codes.
async fn clear(change: &mut Change<'_>, user: user::Model) -> ApiResult<()> {
    let user_id = user.id;
    let mut active = user.into_active_model();
    active.totp_secret = Set(None);
    active.totp_enabled_at = Set(None);
    active.totp_last_step = Set(None);
    active.totp_pending_secret = Set(None);
    active.totp_pending_at = Set(None);
    active.updated_at = Set(Utc::now());
    active.update(change.db()).await?;
    recovery_code::Entity::delete_many().filter(recovery_code::Column::UserId.eq(user_id)).exec(change.db()).await?;
    change.authz_changed(Some(user_id));
    Ok(())
}

/// The caller turns two-factor sign-in off (not while their role requires it); needs the
/// password and a code. Audited.
pub async fn disable(state: &AppState, actor: &Actor, body: &PasswordAndCode) -> ApiResult<()> {
    let user = me(state, actor).await?;
    if user.totp_enabled_at.is_none() {
        return Err(ApiError::Conflict(crate::problem!("two-factor-not-on")));
    }
    if required(&state.db, &user).await? {
        return Err(ApiError::Conflict(crate::problem!("two-factor-role-requires")));
    }
    passwords::confirm_password(state, &user, &body.password, "password").await?;
    require_code(state, &user, &body.code).await?;
    let mut change = Change::begin(state, Some(actor)).await?;
    let entry = Entry::new("two_factor.disabled", "user", Some(user.id), user.client_id);
    tell(&mut change, &user, "security-two-factor-off").await?;
    clear(&mut change, user).await?;
    change.audit(entry).await?;
    change.commit().await?;
    Ok(())
}

/// An admin clears someone's second factor (their phone is lost with their recovery codes):
/// they sign in with their password alone, and enrol again where their role requires it.
/// Every login of theirs ends. Audited.
pub async fn reset(change: &mut Change<'_>, actor: &Actor, user_id: Uuid) -> ApiResult<()> {
    let user = super::users::managed(change.db(), actor, user_id).await?;
    actor.require(Perm::UsersManage)?;
    if user.id == actor.user_id {
        return Err(ApiError::Conflict(crate::problem!("two-factor-reset-own")));
    }
    let entry = Entry::new("two_factor.reset", "user", Some(user.id), user.client_id);
    let entry = entry.details(serde_json::json!({"email": user.email, "was_enabled": user.totp_enabled_at.is_some()}));
    sessions::end_all_for_user(change, user.id).await?;
    tell(change, &user, "security-two-factor-reset").await?;
    clear(change, user).await?;
    change.audit(entry).await?;
    Ok(())
}
