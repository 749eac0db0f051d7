use sea_orm::entity::prelude::*;

/// One look at a sent invoice by one of the client's people (never a View-as).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "invoice_views")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub invoice_id: Uuid,
    pub client_id: Uuid,
    pub user_id: Uuid,
    /// `detail` or `pdf`.
    pub via: String,
    pub viewed_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
