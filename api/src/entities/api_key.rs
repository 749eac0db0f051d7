use sea_orm::{FromJsonQueryResult, entity::prelude::*};
use serde::{Deserialize, Serialize};

/// The prefix every API key secret starts with, so secret scanners can recognise a leaked one.
pub const SECRET_PREFIX: &str = "pk_live_";

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "api_keys")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub name: String,
    /// The start of the secret, shown so a key can be told apart from the others.
    pub prefix: String,
    /// SHA-256 of the secret; the secret itself is never stored.
    pub secret_hash: String,
    #[sea_orm(column_type = "JsonBinary")]
    pub permissions: KeyPermissions,
    /// The client account a client-scoped key is held to.
    pub client_id: Option<Uuid>,
    /// The user the key acts as: its maker, or the hidden user of a client-scoped key.
    pub principal_id: Uuid,
    pub created_by: Uuid,
    pub created_at: DateTimeUtc,
    pub expires_at: Option<DateTimeUtc>,
    pub last_used_at: Option<DateTimeUtc>,
    pub last_used_address: Option<String>,
    pub revoked_at: Option<DateTimeUtc>,
    pub revoked_by: Option<Uuid>,
    /// Requests a minute; `None`: `PORTICO_API_KEY_REQUESTS_PER_MINUTE`.
    pub rate_limit_per_minute: Option<i32>,
}

/// Permission names as stored; a name this build does not know grants nothing.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, FromJsonQueryResult)]
pub struct KeyPermissions(pub Vec<String>);

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
