use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "audit_events")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub at: DateTimeUtc,
    /// Who did it (for View as: the staff member).
    pub actor_id: Option<Uuid>,
    /// On whose behalf, when a staff member was viewing as a client user.
    pub acting_as_id: Option<Uuid>,
    /// The API key the change was made with.
    pub api_key_id: Option<Uuid>,
    pub action: String,
    pub target_type: String,
    pub target_id: Option<Uuid>,
    pub client_id: Option<Uuid>,
    /// Action-specific details.
    #[sea_orm(column_type = "JsonBinary")]
    pub details: Json,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(belongs_to = "super::user::Entity", from = "Column::ActorId", to = "super::user::Column::Id")]
    Actor,
    #[sea_orm(belongs_to = "super::api_key::Entity", from = "Column::ApiKeyId", to = "super::api_key::Column::Id")]
    ApiKey,
}

impl ActiveModelBehavior for ActiveModel {}
