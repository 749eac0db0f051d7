//! Throttling: fixed-window counters kept in the database, so every instance sees the same
//! counts and a restart forgets nothing. A window that has passed starts afresh: there is no
//! permanent lockout.
//!
//! An attempt is **reserved before it is made** (`reserve`): one statement counts it and answers
//! whether it is still within the limit, so a burst of any size, on any number of instances,
//! gets at most `max` attempts through per window — reading the count first and writing it after
//! the (slow) attempt would let a whole burst through. An attempt that turns out not to count
//! (a successful login, for the address's failures) is given back with `refund`.
use chrono::{DateTime, Duration, Utc};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set,
    sea_query::{Expr, ExprTrait, OnConflict},
};

use crate::{entities::throttle, error::ApiError};

#[derive(Clone, Copy)]
pub struct Limit {
    pub max: i32,
    pub window: Duration,
}

impl Limit {
    /// One account's tries at a secret (a password, a second factor) per throttle window.
    pub fn per_account(settings: &crate::config::Settings) -> Self {
        Limit { max: settings.login_max_failures_per_account, window: Duration::seconds(settings.throttle_window_secs) }
    }
}

/// Counts one attempt against `key`; 429 with `Retry-After` when it is over `limit` in the
/// current window (it is counted all the same: refused attempts do not reopen the window).
pub async fn reserve(db: &impl ConnectionTrait, key: &str, limit: Limit) -> Result<(), ApiError> {
    match spend(db, key, limit).await? {
        (_, true) => Ok(()),
        (quota, false) => Err(ApiError::TooManyRequests { retry_after_secs: quota.reset_secs as u64 }),
    }
}

/// Where a caller stands against a limit after one more request: what the IETF `RateLimit` and
/// `RateLimit-Policy` headers say (draft-ietf-httpapi-ratelimit-headers).
#[derive(Clone, Copy, Debug)]
pub struct Quota {
    pub limit: i32,
    pub window_secs: i64,
    pub remaining: i32,
    /// Seconds until the window starts afresh.
    pub reset_secs: i64,
}

impl Quota {
    /// `RateLimit-Policy`: the quota and its window.
    pub fn policy(&self) -> String {
        format!("\"per-key\";q={};w={}", self.limit, self.window_secs)
    }

    /// `RateLimit`: what is left of it and when it is whole again.
    pub fn state(&self) -> String {
        format!("\"per-key\";r={};t={}", self.remaining, self.reset_secs)
    }
}

/// Counts one request against `key` and answers where it stands: over `limit`, a 429 with
/// `Retry-After` (the quota comes back either way, so the answer can say so).
pub async fn spend(db: &impl ConnectionTrait, key: &str, limit: Limit) -> Result<(Quota, bool), ApiError> {
    let now: DateTime<Utc> = Utc::now();
    let counted = count(db, key, limit.window, now).await?;
    let reset_secs = Ord::max((counted.window_start + limit.window - now).num_seconds(), 1);
    let quota = Quota {
        limit: limit.max,
        window_secs: limit.window.num_seconds(),
        remaining: Ord::max(limit.max - counted.count, 0),
        reset_secs,
    };
    Ok((quota, counted.count <= limit.max))
}

/// Counts one attempt against `key` and answers how many there have been in its window, this
/// one included (for limits that slow down instead of refusing).
pub async fn tally(db: &impl ConnectionTrait, key: &str, window: Duration) -> Result<i32, ApiError> {
    Ok(count(db, key, window, Utc::now()).await?.count)
}

async fn count(
    db: &impl ConnectionTrait,
    key: &str,
    window: Duration,
    now: DateTime<Utc>,
) -> Result<throttle::Model, sea_orm::DbErr> {
    let expired = Expr::col((throttle::Entity, throttle::Column::WindowStart)).lt(now - window);
    throttle::Entity::insert(throttle::ActiveModel { key: Set(key.to_owned()), window_start: Set(now), count: Set(1) })
        .on_conflict(
            OnConflict::column(throttle::Column::Key)
                .value(
                    throttle::Column::Count,
                    Expr::case(expired.clone(), 1)
                        .finally(Expr::col((throttle::Entity, throttle::Column::Count)).add(1)),
                )
                .value(
                    throttle::Column::WindowStart,
                    Expr::case(expired, now).finally(Expr::col((throttle::Entity, throttle::Column::WindowStart))),
                )
                .to_owned(),
        )
        .exec_with_returning(db)
        .await
}

/// Gives back one attempt reserved against `key`.
pub async fn refund(db: &impl ConnectionTrait, key: &str) -> Result<(), sea_orm::DbErr> {
    throttle::Entity::update_many()
        .col_expr(throttle::Column::Count, Expr::col(throttle::Column::Count).sub(1))
        .filter(throttle::Column::Key.eq(key))
        .filter(throttle::Column::Count.gt(0))
        .exec(db)
        .await?;
    Ok(())
}

/// Forgets `key` (after a successful login, the account's failures no longer count).
pub async fn clear(db: &impl ConnectionTrait, key: &str) -> Result<(), sea_orm::DbErr> {
    throttle::Entity::delete_by_id(key.to_owned()).exec(db).await?;
    Ok(())
}
