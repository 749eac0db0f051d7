//! Tasks. Clients read their own account's; staff with `tasks.write` manage them.
use serde::Deserialize;

use super::prelude::*;
use crate::{
    domain::tasks::{self, CreateTaskRequest, ListTasksQuery, TaskDetailResponse, TaskResponse, UpdateTaskRequest},
    entities::task,
};

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
    #[param(minimum = 1, maximum = 200)]
    pub comments_limit: Option<u64>,
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
    Ok(web::Json(tasks::list_page(&state.db, select, &query, "due_date").await?))
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
    let select = policy::tasks(&actor).list()?.filter(task::Column::ProjectId.eq(project.id));
    Ok(web::Json(tasks::list_page(&state.db, select, &query, "position").await?))
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
    let task = Change::run(&state, Some(&actor), async |c| tasks::create(c, &project, body.into_inner()).await).await?;
    Ok(HttpResponse::Created().json(tasks::fetch_one(&state.db, &actor, task.id).await?))
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
        (None, Some(_)) => {
            return Err(ApiError::field("comments_limit", crate::problem!("page-comments-limit-needs-include")));
        }
        (None, None) => None,
    };
    Ok(web::Json(match comments_limit {
        Some(limit) => tasks::fetch_with_comments(&state.db, &actor, *id, limit).await?,
        None => TaskDetailResponse { task: tasks::fetch_one(&state.db, &actor, *id).await?, comments: None },
    }))
}

/// Edit a task: title, description, status (a board move), priority, assignee, due date, position.
#[utoipa::path(tag = "tasks", params(("id" = Uuid, Path)), request_body = UpdateTaskRequest, responses((status = 200, body = TaskResponse)))]
#[patch("/tasks/{id}")]
pub async fn update_task(
    state: State,
    actor: Actor,
    id: web::Path<Uuid>,
    if_match: IfMatch,
    body: Body<UpdateTaskRequest>,
) -> ApiResult<web::Json<TaskResponse>> {
    let task = policy::tasks(&actor).get_for(&state.db, *id, Perm::TasksWrite).await?;
    body.validate()?;
    let task = Change::run(&state, Some(&actor), async |c| {
        if_match.hold(c, "tasks", task.id, async |db| tasks::fetch_one(db, &actor, task.id).await).await?;
        tasks::update(c, task, body.into_inner()).await
    })
    .await?;
    Ok(web::Json(tasks::fetch_one(&state.db, &actor, task.id).await?))
}

/// Delete a task and its comments.
#[utoipa::path(tag = "tasks", params(("id" = Uuid, Path)), responses((status = 204, description = "Deleted")))]
#[delete("/tasks/{id}")]
pub async fn delete_task(state: State, actor: Actor, id: web::Path<Uuid>) -> ApiResult<HttpResponse> {
    let task = policy::tasks(&actor).get_for(&state.db, *id, Perm::TasksWrite).await?;
    Change::run(&state, Some(&actor), async |c| tasks::delete(c, task).await).await?;
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
