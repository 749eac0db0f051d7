//! Comments on tasks: Replies (the client sees them) and Notes (internal). Which rows a caller
//! can reach is decided by `policy::comments`; for clients that is the Replies-only view.
//!
//! A client's Reply is seen at once; a staff Reply waits out the undo window
//! (`PORTICO_REPLY_UNDO_SECS`) before the client sees it and hears of it; a Note never reaches
//! a client. A Reply withdrawn (made a Note, deleted) takes back what has not reached anyone.
use chrono::Duration;
use sea_orm::{
    JoinType, QueryOrder, QuerySelect, QueryTrait, RelationTrait,
    sea_query::{Expr, SelectStatement},
};

use super::{notify, prelude::*};
use crate::{
    entities::{
        client, client_comment,
        comment::{self, Attachment, Attachments},
        enums::Visibility,
        event::{AUDIENCE_ALL, AUDIENCE_STAFF_NOTES},
        task, user,
    },
    policy::Comments,
    rows::positional_row,
    services::{
        jobs,
        throttle::{self, Limit},
    },
};

#[derive(Serialize, ToSchema)]
pub struct CommentResponse {
    pub id: Uuid,
    pub task_id: Uuid,
    pub author_id: Uuid,
    pub author_name: Option<String>,
    /// Whether the author is a client user (as opposed to staff).
    pub author_is_client: bool,
    pub body: String,
    pub visibility: Visibility,
    #[serde(serialize_with = "crate::timefmt::opt_utc")]
    pub edited_at: Option<chrono::DateTime<Utc>>,
    #[serde(serialize_with = "crate::timefmt::utc")]
    pub created_at: chrono::DateTime<Utc>,
    /// A staff Reply still in its undo window: the client does not see it yet.
    pub pending_release: bool,
    /// Files attached to the comment (download them with `GET /files/{file_id}/content`).
    pub attachments: Vec<Attachment>,
}

/// A column of the comment source `S` (the table, or the Replies-only view).
fn col<S: EntityTrait>(name: &'static str) -> Expr {
    Expr::col((S::default(), name))
}

positional_row! {
    /// A comment as the API shows it, with its author's name and account joined in.
    pub struct CommentRow over S {
        id: Uuid = col::<S>("id"),
        task_id: Uuid = col::<S>("task_id"),
        author_id: Uuid = col::<S>("author_id"),
        author_name: Option<String> = user::Column::Name,
        author_client_id: Option<Uuid> = user::Column::ClientId,
        body: String = col::<S>("body"),
        visibility: Visibility = col::<S>("visibility"),
        edited_at: Option<chrono::DateTime<Utc>> = col::<S>("edited_at"),
        created_at: chrono::DateTime<Utc> = col::<S>("created_at"),
        released_at: Option<chrono::DateTime<Utc>> = col::<S>("released_at"),
        attachments: Attachments = col::<S>("attachments"),
    }
}

/// Comments are listed oldest first; a cursor names this sort.
const SORT_NAME: &str = "created_at";

fn sort_key(c: &CommentRow) -> Key {
    Key::Time(c.created_at)
}

impl From<CommentRow> for CommentResponse {
    fn from(r: CommentRow) -> Self {
        Self {
            id: r.id,
            task_id: r.task_id,
            author_id: r.author_id,
            author_name: r.author_name,
            author_is_client: r.author_client_id.is_some(),
            body: r.body,
            visibility: r.visibility,
            edited_at: r.edited_at,
            created_at: r.created_at,
            pending_release: r.visibility == Visibility::Reply && r.released_at.is_none(),
            attachments: r.attachments.0,
        }
    }
}

#[derive(Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ListCommentsQuery {
    /// Only Replies or only Notes (Notes need `comments.note`).
    pub visibility: Option<Visibility>,
    /// Oldest first.
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u64>,
    pub cursor: Option<String>,
}

#[derive(Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct CreateCommentRequest {
    #[schema(min_length = 1, max_length = 20000)]
    #[validate(length(min = 1, max = 20000))]
    pub body: String,
    /// Required, so nobody posts a Reply meaning a Note: `reply` (the client sees it) or `note` (internal).
    pub visibility: Visibility,
}

#[derive(Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct UpdateCommentRequest {
    /// Only the author edits the text.
    #[schema(min_length = 1, max_length = 20000)]
    #[validate(length(min = 1, max = 20000))]
    pub body: Option<String>,
    /// Turn a Reply into a Note or back (staff with `comments.note`; audited).
    pub visibility: Option<Visibility>,
}

/// Runs the same code against whichever comment source the policy chose.
macro_rules! on_scope {
    ($scope:expr, |$s:ident, $m:ident| $body:expr) => {
        match $scope {
            Comments::All($s) => {
                use comment as $m;
                $body
            }
            Comments::RepliesOnly($s) => {
                use client_comment as $m;
                $body
            }
        }
    };
}

/// Narrows a comment select (`$m` the module on_scope! chose) to what `CommentRow` is read from.
macro_rules! row_select {
    ($s:expr, $m:ident) => {
        CommentRow::select::<$m::Entity, _>($s.select_only()).join(JoinType::LeftJoin, $m::Relation::Author.def())
    };
}

/// One comment the caller may know exists (404 otherwise), then 403 without `tasks.read`.
pub async fn find(db: &impl ConnectionTrait, actor: &Actor, id: Uuid) -> ApiResult<CommentResponse> {
    let scope = policy::comments(actor);
    let row = on_scope!(scope, |s, m| row_select!(s.filter(m::Column::Id.eq(id)), m)
        .into_model::<CommentRow>()
        .one(db)
        .await?);
    let row = row.ok_or(ApiError::NotFound)?;
    actor.require(Perm::TasksRead)?;
    Ok(row.into())
}

/// The comments of a task the caller may read, oldest first (Replies only for clients).
/// Comments carry their task's tenant, so comments found through the caller's scope prove the
/// task is one they may read: the usual page costs one statement, not two. Only an empty page
/// needs the task itself, to tell "no comments yet" from 404 (not theirs).
pub async fn list(
    db: &impl ConnectionTrait,
    actor: &Actor,
    task_id: Uuid,
    query: &ListCommentsQuery,
) -> ApiResult<Page<CommentResponse>> {
    let limit = pagination::limit(query.limit)?;
    if actor.has(Perm::TasksRead) {
        let page = page(db, actor, task_id, query, limit).await?;
        if page.items.is_empty() {
            policy::tasks(actor).get(db, task_id).await?;
        }
        return Ok(page);
    }
    // Without tasks.read: 404 if the task is not theirs, 403 if it is.
    let task = policy::tasks(actor).get(db, task_id).await?;
    page(db, actor, task.id, query, limit).await
}

/// One page of a task's comments within the caller's comment scope.
async fn page(
    db: &impl ConnectionTrait,
    actor: &Actor,
    task_id: Uuid,
    query: &ListCommentsQuery,
    limit: u64,
) -> ApiResult<Page<CommentResponse>> {
    let page = on_scope!(policy::comments(actor), |s, m| {
        let mut s = s.filter(m::Column::TaskId.eq(task_id));
        if let Some(v) = query.visibility {
            s = s.filter(m::Column::Visibility.eq(v));
        }
        let sort = sort::<m::Entity>(m::Column::CreatedAt);
        let s = pagination::prepare(s, &sort, m::Column::Id, query.cursor.as_deref(), limit)?;
        let rows = row_select!(s, m).into_model::<CommentRow>().all(db).await?;
        pagination::finish(rows, limit, sort.name, sort.key, |c| c.id)
    });
    Ok(page.map(Into::into))
}

fn sort<E: EntityTrait>(created_at: E::Column) -> Sort<E, CommentRow> {
    Sort { name: SORT_NAME, col: created_at, desc: false, nullable: false, key: sort_key }
}

/// The first page of a task's comments within the caller's comment scope (Replies only for
/// clients), oldest first, as a sub-select with `CommentRow::COLUMNS`: the task page joins it,
/// so the task and its thread come in one statement.
pub fn first_page_subquery(actor: &Actor, task_id: Uuid, limit: u64) -> ApiResult<SelectStatement> {
    Ok(on_scope!(policy::comments(actor), |s, m| {
        let sort = sort::<m::Entity>(m::Column::CreatedAt);
        let s = pagination::prepare(s.filter(m::Column::TaskId.eq(task_id)), &sort, m::Column::Id, None, limit)?;
        row_select!(s, m).into_query()
    }))
}

/// A page of the rows `first_page_subquery` found, with the same cursor as the comment list.
pub fn first_page(rows: Vec<CommentRow>, limit: u64) -> Page<CommentResponse> {
    pagination::finish(rows, limit, SORT_NAME, sort_key, |c| c.id).map(Into::into)
}

/// Whether a client reading the task sees this comment.
fn client_visible(c: &comment::Model) -> bool {
    c.visibility == Visibility::Reply && c.released_at.is_some() && c.deleted_at.is_none()
}

/// Tells readers what changed in a thread. What clients can see appears, changes or
/// disappears as `comment.created` / `comment.updated` / `comment.deleted`; anything else (a
/// Note, a Reply still in its undo window) only as `note.changed`, to staff who read Notes.
/// Ids only, never text. Returns the event's id.
async fn changed(change: &mut Change<'_>, before: Option<&comment::Model>, after: &comment::Model) -> ApiResult<i64> {
    let (was, is) = (before.is_some_and(client_visible), client_visible(after));
    let (kind, audience) = match (was, is) {
        (false, true) => ("comment.created", AUDIENCE_ALL),
        (true, true) => ("comment.updated", AUDIENCE_ALL),
        (true, false) => ("comment.deleted", AUDIENCE_ALL),
        (false, false) => ("note.changed", AUDIENCE_STAFF_NOTES),
    };
    match (was, is) {
        (false, true) => super::responses::reached_client(change, after).await?,
        (true, false) => super::responses::withdrawn(change, after).await?,
        _ => {}
    }
    Ok(change
        .event(NewEvent {
            client_id: Some(after.client_id),
            audience,
            kind,
            resource_id: after.task_id,
            payload: serde_json::json!({"task_id": after.task_id, "comment_id": after.id}),
            source: Source::comment(after.id),
        })
        .await?)
}

/// Comments on `task` as the change's actor: a client's Reply is seen at once and tells the
/// staff working on it; a staff Reply waits out the undo window (none configured: released at
/// once); a Note reaches only staff.
pub async fn create(
    change: &mut Change<'_>,
    task: &task::Model,
    body: CreateCommentRequest,
) -> ApiResult<comment::Model> {
    let actor = change.actor().ok_or_else(|| ApiError::Internal(anyhow::anyhow!("a comment needs an author")))?;
    // Every Reply tells people, by e-mail too: a runaway script must not flood them. Counted in
    // the change, so a refused or failed comment does not use up the minute.
    let per_minute = Limit { max: change.settings().comments_per_minute, window: Duration::minutes(1) };
    throttle::reserve(change.db(), &format!("comments:user:{}", actor.user_id), per_minute).await?;
    let now = change.now();
    let undo = change.settings().reply_undo_secs;
    let reply = body.visibility == Visibility::Reply;
    let released_at = (reply && (actor.is_client() || undo <= 0)).then_some(now);
    let model = comment::ActiveModel {
        id: Set(Uuid::now_v7()),
        client_id: Set(task.client_id),
        task_id: Set(task.id),
        author_id: Set(actor.user_id),
        body: Set(body.body),
        visibility: Set(body.visibility),
        edited_at: Set(None),
        deleted_at: Set(None),
        created_at: Set(now),
        released_at: Set(released_at),
        attachments: Set(Attachments::default()),
    }
    .insert(change.db())
    .await?;
    let event_id = changed(change, None, &model).await?;
    match (reply, actor.is_client(), released_at.is_some()) {
        (true, true, _) => notify::client_replied(change, &model, task, &actor.name, event_id).await?,
        (true, false, true) => notify::reply_released(change, &model, task, event_id).await?,
        (true, false, false) => {
            let payload = serde_json::json!({"comment_id": model.id});
            change.schedule(jobs::RELEASE_REPLY, payload, now + Duration::seconds(undo), None).await?;
        }
        (false, _, _) => {}
    }
    Ok(model)
}

/// The end of a staff Reply's undo window: if it is still an unreleased live Reply, the client
/// now sees it and is told. (Turned into a Note or deleted meanwhile: nothing reaches them.)
/// The release is one conditional update, so a conversion that committed first always wins,
/// and one that is still running holds the row (see `locked`) until it has.
pub async fn release(state: &AppState, comment_id: Uuid) -> ApiResult<()> {
    let mut change = Change::begin(state, None).await?;
    let released = comment::Entity::update_many()
        .col_expr(comment::Column::ReleasedAt, Expr::value(change.now()))
        .filter(comment::Column::Id.eq(comment_id))
        .filter(comment::Column::Visibility.eq(Visibility::Reply))
        .filter(comment::Column::DeletedAt.is_null())
        .filter(comment::Column::ReleasedAt.is_null())
        .exec(change.db())
        .await?;
    if released.rows_affected != 1 {
        return Ok(());
    }
    let Some(c) = comment::Entity::find_by_id(comment_id).one(change.db()).await? else { return Ok(()) };
    let Some(task) = task::Entity::find_by_id(c.task_id).one(change.db()).await? else { return Ok(()) };
    let before = comment::Model { released_at: None, ..c.clone() };
    let event_id = changed(&mut change, Some(&before), &c).await?;
    notify::reply_released(&mut change, &c, &task, event_id).await?;
    change.commit().await?;
    Ok(())
}

/// The comment as it stands now, locked for the rest of `change` (PostgreSQL; SQLite has one
/// writer): an edit decides from the row the release cannot change under it, not from a copy
/// read before the release committed.
async fn locked(change: &Change<'_>, id: Uuid) -> ApiResult<comment::Model> {
    comment::Entity::find_by_id(id).lock_exclusive().one(change.db()).await?.ok_or(ApiError::NotFound)
}

/// Adds `attachment` (a file the change has just recorded, with `comment_id` set) to the
/// comment's list, and tells the thread's readers as an edit would: open client pages only
/// when the client sees the comment, Note readers otherwise. Its author only; ten at most.
pub async fn attach(change: &mut Change<'_>, id: Uuid, attachment: Attachment) -> ApiResult<comment::Model> {
    let actor = change.actor().ok_or_else(|| ApiError::Internal(anyhow::anyhow!("an attachment needs an author")))?;
    let model = locked(change, id).await?;
    if model.deleted_at.is_some() {
        return Err(ApiError::NotFound);
    }
    if model.author_id != actor.user_id {
        return Err(ApiError::Forbidden(crate::problem!("comment-attach-author-only")));
    }
    if model.attachments.0.len() >= MAX_ATTACHMENTS {
        return Err(ApiError::field("file", crate::problem!("comment-attachments-full", max = MAX_ATTACHMENTS)));
    }
    let mut list = model.attachments.clone();
    list.0.push(attachment);
    let mut active = model.clone().into_active_model();
    active.attachments = Set(list);
    let after = active.update(change.db()).await?;
    changed(change, Some(&model), &after).await?;
    Ok(after)
}

/// How many files one comment may carry.
pub const MAX_ATTACHMENTS: usize = 10;

/// The comment the actor may attach to, and its project (for the route, before any byte is
/// read).
pub async fn attachable(db: &impl ConnectionTrait, actor: &Actor, id: Uuid) -> ApiResult<(comment::Model, Uuid)> {
    let visible = find(db, actor, id).await?;
    let model = comment::Entity::find_by_id(visible.id).one(db).await?.ok_or(ApiError::NotFound)?;
    if model.author_id != actor.user_id {
        return Err(ApiError::Forbidden(crate::problem!("comment-attach-author-only")));
    }
    actor.require(Perm::FilesUpload)?;
    if model.attachments.0.len() >= MAX_ATTACHMENTS {
        return Err(ApiError::field("file", crate::problem!("comment-attachments-full", max = MAX_ATTACHMENTS)));
    }
    let project = task::Entity::find_by_id(model.task_id).one(db).await?.ok_or(ApiError::NotFound)?.project_id;
    Ok((model, project))
}

/// What an edit did beyond the comment itself, for the one who made it.
#[derive(Default)]
pub struct Edited {
    /// The Reply had already reached the client when it was withdrawn.
    pub withdrawn_after_release: bool,
}

/// Edits a comment's text (its author only; a client author still needs `comments.reply`) or
/// turns a Reply into a Note or back (staff with `comments.note`; audited). A Reply made a Note
/// is withdrawn from wherever it has not yet reached, and open client pages and webhooks are
/// told it is gone; a Note made a Reply is deliberate, so the client sees it at once. A
/// released Reply's new text replaces the excerpt in its readers' notifications.
pub async fn update(change: &mut Change<'_>, id: Uuid, body: UpdateCommentRequest) -> ApiResult<Edited> {
    let actor = change.actor().ok_or_else(|| ApiError::Internal(anyhow::anyhow!("an edit needs an editor")))?;
    let model = locked(change, id).await?;
    let mut active = model.clone().into_active_model();
    let mut new_text = None;
    if let Some(text) = body.body {
        if model.author_id != actor.user_id {
            return Err(ApiError::Forbidden(crate::problem!("comment-edit-author-only")));
        }
        if actor.is_client() {
            actor.require(Perm::CommentsReply)?;
        }
        if text != model.body {
            active.body = Set(text.clone());
            active.edited_at = Set(Some(Utc::now()));
            new_text = Some(text);
        }
    }
    let mut edited = Edited::default();
    if let Some(visibility) = body.visibility.filter(|v| *v != model.visibility) {
        actor.require(Perm::CommentsNote)?;
        active.visibility = Set(visibility);
        if visibility == Visibility::Reply && model.released_at.is_none() {
            active.released_at = Set(Some(change.now()));
        }
        if visibility == Visibility::Note {
            change.withdraw(Source::comment(model.id)).await?;
            edited.withdrawn_after_release = model.released_at.is_some();
        }
        let entry = Entry::new("comment.visibility_changed", "comment", Some(model.id), Some(model.client_id));
        let details = serde_json::json!({"from": model.visibility, "to": visibility, "task_id": model.task_id});
        change.audit(entry.details(details)).await?;
    }
    let updated = active.update(change.db()).await?;
    if let Some(text) = new_text.filter(|_| client_visible(&updated)) {
        notify::reworded(change, Source::comment(updated.id), &text).await?;
    }
    changed(change, Some(&model), &updated).await?;
    Ok(edited)
}

/// Deletes a comment (its author — a client author still needs `comments.reply` — or staff who
/// moderate with `comments.note`; audited); what it caused and has not reached anyone yet is
/// withdrawn, and open client pages and webhooks are told it is gone.
pub async fn delete(change: &mut Change<'_>, id: Uuid) -> ApiResult<()> {
    let actor = change.actor().ok_or_else(|| ApiError::Internal(anyhow::anyhow!("a deletion needs an actor")))?;
    let model = locked(change, id).await?;
    if model.author_id != actor.user_id && (actor.is_client() || !actor.has(Perm::CommentsNote)) {
        return Err(ApiError::Forbidden(crate::problem!("comment-delete-author-only")));
    }
    if actor.is_client() {
        actor.require(Perm::CommentsReply)?;
    }
    change.withdraw(Source::comment(model.id)).await?;
    super::files::forget_comment(change, model.id).await?;
    let mut active = model.clone().into_active_model();
    active.deleted_at = Set(Some(Utc::now()));
    active.attachments = Set(Attachments::default());
    let deleted = active.update(change.db()).await?;
    let entry = Entry::new("comment.deleted", "comment", Some(model.id), Some(model.client_id));
    let details = serde_json::json!({"task_id": model.task_id, "visibility": model.visibility, "by_author": model.author_id == actor.user_id});
    change.audit(entry.details(details)).await?;
    changed(change, Some(&model), &deleted).await?;
    Ok(())
}

/// A client's Reply, as the staff dashboard lists it.
#[derive(Serialize, ToSchema, sea_orm::FromQueryResult)]
pub struct RecentReply {
    pub comment_id: Uuid,
    pub task_id: Uuid,
    pub task_title: String,
    pub client_id: Uuid,
    pub client_name: String,
    pub author_name: String,
    pub body: String,
    pub created_at: chrono::DateTime<Utc>,
}

/// The latest live Replies written by client users that the agency has not answered yet,
/// across accounts: for staff only, and Replies only, so nothing here a Note could reach.
pub async fn unanswered_client_replies(db: &impl ConnectionTrait, limit: u64) -> ApiResult<Vec<RecentReply>> {
    use crate::entities::{enums::Side, reply_wait};
    let open = sea_orm::sea_query::Query::select()
        .column(reply_wait::Column::CommentId)
        .from(reply_wait::Entity)
        .and_where(reply_wait::Column::Side.eq(Side::Client))
        .and_where(reply_wait::Column::AnsweredAt.is_null())
        .to_owned();
    let on_task = comment::Entity::belongs_to(task::Entity).from(comment::Column::TaskId).to(task::Column::Id).into();
    let of_client =
        comment::Entity::belongs_to(client::Entity).from(comment::Column::ClientId).to(client::Column::Id).into();
    Ok(comment::Entity::find()
        .select_only()
        .column_as(comment::Column::Id, "comment_id")
        .column(comment::Column::TaskId)
        .column_as(task::Column::Title, "task_title")
        .column(comment::Column::ClientId)
        .column_as(client::Column::Name, "client_name")
        .column_as(user::Column::Name, "author_name")
        .column(comment::Column::Body)
        .column(comment::Column::CreatedAt)
        .join(JoinType::InnerJoin, comment::Relation::Author.def())
        .join(JoinType::InnerJoin, on_task)
        .join(JoinType::InnerJoin, of_client)
        .filter(user::Column::ClientId.is_not_null())
        .filter(comment::Column::Visibility.eq(Visibility::Reply))
        .filter(comment::Column::DeletedAt.is_null())
        .filter(comment::Column::Id.in_subquery(open))
        .order_by_desc(comment::Column::CreatedAt)
        .limit(limit)
        .into_model::<RecentReply>()
        .all(db)
        .await?)
}

/// Records a comment as it already stood `at` (the demo agency, an import): a Reply is released
/// then and announced to live readers, but nobody is notified — it is history, not news. Its
/// wait for an answer (or the answer it gave) is measured as of `at`.
pub async fn import(
    change: &mut Change<'_>,
    task: &task::Model,
    author_id: Uuid,
    body: &str,
    visibility: Visibility,
    at: chrono::DateTime<Utc>,
) -> ApiResult<comment::Model> {
    let now = at;
    let model = comment::ActiveModel {
        id: Set(Uuid::now_v7()),
        client_id: Set(task.client_id),
        task_id: Set(task.id),
        author_id: Set(author_id),
        body: Set(body.into()),
        visibility: Set(visibility),
        edited_at: Set(None),
        deleted_at: Set(None),
        created_at: Set(now),
        released_at: Set((visibility == Visibility::Reply).then_some(now)),
        attachments: Set(Attachments::default()),
    }
    .insert(change.db())
    .await?;
    changed(change, None, &model).await?;
    Ok(model)
}
