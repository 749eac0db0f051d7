//! `portico-bench`: the benchmark dataset, the load harness (E0–E6 and the mix) and the
//! PostgreSQL ceiling replayed with pgbench in the same run. `scripts/bench` drives it; see
//! docs/benchmarks.md for what each line means.
use std::{path::PathBuf, process::ExitCode, time::Duration};

use clap::{Parser, Subcommand};
use sea_orm::{ConnectionTrait, Database, DatabaseConnection, DbBackend, Statement};

mod ceiling;
mod dataset;
mod load;
mod pdf;
mod report;
mod server;

use dataset::Profile;

#[derive(Parser)]
#[command(about = "Portico's benchmarks: dataset, load harness, database ceiling")]
struct Cli {
    #[command(subcommand)]
    command: Cmd,
}

#[derive(Subcommand)]
enum Cmd {
    /// Create the database afresh and load a dataset profile into it.
    Seed {
        /// postgres://…/dbname or sqlite://path?mode=rwc; the database is dropped and recreated.
        #[arg(long, env = "PORTICO_BENCH_DATABASE_URL")]
        database_url: String,
        /// full (1,000 clients, 1M tasks, 5M comments), tenth, or smoke.
        #[arg(long, default_value = "full")]
        profile: String,
        #[arg(long, default_value_t = 20_261_128)]
        seed: u64,
    },
    /// Start the server on a seeded database and measure every line.
    Run(load::RunArgs),
    /// Time the rendering of invoice PDFs of 3, 20 and 200 lines.
    Pdf {
        #[arg(long, default_value_t = 200)]
        runs: usize,
    },
    /// Succeed if the database already holds this profile's dataset.
    Has {
        #[arg(long, env = "PORTICO_BENCH_DATABASE_URL")]
        database_url: String,
        #[arg(long, default_value = "full")]
        profile: String,
    },
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    portico::startup::install_crypto_provider();
    let result = match cli.command {
        Cmd::Seed { database_url, profile, seed } => seed_cmd(&database_url, &profile, seed).await.map(|()| true),
        Cmd::Run(args) => load::run(args).await,
        Cmd::Has { database_url, profile } => has(&database_url, &profile).await,
        Cmd::Pdf { runs } => pdf::measure(runs).map_err(anyhow::Error::msg).map(|f| {
            print!("{}", pdf::report(&f));
            true
        }),
    };
    match result {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(e) => {
            eprintln!("portico-bench: {e:#}");
            ExitCode::FAILURE
        }
    }
}

async fn seed_cmd(url: &str, profile: &str, seed: u64) -> anyhow::Result<()> {
    let profile =
        Profile::named(profile).ok_or_else(|| anyhow::anyhow!("unknown profile {profile}: full, tenth or smoke"))?;
    recreate(url).await?;
    let db = Database::connect(url).await?;
    portico::db::migrate(&db).await?;
    portico::domain::installation::sync_builtin_roles(&db).await?;
    let started = std::time::Instant::now();
    eprintln!("loading profile {} (seed {seed}) into {}", profile.name, redact(url));
    let loaded = dataset::generate(&db, &profile, seed).await?;
    // The response-time weeks, counted by the server's own code from the waits just loaded.
    {
        use sea_orm::TransactionTrait;
        let txn = db.begin().await?;
        let target = portico::config::Settings::default().response_target_hours;
        portico::domain::response_stats::recount(&txn, "UTC", target).await?;
        txn.commit().await?;
    }
    let load_secs = started.elapsed().as_secs_f64();
    eprintln!(
        "{} rows in {load_secs:.0} s ({} comments, {} Notes); analysing…",
        loaded.rows, loaded.comments, loaded.notes
    );
    match db.get_database_backend() {
        DbBackend::Postgres => db.execute_unprepared("VACUUM ANALYZE").await?,
        _ => db.execute_unprepared("ANALYZE").await?,
    };
    db.execute_unprepared("CREATE TABLE bench_dataset (profile TEXT NOT NULL, seed BIGINT NOT NULL, rows_loaded BIGINT NOT NULL, comments BIGINT NOT NULL, notes BIGINT NOT NULL, load_secs DOUBLE PRECISION NOT NULL)").await?;
    // Our own values only (a profile name from the list, numbers): nothing to escape.
    db.execute_unprepared(&format!(
        "INSERT INTO bench_dataset VALUES ('{}', {seed}, {}, {}, {}, {load_secs})",
        profile.name, loaded.rows, loaded.comments, loaded.notes
    ))
    .await?;
    eprintln!("done in {:.0} s", started.elapsed().as_secs_f64());
    Ok(())
}

async fn has(url: &str, profile: &str) -> anyhow::Result<bool> {
    let Ok(db) = Database::connect(url).await else { return Ok(false) };
    Ok(dataset_info(&db).await.is_ok_and(|info| info.profile.name == profile))
}

/// What `seed` recorded about the dataset in this database.
pub struct DatasetInfo {
    pub profile: Profile,
    pub seed: i64,
    pub rows: i64,
    pub comments: i64,
    pub notes: i64,
    pub load_secs: f64,
}

pub async fn dataset_info(db: &DatabaseConnection) -> anyhow::Result<DatasetInfo> {
    let row = db
        .query_one_raw(Statement::from_string(
            db.get_database_backend(),
            "SELECT profile, seed, rows_loaded, comments, notes, load_secs FROM bench_dataset",
        ))
        .await
        .map_err(|_| anyhow::anyhow!("this database holds no benchmark dataset: run `portico-bench seed` first"))?
        .ok_or_else(|| anyhow::anyhow!("bench_dataset is empty: run `portico-bench seed` again"))?;
    let name: String = row.try_get("", "profile")?;
    Ok(DatasetInfo {
        profile: Profile::named(&name).ok_or_else(|| anyhow::anyhow!("unknown profile {name}"))?,
        seed: row.try_get("", "seed")?,
        rows: row.try_get("", "rows_loaded")?,
        comments: row.try_get("", "comments")?,
        notes: row.try_get("", "notes")?,
        load_secs: row.try_get("", "load_secs")?,
    })
}

/// Drops and recreates the database a URL names (PostgreSQL), or deletes the file (SQLite).
async fn recreate(url: &str) -> anyhow::Result<()> {
    if let Some(rest) = url.strip_prefix("sqlite://") {
        let path = PathBuf::from(rest.split('?').next().unwrap_or(rest));
        for suffix in ["", "-wal", "-shm"] {
            let mut p = path.clone().into_os_string();
            p.push(suffix);
            let _ = std::fs::remove_file(p);
        }
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)?;
        }
        return Ok(());
    }
    let (server, name) = url
        .rsplit_once('/')
        .ok_or_else(|| anyhow::anyhow!("a PostgreSQL URL names its database: postgres://host/dbname"))?;
    let name = name.split('?').next().unwrap_or(name);
    anyhow::ensure!(
        !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'),
        "database name {name:?}: use letters, digits and _"
    );
    let admin = Database::connect(format!("{server}/postgres")).await?;
    admin.execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).await?;
    admin.execute_unprepared(&format!("CREATE DATABASE {name}")).await?;
    admin.close().await?;
    Ok(())
}

pub fn redact(url: &str) -> String {
    match (url.find("://"), url.find('@')) {
        (Some(s), Some(at)) if at > s => format!("{}://…{}", &url[..s], &url[at..]),
        _ => url.to_owned(),
    }
}

/// How long and how hard each line runs.
#[derive(Clone, Copy)]
pub struct Pace {
    pub warmup: Duration,
    pub duration: Duration,
    pub concurrency: usize,
}
