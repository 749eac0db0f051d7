//! Live updates. Every change worth showing is written to the `events` table in the change's
//! own transaction (`domain::Change`), and relayed to the open streams of every instance.
//!
//! Order is the whole difficulty: concurrent changes take their ids in one order and commit in
//! another, so a reader going by id would see 12 before 11 and, skipping what looks older, lose
//! 11. An event's `seq` is therefore given at commit (`place`), under a lock that is held until
//! the commit is visible: seqs rise in commit order without gaps. (The migration's trigger sends
//! the `NOTIFY` on this channel; keep the two names alike.) Each instance's relay reads
//! the committed events after the last seq it relayed, in seq order, whenever it is woken — by a
//! PostgreSQL `NOTIFY` (sent in the change's transaction, so delivered at its commit), by a
//! commit on this instance, on reconnecting to the database, or by a poll — so an event whose
//! wake-up was lost (the database restarted, the listener was down) is relayed at the next
//! one, still in order. Who receives what is decided by `policy::may_receive`.
use std::{
    collections::HashMap,
    sync::{Arc, Mutex},
    time::Duration,
};

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DbBackend, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, Set, Statement,
};
use tokio::sync::{Notify, broadcast};
use uuid::Uuid;

use crate::entities::event;

pub const CHANNEL: &str = "portico_events";
/// Carries a user id (or `*`) whose cached permissions every instance must forget.
pub const AUTHZ_CHANNEL: &str = "portico_authz";
/// How many events the relay reads per query.
const RELAY_BATCH: u64 = 500;
/// The relay looks for events even when nothing woke it this often.
const RELAY_POLL: Duration = Duration::from_secs(1);

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
    pub fn survey(id: Uuid) -> Self {
        Self { kind: "survey", id }
    }
    pub fn inbound(id: Uuid) -> Self {
        Self { kind: "inbound_mail", id }
    }
    pub fn project(id: Uuid) -> Self {
        Self { kind: "project", id }
    }
    pub fn invoice(id: Uuid) -> Self {
        Self { kind: "invoice", id }
    }
    pub fn file(id: Uuid) -> Self {
        Self { kind: "file", id }
    }
    pub fn review(id: Uuid) -> Self {
        Self { kind: "review", id }
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
        seq: Set(None),
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

/// Gives `ids`, the events the current transaction recorded, their places in commit order.
/// Run last before the commit.
///
/// On PostgreSQL the database does it while the transaction commits (a deferred trigger,
/// migration `m20261201_000007`), and wakes every instance's relay with a `NOTIFY`: nothing to
/// do here. The embedded SQLite has a single writer, so the next places after the highest
/// committed one are this change's.
pub async fn place(db: &impl ConnectionTrait, ids: &[i64]) -> Result<(), sea_orm::DbErr> {
    if db.get_database_backend() == DbBackend::Postgres || ids.is_empty() {
        return Ok(());
    }
    // Our own numbers, not input: nothing to bind.
    let list = ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",");
    db.execute_unprepared(&format!(
        "UPDATE events SET seq = (SELECT COALESCE(MAX(seq), 0) FROM events) + r.n \
         FROM (SELECT id, ROW_NUMBER() OVER (ORDER BY id) AS n FROM events WHERE id IN ({list})) AS r \
         WHERE events.id = r.id"
    ))
    .await?;
    Ok(())
}

/// The last place given so far (0 when there are no events).
pub async fn last_placed(db: &impl ConnectionTrait) -> Result<i64, sea_orm::DbErr> {
    let last: Option<Option<i64>> =
        event::Entity::find().select_only().expr(event::Column::Seq.max()).into_tuple().one(db).await?;
    Ok(last.flatten().unwrap_or(0))
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
    /// The last place relayed to this instance's streams.
    relayed: std::sync::atomic::AtomicI64,
    wake: Notify,
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
    /// A bus whose streams receive the events placed after `last_placed`.
    pub fn new(backend: DbBackend, last_placed: i64) -> Self {
        Self {
            tx: broadcast::channel(4096).0,
            backend,
            open: Mutex::new(HashMap::new()),
            listening: std::sync::atomic::AtomicBool::new(backend != DbBackend::Postgres),
            relayed: std::sync::atomic::AtomicI64::new(last_placed),
            wake: Notify::new(),
        }
    }

    /// Ready to relay every instance's events to this instance's streams.
    pub fn ready(&self) -> bool {
        self.listening.load(std::sync::atomic::Ordering::SeqCst)
    }

    /// Call after a transaction that recorded events has committed. On the embedded SQLite the
    /// relay reads them now rather than at its next poll; on PostgreSQL the commit's `NOTIFY`
    /// wakes every instance's relay, this one's too, and a second read per change would only
    /// cost (it did: a tenth of the status updates' throughput).
    pub fn committed(&self) {
        if self.backend != DbBackend::Postgres {
            self.wake.notify_one();
        }
    }

    /// The last place relayed to this instance's streams.
    pub fn relayed(&self) -> i64 {
        self.relayed.load(std::sync::atomic::Ordering::SeqCst)
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

    /// Starts the relay and, on PostgreSQL, the listener: `NOTIFY`s wake the relay, permission
    /// changes empty the local cache; a lost connection is taken up again at once, then with
    /// growing pauses.
    pub fn spawn(self: Arc<Self>, db: DatabaseConnection, authz: Arc<crate::auth::authz::AuthzCache>) {
        tokio::spawn(self.clone().relay(db.clone()));
        if self.backend != DbBackend::Postgres {
            return;
        }
        tokio::spawn(async move {
            let mut pause = Duration::from_millis(100);
            loop {
                match self.listen(&db, &authz).await {
                    Ok(()) => pause = Duration::from_millis(100),
                    Err(e) => tracing::warn!(error = %e, "event listener lost its connection; reconnecting"),
                }
                self.listening.store(false, std::sync::atomic::Ordering::SeqCst);
                tokio::time::sleep(pause).await;
                pause = (pause * 2).min(Duration::from_secs(2));
            }
        });
    }

    /// Relays every committed event after the last one relayed, in order, whenever woken.
    async fn relay(self: Arc<Self>, db: DatabaseConnection) {
        loop {
            let _ = tokio::time::timeout(RELAY_POLL, self.wake.notified()).await;
            loop {
                let after = self.relayed();
                let batch = event::Entity::find()
                    .filter(event::Column::Seq.gt(after))
                    .order_by_asc(event::Column::Seq)
                    .limit(RELAY_BATCH)
                    .all(&db)
                    .await;
                let batch = match batch {
                    Ok(batch) => batch,
                    Err(e) => {
                        // The database is away; what was missed is read when it is back.
                        tracing::debug!(error = %e, "event relay could not read events");
                        break;
                    }
                };
                let full = batch.len() as u64 == RELAY_BATCH;
                for ev in batch {
                    self.relayed.store(ev.seq.unwrap_or(after), std::sync::atomic::Ordering::SeqCst);
                    let _ = self.tx.send(Arc::new(ev));
                }
                if !full {
                    break;
                }
            }
        }
    }

    async fn listen(&self, db: &DatabaseConnection, authz: &crate::auth::authz::AuthzCache) -> anyhow::Result<()> {
        let mut listener = sea_orm::sqlx::postgres::PgListener::connect_with(db.get_postgres_connection_pool()).await?;
        listener.listen_all([CHANNEL, AUTHZ_CHANNEL]).await?;
        // Whatever changed while we were not listening is unknown: start from a cold cache, and
        // relay the events committed meanwhile.
        authz.invalidate_all();
        self.wake.notify_one();
        self.listening.store(true, std::sync::atomic::Ordering::SeqCst);
        loop {
            // `None`: the connection was lost (PgListener reconnects on the next call, but what
            // was sent meanwhile is gone, so start over as after any reconnect).
            let Some(note) = listener.try_recv().await? else { return Ok(()) };
            if note.channel() == AUTHZ_CHANNEL {
                match note.payload().parse::<Uuid>() {
                    Ok(user) => authz.invalidate_user(user),
                    Err(_) => authz.invalidate_all(),
                }
            } else {
                self.wake.notify_one();
            }
        }
    }
}
