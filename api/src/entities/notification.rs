use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "notifications")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub user_id: Uuid,
    pub client_id: Option<Uuid>,
    pub kind: String,
    pub title: String,
    pub body: String,
    /// Where in the SPA it leads, e.g. `/tasks/<id>`.
    pub link: String,
    pub read_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    /// What it is about (e.g. `comment`), so a later change can withdraw it.
    pub source_type: Option<String>,
    pub source_id: Option<Uuid>,
    /// The event of the change that caused it.
    pub event_id: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
