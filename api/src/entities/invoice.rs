use super::enums::InvoiceStatus;
use sea_orm::{FromQueryResult, QueryResult, TryGetError, entity::prelude::*};

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

/// The columns `ByPosition` reads, in select order.
pub const COLUMNS: [Column; 16] = [
    Column::Id,
    Column::ClientId,
    Column::Number,
    Column::IssueDate,
    Column::DueDate,
    Column::Currency,
    Column::Status,
    Column::TaxRateBp,
    Column::SubtotalCents,
    Column::TaxCents,
    Column::TotalCents,
    Column::PaidCents,
    Column::PaymentInstructions,
    Column::SentAt,
    Column::CreatedAt,
    Column::UpdatedAt,
];

/// An invoice read by column position from a select of exactly `COLUMNS`. The derived reader
/// looks every column up by name, a hash per column per row, which showed on the invoice list
/// (docs/benchmarks.md).
pub struct ByPosition(pub Model);

impl FromQueryResult for ByPosition {
    fn from_query_result(res: &QueryResult, pre: &str) -> Result<Self, DbErr> {
        Ok(Self::from_query_result_nullable(res, pre)?)
    }

    fn from_query_result_nullable(res: &QueryResult, _: &str) -> Result<Self, TryGetError> {
        Ok(Self(Model {
            id: res.try_get_by_index_nullable(0)?,
            client_id: res.try_get_by_index_nullable(1)?,
            number: res.try_get_by_index_nullable(2)?,
            issue_date: res.try_get_by_index_nullable(3)?,
            due_date: res.try_get_by_index_nullable(4)?,
            currency: res.try_get_by_index_nullable(5)?,
            status: res.try_get_by_index_nullable(6)?,
            tax_rate_bp: res.try_get_by_index_nullable(7)?,
            subtotal_cents: res.try_get_by_index_nullable(8)?,
            tax_cents: res.try_get_by_index_nullable(9)?,
            total_cents: res.try_get_by_index_nullable(10)?,
            paid_cents: res.try_get_by_index_nullable(11)?,
            payment_instructions: res.try_get_by_index_nullable(12)?,
            sent_at: res.try_get_by_index_nullable(13)?,
            created_at: res.try_get_by_index_nullable(14)?,
            updated_at: res.try_get_by_index_nullable(15)?,
        }))
    }
}
