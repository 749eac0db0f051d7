//! What every request handler and worker shares: the database, the live-event bus, the
//! mailer, the settings, the signing keys, the permission cache and the password hasher.
//! Built once by `startup::prepare`.
use std::sync::Arc;

use sea_orm::DatabaseConnection;

use crate::{
    auth::{authz::AuthzCache, jwt::JwtKeys, password::Passwords},
    config::Settings,
    metrics::Metrics,
    services::{events::EventBus, mail::Mailer, storage::Storage},
};

pub struct AppState {
    pub db: DatabaseConnection,
    pub events: Arc<EventBus>,
    pub metrics: Arc<Metrics>,
    pub mailer: Arc<Mailer>,
    pub settings: Arc<Settings>,
    pub jwt: JwtKeys,
    pub authz: Arc<AuthzCache>,
    pub passwords: Passwords,
    /// Where file contents live.
    pub storage: Arc<Storage>,
    /// Online payment, when configured.
    pub stripe: Option<Arc<crate::services::stripe::Stripe>>,
}
