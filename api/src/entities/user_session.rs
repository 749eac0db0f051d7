use sea_orm::entity::prelude::*;

/// One login (a refresh-token family) as its user sees it in their list of signed-in devices.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "user_sessions")]
pub struct Model {
    /// The refresh-token family's id.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub user_id: Uuid,
    pub created_at: DateTimeUtc,
    /// The latest sign-in or refresh.
    pub last_used_at: DateTimeUtc,
    /// When its refresh token runs out unless used.
    pub expires_at: DateTimeUtc,
    /// The address it was last used from (as `ClientAddr` reads it: behind trusted proxies,
    /// the client's).
    pub address: Option<String>,
    pub user_agent: Option<String>,
    pub ended_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
