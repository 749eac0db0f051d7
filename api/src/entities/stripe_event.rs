use sea_orm::entity::prelude::*;

pub const RECORDED: &str = "recorded";
pub const IGNORED: &str = "ignored";
pub const REJECTED: &str = "rejected";

/// An event the payment provider sent, kept under its own id: acted on once, however often
/// it is delivered.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "stripe_events")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub kind: String,
    pub invoice_id: Option<Uuid>,
    pub outcome: String,
    /// Why it was rejected or ignored.
    pub detail: Option<String>,
    pub received_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
