//! The unit of work: one change to Portico's data and everything it causes, committed together.
//!
//! A `Change` holds the transaction and the actor. Domain operations make their writes through
//! `db()` and declare what the change causes — audit entries, live events (with their webhook
//! deliveries), e-mails, notifications, jobs, permission changes — on the `Change` itself, which
//! writes each of them in the same transaction. So a change that fails leaves nothing behind,
//! and a change that commits always has its events, mails and audit rows.
//!
//! Only `commit` fans out, and only after the commit: the in-process event bus (SQLite), the
//! mailer's wake-up and this instance's permission cache. PostgreSQL `NOTIFY`s (events and
//! permission changes for the other instances) are sent inside the transaction, which
//! PostgreSQL delivers exactly at commit.
//!
//! Everything inside a change must run on `db()`: the embedded SQLite has one connection, which
//! the open transaction holds.
use std::collections::BTreeSet;

use sea_orm::{
    ColumnTrait, DatabaseTransaction, DbErr, EntityTrait, QueryFilter, QuerySelect, TransactionTrait, sea_query::Expr,
};
use uuid::Uuid;

use super::audit;
use crate::{
    auth::Actor,
    config::Settings,
    entities::{event, notification, outbox, webhook_delivery, webhook_endpoint},
    error::ApiResult,
    services::{
        events::{self, NewEvent, Source},
        jobs,
        mail::{self, Email},
        webhooks,
    },
    state::AppState,
};

/// Whose cached permissions the change makes stale.
#[derive(Default)]
enum AuthzChange {
    #[default]
    None,
    Users(BTreeSet<Uuid>),
    Everyone,
}

pub struct Change<'a> {
    state: &'a AppState,
    actor: Option<&'a Actor>,
    txn: DatabaseTransaction,
    /// Events recorded so far, for the in-process bus after the commit.
    events: Vec<event::Model>,
    /// Loaded with the change's first event: who receives webhook deliveries.
    endpoints: Option<Vec<webhook_endpoint::Model>>,
    mail: bool,
    authz: AuthzChange,
    /// Waits the change made, answered or withdrew, counted into their weeks at the commit.
    tally: super::response_stats::Tally,
}

impl<'a> Change<'a> {
    /// Takes the write lock of `table`'s row `id` for this change, first in it, so what is
    /// read of the row from here on is what the write will change: a conditional write
    /// (`If-Match`) compares the tag to it, and a second writer with the same tag waits for this
    /// change and then finds the row moved on. On PostgreSQL the lock is `FOR UPDATE`, the
    /// strongest any later statement of the change takes on the row, so none of them has to
    /// wait for a stronger one behind a foreign key's share lock; SQLite's one connection
    /// already holds every other change off. 412 when the row is gone.
    pub async fn hold_row(&mut self, table: &'static str, id: impl Into<sea_orm::Value>) -> ApiResult<()> {
        use sea_orm::{
            ConnectionTrait, DbBackend,
            sea_query::{Alias, ExprTrait, LockType, Query},
        };
        let key = Alias::new("id");
        let mut row = Query::select();
        row.column(key.clone()).from(Alias::new(table)).and_where(Expr::col(key).eq(id.into()));
        if self.txn.get_database_backend() == DbBackend::Postgres {
            row.lock(LockType::Update);
        }
        match self.txn.query_one(&row).await? {
            Some(_) => Ok(()),
            None => Err(crate::error::ApiError::PreconditionFailed),
        }
    }

    /// Starts a change made by `actor` (`None`: by nobody in particular — a worker, an
    /// anonymous request such as a login).
    pub async fn begin(state: &'a AppState, actor: Option<&'a Actor>) -> Result<Self, DbErr> {
        let txn = state.db.begin().await?;
        Ok(Self {
            state,
            actor,
            txn,
            events: Vec::new(),
            endpoints: None,
            mail: false,
            authz: AuthzChange::None,
            tally: Default::default(),
        })
    }

    /// Runs `op` as one change by `actor` and commits it; an error rolls everything back.
    pub async fn run<T>(
        state: &'a AppState,
        actor: Option<&'a Actor>,
        op: impl AsyncFnOnce(&mut Change<'a>) -> ApiResult<T>,
    ) -> ApiResult<T> {
        let mut change = Change::begin(state, actor).await?;
        let out = op(&mut change).await?;
        change.commit().await?;
        Ok(out)
    }

    /// The change's transaction: every statement of the change runs on it.
    pub fn db(&self) -> &DatabaseTransaction {
        &self.txn
    }

    pub fn state(&self) -> &'a AppState {
        self.state
    }

    pub fn settings(&self) -> &'a Settings {
        &self.state.settings
    }

    /// The time the change's measured facts are stamped with (`Settings::clock`).
    pub fn now(&self) -> chrono::DateTime<chrono::Utc> {
        self.state.settings.clock.now()
    }

    pub fn actor(&self) -> Option<&'a Actor> {
        self.actor
    }

    /// The waits whose change this change counts into the response-time weeks.
    pub fn tally(&mut self) -> &mut super::response_stats::Tally {
        &mut self.tally
    }

    /// Records an audit entry as done by the change's actor.
    pub async fn audit(&mut self, entry: audit::Entry) -> Result<(), DbErr> {
        audit::record(&self.txn, self.actor, entry).await
    }

    /// Records a live event and the webhook deliveries it is owed; returns its id.
    pub async fn event(&mut self, ev: NewEvent) -> Result<i64, DbErr> {
        let model = events::insert(&self.txn, &ev).await?;
        if self.endpoints.is_none() {
            self.endpoints = Some(webhooks::active_endpoints(&self.txn).await?);
        }
        webhooks::fan_out(&self.txn, self.endpoints.as_deref().unwrap_or_default(), &model, ev.source).await?;
        let id = model.id;
        self.events.push(model);
        Ok(id)
    }

    /// Queues an e-mail about `source` (caused by the event `event_id`, if any).
    pub async fn mail(&mut self, email: Email, source: Source, event_id: Option<i64>) -> Result<(), DbErr> {
        mail::enqueue(&self.txn, email, source, event_id).await?;
        self.mail = true;
        Ok(())
    }

    /// Schedules a background job (see `jobs::schedule`).
    pub async fn schedule(
        &mut self,
        kind: &str,
        payload: serde_json::Value,
        run_at: chrono::DateTime<chrono::Utc>,
        dedupe_key: Option<String>,
    ) -> Result<bool, DbErr> {
        jobs::schedule(&self.txn, kind, payload, run_at, dedupe_key).await
    }

    /// Marks `user`'s cached status and permissions stale (`None`: everyone's, a role changed).
    pub fn authz_changed(&mut self, user: Option<Uuid>) {
        self.authz = match (std::mem::take(&mut self.authz), user) {
            (AuthzChange::Everyone, _) | (_, None) => AuthzChange::Everyone,
            (AuthzChange::None, Some(u)) => AuthzChange::Users(BTreeSet::from([u])),
            (AuthzChange::Users(mut users), Some(u)) => {
                users.insert(u);
                AuthzChange::Users(users)
            }
        };
    }

    /// Takes back what has not reached anyone yet about `source` (a Reply made a Note or
    /// deleted): its in-app notifications disappear, read or not, and its e-mails and webhook
    /// deliveries still waiting are not sent. Call it before recording the change's own
    /// events about `source`, which it would take back too.
    pub async fn withdraw(&mut self, source: Source) -> Result<(), DbErr> {
        let recipients = self.notified(source).await?;
        if !recipients.is_empty() {
            notification::Entity::delete_many()
                .filter(notification::Column::SourceType.eq(source.kind))
                .filter(notification::Column::SourceId.eq(source.id))
                .exec(&self.txn)
                .await?;
        }
        outbox::Entity::update_many()
            .col_expr(outbox::Column::Status, Expr::value(outbox::WITHDRAWN))
            .filter(outbox::Column::SourceType.eq(source.kind))
            .filter(outbox::Column::SourceId.eq(source.id))
            .filter(outbox::Column::Status.eq(outbox::PENDING))
            .exec(&self.txn)
            .await?;
        webhook_delivery::Entity::update_many()
            .col_expr(webhook_delivery::Column::Status, Expr::value(webhook_delivery::WITHDRAWN))
            .filter(webhook_delivery::Column::SourceType.eq(source.kind))
            .filter(webhook_delivery::Column::SourceId.eq(source.id))
            .filter(webhook_delivery::Column::Status.eq(webhook_delivery::PENDING))
            .exec(&self.txn)
            .await?;
        self.tell_recipients(&recipients, "notification.withdrawn", source).await
    }

    /// Who holds a notification about `source`, with their account.
    pub async fn notified(&self, source: Source) -> Result<Vec<(Uuid, Option<Uuid>)>, DbErr> {
        notification::Entity::find()
            .select_only()
            .columns([notification::Column::UserId, notification::Column::ClientId])
            .filter(notification::Column::SourceType.eq(source.kind))
            .filter(notification::Column::SourceId.eq(source.id))
            .distinct()
            .into_tuple()
            .all(&self.txn)
            .await
    }

    /// Tells each recipient's open pages that their notifications changed (`kind`), ids only.
    pub async fn tell_recipients(
        &mut self,
        recipients: &[(Uuid, Option<Uuid>)],
        kind: &'static str,
        source: Source,
    ) -> Result<(), DbErr> {
        for &(user_id, client_id) in recipients {
            self.event(NewEvent {
                client_id,
                audience: event::AUDIENCE_ALL,
                kind,
                resource_id: user_id,
                payload: serde_json::json!({"user_id": user_id}),
                source,
            })
            .await?;
        }
        Ok(())
    }

    /// Commits the change with everything it caused, then fans out.
    pub async fn commit(self) -> Result<(), DbErr> {
        let Self { state, txn, events, mail, authz, tally, .. } = self;
        // Last but for the events: the weeks' rows are every client's, and held from here to
        // the commit only.
        super::response_stats::flush(&txn, tally).await?;
        let ids: Vec<i64> = events.iter().map(|e| e.id).collect();
        events::place(&txn, &ids).await?;
        match &authz {
            AuthzChange::None => {}
            AuthzChange::Users(users) => {
                for user in users {
                    events::announce_authz_change(&txn, Some(*user)).await?;
                }
            }
            AuthzChange::Everyone => events::announce_authz_change(&txn, None).await?,
        }
        txn.commit().await?;
        // Before the relay is woken: a stream looks its reader up again before it sends an
        // event committed after a change of access.
        match authz {
            AuthzChange::None => {}
            AuthzChange::Users(users) => users.into_iter().for_each(|u| state.authz.invalidate_user(u)),
            AuthzChange::Everyone => state.authz.invalidate_all(),
        }
        if !events.is_empty() {
            state.events.committed();
        }
        if mail {
            state.mailer.wake();
        }
        Ok(())
    }
}
