//! The `portico` binary: serve (default), migrate, seed-demo, openapi.
use clap::{Parser, Subcommand};
use portico::{config::Settings, startup};
use tracing_subscriber::{EnvFilter, fmt};

#[derive(Parser)]
#[command(name = "portico", version, about = "Portico: an agency's client portal")]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Run the server (the default).
    Serve {
        /// Seed the demo agency first when the database has no clients, and print its logins.
        #[arg(long)]
        demo: bool,
    },
    /// Apply pending database migrations and exit.
    Migrate,
    /// Seed the demo agency (when the database has no clients) and print its logins.
    SeedDemo,
    /// Print the OpenAPI document as YAML.
    Openapi,
    /// Write a consistent copy of the embedded SQLite database to FILE, while the server runs.
    Backup {
        /// Where to write the copy (must not exist yet).
        file: std::path::PathBuf,
    },
    /// Exit 0 when the server on PORTICO_HOST/PORTICO_PORT answers /api/healthz (for container health checks).
    Healthcheck,
}

/// A bare HTTP/1.0 request to our own health endpoint: no client library needed in the image.
fn healthcheck(settings: &Settings) -> bool {
    use std::io::{Read, Write};
    let host = if settings.host == "0.0.0.0" { "127.0.0.1" } else { settings.host.as_str() };
    let Ok(mut stream) = std::net::TcpStream::connect((host, settings.port)) else { return false };
    let _ = stream.set_read_timeout(Some(std::time::Duration::from_secs(3)));
    if stream.write_all(b"GET /api/healthz HTTP/1.0\r\nHost: localhost\r\n\r\n").is_err() {
        return false;
    }
    let mut head = [0u8; 12];
    stream.read_exact(&mut head).is_ok() && head.ends_with(b" 200")
}

fn init_logging(format: &str) {
    let filter = EnvFilter::try_from_env("PORTICO_LOG").unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,sea_orm=warn"));
    if format == "json" {
        fmt().json().with_env_filter(filter).init();
    } else {
        // Colour codes only for a terminal: in a file or a collector they are noise, and
        // styling every request span's fields costs CPU on each request.
        fmt().with_env_filter(filter).with_ansi(std::io::IsTerminal::is_terminal(&std::io::stdout())).init();
    }
}

/// Each argon2id hash allocates ~19 MiB and frees it. glibc raises its mmap threshold past
/// that size after the first such free, so later blocks come from per-thread arenas and stay
/// resident: a burst of logins left the server at ~700 MiB (docs/benchmarks.md). A fixed
/// threshold keeps every block that large mapped on its own and returned to the system on free.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn return_large_blocks_to_the_system() {
    // SAFETY: mallopt only sets an allocator parameter; it runs before any other thread exists,
    // and whatever it returns, the allocator stays valid.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 1 << 20);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn return_large_blocks_to_the_system() {}

fn main() -> anyhow::Result<()> {
    return_large_blocks_to_the_system();
    run()
}

#[actix_web::main]
async fn run() -> anyhow::Result<()> {
    let cli = Cli::parse();
    if let Some(Command::Openapi) = cli.command {
        print!("{}", portico::openapi::spec().to_yaml()?);
        return Ok(());
    }
    let mut settings = match Settings::load() {
        Ok(s) => s,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(2);
        }
    };
    if let Some(Command::Healthcheck) = cli.command {
        std::process::exit(if healthcheck(&settings) { 0 } else { 1 });
    }
    init_logging(&settings.log_format);
    match cli.command.unwrap_or(Command::Serve { demo: false }) {
        Command::Backup { file } => {
            let db = portico::db::connect(&settings).await?;
            portico::db::backup_sqlite(&db, &file).await?;
            println!("Backed up to {}", file.display());
        }
        Command::Migrate => {
            let db = portico::db::connect(&settings).await?;
            portico::db::migrate(&db).await?;
            tracing::info!("migrations applied");
        }
        Command::SeedDemo => {
            settings.demo = true;
            startup::prepare(settings).await?;
        }
        Command::Serve { demo } => {
            settings.demo |= demo;
            let state = startup::prepare(settings).await?;
            let (host, public) = (state.settings.host.clone(), state.settings.public_url.clone());
            let app = startup::Application::serve(state)?;
            tracing::info!("Portico listening on http://{host}:{} (public URL {public}); API docs at /api/docs", app.port());
            app.run_until_stopped().await?;
        }
        Command::Openapi | Command::Healthcheck => unreachable!(),
    }
    Ok(())
}
