//! Portal settings: the agency's branding, welcome text and the portal home's quick actions.
use sea_orm::ConnectionTrait;

use super::prelude::*;
use crate::entities::{enums::TaskStatus, portal_settings};

/// What a quick-action card does when clicked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CardAction {
    /// Opens Projects (shown to roles with `projects.read`).
    Projects,
    /// Opens Billing (shown to roles with `invoices.read`).
    Billing,
    /// Opens the booking link (shown when one is set).
    Booking,
    /// Opens `url`.
    Link,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct Card {
    #[validate(length(min = 1, max = 80))]
    pub title: String,
    #[validate(length(max = 300))]
    #[serde(default)]
    pub description: String,
    pub action: CardAction,
    /// Required for `link`.
    #[validate(url)]
    pub url: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct PortalSettingsResponse {
    pub agency_name: String,
    /// Shown on the portal home; `{name}` becomes the reader's first name.
    pub welcome_message: String,
    pub cards: Vec<Card>,
    /// Which task statuses the portal home lists as ongoing.
    pub home_task_statuses: Vec<TaskStatus>,
    pub booking_url: Option<String>,
    pub logo_url: Option<String>,
    /// `#rrggbb`.
    pub primary_color: String,
    pub accent_color: String,
    pub automations: Automations,
    pub updated_at: chrono::DateTime<Utc>,
}

/// Automatic messages to clients.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Automations {
    /// Tell the client's users when one of their tasks moves to Done.
    pub notify_task_done: bool,
    /// A weekly summary to each client user: what moved, what is due, unpaid invoices.
    pub weekly_summary: bool,
    /// Remind clients of an unpaid invoice this many days after its due date (once per stage).
    pub overdue_reminder_days: Vec<u16>,
}

#[derive(Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct UpdatePortalSettingsRequest {
    #[validate(length(min = 1, max = 200))]
    pub agency_name: Option<String>,
    #[validate(length(max = 5000))]
    pub welcome_message: Option<String>,
    #[validate(length(max = 12), nested)]
    pub cards: Option<Vec<Card>>,
    pub home_task_statuses: Option<Vec<TaskStatus>>,
    #[serde(default, deserialize_with = "patch_field")]
    #[schema(value_type = Option<String>)]
    pub booking_url: Option<Option<String>>,
    #[serde(default, deserialize_with = "patch_field")]
    #[schema(value_type = Option<String>)]
    pub logo_url: Option<Option<String>>,
    pub primary_color: Option<String>,
    pub accent_color: Option<String>,
    pub automations: Option<Automations>,
}

pub fn default_cards() -> Vec<Card> {
    vec![
        Card {
            title: "View projects".into(),
            description: "See where every project stands.".into(),
            action: CardAction::Projects,
            url: None,
        },
        Card {
            title: "Book a meeting".into(),
            description: "Pick a time that suits you.".into(),
            action: CardAction::Booking,
            url: None,
        },
        Card {
            title: "Pay your bills".into(),
            description: "Invoices, payments and receipts.".into(),
            action: CardAction::Billing,
            url: None,
        },
    ]
}

/// Creates the settings row on first start.
pub async fn ensure_defaults(db: &impl ConnectionTrait) -> Result<(), sea_orm::DbErr> {
    if portal_settings::Entity::find_by_id(1).one(db).await?.is_none() {
        portal_settings::ActiveModel {
            id: Set(1),
            agency_name: Set("Portico Agency".into()),
            welcome_message: Set("Welcome back, {name}. Here is where your projects stand.".into()),
            cards: Set(serde_json::to_string(&default_cards()).expect("cards serialise")),
            home_task_statuses: Set(
                serde_json::to_string(&[TaskStatus::Todo, TaskStatus::InProgress]).expect("statuses serialise")
            ),
            booking_url: Set(None),
            logo_url: Set(None),
            primary_color: Set("#1f4e79".into()),
            accent_color: Set("#f2a900".into()),
            updated_at: Set(Utc::now()),
            notify_task_done: Set(true),
            weekly_summary: Set(true),
            overdue_reminder_days: Set("[1,7,14]".into()),
        }
        .insert(db)
        .await?;
    }
    Ok(())
}

impl From<portal_settings::Model> for PortalSettingsResponse {
    fn from(m: portal_settings::Model) -> Self {
        Self {
            agency_name: m.agency_name,
            welcome_message: m.welcome_message,
            cards: serde_json::from_str(&m.cards).unwrap_or_default(),
            home_task_statuses: serde_json::from_str(&m.home_task_statuses).unwrap_or_default(),
            booking_url: m.booking_url,
            logo_url: m.logo_url,
            primary_color: m.primary_color,
            accent_color: m.accent_color,
            automations: Automations {
                notify_task_done: m.notify_task_done,
                weekly_summary: m.weekly_summary,
                overdue_reminder_days: serde_json::from_str(&m.overdue_reminder_days).unwrap_or_default(),
            },
            updated_at: m.updated_at,
        }
    }
}

pub async fn load(db: &impl ConnectionTrait) -> ApiResult<portal_settings::Model> {
    portal_settings::Entity::find_by_id(1)
        .one(db)
        .await?
        .ok_or_else(|| ApiError::Internal(anyhow::anyhow!("portal settings row missing")))
}

fn check_color(field: &str, c: &str) -> ApiResult<String> {
    let ok = c.len() == 7 && c.starts_with('#') && c[1..].chars().all(|ch| ch.is_ascii_hexdigit());
    if ok { Ok(c.to_lowercase()) } else { Err(ApiError::field(field, "must be a colour like #1f4e79")) }
}

fn check_url(field: &str, url: &Option<String>) -> ApiResult<()> {
    match url {
        Some(u) if !(u.starts_with("https://") || u.starts_with("http://")) || u.len() > 2000 => {
            Err(ApiError::field(field, "must be an http(s) URL"))
        }
        _ => Ok(()),
    }
}

/// The portal's branding and home configuration (any signed-in user: the SPA needs the branding).
#[utoipa::path(tag = "settings", responses((status = 200, body = PortalSettingsResponse)))]
#[get("/settings/portal")]
pub async fn get_portal_settings(state: State, _actor: Actor) -> ApiResult<web::Json<PortalSettingsResponse>> {
    Ok(web::Json(load(&state.db).await?.into()))
}

/// Change the portal settings.
#[utoipa::path(tag = "settings", request_body = UpdatePortalSettingsRequest, responses((status = 200, body = PortalSettingsResponse)))]
#[patch("/settings/portal")]
pub async fn update_portal_settings(
    state: State,
    actor: Actor,
    body: Body<UpdatePortalSettingsRequest>,
) -> ApiResult<web::Json<PortalSettingsResponse>> {
    actor.require(Perm::SettingsManage)?;
    body.validate()?;
    let body = body.into_inner();
    let mut active = load(&state.db).await?.into_active_model();
    if let Some(v) = body.agency_name {
        active.agency_name = Set(v);
    }
    if let Some(v) = body.welcome_message {
        active.welcome_message = Set(v);
    }
    if let Some(cards) = body.cards {
        if let Some(i) = cards.iter().position(|c| c.action == CardAction::Link && c.url.is_none()) {
            return Err(ApiError::field(&format!("cards[{i}].url"), "is required for a link card"));
        }
        active.cards = Set(serde_json::to_string(&cards).expect("cards serialise"));
    }
    if let Some(mut statuses) = body.home_task_statuses {
        statuses.dedup();
        active.home_task_statuses = Set(serde_json::to_string(&statuses).expect("statuses serialise"));
    }
    if let Some(v) = body.booking_url {
        check_url("booking_url", &v)?;
        active.booking_url = Set(v);
    }
    if let Some(v) = body.logo_url {
        check_url("logo_url", &v)?;
        active.logo_url = Set(v);
    }
    if let Some(v) = body.primary_color {
        active.primary_color = Set(check_color("primary_color", &v)?);
    }
    if let Some(v) = body.accent_color {
        active.accent_color = Set(check_color("accent_color", &v)?);
    }
    if let Some(mut a) = body.automations {
        a.overdue_reminder_days.sort_unstable();
        a.overdue_reminder_days.dedup();
        if a.overdue_reminder_days.len() > 10 || a.overdue_reminder_days.iter().any(|d| *d == 0 || *d > 365) {
            return Err(ApiError::field("automations.overdue_reminder_days", "up to 10 days, each between 1 and 365"));
        }
        active.notify_task_done = Set(a.notify_task_done);
        active.weekly_summary = Set(a.weekly_summary);
        active.overdue_reminder_days = Set(serde_json::to_string(&a.overdue_reminder_days).expect("days serialise"));
    }
    active.updated_at = Set(Utc::now());
    let model = active.update(&state.db).await?;
    audit::record(
        &state.db,
        Some(&actor),
        audit::Entry {
            action: "settings.updated",
            target_type: "portal_settings",
            target_id: None,
            client_id: None,
            details: serde_json::json!({}),
        },
    )
    .await?;
    Ok(web::Json(model.into()))
}

pub fn config(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(get_portal_settings).service(update_portal_settings);
}
