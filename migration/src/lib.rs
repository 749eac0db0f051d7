//! Schema migrations for Portico. Every migration must run unchanged on SQLite and PostgreSQL:
//! stick to sea-query's schema helpers and to SQL both dialects accept.
pub use sea_orm_migration::prelude::*;

// Migrations already applied somewhere are never edited, not even by the formatter.
#[rustfmt::skip]
mod m20261128_000001_initial;
#[rustfmt::skip]
mod m20261128_000002_access_lifecycle;
#[rustfmt::skip]
mod m20261128_000003_events;
#[rustfmt::skip]
mod m20261128_000004_notifications;
#[rustfmt::skip]
mod m20261128_000005_webhooks;
#[rustfmt::skip]
mod m20261201_000006_typed_json_and_sources;
#[rustfmt::skip]
mod m20261201_000007_event_sequence;
#[rustfmt::skip]
mod m20261201_000008_session_bounds;
#[rustfmt::skip]
mod m20261201_000009_row_level_security;
#[rustfmt::skip]
mod m20261201_000010_files;
#[rustfmt::skip]
mod m20261201_000011_rls_for_the_servers_role;
#[rustfmt::skip]
mod m20261201_000012_invoices_a_client_keeps_and_pays;
mod m20261201_000013_one_pending_review_per_file;
mod m20261202_000014_locales;
mod m20261202_000015_sessions_a_user_can_see;
mod m20261202_000016_client_admins_run_their_team;
mod m20261202_000017_api_keys_for_integrators;
mod m20261202_000018_idempotent_posts;
mod m20261202_000019_two_factor_sign_in;
mod m20261203_000020_search;
mod m20261203_000021_visits;
mod m20261203_000022_languages;
mod m20261204_000023_portal_metrics;
mod m20261204_000024_satisfaction_surveys;
mod m20261204_000025_replies_by_email;
mod m20261204_000026_response_weeks;
/// How many histogram buckets a `response_weeks` row has.
pub use m20261204_000026_response_weeks::RESPONSE_BUCKETS;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261128_000001_initial::Migration),
            Box::new(m20261128_000002_access_lifecycle::Migration),
            Box::new(m20261128_000003_events::Migration),
            Box::new(m20261128_000004_notifications::Migration),
            Box::new(m20261128_000005_webhooks::Migration),
            Box::new(m20261201_000006_typed_json_and_sources::Migration),
            Box::new(m20261201_000007_event_sequence::Migration),
            Box::new(m20261201_000008_session_bounds::Migration),
            Box::new(m20261201_000009_row_level_security::Migration),
            Box::new(m20261201_000010_files::Migration),
            Box::new(m20261201_000011_rls_for_the_servers_role::Migration),
            Box::new(m20261201_000012_invoices_a_client_keeps_and_pays::Migration),
            Box::new(m20261201_000013_one_pending_review_per_file::Migration),
            Box::new(m20261202_000014_locales::Migration),
            Box::new(m20261202_000015_sessions_a_user_can_see::Migration),
            Box::new(m20261202_000016_client_admins_run_their_team::Migration),
            Box::new(m20261202_000017_api_keys_for_integrators::Migration),
            Box::new(m20261202_000018_idempotent_posts::Migration),
            Box::new(m20261202_000019_two_factor_sign_in::Migration),
            Box::new(m20261203_000020_search::Migration),
            Box::new(m20261203_000021_visits::Migration),
            Box::new(m20261203_000022_languages::Migration),
            Box::new(m20261204_000023_portal_metrics::Migration),
            Box::new(m20261204_000024_satisfaction_surveys::Migration),
            Box::new(m20261204_000025_replies_by_email::Migration),
            Box::new(m20261204_000026_response_weeks::Migration),
        ]
    }
}
