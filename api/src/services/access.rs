//! Single-use tokens for invitations and password resets: random, stored only as a hash,
//! expiring, and spent atomically so two requests cannot both use one.
use chrono::{DateTime, Duration, Utc};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set, sea_query::Expr};
use uuid::Uuid;

use crate::{auth::tokens, entities::one_time_token, error::ApiError};

pub struct Issued {
    pub token: String,
    pub expires_at: DateTime<Utc>,
}

/// Issues a new token for `purpose`; earlier unspent tokens of the same purpose and user stop
/// working.
pub async fn issue(
    db: &impl ConnectionTrait,
    purpose: &str,
    user_id: Uuid,
    contact_id: Option<Uuid>,
    created_by: Option<Uuid>,
    ttl: Duration,
) -> Result<Issued, sea_orm::DbErr> {
    revoke_open(db, purpose, user_id).await?;
    issue_another(db, purpose, user_id, contact_id, created_by, ttl).await
}

/// Issues a token for `purpose` beside those the user already holds (one per open tab, say).
pub async fn issue_another(
    db: &impl ConnectionTrait,
    purpose: &str,
    user_id: Uuid,
    contact_id: Option<Uuid>,
    created_by: Option<Uuid>,
    ttl: Duration,
) -> Result<Issued, sea_orm::DbErr> {
    insert(db, purpose, user_id, contact_id, created_by, None, ttl).await
}

/// A ticket beside those the user holds, for a View-as (`viewed_by`) or an API key (`key`)
/// session when the request was one: what it opens is held to that.
pub async fn issue_ticket(
    db: &impl ConnectionTrait,
    purpose: &str,
    user_id: Uuid,
    viewed_by: Option<Uuid>,
    key: Option<Uuid>,
    ttl: Duration,
) -> Result<Issued, sea_orm::DbErr> {
    insert(db, purpose, user_id, None, viewed_by, key, ttl).await
}

async fn insert(
    db: &impl ConnectionTrait,
    purpose: &str,
    user_id: Uuid,
    contact_id: Option<Uuid>,
    created_by: Option<Uuid>,
    api_key_id: Option<Uuid>,
    ttl: Duration,
) -> Result<Issued, sea_orm::DbErr> {
    let token = tokens::generate();
    let now = Utc::now();
    let expires_at = now + ttl;
    one_time_token::ActiveModel {
        id: Set(Uuid::now_v7()),
        purpose: Set(purpose.into()),
        user_id: Set(user_id),
        contact_id: Set(contact_id),
        token_hash: Set(tokens::hash(&token)),
        expires_at: Set(expires_at),
        used_at: Set(None),
        revoked_at: Set(None),
        created_by: Set(created_by),
        api_key_id: Set(api_key_id),
        created_at: Set(now),
    }
    .insert(db)
    .await?;
    Ok(Issued { token, expires_at })
}

/// Makes every unspent token of `purpose` for `user_id` unusable; returns how many there were.
pub async fn revoke_open(db: &impl ConnectionTrait, purpose: &str, user_id: Uuid) -> Result<u64, sea_orm::DbErr> {
    let res = one_time_token::Entity::update_many()
        .col_expr(one_time_token::Column::RevokedAt, Expr::value(Utc::now()))
        .filter(one_time_token::Column::Purpose.eq(purpose))
        .filter(one_time_token::Column::UserId.eq(user_id))
        .filter(one_time_token::Column::UsedAt.is_null())
        .filter(one_time_token::Column::RevokedAt.is_null())
        .exec(db)
        .await?;
    Ok(res.rows_affected)
}

/// The token if it could be spent now, without spending it: checked before any expensive work
/// (hashing a new password) is done for whoever presents it. Unknown, expired, used and
/// revoked tokens all get `invalid`.
pub async fn live(
    db: &impl ConnectionTrait,
    purpose: &str,
    token: &str,
    invalid: impl Fn() -> ApiError,
) -> Result<one_time_token::Model, ApiError> {
    let now = Utc::now();
    one_time_token::Entity::find()
        .filter(one_time_token::Column::TokenHash.eq(tokens::hash(token)))
        .filter(one_time_token::Column::Purpose.eq(purpose))
        .one(db)
        .await?
        .filter(|t| t.used_at.is_none() && t.revoked_at.is_none() && t.expires_at > now)
        .ok_or_else(invalid)
}

/// Spends `token`: unknown, expired, used and revoked tokens all get `invalid`, so nothing
/// tells them apart.
pub async fn redeem(
    db: &impl ConnectionTrait,
    purpose: &str,
    token: &str,
    invalid: impl Fn() -> ApiError,
) -> Result<one_time_token::Model, ApiError> {
    let now = Utc::now();
    let found = live(db, purpose, token, &invalid).await?;
    let spent = one_time_token::Entity::update_many()
        .col_expr(one_time_token::Column::UsedAt, Expr::value(now))
        .filter(one_time_token::Column::Id.eq(found.id))
        .filter(one_time_token::Column::UsedAt.is_null())
        .filter(one_time_token::Column::RevokedAt.is_null())
        .exec(db)
        .await?;
    if spent.rows_affected != 1 {
        return Err(invalid());
    }
    Ok(found)
}
