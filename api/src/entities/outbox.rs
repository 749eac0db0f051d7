use sea_orm::entity::prelude::*;

pub const PENDING: &str = "pending";
pub const SENT: &str = "sent";
pub const FAILED: &str = "failed";
/// Taken back before it was sent: what it announced was withdrawn (e.g. a Reply made a Note).
pub const WITHDRAWN: &str = "withdrawn";

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "outbox")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub kind: String,
    pub to_email: String,
    pub subject: String,
    pub text_body: String,
    pub html_body: String,
    /// Where answers go, when not to the sender (a reply address of the reply mailbox).
    pub reply_to: Option<String>,
    /// `pending`, `sent`, or `failed` (gave up after the last retry).
    pub status: String,
    pub attempts: i32,
    pub next_attempt_at: DateTimeUtc,
    /// A worker holding the message until then; another may take it over afterwards.
    pub locked_until: Option<DateTimeUtc>,
    pub last_error: Option<String>,
    pub created_at: DateTimeUtc,
    pub sent_at: Option<DateTimeUtc>,
    /// What it is about (e.g. `comment`), so a later change can withdraw it.
    pub source_type: Option<String>,
    pub source_id: Option<Uuid>,
    /// The event of the change that caused it.
    pub event_id: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
