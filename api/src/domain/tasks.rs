//! Tasks: the board of a project. Reads — the task row (read by position, with the assignee's
//! and project's names joined in), filtered pages, the task page with its thread in one
//! statement — and writes, each a `task.*` event; a task moved to Done tells the client.
use sea_orm::{
    JoinType, QueryOrder, QuerySelect, QueryTrait, RelationTrait, Select,
    sea_query::{Alias, Expr, ExprTrait, Order},
};

use super::{
    comments::{self, CommentResponse, CommentRow},
    notify,
    prelude::*,
};
use crate::{
    entities::{
        enums::{RoleKind, TaskPriority, TaskStatus, UserStatus},
        event::AUDIENCE_ALL,
        project, role, task, user,
    },
    rows::positional_row,
};

positional_row! {
    #[derive(Serialize, ToSchema)]
    pub struct TaskResponse {
        pub id: Uuid = task::Column::Id,
        pub client_id: Uuid = task::Column::ClientId,
        pub project_id: Uuid = task::Column::ProjectId,
        pub project_name: String = project::Column::Name,
        pub title: String = task::Column::Title,
        pub description: String = task::Column::Description,
        pub status: TaskStatus = task::Column::Status,
        pub priority: TaskPriority = task::Column::Priority,
        /// A staff user.
        pub assignee_id: Option<Uuid> = task::Column::AssigneeId,
        pub assignee_name: Option<String> = user::Column::Name,
        #[serde(serialize_with = "crate::timefmt::opt_date")]
        pub due_date: Option<NaiveDate> = task::Column::DueDate,
        /// Order within the project's board column; lower comes first.
        pub position: i64 = task::Column::Position,
        #[serde(serialize_with = "crate::timefmt::utc")]
        pub created_at: chrono::DateTime<Utc> = task::Column::CreatedAt,
        #[serde(serialize_with = "crate::timefmt::utc")]
        pub updated_at: chrono::DateTime<Utc> = task::Column::UpdatedAt,
    }
}

/// A task, with what was asked for in `include`.
#[derive(Serialize, ToSchema)]
pub struct TaskDetailResponse {
    #[serde(flatten)]
    pub task: TaskResponse,
    /// With `include=comments` only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub comments: Option<Page<CommentResponse>>,
}

/// The filters and page of a task list.
#[derive(Deserialize, utoipa::IntoParams, Default)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ListTasksQuery {
    /// One status or several, comma-separated (`todo,in_progress`).
    pub status: Option<String>,
    /// Only tasks not done.
    pub open: Option<bool>,
    pub priority: Option<TaskPriority>,
    pub project_id: Option<Uuid>,
    /// Staff only in effect: a client always sees just their own account.
    pub client_id: Option<Uuid>,
    pub assignee_id: Option<Uuid>,
    /// Only tasks due strictly before this date.
    pub due_before: Option<NaiveDate>,
    /// `due_date` (default for `/tasks`, undated last), `position` (default within a project),
    /// `-updated_at`, `-created_at`.
    #[param(pattern = "^(due_date|position|-updated_at|-created_at)$")]
    pub sort: Option<String>,
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u64>,
    pub cursor: Option<String>,
}

#[derive(Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct CreateTaskRequest {
    #[schema(min_length = 1, max_length = 300)]
    #[validate(length(min = 1, max = 300))]
    pub title: String,
    #[schema(max_length = 20000)]
    #[validate(length(max = 20000))]
    #[serde(default)]
    pub description: String,
    pub status: Option<TaskStatus>,
    pub priority: Option<TaskPriority>,
    pub assignee_id: Option<Uuid>,
    pub due_date: Option<NaiveDate>,
    /// Defaults to the end of the board.
    pub position: Option<i64>,
}

#[derive(Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct UpdateTaskRequest {
    #[schema(min_length = 1, max_length = 300)]
    #[validate(length(min = 1, max = 300))]
    pub title: Option<String>,
    #[schema(max_length = 20000)]
    #[validate(length(max = 20000))]
    pub description: Option<String>,
    pub status: Option<TaskStatus>,
    pub priority: Option<TaskPriority>,
    #[serde(default, deserialize_with = "patch_field")]
    #[schema(value_type = Option<Uuid>)]
    pub assignee_id: Option<Option<Uuid>>,
    #[serde(default, deserialize_with = "patch_field")]
    #[schema(value_type = Option<NaiveDate>)]
    pub due_date: Option<Option<NaiveDate>>,
    pub position: Option<i64>,
}

type TaskSort = Sort<task::Entity, TaskResponse>;

const SORTS: &[TaskSort] = &[
    Sort { name: "due_date", col: task::Column::DueDate, desc: false, nullable: true, key: |t| Key::Date(t.due_date) },
    Sort { name: "position", col: task::Column::Position, desc: false, nullable: false, key: |t| Key::Int(t.position) },
    Sort {
        name: "-updated_at",
        col: task::Column::UpdatedAt,
        desc: true,
        nullable: false,
        key: |t| Key::Time(t.updated_at),
    },
    Sort {
        name: "-created_at",
        col: task::Column::CreatedAt,
        desc: true,
        nullable: false,
        key: |t| Key::Time(t.created_at),
    },
];

/// Selects what a `TaskResponse` is read from: the task's columns and, in the same statement,
/// the assignee's and the project's names.
fn with_names(select: Select<task::Entity>) -> Select<task::Entity> {
    TaskResponse::select(select.select_only())
        .join(JoinType::LeftJoin, task::Relation::Assignee.def())
        .join(JoinType::InnerJoin, task::Relation::Project.def())
}

/// The task page in one statement: the task with its names, left-joined to the first page of
/// the comments the caller may read (a row per comment, or a single row without one). Through
/// the caller's task scope as `fetch_one`: 404, then 403 without `tasks.read`, which the
/// comment list requires too.
pub async fn fetch_with_comments(
    db: &impl ConnectionTrait,
    actor: &Actor,
    id: Uuid,
    limit: u64,
) -> ApiResult<TaskDetailResponse> {
    let rows = policy::tasks(actor)
        .one_with(async |s| {
            let c = Alias::new("c");
            let mut query = with_names(s.filter(task::Column::Id.eq(id))).into_query();
            query.join_subquery(
                sea_orm::sea_query::JoinType::LeftJoin,
                comments::first_page_subquery(actor, id, limit)?,
                c.clone(),
                Expr::cust("1 = 1"),
            );
            for column in CommentRow::COLUMNS {
                query.column((c.clone(), Alias::new(*column)));
            }
            query
                .order_by((c.clone(), Alias::new("created_at")), Order::Asc)
                .order_by((c, Alias::new("id")), Order::Asc);
            let rows = db.query_all(&query).await?;
            Ok((!rows.is_empty()).then_some(rows))
        })
        .await?;
    let task = TaskResponse::read_at(&rows[0], 0).map_err(sea_orm::DbErr::from)?;
    let mut thread = Vec::with_capacity(rows.len());
    for row in &rows {
        thread.extend(CommentRow::read_joined_at(row, TaskResponse::COLUMNS.len()).map_err(sea_orm::DbErr::from)?);
    }
    Ok(TaskDetailResponse { task, comments: Some(comments::first_page(thread, limit)) })
}

/// One task with names, through the caller's scope (404, then 403 without `tasks.read`).
pub async fn fetch_one(db: &impl ConnectionTrait, actor: &Actor, id: Uuid) -> ApiResult<TaskResponse> {
    policy::tasks(actor)
        .one_with(async |s| {
            Ok(with_names(s.filter(task::Column::Id.eq(id))).into_model::<TaskResponse>().one(db).await?)
        })
        .await
}

fn parse_statuses(raw: &str) -> ApiResult<Vec<TaskStatus>> {
    raw.split(',')
        .map(|s| serde_json::from_value(serde_json::Value::String(s.trim().to_owned())))
        .collect::<Result<_, _>>()
        .map_err(|_| ApiError::field("status", crate::problem!("task-status-filter-invalid")))
}

/// Applies the list filters, sort and page to a scoped task select: one statement.
pub async fn list_page(
    db: &impl ConnectionTrait,
    mut select: Select<task::Entity>,
    query: &ListTasksQuery,
    default_sort: &str,
) -> ApiResult<Page<TaskResponse>> {
    let limit = pagination::limit(query.limit)?;
    let sort = pagination::pick(SORTS, Some(query.sort.as_deref().unwrap_or(default_sort)))?;
    if let Some(raw) = &query.status {
        select = select.filter(task::Column::Status.is_in(parse_statuses(raw)?));
    }
    if query.open == Some(true) {
        // A literal, not a bind parameter: only then can PostgreSQL prove the partial index
        // ix_tasks_client_open_due applies in a prepared statement's generic plan (with a
        // parameter it fell back to filtering done tasks out of the client's index, ~3×
        // slower; docs/benchmarks.md).
        select = select.filter(Expr::col((task::Entity, task::Column::Status)).ne(Expr::cust("'done'")));
    }
    if let Some(p) = query.priority {
        select = select.filter(task::Column::Priority.eq(p));
    }
    if let Some(id) = query.project_id {
        select = select.filter(task::Column::ProjectId.eq(id));
    }
    if let Some(id) = query.client_id {
        select = select.filter(task::Column::ClientId.eq(id));
    }
    if let Some(id) = query.assignee_id {
        select = select.filter(task::Column::AssigneeId.eq(id));
    }
    if let Some(d) = query.due_before {
        select = select.filter(task::Column::DueDate.lt(d));
    }
    let select = pagination::prepare(select, sort, task::Column::Id, query.cursor.as_deref(), limit)?;
    let rows = with_names(select).into_model::<TaskResponse>().all(db).await?;
    Ok(pagination::finish(rows, limit, sort.name, sort.key, |t| t.id))
}

/// An assignee must be an active staff user.
async fn check_assignee(db: &impl ConnectionTrait, id: Uuid) -> ApiResult<()> {
    let staff = user::Entity::belongs_to(role::Entity).from(user::Column::RoleId).to(role::Column::Id).into();
    let found = user::Entity::find_by_id(id)
        .join(JoinType::InnerJoin, staff)
        .filter(role::Column::Kind.eq(RoleKind::Staff))
        .filter(user::Column::Status.eq(UserStatus::Active))
        .one(db)
        .await?;
    found.map(|_| ()).ok_or_else(|| ApiError::field("assignee_id", crate::problem!("task-assignee-not-staff")))
}

fn event(kind: &'static str, t: &task::Model) -> NewEvent {
    NewEvent {
        client_id: Some(t.client_id),
        audience: AUDIENCE_ALL,
        kind,
        resource_id: t.id,
        payload: serde_json::json!({"task_id": t.id, "project_id": t.project_id}),
        source: Source::task(t.id),
    }
}

/// Adds a task to `project`, at the end of its board unless a position is given.
pub async fn create(
    change: &mut Change<'_>,
    project: &project::Model,
    body: CreateTaskRequest,
) -> ApiResult<task::Model> {
    if let Some(assignee) = body.assignee_id {
        check_assignee(change.db(), assignee).await?;
    }
    let position = match body.position {
        Some(p) => p,
        None => {
            let last = task::Entity::find()
                .filter(task::Column::ProjectId.eq(project.id))
                .order_by_desc(task::Column::Position)
                .one(change.db())
                .await?;
            last.map(|t| t.position + 1024).unwrap_or(1024)
        }
    };
    let now = Utc::now();
    let model = task::ActiveModel {
        id: Set(Uuid::now_v7()),
        client_id: Set(project.client_id),
        project_id: Set(project.id),
        title: Set(body.title.trim().to_owned()),
        description: Set(body.description),
        status: Set(body.status.unwrap_or(TaskStatus::Todo)),
        priority: Set(body.priority.unwrap_or(TaskPriority::Medium)),
        assignee_id: Set(body.assignee_id),
        due_date: Set(body.due_date),
        position: Set(position),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(change.db())
    .await?;
    change.event(event("task.created", &model)).await?;
    Ok(model)
}

/// Edits a task: title, description, status (a board move), priority, assignee, due date,
/// position. Moving it to Done tells the client (an automation the settings can turn off).
pub async fn update(change: &mut Change<'_>, model: task::Model, body: UpdateTaskRequest) -> ApiResult<task::Model> {
    if let Some(Some(assignee)) = body.assignee_id {
        check_assignee(change.db(), assignee).await?;
    }
    let previous_status = model.status;
    let mut active = model.into_active_model();
    if let Some(v) = body.title {
        active.title = Set(v.trim().to_owned());
    }
    if let Some(v) = body.description {
        active.description = Set(v);
    }
    if let Some(v) = body.status {
        active.status = Set(v);
    }
    if let Some(v) = body.priority {
        active.priority = Set(v);
    }
    if let Some(v) = body.assignee_id {
        active.assignee_id = Set(v);
    }
    if let Some(v) = body.due_date {
        active.due_date = Set(v);
    }
    if let Some(v) = body.position {
        active.position = Set(v);
    }
    active.updated_at = Set(Utc::now());
    let model = active.update(change.db()).await?;
    let event_id = change.event(event("task.updated", &model)).await?;
    if previous_status != TaskStatus::Done && model.status == TaskStatus::Done {
        notify::task_done(change, &model, event_id).await?;
        super::surveys::task_done(change, &model).await?;
    }
    Ok(model)
}

/// Deletes a task and its comments.
pub async fn delete(change: &mut Change<'_>, model: task::Model) -> ApiResult<()> {
    super::files::forget_task(change, model.id).await?;
    super::responses::forget(change, Some(model.id), None).await?;
    task::Entity::delete_by_id(model.id).exec(change.db()).await?;
    change.event(event("task.deleted", &model)).await?;
    let entry = Entry::new("task.deleted", "task", Some(model.id), Some(model.client_id));
    change.audit(entry.details(serde_json::json!({"title": model.title, "project_id": model.project_id}))).await?;
    Ok(())
}
