//! The portal home: welcome, quick actions and ongoing tasks, shaped by the caller's role.
use sea_orm::QueryFilter;

use super::{
    prelude::*,
    settings::{Card, CardAction, PortalSettingsResponse},
    tasks::{ListTasksQuery, TaskResponse},
};
use crate::entities::task;

pub const ONGOING_LIMIT: u64 = 20;

#[derive(Serialize, ToSchema)]
pub struct PortalResponse {
    pub agency_name: String,
    /// The welcome message, personalised.
    pub welcome: String,
    pub logo_url: Option<String>,
    pub primary_color: String,
    pub accent_color: String,
    /// Only the cards this caller can use.
    pub cards: Vec<Card>,
    pub booking_url: Option<String>,
    /// Clients: their account's tasks in the statuses the home shows, soonest due first.
    /// Staff: the tasks assigned to them.
    pub ongoing_tasks: Vec<TaskResponse>,
}

/// The caller's portal home.
#[utoipa::path(tag = "portal", responses((status = 200, body = PortalResponse)))]
#[get("/portal")]
pub async fn get_portal(state: State, actor: Actor) -> ApiResult<web::Json<PortalResponse>> {
    let settings: PortalSettingsResponse = super::settings::load(&state.db).await?.into();
    let first_name = actor.name.split_whitespace().next().unwrap_or("").to_owned();
    let cards = settings
        .cards
        .into_iter()
        .filter(|c| match c.action {
            CardAction::Projects => actor.has(Perm::ProjectsRead),
            CardAction::Billing => actor.has(Perm::InvoicesRead),
            CardAction::Booking => settings.booking_url.is_some(),
            CardAction::Link => true,
        })
        .collect();
    let ongoing_tasks = if actor.has(Perm::TasksRead) && !settings.home_task_statuses.is_empty() {
        let mut select = policy::tasks(&actor)
            .list()?
            .filter(task::Column::Status.is_in(settings.home_task_statuses.iter().copied()));
        if !actor.is_client() {
            select = select.filter(task::Column::AssigneeId.eq(actor.user_id));
        }
        let query = ListTasksQuery {
            status: None,
            open: None,
            priority: None,
            project_id: None,
            client_id: None,
            assignee_id: None,
            due_before: None,
            sort: None,
            limit: Some(ONGOING_LIMIT),
            cursor: None,
        };
        super::tasks::list_page(&state.db, select, &query, "due_date").await?.items
    } else {
        Vec::new()
    };
    Ok(web::Json(PortalResponse {
        agency_name: settings.agency_name,
        welcome: settings.welcome_message.replace("{name}", &first_name),
        logo_url: settings.logo_url,
        primary_color: settings.primary_color,
        accent_color: settings.accent_color,
        cards,
        booking_url: settings.booking_url,
        ongoing_tasks,
    }))
}

pub fn config(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(get_portal);
}
