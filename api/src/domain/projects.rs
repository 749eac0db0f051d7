//! Projects: a client account's work, with progress derived from its tasks. Every change is a
//! `project.updated` event for the account's portals.
use std::collections::HashMap;

use sea_orm::{
    FromQueryResult, QuerySelect,
    sea_query::{Expr, ExprTrait},
};

use super::{clients, prelude::*};
use crate::entities::{
    enums::{ProjectStatus, TaskStatus},
    event::AUDIENCE_ALL,
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
    pub fn new(m: project::Model, progress: Progress) -> Self {
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

#[derive(Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct CreateProjectRequest {
    pub client_id: Uuid,
    #[schema(min_length = 1, max_length = 200)]
    #[validate(length(min = 1, max = 200))]
    pub name: String,
    #[schema(max_length = 20000)]
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
    #[schema(min_length = 1, max_length = 200)]
    #[validate(length(min = 1, max = 200))]
    pub name: Option<String>,
    #[schema(max_length = 20000)]
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
            let percent = if c.total > 0 { c.done * 100 / c.total } else { 0 };
            (c.project_id, Progress { tasks_total: c.total, tasks_done: c.done, percent })
        })
        .collect())
}

/// A project as the API shows it, with its progress.
pub async fn respond(db: &impl ConnectionTrait, model: project::Model) -> ApiResult<ProjectResponse> {
    let progress = progress_of(db, &[model.id]).await?.remove(&model.id).unwrap_or_default();
    Ok(ProjectResponse::new(model, progress))
}

fn check_dates(start: Option<NaiveDate>, end: Option<NaiveDate>) -> ApiResult<()> {
    match (start, end) {
        (Some(s), Some(e)) if e < s => Err(ApiError::field("end_date", crate::problem!("project-end-before-start"))),
        _ => Ok(()),
    }
}

fn event(p: &project::Model) -> NewEvent {
    NewEvent {
        client_id: Some(p.client_id),
        audience: AUDIENCE_ALL,
        kind: "project.updated",
        resource_id: p.id,
        payload: serde_json::json!({"project_id": p.id}),
        source: Source::project(p.id),
    }
}

pub async fn create(change: &mut Change<'_>, body: CreateProjectRequest) -> ApiResult<project::Model> {
    check_dates(body.start_date, body.end_date)?;
    clients::known(change.db(), body.client_id).await?;
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
    .insert(change.db())
    .await?;
    change.event(event(&model)).await?;
    Ok(model)
}

pub async fn update(
    change: &mut Change<'_>,
    model: project::Model,
    body: UpdateProjectRequest,
) -> ApiResult<project::Model> {
    check_dates(body.start_date.unwrap_or(model.start_date), body.end_date.unwrap_or(model.end_date))?;
    let was_completed = model.status == ProjectStatus::Completed;
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
    let model = active.update(change.db()).await?;
    change.event(event(&model)).await?;
    if !was_completed && model.status == ProjectStatus::Completed {
        super::surveys::project_completed(change, &model).await?;
    }
    Ok(model)
}

/// Deletes a project with its tasks, comments and files.
pub async fn delete(change: &mut Change<'_>, model: project::Model) -> ApiResult<()> {
    super::files::forget_project(change, model.id).await?;
    super::responses::forget(change, None, Some(model.id)).await?;
    project::Entity::delete_by_id(model.id).exec(change.db()).await?;
    change.event(event(&model)).await?;
    let entry = Entry::new("project.deleted", "project", Some(model.id), Some(model.client_id));
    change.audit(entry.details(serde_json::json!({"name": model.name}))).await?;
    Ok(())
}
