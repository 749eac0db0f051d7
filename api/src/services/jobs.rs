//! Durable background jobs: a row per job with a time to run, leased by one worker at a time
//! (a conditional update, as for the outbox), so a job survives restarts and runs once even
//! with several instances. Recurring work (reminders, digests) is planned by a job that plans
//! the next one; `dedupe_key` makes "once per stage" a unique constraint.
use std::{sync::Arc, time::Duration};

use chrono::{DateTime, Utc};
use sea_orm::{ActiveModelTrait, ConnectionTrait, DatabaseConnection, Set, SqlErr};
use uuid::Uuid;

use super::lease;
use crate::{entities::job, startup::AppState};

pub const RELEASE_REPLY: &str = "reply.release";
pub const TICK: &str = "schedule.tick";
pub const REMIND_OVERDUE: &str = "invoice.remind";
pub const WEEKLY_SUMMARY: &str = "digest.weekly";

/// Schedules a job; with a `dedupe_key` already used, does nothing (and returns false).
pub async fn schedule(
    db: &impl ConnectionTrait,
    kind: &str,
    payload: serde_json::Value,
    run_at: DateTime<Utc>,
    dedupe_key: Option<String>,
) -> Result<bool, sea_orm::DbErr> {
    let res = job::ActiveModel {
        id: Set(Uuid::now_v7()),
        kind: Set(kind.into()),
        payload: Set(payload.to_string()),
        run_at: Set(run_at),
        status: Set(job::PENDING.into()),
        attempts: Set(0),
        locked_until: Set(None),
        last_error: Set(None),
        dedupe_key: Set(dedupe_key),
        created_at: Set(Utc::now()),
        done_at: Set(None),
    }
    .insert(db)
    .await;
    match res {
        Ok(_) => Ok(true),
        Err(e) if matches!(e.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) => Ok(false),
        Err(e) => Err(e),
    }
}

const LEASE: chrono::Duration = chrono::Duration::seconds(120);
const MAX_ATTEMPTS: i32 = 5;

async fn claim_due(db: &DatabaseConnection) -> Result<Vec<job::Model>, sea_orm::DbErr> {
    let cols = lease::Columns {
        id: job::Column::Id,
        status: job::Column::Status,
        due: job::Column::RunAt,
        locked_until: job::Column::LockedUntil,
    };
    lease::claim_due::<job::Entity>(db, &cols, job::PENDING, 20, LEASE).await
}

/// Runs due jobs every `poll` (and at once when woken).
pub fn spawn_worker(state: Arc<AppState>, poll: Duration) {
    tokio::spawn(async move {
        loop {
            match claim_due(&state.db).await {
                Ok(jobs) => {
                    for j in jobs {
                        let result = run(&state, &j).await;
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
                                    active.run_at =
                                        Set(Utc::now() + chrono::Duration::seconds(30 << j.attempts.min(6)));
                                }
                            }
                        }
                        if let Err(e) = active.update(&state.db).await {
                            tracing::error!(error = %e, "could not record a job's outcome");
                        }
                    }
                }
                Err(e) => tracing::error!(error = %e, "job worker could not claim jobs"),
            }
            tokio::time::sleep(poll).await;
        }
    });
}

async fn run(state: &AppState, j: &job::Model) -> anyhow::Result<()> {
    let payload: serde_json::Value = serde_json::from_str(&j.payload)?;
    match j.kind.as_str() {
        RELEASE_REPLY => {
            let id: Uuid = serde_json::from_value(payload["comment_id"].clone())?;
            crate::services::notify::release_reply(state, id).await
        }
        TICK => crate::services::scheduler::tick(state).await,
        REMIND_OVERDUE => {
            let id: Uuid = serde_json::from_value(payload["invoice_id"].clone())?;
            crate::services::scheduler::remind_overdue(state, id, payload["stage"].as_i64().unwrap_or(0)).await
        }
        WEEKLY_SUMMARY => {
            let id: Uuid = serde_json::from_value(payload["user_id"].clone())?;
            crate::services::scheduler::weekly_summary(state, id).await
        }
        other => anyhow::bail!("unknown job kind {other}"),
    }
}
