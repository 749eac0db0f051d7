//! Portal settings: the agency's branding, welcome text, the portal home's quick actions and
//! the automations. One row, created on first start.
use chrono::Utc;
use sea_orm::{ActiveModelTrait, ConnectionTrait, EntityTrait, IntoActiveModel, Set};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

pub use crate::services::pdf::Paper;

use super::{
    Change, audit,
    money::{self, Numbers},
    patch_field,
};
use crate::{
    config::Environment,
    entities::{
        client,
        enums::{Language, TaskStatus},
        portal_settings::{
            self, Card, CardAction, Cards, ReminderDays, ReminderStage, ReminderStages, SurveySettings, TaskStatuses,
            WorkingCalendar,
        },
    },
    error::{ApiError, ApiResult},
    problem,
};

/// What every signed-in user's browser needs of the settings to dress the portal: nothing of
/// the agency's own configuration.
#[derive(Serialize, ToSchema)]
pub struct BrandingResponse {
    pub agency_name: String,
    pub logo_url: Option<String>,
    /// `#rrggbb`.
    pub primary_color: String,
    pub accent_color: String,
    /// Whether invoices can be paid online ("Pay now").
    pub online_payments: bool,
    /// The agency's default language: the portal's for a person who chose none and whose
    /// browser asks for none Portico speaks.
    pub language: Language,
}

impl From<portal_settings::Model> for BrandingResponse {
    fn from(m: portal_settings::Model) -> Self {
        Self {
            agency_name: m.agency_name,
            logo_url: m.logo_url,
            primary_color: m.primary_color,
            accent_color: m.accent_color,
            online_payments: false,
            language: m.language,
        }
    }
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
    /// The agency's address block printed on invoices and statements.
    pub agency_address: String,
    pub invoice_paper: Paper,
    /// How PDFs and e-mails write amounts, quantities and rates: a BCP 47 locale (`en`,
    /// `de-DE`, `fr-CH`, `ar-EG-u-nu-latn`) whose CLDR separators are used. A client may have
    /// its own. (The portal's pages use each reader's browser locale.)
    pub locale: String,
    /// The language of e-mails to people who chose none (`en`, `de`, `fr`), and of the portal
    /// when their browser asks for none of these.
    pub language: Language,
    /// When the agency works: response times count only these hours.
    pub working_calendar: WorkingCalendar,
    /// When clients are asked how satisfied they are.
    pub surveys: SurveySettings,
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
    /// Remind clients of an unpaid invoice at these stages relative to its due date (negative:
    /// before it), once per invoice and stage, in each stage's own words. Absent in a change:
    /// unchanged.
    #[serde(default)]
    pub invoice_reminders: Option<Vec<ReminderStage>>,
    /// Remind a client's approvers of a review this many days after its due date (once per
    /// stage, bundled into one message per person per day; stops once anyone decides).
    /// Absent in a change: unchanged.
    #[serde(default)]
    pub feedback_reminder_days: Option<Vec<u16>>,
}

#[derive(Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct UpdatePortalSettingsRequest {
    #[schema(min_length = 1, max_length = 200)]
    #[validate(length(min = 1, max = 200))]
    pub agency_name: Option<String>,
    #[schema(max_length = 5000)]
    #[validate(length(max = 5000))]
    pub welcome_message: Option<String>,
    #[schema(max_items = 12)]
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
    #[schema(max_length = 1000)]
    #[validate(length(max = 1000))]
    pub agency_address: Option<String>,
    pub invoice_paper: Option<Paper>,
    /// A BCP 47 locale: a language (`de`), optionally a script, region (`de-CH`) and
    /// numbering system (`-u-nu-latn`). Absent: unchanged.
    #[validate(length(min = 2, max = 35))]
    #[schema(min_length = 2, max_length = 35, example = "de-DE")]
    pub locale: Option<String>,
    /// The agency's default language. Absent: unchanged.
    pub language: Option<Language>,
    /// The working calendar response times are measured in, whole. Absent: unchanged.
    pub working_calendar: Option<WorkingCalendar>,
    /// When satisfaction surveys go out, whole. Absent: unchanged.
    pub surveys: Option<SurveySettings>,
}

/// Three days before the due date, then one, seven and fourteen days after it.
pub fn default_reminders() -> Vec<ReminderStage> {
    [-3, 1, 7, 14].into_iter().map(|days| ReminderStage { days, message: String::new() }).collect()
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
            cards: Set(Cards(default_cards())),
            home_task_statuses: Set(TaskStatuses(vec![TaskStatus::Todo, TaskStatus::InProgress])),
            booking_url: Set(None),
            logo_url: Set(None),
            primary_color: Set("#1f4e79".into()),
            accent_color: Set("#f2a900".into()),
            updated_at: Set(Utc::now()),
            notify_task_done: Set(true),
            weekly_summary: Set(true),
            invoice_reminders: Set(ReminderStages(default_reminders())),
            feedback_reminder_days: Set(ReminderDays(vec![1, 3, 7])),
            agency_address: Set(String::new()),
            invoice_paper: Set("a4".into()),
            logo_key: Set(None),
            locale: Set("en".into()),
            language: Set(Language::En),
            working_calendar: Set(WorkingCalendar::default()),
            surveys: Set(SurveySettings::default()),
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
            cards: m.cards.0,
            home_task_statuses: m.home_task_statuses.0,
            booking_url: m.booking_url,
            logo_url: m.logo_url,
            primary_color: m.primary_color,
            accent_color: m.accent_color,
            automations: Automations {
                notify_task_done: m.notify_task_done,
                weekly_summary: m.weekly_summary,
                invoice_reminders: Some(m.invoice_reminders.0),
                feedback_reminder_days: Some(m.feedback_reminder_days.0),
            },
            agency_address: m.agency_address,
            invoice_paper: Paper::from_db(&m.invoice_paper),
            locale: m.locale,
            language: m.language,
            working_calendar: m.working_calendar,
            surveys: m.surveys,
            updated_at: m.updated_at,
        }
    }
}

/// The language of a document for `client`: its locale's language where Portico speaks it
/// (`de-CH`: German), else the agency's.
pub fn document_language(settings: &portal_settings::Model, client: Option<&client::Model>) -> Language {
    client.and_then(|c| c.locale.as_deref()).and_then(Language::of_locale).unwrap_or(settings.language)
}

/// How a document or message for `client`'s people writes numbers: in the client's locale
/// if it has one, else the agency's. Staff's own messages pass `None`.
pub fn numbers(settings: &portal_settings::Model, client: Option<&client::Model>) -> Numbers {
    Numbers::new(client.and_then(|c| c.locale.as_deref()).unwrap_or(&settings.locale))
}

/// The settings row.
pub async fn load(db: &impl ConnectionTrait) -> ApiResult<portal_settings::Model> {
    portal_settings::Entity::find_by_id(1)
        .one(db)
        .await?
        .ok_or_else(|| ApiError::Internal(anyhow::anyhow!("portal settings row missing")))
}

fn check_color(field: &str, c: &str) -> ApiResult<String> {
    let ok = c.len() == 7 && c.starts_with('#') && c[1..].chars().all(|ch| ch.is_ascii_hexdigit());
    if ok { Ok(c.to_lowercase()) } else { Err(ApiError::field(field, problem!("settings-colour"))) }
}

/// A URL every client's browser will be sent to or load from: `https:` only (`http:` too in
/// development), never `javascript:`, `data:` or the like — whatever renders it.
fn check_url(field: &str, url: &Option<String>, allow_http: bool) -> ApiResult<()> {
    let Some(u) = url else { return Ok(()) };
    let scheme_ok = match reqwest::Url::parse(u) {
        Ok(parsed) => parsed.scheme() == "https" || (allow_http && parsed.scheme() == "http"),
        Err(_) => false,
    };
    if !scheme_ok || u.len() > 2000 {
        let what = if allow_http { problem!("settings-url-https-or-http") } else { problem!("settings-url-https") };
        return Err(ApiError::field(field, what));
    }
    Ok(())
}

/// What changed between two versions of the settings, field by field, for the audit trail.
fn differences(before: &PortalSettingsResponse, after: &PortalSettingsResponse) -> serde_json::Value {
    let (serde_json::Value::Object(before), serde_json::Value::Object(after)) =
        (serde_json::json!(before), serde_json::json!(after))
    else {
        return serde_json::Value::Null;
    };
    let changed: serde_json::Map<String, serde_json::Value> = after
        .into_iter()
        .filter(|(key, value)| key != "updated_at" && before.get(key) != Some(value))
        .map(|(key, value)| {
            let from = before.get(&key).cloned().unwrap_or_default();
            (key, serde_json::json!({"from": from, "to": value}))
        })
        .collect();
    serde_json::json!({ "changed": changed })
}

/// Applies `body` to the settings (validated by the caller); audited with what changed.
pub async fn update(change: &mut Change<'_>, body: UpdatePortalSettingsRequest) -> ApiResult<portal_settings::Model> {
    let allow_http = change.settings().env == Environment::Development;
    let before = load(change.db()).await?;
    let mut active = before.clone().into_active_model();
    if let Some(v) = body.agency_name {
        active.agency_name = Set(v);
    }
    if let Some(v) = body.welcome_message {
        active.welcome_message = Set(v);
    }
    if let Some(cards) = body.cards {
        if let Some(i) = cards.iter().position(|c| c.action == CardAction::Link && c.url.is_none()) {
            return Err(ApiError::field(&format!("cards[{i}].url"), problem!("settings-link-card-url")));
        }
        for (i, card) in cards.iter().enumerate() {
            check_url(&format!("cards[{i}].url"), &card.url, allow_http)?;
        }
        active.cards = Set(Cards(cards));
    }
    if let Some(mut statuses) = body.home_task_statuses {
        statuses.dedup();
        active.home_task_statuses = Set(TaskStatuses(statuses));
    }
    if let Some(v) = body.booking_url {
        check_url("booking_url", &v, allow_http)?;
        active.booking_url = Set(v);
    }
    // The same value again (a form sending back what it read) changes nothing.
    if let Some(v) = body.logo_url.filter(|v| *v != before.logo_url) {
        check_url("logo_url", &v, allow_http)?;
        // A logo of the agency's own URL replaces an uploaded one, whose object then goes.
        if let Some(old) = before.logo_key.clone() {
            forget_logo(change, old).await?;
            active.logo_key = Set(None);
        }
        active.logo_url = Set(v);
    }
    if let Some(v) = body.primary_color {
        active.primary_color = Set(check_color("primary_color", &v)?);
    }
    if let Some(v) = body.accent_color {
        active.accent_color = Set(check_color("accent_color", &v)?);
    }
    if let Some(a) = body.automations {
        active.notify_task_done = Set(a.notify_task_done);
        active.weekly_summary = Set(a.weekly_summary);
        if let Some(mut stages) = a.invoice_reminders {
            stages.sort_by_key(|s| s.days);
            if stages.windows(2).any(|w| w[0].days == w[1].days) {
                return Err(ApiError::field(
                    "automations.invoice_reminders",
                    problem!("settings-reminder-one-per-day"),
                ));
            }
            if stages.len() > 10 {
                return Err(ApiError::field(
                    "automations.invoice_reminders",
                    problem!("settings-reminder-stages-at-most"),
                ));
            }
            for (i, stage) in stages.iter_mut().enumerate() {
                if !(-90..=365).contains(&stage.days) {
                    return Err(ApiError::field(
                        &format!("automations.invoice_reminders[{i}].days"),
                        problem!("settings-reminder-days-range"),
                    ));
                }
                if stage.message.chars().count() > 500 {
                    return Err(ApiError::field(
                        &format!("automations.invoice_reminders[{i}].message"),
                        problem!("settings-reminder-message-length"),
                    ));
                }
                stage.message = stage.message.trim().to_owned();
            }
            active.invoice_reminders = Set(ReminderStages(stages));
        }
        if let Some(mut days) = a.feedback_reminder_days {
            days.sort_unstable();
            days.dedup();
            if days.len() > 10 || days.iter().any(|d| *d == 0 || *d > 365) {
                return Err(ApiError::field("automations.feedback_reminder_days", problem!("settings-feedback-days")));
            }
            active.feedback_reminder_days = Set(ReminderDays(days));
        }
    }
    if let Some(v) = body.agency_address {
        active.agency_address = Set(v.trim().to_owned());
    }
    if let Some(v) = body.invoice_paper {
        active.invoice_paper = Set(v.as_db().into());
    }
    if let Some(v) = body.locale {
        active.locale = Set(money::locale("locale", &v)?);
    }
    if let Some(v) = body.language {
        active.language = Set(v);
    }
    if let Some(mut v) = body.working_calendar {
        super::calendar::Calendar::new(&v, "working_calendar")?;
        v.days.sort_unstable();
        v.days.dedup();
        v.holidays.sort_unstable();
        v.holidays.dedup();
        active.working_calendar = Set(v);
    }
    if let Some(v) = body.surveys {
        if v.every_weeks.is_some_and(|w| !(1..=52).contains(&w)) {
            return Err(ApiError::field("surveys.every_weeks", problem!("settings-survey-weeks")));
        }
        active.surveys = Set(v);
    }
    active.updated_at = Set(Utc::now());
    let model = active.update(change.db()).await?;
    if model.working_calendar.time_zone != before.working_calendar.time_zone {
        // The weeks response times are counted in are the agency's: count them again.
        let zone = super::calendar::Calendar::of(&model.working_calendar).zone();
        super::response_stats::recount(change.db(), zone.name(), change.settings().response_target_hours).await?;
    }
    let diff = differences(&before.into(), &model.clone().into());
    change.audit(audit::Entry::new("settings.updated", "portal_settings", None, None).details(diff)).await?;
    Ok(model)
}

/// The largest logo the agency may upload.
pub const MAX_LOGO_BYTES: usize = 1024 * 1024;

/// Where an uploaded logo's bytes live (a new key each time, so caches never serve an old one).
pub fn logo_key(extension: &str) -> String {
    format!("branding/logo/{}.{extension}", uuid::Uuid::now_v7())
}

/// The path the portal and e-mails load an uploaded logo from.
pub fn logo_path(key: &str) -> String {
    let version = key.rsplit('/').next().unwrap_or_default();
    format!("/api/v1/branding/logo?v={version}")
}

async fn forget_logo(change: &mut Change<'_>, key: String) -> ApiResult<()> {
    let payload = serde_json::json!({"prefix": key});
    change.schedule(crate::services::jobs::DELETE_OBJECTS, payload, Utc::now(), None).await?;
    Ok(())
}

/// Makes the logo stored under `key` the agency's (the previous upload's object goes).
pub async fn set_logo(change: &mut Change<'_>, key: String) -> ApiResult<portal_settings::Model> {
    let before = load(change.db()).await?;
    if let Some(old) = before.logo_key.clone() {
        forget_logo(change, old).await?;
    }
    let mut active = before.into_active_model();
    active.logo_url = Set(Some(logo_path(&key)));
    active.logo_key = Set(Some(key.clone()));
    active.updated_at = Set(Utc::now());
    let model = active.update(change.db()).await?;
    let entry = audit::Entry::new("settings.logo_uploaded", "portal_settings", None, None);
    change.audit(entry.details(serde_json::json!({"key": key}))).await?;
    Ok(model)
}

/// Removes the uploaded logo (the portal shows the agency's name instead).
pub async fn remove_logo(change: &mut Change<'_>) -> ApiResult<portal_settings::Model> {
    let before = load(change.db()).await?;
    let Some(old) = before.logo_key.clone() else { return Ok(before) };
    forget_logo(change, old).await?;
    let mut active = before.into_active_model();
    active.logo_url = Set(None);
    active.logo_key = Set(None);
    active.updated_at = Set(Utc::now());
    let model = active.update(change.db()).await?;
    change.audit(audit::Entry::new("settings.logo_removed", "portal_settings", None, None)).await?;
    Ok(model)
}

/// The uploaded logo as a picture for documents (`None` without one, or if it cannot be read:
/// a document without its logo beats no document).
pub async fn logo_picture(
    storage: &crate::services::storage::Storage,
    s: &portal_settings::Model,
) -> Option<crate::services::pdf::Picture> {
    use futures_util::StreamExt;
    let key = s.logo_key.as_deref()?;
    let mut stream = match storage.read(key, None).await {
        Ok(s) => s,
        Err(e) => {
            tracing::warn!(error = %e, key, "the logo could not be read for a document");
            return None;
        }
    };
    let mut bytes = Vec::new();
    while let Some(chunk) = stream.next().await {
        bytes.extend_from_slice(&chunk.ok()?);
        if bytes.len() > MAX_LOGO_BYTES {
            return None;
        }
    }
    crate::services::pdf::Picture::from_bytes(bytes)
}
