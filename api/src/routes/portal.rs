//! The portal home: welcome, quick actions and ongoing tasks, shaped by the caller's role.
use serde::Serialize;

use super::prelude::*;
use crate::{
    domain::{
        settings::{self, PortalSettingsResponse},
        tasks::{self, ListTasksQuery, TaskResponse},
    },
    entities::{
        portal_settings::{Card, CardAction},
        task,
    },
};

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
    let settings: PortalSettingsResponse = settings::load(&state.db).await?.into();
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
        let query = ListTasksQuery { limit: Some(ONGOING_LIMIT), ..Default::default() };
        tasks::list_page(&state.db, select, &query, "due_date").await?.items
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
