use sea_orm::entity::prelude::*;

use super::enums::{Channel, Side};

/// A Reply that waits for the other side's answer: a client's, for the agency's first Reply
/// after it on the same task, or a staff member's, for the client's. It starts when the Reply
/// reaches the client's side (a staff Reply after its undo window) and ends with the first
/// Reply of the other side that does; a Note never starts or ends one.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "reply_waits")]
pub struct Model {
    /// The waiting Reply.
    #[sea_orm(primary_key, auto_increment = false)]
    pub comment_id: Uuid,
    pub task_id: Uuid,
    pub project_id: Uuid,
    pub client_id: Uuid,
    /// Who asked: `client` (the agency owes the answer) or `agency`.
    pub side: Side,
    pub asked_by: Uuid,
    pub asked_at: DateTimeUtc,
    /// How the question arrived: in the portal or as an answer to an e-mail.
    pub channel: Channel,
    pub answer_id: Option<Uuid>,
    pub answered_by: Option<Uuid>,
    pub answered_at: Option<DateTimeUtc>,
    /// The wait in business hours of the working calendar in force when it was answered.
    pub business_seconds: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
