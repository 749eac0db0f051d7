//! The background workers of an instance (`PORTICO_BACKGROUND_WORKERS`): the e-mail outbox,
//! webhook deliveries, and the durable job runner, whose jobs are domain operations (releasing
//! a staff Reply after its undo window, reminders, summaries) and the scheduler's tick, which
//! plans the next tick first, so a failure cannot stop the schedule, and forgets logins and
//! single-use links long over.
use std::{sync::Arc, time::Duration};

use chrono::Utc;
use serde_json::json;
use uuid::Uuid;

use crate::{
    domain::{Change, automations, comments, sessions},
    entities::job,
    services::{
        jobs::{
            self, DELETE_OBJECTS, FEEDBACK_DIGEST, RELEASE_REPLY, REMIND_FEEDBACK, REMIND_OVERDUE, SURVEY, TICK,
            WEEKLY_SUMMARY,
        },
        targets, webhooks,
    },
    state::AppState,
};

/// Starts every worker of this instance.
pub fn spawn(state: Arc<AppState>) {
    let planner = state.clone();
    tokio::spawn(async move {
        if let Err(e) = start_schedule(&planner).await {
            tracing::error!(error = %e, "could not start the scheduler");
        }
    });
    spawn_job_runner(state.clone(), Duration::from_secs(1));
    let retry = Duration::from_secs(state.settings.webhook_retry_base_secs.max(1));
    let timeout = Duration::from_secs(state.settings.webhook_timeout_secs.max(1));
    let s = &state.settings;
    let targets = targets::Policy { allow_private: s.webhook_allow_private_targets, allow_http: s.webhook_allow_http };
    webhooks::spawn_worker(state.db.clone(), Duration::from_secs(1), retry, timeout, s.worker_lease(), targets);
    state.mailer.clone().spawn_worker(state.db.clone());
    if state.settings.imap_host.is_some() {
        tokio::spawn(read_mailbox(state.clone()));
    }
}

/// Replies by e-mail: reads the reply mailbox every `PORTICO_IMAP_POLL_SECS` while the instance
/// runs, each message posted (or refused) by `domain::inbound`.
async fn read_mailbox(state: Arc<AppState>) {
    use crate::{
        domain::inbound,
        services::mailbox::{self, Incoming},
    };
    let every = Duration::from_secs(state.settings.imap_poll_secs.max(1));
    loop {
        let handled = mailbox::poll_once(&state.settings, |incoming| {
            let state = state.clone();
            async move {
                let outcome = match incoming {
                    Incoming::Message(raw) => inbound::receive(&state, &raw).await?,
                    Incoming::TooLarge { key } => inbound::too_large(&state, &key).await?,
                };
                tracing::info!(?outcome, "read a message of the reply mailbox");
                Ok(())
            }
        })
        .await;
        if let Err(e) = handled {
            tracing::warn!(error = %e, "could not read the reply mailbox");
        }
        tokio::time::sleep(every).await;
    }
}

/// Plans the first tick of the current slot (a no-op if another instance already did).
async fn start_schedule(state: &AppState) -> anyhow::Result<()> {
    let interval = state.settings.scheduler_interval_secs.max(1);
    let slot = Utc::now().timestamp() / interval;
    let mut change = Change::begin(state, None).await?;
    change.schedule(TICK, json!({}), Utc::now(), Some(format!("tick:{slot}"))).await?;
    Ok(change.commit().await?)
}

async fn tick(state: &AppState) -> anyhow::Result<()> {
    let now = Utc::now();
    let interval = state.settings.scheduler_interval_secs.max(1);
    let next_slot = now.timestamp() / interval + 1;
    let at = chrono::DateTime::from_timestamp(next_slot * interval, 0).unwrap_or(now);
    let mut change = Change::begin(state, None).await?;
    change.schedule(TICK, json!({}), at, Some(format!("tick:{next_slot}"))).await?;
    change.commit().await?;
    let forgotten = sessions::prune(&state.db, now).await?;
    if forgotten > 0 {
        tracing::info!(rows = forgotten, "forgot logins and links long over");
    }
    if let Err(err) = crate::services::idempotency::prune(&state.db, now).await {
        tracing::warn!(error = %err, "could not forget Idempotency-Keys over a day old");
    }
    Ok(automations::plan(state).await?)
}

/// Runs due jobs every `poll`.
fn spawn_job_runner(state: Arc<AppState>, poll: Duration) {
    tokio::spawn(async move {
        let lease = state.settings.worker_lease();
        loop {
            match jobs::claim_due(&state.db, lease).await {
                Ok(due) => {
                    for mut held in due {
                        match held.renew(&state.db, &jobs::COLS, lease).await {
                            Ok(true) => {}
                            // Another instance has it now, or the database is away: not ours to run.
                            Ok(false) | Err(_) => continue,
                        }
                        let result = run(&state, &held.row).await;
                        jobs::record_outcome(&state.db, &held, result).await;
                    }
                }
                Err(e) => tracing::warn!(error = %e, "job worker could not claim jobs"),
            }
            tokio::time::sleep(poll).await;
        }
    });
}

fn id(payload: &serde_json::Value, key: &str) -> anyhow::Result<Uuid> {
    Ok(serde_json::from_value(payload[key].clone())?)
}

async fn run(state: &AppState, j: &job::Model) -> anyhow::Result<()> {
    let p = &j.payload;
    match j.kind.as_str() {
        RELEASE_REPLY => Ok(comments::release(state, id(p, "comment_id")?).await?),
        TICK => tick(state).await,
        REMIND_OVERDUE => {
            let stage = p["stage"].as_i64().ok_or_else(|| anyhow::anyhow!("a reminder names its stage"))?;
            Ok(automations::remind_invoice(state, id(p, "invoice_id")?, stage).await?)
        }
        WEEKLY_SUMMARY => Ok(automations::weekly_summary(state, id(p, "user_id")?).await?),
        REMIND_FEEDBACK => Ok(automations::remind_feedback(state, id(p, "review_id")?).await?),
        FEEDBACK_DIGEST => Ok(automations::feedback_digest(state, id(p, "user_id")?).await?),
        SURVEY => {
            let period = p["period"].as_i64().ok_or_else(|| anyhow::anyhow!("a survey names its period"))?;
            Ok(crate::domain::surveys::periodic(state, id(p, "user_id")?, period).await?)
        }
        DELETE_OBJECTS => {
            let prefix = p["prefix"].as_str().ok_or_else(|| anyhow::anyhow!("a deletion names its prefix"))?;
            state.storage.delete_all(prefix).await?;
            Ok(())
        }
        other => anyhow::bail!("unknown job kind {other}"),
    }
}
