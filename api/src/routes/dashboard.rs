//! Staff views that span resources: the people who can be assigned work, and what needs
//! attention today.
use serde::Serialize;

use super::prelude::*;
use crate::domain::{
    comments::{self, RecentReply},
    invoices::{self, InvoiceResponse},
    metrics::{self, AwaitingReply},
    tasks::{self, ListTasksQuery, TaskResponse},
    users::{self, StaffMember},
};

fn require_staff(actor: &Actor) -> ApiResult<()> {
    if actor.is_client() { Err(ApiError::Forbidden(crate::problem!("http-staff-only"))) } else { Ok(()) }
}

/// Active staff, e.g. to pick a task's assignee.
#[utoipa::path(tag = "users", responses((status = 200, body = Vec<StaffMember>)))]
#[get("/staff")]
pub async fn list_staff(state: State, actor: Actor) -> ApiResult<web::Json<Vec<StaffMember>>> {
    require_staff(&actor)?;
    Ok(web::Json(users::active_staff(&state.db).await?))
}

#[derive(Serialize, ToSchema)]
pub struct DashboardResponse {
    /// The latest Replies written by client users that the agency has not answered yet.
    pub client_replies: Vec<RecentReply>,
    /// Client Replies unanswered past the commitment (`PORTICO_RESPONSE_TARGET_HOURS`
    /// business hours), longest wait first (needs `metrics.read`).
    pub awaiting_reply: Vec<AwaitingReply>,
    /// Sent invoices past their due date (needs `invoices.read`).
    pub overdue_invoices: Vec<InvoiceResponse>,
    /// Open tasks due within a week, or already late.
    pub tasks_due: Vec<TaskResponse>,
}

const SECTION: u64 = 10;

/// What needs attention: unanswered client Replies (those past the commitment apart),
/// overdue invoices, tasks due.
#[utoipa::path(tag = "portal", responses((status = 200, body = DashboardResponse)))]
#[get("/dashboard")]
pub async fn get_dashboard(state: State, actor: Actor) -> ApiResult<web::Json<DashboardResponse>> {
    require_staff(&actor)?;
    let reads_tasks = actor.has(Perm::TasksRead);
    let client_replies =
        if reads_tasks { comments::unanswered_client_replies(&state.db, SECTION).await? } else { Vec::new() };
    let awaiting_reply = if actor.has(Perm::MetricsRead) {
        let s = &state.settings;
        metrics::awaiting(&state.db, None, true, s.clock.now(), s.response_target_hours, SECTION as usize).await?
    } else {
        Vec::new()
    };
    let overdue_invoices =
        if actor.has(Perm::InvoicesRead) { invoices::overdue(&state.db, &actor, SECTION).await? } else { Vec::new() };
    let tasks_due = if reads_tasks {
        let due_before = invoices::today() + chrono::Duration::days(8);
        let query = ListTasksQuery {
            open: Some(true),
            due_before: Some(due_before),
            limit: Some(SECTION),
            ..Default::default()
        };
        tasks::list_page(&state.db, policy::tasks(&actor).list()?, &query, "due_date").await?.items
    } else {
        Vec::new()
    };
    Ok(web::Json(DashboardResponse { client_replies, awaiting_reply, overdue_invoices, tasks_due }))
}

pub fn config(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_staff).service(get_dashboard);
}
