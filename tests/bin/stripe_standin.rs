//! The Stripe stand-in (`tests/stripe.rs`) in a process of its own, for the browser journey:
//! prints `listening on <base URL>` once it accepts connections, and delivers the events its
//! payment page causes to `PORTICO_STANDIN_DELIVER_TO` (Portico's webhook URL).
use portico_blackbox::stripe::StripeStandIn;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    portico::startup::install_crypto_provider();
    let standin = StripeStandIn::start().await;
    if let Ok(url) = std::env::var("PORTICO_STANDIN_DELIVER_TO") {
        standin.deliver_to(&url);
    }
    println!("listening on {}", standin.base);
    let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())?;
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        _ = term.recv() => {}
    }
    Ok(())
}
