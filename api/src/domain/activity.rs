//! Activity: what happened in a client's projects, read from the event log — the feed of a
//! project for staff and "what changed since your last visit" for a client — and the visits
//! that say when "last" was.
//!
//! Events carry ids only. Each is taken only if the live stream would deliver it to the caller
//! (`policy::may_receive`), and what it is about is read again through the caller's policy
//! scopes: a task, Reply, file or invoice the caller may not see (a Note, another account's, one
//! deleted since) is not in the feed.
use chrono::{DateTime, Duration};
use sea_orm::{QueryOrder, QuerySelect};
use std::collections::HashMap;

use super::prelude::*;
use crate::entities::{
    client_comment, comment,
    enums::{InvoiceStatus, TaskStatus, Visibility},
    event, file, invoice, project, task, user,
};
use crate::policy::Comments;

/// A visit ends once the portal has not been used for this long.
const VISIT_GAP_MINUTES: i64 = 30;
/// Events read per page at most, however few of them the caller may see; the page then ends
/// early with a cursor to go on from.
const SCAN_LIMIT: u64 = 1000;
const BATCH: u64 = 200;

const KINDS: [&str; 7] = [
    "task.created",
    "task.updated",
    "comment.created",
    "file.created",
    "file.version_added",
    "invoice.sent",
    "invoice.paid",
];

#[derive(Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ActivityQuery {
    /// Only what happened in this project.
    pub project_id: Option<Uuid>,
    /// Only what happened after this instant (a client's home passes its `last_visit_at`).
    pub since: Option<DateTime<Utc>>,
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u64>,
    pub cursor: Option<String>,
}

#[derive(Serialize, ToSchema, Clone, Copy, PartialEq, Eq, Debug)]
#[serde(rename_all = "snake_case")]
pub enum ActivityKind {
    TaskCreated,
    TaskUpdated,
    /// A Reply the client can read (never a Note).
    Reply,
    FileAdded,
    FileVersionAdded,
    InvoiceSent,
    InvoicePaid,
}

/// One thing that happened, newest first.
#[derive(Serialize, ToSchema, Debug)]
pub struct ActivityItem {
    #[serde(serialize_with = "crate::timefmt::utc")]
    pub at: DateTime<Utc>,
    pub kind: ActivityKind,
    pub client_id: Uuid,
    pub project_id: Option<Uuid>,
    pub project_name: Option<String>,
    /// The task of a task change or a Reply.
    pub task_id: Option<Uuid>,
    pub file_id: Option<Uuid>,
    pub invoice_id: Option<Uuid>,
    /// The task's title, the file's name or the invoice's number, as it now reads.
    pub title: String,
    /// A task's status as it now is.
    pub task_status: Option<TaskStatus>,
    /// An invoice's status as it now is.
    pub invoice_status: Option<InvoiceStatus>,
}

/// A page of the activity `actor` may see, newest first.
pub async fn list(db: &impl ConnectionTrait, actor: &Actor, query: &ActivityQuery) -> ApiResult<Page<ActivityItem>> {
    let limit = pagination::limit(query.limit)?;
    let mut select = policy::events(actor)
        .filter(event::Column::Kind.is_in(KINDS))
        .filter(event::Column::Seq.is_not_null())
        .order_by_desc(event::Column::Seq);
    let project = match query.project_id {
        Some(id) => Some(policy::projects(actor).get(db, id).await?),
        None if [Perm::ProjectsRead, Perm::TasksRead, Perm::InvoicesRead].iter().any(|p| actor.has(*p)) => None,
        None => return Err(ApiError::Forbidden(crate::problem!("activity-nothing-readable"))),
    };
    if let Some(p) = &project {
        select = select.filter(event::Column::ClientId.eq(p.client_id));
    }
    if let Some(since) = query.since {
        select = select.filter(event::Column::At.gt(since));
    }
    let mut before = match &query.cursor {
        Some(raw) => Some(pagination::read_offset("activity", raw)? as i64),
        None => None,
    };
    let mut items = Vec::new();
    let mut scanned = 0;
    loop {
        let mut batch = select.clone().limit(BATCH);
        if let Some(seq) = before {
            batch = batch.filter(event::Column::Seq.lt(seq));
        }
        let events: Vec<event::Model> = batch.all(db).await?;
        let exhausted = (events.len() as u64) < BATCH;
        scanned += events.len() as u64;
        let mine: Vec<_> = events.iter().filter(|e| policy::may_receive(actor, e)).collect();
        let resolved = resolve(db, actor, &mine).await?;
        for (ev, item) in mine.iter().zip(resolved) {
            let Some(item) = item else { continue };
            if project.as_ref().is_some_and(|p| item.project_id != Some(p.id)) {
                continue;
            }
            items.push((ev.seq.unwrap_or_default(), item));
            if items.len() as u64 == limit {
                let next = pagination::offset_cursor("activity", ev.seq.unwrap_or_default() as u64);
                return Ok(Page { items: items.into_iter().map(|(_, i)| i).collect(), next_cursor: Some(next) });
            }
        }
        before = events.last().and_then(|e| e.seq).or(before);
        if exhausted || scanned >= SCAN_LIMIT {
            let next_cursor = (!exhausted).then(|| pagination::offset_cursor("activity", before.unwrap_or(0) as u64));
            return Ok(Page { items: items.into_iter().map(|(_, i)| i).collect(), next_cursor });
        }
    }
}

fn id_in(payload: &serde_json::Value, key: &str) -> Option<Uuid> {
    payload.get(key)?.as_str()?.parse().ok()
}

/// What each event is about, read through the caller's scopes (`None` where they may not see it).
async fn resolve(
    db: &impl ConnectionTrait,
    actor: &Actor,
    events: &[&event::Model],
) -> ApiResult<Vec<Option<ActivityItem>>> {
    let of = |prefix: &str, key: &str| -> Vec<Uuid> {
        events.iter().filter(|e| e.kind.starts_with(prefix)).filter_map(|e| id_in(&e.payload, key)).collect()
    };
    let mut task_ids = of("task.", "task_id");
    task_ids.extend(of("comment.", "task_id"));
    let tasks: HashMap<Uuid, task::Model> = if task_ids.is_empty() || !actor.has(Perm::TasksRead) {
        HashMap::new()
    } else {
        let rows = policy::tasks(actor).list()?.filter(task::Column::Id.is_in(task_ids)).all(db).await?;
        rows.into_iter().map(|t| (t.id, t)).collect()
    };
    let replies = visible_comments(db, actor, of("comment.", "comment_id")).await?;
    let file_ids = of("file.", "file_id");
    let files: HashMap<Uuid, file::Model> = if file_ids.is_empty() || !actor.has(Perm::ProjectsRead) {
        HashMap::new()
    } else {
        let rows = policy::area_files(actor).list()?.filter(file::Column::Id.is_in(file_ids)).all(db).await?;
        rows.into_iter().map(|f| (f.id, f)).collect()
    };
    let invoice_ids = of("invoice.", "invoice_id");
    let invoices: HashMap<Uuid, invoice::Model> = if invoice_ids.is_empty() || !actor.has(Perm::InvoicesRead) {
        HashMap::new()
    } else {
        let rows = policy::invoices(actor).list()?.filter(invoice::Column::Id.is_in(invoice_ids)).all(db).await?;
        rows.into_iter().map(|i| (i.id, i)).collect()
    };
    let mut project_ids: Vec<Uuid> = tasks.values().map(|t| t.project_id).collect();
    project_ids.extend(files.values().map(|f| f.project_id));
    let projects: HashMap<Uuid, String> = if project_ids.is_empty() || !actor.has(Perm::ProjectsRead) {
        HashMap::new()
    } else {
        let rows = policy::projects(actor).list()?.filter(project::Column::Id.is_in(project_ids)).all(db).await?;
        rows.into_iter().map(|p| (p.id, p.name)).collect()
    };
    let item = |ev: &event::Model, kind, title: &str| ActivityItem {
        at: ev.at,
        kind,
        client_id: ev.client_id.unwrap_or_default(),
        project_id: None,
        project_name: None,
        task_id: None,
        file_id: None,
        invoice_id: None,
        title: title.to_owned(),
        task_status: None,
        invoice_status: None,
    };
    let in_project = |mut i: ActivityItem, project: Uuid| {
        i.project_name = projects.get(&project).cloned();
        i.project_id = Some(project);
        i
    };
    Ok(events
        .iter()
        .map(|ev| {
            let p = &ev.payload;
            Some(match ev.kind.as_str() {
                "task.created" | "task.updated" => {
                    let t = tasks.get(&id_in(p, "task_id")?)?;
                    let kind =
                        if ev.kind == "task.created" { ActivityKind::TaskCreated } else { ActivityKind::TaskUpdated };
                    let base =
                        ActivityItem { task_id: Some(t.id), task_status: Some(t.status), ..item(ev, kind, &t.title) };
                    in_project(base, t.project_id)
                }
                "comment.created" => {
                    replies.get(&id_in(p, "comment_id")?)?;
                    let t = tasks.get(&id_in(p, "task_id")?)?;
                    in_project(
                        ActivityItem { task_id: Some(t.id), ..item(ev, ActivityKind::Reply, &t.title) },
                        t.project_id,
                    )
                }
                "file.created" | "file.version_added" => {
                    let f = files.get(&id_in(p, "file_id")?)?;
                    let kind = if ev.kind == "file.created" {
                        ActivityKind::FileAdded
                    } else {
                        ActivityKind::FileVersionAdded
                    };
                    in_project(
                        ActivityItem { file_id: Some(f.id), task_id: f.task_id, ..item(ev, kind, &f.name) },
                        f.project_id,
                    )
                }
                _ => {
                    let i = invoices.get(&id_in(p, "invoice_id")?)?;
                    let kind =
                        if ev.kind == "invoice.sent" { ActivityKind::InvoiceSent } else { ActivityKind::InvoicePaid };
                    ActivityItem { invoice_id: Some(i.id), invoice_status: Some(i.status), ..item(ev, kind, &i.number) }
                }
            })
        })
        .collect())
}

/// Of the comments `ids`, those the caller may read and that are Replies (the only comments
/// a feed shows): for a client the Replies-only view, for staff the comments table.
async fn visible_comments(db: &impl ConnectionTrait, actor: &Actor, ids: Vec<Uuid>) -> ApiResult<HashMap<Uuid, ()>> {
    if ids.is_empty() || !actor.has(Perm::TasksRead) {
        return Ok(HashMap::new());
    }
    let found: Vec<Uuid> = match policy::comments(actor) {
        Comments::All(s) => s
            .filter(comment::Column::Id.is_in(ids))
            .filter(comment::Column::Visibility.eq(Visibility::Reply))
            .filter(comment::Column::ReleasedAt.is_not_null())
            .all(db)
            .await?
            .into_iter()
            .map(|c| c.id)
            .collect(),
        Comments::RepliesOnly(s) => {
            s.filter(client_comment::Column::Id.is_in(ids)).all(db).await?.into_iter().map(|c| c.id).collect()
        }
    };
    Ok(found.into_iter().map(|id| (id, ())).collect())
}

/// Writes down that `user` is using the portal now; once they come back after a pause, the end
/// of their visit before becomes their `previous_visit_at`. Called for every request of a
/// person (throttled per instance), never for View-as or a key.
pub async fn seen(db: &impl ConnectionTrait, user_id: Uuid, now: DateTime<Utc>) -> Result<(), sea_orm::DbErr> {
    use sea_orm::sea_query::{Expr, ExprTrait};
    let paused = Expr::col(user::Column::LastSeenAt).lt(now - Duration::minutes(VISIT_GAP_MINUTES));
    // One statement: SQL reads every right-hand side before it writes any.
    let previous =
        Expr::case(paused, Expr::col(user::Column::LastSeenAt)).finally(Expr::col(user::Column::PreviousVisitAt));
    user::Entity::update_many()
        .col_expr(user::Column::PreviousVisitAt, previous.into())
        .col_expr(user::Column::LastSeenAt, Expr::value(now))
        .filter(user::Column::Id.eq(user_id))
        .exec(db)
        .await?;
    Ok(())
}
