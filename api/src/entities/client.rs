use super::enums::ClientStatus;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "clients")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub name: String,
    pub status: ClientStatus,
    pub notes: Option<String>,
    /// Printed under the client's name on invoices and statements.
    pub billing_address: Option<String>,
    /// The client's VAT or tax number, printed on invoices.
    pub tax_id: Option<String>,
    /// How this client's documents and e-mails write amounts (BCP 47); `None`: the agency's.
    pub locale: Option<String>,
    /// Whether the account's Client Admins (`team.manage`) look after their own team.
    pub team_self_service: bool,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
