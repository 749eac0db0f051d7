//! A Portico instance in a process of its own, configured like the real binary (defaults, an
//! optional file, `PORTICO_*` variables), for the fault tests that must kill it with SIGKILL.
//! Prints `listening on <port>` once it accepts connections.
use portico::{config::Settings, startup::Application};

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let settings = Settings::load()?;
    let app = Application::build(settings).await?;
    println!("listening on {}", app.port());
    app.run_until_stopped().await?;
    Ok(())
}
