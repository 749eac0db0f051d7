use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "idempotency_keys")]
pub struct Model {
    /// SHA-256 of the caller and the key they sent.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    /// A random token of the request that claimed the key.
    pub claim: String,
    /// SHA-256 of the request (method, path, body); set with the answer.
    pub request_hash: Option<String>,
    /// For a large upload, the bytes of its body the hash covers (what its handler read); for
    /// any other request `None`: the whole body.
    pub hashed_bytes: Option<i64>,
    pub status: Option<i32>,
    pub content_type: Option<String>,
    pub location: Option<String>,
    pub body: Option<Vec<u8>>,
    pub created_at: DateTimeUtc,
    /// `None` while the first request is under way.
    pub completed_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
