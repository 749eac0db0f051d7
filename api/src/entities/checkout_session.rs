use sea_orm::entity::prelude::*;

pub const OPEN: &str = "open";
pub const COMPLETED: &str = "completed";
pub const EXPIRED: &str = "expired";
/// Stripe could not be asked: nothing to pay there.
pub const FAILED: &str = "failed";

/// One "Pay now": the amount it asked the provider to collect for an invoice.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "checkout_sessions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub invoice_id: Uuid,
    pub client_id: Uuid,
    /// The provider's session id (`cs_…`).
    pub provider_id: Option<String>,
    pub amount_cents: i64,
    pub currency: String,
    pub status: String,
    pub url: Option<String>,
    pub created_by: Option<Uuid>,
    pub created_at: DateTimeUtc,
    pub completed_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
