//! Durable background jobs: a row per job with a time to run, leased by one worker at a time
//! (a conditional update, as for the outbox), so a job survives restarts and runs once even
//! with several instances. Recurring work (reminders, digests) is planned by a job that plans
//! the next one; `dedupe_key` makes "once per stage" a unique constraint.
use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, Set, sea_query::OnConflict};
use uuid::Uuid;

use super::lease;
use crate::entities::job;

pub const RELEASE_REPLY: &str = "reply.release";
pub const TICK: &str = "schedule.tick";
pub const REMIND_OVERDUE: &str = "invoice.remind";
pub const WEEKLY_SUMMARY: &str = "digest.weekly";
pub const REMIND_FEEDBACK: &str = "review.remind";
pub const FEEDBACK_DIGEST: &str = "review.digest";
/// A periodic satisfaction survey for one client user (`user_id`, `period`).
pub const SURVEY: &str = "survey.periodic";
/// Removes stored file contents under `prefix` once the rows naming them are gone.
pub const DELETE_OBJECTS: &str = "storage.delete";

/// Schedules a job; with a `dedupe_key` already used, does nothing and returns false. Safe
/// inside a transaction: a duplicate is skipped by the insert itself (`ON CONFLICT DO
/// NOTHING`), not by a failed statement, which on PostgreSQL would abort the transaction.
pub async fn schedule(
    db: &impl ConnectionTrait,
    kind: &str,
    payload: serde_json::Value,
    run_at: DateTime<Utc>,
    dedupe_key: Option<String>,
) -> Result<bool, sea_orm::DbErr> {
    let row = job::ActiveModel {
        id: Set(Uuid::now_v7()),
        kind: Set(kind.into()),
        payload: Set(payload),
        run_at: Set(run_at),
        status: Set(job::PENDING.into()),
        attempts: Set(0),
        locked_until: Set(None),
        last_error: Set(None),
        dedupe_key: Set(dedupe_key),
        created_at: Set(Utc::now()),
        done_at: Set(None),
    };
    let inserted = job::Entity::insert(row)
        .on_conflict(OnConflict::column(job::Column::DedupeKey).do_nothing().to_owned())
        .exec_without_returning(db)
        .await?;
    Ok(inserted > 0)
}

const MAX_ATTEMPTS: i32 = 5;

pub const COLS: lease::Columns<job::Column> = lease::Columns {
    id: job::Column::Id,
    status: job::Column::Status,
    due: job::Column::RunAt,
    locked_until: job::Column::LockedUntil,
};

/// Takes a lease on up to 20 due jobs.
pub async fn claim_due(
    db: &DatabaseConnection,
    lease: chrono::Duration,
) -> Result<Vec<lease::Held<job::Model>>, sea_orm::DbErr> {
    lease::claim_due::<job::Entity>(db, &COLS, job::PENDING, sea_orm::Condition::all(), 20, lease).await
}

/// Records how a claimed job went — done, or failed and retried later (30 s, doubling), or
/// given up after the last attempt — while this worker still holds it.
pub async fn record_outcome(
    db: &DatabaseConnection,
    held: &lease::Held<job::Model>,
    result: anyhow::Result<()>,
) -> bool {
    let j = &held.row;
    let mut active: job::ActiveModel = j.clone().into();
    active.attempts = Set(j.attempts + 1);
    active.locked_until = Set(None);
    match result {
        Ok(()) => {
            active.status = Set(job::DONE.into());
            active.done_at = Set(Some(Utc::now()));
        }
        Err(e) => {
            tracing::warn!(job = %j.id, kind = %j.kind, error = %e, "job failed");
            active.last_error = Set(Some(e.to_string()));
            if j.attempts + 1 >= MAX_ATTEMPTS {
                active.status = Set(job::FAILED.into());
            } else {
                active.run_at = Set(Utc::now() + chrono::Duration::seconds(30 << j.attempts.min(6)));
            }
        }
    }
    let still_held = held.condition(&COLS);
    lease::record_while_held(held.until, || async {
        job::Entity::update(active.clone()).validate()?.filter(still_held.clone()).exec(db).await.map(drop)
    })
    .await
}
