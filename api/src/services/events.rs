//! Live updates. Every change worth showing is written to the `events` table (numbered, so a
//! reconnecting stream can replay what it missed) in the change's own transaction
//! (`domain::Change`), and fanned out to the open streams of every instance: through PostgreSQL
//! `NOTIFY`, sent in that transaction and so delivered exactly when the change is visible; or,
//! on the embedded SQLite (one process), through an in-process channel once it has committed.
//! Who receives what is decided by `policy::may_receive`.
use std::{
    collections::HashMap,
    sync::{Arc, Mutex},
    time::Duration,
};

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DbBackend, EntityTrait, QueryFilter,
    QueryOrder, Set, Statement,
};
use tokio::sync::broadcast;
use uuid::Uuid;

use crate::entities::event;

pub const CHANNEL: &str = "portico_events";
/// Carries a user id (or `*`) whose cached permissions every instance must forget.
pub const AUTHZ_CHANNEL: &str = "portico_authz";
/// A NOTIFY payload holds at most 8000 bytes; ids are sent comma-separated in chunks of this many.
const IDS_PER_NOTIFY: usize = 500;

/// What a piece of fan-out (an event's webhook deliveries, a notification, an e-mail) is about,
/// so that a later change can find it and withdraw what has not been delivered yet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Source {
    pub kind: &'static str,
    pub id: Uuid,
}

impl Source {
    pub fn comment(id: Uuid) -> Self {
        Self { kind: "comment", id }
    }
    pub fn task(id: Uuid) -> Self {
        Self { kind: "task", id }
    }
    pub fn project(id: Uuid) -> Self {
        Self { kind: "project", id }
    }
    pub fn invoice(id: Uuid) -> Self {
        Self { kind: "invoice", id }
    }
    pub fn user(id: Uuid) -> Self {
        Self { kind: "user", id }
    }
}

pub struct NewEvent {
    pub client_id: Option<Uuid>,
    pub audience: &'static str,
    pub kind: &'static str,
    pub resource_id: Uuid,
    /// Ids only, never content: receivers re-read through the policy-filtered REST API.
    pub payload: serde_json::Value,
    /// What the event is about (its webhook deliveries carry it).
    pub source: Source,
}

/// Records `ev` (its `NOTIFY` is sent by `announce` before the transaction commits).
pub async fn insert(db: &impl ConnectionTrait, ev: &NewEvent) -> Result<event::Model, sea_orm::DbErr> {
    event::ActiveModel {
        id: Default::default(),
        at: Set(Utc::now()),
        client_id: Set(ev.client_id),
        audience: Set(ev.audience.into()),
        kind: Set(ev.kind.into()),
        resource_id: Set(ev.resource_id),
        payload: Set(ev.payload.clone()),
    }
    .insert(db)
    .await
}

/// On PostgreSQL, tells every instance (this one too) about `ids`, committed events. Run inside
/// the transaction that wrote them: PostgreSQL delivers a NOTIFY exactly when it commits.
pub async fn announce(db: &impl ConnectionTrait, ids: &[i64]) -> Result<(), sea_orm::DbErr> {
    if db.get_database_backend() != DbBackend::Postgres {
        return Ok(());
    }
    for chunk in ids.chunks(IDS_PER_NOTIFY) {
        let payload = chunk.iter().map(i64::to_string).collect::<Vec<_>>().join(",");
        notify(db, CHANNEL, payload).await?;
    }
    Ok(())
}

/// On PostgreSQL, tells every instance to forget `user`'s cached permissions (all, for `None`);
/// inside a transaction, delivered when it commits.
pub async fn announce_authz_change(db: &impl ConnectionTrait, user: Option<Uuid>) -> Result<(), sea_orm::DbErr> {
    if db.get_database_backend() == DbBackend::Postgres {
        notify(db, AUTHZ_CHANNEL, user.map(|u| u.to_string()).unwrap_or_else(|| "*".into())).await?;
    }
    Ok(())
}

async fn notify(db: &impl ConnectionTrait, channel: &str, payload: String) -> Result<(), sea_orm::DbErr> {
    db.execute_raw(Statement::from_sql_and_values(
        DbBackend::Postgres,
        "SELECT pg_notify($1, $2)",
        [channel.into(), payload.into()],
    ))
    .await?;
    Ok(())
}

pub struct EventBus {
    tx: broadcast::Sender<Arc<event::Model>>,
    backend: DbBackend,
    open: Mutex<HashMap<Uuid, usize>>,
    /// On PostgreSQL, whether this instance is LISTENing (it misses other instances' events
    /// until it is, so readiness waits for it).
    listening: std::sync::atomic::AtomicBool,
}

/// Counts one open stream of a user for as long as it lives.
pub struct StreamSlot {
    bus: Arc<EventBus>,
    user: Uuid,
}

impl Drop for StreamSlot {
    fn drop(&mut self) {
        let mut open = self.bus.open.lock().expect("stream count lock");
        if let Some(n) = open.get_mut(&self.user) {
            *n -= 1;
            if *n == 0 {
                open.remove(&self.user);
            }
        }
    }
}

impl EventBus {
    pub fn new(backend: DbBackend) -> Self {
        Self {
            tx: broadcast::channel(4096).0,
            backend,
            open: Mutex::new(HashMap::new()),
            listening: std::sync::atomic::AtomicBool::new(backend != DbBackend::Postgres),
        }
    }

    /// Ready to relay every instance's events to this instance's streams.
    pub fn ready(&self) -> bool {
        self.listening.load(std::sync::atomic::Ordering::SeqCst)
    }

    /// Call after the transaction that published `events` has committed. PostgreSQL delivers
    /// through `NOTIFY` (to this instance too); the embedded SQLite delivers here.
    pub fn committed(&self, events: impl IntoIterator<Item = event::Model>) {
        if self.backend != DbBackend::Postgres {
            for ev in events {
                let _ = self.tx.send(Arc::new(ev));
            }
        }
    }

    pub fn subscribe(&self) -> broadcast::Receiver<Arc<event::Model>> {
        self.tx.subscribe()
    }

    /// Takes one of a user's `max` stream slots, or `None` when all are in use.
    pub fn open_stream(self: &Arc<Self>, user: Uuid, max: usize) -> Option<StreamSlot> {
        let mut open = self.open.lock().expect("stream count lock");
        let n = open.entry(user).or_insert(0);
        if *n >= max {
            return None;
        }
        *n += 1;
        Some(StreamSlot { bus: self.clone(), user })
    }

    pub fn open_streams(&self) -> usize {
        self.open.lock().expect("stream count lock").values().sum()
    }

    /// On PostgreSQL: listens for `NOTIFY`s — events feed the local channel, permission changes
    /// empty the local cache — reconnecting after a lost connection.
    pub fn spawn_listener(self: Arc<Self>, db: DatabaseConnection, authz: Arc<crate::auth::authz::AuthzCache>) {
        if self.backend != DbBackend::Postgres {
            return;
        }
        tokio::spawn(async move {
            loop {
                if let Err(e) = self.listen(&db, &authz).await {
                    tracing::warn!(error = %e, "event listener lost its connection; reconnecting");
                }
                self.listening.store(false, std::sync::atomic::Ordering::SeqCst);
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
        });
    }

    async fn listen(&self, db: &DatabaseConnection, authz: &crate::auth::authz::AuthzCache) -> anyhow::Result<()> {
        let mut listener = sea_orm::sqlx::postgres::PgListener::connect_with(db.get_postgres_connection_pool()).await?;
        listener.listen_all([CHANNEL, AUTHZ_CHANNEL]).await?;
        // Whatever changed while we were not listening is unknown: start from a cold cache.
        authz.invalidate_all();
        self.listening.store(true, std::sync::atomic::Ordering::SeqCst);
        loop {
            let note = listener.recv().await?;
            if note.channel() == AUTHZ_CHANNEL {
                match note.payload().parse::<Uuid>() {
                    Ok(user) => authz.invalidate_user(user),
                    Err(_) => authz.invalidate_all(),
                }
                continue;
            }
            let ids: Vec<i64> = note.payload().split(',').filter_map(|id| id.parse().ok()).collect();
            let events = event::Entity::find()
                .filter(event::Column::Id.is_in(ids))
                .order_by_asc(event::Column::Id)
                .all(db)
                .await?;
            for ev in events {
                let _ = self.tx.send(Arc::new(ev));
            }
        }
    }
}
