//! The server under test: the real `portico` binary in its own process, so that its memory
//! is its own and nothing of the harness runs inside it.
use std::{
    path::{Path, PathBuf},
    process::Stdio,
    sync::{Arc, Mutex},
    time::Duration,
};

use tokio::process::{Child, Command};

pub struct Server {
    pub base: String,
    pub pid: u32,
    pub log: PathBuf,
    child: Child,
    rss: Arc<Mutex<Vec<u64>>>,
}

pub struct ServerOptions<'a> {
    pub binary: &'a Path,
    pub database_url: &'a str,
    pub pool: u32,
    pub dir: &'a Path,
    pub env: &'a [String],
}

impl Server {
    pub async fn start(o: ServerOptions<'_>) -> anyhow::Result<Server> {
        anyhow::ensure!(
            o.binary.exists(),
            "{} does not exist: build it first (scripts/bench does)",
            o.binary.display()
        );
        let port = std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
        let log = o.dir.join("server.log");
        let out = std::fs::File::create(&log)?;
        let mut command = Command::new(o.binary);
        command
            .arg("serve")
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("DATABASE_URL", o.database_url)
            .env("PORTICO_HOST", "127.0.0.1")
            .env("PORTICO_PORT", port.to_string())
            .env("PORTICO_DATA_DIR", o.dir.join("data"))
            .env("PORTICO_JWT_SECRET", "bench-signing-key-5d1f0c9b8a7e6d5c4b3a29180f7e6d5c")
            .env("PORTICO_DB_MAX_CONNECTIONS", o.pool.to_string())
            // Tokens minted at the start must outlive the whole run (the most allowed).
            .env("PORTICO_ACCESS_TOKEN_TTL_SECS", "3600")
            // E5 opens ten streams per client user.
            .env("PORTICO_MAX_STREAMS_PER_USER", "16")
            // A web-only instance (docs/deployment.md): the job and e-mail workers would
            // otherwise start sending the dataset's overdue reminders mid-measurement.
            .env("PORTICO_BACKGROUND_WORKERS", "false")
            .stdout(Stdio::from(out.try_clone()?))
            .stderr(Stdio::from(out))
            .kill_on_drop(true);
        for pair in o.env {
            let (k, v) =
                pair.split_once('=').ok_or_else(|| anyhow::anyhow!("--server-env {pair}: expected KEY=VALUE"))?;
            command.env(k, v);
        }
        let mut child = command.spawn()?;
        let pid = child.id().ok_or_else(|| anyhow::anyhow!("the server exited at once; see {}", log.display()))?;
        let base = format!("http://127.0.0.1:{port}");
        let http = reqwest::Client::new();
        let deadline = std::time::Instant::now() + Duration::from_secs(60);
        loop {
            if let Ok(res) = http.get(format!("{base}/api/readyz")).send().await
                && res.status().is_success()
            {
                break;
            }
            if let Some(status) = child.try_wait()? {
                anyhow::bail!("the server exited ({status}):\n{}", std::fs::read_to_string(&log).unwrap_or_default());
            }
            anyhow::ensure!(
                std::time::Instant::now() < deadline,
                "the server did not become ready in 60 s; see {}",
                log.display()
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let rss = Arc::new(Mutex::new(Vec::new()));
        let samples = rss.clone();
        tokio::spawn(async move {
            while let Some(kib) = status_kib(pid, "VmRSS:") {
                samples.lock().unwrap().push(kib);
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
        });
        Ok(Server { base, pid, log, child, rss })
    }

    /// Starts a fresh window of RSS samples.
    pub fn rss_window(&self) -> usize {
        self.rss.lock().unwrap().len()
    }

    /// (median, max) RSS in KiB since `from`.
    pub fn rss_since(&self, from: usize) -> (u64, u64) {
        let all = self.rss.lock().unwrap();
        let mut window: Vec<u64> = all.get(from..).unwrap_or_default().to_vec();
        if window.is_empty() {
            window.extend(all.last());
        }
        window.sort_unstable();
        (window.get(window.len() / 2).copied().unwrap_or(0), window.last().copied().unwrap_or(0))
    }

    /// The process's high-water mark (VmHWM) in KiB.
    pub fn peak_kib(&self) -> u64 {
        status_kib(self.pid, "VmHWM:").unwrap_or(0)
    }

    pub async fn stop(mut self) {
        // SIGTERM lets it drain like a deployment would; kill_on_drop covers a hang.
        let _ = Command::new("kill").arg("-TERM").arg(self.pid.to_string()).status().await;
        let _ = tokio::time::timeout(Duration::from_secs(10), self.child.wait()).await;
    }
}

fn status_kib(pid: u32, field: &str) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status.lines().find_map(|l| l.strip_prefix(field)).and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}
