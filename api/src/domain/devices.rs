//! A user's signed-in devices: each login (a refresh-token family) with when it began and was
//! last used, from which address and browser. A user lists theirs and ends any one of them, or
//! every one but the device in hand; an admin ends all of someone's.
//!
//! Ending a login revokes its refresh tokens and moves the user's session epoch on, so access
//! tokens already out stop at once, as a logout does; the logins that stand refresh into new
//! ones without their users noticing.
use sea_orm::PaginatorTrait;

use super::{prelude::*, sessions};
use crate::{
    auth::actor::{PersonOnly, Personal},
    entities::user_session,
};

/// The device behind a login, as the request that made or refreshed it told: the caller's
/// address and `User-Agent`. For the user to recognise their devices by; nothing is decided by
/// either.
#[derive(Debug, Clone, Default)]
pub struct Device {
    pub address: Option<String>,
    pub user_agent: Option<String>,
}

#[derive(Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ListSessionsQuery {
    /// Logins per page, 1–200 (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u64>,
    pub cursor: Option<String>,
}

/// One signed-in device.
#[derive(Serialize, ToSchema)]
pub struct SessionResponse {
    pub id: Uuid,
    /// When the user signed in on it.
    pub created_at: chrono::DateTime<Utc>,
    /// Its latest sign-in or refresh: the app refreshes while it is open.
    pub last_used_at: chrono::DateTime<Utc>,
    /// When it signs out by itself unless used before.
    pub expires_at: chrono::DateTime<Utc>,
    /// The address it was last used from.
    pub address: Option<String>,
    /// The browser's own description of itself (`User-Agent`).
    pub user_agent: Option<String>,
    /// The login this request was made in.
    pub current: bool,
}

impl SessionResponse {
    fn new(row: user_session::Model, current: Option<Uuid>) -> Self {
        Self {
            current: current == Some(row.id),
            id: row.id,
            created_at: row.created_at,
            last_used_at: row.last_used_at,
            expires_at: row.expires_at,
            address: row.address,
            user_agent: row.user_agent,
        }
    }
}

/// Records a sign-in or refresh of login `family_id` (its row is made on first sight, so
/// logins older than the table appear at their next refresh).
pub(super) async fn touch(
    db: &impl ConnectionTrait,
    user_id: Uuid,
    family_id: Uuid,
    started: chrono::DateTime<Utc>,
    expires_at: chrono::DateTime<Utc>,
    device: &Device,
) -> Result<(), sea_orm::DbErr> {
    use sea_orm::sea_query::OnConflict;
    use user_session::Column as C;
    let now = Utc::now();
    let row = user_session::ActiveModel {
        id: Set(family_id),
        user_id: Set(user_id),
        created_at: Set(started),
        last_used_at: Set(now),
        expires_at: Set(expires_at),
        address: Set(device.address.clone()),
        user_agent: Set(device.user_agent.clone()),
        ended_at: Set(None),
    };
    // One statement: a new login's row, or a refresh of a known one (its start stays).
    let refresh =
        OnConflict::column(C::Id).update_columns([C::LastUsedAt, C::ExpiresAt, C::Address, C::UserAgent]).to_owned();
    user_session::Entity::insert(row).on_conflict(refresh).exec_without_returning(db).await?;
    Ok(())
}

/// Which logins end.
pub(super) enum Which {
    Login(Uuid),
    AllOf(Uuid),
    /// Every login of the user but the one kept.
    AllBut(Uuid, Uuid),
}

/// Marks logins ended (their refresh tokens are the caller's to revoke).
pub(super) async fn ended(db: &impl ConnectionTrait, which: Which) -> Result<(), sea_orm::DbErr> {
    let rows = user_session::Entity::update_many()
        .col_expr(user_session::Column::EndedAt, sea_orm::sea_query::Expr::value(Utc::now()))
        .filter(user_session::Column::EndedAt.is_null());
    let rows = match which {
        Which::Login(id) => rows.filter(user_session::Column::Id.eq(id)),
        Which::AllOf(user_id) => rows.filter(user_session::Column::UserId.eq(user_id)),
        Which::AllBut(user_id, keep) => {
            rows.filter(user_session::Column::UserId.eq(user_id)).filter(user_session::Column::Id.ne(keep))
        }
    };
    rows.exec(db).await?;
    Ok(())
}

const SORT: Sort<user_session::Entity> = Sort {
    name: "-last_used_at",
    col: user_session::Column::LastUsedAt,
    desc: true,
    nullable: false,
    key: |s| Key::Time(s.last_used_at),
};

/// The logins of `user_id` that stand (not ended, not run out), most recently used first.
async fn standing(
    db: &impl ConnectionTrait,
    user_id: Uuid,
    current: Option<Uuid>,
    cursor: Option<&str>,
    limit: u64,
) -> ApiResult<Page<SessionResponse>> {
    let select = user_session::Entity::find()
        .filter(user_session::Column::UserId.eq(user_id))
        .filter(user_session::Column::EndedAt.is_null())
        .filter(user_session::Column::ExpiresAt.gt(Utc::now()));
    let page = pagination::fetch_page(db, select, &SORT, user_session::Column::Id, cursor, limit).await?;
    Ok(page.map(|row| SessionResponse::new(row, current)))
}

/// Someone's devices are theirs: a View-as session (staff looking through a client's eyes)
/// is not shown them, nor can it end them.
fn own(actor: &Actor) -> ApiResult<()> {
    actor.require_own(Personal::Devices)
}

/// The caller's signed-in devices.
pub async fn mine(
    db: &impl ConnectionTrait,
    actor: &Actor,
    cursor: Option<&str>,
    limit: u64,
) -> ApiResult<Page<SessionResponse>> {
    own(actor)?;
    standing(db, actor.user_id, actor.session_id, cursor, limit).await
}

/// Ends one of the caller's logins (404 for one that is not theirs, has ended or has run out).
/// Ending the current one is signing out here.
pub async fn end_mine(change: &mut Change<'_>, actor: &Actor, id: Uuid) -> ApiResult<()> {
    own(actor)?;
    // The user's row first (the epoch's update locks it, as a refresh does before it claims):
    // what is read below is what no refresh or sign-in can change until this commits, and of
    // two requests ending the same login the second finds it ended.
    sessions::next_epoch(change, actor.user_id).await?;
    let row = user_session::Entity::find_by_id(id)
        .filter(user_session::Column::UserId.eq(actor.user_id))
        .filter(user_session::Column::EndedAt.is_null())
        .filter(user_session::Column::ExpiresAt.gt(Utc::now()))
        .one(change.db())
        .await?
        .ok_or(ApiError::NotFound)?;
    sessions::revoke_family(change.db(), row.id).await?;
    let entry = Entry::new("session.ended", "user", Some(actor.user_id), actor.client_id);
    change.audit(entry.details(serde_json::json!({"session_id": row.id, "address": row.address}))).await?;
    Ok(())
}

/// Ends every login of the caller's but the one this request was made in, answering how many
/// of those they could see were ended. Every refresh token of the user's outside this login
/// is revoked, listed or not (a login older than the list has no row until its next refresh).
pub async fn end_my_others(change: &mut Change<'_>, actor: &Actor) -> ApiResult<u64> {
    own(actor)?;
    let Some(current) = actor.session_id else {
        // A token from before logins were named: which one to keep is unknown.
        return Err(ApiError::Conflict(crate::problem!("device-sign-in-too-old")));
    };
    sessions::next_epoch(change, actor.user_id).await?;
    let now = Utc::now();
    let standing = user_session::Entity::find()
        .filter(user_session::Column::UserId.eq(actor.user_id))
        .filter(user_session::Column::EndedAt.is_null())
        .filter(user_session::Column::ExpiresAt.gt(now))
        .filter(user_session::Column::Id.ne(current))
        .count(change.db())
        .await?;
    sessions::revoke_all_but(change.db(), actor.user_id, current).await?;
    let entry = Entry::new("session.ended_others", "user", Some(actor.user_id), actor.client_id);
    change.audit(entry.details(serde_json::json!({"ended": standing}))).await?;
    Ok(standing)
}

/// A key with `users.manage` manages others' logins, never its own maker's: those are the
/// maker's as a person (`own`).
fn not_the_keys_maker(actor: &Actor, user: &crate::entities::user::Model) -> ApiResult<()> {
    if user.id == actor.user_id { actor.require_person(PersonOnly::SeeDevices) } else { Ok(()) }
}

/// Someone's signed-in devices, for an admin.
pub async fn of_user(
    db: &impl ConnectionTrait,
    actor: &Actor,
    user_id: Uuid,
    cursor: Option<&str>,
    limit: u64,
) -> ApiResult<Page<SessionResponse>> {
    let user = super::users::managed(db, actor, user_id).await?;
    not_the_keys_maker(actor, &user)?;
    standing(db, user.id, None, cursor, limit).await
}

/// Signs someone out everywhere (an admin's: a lost laptop, a leaver), audited.
pub async fn end_all_of_user(change: &mut Change<'_>, actor: &Actor, user_id: Uuid) -> ApiResult<()> {
    let user = super::users::managed(change.db(), actor, user_id).await?;
    not_the_keys_maker(actor, &user)?;
    sessions::end_all_for_user(change, user.id).await?;
    change.audit(Entry::new("user.signed_out_everywhere", "user", Some(user.id), user.client_id)).await?;
    Ok(())
}
