//! Throttling of unauthenticated endpoints: fixed-window counters kept in the database, so
//! every instance sees the same counts and a restart forgets nothing. A window that has passed
//! starts afresh: there is no permanent lockout.
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

/// 429 with `Retry-After` when `key` has used up `limit` in its current window.
pub async fn check(db: &impl ConnectionTrait, key: &str, limit: Limit) -> Result<(), ApiError> {
    let now = Utc::now();
    if let Some(row) = throttle::Entity::find_by_id(key.to_owned()).one(db).await? {
        let ends = row.window_start + limit.window;
        if ends > now && row.count >= limit.max {
            return Err(ApiError::TooManyRequests { retry_after_secs: Ord::max((ends - now).num_seconds(), 1) as u64 });
        }
    }
    Ok(())
}

/// Counts one event against `key`.
pub async fn hit(db: &impl ConnectionTrait, key: &str, limit: Limit) -> Result<(), sea_orm::DbErr> {
    let now: DateTime<Utc> = Utc::now();
    let cutoff = now - limit.window;
    throttle::Entity::insert(throttle::ActiveModel { key: Set(key.to_owned()), window_start: Set(now), count: Set(0) })
        .on_conflict(OnConflict::column(throttle::Column::Key).do_nothing().to_owned())
        .exec_without_returning(db)
        .await?;
    let expired = Expr::col(throttle::Column::WindowStart).lt(cutoff);
    throttle::Entity::update_many()
        .col_expr(
            throttle::Column::Count,
            Expr::case(expired.clone(), 1).finally(Expr::col(throttle::Column::Count).add(1)).into(),
        )
        .col_expr(
            throttle::Column::WindowStart,
            Expr::case(expired, now).finally(Expr::col(throttle::Column::WindowStart)).into(),
        )
        .filter(throttle::Column::Key.eq(key))
        .exec(db)
        .await?;
    Ok(())
}

/// Forgets `key` (after a successful login, the account's failures no longer count).
pub async fn clear(db: &impl ConnectionTrait, key: &str) -> Result<(), sea_orm::DbErr> {
    throttle::Entity::delete_by_id(key.to_owned()).exec(db).await?;
    Ok(())
}
