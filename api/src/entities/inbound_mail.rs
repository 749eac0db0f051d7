use sea_orm::entity::prelude::*;

/// A message read from the reply mailbox, once: its `Message-ID` (or a digest of it), who sent
/// it, and what became of it (`posted`, or why it was not).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "inbound_mails")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub message_key: String,
    pub received_at: DateTimeUtc,
    pub sender: String,
    pub outcome: String,
    pub comment_id: Option<Uuid>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
