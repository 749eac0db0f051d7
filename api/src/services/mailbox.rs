//! The reply mailbox over IMAP: `poll_once` signs in, reads each unseen message (its size
//! first: one larger than `PORTICO_IMAP_MAX_MESSAGE_BYTES` is never downloaded), hands it to
//! the caller (the worker gives it to `domain::inbound`), and marks it seen once handled,
//! whatever became of it, so a message that cannot be posted is reported once and never blocks
//! the ones after it. Every step has a time limit: a server that stops answering costs one
//! poll, not the worker.
use std::time::Duration;

use futures_util::TryStreamExt;
use secrecy::ExposeSecret;
use tokio::{
    io::{AsyncRead, AsyncWrite},
    net::TcpStream,
};

use crate::config::Settings;

/// One unseen message of the mailbox.
pub enum Incoming {
    /// As it arrived.
    Message(Vec<u8>),
    /// Too large to download: known by its place in the mailbox.
    TooLarge { key: String },
}

/// The longest one IMAP step (connecting, one command) may take.
const STEP: Duration = Duration::from_secs(30);

/// The most messages one poll reads (the rest wait for the next).
const PER_POLL: usize = 50;

async fn step<T>(what: &str, f: impl Future<Output = T>) -> anyhow::Result<T> {
    tokio::time::timeout(STEP, f).await.map_err(|_| anyhow::anyhow!("IMAP: no answer to {what} within {STEP:?}"))
}

/// Reads the mailbox once, handing each unseen message to `handle`; one it handles (`Ok`) is
/// marked seen, one it could not (`Err`: say the database is away) stays unseen for the next
/// poll. Returns how many it handled.
pub async fn poll_once<H: Future<Output = anyhow::Result<()>>>(
    s: &Settings,
    handle: impl FnMut(Incoming) -> H,
) -> anyhow::Result<usize> {
    let Some(host) = s.imap_host.as_deref() else { return Ok(0) };
    let tcp = step("connect", TcpStream::connect((host, s.imap_port))).await??;
    if s.imap_tls {
        let mut roots = rustls::RootCertStore::empty();
        roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
        let config = rustls::ClientConfig::builder().with_root_certificates(roots).with_no_client_auth();
        let name = rustls::pki_types::ServerName::try_from(host.to_owned())?;
        let connector = tokio_rustls::TlsConnector::from(std::sync::Arc::new(config));
        let tls = step("the TLS handshake", connector.connect(name, tcp)).await??;
        read(s, tls, handle).await
    } else {
        read(s, tcp, handle).await
    }
}

async fn read<T, H: Future<Output = anyhow::Result<()>>>(
    s: &Settings,
    stream: T,
    mut handle: impl FnMut(Incoming) -> H,
) -> anyhow::Result<usize>
where
    T: AsyncRead + AsyncWrite + Unpin + std::fmt::Debug + Send,
{
    let mut client = async_imap::Client::new(stream);
    step("the greeting", client.read_response()).await??;
    let user = s.imap_username.as_deref().unwrap_or_default();
    let password = s.imap_password.as_ref().map(|p| p.expose_secret().to_owned()).unwrap_or_default();
    let mut session = step("LOGIN", client.login(user, password)).await?.map_err(|(e, _)| e)?;
    let mailbox = step("SELECT", session.select(&s.imap_mailbox)).await??;
    let validity = mailbox.uid_validity.unwrap_or_default();
    let mut unseen: Vec<u32> = step("SEARCH", session.uid_search("UNSEEN")).await??.into_iter().collect();
    unseen.sort_unstable();
    unseen.truncate(PER_POLL);
    let mut handled = 0;
    for uid in unseen {
        let size = {
            let fetched: Vec<_> = step("FETCH size", async {
                session.uid_fetch(uid.to_string(), "RFC822.SIZE").await?.try_collect().await
            })
            .await??;
            fetched.first().and_then(|f| f.size).unwrap_or(0)
        };
        let outcome = if size > s.imap_max_message_bytes {
            handle(Incoming::TooLarge { key: format!("imap:{}:{validity}:{uid}", s.imap_mailbox) }).await
        } else {
            let fetched: Vec<_> = step("FETCH body", async {
                session.uid_fetch(uid.to_string(), "BODY.PEEK[]").await?.try_collect().await
            })
            .await??;
            let raw = fetched.first().and_then(|f| f.body()).map(<[u8]>::to_vec).unwrap_or_default();
            handle(Incoming::Message(raw)).await
        };
        if let Err(e) = outcome {
            // Kept unseen: a database that is away now may be back at the next poll.
            tracing::warn!(uid, error = %e, "could not handle a message of the reply mailbox; trying again later");
            continue;
        }
        let _: Vec<_> =
            step("STORE", async { session.uid_store(uid.to_string(), "+FLAGS (\\Seen)").await?.try_collect().await })
                .await??;
        handled += 1;
    }
    step("LOGOUT", session.logout()).await??;
    Ok(handled)
}
