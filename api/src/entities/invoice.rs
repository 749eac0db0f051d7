use super::enums::InvoiceStatus;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "invoices")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub client_id: Uuid,
    pub number: String,
    pub issue_date: Date,
    pub due_date: Date,
    pub currency: String,
    pub status: InvoiceStatus,
    /// Tax rate in basis points (20 % = 2000).
    pub tax_rate_bp: i32,
    pub subtotal_cents: i64,
    pub tax_cents: i64,
    pub total_cents: i64,
    pub paid_cents: i64,
    pub payment_instructions: String,
    pub sent_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    /// The first and the latest time one of the client's people opened it once sent.
    pub first_viewed_at: Option<DateTimeUtc>,
    pub last_viewed_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(has_many = "super::invoice_line::Entity")]
    Lines,
}

impl Related<super::invoice_line::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Lines.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
