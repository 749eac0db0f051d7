use sea_orm::entity::prelude::*;

/// Who may receive an event, besides the tenant and permission rules of the policy.
pub const AUDIENCE_ALL: &str = "all";
pub const AUDIENCE_STAFF_NOTES: &str = "staff_notes";
/// The agency's own business (e.g. that a client opened an invoice): never a client's.
pub const AUDIENCE_STAFF: &str = "staff";

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "events")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// The event's place in commit order, given when its change commits (`None` until then):
    /// gapless and rising, what streams, replays and relays go by.
    pub seq: Option<i64>,
    pub at: DateTimeUtc,
    /// The owning client account; `None` for agency-wide events.
    pub client_id: Option<Uuid>,
    pub audience: String,
    /// E.g. `task.updated`, `comment.created`, `invoice.sent`.
    pub kind: String,
    pub resource_id: Uuid,
    /// An object of ids only: receivers re-read the resource through the REST API, which the
    /// policy filters, so an event never carries content a reader may not see.
    #[sea_orm(column_type = "JsonBinary")]
    pub payload: Json,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
