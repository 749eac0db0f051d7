//! Webhooks for integrators. Every event that a registered endpoint chose becomes a delivery
//! row, written in the transaction of the change that records the event; a worker POSTs it, signed, and
//! retries with backoff until it is accepted or gives up. Note events are their own kind
//! (`note.changed`), which an endpoint must choose explicitly and a client-scoped endpoint
//! cannot choose at all.
use std::time::Duration;

use chrono::Utc;
use hmac::{Hmac, KeyInit, Mac};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, Set};
use sha2::Sha256;
use uuid::Uuid;

use super::{events::Source, lease};
use crate::entities::{event, webhook_delivery, webhook_endpoint};

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
];
pub const NOTE_KIND: &str = "note.changed";
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

const LEASE: chrono::Duration = chrono::Duration::seconds(60);
const MAX_ATTEMPTS: i32 = 8;

async fn claim_due(db: &DatabaseConnection) -> Result<Vec<webhook_delivery::Model>, sea_orm::DbErr> {
    let cols = lease::Columns {
        id: webhook_delivery::Column::Id,
        status: webhook_delivery::Column::Status,
        due: webhook_delivery::Column::NextAttemptAt,
        locked_until: webhook_delivery::Column::LockedUntil,
    };
    lease::claim_due::<webhook_delivery::Entity>(db, &cols, webhook_delivery::PENDING, 20, LEASE).await
}

/// Sends what is due every `poll`; `retry_base` is the first retry delay, doubling each time.
pub fn spawn_worker(db: DatabaseConnection, poll: Duration, retry_base: Duration) {
    let http = reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("HTTP client");
    tokio::spawn(async move {
        loop {
            match claim_due(&db).await {
                Ok(due) => {
                    for d in due {
                        if let Err(e) = deliver(&db, &http, d, retry_base).await {
                            tracing::error!(error = %e, "could not record a webhook delivery");
                        }
                    }
                }
                Err(e) => tracing::error!(error = %e, "webhook worker could not claim deliveries"),
            }
            tokio::time::sleep(poll).await;
        }
    });
}

async fn deliver(
    db: &DatabaseConnection,
    http: &reqwest::Client,
    d: webhook_delivery::Model,
    retry_base: Duration,
) -> anyhow::Result<()> {
    let endpoint = webhook_endpoint::Entity::find_by_id(d.endpoint_id).one(db).await?;
    let result = match &endpoint {
        None => Err((None, "endpoint deleted".to_owned())),
        Some(ep) => {
            let now = Utc::now().timestamp();
            let sent = http
                .post(&ep.url)
                .header("Content-Type", "application/json")
                .header("User-Agent", "Portico-Webhooks/1")
                .header("Portico-Event", &d.kind)
                .header("Portico-Delivery", d.id.to_string())
                .header(SIGNATURE_HEADER, sign(&ep.secret, now, &d.body))
                .body(d.body.clone())
                .send()
                .await;
            match sent {
                Ok(res) if res.status().is_success() => Ok(res.status().as_u16()),
                Ok(res) => Err((Some(res.status().as_u16()), format!("answered {}", res.status()))),
                Err(e) => Err((None, e.to_string())),
            }
        }
    };
    let attempts = d.attempts + 1;
    let mut active: webhook_delivery::ActiveModel = d.into();
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
                let backoff =
                    retry_base.saturating_mul(1 << (attempts - 1).min(10) as u32).min(Duration::from_secs(3600));
                active.next_attempt_at = Set(Utc::now() + chrono::Duration::from_std(backoff)?);
            }
        }
    }
    active.update(db).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

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
