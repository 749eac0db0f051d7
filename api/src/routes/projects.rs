//! Projects. Clients read their own account's; staff with `projects.write` manage them.
use std::collections::HashMap;

use sea_orm::{
    ConnectionTrait, FromQueryResult, QuerySelect,
    sea_query::{Expr, ExprTrait},
};

use super::prelude::*;
use crate::{entities::event::AUDIENCE_ALL, services::events::NewEvent};

fn project_event(p: &project::Model) -> NewEvent {
    NewEvent {
        client_id: Some(p.client_id),
        audience: AUDIENCE_ALL,
        kind: "project.updated",
        resource_id: p.id,
        payload: serde_json::json!({"project_id": p.id}),
    }
}
use crate::entities::{
    client,
    enums::{ProjectStatus, TaskStatus},
    project, task,
};

/// Derived from the project's tasks.
#[derive(Serialize, ToSchema, Default, Clone, Copy)]
pub struct Progress {
    pub tasks_total: i64,
    pub tasks_done: i64,
    /// 0..=100, rounded down; 0 for a project without tasks.
    pub percent: i64,
}

#[derive(Serialize, ToSchema)]
pub struct ProjectResponse {
    pub id: Uuid,
    pub client_id: Uuid,
    pub name: String,
    pub description: String,
    pub status: ProjectStatus,
    pub start_date: Option<NaiveDate>,
    pub end_date: Option<NaiveDate>,
    pub progress: Progress,
    pub created_at: chrono::DateTime<Utc>,
    pub updated_at: chrono::DateTime<Utc>,
}

impl ProjectResponse {
    fn new(m: project::Model, progress: Progress) -> Self {
        Self {
            id: m.id,
            client_id: m.client_id,
            name: m.name,
            description: m.description,
            status: m.status,
            start_date: m.start_date,
            end_date: m.end_date,
            progress,
            created_at: m.created_at,
            updated_at: m.updated_at,
        }
    }
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ListProjectsQuery {
    pub status: Option<ProjectStatus>,
    /// Staff only in effect: a client always sees just their own account.
    pub client_id: Option<Uuid>,
    /// `name` (default), `-created_at`, `start_date`, `end_date`.
    pub sort: Option<String>,
    pub limit: Option<u64>,
    pub cursor: Option<String>,
}

#[derive(Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct CreateProjectRequest {
    pub client_id: Uuid,
    #[validate(length(min = 1, max = 200))]
    pub name: String,
    #[validate(length(max = 20000))]
    #[serde(default)]
    pub description: String,
    pub status: Option<ProjectStatus>,
    pub start_date: Option<NaiveDate>,
    pub end_date: Option<NaiveDate>,
}

#[derive(Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct UpdateProjectRequest {
    #[validate(length(min = 1, max = 200))]
    pub name: Option<String>,
    #[validate(length(max = 20000))]
    pub description: Option<String>,
    pub status: Option<ProjectStatus>,
    #[serde(default, deserialize_with = "patch_field")]
    #[schema(value_type = Option<NaiveDate>)]
    pub start_date: Option<Option<NaiveDate>>,
    #[serde(default, deserialize_with = "patch_field")]
    #[schema(value_type = Option<NaiveDate>)]
    pub end_date: Option<Option<NaiveDate>>,
}

const SORTS: &[Sort<project::Entity>] = &[
    Sort { name: "name", col: project::Column::Name, desc: false, nullable: false, key: |m| Key::Text(m.name.clone()) },
    Sort {
        name: "-created_at",
        col: project::Column::CreatedAt,
        desc: true,
        nullable: false,
        key: |m| Key::Time(m.created_at),
    },
    Sort {
        name: "start_date",
        col: project::Column::StartDate,
        desc: false,
        nullable: true,
        key: |m| Key::Date(m.start_date),
    },
    Sort {
        name: "end_date",
        col: project::Column::EndDate,
        desc: false,
        nullable: true,
        key: |m| Key::Date(m.end_date),
    },
];

#[derive(FromQueryResult)]
struct Counts {
    project_id: Uuid,
    total: i64,
    done: i64,
}

/// Task counts for a page of projects in one grouped query (never one per project).
pub async fn progress_of(db: &impl ConnectionTrait, ids: &[Uuid]) -> ApiResult<HashMap<Uuid, Progress>> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let done = Expr::case(task::Column::Status.eq(TaskStatus::Done), 1).finally(0);
    let rows = task::Entity::find()
        .select_only()
        .column(task::Column::ProjectId)
        .column_as(Expr::col(task::Column::Id).count(), "total")
        .column_as(Expr::expr(done).sum(), "done")
        .filter(task::Column::ProjectId.is_in(ids.iter().copied()))
        .group_by(task::Column::ProjectId)
        .into_model::<Counts>()
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|c| {
            (
                c.project_id,
                Progress {
                    tasks_total: c.total,
                    tasks_done: c.done,
                    percent: if c.total > 0 { c.done * 100 / c.total } else { 0 },
                },
            )
        })
        .collect())
}

fn check_dates(start: Option<NaiveDate>, end: Option<NaiveDate>) -> ApiResult<()> {
    match (start, end) {
        (Some(s), Some(e)) if e < s => Err(ApiError::field("end_date", "must not be before start_date")),
        _ => Ok(()),
    }
}

/// List projects (a client sees only their own account's).
#[utoipa::path(tag = "projects", params(ListProjectsQuery), responses((status = 200, body = Page<ProjectResponse>)))]
#[get("/projects")]
pub async fn list_projects(
    state: State,
    actor: Actor,
    query: web::Query<ListProjectsQuery>,
) -> ApiResult<web::Json<Page<ProjectResponse>>> {
    let mut select = policy::projects(&actor).list()?;
    let limit = pagination::limit(query.limit)?;
    let sort = pagination::pick(SORTS, query.sort.as_deref())?;
    if let Some(status) = query.status {
        select = select.filter(project::Column::Status.eq(status));
    }
    if let Some(client_id) = query.client_id {
        select = select.filter(project::Column::ClientId.eq(client_id));
    }
    let page =
        pagination::fetch_page(&state.db, select, sort, project::Column::Id, query.cursor.as_deref(), limit).await?;
    let ids: Vec<Uuid> = page.items.iter().map(|p| p.id).collect();
    let progress = progress_of(&state.db, &ids).await?;
    Ok(web::Json(page.map(|p| {
        let pr = progress.get(&p.id).copied().unwrap_or_default();
        ProjectResponse::new(p, pr)
    })))
}

/// Create a project for a client account.
#[utoipa::path(tag = "projects", request_body = CreateProjectRequest, responses((status = 201, body = ProjectResponse)))]
#[post("/projects")]
pub async fn create_project(state: State, actor: Actor, body: Body<CreateProjectRequest>) -> ApiResult<HttpResponse> {
    actor.require(Perm::ProjectsWrite)?;
    body.validate()?;
    let body = body.into_inner();
    check_dates(body.start_date, body.end_date)?;
    client::Entity::find_by_id(body.client_id)
        .one(&state.db)
        .await?
        .ok_or_else(|| ApiError::field("client_id", "is not a known client"))?;
    let now = Utc::now();
    let model = project::ActiveModel {
        id: Set(Uuid::now_v7()),
        client_id: Set(body.client_id),
        name: Set(body.name.trim().to_owned()),
        description: Set(body.description),
        status: Set(body.status.unwrap_or(ProjectStatus::Planned)),
        start_date: Set(body.start_date),
        end_date: Set(body.end_date),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&state.db)
    .await?;
    state.publish(project_event(&model)).await?;
    Ok(HttpResponse::Created().json(ProjectResponse::new(model, Progress::default())))
}

/// A project with its progress.
#[utoipa::path(tag = "projects", params(("id" = Uuid, Path)), responses((status = 200, body = ProjectResponse)))]
#[get("/projects/{id}")]
pub async fn get_project(state: State, actor: Actor, id: web::Path<Uuid>) -> ApiResult<web::Json<ProjectResponse>> {
    let model = policy::projects(&actor).get(&state.db, *id).await?;
    let progress = progress_of(&state.db, &[model.id]).await?.remove(&model.id).unwrap_or_default();
    Ok(web::Json(ProjectResponse::new(model, progress)))
}

/// Edit a project.
#[utoipa::path(tag = "projects", params(("id" = Uuid, Path)), request_body = UpdateProjectRequest, responses((status = 200, body = ProjectResponse)))]
#[patch("/projects/{id}")]
pub async fn update_project(
    state: State,
    actor: Actor,
    id: web::Path<Uuid>,
    body: Body<UpdateProjectRequest>,
) -> ApiResult<web::Json<ProjectResponse>> {
    let model = policy::projects(&actor).get_for(&state.db, *id, Perm::ProjectsWrite).await?;
    body.validate()?;
    let body = body.into_inner();
    check_dates(body.start_date.unwrap_or(model.start_date), body.end_date.unwrap_or(model.end_date))?;
    let mut active = model.into_active_model();
    if let Some(v) = body.name {
        active.name = Set(v.trim().to_owned());
    }
    if let Some(v) = body.description {
        active.description = Set(v);
    }
    if let Some(v) = body.status {
        active.status = Set(v);
    }
    if let Some(v) = body.start_date {
        active.start_date = Set(v);
    }
    if let Some(v) = body.end_date {
        active.end_date = Set(v);
    }
    active.updated_at = Set(Utc::now());
    let model = active.update(&state.db).await?;
    state.publish(project_event(&model)).await?;
    let progress = progress_of(&state.db, &[model.id]).await?.remove(&model.id).unwrap_or_default();
    Ok(web::Json(ProjectResponse::new(model, progress)))
}

/// Delete a project with its tasks and comments.
#[utoipa::path(tag = "projects", params(("id" = Uuid, Path)), responses((status = 204, description = "Deleted")))]
#[delete("/projects/{id}")]
pub async fn delete_project(state: State, actor: Actor, id: web::Path<Uuid>) -> ApiResult<HttpResponse> {
    let model = policy::projects(&actor).get_for(&state.db, *id, Perm::ProjectsWrite).await?;
    project::Entity::delete_by_id(model.id).exec(&state.db).await?;
    state.publish(project_event(&model)).await?;
    Ok(HttpResponse::NoContent().finish())
}

pub fn config(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_projects)
        .service(create_project)
        .service(get_project)
        .service(update_project)
        .service(delete_project);
}
