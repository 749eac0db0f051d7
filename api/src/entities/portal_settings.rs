use sea_orm::entity::prelude::*;

/// A single row (id = 1): the agency's portal configuration.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "portal_settings")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: i32,
    pub agency_name: String,
    pub welcome_message: String,
    /// JSON array of quick-action cards.
    pub cards: String,
    /// JSON array of task statuses the portal home lists.
    pub home_task_statuses: String,
    pub booking_url: Option<String>,
    pub logo_url: Option<String>,
    pub primary_color: String,
    pub accent_color: String,
    pub updated_at: DateTimeUtc,
    /// Automation: tell the client when a task of theirs moves to Done.
    pub notify_task_done: bool,
    /// Automation: a weekly summary e-mail to each client user.
    pub weekly_summary: bool,
    /// JSON array: days after the due date to remind clients of an unpaid invoice.
    pub overdue_reminder_days: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
