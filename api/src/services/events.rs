//! Live updates. Every change worth showing is written to the `events` table (numbered, so a
//! reconnecting stream can replay what it missed) and fanned out to the open streams of every
//! instance: through PostgreSQL `NOTIFY`, sent in the writing transaction and so delivered
//! exactly when the change is visible; or, on the embedded SQLite (one process), through an
//! in-process channel. Who receives what is decided by `policy::may_receive`.
use std::{
    collections::HashMap,
    sync::{Arc, Mutex},
    time::Duration,
};

use chrono::Utc;
use sea_orm::{ActiveModelTrait, ConnectionTrait, DatabaseConnection, DbBackend, EntityTrait, Set, Statement};
use tokio::sync::broadcast;
use uuid::Uuid;

use crate::entities::event;

pub const CHANNEL: &str = "portico_events";
/// Carries a user id (or `*`) whose cached permissions every instance must forget.
pub const AUTHZ_CHANNEL: &str = "portico_authz";

/// On PostgreSQL, tells every instance to forget `user`'s cached permissions (all, for `None`).
pub async fn announce_authz_change(db: &DatabaseConnection, user: Option<Uuid>) -> Result<(), sea_orm::DbErr> {
    if db.get_database_backend() == DbBackend::Postgres {
        let who = user.map(|u| u.to_string()).unwrap_or_else(|| "*".into());
        db.execute_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            "SELECT pg_notify($1, $2)",
            [AUTHZ_CHANNEL.into(), who.into()],
        ))
        .await?;
    }
    Ok(())
}

pub struct NewEvent {
    pub client_id: Option<Uuid>,
    pub audience: &'static str,
    pub kind: &'static str,
    pub resource_id: Uuid,
    /// Ids only, never content: receivers re-read through the policy-filtered REST API.
    pub payload: serde_json::Value,
}

/// Records `ev`; on PostgreSQL also `NOTIFY`s every instance (delivered at commit).
pub async fn publish(db: &impl ConnectionTrait, ev: NewEvent) -> Result<event::Model, sea_orm::DbErr> {
    let model = event::ActiveModel {
        id: Default::default(),
        at: Set(Utc::now()),
        client_id: Set(ev.client_id),
        audience: Set(ev.audience.into()),
        kind: Set(ev.kind.into()),
        resource_id: Set(ev.resource_id),
        payload: Set(ev.payload.to_string()),
    }
    .insert(db)
    .await?;
    crate::services::webhooks::fan_out(db, &model).await?;
    if db.get_database_backend() == DbBackend::Postgres {
        db.execute_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            "SELECT pg_notify($1, $2)",
            [CHANNEL.into(), model.id.to_string().into()],
        ))
        .await?;
    }
    Ok(model)
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
            let Ok(id) = note.payload().parse::<i64>() else { continue };
            if let Some(ev) = event::Entity::find_by_id(id).one(db).await? {
                let _ = self.tx.send(Arc::new(ev));
            }
        }
    }
}
