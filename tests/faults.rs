//! What the fault tests break on purpose: a PostgreSQL cluster of their own (never the
//! machine's shared server), which they stop, crash and restart; and Portico instances in
//! processes of their own, which they kill with SIGKILL.
use std::{
    path::{Path, PathBuf},
    process::Stdio,
    time::Duration,
};

use tokio::{
    io::{AsyncBufReadExt, BufReader},
    process::{Child, Command},
};

/// A throwaway PostgreSQL cluster on a random loopback port, in a temporary folder.
pub struct PgCluster {
    bin: PathBuf,
    pub port: u16,
    dir: tempfile::TempDir,
}

/// How a cluster is stopped (`pg_ctl stop -m`).
#[derive(Clone, Copy, Debug)]
pub enum Stop {
    /// Ends every session, then shuts down cleanly.
    Fast,
    /// Quits at once without a checkpoint, as a crash would; recovery replays the WAL.
    Immediate,
}

/// The PostgreSQL server programs: `PORTICO_TEST_PG_BIN`, or the newest Debian installs.
fn pg_bin() -> PathBuf {
    if let Some(dir) = std::env::var_os("PORTICO_TEST_PG_BIN") {
        return dir.into();
    }
    let mut found: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path().join("bin"))
        .filter(|p| p.join("initdb").exists())
        .collect();
    found.sort_by_key(|p| p.parent().and_then(|v| v.file_name()?.to_str()?.parse::<u32>().ok()).unwrap_or(0));
    found
        .pop()
        .expect("PostgreSQL's server programs (initdb, pg_ctl): apt-get install postgresql, or set PORTICO_TEST_PG_BIN")
}

fn is_root() -> bool {
    std::process::Command::new("id").arg("-u").output().is_ok_and(|o| o.stdout.starts_with(b"0\n"))
}

impl PgCluster {
    pub async fn start() -> PgCluster {
        let bin = pg_bin();
        let dir = tempfile::tempdir().expect("temp dir");
        // PostgreSQL refuses to run as root: then the cluster belongs to the `postgres` user.
        if is_root() {
            let status = std::process::Command::new("chown").args(["-R", "postgres:"]).arg(dir.path()).status();
            assert!(status.is_ok_and(|s| s.success()), "could not hand the cluster folder to postgres");
        }
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let cluster = PgCluster { bin, port, dir };
        let data = cluster.data();
        cluster
            .run("initdb", &["-D", &data, "-U", "postgres", "--auth=trust", "--no-sync", "-E", "UTF8", "--locale=C"])
            .await;
        cluster.up().await;
        cluster
    }

    fn data(&self) -> String {
        self.dir.path().join("data").display().to_string()
    }

    /// The URL of its `postgres` database.
    pub fn url(&self) -> String {
        format!("postgres://postgres@127.0.0.1:{}/postgres", self.port)
    }

    async fn run(&self, program: &str, args: &[&str]) {
        let path = self.bin.join(program);
        let mut command = if is_root() {
            let mut c = Command::new("runuser");
            c.args(["-u", "postgres", "--"]).arg(&path);
            c
        } else {
            Command::new(&path)
        };
        let out = command.args(args).stdin(Stdio::null()).output().await.expect("run a PostgreSQL program");
        assert!(
            out.status.success(),
            "{program} {args:?} failed: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }

    /// Starts the server and waits until it accepts connections.
    pub async fn up(&self) {
        let options = format!(
            "-p {} -c listen_addresses=127.0.0.1 -k {} -c fsync=off -c max_connections=60",
            self.port,
            self.dir.path().display()
        );
        let log = self.dir.path().join("server.log").display().to_string();
        self.run("pg_ctl", &["-D", &self.data(), "-o", &options, "-l", &log, "-w", "-t", "30", "start"]).await;
    }

    /// Stops the server (and waits until it has).
    pub async fn down(&self, how: Stop) {
        let mode = match how {
            Stop::Fast => "fast",
            Stop::Immediate => "immediate",
        };
        self.run("pg_ctl", &["-D", &self.data(), "-m", mode, "-w", "-t", "30", "stop"]).await;
    }

    /// Stops the server, waits `pause`, starts it again.
    pub async fn restart(&self, how: Stop, pause: Duration) {
        self.down(how).await;
        tokio::time::sleep(pause).await;
        self.up().await;
    }
}

impl Drop for PgCluster {
    fn drop(&mut self) {
        let pg_ctl = self.bin.join("pg_ctl");
        let data = self.data();
        let mut command = if is_root() {
            let mut c = std::process::Command::new("runuser");
            c.args(["-u", "postgres", "--"]).arg(&pg_ctl);
            c
        } else {
            std::process::Command::new(&pg_ctl)
        };
        let _ =
            command.args(["-D", &data, "-m", "immediate", "stop"]).stdout(Stdio::null()).stderr(Stdio::null()).status();
    }
}

/// A Portico instance in its own process (`portico-instance`), configured by variables.
pub struct Instance {
    pub base: String,
    child: Child,
}

impl Instance {
    /// Starts `binary` (an integration test's `env!("CARGO_BIN_EXE_portico-instance")`) on
    /// `database_url` with `dir` as its data folder, plus `env`.
    pub async fn start(binary: &str, database_url: &str, dir: &Path, env: &[(&str, String)]) -> Instance {
        portico::startup::install_crypto_provider();
        let mut command = Command::new(binary);
        command
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("DATABASE_URL", database_url)
            .env("PORTICO_HOST", "127.0.0.1")
            .env("PORTICO_PORT", "0")
            .env("PORTICO_DATA_DIR", dir)
            .env("PORTICO_JWT_SECRET", crate::JWT_SECRET)
            .env("PORTICO_ADMIN_EMAIL", crate::ADMIN_EMAIL)
            .env("PORTICO_ADMIN_PASSWORD", crate::PASSWORD)
            .env("PORTICO_REPLY_UNDO_SECS", "0")
            // The webhook targets the tests start listen on loopback, over plain HTTP.
            .env("PORTICO_WEBHOOK_ALLOW_PRIVATE_TARGETS", "true")
            .env("PORTICO_WEBHOOK_ALLOW_HTTP", "true")
            .env("PORTICO_DB_MAX_CONNECTIONS", "5")
            .envs(env.iter().map(|(k, v)| (*k, v.as_str())))
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::from(std::fs::File::create(dir.join("instance.log")).expect("instance log")))
            .kill_on_drop(true);
        let mut child = command.spawn().expect("start portico-instance");
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let port = tokio::time::timeout(Duration::from_secs(30), async {
            while let Ok(Some(line)) = lines.next_line().await {
                if let Some(port) = line.strip_prefix("listening on ") {
                    return port.trim().parse::<u16>().ok();
                }
            }
            None
        })
        .await
        .ok()
        .flatten()
        .unwrap_or_else(|| {
            panic!(
                "the instance never reported its port: {}",
                std::fs::read_to_string(dir.join("instance.log")).unwrap_or_default()
            )
        });
        // Keep reading, so the instance never blocks on a full pipe.
        tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
        let base = format!("http://127.0.0.1:{port}");
        crate::wait_until_ready(&base).await;
        Instance { base, child }
    }

    /// SIGKILL: no shutdown, no flush, no goodbye.
    pub async fn kill(mut self) {
        self.child.start_kill().expect("kill the instance");
        let _ = self.child.wait().await;
    }
}
