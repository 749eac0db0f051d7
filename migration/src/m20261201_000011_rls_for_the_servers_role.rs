//! The row-level security policies of `m20261201_000009` bind only the role that runs the
//! migrations — the server's own, which owns the tables — rather than every role.
//!
//! Permissive policies of one kind are combined with `OR`, so a policy for everyone, whose "no
//! account named: no restriction" lets any session through, would widen every other policy a
//! deployment keeps on these tables for other roles (a PostgREST-style reader, the benchmark
//! ceiling's). The first version of that migration made them for everyone; this one makes them
//! again for `CURRENT_USER`, whichever version a database ran (dropping and re-creating is the
//! same for both). The files tables of `m20261201_000010` were made this way from the start.
use sea_orm_migration::{prelude::*, sea_orm::DbBackend};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Tables whose every row belongs to one account, and the column that says which.
const ACCOUNT_ROWS: [(&str, &str); 8] = [
    ("clients", "id"),
    ("contacts", "client_id"),
    ("projects", "client_id"),
    ("tasks", "client_id"),
    ("comments", "client_id"),
    ("invoices", "client_id"),
    ("invoice_lines", "client_id"),
    ("payments", "client_id"),
];

/// Tables whose rows belong to one account or, with no account, to the agency.
const ACCOUNT_OR_AGENCY_ROWS: [&str; 3] = ["users", "events", "notifications"];

async fn make_policies(m: &SchemaManager<'_>, to: &str) -> Result<(), DbErr> {
    if m.get_database_backend() != DbBackend::Postgres {
        return Ok(());
    }
    let policies = ACCOUNT_ROWS
        .iter()
        .map(|(table, column)| (*table, format!("portico_tenant_sees({column})")))
        .chain(ACCOUNT_OR_AGENCY_ROWS.iter().map(|t| (*t, "portico_tenant_sees_or_agency(client_id)".to_owned())));
    for (table, check) in policies {
        m.get_connection()
            .execute_unprepared(&format!(
                "DROP POLICY IF EXISTS tenant_scope ON {table}; \
                 CREATE POLICY tenant_scope ON {table} {to} USING ({check}) WITH CHECK ({check});"
            ))
            .await?;
    }
    Ok(())
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        make_policies(m, "TO CURRENT_USER").await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        make_policies(m, "").await
    }
}
