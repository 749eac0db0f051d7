//! Who is told about what, in the app and by e-mail, honouring each person's preferences. Each
//! notice is part of the change that causes it: written in its transaction, linked to its
//! source and event, so it exists exactly when the change does and can be withdrawn.
//!
//! - a staff Reply (after its undo window) → the account's client users who may read tasks;
//! - a client's Reply → the task's assignee and the staff working on the project;
//! - a task moved to Done → the account's client users who may read tasks (automation);
//! - an invoice sent → the account's client users who may read billing;
//! - a file put up for review → the account's approvers (`deliverables.approve`);
//! - a review decided → whoever asked for it and the staff working on the project;
//! - a client's upload → the staff working on the project;
//! - a Client Admin's change to their team → the staff who look after client accounts;
//! - a satisfaction survey → the person asked (their e-mail with a link of their own);
//! - a low survey score → the staff working on it and those who read the portal metrics;
//! - an e-mailed answer that could not be posted → the staff who look after client accounts.
//!
//! Notes never cause a notification. A View-as session changes nothing, so it notifies nobody.
use std::collections::BTreeMap;

use sea_orm::{JoinType, QuerySelect, sea_query::Expr};

use super::{money::Money, prelude::*, settings};
use crate::{
    entities::{
        comment,
        enums::{ReviewStatus, RoleKind, UserStatus},
        event::AUDIENCE_ALL,
        file, invoice, notification, notification_preference, project, review, role, role_permission, task, user,
    },
    i18n::Text,
    services::messages,
    text,
};

/// The kinds a person can switch on or off, each for the app and for e-mail.
pub const KINDS: &[&str] = &[
    "reply",
    "client_reply",
    "task_done",
    "invoice_sent",
    "invoice_due",
    "invoice_overdue",
    "weekly_summary",
    "review_requested",
    "review_decided",
    "review_overdue",
    "client_upload",
    "payment_received",
    "payment_problem",
    "team_change",
    "survey",
    "survey_low_score",
    "inbound_refused",
];

pub struct Notice {
    pub kind: &'static str,
    /// Said to each recipient in their language.
    pub title: Text,
    pub body: Text,
    /// A path in the SPA.
    pub link: String,
    /// What it is about.
    pub source: Source,
    /// The event of the change that caused it, when there is one.
    pub event_id: Option<i64>,
}

/// Active users whose role holds `perm`.
fn holders(perm: Perm) -> sea_orm::Select<user::Entity> {
    let holds = user::Entity::belongs_to(role_permission::Entity)
        .from(user::Column::RoleId)
        .to(role_permission::Column::RoleId)
        .into();
    user::Entity::find()
        .join(JoinType::InnerJoin, holds)
        .filter(user::Column::Status.eq(UserStatus::Active))
        .filter(role_permission::Column::Permission.eq(perm.as_str()))
}

/// Active users of `client_id` whose role holds `perm`.
pub async fn client_readers(
    db: &impl ConnectionTrait,
    client_id: Uuid,
    perm: Perm,
) -> Result<Vec<user::Model>, sea_orm::DbErr> {
    holders(perm).filter(user::Column::ClientId.eq(client_id)).all(db).await
}

/// Active staff who look after client accounts (`clients.write`): who hears of what the
/// reply mailbox could not post.
pub async fn account_keepers(db: &impl ConnectionTrait) -> Result<Vec<user::Model>, sea_orm::DbErr> {
    holders(Perm::ClientsWrite).filter(user::Column::ClientId.is_null()).all(db).await
}

/// Active staff whose role may write invoices: who hears of payments.
pub async fn billing_staff(db: &impl ConnectionTrait) -> Result<Vec<user::Model>, sea_orm::DbErr> {
    holders(Perm::InvoicesWrite).filter(user::Column::ClientId.is_null()).all(db).await
}

/// The task's assignee and everyone assigned to a task of the same project: active staff.
async fn project_staff(db: &impl ConnectionTrait, t: &task::Model) -> Result<Vec<user::Model>, sea_orm::DbErr> {
    staff_of_project(db, Some(t.project_id), &[]).await
}

/// Everyone assigned to a task of the project (if there is one), and `also`: active staff.
async fn staff_of_project(
    db: &impl ConnectionTrait,
    project_id: Option<Uuid>,
    also: &[Uuid],
) -> Result<Vec<user::Model>, sea_orm::DbErr> {
    let mut assignees: Vec<Uuid> = match project_id {
        Some(project_id) => task::Entity::find()
            .select_only()
            .column(task::Column::AssigneeId)
            .filter(task::Column::ProjectId.eq(project_id))
            .filter(task::Column::AssigneeId.is_not_null())
            .distinct()
            .into_tuple::<Option<Uuid>>()
            .all(db)
            .await?
            .into_iter()
            .flatten()
            .collect(),
        None => Vec::new(),
    };
    assignees.extend_from_slice(also);
    let staff = user::Entity::belongs_to(role::Entity).from(user::Column::RoleId).to(role::Column::Id).into();
    user::Entity::find()
        .join(JoinType::InnerJoin, staff)
        .filter(role::Column::Kind.eq(RoleKind::Staff))
        .filter(user::Column::Status.eq(UserStatus::Active))
        .filter(user::Column::Id.is_in(assignees))
        .all(db)
        .await
}

/// Delivers `notice` to each recipient as their preferences say (in the app, by e-mail), as
/// part of `change`.
pub async fn deliver(change: &mut Change<'_>, recipients: &[user::Model], notice: &Notice) -> ApiResult<()> {
    if recipients.is_empty() {
        return Ok(());
    }
    let link = format!("{}{}", change.settings().public_url.trim_end_matches('/'), notice.link);
    let prefs = preferences(change, recipients, notice.kind).await?;
    let brand = settings::load(change.db()).await?;
    for u in recipients {
        deliver_one(change, &brand, prefs.get(&u.id), u, notice, &link, None).await?;
    }
    Ok(())
}

/// As `deliver`, each e-mail answerable: a reply to it is posted as the recipient's Reply on
/// `task` (replies by e-mail, when a reply mailbox is configured and they may reply there).
async fn deliver_answerable(
    change: &mut Change<'_>,
    recipients: &[user::Model],
    notice: &Notice,
    task: &task::Model,
) -> ApiResult<()> {
    if recipients.is_empty() {
        return Ok(());
    }
    let link = format!("{}{}", change.settings().public_url.trim_end_matches('/'), notice.link);
    let prefs = preferences(change, recipients, notice.kind).await?;
    let brand = settings::load(change.db()).await?;
    let repliers: std::collections::BTreeSet<Uuid> =
        client_readers(change.db(), task.client_id, Perm::CommentsReply).await?.into_iter().map(|u| u.id).collect();
    for u in recipients {
        let reply_to = match repliers.contains(&u.id) {
            true => super::inbound::reply_address(change, u, task).await?,
            false => None,
        };
        deliver_one(change, &brand, prefs.get(&u.id), u, notice, &link, reply_to).await?;
    }
    Ok(())
}

/// Delivers `notice` to one person, whose e-mail carries `email_link` (a link of their own,
/// such as a survey's single-use one) instead of the notice's.
pub async fn deliver_with_link(
    change: &mut Change<'_>,
    person: &user::Model,
    notice: &Notice,
    email_link: &str,
) -> ApiResult<()> {
    let prefs = preferences(change, std::slice::from_ref(person), notice.kind).await?;
    let brand = settings::load(change.db()).await?;
    deliver_one(change, &brand, prefs.get(&person.id), person, notice, email_link, None).await
}

async fn preferences(
    change: &Change<'_>,
    recipients: &[user::Model],
    kind: &str,
) -> ApiResult<BTreeMap<Uuid, notification_preference::Model>> {
    Ok(notification_preference::Entity::find()
        .filter(notification_preference::Column::Kind.eq(kind))
        .filter(notification_preference::Column::UserId.is_in(recipients.iter().map(|u| u.id)))
        .all(change.db())
        .await?
        .into_iter()
        .map(|p| (p.user_id, p))
        .collect())
}

async fn deliver_one(
    change: &mut Change<'_>,
    brand: &crate::entities::portal_settings::Model,
    pref: Option<&notification_preference::Model>,
    u: &user::Model,
    notice: &Notice,
    email_link: &str,
    reply_to: Option<String>,
) -> ApiResult<()> {
    let (in_app, email) = pref.map(|p| (p.in_app, p.email)).unwrap_or((true, true));
    let to = messages::To::user(brand, u);
    let (title, body) = (notice.title.render(to.language), notice.body.render(to.language));
    if in_app {
        notification::ActiveModel {
            id: Set(Uuid::now_v7()),
            user_id: Set(u.id),
            client_id: Set(u.client_id),
            kind: Set(notice.kind.into()),
            title: Set(title.clone()),
            body: Set(body.clone()),
            link: Set(notice.link.clone()),
            read_at: Set(None),
            created_at: Set(Utc::now()),
            source_type: Set(Some(notice.source.kind.into())),
            source_id: Set(Some(notice.source.id)),
            event_id: Set(notice.event_id),
        }
        .insert(change.db())
        .await?;
        change
            .event(NewEvent {
                client_id: u.client_id,
                audience: AUDIENCE_ALL,
                kind: "notification.created",
                resource_id: u.id,
                payload: serde_json::json!({"user_id": u.id}),
                source: notice.source,
            })
            .await?;
    }
    if email {
        let message = match reply_to {
            Some(r) => messages::answerable_notification(brand, &to, (&title, &body, email_link), notice.kind, r),
            None => messages::notification(brand, &to, &title, &body, email_link, notice.kind),
        };
        change.mail(message, notice.source, notice.event_id).await?;
    }
    Ok(())
}

/// The staff who look after an account's matter: those working on `project_id`, the member
/// `staff_id`, and whoever reads the portal metrics.
pub async fn account_staff(
    db: &impl ConnectionTrait,
    project_id: Option<Uuid>,
    staff_id: Option<Uuid>,
) -> Result<Vec<user::Model>, sea_orm::DbErr> {
    let also: Vec<Uuid> = staff_id.into_iter().collect();
    let mut people = staff_of_project(db, project_id, &also).await?;
    for u in holders(Perm::MetricsRead).filter(user::Column::ClientId.is_null()).all(db).await? {
        if !people.iter().any(|p| p.id == u.id) {
            people.push(u);
        }
    }
    Ok(people)
}

fn excerpt(body: &str) -> String {
    let mut s: String = body.chars().take(280).collect();
    if body.chars().count() > 280 {
        s.push('…');
    }
    s
}

async fn author_name(db: &impl ConnectionTrait, c: &comment::Model) -> Result<String, sea_orm::DbErr> {
    Ok(user::Entity::find_by_id(c.author_id).one(db).await?.map(|u| u.name).unwrap_or_default())
}

/// A staff Reply the client now sees: the account's readers hear of it.
pub async fn reply_released(
    change: &mut Change<'_>,
    c: &comment::Model,
    t: &task::Model,
    event_id: i64,
) -> ApiResult<()> {
    let author = author_name(change.db(), c).await?;
    let readers = client_readers(change.db(), c.client_id, Perm::TasksRead).await?;
    let notice = Notice {
        kind: "reply",
        title: text!("reply-title", author = &author, task = &t.title),
        body: Text::verbatim(excerpt(&c.body)),
        link: format!("/tasks/{}", t.id),
        source: Source::comment(c.id),
        event_id: Some(event_id),
    };
    deliver_answerable(change, &readers, &notice, t).await
}

/// A client's Reply: the people working on it hear at once.
pub async fn client_replied(
    change: &mut Change<'_>,
    c: &comment::Model,
    t: &task::Model,
    author: &str,
    event_id: i64,
) -> ApiResult<()> {
    let staff = project_staff(change.db(), t).await?;
    let notice = Notice {
        kind: "client_reply",
        title: text!("reply-title", author = author, task = &t.title),
        body: Text::verbatim(excerpt(&c.body)),
        link: format!("/staff/tasks/{}", t.id),
        source: Source::comment(c.id),
        event_id: Some(event_id),
    };
    deliver(change, &staff, &notice).await
}

/// Automation: a task of theirs is Done.
pub async fn task_done(change: &mut Change<'_>, t: &task::Model, event_id: i64) -> ApiResult<()> {
    if !settings::load(change.db()).await?.notify_task_done {
        return Ok(());
    }
    let readers = client_readers(change.db(), t.client_id, Perm::TasksRead).await?;
    let notice = Notice {
        kind: "task_done",
        title: text!("task-done-title", task = &t.title),
        body: text!("task-done-body"),
        link: format!("/tasks/{}", t.id),
        source: Source::task(t.id),
        event_id: Some(event_id),
    };
    deliver(change, &readers, &notice).await
}

/// A new invoice: the account's billing readers hear of it.
pub async fn invoice_sent(change: &mut Change<'_>, inv: &invoice::Model, event_id: i64) -> ApiResult<()> {
    let readers = client_readers(change.db(), inv.client_id, Perm::InvoicesRead).await?;
    let client = crate::entities::client::Entity::find_by_id(inv.client_id).one(change.db()).await?;
    let numbers = settings::numbers(&settings::load(change.db()).await?, client.as_ref());
    let amount = numbers.money(Money::new(inv.total_cents, &inv.currency));
    let notice = Notice {
        kind: "invoice_sent",
        title: text!("invoice-sent-title", number = &inv.number),
        body: text!("invoice-sent-body", number = &inv.number, amount = amount, due = inv.due_date),
        link: format!("/billing/{}", inv.id),
        source: Source::invoice(inv.id),
        event_id: Some(event_id),
    };
    deliver(change, &readers, &notice).await
}

/// A comment's text changed after it was announced: its readers' notifications show the new
/// excerpt, and their open pages are told to fetch them again. (E-mails already sent stay
/// as they were; one still waiting goes out with the text it was written with.)
pub async fn reworded(change: &mut Change<'_>, source: Source, text: &str) -> ApiResult<()> {
    let recipients = change.notified(source).await?;
    if recipients.is_empty() {
        return Ok(());
    }
    notification::Entity::update_many()
        .col_expr(notification::Column::Body, Expr::value(excerpt(text)))
        .filter(notification::Column::SourceType.eq(source.kind))
        .filter(notification::Column::SourceId.eq(source.id))
        .exec(change.db())
        .await?;
    Ok(change.tell_recipients(&recipients, "notification.updated", source).await?)
}

/// A file version put up for review: the account's approvers are asked.
pub async fn review_requested(
    change: &mut Change<'_>,
    f: &file::Model,
    r: &review::Model,
    event_id: i64,
) -> ApiResult<()> {
    let approvers = client_readers(change.db(), f.client_id, Perm::DeliverablesApprove).await?;
    let notice = Notice {
        kind: "review_requested",
        title: text!("review-requested-title", file = &f.name),
        body: match (&r.message, r.due_date) {
            (Some(m), Some(due)) => text!("review-requested-body-due-message", due = due, message = excerpt(m)),
            (Some(m), None) => text!("review-requested-body-message", message = excerpt(m)),
            (None, Some(due)) => text!("review-requested-body-due", due = due),
            (None, None) => text!("review-requested-body"),
        },
        link: format!("/files/{}", f.id),
        source: Source::review(r.id),
        event_id: Some(event_id),
    };
    deliver(change, &approvers, &notice).await
}

/// A client decided: whoever asked, and the staff on the project, hear at once.
pub async fn review_decided(
    change: &mut Change<'_>,
    f: &file::Model,
    r: &review::Model,
    approver: &str,
    event_id: i64,
) -> ApiResult<()> {
    let staff = staff_of_project(change.db(), Some(f.project_id), &[r.requested_by]).await?;
    let (title, body) = match r.status {
        ReviewStatus::Approved => {
            (text!("review-approved-title", approver = approver, file = &f.name), text!("review-approved-body"))
        }
        _ => (
            text!("review-changes-title", approver = approver, file = &f.name),
            Text::verbatim(excerpt(r.decision_comment.as_deref().unwrap_or_default())),
        ),
    };
    let notice = Notice {
        kind: "review_decided",
        title,
        body,
        link: format!("/staff/files/{}", f.id),
        source: Source::review(r.id),
        event_id: Some(event_id),
    };
    deliver(change, &staff, &notice).await
}

/// A client uploaded a file: the staff on the project hear of it.
pub async fn client_uploaded(
    change: &mut Change<'_>,
    f: &file::Model,
    p: &project::Model,
    uploader: &str,
    event_id: i64,
) -> ApiResult<()> {
    let staff = staff_of_project(change.db(), Some(p.id), &[]).await?;
    let notice = Notice {
        kind: "client_upload",
        title: text!("client-upload-title", uploader = uploader, file = &f.name),
        body: text!("client-upload-body", project = &p.name),
        link: format!("/staff/files/{}", f.id),
        source: Source::file(f.id),
        event_id: Some(event_id),
    };
    deliver(change, &staff, &notice).await
}

/// A Client Admin changed who at their account has portal access: the staff who look after
/// client accounts (`clients.write`) hear of it.
pub async fn team_changed(
    change: &mut Change<'_>,
    account: &crate::entities::client::Model,
    by: &str,
    what: Text,
    user_id: Uuid,
) -> ApiResult<()> {
    let staff = holders(Perm::ClientsWrite).filter(user::Column::ClientId.is_null()).all(change.db()).await?;
    let notice = Notice {
        kind: "team_change",
        title: text!("team-change-title", client = &account.name, by = by, what = what),
        body: text!("team-change-body", client = &account.name),
        link: format!("/staff/clients/{}", account.id),
        source: Source::user(user_id),
        event_id: None,
    };
    deliver(change, &staff, &notice).await
}
