//! Connecting, migrating and backing up the database. The rows every installation needs
//! (built-in roles, settings, the first admin) are `domain::installation`'s.
use std::time::Duration;

use migration::{Migrator, MigratorTrait};
use sea_orm::{ConnectOptions, ConnectionTrait, Database, DatabaseConnection};

use crate::{config::Settings, tenant};

pub async fn connect(settings: &Settings) -> anyhow::Result<DatabaseConnection> {
    let url = settings.database_url();
    if settings.is_sqlite() && settings.database_url.is_none() {
        std::fs::create_dir_all(&settings.data_dir)?;
    }
    let mut opts = ConnectOptions::new(url);
    // SQLite allows one writer, and a transaction that reads and then writes fails at once
    // (SQLITE_BUSY, no waiting) if another connection wrote in between. One connection
    // serialises the embedded mode's work instead of failing it; PostgreSQL gets a real pool.
    let max = if settings.is_sqlite() { 1 } else { settings.db_max_connections };
    // While PostgreSQL is away (a restart, a failover) a request waits this long for a
    // connection, then answers 503 with Retry-After; the one SQLite connection may be queued for
    // by many requests at once, which is waiting, not an outage.
    let wait = Duration::from_secs(if settings.is_sqlite() { 10 } else { 3 });
    opts.max_connections(max)
        .min_connections(1)
        .connect_timeout(wait)
        .acquire_timeout(wait)
        // By default every checkout pings the server first: a second round trip per query,
        // which cost ~40 % of read throughput (docs/benchmarks.md). A connection used within
        // the last half minute is known good; only one idle for longer is checked.
        .test_before_acquire_if_idle_for(Duration::from_secs(30))
        .sqlx_logging(false)
        // Every query is tenant-scoped and index-driven, so the parameter values never change
        // the best plan, but PostgreSQL's default still re-planned the task list on every call
        // (a LIMIT parameter makes the generic plan look dearer than it is): planning cost more
        // than running it. One plan per prepared statement and connection instead: +55 % on the
        // ongoing-tasks page (docs/benchmarks.md).
        .map_sqlx_postgres_opts(|o| o.options([("plan_cache_mode", "force_generic_plan")]));
    if settings.row_level_security && !settings.is_sqlite() {
        // Every connection is set for whoever takes it, reused or new: a client user's request
        // to their account, anything else to none (`tenant`).
        opts.map_sqlx_postgres_before_acquire(|conn, _| {
            Box::pin(async move { tenant::apply(conn).await.map(|()| true) })
        });
        opts.map_sqlx_postgres_pool_opts(|o| o.after_connect(|conn, _| tenant::apply(conn)));
    }
    let db = Database::connect(opts).await.map_err(|e| anyhow::anyhow!("cannot connect to the database: {e}"))?;
    if settings.row_level_security && !settings.is_sqlite() {
        tenant::check_role(&db).await?;
    }
    if settings.is_sqlite() {
        // WAL lets readers proceed while one writer commits; the setting persists in the file.
        db.execute_unprepared("PRAGMA journal_mode=WAL").await?;
    }
    Ok(db)
}

/// An arbitrary, fixed key for the migration advisory lock.
const MIGRATION_LOCK: i64 = 0x0070_6f72_7469_636f; // "portico"

/// Applies pending migrations. On PostgreSQL several instances may start at once: an advisory
/// lock, held on one connection for the duration, lets exactly one migrate while the others
/// wait and then find nothing to do. (The lock dies with its session if the process does.)
pub async fn migrate(db: &DatabaseConnection) -> anyhow::Result<()> {
    if db.get_database_backend() != sea_orm::DbBackend::Postgres {
        Migrator::up(db, None).await?;
        return Ok(());
    }
    let mut conn = db.get_postgres_connection_pool().acquire().await?;
    sea_orm::sqlx::query("SELECT pg_advisory_lock($1)").bind(MIGRATION_LOCK).execute(&mut *conn).await?;
    let result = Migrator::up(db, None).await;
    sea_orm::sqlx::query("SELECT pg_advisory_unlock($1)").bind(MIGRATION_LOCK).execute(&mut *conn).await?;
    result?;
    Ok(())
}

/// A consistent copy of the embedded SQLite database, taken while the server runs.
pub async fn backup_sqlite(db: &DatabaseConnection, target: &std::path::Path) -> anyhow::Result<()> {
    if db.get_database_backend() != sea_orm::DbBackend::Sqlite {
        anyhow::bail!(
            "`portico backup` copies the embedded SQLite database; back PostgreSQL up with pg_dump (see docs/deployment.md)"
        );
    }
    if target.exists() {
        anyhow::bail!("{} already exists; choose a new file name", target.display());
    }
    // VACUUM INTO reads one snapshot, so concurrent writers neither block it nor tear the copy.
    let stmt = sea_orm::Statement::from_sql_and_values(
        sea_orm::DbBackend::Sqlite,
        "VACUUM INTO ?",
        [target.to_string_lossy().to_string().into()],
    );
    db.execute_raw(stmt).await?;
    Ok(())
}
