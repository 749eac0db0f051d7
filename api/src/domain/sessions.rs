//! Sessions: logging in, refresh-token rotation, logging out, View as. An access token is a
//! short-lived JWT; a refresh token is opaque, stored hashed, single use, and belongs to a
//! family (one login) that is revoked as a whole when a used token comes back.
use chrono::Duration;
use sea_orm::{
    QuerySelect,
    sea_query::{Expr, ExprTrait},
};
use secrecy::SecretString;

pub use super::devices::Device;
use super::{devices, prelude::*, two_factor};
use crate::{
    auth::{
        authz::UserAuthz,
        jwt::{ActClaim, Claims},
        password::Verified,
        tokens,
    },
    entities::{
        enums::{Language, RoleKind, UserStatus},
        one_time_token::{self, STREAM_TICKET, VIEW_AS},
        refresh_token, user,
    },
    services::{
        access,
        throttle::{self, Limit},
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
    /// Whether they sign in with a second factor.
    pub two_factor_enabled: bool,
    /// Whether their role requires it; while it is required and not enabled, the user may do
    /// nothing but enrol (`/me/two-factor`).
    pub two_factor_required: bool,
    /// When their profile last changed (a new name, a new password), so an `If-Match` of an
    /// older read is refused.
    pub updated_at: chrono::DateTime<Utc>,
    /// When their previous visit ended (none on a first visit, nor for a key): what changed
    /// after it is "since your last visit" (`GET /activity?since=…`). View-as shows the person's.
    #[serde(serialize_with = "crate::timefmt::opt_utc")]
    pub last_visit_at: Option<chrono::DateTime<Utc>>,
    /// The language they chose; `null`: automatic (the browser's, else the agency's).
    pub language: Option<Language>,
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
            two_factor_enabled: authz.two_factor_enrolled,
            two_factor_required: authz.two_factor_required,
            updated_at: user.updated_at,
            last_visit_at: user.previous_visit_at,
            language: user.language,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct TokenResponse {
    pub access_token: String,
    /// Always `Bearer`.
    pub token_type: &'static str,
    /// Seconds until the access token expires.
    pub expires_in: i64,
    /// Single use: each refresh returns a new one and retires this one. Absent when the
    /// request asked for the browser session (`X-Portico-Session: cookie`): it is then in
    /// the `portico_refresh` cookie, out of reach of the page's scripts.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refresh_token: Option<String>,
    /// Seconds until the refresh token expires: the idle timeout, or less near the session's
    /// absolute end.
    pub refresh_expires_in: i64,
    pub user: MeResponse,
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

fn bad_credentials() -> ApiError {
    ApiError::Unauthorized(crate::problem!("signin-credentials-wrong"))
}

pub fn refused_refresh() -> ApiError {
    ApiError::Unauthorized(crate::problem!("signin-refresh-refused"))
}

/// Logs in with e-mail and password from `addr`. Failed attempts are limited per source
/// address and per account from that address (refused past the limit); across all addresses an
/// account's failures only slow its logins down, so a stranger elsewhere cannot lock the right
/// password out. Unknown, invited and deactivated accounts get the same answer after the same
/// argon2id work as a wrong password.
pub async fn login(
    state: &AppState,
    addr: &str,
    device: &Device,
    email: &str,
    password: &SecretString,
    code: Option<&str>,
) -> ApiResult<TokenResponse> {
    let email = email.trim().to_lowercase();
    let s = &state.settings;
    let window = Duration::seconds(s.throttle_window_secs);
    // The e-mail is the caller's text: hashed, so no choice of it can name another key.
    let account = tokens::hash(&email);
    let address = (format!("login:addr:{addr}"), Limit { max: s.login_max_failures_per_address, window });
    let here = (format!("login:here:{account}:{addr}"), Limit::per_account(s));
    let everywhere = format!("login:anywhere:{account}");
    // Reserved before argon2 runs, so a parallel burst gets no more evaluations than the limits.
    throttle::reserve(&state.db, &address.0, address.1).await?;
    if let Err(refused) = throttle::reserve(&state.db, &here.0, here.1).await {
        throttle::refund(&state.db, &address.0).await?;
        return Err(refused);
    }
    // A turn lost to pacing still counts against the address: contending for turns costs an
    // attacker's addresses their budgets, so they cannot crowd the owner out for free.
    if throttle::tally(&state.db, &everywhere, window).await? > s.login_slow_after_failures {
        pace(state, &account).await?;
    }
    let found = user::Entity::find().filter(user::Column::Email.eq(&email)).one(&state.db).await?;
    let stored = found.as_ref().filter(|u| u.status == UserStatus::Active).and_then(|u| u.password_hash.clone());
    let verified = state.passwords.verify(password, stored).await?;
    let (user, needs_rehash) = match (found, verified) {
        (Some(u), Verified::Yes { needs_rehash }) if u.status == UserStatus::Active => (u, needs_rehash),
        (found, _) => {
            let mut change = Change::begin(state, None).await?;
            let entry =
                Entry::new("login.failed", "user", found.as_ref().map(|u| u.id), found.and_then(|u| u.client_id));
            change.audit(entry.details(serde_json::json!({"email": email, "address": addr}))).await?;
            change.commit().await?;
            return Err(bad_credentials());
        }
    };
    let factor = if user.totp_enabled_at.is_some() {
        let Some(code) = code.map(str::trim).filter(|c| !c.is_empty()) else {
            // The password was right: no failure to count, and the code comes next.
            for key in [&here.0, &address.0, &everywhere] {
                throttle::refund(&state.db, key).await?;
            }
            return Err(ApiError::TwoFactorRequired);
        };
        // A wrong code is a failed attempt like a wrong password: its reservations stand.
        let Some(factor) = two_factor::verify(state, &user, code).await? else {
            let mut change = Change::begin(state, None).await?;
            let entry = Entry::new("login.failed", "user", Some(user.id), user.client_id);
            let details = serde_json::json!({"email": email, "address": addr, "reason": "two_factor"});
            change.audit(entry.details(details)).await?;
            change.commit().await?;
            return Err(ApiError::Unauthorized(crate::problem!("signin-two-factor-wrong")));
        };
        Some(factor)
    } else {
        None
    };
    throttle::clear(&state.db, &here.0).await?;
    throttle::clear(&state.db, &everywhere).await?;
    throttle::refund(&state.db, &address.0).await?;
    // Hashed before the change begins: no transaction waits on argon2.
    let rehashed = if needs_rehash { Some(state.passwords.hash(password).await?) } else { None };
    let mut change = Change::begin(state, None).await?;
    let mut active = user.clone().into_active_model();
    active.last_login_at = Set(Some(change.now()));
    if let Some(hash) = rehashed {
        active.password_hash = Set(Some(hash));
    }
    active.update(change.db()).await?;
    let entry = Entry::new("login", "user", Some(user.id), user.client_id);
    let second = match factor {
        Some(two_factor::Factor::Authenticator) => "authenticator",
        Some(two_factor::Factor::RecoveryCode) => "recovery_code",
        None => "none",
    };
    change.audit(entry.details(serde_json::json!({"second_factor": second}))).await?;
    if factor == Some(two_factor::Factor::RecoveryCode) {
        two_factor::tell(&mut change, &user, "security-recovery-used").await?;
    }
    super::adoption::signed_in(&change, &user).await?;
    let response = issue(&mut change, &user, Uuid::now_v7(), Utc::now(), device).await?;
    change.commit().await?;
    Ok(response)
}

/// An account under attack from many addresses: one evaluation per interval, whoever asks. A
/// caller whose turn is taken waits for the next one once, then is told when to try again.
async fn pace(state: &AppState, account: &str) -> ApiResult<()> {
    let interval = Duration::seconds(state.settings.login_slow_interval_secs);
    let turn = Limit { max: 1, window: interval };
    let key = format!("login:pace:{account}");
    match throttle::reserve(&state.db, &key, turn).await {
        Err(ApiError::TooManyRequests { retry_after_secs }) => {
            tokio::time::sleep(std::time::Duration::from_secs(retry_after_secs)).await;
            throttle::reserve(&state.db, &key, turn).await
        }
        other => other,
    }
}

/// Exchanges a refresh token for a new pair. A token presented twice revokes its whole login:
/// someone else holds a copy.
pub async fn refresh(state: &AppState, refresh_token: &str, device: &Device) -> ApiResult<TokenResponse> {
    let token = refresh_token::Entity::find()
        .filter(refresh_token::Column::TokenHash.eq(tokens::hash(refresh_token)))
        .one(&state.db)
        .await?
        .ok_or_else(refused_refresh)?;
    let now = Utc::now();
    if token.revoked_at.is_some() || token.expires_at <= now {
        return Err(refused_refresh());
    }
    let started = token.session_started_at.unwrap_or(token.created_at);
    if started + Duration::days(state.settings.refresh_token_ttl_days) <= now {
        return Err(refused_refresh());
    }
    let mut change = Change::begin(state, None).await?;
    // The user's row first: a session ending at the same moment (`end_all_for_user`) holds it
    // while it revokes, so this refresh either comes after and finds its token revoked, or
    // before, and its new token is there to be revoked.
    let user =
        user::Entity::find_by_id(token.user_id).lock_exclusive().one(change.db()).await?.ok_or_else(refused_refresh)?;
    // Claim the token atomically: of two concurrent uses only one can flip `used_at`.
    let claimed = refresh_token::Entity::update_many()
        .col_expr(refresh_token::Column::UsedAt, Expr::value(now))
        .filter(refresh_token::Column::Id.eq(token.id))
        .filter(refresh_token::Column::UsedAt.is_null())
        .filter(refresh_token::Column::RevokedAt.is_null())
        .filter(refresh_token::Column::ExpiresAt.gt(now))
        .exec(change.db())
        .await?;
    if claimed.rows_affected != 1 {
        drop(change);
        let change = Change::begin(state, None).await?;
        revoke_family(change.db(), token.family_id).await?;
        change.commit().await?;
        tracing::warn!(user_id = %token.user_id, "refresh token reuse detected; login revoked");
        return Err(refused_refresh());
    }
    if user.status != UserStatus::Active {
        return Err(refused_refresh());
    }
    let response = issue(&mut change, &user, token.family_id, started, device).await?;
    change.commit().await?;
    Ok(response)
}

/// Logs out: revokes the refresh token's whole login, and ends the user's access tokens at once
/// (other devices' logins stay, and get fresh access tokens on their next refresh). Unknown
/// tokens get the same answer.
pub async fn logout(state: &AppState, refresh_token: &str) -> ApiResult<()> {
    let found = refresh_token::Entity::find()
        .filter(refresh_token::Column::TokenHash.eq(tokens::hash(refresh_token)))
        .one(&state.db)
        .await?;
    if let Some(token) = found {
        let mut change = Change::begin(state, None).await?;
        next_epoch(&mut change, token.user_id).await?;
        revoke_family(change.db(), token.family_id).await?;
        change.commit().await?;
    }
    Ok(())
}

/// Ends one login: its refresh tokens are revoked and its row in the user's devices ended.
pub(super) async fn revoke_family(db: &impl ConnectionTrait, family_id: Uuid) -> Result<(), sea_orm::DbErr> {
    refresh_token::Entity::update_many()
        .col_expr(refresh_token::Column::RevokedAt, Expr::value(Utc::now()))
        .filter(refresh_token::Column::FamilyId.eq(family_id))
        .filter(refresh_token::Column::RevokedAt.is_null())
        .exec(db)
        .await?;
    devices::ended(db, devices::Which::Login(family_id)).await
}

/// Ends every login of `user_id` but `keep`: their refresh tokens are revoked (whether or not
/// the login has a row in the devices list yet) and their rows ended. The caller moves the
/// epoch on first.
pub(super) async fn revoke_all_but(db: &impl ConnectionTrait, user_id: Uuid, keep: Uuid) -> Result<(), sea_orm::DbErr> {
    refresh_token::Entity::update_many()
        .col_expr(refresh_token::Column::RevokedAt, Expr::value(Utc::now()))
        .filter(refresh_token::Column::UserId.eq(user_id))
        .filter(refresh_token::Column::FamilyId.ne(keep))
        .filter(refresh_token::Column::RevokedAt.is_null())
        .exec(db)
        .await?;
    devices::ended(db, devices::Which::AllBut(user_id, keep)).await
}

/// Ends every session of a user at once (password change, reset, deactivation): every refresh
/// token is revoked and the session epoch moves on, so access tokens already out — and open
/// event streams — stop working on their next use, not when they expire.
pub async fn end_all_for_user(change: &mut Change<'_>, user_id: Uuid) -> Result<(), sea_orm::DbErr> {
    // The epoch first: its update locks the user's row, which a refresh takes before it claims
    // (see `refresh`), so no token is minted behind this revocation's back.
    next_epoch(change, user_id).await?;
    refresh_token::Entity::update_many()
        .col_expr(refresh_token::Column::RevokedAt, Expr::value(Utc::now()))
        .filter(refresh_token::Column::UserId.eq(user_id))
        .filter(refresh_token::Column::RevokedAt.is_null())
        .exec(change.db())
        .await?;
    devices::ended(change.db(), devices::Which::AllOf(user_id)).await
}

/// Ends every session of a user but the login `keep` (the caller's own, when they change how
/// they sign in): with none to keep, every one ends.
pub async fn end_all_but(change: &mut Change<'_>, user_id: Uuid, keep: Option<Uuid>) -> Result<(), sea_orm::DbErr> {
    match keep {
        Some(current) => {
            next_epoch(change, user_id).await?;
            revoke_all_but(change.db(), user_id, current).await
        }
        None => end_all_for_user(change, user_id).await,
    }
}

/// Moves the user's session epoch on: access tokens issued before are refused from now on,
/// and so are stream tickets not yet redeemed (a stream would start in the new epoch).
pub(super) async fn next_epoch(change: &mut Change<'_>, user_id: Uuid) -> Result<(), sea_orm::DbErr> {
    user::Entity::update_many()
        .col_expr(user::Column::SessionEpoch, Expr::col(user::Column::SessionEpoch).add(1))
        .filter(user::Column::Id.eq(user_id))
        .exec(change.db())
        .await?;
    access::revoke_open(change.db(), STREAM_TICKET, user_id).await?;
    change.authz_changed(Some(user_id));
    Ok(())
}

fn access_claims(
    state: &AppState,
    user: &user::Model,
    authz: &UserAuthz,
    act: Option<ActClaim>,
    sid: Option<Uuid>,
) -> Claims {
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
        epoch: authz.session_epoch,
        act,
        sid,
    }
}

/// Issues an access token and a new refresh token in `family_id` for `user`, as part of
/// `change` (a login, a refresh, an accepted invitation). The refresh token lasts the idle
/// timeout, but never past the session's absolute end, counted from `started`.
pub async fn issue(
    change: &mut Change<'_>,
    user: &user::Model,
    family_id: Uuid,
    started: chrono::DateTime<Utc>,
    device: &Device,
) -> ApiResult<TokenResponse> {
    let state = change.state();
    state.authz.invalidate_user(user.id);
    let authz = state.authz.get(change.db(), user.id).await?.ok_or(ApiError::NotFound)?;
    let now = Utc::now();
    let s = &state.settings;
    let idle = match authz.kind {
        RoleKind::Staff => Duration::hours(s.staff_session_idle_hours),
        RoleKind::Client => Duration::hours(s.client_session_idle_hours),
    };
    let expires_at = Ord::min(now + idle, started + Duration::days(s.refresh_token_ttl_days));
    let access_token = state.jwt.issue(&access_claims(state, user, &authz, None, Some(family_id)))?;
    let refresh_plain = tokens::generate();
    refresh_token::ActiveModel {
        id: Set(Uuid::now_v7()),
        user_id: Set(user.id),
        family_id: Set(family_id),
        token_hash: Set(tokens::hash(&refresh_plain)),
        expires_at: Set(expires_at),
        used_at: Set(None),
        revoked_at: Set(None),
        created_at: Set(now),
        session_started_at: Set(Some(started)),
    }
    .insert(change.db())
    .await?;
    devices::touch(change.db(), user.id, family_id, started, expires_at, device).await?;
    Ok(TokenResponse {
        access_token,
        token_type: "Bearer",
        expires_in: state.jwt.ttl_secs,
        refresh_token: Some(refresh_plain),
        refresh_expires_in: (expires_at - now).num_seconds(),
        user: MeResponse::new(user, &authz, None),
    })
}

/// View the portal as the client user `target`: a read-only access token acting as them (no
/// refresh token; it is not their login). Audited.
pub async fn impersonate(state: &AppState, actor: &Actor, target: Uuid) -> ApiResult<ImpersonationResponse> {
    actor.require(Perm::Impersonate)?;
    let target = user::Entity::find_by_id(target).one(&state.db).await?.ok_or(ApiError::NotFound)?;
    let authz = state.authz.get(&state.db, target.id).await?.ok_or(ApiError::NotFound)?;
    if authz.kind != RoleKind::Client {
        return Err(ApiError::field("user_id", crate::problem!("signin-view-as-client-only")));
    }
    if target.status != UserStatus::Active {
        return Err(ApiError::field("user_id", crate::problem!("signin-view-as-not-active")));
    }
    let access_token = state.jwt.issue(&access_claims(
        state,
        &target,
        &authz,
        Some(ActClaim { sub: actor.user_id, epoch: actor.epochs.user }),
        None,
    ))?;
    let mut change = Change::begin(state, Some(actor)).await?;
    // The session's row: its tokens work while it stands, so "Stop viewing as" ends them on
    // the server too, and no copy of the token outlives it.
    let ttl = Duration::seconds(state.jwt.ttl_secs);
    access::issue_another(change.db(), VIEW_AS, target.id, None, Some(actor.user_id), ttl).await?;
    let entry = Entry::new("impersonation.started", "user", Some(target.id), target.client_id);
    change.audit(entry.details(serde_json::json!({"email": target.email}))).await?;
    change.commit().await?;
    Ok(ImpersonationResponse {
        access_token,
        token_type: "Bearer",
        expires_in: state.jwt.ttl_secs,
        user: MeResponse::new(&target, &authz, Some(actor.user_id)),
    })
}

/// Ends the caller's View-as session ("Stop viewing as"): every token of the staff member's
/// View-as of this user stops working at once, open streams and download links included.
/// Audited. 409 for a caller who is not viewing as anyone.
pub async fn end_view_as(state: &AppState, actor: &Actor) -> ApiResult<()> {
    let Some(viewer) = actor.viewed_by else {
        return Err(ApiError::Conflict(crate::problem!("signin-view-as-none")));
    };
    let mut change = Change::begin(state, Some(actor)).await?;
    one_time_token::Entity::update_many()
        .col_expr(one_time_token::Column::RevokedAt, Expr::value(Utc::now()))
        .filter(one_time_token::Column::Purpose.eq(VIEW_AS))
        .filter(one_time_token::Column::UserId.eq(actor.user_id))
        .filter(one_time_token::Column::CreatedBy.eq(viewer))
        .filter(one_time_token::Column::RevokedAt.is_null())
        .exec(change.db())
        .await?;
    change.authz_changed(Some(actor.user_id));
    change.audit(Entry::new("impersonation.ended", "user", Some(actor.user_id), actor.client_id)).await?;
    change.commit().await?;
    Ok(())
}

/// The caller's own profile as `GET /me` shows it.
pub async fn me(state: &AppState, actor: &Actor) -> ApiResult<MeResponse> {
    me_on(&state.db, state, actor).await
}

/// `me`, read through `db` (a change's transaction).
pub async fn me_on(db: &impl ConnectionTrait, state: &AppState, actor: &Actor) -> ApiResult<MeResponse> {
    let user = user::Entity::find_by_id(actor.user_id).one(db).await?.ok_or(ApiError::NotFound)?;
    let authz = state.authz.get(db, actor.user_id).await?.ok_or(ApiError::NotFound)?;
    Ok(MeResponse::new(&user, &authz, actor.viewed_by))
}

/// How long what a finished login leaves behind is kept: enough to look back on a recent
/// incident, then forgotten.
pub const KEPT_AFTER_THE_END_DAYS: i64 = 30;

/// Forgets what can no longer be used: refresh tokens past their expiry (a replay of one is
/// refused for being expired, so reuse detection does not need it), signed-in devices ended
/// or run out, and single-use links past their expiry — each once it has been over for
/// `KEPT_AFTER_THE_END_DAYS`. Run by the scheduler's tick; answers how many rows went.
pub async fn prune(db: &impl ConnectionTrait, now: chrono::DateTime<Utc>) -> Result<u64, sea_orm::DbErr> {
    use crate::entities::{one_time_token, user_session};
    let before = now - Duration::days(KEPT_AFTER_THE_END_DAYS);
    let tokens =
        refresh_token::Entity::delete_many().filter(refresh_token::Column::ExpiresAt.lt(before)).exec(db).await?;
    // Two statements, each a range of its own index: every tick runs them.
    let ended = user_session::Entity::delete_many().filter(user_session::Column::EndedAt.lt(before)).exec(db).await?;
    let ran_out =
        user_session::Entity::delete_many().filter(user_session::Column::ExpiresAt.lt(before)).exec(db).await?;
    let links =
        one_time_token::Entity::delete_many().filter(one_time_token::Column::ExpiresAt.lt(before)).exec(db).await?;
    Ok(tokens.rows_affected + ended.rows_affected + ran_out.rows_affected + links.rows_affected)
}
