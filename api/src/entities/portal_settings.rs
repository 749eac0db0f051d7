use sea_orm::{FromJsonQueryResult, entity::prelude::*};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use super::enums::{Language, TaskStatus};

/// A single row (id = 1): the agency's portal configuration.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "portal_settings")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: i32,
    pub agency_name: String,
    pub welcome_message: String,
    #[sea_orm(column_type = "JsonBinary")]
    pub cards: Cards,
    /// Task statuses the portal home lists.
    #[sea_orm(column_type = "JsonBinary")]
    pub home_task_statuses: TaskStatuses,
    pub booking_url: Option<String>,
    pub logo_url: Option<String>,
    pub primary_color: String,
    pub accent_color: String,
    pub updated_at: DateTimeUtc,
    /// Automation: tell the client when a task of theirs moves to Done.
    pub notify_task_done: bool,
    /// Automation: a weekly summary e-mail to each client user.
    pub weekly_summary: bool,
    /// When to remind clients of an unpaid invoice, relative to its due date.
    #[sea_orm(column_type = "JsonBinary")]
    pub invoice_reminders: ReminderStages,
    /// Days after a review's due date to remind the client's approvers.
    #[sea_orm(column_type = "JsonBinary")]
    pub feedback_reminder_days: ReminderDays,
    /// The agency's address block, printed on invoices (several lines).
    pub agency_address: String,
    /// `a4` or `letter`.
    pub invoice_paper: String,
    /// The uploaded logo's object in the file store (PNG or JPEG); `logo_url` then points at
    /// `/api/v1/branding/logo`.
    pub logo_key: Option<String>,
    /// How documents and e-mails write amounts (BCP 47, e.g. `de-DE`), unless a client has its
    /// own locale.
    pub locale: String,
    /// The language of e-mails to people who chose none, and of the portal when their browser
    /// asks for none Portico speaks.
    pub language: Language,
    /// When the agency works: response times are measured in these hours.
    #[sea_orm(column_type = "JsonBinary")]
    pub working_calendar: WorkingCalendar,
    /// When clients are asked how satisfied they are.
    #[sea_orm(column_type = "JsonBinary")]
    pub surveys: SurveySettings,
}

/// When a satisfaction survey (a score of 1 to 5 and a comment) goes to a client's people.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema, FromJsonQueryResult)]
#[serde(deny_unknown_fields)]
pub struct SurveySettings {
    /// When one of their tasks moves to Done (about that task and its assignee).
    pub on_task_done: bool,
    /// When one of their projects is completed.
    pub on_project_completed: bool,
    /// Every this many weeks, about the agency's work in general (none: never).
    #[schema(minimum = 1, maximum = 52)]
    pub every_weeks: Option<u16>,
}

impl Default for SurveySettings {
    fn default() -> Self {
        Self { on_task_done: false, on_project_completed: true, every_weeks: None }
    }
}

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

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct Card {
    #[schema(min_length = 1, max_length = 80)]
    #[validate(length(min = 1, max = 80))]
    pub title: String,
    #[schema(max_length = 300)]
    #[validate(length(max = 300))]
    #[serde(default)]
    pub description: String,
    pub action: CardAction,
    /// Required for `link`.
    #[validate(url)]
    pub url: Option<String>,
}

/// The portal home's quick-action cards, in order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, FromJsonQueryResult)]
pub struct Cards(pub Vec<Card>);

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, FromJsonQueryResult)]
pub struct TaskStatuses(pub Vec<TaskStatus>);

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, FromJsonQueryResult)]
pub struct ReminderDays(pub Vec<u16>);

/// One reminder of an unpaid invoice: `days` relative to its due date (negative: before it,
/// 0: on the day), in the agency's words or, when `message` is empty, Portico's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReminderStage {
    #[schema(minimum = -90, maximum = 365)]
    pub days: i32,
    /// `{number}`, `{amount}` (what is due), `{due_date}`, `{days}` and `{client}` are filled in.
    #[schema(max_length = 500)]
    #[serde(default)]
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, FromJsonQueryResult)]
pub struct ReminderStages(pub Vec<ReminderStage>);

/// A day of the week.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Weekday {
    Mon,
    Tue,
    Wed,
    Thu,
    Fri,
    Sat,
    Sun,
}

/// When the agency works, which is what response times are measured in: the working days, one
/// span of hours on each, in a time zone, less the holidays.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema, FromJsonQueryResult)]
#[serde(deny_unknown_fields)]
pub struct WorkingCalendar {
    /// An IANA time zone (`Europe/Berlin`, `America/New_York`, `UTC`).
    #[schema(example = "Europe/Berlin", min_length = 1, max_length = 64)]
    pub time_zone: String,
    /// The working days (at least one).
    #[schema(min_items = 1, max_items = 7)]
    pub days: Vec<Weekday>,
    /// The start of the working hours, `HH:MM` local time.
    #[schema(example = "09:00", pattern = r"^([01][0-9]|2[0-3]):[0-5][0-9]$")]
    pub starts: String,
    /// Their end, `HH:MM` local time, after `starts` (`24:00`: midnight).
    #[schema(example = "17:00", pattern = r"^(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$")]
    pub ends: String,
    /// Days off that would otherwise be working days.
    #[schema(max_items = 400)]
    #[serde(default)]
    pub holidays: Vec<chrono::NaiveDate>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
