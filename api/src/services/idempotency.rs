//! The record of each `Idempotency-Key`: claimed when its first request begins, completed with
//! that request's answer, kept a day (`KEPT_HOURS`), forgotten by the scheduler after.
use chrono::{DateTime, Duration, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set, sea_query::Expr};

use crate::entities::idempotency_key;

/// How long a key's first answer is replayed.
pub const KEPT_HOURS: i64 = 24;
/// A claim whose request has not answered in this long was abandoned (its instance stopped).
const ABANDONED_AFTER_MINUTES: i64 = 10;

/// What a key already stands for.
pub enum Found {
    /// Nothing (or only what has expired or was abandoned): the request may run.
    Nothing,
    /// A request with this key is still being answered.
    UnderWay,
    /// The first answer, for a request whose hash was this.
    Answered(idempotency_key::Model),
}

pub async fn find(db: &impl ConnectionTrait, id: &str, now: DateTime<Utc>) -> Result<Found, sea_orm::DbErr> {
    let Some(row) = idempotency_key::Entity::find_by_id(id.to_owned()).one(db).await? else {
        return Ok(Found::Nothing);
    };
    let found = match row.completed_at {
        Some(_) if row.created_at > now - Duration::hours(KEPT_HOURS) => Found::Answered(row),
        None if row.created_at > now - Duration::minutes(ABANDONED_AFTER_MINUTES) => Found::UnderWay,
        _ => {
            idempotency_key::Entity::delete_by_id(id.to_owned()).exec(db).await?;
            Found::Nothing
        }
    };
    Ok(found)
}

/// Claims the key for a request about to run, as `claim`: `false` when another request claimed
/// it first.
pub async fn claim(
    db: &impl ConnectionTrait,
    id: &str,
    claim: &str,
    now: DateTime<Utc>,
) -> Result<bool, sea_orm::DbErr> {
    let row = idempotency_key::ActiveModel {
        id: Set(id.to_owned()),
        claim: Set(claim.to_owned()),
        request_hash: Set(None),
        hashed_bytes: Set(None),
        status: Set(None),
        content_type: Set(None),
        location: Set(None),
        body: Set(None),
        created_at: Set(now),
        completed_at: Set(None),
    };
    let inserted = idempotency_key::Entity::insert(row)
        .on_conflict(sea_orm::sea_query::OnConflict::column(idempotency_key::Column::Id).do_nothing().to_owned())
        .exec_without_returning(db)
        .await?;
    Ok(inserted == 1)
}

/// The answer to keep for the claimed key.
pub struct Answer {
    pub request_hash: String,
    pub hashed_bytes: Option<i64>,
    pub status: u16,
    pub content_type: Option<String>,
    pub location: Option<String>,
    pub body: Vec<u8>,
}

pub async fn complete(db: &impl ConnectionTrait, id: &str, claim: &str, answer: Answer) -> Result<(), sea_orm::DbErr> {
    idempotency_key::Entity::update_many()
        .col_expr(idempotency_key::Column::RequestHash, Expr::value(answer.request_hash))
        .col_expr(idempotency_key::Column::HashedBytes, Expr::value(answer.hashed_bytes))
        .col_expr(idempotency_key::Column::Status, Expr::value(i32::from(answer.status)))
        .col_expr(idempotency_key::Column::ContentType, Expr::value(answer.content_type))
        .col_expr(idempotency_key::Column::Location, Expr::value(answer.location))
        .col_expr(idempotency_key::Column::Body, Expr::value(answer.body))
        .col_expr(idempotency_key::Column::CompletedAt, Expr::value(Utc::now()))
        .filter(idempotency_key::Column::Id.eq(id))
        .filter(idempotency_key::Column::Claim.eq(claim))
        .exec(db)
        .await?;
    Ok(())
}

/// Gives the key up: its request failed, so a retry runs afresh.
pub async fn release(db: &impl ConnectionTrait, id: &str, claim: &str) -> Result<(), sea_orm::DbErr> {
    idempotency_key::Entity::delete_many()
        .filter(idempotency_key::Column::Id.eq(id))
        .filter(idempotency_key::Column::Claim.eq(claim))
        .filter(idempotency_key::Column::CompletedAt.is_null())
        .exec(db)
        .await?;
    Ok(())
}

/// Forgets keys whose day is over.
pub async fn prune(db: &impl ConnectionTrait, now: DateTime<Utc>) -> Result<u64, sea_orm::DbErr> {
    let before = now - Duration::hours(KEPT_HOURS);
    let gone =
        idempotency_key::Entity::delete_many().filter(idempotency_key::Column::CreatedAt.lt(before)).exec(db).await?;
    Ok(gone.rows_affected)
}
