//! The `portico` binary: serve (default), migrate, seed-demo, openapi.
use clap::{Parser, Subcommand};
use portico::{config::Settings, startup};
use tracing_subscriber::{EnvFilter, fmt};

// glibc's malloc was the largest single cost of a read request (a sixth of the server's CPU on
// the task page: every request builds its SQL, row values and JSON in short-lived buffers);
// mimalloc's per-thread free lists serve those without the global arena's locking and
// consolidation (docs/benchmarks.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

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
    let filter =
        EnvFilter::try_from_env("PORTICO_LOG").unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,sea_orm=warn"));
    if format == "json" {
        fmt().json().with_env_filter(filter).init();
    } else {
        // Colour codes only for a terminal: in a file or a collector they are noise, and
        // styling every request span's fields costs CPU on each request.
        fmt().with_env_filter(filter).with_ansi(std::io::IsTerminal::is_terminal(&std::io::stdout())).init();
    }
}

/// mimalloc's options by their index in `mi_option_e` (mimalloc.h, v3), which the -sys crate
/// does not name; `the_allocator_returns_freed_memory_at_once_and_commits_on_use` checks them
/// against mimalloc's own names.
const MI_OPTION_ARENA_EAGER_COMMIT: libmimalloc_sys::mi_option_t = 4;
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// Each argon2id hash allocates ~19 MiB and frees it, and mimalloc by default keeps freed
/// memory committed for seconds: a burst of logins, or the mix after one, kept the server ~25 MiB
/// above its steady size (docs/benchmarks.md). Freed pages go back to the system at once, and
/// arena memory is committed as it is used rather than up front. Both must be set before the
/// first allocation reserves the first arena, which happens before `main` (set in `main`, the
/// mix still ran at 69 MiB): hence a constructor.
extern "C" fn return_freed_memory_to_the_system() {
    // SAFETY: mi_option_set only stores a value mimalloc reads at its next decision; nothing
    // else runs yet.
    unsafe {
        libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, 0);
        libmimalloc_sys::mi_option_set(MI_OPTION_ARENA_EAGER_COMMIT, 0);
    }
}

#[used]
#[cfg_attr(
    any(target_os = "linux", target_os = "android", target_os = "freebsd"),
    unsafe(link_section = ".init_array")
)]
#[cfg_attr(target_vendor = "apple", unsafe(link_section = "__DATA,__mod_init_func"))]
static SET_ALLOCATOR_OPTIONS: extern "C" fn() = return_freed_memory_to_the_system;

fn main() -> anyhow::Result<()> {
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
            tracing::info!(
                "Portico listening on http://{host}:{} (public URL {public}); API docs at /api/docs",
                app.port()
            );
            app.run_until_stopped().await?;
        }
        Command::Openapi | Command::Healthcheck => unreachable!(),
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::ffi::{CStr, c_char, c_void};

    unsafe extern "C" {
        // mimalloc.h; the -sys crate does not bind it.
        fn mi_options_print_out(out: extern "C" fn(*const c_char, *mut c_void), arg: *mut c_void);
    }

    extern "C" fn collect(msg: *const c_char, arg: *mut c_void) {
        // SAFETY: mimalloc passes a NUL-terminated message and our `arg`, a live String.
        unsafe { (*arg.cast::<String>()).push_str(&CStr::from_ptr(msg).to_string_lossy()) }
    }

    /// By mimalloc's own names: the indices used above are the options meant, and the
    /// constructor set them before this test ran.
    #[test]
    fn the_allocator_returns_freed_memory_at_once_and_commits_on_use() {
        let mut printed = String::new();
        // SAFETY: `collect` only appends to `printed`, which outlives the call.
        unsafe { mi_options_print_out(collect, (&raw mut printed).cast()) };
        assert!(printed.contains("option 'purge_delay': 0 "), "{printed}");
        assert!(printed.contains("option 'arena_eager_commit': 0 "), "{printed}");
    }
}
