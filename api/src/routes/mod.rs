//! HTTP handlers, one module per resource, and nothing but HTTP: each handler extracts the
//! request, finds what it acts on through the caller's policy scope (so 404 and 403 come before
//! 422), validates the body, calls the domain (a write runs in a `Change`), and answers. No
//! route module imports another.
pub mod activity;
pub mod api_keys;
pub mod audit_log;
pub mod auth;
pub mod billing;
pub mod clients;
pub mod comments;
pub mod contacts;
pub mod dashboard;
pub mod events;
pub mod files;
pub mod health;
pub mod invitations;
pub mod invoices;
pub mod me;
pub mod metrics;
pub mod notifications;
pub mod password_reset;
pub mod payments;
pub mod portal;
pub mod projects;
pub mod roles;
pub mod search;
pub mod settings;
pub mod surveys;
pub mod tasks;
pub mod team;
pub mod two_factor;
pub mod users;
pub mod webhooks;

mod prelude {
    pub use actix_web::{HttpResponse, delete, get, patch, post, put, web};
    pub use sea_orm::{ColumnTrait, QueryFilter};
    pub use utoipa::{IntoParams, ToSchema};
    pub use uuid::Uuid;
    pub use validator::Validate;

    pub use crate::{
        auth::{Actor, Perm},
        conditional::IfMatch,
        domain::Change,
        error::{ApiError, ApiResult},
        extract::{Body, ClientAddr},
        pagination::{self, Page},
        policy,
        state::AppState,
    };

    pub type State = web::Data<AppState>;
}

/// Registration order is match order: actix tries each route's pattern in turn (a regex
/// capture for every one with a `{param}`), so the portal's hot reads come first. Before this,
/// a task page was matched only after ~60 other patterns, 8 % of the server's CPU on that
/// request (docs/benchmarks.md). No two modules' patterns overlap, so the order does not change
/// which handler a path reaches.
pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    tasks::config(cfg);
    comments::config(cfg);
    invoices::config(cfg);
    payments::config(cfg);
    billing::config(cfg);
    projects::config(cfg);
    files::config(cfg);
    events::config(cfg);
    auth::config(cfg);
    invitations::config(cfg);
    password_reset::config(cfg);
    audit_log::config(cfg);
    me::config(cfg);
    two_factor::config(cfg);
    notifications::config(cfg);
    portal::config(cfg);
    dashboard::config(cfg);
    metrics::config(cfg);
    surveys::config(cfg);
    clients::config(cfg);
    contacts::config(cfg);
    users::config(cfg);
    team::config(cfg);
    roles::config(cfg);
    settings::config(cfg);
    webhooks::config(cfg);
    api_keys::config(cfg);
    search::config(cfg);
    activity::config(cfg);
}
