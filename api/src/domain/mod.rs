//! The domain: what Portico does, per aggregate, callable from routes, workers and the demo
//! seed alike. Every write runs in a `Change` (the unit of work), so its audit entries, events,
//! mails, notifications, webhook deliveries and permission-cache invalidations commit with it.
//! Reads that several routes share (the task rows, the comment thread, an invoice's detail)
//! live here too. Nothing here knows HTTP beyond the error type.
//!
//! `docs/architecture.md` describes the layers and where a new resource's files go.
pub mod activity;
pub mod adoption;
pub mod api_keys;
pub mod audit;
pub mod automations;
pub mod calendar;
pub mod change;
pub mod clients;
pub mod comments;
pub mod contacts;
pub mod devices;
pub mod documents;
pub mod files;
pub mod inbound;
pub mod installation;
pub mod invitations;
pub mod invoices;
pub mod metrics;
pub mod money;
pub mod notifications;
pub mod notify;
pub mod passwords;
pub mod payments;
pub mod projects;
pub mod response_stats;
pub mod responses;
pub mod roles;
pub mod search;
pub mod sessions;
pub mod settings;
pub mod statements;
pub mod surveys;
pub mod tasks;
pub mod team;
pub mod two_factor;
pub mod users;
pub mod webhooks;

pub use change::Change;

/// For PATCH bodies: tells "absent" (keep) from `null` (clear) in `Option<Option<T>>` fields.
pub fn patch_field<'de, T, D>(d: D) -> Result<Option<Option<T>>, D::Error>
where
    T: serde::Deserialize<'de>,
    D: serde::Deserializer<'de>,
{
    use serde::Deserialize;
    Option::<T>::deserialize(d).map(Some)
}

/// What the domain modules share.
mod prelude {
    pub use chrono::{NaiveDate, Utc};
    pub use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter, Set};
    pub use serde::{Deserialize, Serialize};
    pub use utoipa::ToSchema;
    pub use uuid::Uuid;
    pub use validator::Validate;

    pub use super::{Change, audit::Entry, patch_field};
    pub use crate::{
        auth::{Actor, Perm},
        error::{ApiError, ApiResult},
        pagination::{self, Key, Page, Sort},
        policy,
        services::events::{NewEvent, Source},
        state::AppState,
    };
}
