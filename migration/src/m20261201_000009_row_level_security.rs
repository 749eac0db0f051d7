//! PostgreSQL row-level security: a second wall behind the tenant scope of every query.
//!
//! Every table that holds one client account's data gets a policy: a session whose
//! `portico.client_id` names an account sees, and may write, only that account's rows (and,
//! where a row may belong to the agency instead — staff users, agency-wide events, staff
//! notifications — the agency's). A session that names no account (staff, the workers, the
//! migrations) is not restricted: the scope of its queries is the application's. The server
//! names the account for every request of a client user when `PORTICO_ROW_LEVEL_SECURITY` is
//! on (`api/src/tenant.rs`), so a query that forgot its scope still cannot return another
//! account's rows.
//!
//! The policies are for the role that runs the migrations — the server's own, which owns the
//! tables — and `FORCE` makes them bind that owner. They are for that role only: policies of
//! one kind are combined with `OR`, so one for everyone would widen any other policy a
//! deployment keeps on these tables for other roles (a PostgREST-style reader, the benchmark
//! ceiling's). Superusers and `BYPASSRLS` roles are never bound, which is why the server
//! refuses to turn the setting on for them. On SQLite this migration does nothing.
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

const FUNCTIONS: &str = r#"
CREATE FUNCTION portico_tenant_sees(row_client uuid) RETURNS boolean LANGUAGE sql STABLE AS $$
  SELECT COALESCE(current_setting('portico.client_id', true), '') = ''
      OR row_client = NULLIF(current_setting('portico.client_id', true), '')::uuid
$$;
CREATE FUNCTION portico_tenant_sees_or_agency(row_client uuid) RETURNS boolean LANGUAGE sql STABLE AS $$
  SELECT row_client IS NULL OR portico_tenant_sees(row_client)
$$;
"#;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        if m.get_database_backend() != DbBackend::Postgres {
            return Ok(());
        }
        let db = m.get_connection();
        db.execute_unprepared(FUNCTIONS).await?;
        let policies = ACCOUNT_ROWS
            .iter()
            .map(|(table, column)| (*table, format!("portico_tenant_sees({column})")))
            .chain(ACCOUNT_OR_AGENCY_ROWS.iter().map(|t| (*t, "portico_tenant_sees_or_agency(client_id)".to_owned())));
        for (table, check) in policies {
            db.execute_unprepared(&format!(
                "ALTER TABLE {table} ENABLE ROW LEVEL SECURITY; ALTER TABLE {table} FORCE ROW LEVEL SECURITY; \
                 CREATE POLICY tenant_scope ON {table} TO CURRENT_USER USING ({check}) WITH CHECK ({check});"
            ))
            .await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        if m.get_database_backend() != DbBackend::Postgres {
            return Ok(());
        }
        let db = m.get_connection();
        for table in ACCOUNT_ROWS.iter().map(|(t, _)| *t).chain(ACCOUNT_OR_AGENCY_ROWS) {
            db.execute_unprepared(&format!(
                "DROP POLICY tenant_scope ON {table}; ALTER TABLE {table} NO FORCE ROW LEVEL SECURITY; \
                 ALTER TABLE {table} DISABLE ROW LEVEL SECURITY;"
            ))
            .await?;
        }
        db.execute_unprepared(
            "DROP FUNCTION portico_tenant_sees_or_agency(uuid); DROP FUNCTION portico_tenant_sees(uuid);",
        )
        .await?;
        Ok(())
    }
}
