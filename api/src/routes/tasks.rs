//! Tasks. Clients read their own account's; staff with `tasks.write` manage them.
use sea_orm::{
    ConnectionTrait, FromQueryResult, JoinType, QueryOrder, QuerySelect, RelationTrait, Select,
    sea_query::{Expr, ExprTrait},
};

use super::{comments, prelude::*};
use crate::{entities::event::AUDIENCE_ALL, services::events::NewEvent};

fn task_event(kind: &'static str, t: &task::Model) -> NewEvent {
    NewEvent {
        client_id: Some(t.client_id),
        audience: AUDIENCE_ALL,
        kind,
        resource_id: t.id,
        payload: serde_json::json!({"task_id": t.id, "project_id": t.project_id}),
    }
}
use crate::entities::{
    enums::{RoleKind, TaskPriority, TaskStatus, UserStatus},
    project, role, task, user,
};

#[derive(Serialize, ToSchema)]
pub struct TaskResponse {
    pub id: Uuid,
    pub client_id: Uuid,
    pub project_id: Uuid,
    pub project_name: String,
    pub title: String,
    pub description: String,
    pub status: TaskStatus,
    pub priority: TaskPriority,
    /// A staff user.
    pub assignee_id: Option<Uuid>,
    pub assignee_name: Option<String>,
    #[serde(serialize_with = "crate::timefmt::opt_date")]
    pub due_date: Option<NaiveDate>,
    /// Order within the project's board column; lower comes first.
    pub position: i64,
    #[serde(serialize_with = "crate::timefmt::utc")]
    pub created_at: chrono::DateTime<Utc>,
    #[serde(serialize_with = "crate::timefmt::utc")]
    pub updated_at: chrono::DateTime<Utc>,
}

/// What `GET /tasks/{id}` can embed.
#[derive(Deserialize, ToSchema, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum TaskInclude {
    Comments,
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct GetTaskQuery {
    /// `comments`: also the first page of the task's comments, oldest first, as
    /// `/tasks/{id}/comments` gives it to the caller (Replies only for clients) — the task page
    /// in one request.
    #[param(inline)]
    pub include: Option<TaskInclude>,
    /// Page size of the embedded comments (default 50, at most 200); further pages come from
    /// `/tasks/{id}/comments` with the page's `next_cursor`.
    pub comments_limit: Option<u64>,
}

/// A task, with what was asked for in `include`.
#[derive(Serialize, ToSchema)]
pub struct TaskDetailResponse {
    #[serde(flatten)]
    pub task: TaskResponse,
    /// With `include=comments` only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub comments: Option<Page<comments::CommentResponse>>,
}

#[derive(Deserialize, IntoParams)]
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
    pub sort: Option<String>,
    pub limit: Option<u64>,
    pub cursor: Option<String>,
}

#[derive(Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct CreateTaskRequest {
    #[validate(length(min = 1, max = 300))]
    pub title: String,
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
    #[validate(length(min = 1, max = 300))]
    pub title: Option<String>,
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

/// The task columns a `TaskResponse` is read from, in select order; `with_names` adds the two
/// names after them.
const TASK_COLUMNS: [task::Column; 12] = [
    task::Column::Id,
    task::Column::ClientId,
    task::Column::ProjectId,
    task::Column::Title,
    task::Column::Description,
    task::Column::Status,
    task::Column::Priority,
    task::Column::AssigneeId,
    task::Column::DueDate,
    task::Column::Position,
    task::Column::CreatedAt,
    task::Column::UpdatedAt,
];

/// Selects what a `TaskResponse` is read from: the task's columns and, in the same statement,
/// the assignee's and the project's names.
fn names(select: Select<task::Entity>) -> Select<task::Entity> {
    select
        .select_only()
        .columns(TASK_COLUMNS)
        .join(JoinType::LeftJoin, task::Relation::Assignee.def())
        .join(JoinType::InnerJoin, task::Relation::Project.def())
        .column_as(user::Column::Name, "assignee_name")
        .column_as(project::Column::Name, "project_name")
}

fn with_names(select: Select<task::Entity>) -> sea_orm::Selector<sea_orm::SelectModel<TaskResponse>> {
    names(select).into_model::<TaskResponse>()
}

/// Reads the row `with_names` selects by position: the derived reader looks every column up
/// by name, a hash per column per row, which on a page of 50 tasks was a measurable share of
/// the request (docs/benchmarks.md).
impl FromQueryResult for TaskResponse {
    fn from_query_result(res: &sea_orm::QueryResult, pre: &str) -> Result<Self, sea_orm::DbErr> {
        Ok(Self::from_query_result_nullable(res, pre)?)
    }

    fn from_query_result_nullable(res: &sea_orm::QueryResult, _: &str) -> Result<Self, sea_orm::TryGetError> {
        Ok(Self {
            id: res.try_get_by_index_nullable(0)?,
            client_id: res.try_get_by_index_nullable(1)?,
            project_id: res.try_get_by_index_nullable(2)?,
            title: res.try_get_by_index_nullable(3)?,
            description: res.try_get_by_index_nullable(4)?,
            status: res.try_get_by_index_nullable(5)?,
            priority: res.try_get_by_index_nullable(6)?,
            assignee_id: res.try_get_by_index_nullable(7)?,
            due_date: res.try_get_by_index_nullable(8)?,
            position: res.try_get_by_index_nullable(9)?,
            created_at: res.try_get_by_index_nullable(10)?,
            updated_at: res.try_get_by_index_nullable(11)?,
            assignee_name: res.try_get_by_index_nullable(12)?,
            project_name: res.try_get_by_index_nullable(13)?,
        })
    }
}

/// The task page in one statement: the task with its names, left-joined to the first page of
/// the comments the caller may read (a row per comment, or a single row without one). Through
/// the caller's task scope as `fetch_one`: 404, then 403 without `tasks.read`, which the
/// comment list requires too.
async fn fetch_with_comments(
    db: &impl ConnectionTrait,
    actor: &Actor,
    id: Uuid,
    limit: u64,
) -> ApiResult<TaskDetailResponse> {
    use sea_orm::{
        QueryTrait,
        sea_query::{Alias, Order},
    };
    let rows = policy::tasks(actor)
        .one_with(async |s| {
            let c = Alias::new("c");
            let mut query = names(s.filter(task::Column::Id.eq(id))).into_query();
            query.join_subquery(
                sea_orm::sea_query::JoinType::LeftJoin,
                comments::first_page_subquery(actor, id, limit)?,
                c.clone(),
                Expr::cust("1 = 1"),
            );
            for column in comments::PAGE_COLUMNS {
                query.column((c.clone(), Alias::new(column)));
            }
            query
                .order_by((c.clone(), Alias::new("created_at")), Order::Asc)
                .order_by((c, Alias::new("id")), Order::Asc);
            let rows = db.query_all(&query).await?;
            Ok((!rows.is_empty()).then_some(rows))
        })
        .await?;
    let task = TaskResponse::from_query_result(&rows[0], "")?;
    let mut thread = Vec::with_capacity(rows.len());
    for row in &rows {
        thread.extend(comments::CommentRow::read_at(row, TASK_COLUMNS.len() + 2).map_err(sea_orm::DbErr::from)?);
    }
    Ok(TaskDetailResponse { task, comments: Some(comments::first_page(thread, limit)) })
}

/// One task with names, through the caller's scope (404, then 403 without `tasks.read`).
pub async fn fetch_one(db: &impl ConnectionTrait, actor: &Actor, id: Uuid) -> ApiResult<TaskResponse> {
    policy::tasks(actor).one_with(async |s| Ok(with_names(s.filter(task::Column::Id.eq(id))).one(db).await?)).await
}

fn parse_statuses(raw: &str) -> ApiResult<Vec<TaskStatus>> {
    raw.split(',')
        .map(|s| serde_json::from_value(serde_json::Value::String(s.trim().to_owned())))
        .collect::<Result<_, _>>()
        .map_err(|_| ApiError::field("status", "must be one or more of: todo, in_progress, done"))
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
    let rows = with_names(select).all(db).await?;
    Ok(pagination::finish(rows, limit, sort.name, sort.key, |t| t.id))
}

/// An assignee must be an active staff user.
async fn check_assignee(db: &impl ConnectionTrait, id: Uuid) -> ApiResult<()> {
    let found = user::Entity::find_by_id(id)
        .join(
            JoinType::InnerJoin,
            user::Entity::belongs_to(role::Entity).from(user::Column::RoleId).to(role::Column::Id).into(),
        )
        .filter(role::Column::Kind.eq(RoleKind::Staff))
        .filter(user::Column::Status.eq(UserStatus::Active))
        .one(db)
        .await?;
    found.map(|_| ()).ok_or_else(|| ApiError::field("assignee_id", "must be an active staff user"))
}

/// Tasks across projects: a client's ongoing work, a staff member's queue.
#[utoipa::path(tag = "tasks", params(ListTasksQuery), responses((status = 200, body = Page<TaskResponse>)))]
#[get("/tasks")]
pub async fn list_tasks(
    state: State,
    actor: Actor,
    query: web::Query<ListTasksQuery>,
) -> ApiResult<web::Json<Page<TaskResponse>>> {
    let select = policy::tasks(&actor).list()?;
    Ok(web::Json(list_page(&state.db, select, &query, "due_date").await?))
}

/// The tasks of a project (board order by default).
#[utoipa::path(tag = "tasks", params(("id" = Uuid, Path), ListTasksQuery), responses((status = 200, body = Page<TaskResponse>)))]
#[get("/projects/{id}/tasks")]
pub async fn list_project_tasks(
    state: State,
    actor: Actor,
    id: web::Path<Uuid>,
    query: web::Query<ListTasksQuery>,
) -> ApiResult<web::Json<Page<TaskResponse>>> {
    let project = policy::projects(&actor).get(&state.db, *id).await?;
    let select = policy::tasks(&actor).list()?;
    let select = select.filter(task::Column::ProjectId.eq(project.id));
    Ok(web::Json(list_page(&state.db, select, &query, "position").await?))
}

/// Add a task to a project.
#[utoipa::path(tag = "tasks", params(("id" = Uuid, Path)), request_body = CreateTaskRequest, responses((status = 201, body = TaskResponse)))]
#[post("/projects/{id}/tasks")]
pub async fn create_task(
    state: State,
    actor: Actor,
    id: web::Path<Uuid>,
    body: Body<CreateTaskRequest>,
) -> ApiResult<HttpResponse> {
    let project = policy::projects(&actor).get_for(&state.db, *id, Perm::TasksWrite).await?;
    body.validate()?;
    let body = body.into_inner();
    if let Some(assignee) = body.assignee_id {
        check_assignee(&state.db, assignee).await?;
    }
    let position = match body.position {
        Some(p) => p,
        None => {
            let last = task::Entity::find()
                .filter(task::Column::ProjectId.eq(project.id))
                .order_by_desc(task::Column::Position)
                .one(&state.db)
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
    .insert(&state.db)
    .await?;
    state.publish(task_event("task.created", &model)).await?;
    let response = fetch_one(&state.db, &actor, model.id).await?;
    Ok(HttpResponse::Created().json(response))
}

/// A task; with `include=comments`, its first page of comments too.
#[utoipa::path(tag = "tasks", params(("id" = Uuid, Path), GetTaskQuery), responses((status = 200, body = TaskDetailResponse)))]
#[get("/tasks/{id}")]
pub async fn get_task(
    state: State,
    actor: Actor,
    id: web::Path<Uuid>,
    query: web::Query<GetTaskQuery>,
) -> ApiResult<web::Json<TaskDetailResponse>> {
    // Checked before any statement, so a bad page size never costs a lookup.
    let comments_limit = match (query.include, query.comments_limit) {
        (Some(TaskInclude::Comments), limit) => Some(pagination::limit_of("comments_limit", limit)?),
        (None, Some(_)) => return Err(ApiError::field("comments_limit", "only applies with include=comments")),
        (None, None) => None,
    };
    Ok(web::Json(match comments_limit {
        Some(limit) => fetch_with_comments(&state.db, &actor, *id, limit).await?,
        None => TaskDetailResponse { task: fetch_one(&state.db, &actor, *id).await?, comments: None },
    }))
}

/// Edit a task: status (a board move), priority, assignee, due date, position.
#[utoipa::path(tag = "tasks", params(("id" = Uuid, Path)), request_body = UpdateTaskRequest, responses((status = 200, body = TaskResponse)))]
#[patch("/tasks/{id}")]
pub async fn update_task(
    state: State,
    actor: Actor,
    id: web::Path<Uuid>,
    body: Body<UpdateTaskRequest>,
) -> ApiResult<web::Json<TaskResponse>> {
    let model = policy::tasks(&actor).get_for(&state.db, *id, Perm::TasksWrite).await?;
    body.validate()?;
    let body = body.into_inner();
    if let Some(Some(assignee)) = body.assignee_id {
        check_assignee(&state.db, assignee).await?;
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
    let model = active.update(&state.db).await?;
    state.publish(task_event("task.updated", &model)).await?;
    if previous_status != TaskStatus::Done
        && model.status == TaskStatus::Done
        && let Err(e) = crate::services::notify::task_done(&state, &model).await
    {
        tracing::error!(error = %e, "could not notify the client of a finished task");
    }
    Ok(web::Json(fetch_one(&state.db, &actor, model.id).await?))
}

/// Delete a task and its comments.
#[utoipa::path(tag = "tasks", params(("id" = Uuid, Path)), responses((status = 204, description = "Deleted")))]
#[delete("/tasks/{id}")]
pub async fn delete_task(state: State, actor: Actor, id: web::Path<Uuid>) -> ApiResult<HttpResponse> {
    let model = policy::tasks(&actor).get_for(&state.db, *id, Perm::TasksWrite).await?;
    task::Entity::delete_by_id(model.id).exec(&state.db).await?;
    state.publish(task_event("task.deleted", &model)).await?;
    Ok(HttpResponse::NoContent().finish())
}

pub fn config(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_tasks)
        .service(list_project_tasks)
        .service(create_task)
        .service(get_task)
        .service(update_task)
        .service(delete_task);
}
