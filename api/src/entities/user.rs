use super::enums::{Language, UserStatus};
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "users")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub email: String,
    pub name: String,
    pub password_hash: Option<String>,
    pub role_id: Uuid,
    pub client_id: Option<Uuid>,
    pub status: UserStatus,
    pub last_login_at: Option<DateTimeUtc>,
    pub authz_version: i64,
    /// Raised when every access token issued before must stop working (logout, password
    /// change or reset, deactivation); access tokens carry the epoch they were issued in.
    pub session_epoch: i64,
    /// Who deactivated the user (while deactivated; `None` before this was kept).
    pub deactivated_by: Option<Uuid>,
    /// The TOTP shared secret (base32) once two-factor sign-in is on; never sent anywhere
    /// after enrolment.
    pub totp_secret: Option<String>,
    pub totp_enabled_at: Option<DateTimeUtc>,
    /// The time step of the last code accepted: a code is good once (RFC 6238, 5.2).
    pub totp_last_step: Option<i64>,
    /// An enrolment begun and not yet confirmed with a code from the authenticator.
    pub totp_pending_secret: Option<String>,
    pub totp_pending_at: Option<DateTimeUtc>,
    /// When they last used the portal (moved at most once a minute; never by View-as or a key).
    pub last_seen_at: Option<DateTimeUtc>,
    /// When their visit before the current one ended: what changed after it is new to them.
    pub previous_visit_at: Option<DateTimeUtc>,
    /// The language they chose for the portal and their e-mails; none: automatic.
    pub language: Option<Language>,
    /// When the user was first invited to the portal (none: created with a password).
    pub invited_at: Option<DateTimeUtc>,
    /// Their first sign-in (never a View-as).
    pub first_login_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

impl ActiveModel {
    /// A new user row: a fresh id, the e-mail trimmed and lower-cased (uniqueness is
    /// case-insensitive), timestamps now.
    pub fn new_user(
        email: &str,
        name: &str,
        role_id: Uuid,
        client_id: Option<Uuid>,
        password_hash: Option<String>,
        status: UserStatus,
    ) -> Self {
        use sea_orm::Set;
        let now = chrono::Utc::now();
        Self {
            id: Set(Uuid::now_v7()),
            email: Set(email.trim().to_lowercase()),
            name: Set(name.trim().to_owned()),
            password_hash: Set(password_hash),
            role_id: Set(role_id),
            client_id: Set(client_id),
            status: Set(status),
            last_login_at: Set(None),
            authz_version: Set(0),
            session_epoch: Set(0),
            deactivated_by: Set(None),
            totp_secret: Set(None),
            totp_enabled_at: Set(None),
            totp_last_step: Set(None),
            totp_pending_secret: Set(None),
            totp_pending_at: Set(None),
            last_seen_at: Set(None),
            previous_visit_at: Set(None),
            language: Set(None),
            invited_at: Set(None),
            first_login_at: Set(None),
            created_at: Set(now),
            updated_at: Set(now),
        }
    }
}
