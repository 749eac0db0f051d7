//! Projects. Clients read their own account's; staff with `projects.write` manage them.
use serde::Deserialize;

use super::prelude::*;
use crate::{
    domain::projects::{self, CreateProjectRequest, ProjectResponse, UpdateProjectRequest},
    entities::{enums::ProjectStatus, project},
    pagination::{Key, Sort},
};

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ListProjectsQuery {
    pub status: Option<ProjectStatus>,
    /// Staff only in effect: a client always sees just their own account.
    pub client_id: Option<Uuid>,
    /// `name` (default), `-created_at`, `start_date`, `end_date`.
    #[param(pattern = "^(name|-created_at|start_date|end_date)$")]
    pub sort: Option<String>,
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u64>,
    pub cursor: Option<String>,
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
    let progress = projects::progress_of(&state.db, &ids).await?;
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
    let project = Change::run(&state, Some(&actor), async |c| projects::create(c, body.into_inner()).await).await?;
    Ok(HttpResponse::Created().json(ProjectResponse::new(project, Default::default())))
}

/// A project with its progress.
#[utoipa::path(tag = "projects", params(("id" = Uuid, Path)), responses((status = 200, body = ProjectResponse)))]
#[get("/projects/{id}")]
pub async fn get_project(state: State, actor: Actor, id: web::Path<Uuid>) -> ApiResult<web::Json<ProjectResponse>> {
    let project = policy::projects(&actor).get(&state.db, *id).await?;
    Ok(web::Json(projects::respond(&state.db, project).await?))
}

/// Edit a project.
#[utoipa::path(tag = "projects", params(("id" = Uuid, Path)), request_body = UpdateProjectRequest, responses((status = 200, body = ProjectResponse)))]
#[patch("/projects/{id}")]
pub async fn update_project(
    state: State,
    actor: Actor,
    id: web::Path<Uuid>,
    if_match: IfMatch,
    body: Body<UpdateProjectRequest>,
) -> ApiResult<web::Json<ProjectResponse>> {
    let project = policy::projects(&actor).get_for(&state.db, *id, Perm::ProjectsWrite).await?;
    body.validate()?;
    let scope = policy::projects(&actor);
    let project = Change::run(&state, Some(&actor), async |c| {
        if_match
            .hold(c, "projects", project.id, async |db| projects::respond(db, scope.get(db, project.id).await?).await)
            .await?;
        projects::update(c, project, body.into_inner()).await
    })
    .await?;
    Ok(web::Json(projects::respond(&state.db, project).await?))
}

/// Delete a project with its tasks and comments.
#[utoipa::path(tag = "projects", params(("id" = Uuid, Path)), responses((status = 204, description = "Deleted")))]
#[delete("/projects/{id}")]
pub async fn delete_project(state: State, actor: Actor, id: web::Path<Uuid>) -> ApiResult<HttpResponse> {
    let project = policy::projects(&actor).get_for(&state.db, *id, Perm::ProjectsWrite).await?;
    Change::run(&state, Some(&actor), async |c| projects::delete(c, project).await).await?;
    Ok(HttpResponse::NoContent().finish())
}

pub fn config(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_projects)
        .service(create_project)
        .service(get_project)
        .service(update_project)
        .service(delete_project);
}
