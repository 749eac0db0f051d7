use sea_orm::entity::prelude::*;

use super::enums::SurveySubject;

/// A satisfaction survey sent to one client user about one subject, answered at most once.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "surveys")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub client_id: Uuid,
    pub user_id: Uuid,
    /// What it is about, unique per person (`task:<id>`, `project:<id>`, `period:<n>`).
    pub subject_key: String,
    pub subject: SurveySubject,
    pub task_id: Option<Uuid>,
    pub project_id: Option<Uuid>,
    /// The staff member it is about (a task's assignee), if any.
    pub staff_id: Option<Uuid>,
    /// What the survey asks about, as the client saw it (the task's or project's name).
    pub title: String,
    /// SHA-256 of the single-use link's token.
    pub token_hash: String,
    pub expires_at: DateTimeUtc,
    pub created_at: DateTimeUtc,
    pub answered_at: Option<DateTimeUtc>,
    /// 1 (poor) to 5 (excellent).
    pub score: Option<i16>,
    pub comment: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
