//! Files and deliverables: a project's files (optionally in folders, optionally about a task),
//! each with its versions, and reviews in which the client's approvers approve a version or
//! ask for changes.
//!
//! Which files a caller may know exist is `policy::files`. The bytes are in object storage
//! (`services::storage`) under `projects/<project>/<file>/<version>`; the route streams them in
//! and out, and only once a version's bytes are stored whole does a change record it, so a
//! failed upload leaves no row (and the route removes its object).
//!
//! Reviews: staff put the current version up for review (with a message and a due date); a
//! client user holding `deliverables.approve` approves it — final: that review can never be
//! decided again — or asks for changes with a comment, which also lands as a Reply on the
//! file's task when it has one. A new version supersedes a pending review, and after
//! "changes requested" it restarts the review on the new version.
use std::collections::HashMap;

use sea_orm::{Condition, ExprTrait, QueryOrder, QuerySelect, sea_query::Expr};

use super::{comments, notify, prelude::*};
use crate::{
    entities::{
        comment::{self, Attachment},
        enums::{Decision, ReviewStatus, Visibility},
        event::AUDIENCE_ALL,
        file, file_version, project, review, task, user,
    },
    services::{jobs, storage::Stored},
};

#[derive(Serialize, ToSchema)]
pub struct VersionResponse {
    pub id: Uuid,
    /// 1 for the first upload, then 2, 3, …
    pub number: i32,
    /// Bytes.
    pub size: i64,
    /// Hex SHA-256 of the contents.
    pub sha256: String,
    /// Told from the bytes, never from the uploader's claim.
    pub content_type: String,
    /// The name it was uploaded under (sanitised).
    pub original_name: String,
    pub uploaded_by: Uuid,
    pub uploaded_by_name: Option<String>,
    #[serde(serialize_with = "crate::timefmt::utc")]
    pub created_at: chrono::DateTime<Utc>,
}

#[derive(Serialize, ToSchema)]
pub struct ReviewResponse {
    pub id: Uuid,
    pub version_id: Uuid,
    pub version_number: i32,
    pub status: ReviewStatus,
    pub message: Option<String>,
    pub due_date: Option<NaiveDate>,
    pub requested_by: Uuid,
    pub requested_by_name: Option<String>,
    #[serde(serialize_with = "crate::timefmt::utc")]
    pub requested_at: chrono::DateTime<Utc>,
    pub decided_by: Option<Uuid>,
    pub decided_by_name: Option<String>,
    #[serde(serialize_with = "crate::timefmt::opt_utc")]
    pub decided_at: Option<chrono::DateTime<Utc>>,
    /// What the approver wrote with their decision.
    pub comment: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct FileResponse {
    pub id: Uuid,
    pub client_id: Uuid,
    pub project_id: Uuid,
    pub task_id: Option<Uuid>,
    /// A path of folder names (`Design/Logos`); none for the Files area's top.
    pub folder: Option<String>,
    pub name: String,
    pub current: VersionResponse,
    /// The latest review of any version, open or decided.
    pub review: Option<ReviewResponse>,
    pub created_by: Uuid,
    #[serde(serialize_with = "crate::timefmt::utc")]
    pub created_at: chrono::DateTime<Utc>,
    #[serde(serialize_with = "crate::timefmt::utc")]
    pub updated_at: chrono::DateTime<Utc>,
}

#[derive(Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ListFilesQuery {
    /// Only the files directly in this folder (`""`: the top).
    pub folder: Option<String>,
    /// Only the files about this task.
    pub task_id: Option<Uuid>,
    /// Only files with a review in this state.
    pub review: Option<ReviewStatus>,
    /// Most recently changed first.
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u64>,
    pub cursor: Option<String>,
}

/// What an upload said besides its bytes.
pub struct NewFile {
    pub name: String,
    pub folder: Option<String>,
    pub task_id: Option<Uuid>,
}

/// A version's bytes, stored whole at `storage_key`.
pub struct NewVersion {
    pub file_id: Uuid,
    pub version_id: Uuid,
    pub storage_key: String,
    pub original_name: String,
    pub stored: Stored,
}

#[derive(Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct RequestReviewRequest {
    /// What the approvers should look at.
    #[schema(max_length = 5000)]
    #[validate(length(max = 5000))]
    pub message: Option<String>,
    /// Reminders start once this day has passed.
    pub due_date: Option<NaiveDate>,
}

#[derive(Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct DecisionRequest {
    pub decision: Decision,
    /// The version decided on, as the approver saw it: a newer one since is 409.
    #[schema(minimum = 1)]
    #[validate(range(min = 1))]
    pub version: i32,
    /// Required when asking for changes: what should change.
    #[schema(max_length = 20000)]
    #[validate(length(max = 20000))]
    pub comment: Option<String>,
}

/// Where a version's bytes live.
pub fn storage_key(project_id: Uuid, file_id: Uuid, version_id: Uuid) -> String {
    format!("projects/{project_id}/{file_id}/{version_id}")
}

/// A name safe to store and to send back in a header: the last path segment, without control
/// characters or quotes, trimmed, at most 200 characters (the extension kept).
pub fn sanitize_name(raw: &str) -> String {
    let last = raw.rsplit(['/', '\\']).next().unwrap_or_default();
    let cleaned: String = last
        .chars()
        .map(|c| {
            if c.is_control() || invisible(c) || matches!(c, '"' | '<' | '>' | ':' | '|' | '?' | '*') { ' ' } else { c }
        })
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    let cleaned = cleaned.trim_matches(|c: char| c == '.' || c == ' ').to_owned();
    let name = if cleaned.is_empty() { "file".to_owned() } else { cleaned };
    if name.chars().count() <= 200 {
        return name;
    }
    let ext: String = match name.rsplit_once('.') {
        Some((_, e)) if e.chars().count() <= 16 => format!(".{e}"),
        _ => String::new(),
    };
    let stem: String = name.chars().take(200 - ext.chars().count()).collect();
    format!("{stem}{ext}")
}

/// Characters that change how a name reads without showing: bidirectional overrides and
/// isolates (`invoice\u{202e}fdp.exe` reads as `invoiceexe.pdf`), zero-width and other format
/// characters.
fn invisible(c: char) -> bool {
    matches!(c, '\u{061c}' | '\u{180e}' | '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2060}'..='\u{2069}' | '\u{feff}')
}

/// A folder path: segments sanitised like names, empty ones dropped, at most 5 deep.
pub fn sanitize_folder(raw: &str) -> ApiResult<Option<String>> {
    let segments: Vec<String> = raw.split('/').filter(|s| !s.trim().is_empty()).map(sanitize_name).collect();
    if segments.len() > 5 {
        return Err(ApiError::field("folder", crate::problem!("file-folder-too-deep")));
    }
    Ok((!segments.is_empty()).then(|| segments.join("/")))
}

async fn names(db: &impl ConnectionTrait, ids: impl IntoIterator<Item = Uuid>) -> ApiResult<HashMap<Uuid, String>> {
    let ids: Vec<Uuid> = ids.into_iter().collect();
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    Ok(user::Entity::find()
        .select_only()
        .columns([user::Column::Id, user::Column::Name])
        .filter(user::Column::Id.is_in(ids))
        .into_tuple::<(Uuid, String)>()
        .all(db)
        .await?
        .into_iter()
        .collect())
}

fn version_response(v: file_version::Model, names: &HashMap<Uuid, String>) -> VersionResponse {
    VersionResponse {
        uploaded_by_name: names.get(&v.uploaded_by).cloned(),
        id: v.id,
        number: v.number,
        size: v.size,
        sha256: v.sha256,
        content_type: v.content_type,
        original_name: v.original_name,
        uploaded_by: v.uploaded_by,
        created_at: v.created_at,
    }
}

fn review_response(r: review::Model, number: i32, names: &HashMap<Uuid, String>) -> ReviewResponse {
    ReviewResponse {
        requested_by_name: names.get(&r.requested_by).cloned(),
        decided_by_name: r.decided_by.and_then(|u| names.get(&u).cloned()),
        id: r.id,
        version_id: r.version_id,
        version_number: number,
        status: r.status,
        message: r.message,
        due_date: r.due_date,
        requested_by: r.requested_by,
        requested_at: r.requested_at,
        decided_by: r.decided_by,
        decided_at: r.decided_at,
        comment: r.decision_comment,
    }
}

/// The responses for `files`, with their current versions and latest reviews: three
/// statements whatever the number of files.
async fn responses(db: &impl ConnectionTrait, files: Vec<file::Model>) -> ApiResult<Vec<FileResponse>> {
    if files.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<Uuid> = files.iter().map(|f| f.id).collect();
    // Each file's latest review only, and only the versions shown: the current one and the
    // reviewed one (a file with a long history costs no more than one with two versions).
    let latest_ids = latest_reviews(review::Column::Id, None);
    let mut latest: HashMap<Uuid, review::Model> = review::Entity::find()
        .filter(review::Column::FileId.is_in(ids))
        .filter(review::Column::Id.in_subquery(latest_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|r| (r.file_id, r))
        .collect();
    let shown = files.iter().fold(Condition::any(), |c, f| {
        c.add(file_version::Column::FileId.eq(f.id).and(file_version::Column::Number.eq(f.current_version)))
    });
    let shown = shown.add(file_version::Column::Id.is_in(latest.values().map(|r| r.version_id)));
    let mut versions: HashMap<Uuid, HashMap<i32, file_version::Model>> = HashMap::new();
    for v in file_version::Entity::find().filter(shown).all(db).await? {
        versions.entry(v.file_id).or_default().insert(v.number, v);
    }
    let people = names(
        db,
        versions
            .values()
            .flat_map(|vs| vs.values().map(|v| v.uploaded_by))
            .chain(latest.values().flat_map(|r| [Some(r.requested_by), r.decided_by].into_iter().flatten())),
    )
    .await?;
    files
        .into_iter()
        .map(|f| {
            let mut own = versions.remove(&f.id).unwrap_or_default();
            let review = latest.remove(&f.id).map(|r| {
                let number = own.values().find(|v| v.id == r.version_id).map(|v| v.number).unwrap_or_default();
                review_response(r, number, &people)
            });
            let current = own.remove(&f.current_version).ok_or_else(|| {
                ApiError::Internal(anyhow::anyhow!("file {} has no version {}", f.id, f.current_version))
            })?;
            Ok(FileResponse {
                current: version_response(current, &people),
                review,
                id: f.id,
                client_id: f.client_id,
                project_id: f.project_id,
                task_id: f.task_id,
                folder: f.folder,
                name: f.name,
                created_by: f.created_by,
                created_at: f.created_at,
                updated_at: f.updated_at,
            })
        })
        .collect()
}

/// Files of the Files areas the caller may read — of one project, or of every project in
/// their scope (the home's "recent files", "awaiting your approval") — most recently changed
/// first.
pub async fn list(
    db: &impl ConnectionTrait,
    actor: &Actor,
    project: Option<&project::Model>,
    query: &ListFilesQuery,
) -> ApiResult<Page<FileResponse>> {
    let limit = pagination::limit(query.limit)?;
    let mut select = policy::area_files(actor).list()?;
    if let Some(p) = project {
        select = select.filter(file::Column::ProjectId.eq(p.id));
    }
    if let Some(folder) = &query.folder {
        select = match sanitize_folder(folder)? {
            Some(f) => select.filter(file::Column::Folder.eq(f)),
            None => select.filter(file::Column::Folder.is_null()),
        };
    }
    if let Some(task) = query.task_id {
        select = select.filter(file::Column::TaskId.eq(task));
    }
    if let Some(status) = query.review {
        select = select.filter(file::Column::Id.in_subquery(latest_reviews(review::Column::FileId, Some(status))));
    }
    let sort = Sort::<file::Entity> {
        name: "updated_at",
        col: file::Column::UpdatedAt,
        desc: true,
        nullable: false,
        key: |f| Key::Time(f.updated_at),
    };
    let page = pagination::fetch_page(db, select, &sort, file::Column::Id, query.cursor.as_deref(), limit).await?;
    let next_cursor = page.next_cursor;
    Ok(Page { items: responses(db, page.items).await?, next_cursor })
}

/// `column` of each file's latest review (in `status`, when given): reviews with no later review
/// of the same file.
fn latest_reviews(column: review::Column, status: Option<ReviewStatus>) -> sea_orm::sea_query::SelectStatement {
    use sea_orm::sea_query::{Alias, Cond, ExprTrait, Query};
    let (r, n) = (Alias::new("r"), Alias::new("n"));
    let col = |t: &Alias, c: review::Column| Expr::col((t.clone(), c));
    let later = Query::select()
        .expr(Expr::val(1))
        .from_as(review::Entity, n.clone())
        .and_where(col(&n, review::Column::FileId).equals((r.clone(), review::Column::FileId)))
        .cond_where(
            Cond::any().add(col(&n, review::Column::RequestedAt).gt(col(&r, review::Column::RequestedAt))).add(
                Cond::all()
                    .add(col(&n, review::Column::RequestedAt).eq(col(&r, review::Column::RequestedAt)))
                    .add(col(&n, review::Column::Id).gt(col(&r, review::Column::Id))),
            ),
        )
        .to_owned();
    let mut select = Query::select();
    select.column((r.clone(), column)).from_as(review::Entity, r.clone()).and_where(Expr::exists(later).not());
    if let Some(status) = status {
        select.and_where(col(&r, review::Column::Status).eq(status.as_str()));
    }
    select.to_owned()
}

/// The file, locked for the rest of `change` (PostgreSQL; SQLite has one writer): versions,
/// review requests, decisions and withdrawals of one file happen one after another.
async fn locked(change: &Change<'_>, id: Uuid) -> ApiResult<file::Model> {
    file::Entity::find_by_id(id).lock_exclusive().one(change.db()).await?.ok_or(ApiError::NotFound)
}

/// A row that names a project, task or comment deleted meanwhile: as if it never existed.
fn gone(e: sea_orm::DbErr) -> ApiError {
    match e.sql_err() {
        Some(sea_orm::SqlErr::ForeignKeyConstraintViolation(_)) => ApiError::NotFound,
        _ => ApiError::Db(e),
    }
}

/// One file the caller may know exists (404 otherwise; 403 without `projects.read`).
pub async fn get(db: &impl ConnectionTrait, actor: &Actor, id: Uuid) -> ApiResult<file::Model> {
    policy::files(actor).get(db, id).await
}

pub async fn find(db: &impl ConnectionTrait, actor: &Actor, id: Uuid) -> ApiResult<FileResponse> {
    let f = get(db, actor, id).await?;
    Ok(responses(db, vec![f]).await?.pop().expect("one file in, one out"))
}

/// A file's versions, newest first.
pub async fn versions(db: &impl ConnectionTrait, file: &file::Model) -> ApiResult<Vec<VersionResponse>> {
    let rows = file_version::Entity::find()
        .filter(file_version::Column::FileId.eq(file.id))
        .order_by_desc(file_version::Column::Number)
        .all(db)
        .await?;
    let people = names(db, rows.iter().map(|v| v.uploaded_by)).await?;
    Ok(rows.into_iter().map(|v| version_response(v, &people)).collect())
}

/// A file's reviews, newest first: who asked, who decided what and when.
pub async fn reviews(db: &impl ConnectionTrait, file: &file::Model) -> ApiResult<Vec<ReviewResponse>> {
    let rows = review::Entity::find()
        .filter(review::Column::FileId.eq(file.id))
        .order_by_desc(review::Column::RequestedAt)
        .order_by_desc(review::Column::Id)
        .all(db)
        .await?;
    let numbers: HashMap<Uuid, i32> = file_version::Entity::find()
        .select_only()
        .columns([file_version::Column::Id, file_version::Column::Number])
        .filter(file_version::Column::FileId.eq(file.id))
        .into_tuple::<(Uuid, i32)>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    let people =
        names(db, rows.iter().flat_map(|r| [Some(r.requested_by), r.decided_by].into_iter().flatten())).await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let n = numbers.get(&r.version_id).copied().unwrap_or_default();
            review_response(r, n, &people)
        })
        .collect())
}

/// The version to download: the current one, or `number` (404 when it does not exist).
pub async fn version(
    db: &impl ConnectionTrait,
    file: &file::Model,
    number: Option<i32>,
) -> ApiResult<file_version::Model> {
    file_version::Entity::find()
        .filter(file_version::Column::FileId.eq(file.id))
        .filter(file_version::Column::Number.eq(number.unwrap_or(file.current_version)))
        .one(db)
        .await?
        .ok_or(ApiError::NotFound)
}

/// Checks where an upload may go, before any byte is read: the task (when named) must be one
/// of the project's.
pub async fn check_task(db: &impl ConnectionTrait, project: &project::Model, task_id: Option<Uuid>) -> ApiResult<()> {
    if let Some(id) = task_id {
        let found =
            task::Entity::find_by_id(id).filter(task::Column::ProjectId.eq(project.id)).one(db).await?.is_some();
        if !found {
            return Err(ApiError::field("task_id", crate::problem!("file-task-not-in-project")));
        }
    }
    Ok(())
}

fn event(kind: &'static str, f: &file::Model, extra: serde_json::Value) -> NewEvent {
    let mut payload = serde_json::json!({"file_id": f.id, "project_id": f.project_id});
    if let (Some(p), serde_json::Value::Object(extra)) = (payload.as_object_mut(), extra) {
        p.extend(extra);
    }
    NewEvent {
        client_id: Some(f.client_id),
        audience: AUDIENCE_ALL,
        kind,
        resource_id: f.id,
        payload,
        source: Source::file(f.id),
    }
}

/// Records a new file and its first version, whose bytes are stored.
pub async fn create(
    change: &mut Change<'_>,
    project: &project::Model,
    new: NewFile,
    version: NewVersion,
) -> ApiResult<file::Model> {
    let actor = change.actor().ok_or_else(|| ApiError::Internal(anyhow::anyhow!("an upload needs an uploader")))?;
    check_task(change.db(), project, new.task_id).await?;
    let now = Utc::now();
    let model = file::ActiveModel {
        id: Set(version.file_id),
        client_id: Set(project.client_id),
        project_id: Set(project.id),
        task_id: Set(new.task_id),
        comment_id: Set(None),
        folder: Set(new.folder),
        name: Set(new.name),
        current_version: Set(1),
        created_by: Set(actor.user_id),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(change.db())
    .await
    .map_err(gone)?;
    let v = insert_version(change, &model, 1, version, actor.user_id).await?;
    let event_id = change.event(event("file.created", &model, serde_json::json!({"version": 1}))).await?;
    let entry = Entry::new("file.created", "file", Some(model.id), Some(model.client_id));
    change.audit(entry.details(audit_details(&model, &v))).await?;
    if actor.is_client() {
        notify::client_uploaded(change, &model, project, &actor.name, event_id).await?;
    }
    Ok(model)
}

fn audit_details(f: &file::Model, v: &file_version::Model) -> serde_json::Value {
    serde_json::json!({"name": f.name, "version": v.number, "size": v.size, "sha256": v.sha256, "content_type": v.content_type})
}

async fn insert_version(
    change: &mut Change<'_>,
    f: &file::Model,
    number: i32,
    v: NewVersion,
    uploader: Uuid,
) -> ApiResult<file_version::Model> {
    Ok(file_version::ActiveModel {
        id: Set(v.version_id),
        file_id: Set(f.id),
        client_id: Set(f.client_id),
        number: Set(number),
        storage_key: Set(v.storage_key),
        size: Set(v.stored.size as i64),
        sha256: Set(v.stored.sha256),
        content_type: Set(v.stored.content_type),
        original_name: Set(v.original_name),
        uploaded_by: Set(uploader),
        created_at: Set(Utc::now()),
    }
    .insert(change.db())
    .await?)
}

/// The review still waiting for a decision, if any (at most one per file).
async fn pending(db: &impl ConnectionTrait, file_id: Uuid) -> ApiResult<Option<review::Model>> {
    Ok(review::Entity::find()
        .filter(review::Column::FileId.eq(file_id))
        .filter(review::Column::Status.eq(ReviewStatus::Pending))
        .one(db)
        .await?)
}

async fn latest_review(db: &impl ConnectionTrait, file_id: Uuid) -> ApiResult<Option<review::Model>> {
    Ok(review::Entity::find()
        .filter(review::Column::FileId.eq(file_id))
        .order_by_desc(review::Column::RequestedAt)
        .order_by_desc(review::Column::Id)
        .one(db)
        .await?)
}

/// Adds a version whose bytes are stored. A review waiting on the old version is superseded;
/// after "changes requested", the review starts again on the new version.
pub async fn add_version(change: &mut Change<'_>, file_id: Uuid, version: NewVersion) -> ApiResult<file::Model> {
    let actor = change.actor().ok_or_else(|| ApiError::Internal(anyhow::anyhow!("an upload needs an uploader")))?;
    // The file's row is locked first, so a decision, a review request or another version of
    // the same file waits for this one (and the numbering below cannot collide).
    let f = locked(change, file_id).await?;
    let number = f.current_version + 1;
    let now = Utc::now();
    file::Entity::update_many()
        .col_expr(file::Column::CurrentVersion, Expr::value(number))
        .col_expr(file::Column::UpdatedAt, Expr::value(now))
        .filter(file::Column::Id.eq(f.id))
        .exec(change.db())
        .await?;
    let f = file::Model { current_version: number, updated_at: now, ..f };
    let v = insert_version(change, &f, number, version, actor.user_id).await?;
    change.event(event("file.version_added", &f, serde_json::json!({"version": number}))).await?;
    let entry = Entry::new("file.version_added", "file", Some(f.id), Some(f.client_id));
    change.audit(entry.details(audit_details(&f, &v))).await?;
    let last = latest_review(change.db(), f.id).await?;
    if let Some(r) = last.filter(|r| matches!(r.status, ReviewStatus::Pending | ReviewStatus::ChangesRequested)) {
        if r.status == ReviewStatus::Pending {
            settle(change, &r, ReviewStatus::Superseded).await?;
        }
        // The approvers look again, at the new version, with the same request.
        let ask = RequestReviewRequest { message: r.message.clone(), due_date: r.due_date };
        open_review(change, &f, &v, ask, r.requested_by).await?;
    }
    Ok(f)
}

/// Moves a pending review to `to` — only if it is still pending (409 otherwise: someone
/// decided a moment ago).
async fn settle(change: &Change<'_>, r: &review::Model, to: ReviewStatus) -> ApiResult<()> {
    let moved = review::Entity::update_many()
        .col_expr(review::Column::Status, Expr::value(to))
        .filter(review::Column::Id.eq(r.id))
        .filter(review::Column::Status.eq(ReviewStatus::Pending))
        .exec(change.db())
        .await?;
    if moved.rows_affected == 0 {
        return Err(ApiError::Conflict(crate::problem!("review-client-decided-meanwhile")));
    }
    Ok(())
}

/// Puts the current version up for review by the account's approvers.
pub async fn request_review(
    change: &mut Change<'_>,
    f: &file::Model,
    body: RequestReviewRequest,
) -> ApiResult<review::Model> {
    let actor = change.actor().ok_or_else(|| ApiError::Internal(anyhow::anyhow!("a review needs a requester")))?;
    let f = &locked(change, f.id).await?;
    let current = version(change.db(), f, None).await?;
    if pending(change.db(), f.id).await?.is_some() {
        return Err(ApiError::Conflict(crate::problem!("review-already-pending")));
    }
    let approved = review::Entity::find()
        .filter(review::Column::VersionId.eq(current.id))
        .filter(review::Column::Status.eq(ReviewStatus::Approved))
        .one(change.db())
        .await?;
    if approved.is_some() {
        return Err(ApiError::Conflict(crate::problem!("review-version-already-approved")));
    }
    open_review(change, f, &current, body, actor.user_id).await
}

async fn open_review(
    change: &mut Change<'_>,
    f: &file::Model,
    v: &file_version::Model,
    body: RequestReviewRequest,
    requested_by: Uuid,
) -> ApiResult<review::Model> {
    let r = review::ActiveModel {
        id: Set(Uuid::now_v7()),
        file_id: Set(f.id),
        version_id: Set(v.id),
        client_id: Set(f.client_id),
        status: Set(ReviewStatus::Pending),
        message: Set(body.message.filter(|m| !m.trim().is_empty())),
        due_date: Set(body.due_date),
        requested_by: Set(requested_by),
        requested_at: Set(Utc::now()),
        decided_by: Set(None),
        decided_at: Set(None),
        decision_comment: Set(None),
    }
    .insert(change.db())
    .await
    .map_err(ApiError::conflict_on_unique("review-already-pending"))?;
    let extra = serde_json::json!({"review_id": r.id, "version": v.number});
    let event_id = change.event(event("review.requested", f, extra)).await?;
    let entry = Entry::new("review.requested", "file", Some(f.id), Some(f.client_id));
    change.audit(entry.details(serde_json::json!({"version": v.number, "due_date": r.due_date}))).await?;
    notify::review_requested(change, f, &r, event_id).await?;
    Ok(r)
}

/// A client approver's decision on the version awaiting it. Exactly one decision wins: the
/// review moves out of `pending` by a conditional update, so a second (or concurrent) one is 409.
pub async fn decide(change: &mut Change<'_>, f: &file::Model, body: DecisionRequest) -> ApiResult<review::Model> {
    let actor = change.actor().ok_or_else(|| ApiError::Internal(anyhow::anyhow!("a decision needs an approver")))?;
    let comment = body.comment.map(|c| c.trim().to_owned()).filter(|c| !c.is_empty());
    if body.decision == Decision::ChangesRequested && comment.is_none() {
        return Err(ApiError::field("comment", crate::problem!("review-comment-required")));
    }
    let f = &locked(change, f.id).await?;
    let Some(open) = pending(change.db(), f.id).await? else {
        return Err(ApiError::Conflict(crate::problem!("review-nothing-pending")));
    };
    let v = file_version::Entity::find_by_id(open.version_id).one(change.db()).await?.ok_or(ApiError::NotFound)?;
    if v.number != body.version {
        return Err(ApiError::Conflict(crate::problem!(
            "review-version-not-open",
            open = i64::from(v.number),
            asked = i64::from(body.version)
        )));
    }
    let status = match body.decision {
        Decision::Approved => ReviewStatus::Approved,
        Decision::ChangesRequested => ReviewStatus::ChangesRequested,
    };
    let now = Utc::now();
    let decided = review::Entity::update_many()
        .col_expr(review::Column::Status, Expr::value(status))
        .col_expr(review::Column::DecidedBy, Expr::value(actor.user_id))
        .col_expr(review::Column::DecidedAt, Expr::value(now))
        .col_expr(review::Column::DecisionComment, Expr::value(comment.clone()))
        .filter(review::Column::Id.eq(open.id))
        .filter(review::Column::Status.eq(ReviewStatus::Pending))
        .exec(change.db())
        .await?;
    if decided.rows_affected == 0 {
        return Err(ApiError::Conflict(crate::problem!("review-someone-decided-meanwhile")));
    }
    let r = review::Model {
        status,
        decided_by: Some(actor.user_id),
        decided_at: Some(now),
        decision_comment: comment.clone(),
        ..open
    };
    let extra = serde_json::json!({"review_id": r.id, "version": v.number, "decision": body.decision});
    let event_id = change.event(event("review.decided", f, extra)).await?;
    let entry = Entry::new("review.decided", "file", Some(f.id), Some(f.client_id));
    change
        .audit(entry.details(serde_json::json!({"version": v.number, "decision": body.decision, "comment": comment})))
        .await?;
    notify::review_decided(change, f, &r, &actor.name, event_id).await?;
    // The conversation goes on where the work is: on the file's task, as a Reply.
    if let (Some(text), Some(task_id)) = (comment, f.task_id)
        && actor.has(Perm::CommentsReply)
        && let Some(t) = task::Entity::find_by_id(task_id).one(change.db()).await?
    {
        let verdict = match body.decision {
            Decision::Approved => "Approved",
            Decision::ChangesRequested => "Changes requested",
        };
        let body = format!("{verdict} — {} (version {}):\n\n{text}", f.name, v.number);
        let body =
            comments::CreateCommentRequest { body: body.chars().take(20000).collect(), visibility: Visibility::Reply };
        comments::create(change, &t, body).await?;
    }
    Ok(r)
}

/// Withdraws the open review request (staff).
pub async fn cancel_review(change: &mut Change<'_>, f: &file::Model) -> ApiResult<()> {
    let f = &locked(change, f.id).await?;
    let Some(open) = pending(change.db(), f.id).await? else {
        return Err(ApiError::Conflict(crate::problem!("review-nothing-pending")));
    };
    settle(change, &open, ReviewStatus::Cancelled).await?;
    change.withdraw(Source::review(open.id)).await?;
    change.event(event("review.cancelled", f, serde_json::json!({"review_id": open.id}))).await?;
    change.audit(Entry::new("review.cancelled", "file", Some(f.id), Some(f.client_id))).await?;
    Ok(())
}

/// Deletes a file with all its versions and reviews; the stored bytes are removed by a job
/// once this change has committed (and retried until they are).
pub async fn delete(change: &mut Change<'_>, f: file::Model) -> ApiResult<()> {
    if let Some(open) = pending(change.db(), f.id).await? {
        change.withdraw(Source::review(open.id)).await?;
    }
    file::Entity::delete_by_id(f.id).exec(change.db()).await?;
    let prefix = format!("projects/{}/{}", f.project_id, f.id);
    change.schedule(jobs::DELETE_OBJECTS, serde_json::json!({"prefix": prefix}), Utc::now(), None).await?;
    change.event(event("file.deleted", &f, serde_json::json!({}))).await?;
    let entry = Entry::new("file.deleted", "file", Some(f.id), Some(f.client_id));
    change.audit(entry.details(serde_json::json!({"name": f.name}))).await?;
    Ok(())
}

/// A file as an import (the demo agency) brings it: its versions' bytes already stored, and
/// where the review of its latest version stands.
pub struct Imported {
    pub file: NewFile,
    pub uploader: Uuid,
    pub versions: Vec<NewVersion>,
    pub review: Option<ImportedReview>,
}

pub struct ImportedReview {
    pub status: ReviewStatus,
    pub message: Option<String>,
    pub due_date: Option<NaiveDate>,
    pub requested_by: Uuid,
    pub decided_by: Option<Uuid>,
    pub comment: Option<String>,
}

/// Records an imported file with its history, telling nobody (no notification, no mail) but
/// the live streams.
pub async fn import(change: &mut Change<'_>, project: &project::Model, imp: Imported) -> ApiResult<file::Model> {
    let now = Utc::now();
    let first = imp.versions.first().ok_or_else(|| ApiError::Internal(anyhow::anyhow!("an import has a version")))?;
    let model = file::ActiveModel {
        id: Set(first.file_id),
        client_id: Set(project.client_id),
        project_id: Set(project.id),
        task_id: Set(imp.file.task_id),
        comment_id: Set(None),
        folder: Set(imp.file.folder),
        name: Set(imp.file.name),
        current_version: Set(imp.versions.len() as i32),
        created_by: Set(imp.uploader),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(change.db())
    .await?;
    let mut last = None;
    for (i, v) in imp.versions.into_iter().enumerate() {
        last = Some(insert_version(change, &model, i as i32 + 1, v, imp.uploader).await?);
    }
    if let (Some(r), Some(v)) = (imp.review, last) {
        review::ActiveModel {
            id: Set(Uuid::now_v7()),
            file_id: Set(model.id),
            version_id: Set(v.id),
            client_id: Set(model.client_id),
            status: Set(r.status),
            message: Set(r.message),
            due_date: Set(r.due_date),
            requested_by: Set(r.requested_by),
            requested_at: Set(now),
            decided_by: Set(r.decided_by),
            decided_at: Set(r.decided_by.map(|_| now)),
            decision_comment: Set(r.comment),
        }
        .insert(change.db())
        .await?;
    }
    change.event(event("file.created", &model, serde_json::json!({"version": model.current_version}))).await?;
    Ok(model)
}

/// Records a file attached to a comment (whose bytes are stored) and lists it on the comment:
/// a Note's attachment is a Note, seen only where the Note is; no `file.*` event announces it —
/// the comment's own change does, to exactly the comment's readers.
pub async fn attach(change: &mut Change<'_>, c: &comment::Model, version: NewVersion) -> ApiResult<file::Model> {
    let actor = change.actor().ok_or_else(|| ApiError::Internal(anyhow::anyhow!("an upload needs an uploader")))?;
    let t = task::Entity::find_by_id(c.task_id).one(change.db()).await?.ok_or(ApiError::NotFound)?;
    let now = Utc::now();
    let model = file::ActiveModel {
        id: Set(version.file_id),
        client_id: Set(c.client_id),
        project_id: Set(t.project_id),
        task_id: Set(Some(t.id)),
        comment_id: Set(Some(c.id)),
        folder: Set(None),
        name: Set(version.original_name.clone()),
        current_version: Set(1),
        created_by: Set(actor.user_id),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(change.db())
    .await
    .map_err(gone)?;
    let v = insert_version(change, &model, 1, version, actor.user_id).await?;
    let attachment =
        Attachment { file_id: model.id, name: model.name.clone(), size: v.size, content_type: v.content_type.clone() };
    comments::attach(change, c.id, attachment).await?;
    let entry = Entry::new("file.attached", "comment", Some(c.id), Some(c.client_id));
    change.audit(entry.details(audit_details(&model, &v))).await?;
    Ok(model)
}

/// A deleted comment's attachments go with it: rows now, bytes by a job.
pub async fn forget_comment(change: &mut Change<'_>, comment_id: Uuid) -> ApiResult<()> {
    let attached = file::Entity::find().filter(file::Column::CommentId.eq(comment_id)).all(change.db()).await?;
    for f in attached {
        file::Entity::delete_by_id(f.id).exec(change.db()).await?;
        let prefix = format!("projects/{}/{}", f.project_id, f.id);
        change.schedule(jobs::DELETE_OBJECTS, serde_json::json!({"prefix": prefix}), Utc::now(), None).await?;
    }
    Ok(())
}

/// A deleted task's comments take their attachments with them (the rows cascade); their bytes
/// are removed by a job. The task's Files-area files stay in the project.
pub async fn forget_task(change: &mut Change<'_>, task_id: Uuid) -> ApiResult<()> {
    let attached = file::Entity::find()
        .filter(file::Column::TaskId.eq(task_id))
        .filter(file::Column::CommentId.is_not_null())
        .all(change.db())
        .await?;
    for f in attached {
        let prefix = format!("projects/{}/{}", f.project_id, f.id);
        change.schedule(jobs::DELETE_OBJECTS, serde_json::json!({"prefix": prefix}), Utc::now(), None).await?;
    }
    Ok(())
}

/// A deleted project's stored files go with it (their rows cascade).
pub async fn forget_project(change: &mut Change<'_>, project_id: Uuid) -> ApiResult<()> {
    let any = file::Entity::find().filter(file::Column::ProjectId.eq(project_id)).one(change.db()).await?;
    if any.is_some() {
        let prefix = format!("projects/{project_id}");
        change.schedule(jobs::DELETE_OBJECTS, serde_json::json!({"prefix": prefix}), Utc::now(), None).await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_lose_their_paths_and_dangerous_characters() {
        assert_eq!(sanitize_name("../../etc/passwd"), "passwd");
        assert_eq!(sanitize_name("C:\\Users\\me\\brief.pdf"), "brief.pdf");
        assert_eq!(sanitize_name("a\"b\r\nc.txt"), "a b c.txt");
        assert_eq!(sanitize_name("..."), "file");
        assert_eq!(sanitize_name("invoice\u{202e}fdp.exe"), "invoice fdp.exe");
        assert_eq!(sanitize_name("a\u{200b}b.txt"), "a b.txt");
        assert_eq!(sanitize_name("  logo final .png  "), "logo final .png");
        let long = format!("{}.pdf", "x".repeat(300));
        let cut = sanitize_name(&long);
        assert_eq!(cut.chars().count(), 200);
        assert!(cut.ends_with(".pdf"));
    }

    #[test]
    fn folders_are_paths_of_clean_names() {
        assert_eq!(sanitize_folder("/Design//Logos/").unwrap().as_deref(), Some("Design/Logos"));
        assert_eq!(sanitize_folder("  ").unwrap(), None);
        assert!(sanitize_folder("a/b/c/d/e/f").is_err());
    }
}
