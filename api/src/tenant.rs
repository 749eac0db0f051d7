//! The client account a request acts for, told to PostgreSQL so row-level security can hold
//! it to that account (`PORTICO_ROW_LEVEL_SECURITY`; the policies are in migration
//! `m20261201_000009`). The application already scopes every query (`policy.rs`); this is the
//! second wall, for the query that one day forgets.
//!
//! Each request runs in a scope (`scope`, a middleware) whose account the `Actor` extractor
//! names once it knows the caller (`name`). Every connection the request then takes from the
//! pool is set to that account before it is handed over (`apply`, the pool's acquire hooks),
//! and one taken by anything else — a staff request, a worker, a migration — is set to none.
use std::cell::Cell;

use actix_web::{
    body::MessageBody,
    dev::{ServiceRequest, ServiceResponse},
    middleware::Next,
};
use futures_util::future::BoxFuture;
use sea_orm::sqlx::{self, postgres::PgConnection};
use uuid::Uuid;

tokio::task_local! {
    static TENANT: Cell<Option<Uuid>>;
}

/// Runs the request in a scope its account can be named in.
pub async fn scope(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    TENANT.scope(Cell::new(None), next.call(req)).await
}

/// Names the account the current request acts for: a client user's, or none (staff).
pub fn name(client_id: Option<Uuid>) {
    let _ = TENANT.try_with(|t| t.set(client_id));
}

/// The account named for the current request, if it is one and has named one.
pub fn current() -> Option<Uuid> {
    TENANT.try_with(Cell::get).ok().flatten()
}

/// Sets `conn`'s `portico.client_id` for whoever is taking it: the current request's account,
/// or none.
pub fn apply(conn: &mut PgConnection) -> BoxFuture<'_, Result<(), sqlx::Error>> {
    let value = current().map(|c| c.to_string()).unwrap_or_default();
    Box::pin(async move {
        sqlx::query("SELECT set_config('portico.client_id', $1, false)").bind(value).execute(conn).await?;
        Ok(())
    })
}

/// Refuses a role row-level security would not bind (a superuser, or one with `BYPASSRLS`):
/// turning the setting on for it would protect nothing while saying it does.
pub async fn check_role(db: &sea_orm::DatabaseConnection) -> anyhow::Result<()> {
    let (exempt, role): (bool, String) =
        sqlx::query_as("SELECT rolsuper OR rolbypassrls, rolname::text FROM pg_roles WHERE rolname = current_user")
            .fetch_one(db.get_postgres_connection_pool())
            .await?;
    if exempt {
        anyhow::bail!(
            "PORTICO_ROW_LEVEL_SECURITY needs a database role that row-level security binds: `{role}` is a superuser \
             or has BYPASSRLS. Connect as a role that owns the database but is neither (see docs/deployment.md)"
        );
    }
    Ok(())
}
