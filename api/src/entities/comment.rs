//! The full comments table: Replies and internal Notes. Only staff-scoped code reads it; see
//! `client_comment` for what clients read.
use super::enums::Visibility;
use sea_orm::{FromJsonQueryResult, entity::prelude::*};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "comments")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub client_id: Uuid,
    pub task_id: Uuid,
    pub author_id: Uuid,
    pub body: String,
    pub visibility: Visibility,
    pub edited_at: Option<DateTimeUtc>,
    pub deleted_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    /// When the client may see it: at once for a client's Reply, after the undo window for a
    /// staff Reply; never for a Note.
    pub released_at: Option<DateTimeUtc>,
    #[sea_orm(column_type = "JsonBinary")]
    pub attachments: Attachments,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(belongs_to = "super::user::Entity", from = "Column::AuthorId", to = "super::user::Column::Id")]
    Author,
}

impl ActiveModelBehavior for ActiveModel {}

/// The files attached to a comment, as the thread shows them (kept on the comment, so they
/// are read with it and seen exactly where it is).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, FromJsonQueryResult, ToSchema)]
pub struct Attachments(pub Vec<Attachment>);

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Attachment {
    pub file_id: Uuid,
    pub name: String,
    pub size: i64,
    pub content_type: String,
}
