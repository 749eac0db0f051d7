//! Activity from the event log: a project's feed, a client's "since your last visit".
use super::prelude::*;
use crate::domain::activity::{self, ActivityItem, ActivityQuery};

/// What happened, newest first: tasks added and changed, Replies, files, invoices sent and paid
/// — only what the caller may see (never a Note; a client only their own account's). With
/// `project_id`, one project's (404 for a project the caller may not see); with `since`, only
/// what happened after it.
#[utoipa::path(tag = "projects", params(ActivityQuery), responses(
    (status = 200, body = Page<ActivityItem>),
    (status = 404, description = "`project_id` names a project the caller may not see", content_type = "application/problem+json", body = crate::error::Problem),
))]
#[get("/activity")]
pub async fn list_activity(
    state: State,
    actor: Actor,
    query: web::Query<ActivityQuery>,
) -> ApiResult<web::Json<Page<ActivityItem>>> {
    Ok(web::Json(activity::list(&state.db, &actor, &query).await?))
}

pub fn config(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_activity);
}
