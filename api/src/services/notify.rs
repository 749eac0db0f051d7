//! Who is told about what, in the app and by e-mail, honouring each person's preferences.
//!
//! - a staff Reply (after its undo window) → the account's client users who may read tasks;
//! - a client's Reply → the task's assignee and the staff working on the project;
//! - a task moved to Done → the account's client users who may read tasks (automation);
//! - an invoice sent → the account's client users who may read billing.
//!
//! Notes never cause a notification. A View-as session changes nothing, so it notifies nobody.
use std::collections::BTreeMap;

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, JoinType, QueryFilter, QuerySelect, Set,
    TransactionTrait,
};
use uuid::Uuid;

use crate::{
    auth::Perm,
    entities::{
        comment,
        enums::{RoleKind, UserStatus, Visibility},
        event::AUDIENCE_ALL,
        invoice, notification, notification_preference, role, role_permission, task, user,
    },
    services::{
        events::{self, NewEvent},
        mail, messages,
    },
    startup::AppState,
};

/// The kinds a person can switch on or off, each for the app and for e-mail.
pub const KINDS: &[&str] = &["reply", "client_reply", "task_done", "invoice_sent", "invoice_overdue", "weekly_summary"];

pub struct Notice {
    pub kind: &'static str,
    pub title: String,
    pub body: String,
    /// A path in the SPA.
    pub link: String,
}

/// Active users of `client_id` whose role holds `perm`.
pub async fn client_readers(
    db: &impl ConnectionTrait,
    client_id: Uuid,
    perm: Perm,
) -> Result<Vec<user::Model>, sea_orm::DbErr> {
    user::Entity::find()
        .join(
            JoinType::InnerJoin,
            user::Entity::belongs_to(role_permission::Entity)
                .from(user::Column::RoleId)
                .to(role_permission::Column::RoleId)
                .into(),
        )
        .filter(user::Column::ClientId.eq(client_id))
        .filter(user::Column::Status.eq(UserStatus::Active))
        .filter(role_permission::Column::Permission.eq(perm.as_str()))
        .all(db)
        .await
}

/// The task's assignee and everyone assigned to a task of the same project: active staff.
pub async fn project_staff(db: &impl ConnectionTrait, t: &task::Model) -> Result<Vec<user::Model>, sea_orm::DbErr> {
    let assignees: Vec<Uuid> = task::Entity::find()
        .select_only()
        .column(task::Column::AssigneeId)
        .filter(task::Column::ProjectId.eq(t.project_id))
        .filter(task::Column::AssigneeId.is_not_null())
        .distinct()
        .into_tuple::<Option<Uuid>>()
        .all(db)
        .await?
        .into_iter()
        .flatten()
        .collect();
    user::Entity::find()
        .join(
            JoinType::InnerJoin,
            user::Entity::belongs_to(role::Entity).from(user::Column::RoleId).to(role::Column::Id).into(),
        )
        .filter(role::Column::Kind.eq(RoleKind::Staff))
        .filter(user::Column::Status.eq(UserStatus::Active))
        .filter(user::Column::Id.is_in(assignees))
        .all(db)
        .await
}

/// Delivers `notice` to each recipient as their preferences say (in the app, by e-mail).
pub async fn deliver(state: &AppState, recipients: &[user::Model], notice: &Notice) -> anyhow::Result<()> {
    if recipients.is_empty() {
        return Ok(());
    }
    let prefs: BTreeMap<Uuid, notification_preference::Model> = notification_preference::Entity::find()
        .filter(notification_preference::Column::Kind.eq(notice.kind))
        .filter(notification_preference::Column::UserId.is_in(recipients.iter().map(|u| u.id)))
        .all(&state.db)
        .await?
        .into_iter()
        .map(|p| (p.user_id, p))
        .collect();
    let settings = crate::routes::settings::load(&state.db).await?;
    let txn = state.db.begin().await?;
    let mut published = Vec::new();
    for u in recipients {
        let (in_app, email) = prefs.get(&u.id).map(|p| (p.in_app, p.email)).unwrap_or((true, true));
        if in_app {
            notification::ActiveModel {
                id: Set(Uuid::now_v7()),
                user_id: Set(u.id),
                client_id: Set(u.client_id),
                kind: Set(notice.kind.into()),
                title: Set(notice.title.clone()),
                body: Set(notice.body.clone()),
                link: Set(notice.link.clone()),
                read_at: Set(None),
                created_at: Set(Utc::now()),
            }
            .insert(&txn)
            .await?;
            published.push(
                events::publish(
                    &txn,
                    NewEvent {
                        client_id: u.client_id,
                        audience: AUDIENCE_ALL,
                        kind: "notification.created",
                        resource_id: u.id,
                        payload: serde_json::json!({"user_id": u.id}),
                    },
                )
                .await?,
            );
        }
        if email {
            let link = format!("{}{}", state.settings.public_url.trim_end_matches('/'), notice.link);
            mail::enqueue(
                &txn,
                messages::notification(&settings, &u.name, &u.email, &notice.title, &notice.body, &link, notice.kind),
            )
            .await?;
        }
    }
    txn.commit().await?;
    state.events.committed(published);
    state.mailer.wake();
    Ok(())
}

fn excerpt(body: &str) -> String {
    let mut s: String = body.chars().take(280).collect();
    if body.chars().count() > 280 {
        s.push('…');
    }
    s
}

/// The end of a staff Reply's undo window: if it is still a live Reply, the client now sees
/// it, hears of it and is told.
pub async fn release_reply(state: &AppState, comment_id: Uuid) -> anyhow::Result<()> {
    let Some(c) = comment::Entity::find_by_id(comment_id).one(&state.db).await? else { return Ok(()) };
    if c.visibility != Visibility::Reply || c.deleted_at.is_some() || c.released_at.is_some() {
        return Ok(()); // turned into a Note, deleted, or released already: nothing reaches the client
    }
    let mut active: comment::ActiveModel = c.clone().into();
    active.released_at = Set(Some(Utc::now()));
    active.update(&state.db).await?;
    state
        .publish(NewEvent {
            client_id: Some(c.client_id),
            audience: AUDIENCE_ALL,
            kind: "comment.created",
            resource_id: c.task_id,
            payload: serde_json::json!({"task_id": c.task_id, "comment_id": c.id}),
        })
        .await?;
    let Some(t) = task::Entity::find_by_id(c.task_id).one(&state.db).await? else { return Ok(()) };
    let author = user::Entity::find_by_id(c.author_id).one(&state.db).await?.map(|u| u.name).unwrap_or_default();
    let readers = client_readers(&state.db, c.client_id, Perm::TasksRead).await?;
    deliver(
        state,
        &readers,
        &Notice {
            kind: "reply",
            title: format!("{author} replied on “{}”", t.title),
            body: excerpt(&c.body),
            link: format!("/tasks/{}", t.id),
        },
    )
    .await
}

/// A client's Reply: the people working on it hear at once.
pub async fn client_replied(state: &AppState, c: &comment::Model, author: &str) -> anyhow::Result<()> {
    let Some(t) = task::Entity::find_by_id(c.task_id).one(&state.db).await? else { return Ok(()) };
    let staff = project_staff(&state.db, &t).await?;
    deliver(
        state,
        &staff,
        &Notice {
            kind: "client_reply",
            title: format!("{author} replied on “{}”", t.title),
            body: excerpt(&c.body),
            link: format!("/staff/tasks/{}", t.id),
        },
    )
    .await
}

/// Automation: a task of theirs is Done.
pub async fn task_done(state: &AppState, t: &task::Model) -> anyhow::Result<()> {
    if !crate::routes::settings::load(&state.db).await?.notify_task_done {
        return Ok(());
    }
    let readers = client_readers(&state.db, t.client_id, Perm::TasksRead).await?;
    deliver(
        state,
        &readers,
        &Notice {
            kind: "task_done",
            title: format!("Done: {}", t.title),
            body: "This task has been completed.".into(),
            link: format!("/tasks/{}", t.id),
        },
    )
    .await
}

pub async fn invoice_sent(state: &AppState, inv: &invoice::Model) -> anyhow::Result<()> {
    let readers = client_readers(&state.db, inv.client_id, Perm::InvoicesRead).await?;
    let amount = format!("{}.{:02} {}", inv.total_cents / 100, inv.total_cents % 100, inv.currency);
    deliver(
        state,
        &readers,
        &Notice {
            kind: "invoice_sent",
            title: format!("New invoice {}", inv.number),
            body: format!("Invoice {} for {amount} is due on {}.", inv.number, inv.due_date.format("%-d %B %Y")),
            link: format!("/billing/{}", inv.id),
        },
    )
    .await
}
