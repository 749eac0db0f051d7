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
}

fn init_logging(format: &str) {
    let filter = EnvFilter::try_from_env("PORTICO_LOG").unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,sea_orm=warn"));
    if format == "json" {
        fmt().json().with_env_filter(filter).init();
    } else {
        fmt().with_env_filter(filter).init();
    }
}

#[actix_web::main]
async fn main() -> anyhow::Result<()> {
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
    init_logging(&settings.log_format);
    match cli.command.unwrap_or(Command::Serve { demo: false }) {
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
        Command::Openapi => unreachable!(),
    }
    Ok(())
}
