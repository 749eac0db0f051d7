//! The database ceiling: the transaction a PostgREST-style server would run for a page (set
//! role and claims, build the JSON in SQL, commit), replayed by pgbench at the server's pool
//! size. The scripts live beside this file; `setup.sql` adds the role and row-level security
//! they need.
use std::path::{Path, PathBuf};

use hdrhistogram::Histogram;
use sea_orm::{ConnectionTrait, DatabaseConnection};
use tokio::process::Command;

use crate::load::Outcome;

pub fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("bench/ceiling")
}

pub async fn setup(db: &DatabaseConnection) -> anyhow::Result<()> {
    let sql = std::fs::read_to_string(dir().join("setup.sql"))?;
    db.execute_unprepared(&sql).await?;
    Ok(())
}

pub struct Run<'a> {
    pub url: &'a str,
    pub script: &'a str,
    pub clients: (u32, u32),
    pub kmax: u64,
    pub pool: u32,
    pub secs: u64,
    pub work_dir: &'a Path,
}

/// One pgbench run; latencies from its per-transaction log.
pub async fn run(r: Run<'_>) -> anyhow::Result<Outcome> {
    let prefix = r.work_dir.join(format!("pgbench-{}", r.script.trim_end_matches(".sql")));
    for entry in std::fs::read_dir(r.work_dir)?.flatten() {
        if entry.file_name().to_string_lossy().starts_with(&*prefix.file_name().unwrap().to_string_lossy()) {
            let _ = std::fs::remove_file(entry.path());
        }
    }
    let out = Command::new("pgbench")
        .args(["--no-vacuum", "--protocol=prepared", "--log"])
        .arg(format!("--log-prefix={}", prefix.display()))
        .arg(format!("--client={}", r.pool))
        .arg("--jobs=2")
        .arg(format!("--time={}", r.secs.max(1)))
        .arg(format!("--define=nlo={}", r.clients.0))
        .arg(format!("--define=nhi={}", r.clients.1))
        .arg(format!("--define=kmax={}", r.kmax))
        .arg(format!("--file={}", dir().join(r.script).display()))
        .arg(r.url)
        .output()
        .await
        .map_err(|e| anyhow::anyhow!("cannot run pgbench (Debian: postgresql-client): {e}"))?;
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    anyhow::ensure!(out.status.success(), "pgbench {} failed:\n{stdout}\n{stderr}", r.script);
    let field = |name: &str| -> Option<f64> {
        stdout
            .lines()
            .find_map(|l| l.trim().strip_prefix(name))
            .and_then(|v| v.split_whitespace().next())
            .and_then(|v| v.parse().ok())
    };
    let processed = field("number of transactions actually processed:").unwrap_or(0.0) as u64;
    let failed = field("number of failed transactions:").unwrap_or(0.0) as u64;
    let tps = field("tps =").ok_or_else(|| anyhow::anyhow!("no tps in pgbench's output:\n{stdout}"))?;
    let mut hist = Histogram::<u64>::new_with_bounds(1, 120_000_000, 3)?;
    for entry in std::fs::read_dir(r.work_dir)?.flatten() {
        if !entry.file_name().to_string_lossy().starts_with(&*prefix.file_name().unwrap().to_string_lossy()) {
            continue;
        }
        // client_id transaction_no time_us script_no epoch epoch_us
        for line in std::fs::read_to_string(entry.path())?.lines() {
            if let Some(us) = line.split_whitespace().nth(2).and_then(|v| v.parse::<u64>().ok()) {
                hist.record(us.max(1))?;
            }
        }
    }
    Ok(Outcome {
        hist,
        ok: processed,
        non_2xx: failed,
        errors: 0,
        leaks: Vec::new(),
        requests: processed,
        rate: tps,
        rss: None,
        statements: None,
    })
}
