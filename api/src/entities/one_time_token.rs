use sea_orm::entity::prelude::*;

/// What a one-time token is for.
pub const INVITATION: &str = "invitation";
pub const PASSWORD_RESET: &str = "password_reset";
/// A single-use ticket that opens one live-update stream.
pub const STREAM_TICKET: &str = "stream_ticket";
/// A View-as session: `user_id` the client user viewed, `created_by` the staff member viewing.
/// Its tokens work while it is neither revoked ("Stop viewing as") nor past its expiry.
pub const VIEW_AS: &str = "view_as";

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "one_time_tokens")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub purpose: String,
    pub user_id: Uuid,
    pub contact_id: Option<Uuid>,
    /// SHA-256 of the token sent by e-mail; the token itself is never stored.
    pub token_hash: String,
    pub expires_at: DateTimeUtc,
    pub used_at: Option<DateTimeUtc>,
    pub revoked_at: Option<DateTimeUtc>,
    pub created_by: Option<Uuid>,
    /// For a stream ticket asked for with an API key: that key, which the stream is held to.
    pub api_key_id: Option<Uuid>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
