//! Passwords: the caller changing their own (and their name), and forgotten passwords — a
//! single-use link by e-mail, valid for an hour.
use chrono::Duration;
use secrecy::SecretString;

use super::{prelude::*, sessions, settings};
use crate::{
    auth::{
        actor::PersonOnly,
        password::{self, Verified},
    },
    entities::{
        enums::{Language, UserStatus},
        one_time_token::PASSWORD_RESET,
        user,
    },
    services::{
        access, messages,
        throttle::{self, Limit},
    },
};

#[derive(Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct UpdateMeRequest {
    #[schema(min_length = 1, max_length = 200)]
    #[validate(length(min = 1, max = 200))]
    pub name: Option<String>,
    /// Required to change the password.
    #[schema(value_type = Option<String>, format = Password)]
    pub current_password: Option<SecretString>,
    #[schema(value_type = Option<String>, format = Password, min_length = 8, max_length = 128)]
    pub new_password: Option<SecretString>,
    /// The language of their portal and e-mails; `null`: automatic (the browser's in the
    /// portal, the agency's in e-mails). Absent: unchanged.
    #[serde(default, deserialize_with = "crate::domain::patch_field")]
    #[schema(value_type = Option<Language>)]
    pub language: Option<Option<Language>>,
}

fn invalid_reset() -> ApiError {
    ApiError::BadRequest(crate::problem!("password-reset-link-invalid"))
}

/// Throttles the public endpoints (reset, confirm, accept) per source address.
pub async fn throttle_public(state: &AppState, addr: &str) -> ApiResult<()> {
    let limit = Limit {
        max: state.settings.public_max_requests_per_address,
        window: Duration::seconds(state.settings.throttle_window_secs),
    };
    let key = format!("public:addr:{addr}");
    throttle::reserve(&state.db, &key, limit).await?;
    Ok(())
}

/// Checks that `password` is `user`'s (422 on `field` when not), limited like a login: a stolen
/// access token must not become a password oracle.
pub async fn confirm_password(
    state: &AppState,
    user: &user::Model,
    password: &SecretString,
    field: &str,
) -> ApiResult<()> {
    let key = format!("password:user:{}", user.id);
    throttle::reserve(&state.db, &key, Limit::per_account(&state.settings)).await?;
    if let Verified::No = state.passwords.verify(password, user.password_hash.clone()).await? {
        return Err(ApiError::field(field, crate::problem!("password-not-current")));
    }
    throttle::clear(&state.db, &key).await?;
    Ok(())
}

/// The caller renames themselves or changes their password (which needs the current one and
/// signs out every other session). `first` runs first in the change (a conditional write's
/// check).
pub async fn update_me(
    state: &AppState,
    actor: &Actor,
    body: UpdateMeRequest,
    first: impl AsyncFnOnce(&mut Change<'_>) -> ApiResult<()>,
) -> ApiResult<user::Model> {
    actor.require_person(PersonOnly::ChangeProfile)?;
    let user = user::Entity::find_by_id(actor.user_id).one(&state.db).await?.ok_or(ApiError::NotFound)?;
    let mut active = user.clone().into_active_model();
    if let Some(name) = &body.name {
        active.name = Set(name.trim().to_owned());
    }
    if let Some(language) = body.language {
        active.language = Set(language);
    }
    let mut password_changed = false;
    if let Some(new_password) = &body.new_password {
        let Some(current) = &body.current_password else {
            return Err(ApiError::field("current_password", crate::problem!("password-current-required")));
        };
        password::check_policy(new_password).map_err(|m| ApiError::field("new_password", m))?;
        confirm_password(state, &user, current, "current_password").await?;
        active.password_hash = Set(Some(state.passwords.hash(new_password).await?));
        password_changed = true;
    }
    active.updated_at = Set(Utc::now());
    let mut change = Change::begin(state, Some(actor)).await?;
    first(&mut change).await?;
    let user = active.update(change.db()).await?;
    if password_changed {
        // Every other login ends; the one the change was made in stays (its access token
        // ends with the epoch, and its refresh token gets a new one), as the profile says.
        sessions::end_all_but(&mut change, user.id, actor.session_id).await?;
        // A reset link asked for before the change would undo it.
        access::revoke_open(change.db(), PASSWORD_RESET, user.id).await?;
        change.audit(Entry::new("password.changed", "user", Some(user.id), user.client_id)).await?;
    }
    change.authz_changed(Some(user.id));
    change.commit().await?;
    Ok(user)
}

/// Sends a reset link to `email` if it has an active account. Per account, silently: a flood
/// of requests for one person sends them a few e-mails, not hundreds, and the caller's answer
/// never changes.
pub async fn request_reset(state: &AppState, email: &str) -> ApiResult<()> {
    let email = email.trim().to_lowercase();
    let key = format!("reset:account:{email}");
    let limit = Limit { max: 3, window: Duration::seconds(state.settings.throttle_window_secs) };
    if let Err(e) = throttle::reserve(&state.db, &key, limit).await {
        return if matches!(e, ApiError::TooManyRequests { .. }) { Ok(()) } else { Err(e) };
    }
    let Some(user) = user::Entity::find().filter(user::Column::Email.eq(&email)).one(&state.db).await? else {
        return Ok(());
    };
    if user.status != UserStatus::Active {
        return Ok(());
    }
    let mut change = Change::begin(state, None).await?;
    let minutes = state.settings.password_reset_ttl_minutes;
    let issued = access::issue(change.db(), PASSWORD_RESET, user.id, None, None, Duration::minutes(minutes)).await?;
    let brand = settings::load(change.db()).await?;
    let link = format!("{}/reset-password#token={}", state.settings.public_url.trim_end_matches('/'), issued.token);
    let email = messages::password_reset(&brand, &messages::To::user(&brand, &user), &link, minutes);
    change.mail(email, Source::user(user.id), None).await?;
    change.commit().await?;
    Ok(())
}

/// Sets a new password with a reset token and signs the account out everywhere.
pub async fn confirm_reset(state: &AppState, token: &str, new_password: &SecretString) -> ApiResult<()> {
    password::check_policy(new_password).map_err(|m| ApiError::field("password", m))?;
    // A token that could not be spent costs no argon2 work.
    access::live(&state.db, PASSWORD_RESET, token, invalid_reset).await?;
    let hash = state.passwords.hash(new_password).await?;
    let mut change = Change::begin(state, None).await?;
    let token = access::redeem(change.db(), PASSWORD_RESET, token, invalid_reset).await?;
    let user = user::Entity::find_by_id(token.user_id).one(change.db()).await?.ok_or_else(invalid_reset)?;
    if user.status != UserStatus::Active {
        return Err(invalid_reset());
    }
    let mut active = user.clone().into_active_model();
    active.password_hash = Set(Some(hash));
    active.updated_at = Set(Utc::now());
    active.update(change.db()).await?;
    sessions::end_all_for_user(&mut change, user.id).await?;
    access::revoke_open(change.db(), PASSWORD_RESET, user.id).await?;
    change.audit(Entry::new("password.reset", "user", Some(user.id), user.client_id)).await?;
    change.commit().await?;
    Ok(())
}
