//! Comments on tasks: Replies (the client sees them) and Notes (internal). Which rows a caller
//! can reach is decided by `policy::comments`; for clients that is the Replies-only view.
use sea_orm::{ConnectionTrait, FromQueryResult, JoinType, QuerySelect, RelationTrait};

use super::prelude::*;
use crate::{
    entities::{
        client_comment, comment,
        enums::Visibility,
        event::{AUDIENCE_ALL, AUDIENCE_STAFF_NOTES},
        user,
    },
    policy::Comments,
    services::{events::NewEvent, jobs, notify},
};

/// Whether a client reading the task sees this comment.
fn client_visible(c: &comment::Model) -> bool {
    c.visibility == Visibility::Reply && c.released_at.is_some() && c.deleted_at.is_none()
}

/// Tells readers what changed in a thread. What clients can see appears, changes or
/// disappears as `comment.created` / `comment.updated` / `comment.deleted`; anything else (a
/// Note, a Reply still in its undo window) only as `note.changed`, to staff who read Notes.
/// Ids only, never text.
async fn comment_changed(
    state: &AppState,
    before: Option<&comment::Model>,
    after: &comment::Model,
) -> Result<(), sea_orm::DbErr> {
    let (was, is) = (before.is_some_and(client_visible), client_visible(after));
    let (kind, audience) = match (was, is) {
        (false, true) => ("comment.created", AUDIENCE_ALL),
        (true, true) => ("comment.updated", AUDIENCE_ALL),
        (true, false) => ("comment.deleted", AUDIENCE_ALL),
        (false, false) => ("note.changed", AUDIENCE_STAFF_NOTES),
    };
    let payload = serde_json::json!({"task_id": after.task_id, "comment_id": after.id});
    state
        .publish(NewEvent { client_id: Some(after.client_id), audience, kind, resource_id: after.task_id, payload })
        .await
}

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
}

/// A comment as the API shows it, read by position from the columns `row_select!` picks.
pub(crate) struct CommentRow {
    id: Uuid,
    task_id: Uuid,
    author_id: Uuid,
    author_name: Option<String>,
    author_client_id: Option<Uuid>,
    body: String,
    visibility: Visibility,
    edited_at: Option<chrono::DateTime<Utc>>,
    created_at: chrono::DateTime<Utc>,
    released_at: Option<chrono::DateTime<Utc>>,
}

impl CommentRow {
    /// Reads the `PAGE_COLUMNS` starting at column `at`; None where a left join found no
    /// comment (a task without any). By position: the derived reader hashes every column name
    /// on every row (docs/benchmarks.md).
    pub(crate) fn read_at(res: &sea_orm::QueryResult, at: usize) -> Result<Option<Self>, sea_orm::TryGetError> {
        let Some(id) = res.try_get_by_index_nullable::<Option<Uuid>>(at)? else { return Ok(None) };
        Ok(Some(Self {
            id,
            task_id: res.try_get_by_index_nullable(at + 1)?,
            author_id: res.try_get_by_index_nullable(at + 2)?,
            author_name: res.try_get_by_index_nullable(at + 3)?,
            author_client_id: res.try_get_by_index_nullable(at + 4)?,
            body: res.try_get_by_index_nullable(at + 5)?,
            visibility: res.try_get_by_index_nullable(at + 6)?,
            edited_at: res.try_get_by_index_nullable(at + 7)?,
            created_at: res.try_get_by_index_nullable(at + 8)?,
            released_at: res.try_get_by_index_nullable(at + 9)?,
        }))
    }
}

impl FromQueryResult for CommentRow {
    fn from_query_result(res: &sea_orm::QueryResult, pre: &str) -> Result<Self, sea_orm::DbErr> {
        Ok(Self::from_query_result_nullable(res, pre)?)
    }

    fn from_query_result_nullable(res: &sea_orm::QueryResult, _: &str) -> Result<Self, sea_orm::TryGetError> {
        Self::read_at(res, 0)?.ok_or_else(|| sea_orm::TryGetError::Null("id".into()))
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
        }
    }
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ListCommentsQuery {
    /// Only Replies or only Notes (Notes need `comments.note`).
    pub visibility: Option<Visibility>,
    /// Oldest first.
    pub limit: Option<u64>,
    pub cursor: Option<String>,
}

#[derive(Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct CreateCommentRequest {
    #[validate(length(min = 1, max = 20000))]
    pub body: String,
    /// Required, so nobody posts a Reply meaning a Note: `reply` (the client sees it) or `note` (internal).
    pub visibility: Visibility,
}

#[derive(Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct UpdateCommentRequest {
    /// Only the author edits the text.
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

/// Narrows a comment select (`$m` the module on_scope! chose) to `PAGE_COLUMNS`, in order,
/// with the author's name and account joined in: what `CommentRow` is read from.
macro_rules! row_select {
    ($s:expr, $m:ident) => {
        $s.select_only()
            .columns([$m::Column::Id, $m::Column::TaskId, $m::Column::AuthorId])
            .join(JoinType::LeftJoin, $m::Relation::Author.def())
            .column_as(user::Column::Name, "author_name")
            .column_as(user::Column::ClientId, "author_client_id")
            .columns([
                $m::Column::Body,
                $m::Column::Visibility,
                $m::Column::EditedAt,
                $m::Column::CreatedAt,
                $m::Column::ReleasedAt,
            ])
    };
}

/// One comment the caller may know exists (404 otherwise), then 403 without `tasks.read`.
async fn find(db: &impl ConnectionTrait, actor: &Actor, id: Uuid) -> ApiResult<CommentResponse> {
    let scope = policy::comments(actor);
    let row = on_scope!(scope, |s, m| row_select!(s.filter(m::Column::Id.eq(id)), m)
        .into_model::<CommentRow>()
        .one(db)
        .await?);
    let row = row.ok_or(ApiError::NotFound)?;
    actor.require(Perm::TasksRead)?;
    Ok(row.into())
}

/// The comments of a task, oldest first. Clients get Replies only.
#[utoipa::path(tag = "comments", params(("id" = Uuid, Path), ListCommentsQuery), responses((status = 200, body = Page<CommentResponse>)))]
#[get("/tasks/{id}/comments")]
pub async fn list_comments(
    state: State,
    actor: Actor,
    id: web::Path<Uuid>,
    query: web::Query<ListCommentsQuery>,
) -> ApiResult<web::Json<Page<CommentResponse>>> {
    let limit = pagination::limit(query.limit)?;
    // Comments carry their task's tenant, so comments found through the caller's scope prove
    // the task is one they may read: the usual page costs one statement, not two. Only an
    // empty page needs the task itself, to tell "no comments yet" from 404 (not theirs).
    if actor.has(Perm::TasksRead) {
        let page = comment_page(&state.db, &actor, *id, &query, limit).await?;
        if page.items.is_empty() {
            policy::tasks(&actor).get(&state.db, *id).await?;
        }
        return Ok(web::Json(page));
    }
    // Without tasks.read: 404 if the task is not theirs, 403 if it is.
    let task = policy::tasks(&actor).get(&state.db, *id).await?;
    Ok(web::Json(comment_page(&state.db, &actor, task.id, &query, limit).await?))
}

/// One page of a task's comments within the caller's comment scope (Replies only for clients).
async fn comment_page(
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
        let sort = Sort::<m::Entity, CommentRow> {
            name: SORT_NAME,
            col: m::Column::CreatedAt,
            desc: false,
            nullable: false,
            key: sort_key,
        };
        let rows = row_select!(pagination::prepare(s, &sort, m::Column::Id, query.cursor.as_deref(), limit)?, m)
            .into_model::<CommentRow>()
            .all(db)
            .await?;
        pagination::finish(rows, limit, sort.name, sort.key, |c| c.id)
    });
    Ok(page.map(Into::into))
}

/// The columns of `first_page_subquery`, in order: what `CommentRow` is made of.
pub(crate) const PAGE_COLUMNS: [&str; 10] = [
    "id",
    "task_id",
    "author_id",
    "author_name",
    "author_client_id",
    "body",
    "visibility",
    "edited_at",
    "created_at",
    "released_at",
];

/// The first page of a task's comments within the caller's comment scope (Replies only for
/// clients), oldest first, as a sub-select with `PAGE_COLUMNS`: the task page joins it, so the
/// task and its thread come in one statement.
pub(crate) fn first_page_subquery(
    actor: &Actor,
    task_id: Uuid,
    limit: u64,
) -> ApiResult<sea_orm::sea_query::SelectStatement> {
    use sea_orm::QueryTrait;
    Ok(on_scope!(policy::comments(actor), |s, m| {
        let sort = Sort::<m::Entity, CommentRow> {
            name: SORT_NAME,
            col: m::Column::CreatedAt,
            desc: false,
            nullable: false,
            key: sort_key,
        };
        row_select!(pagination::prepare(s.filter(m::Column::TaskId.eq(task_id)), &sort, m::Column::Id, None, limit)?, m)
            .into_query()
    }))
}

/// A page of the rows `first_page_subquery` found, with the same cursor as the comment list.
pub(crate) fn first_page(rows: Vec<CommentRow>, limit: u64) -> Page<CommentResponse> {
    pagination::finish(rows, limit, SORT_NAME, sort_key, |c| c.id).map(Into::into)
}

/// Comment on a task: a Reply (`comments.reply`) or an internal Note (`comments.note`).
#[utoipa::path(tag = "comments", params(("id" = Uuid, Path)), request_body = CreateCommentRequest, responses((status = 201, body = CommentResponse)))]
#[post("/tasks/{id}/comments")]
pub async fn create_comment(
    state: State,
    actor: Actor,
    id: web::Path<Uuid>,
    body: Body<CreateCommentRequest>,
) -> ApiResult<HttpResponse> {
    let needed = match body.visibility {
        Visibility::Reply => Perm::CommentsReply,
        Visibility::Note => Perm::CommentsNote,
    };
    let task = policy::tasks(&actor).get_for(&state.db, *id, needed).await?;
    body.validate()?;
    let body = body.into_inner();
    let now = Utc::now();
    // A client's Reply is seen at once; a staff Reply waits out the undo window; a Note never.
    let released_at = (body.visibility == Visibility::Reply && actor.is_client()).then_some(now);
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
    }
    .insert(&state.db)
    .await?;
    comment_changed(&state, None, &model).await?;
    if model.visibility == Visibility::Reply {
        if actor.is_client() {
            if let Err(e) = notify::client_replied(&state, &model, &actor.name).await {
                tracing::error!(error = %e, "could not notify staff of a client's reply");
            }
        } else if state.settings.reply_undo_secs <= 0 {
            // No undo window configured: the client hears of it now.
            notify::release_reply(&state, model.id).await?;
        } else {
            let at = now + chrono::Duration::seconds(state.settings.reply_undo_secs);
            jobs::schedule(&state.db, jobs::RELEASE_REPLY, serde_json::json!({"comment_id": model.id}), at, None)
                .await?;
        }
    }
    Ok(HttpResponse::Created().json(find(&state.db, &actor, model.id).await?))
}

/// A comment.
#[utoipa::path(tag = "comments", params(("id" = Uuid, Path)), responses((status = 200, body = CommentResponse)))]
#[get("/comments/{id}")]
pub async fn get_comment(state: State, actor: Actor, id: web::Path<Uuid>) -> ApiResult<web::Json<CommentResponse>> {
    Ok(web::Json(find(&state.db, &actor, *id).await?))
}

/// Edit your own comment's text, or (staff) turn a Reply into a Note or back.
#[utoipa::path(tag = "comments", params(("id" = Uuid, Path)), request_body = UpdateCommentRequest, responses((status = 200, body = CommentResponse)))]
#[patch("/comments/{id}")]
pub async fn update_comment(
    state: State,
    actor: Actor,
    id: web::Path<Uuid>,
    body: Body<UpdateCommentRequest>,
) -> ApiResult<web::Json<CommentResponse>> {
    body.validate()?;
    let body = body.into_inner();
    let visible = find(&state.db, &actor, *id).await?;
    let model = comment::Entity::find_by_id(visible.id).one(&state.db).await?.ok_or(ApiError::NotFound)?;
    let txn = state.db.begin().await?;
    let mut active = model.clone().into_active_model();
    if let Some(text) = body.body {
        if model.author_id != actor.user_id {
            return Err(ApiError::Forbidden("Only the author can edit a comment's text.".into()));
        }
        if text != model.body {
            active.body = Set(text);
            active.edited_at = Set(Some(Utc::now()));
        }
    }
    if let Some(visibility) = body.visibility.filter(|v| *v != model.visibility) {
        actor.require(Perm::CommentsNote)?;
        active.visibility = Set(visibility);
        // Turning a Note into a Reply is deliberate: the client sees it now (no undo window).
        if visibility == Visibility::Reply && model.released_at.is_none() {
            active.released_at = Set(Some(Utc::now()));
        }
        audit::record(
            &txn,
            Some(&actor),
            audit::Entry {
                action: "comment.visibility_changed",
                target_type: "comment",
                target_id: Some(model.id),
                client_id: Some(model.client_id),
                details: serde_json::json!({"from": model.visibility, "to": visibility, "task_id": model.task_id}),
            },
        )
        .await?;
    }
    let updated = active.update(&txn).await?;
    txn.commit().await?;
    comment_changed(&state, Some(&model), &updated).await?;
    Ok(web::Json(find(&state.db, &actor, model.id).await?))
}

/// Delete a comment (its author, or staff who moderate with `comments.note`).
#[utoipa::path(tag = "comments", params(("id" = Uuid, Path)), responses((status = 204, description = "Deleted")))]
#[delete("/comments/{id}")]
pub async fn delete_comment(state: State, actor: Actor, id: web::Path<Uuid>) -> ApiResult<HttpResponse> {
    let visible = find(&state.db, &actor, *id).await?;
    if visible.author_id != actor.user_id && (actor.is_client() || !actor.has(Perm::CommentsNote)) {
        return Err(ApiError::Forbidden("Only the author can delete this comment.".into()));
    }
    let mut active =
        comment::Entity::find_by_id(visible.id).one(&state.db).await?.ok_or(ApiError::NotFound)?.into_active_model();
    active.deleted_at = Set(Some(Utc::now()));
    let before = comment::Entity::find_by_id(visible.id).one(&state.db).await?;
    let deleted = active.update(&state.db).await?;
    comment_changed(&state, before.as_ref(), &deleted).await?;
    Ok(HttpResponse::NoContent().finish())
}

pub fn config(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_comments)
        .service(create_comment)
        .service(get_comment)
        .service(update_comment)
        .service(delete_comment);
}
