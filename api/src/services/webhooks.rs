//! Webhooks for integrators. Every event that a registered endpoint chose becomes a delivery
//! row, written in the transaction of the change that records the event; a worker POSTs it, signed, and
//! retries with backoff until it is accepted or gives up. Note events are their own kind
//! (`note.changed`), which an endpoint must choose explicitly and a client-scoped endpoint
//! cannot choose at all.
use std::{
    collections::HashSet,
    sync::{Arc, Mutex},
    time::Duration,
};

use chrono::Utc;
use hmac::{Hmac, KeyInit, Mac};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QuerySelect, Set,
};
use sha2::Sha256;
use uuid::Uuid;

use super::{events::Source, lease, targets};
use crate::{
    entities::{event, webhook_delivery, webhook_endpoint},
    i18n::{self, Language},
};

/// The event kinds an endpoint may subscribe to.
pub const KINDS: &[&str] = &[
    "task.created",
    "task.updated",
    "task.deleted",
    "comment.created",
    "comment.updated",
    "comment.deleted",
    "project.updated",
    "invoice.sent",
    "invoice.paid",
    "invoice.updated",
    "note.changed",
    "file.created",
    "file.version_added",
    "file.deleted",
    "review.requested",
    "review.decided",
    "review.cancelled",
];
pub const NOTE_KIND: &str = "note.changed";

/// What an event of `kind` tells, in the current request's language; empty for a kind Portico
/// does not send.
pub fn describe(kind: &str) -> String {
    let id = format!("webhook-event-{}", kind.replace(['.', '_'], "-"));
    if !KINDS.contains(&kind) || !i18n::has(Language::En, &id) {
        return String::new();
    }
    i18n::say(i18n::current(), &id, &[])
}
pub const SIGNATURE_HEADER: &str = "Portico-Signature";

/// `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>" keyed with the endpoint's secret>`.
pub fn sign(secret: &str, timestamp: i64, body: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC takes any key length");
    mac.update(format!("{timestamp}.{body}").as_bytes());
    format!("t={timestamp},v1={}", hex::encode(mac.finalize().into_bytes()))
}

/// The endpoints that receive deliveries: every active one.
pub async fn active_endpoints(db: &impl ConnectionTrait) -> Result<Vec<webhook_endpoint::Model>, sea_orm::DbErr> {
    webhook_endpoint::Entity::find().filter(webhook_endpoint::Column::Active.eq(true)).all(db).await
}

/// Creates a delivery of `ev` for every endpoint among `endpoints` that chose its kind and
/// whose scope covers its account. Runs in the transaction that records the event.
pub async fn fan_out(
    db: &impl ConnectionTrait,
    endpoints: &[webhook_endpoint::Model],
    ev: &event::Model,
    source: Source,
) -> Result<(), sea_orm::DbErr> {
    if !KINDS.contains(&ev.kind.as_str()) {
        return Ok(());
    }
    let now = Utc::now();
    let deliveries: Vec<_> = endpoints
        .iter()
        .filter(|ep| ep.event_types.0.contains(&ev.kind))
        .filter(|ep| ep.client_id.is_none() || (ep.client_id == ev.client_id && ev.kind != NOTE_KIND))
        .map(|ep| {
            let body = serde_json::json!({
                "id": ev.id, "type": ev.kind, "created_at": ev.at, "client_id": ev.client_id, "data": ev.payload,
            });
            webhook_delivery::ActiveModel {
                id: Set(Uuid::now_v7()),
                endpoint_id: Set(ep.id),
                event_id: Set(ev.id),
                kind: Set(ev.kind.clone()),
                body: Set(body.to_string()),
                status: Set(webhook_delivery::PENDING.into()),
                attempts: Set(0),
                next_attempt_at: Set(now),
                locked_until: Set(None),
                last_status: Set(None),
                last_error: Set(None),
                created_at: Set(now),
                delivered_at: Set(None),
                source_type: Set(Some(source.kind.into())),
                source_id: Set(Some(source.id)),
            }
        })
        .collect();
    if !deliveries.is_empty() {
        webhook_delivery::Entity::insert_many(deliveries).exec_without_returning(db).await?;
    }
    Ok(())
}

const MAX_ATTEMPTS: i32 = 8;
/// Deliveries claimed for one endpoint at a time.
const PER_ENDPOINT: u64 = 10;
/// Endpoints started per poll.
const ENDPOINTS_PER_POLL: u64 = 100;

const COLS: lease::Columns<webhook_delivery::Column> = lease::Columns {
    id: webhook_delivery::Column::Id,
    status: webhook_delivery::Column::Status,
    due: webhook_delivery::Column::NextAttemptAt,
    locked_until: webhook_delivery::Column::LockedUntil,
};

/// Delivers webhooks, each endpoint on its own: an endpoint that hangs until the timeout holds
/// up only its own deliveries (which stay in order), never another endpoint's.
pub struct Worker {
    db: DatabaseConnection,
    http: reqwest::Client,
    policy: targets::Policy,
    retry_base: Duration,
    lease: chrono::Duration,
    /// Endpoints this instance is delivering to right now.
    busy: Mutex<HashSet<Uuid>>,
}

/// Marks an endpoint busy for as long as it lives (a panicking delivery frees it too).
struct Busy {
    worker: Arc<Worker>,
    endpoint: Uuid,
}

impl Drop for Busy {
    fn drop(&mut self) {
        self.worker.busy.lock().expect("busy endpoints lock").remove(&self.endpoint);
    }
}

const REFUSED_TARGET: &str = "refused: the target is an internal address";

/// Whether the resolver refused the target (somewhere down the error's chain of causes).
fn refused_target(e: &reqwest::Error) -> bool {
    let mut cause: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(c) = cause {
        if c.is::<targets::Refused>() {
            return true;
        }
        cause = c.source();
    }
    false
}

/// Sends what is due every `poll`; `retry_base` is the first retry delay, doubling each time.
pub fn spawn_worker(
    db: DatabaseConnection,
    poll: Duration,
    retry_base: Duration,
    timeout: Duration,
    lease: chrono::Duration,
    policy: targets::Policy,
) {
    let http = targets::client(policy, timeout);
    let worker = Arc::new(Worker { db, http, policy, retry_base, lease, busy: Mutex::new(HashSet::new()) });
    tokio::spawn(async move {
        loop {
            if let Err(e) = worker.clone().dispatch().await {
                tracing::warn!(error = %e, "webhook worker could not claim deliveries");
            }
            tokio::time::sleep(poll).await;
        }
    });
}

impl Worker {
    /// Starts a delivery task for every endpoint with due deliveries that none of this
    /// instance's tasks is working on.
    async fn dispatch(self: Arc<Self>) -> Result<(), sea_orm::DbErr> {
        let busy: Vec<Uuid> = self.busy.lock().expect("busy endpoints lock").iter().copied().collect();
        let now = Utc::now();
        let endpoints: Vec<Uuid> = webhook_delivery::Entity::find()
            .select_only()
            .column(webhook_delivery::Column::EndpointId)
            .distinct()
            .filter(webhook_delivery::Column::Status.eq(webhook_delivery::PENDING))
            .filter(webhook_delivery::Column::NextAttemptAt.lte(now))
            .filter(lease::free(&COLS, now))
            .filter(webhook_delivery::Column::EndpointId.is_not_in(busy))
            .limit(ENDPOINTS_PER_POLL)
            .into_tuple()
            .all(&self.db)
            .await?;
        for endpoint in endpoints {
            let only = Condition::all().add(webhook_delivery::Column::EndpointId.eq(endpoint));
            let held = lease::claim_due::<webhook_delivery::Entity>(
                &self.db,
                &COLS,
                webhook_delivery::PENDING,
                only,
                PER_ENDPOINT,
                self.lease,
            )
            .await?;
            if held.is_empty() {
                continue;
            }
            self.busy.lock().expect("busy endpoints lock").insert(endpoint);
            let busy = Busy { worker: self.clone(), endpoint };
            tokio::spawn(async move {
                for d in held {
                    if let Err(e) = busy.worker.deliver(d).await {
                        tracing::warn!(error = %e, "could not deliver a webhook");
                    }
                }
                drop(busy);
            });
        }
        Ok(())
    }

    async fn deliver(&self, mut held: lease::Held<webhook_delivery::Model>) -> anyhow::Result<()> {
        // The deliveries before this one may have taken longer than the lease they were claimed with.
        if !held.renew(&self.db, &COLS, self.lease).await? {
            return Ok(());
        }
        let d = &held.row;
        let endpoint = webhook_endpoint::Entity::find_by_id(d.endpoint_id).one(&self.db).await?;
        // What an endpoint's owner reads back is a category, never the HTTP client's own words:
        // those would tell an admin what is listening where inside the network.
        let result = match &endpoint {
            None => Err((None, "endpoint deleted".to_owned())),
            Some(ep) if !self.policy.allow_private && targets::literal_is_internal(&ep.url) => {
                Err((None, REFUSED_TARGET.to_owned()))
            }
            // Registered while plain http was allowed; it is not any more.
            Some(ep) if !self.policy.allow_http && !ep.url.starts_with("https://") => {
                Err((None, "refused: the target is not https".to_owned()))
            }
            Some(ep) => {
                let now = Utc::now().timestamp();
                let sent = self
                    .http
                    .post(&ep.url)
                    .header("Content-Type", "application/json")
                    .header("User-Agent", "Portico-Webhooks/1")
                    .header("Portico-Event", &d.kind)
                    // The same on every attempt: a receiver drops a repeat by it.
                    .header("Portico-Delivery", d.id.to_string())
                    .header(SIGNATURE_HEADER, sign(&ep.secret, now, &d.body))
                    .body(d.body.clone())
                    .send()
                    .await;
                match sent {
                    Ok(res) if res.status().is_success() => Ok(res.status().as_u16()),
                    Ok(res) => Err((Some(res.status().as_u16()), format!("answered {}", res.status()))),
                    Err(e) if refused_target(&e) => Err((None, REFUSED_TARGET.to_owned())),
                    Err(e) if e.is_timeout() => Err((None, "no answer in time".to_owned())),
                    Err(e) if e.is_connect() => Err((None, "could not connect".to_owned())),
                    Err(_) => Err((None, "the request failed".to_owned())),
                }
            }
        };
        let attempts = d.attempts + 1;
        let mut active: webhook_delivery::ActiveModel = d.clone().into();
        active.attempts = Set(attempts);
        active.locked_until = Set(None);
        match result {
            Ok(status) => {
                active.status = Set(webhook_delivery::DELIVERED.into());
                active.last_status = Set(Some(status as i32));
                active.last_error = Set(None);
                active.delivered_at = Set(Some(Utc::now()));
            }
            Err((status, error)) => {
                active.last_status = Set(status.map(i32::from));
                active.last_error = Set(Some(error));
                if attempts >= MAX_ATTEMPTS || endpoint.is_none() {
                    active.status = Set(webhook_delivery::FAILED.into());
                } else {
                    let backoff = self
                        .retry_base
                        .saturating_mul(1 << (attempts - 1).min(10) as u32)
                        .min(Duration::from_secs(3600));
                    active.next_attempt_at = Set(Utc::now() + chrono::Duration::from_std(backoff)?);
                }
            }
        }
        let still_held = held.condition(&COLS);
        lease::record_while_held(held.until, || async {
            webhook_delivery::Entity::update(active.clone())
                .validate()?
                .filter(still_held.clone())
                .exec(&self.db)
                .await
                .map(drop)
        })
        .await;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_an_endpoint_may_choose_is_described() {
        assert!(KINDS.iter().all(|k| !describe(k).is_empty()));
    }

    #[test]
    fn signatures_cover_the_timestamp_and_the_body() {
        let sig = sign("whsec_test", 1_700_000_000, r#"{"id":1}"#);
        assert!(sig.starts_with("t=1700000000,v1="));
        assert_eq!(sig.len(), "t=1700000000,v1=".len() + 64);
        assert_ne!(sig, sign("whsec_test", 1_700_000_001, r#"{"id":1}"#));
        assert_ne!(sig, sign("whsec_test", 1_700_000_000, r#"{"id":2}"#));
        assert_ne!(sig, sign("other", 1_700_000_000, r#"{"id":1}"#));
    }
}
