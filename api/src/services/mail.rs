//! Outgoing e-mail through a durable outbox.
//!
//! A message is inserted into `outbox` in the same transaction as the change that causes it,
//! so it exists exactly when the change does. A background worker then claims due messages
//! (a lease in `locked_until`, taken with a conditional update, so two instances never work on
//! one message at once), sends them over SMTP — or writes `.eml` files in the embedded
//! default — and marks them sent, or schedules a retry with exponential backoff.
use std::{path::PathBuf, sync::Arc, time::Duration};

use chrono::Utc;
use lettre::{
    AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor,
    message::{Attachment, Mailbox, MultiPart, header::ContentType},
    transport::smtp::authentication::Credentials,
};
use sea_orm::{ActiveModelTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, Set};
use secrecy::ExposeSecret;
use tokio::sync::Notify;
use uuid::Uuid;

use super::{events::Source, lease};
use crate::{
    config::{Settings, SmtpTls},
    entities::outbox,
};

/// A message ready to queue.
pub struct Email {
    pub kind: &'static str,
    pub to: String,
    pub subject: String,
    pub text: String,
    pub html: String,
    /// Where answers go, when not to the sender.
    pub reply_to: Option<String>,
}

/// Queues `email` about `source` (caused by the event `event_id`, when there is one); call
/// inside the transaction of the change that causes it (`domain::Change::mail` does), then
/// `wake()` once it has committed.
pub async fn enqueue(
    db: &impl ConnectionTrait,
    email: Email,
    source: Source,
    event_id: Option<i64>,
) -> Result<(), sea_orm::DbErr> {
    let now = Utc::now();
    outbox::ActiveModel {
        id: Set(Uuid::now_v7()),
        kind: Set(email.kind.into()),
        to_email: Set(email.to),
        subject: Set(email.subject),
        text_body: Set(email.text),
        reply_to: Set(email.reply_to),
        html_body: Set(email.html),
        status: Set(outbox::PENDING.into()),
        attempts: Set(0),
        next_attempt_at: Set(now),
        locked_until: Set(None),
        last_error: Set(None),
        created_at: Set(now),
        sent_at: Set(None),
        source_type: Set(Some(source.kind.into())),
        source_id: Set(Some(source.id)),
        event_id: Set(event_id),
    }
    .insert(db)
    .await?;
    Ok(())
}

enum Transport {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    Files { dir: PathBuf, transport: AsyncFileTransport<Tokio1Executor> },
}

pub struct Mailer {
    transport: Transport,
    from: Mailbox,
    retry_base: Duration,
    max_attempts: i32,
    /// The whole SMTP conversation of one message.
    timeout: Duration,
    lease: chrono::Duration,
    wake: Notify,
    /// What a message carries, made as it leaves (an invoice's PDF): set once at start-up by
    /// the layer that knows the domain.
    attach: std::sync::OnceLock<Attach>,
}

/// A file a message carries.
pub struct MailFile {
    pub name: String,
    pub content_type: String,
    pub bytes: Vec<u8>,
}

/// The files `msg` carries; an `Err` (the database away) means: try the message again later.
pub type Attach = Arc<
    dyn Fn(DatabaseConnection, outbox::Model) -> futures_util::future::BoxFuture<'static, Result<Vec<MailFile>, String>>
        + Send
        + Sync,
>;

const BATCH: u64 = 20;
const POLL: Duration = Duration::from_secs(2);
/// While the SMTP server cannot be reached, a message is tried again at least this often, so
/// mail resumes within this long of the server answering again.
const UNREACHABLE_RETRY: Duration = Duration::from_secs(30);

const COLS: lease::Columns<outbox::Column> = lease::Columns {
    id: outbox::Column::Id,
    status: outbox::Column::Status,
    due: outbox::Column::NextAttemptAt,
    locked_until: outbox::Column::LockedUntil,
};

/// Why a message was not sent.
enum Failure {
    /// The server (or the message itself) refused it: retried with backoff, then `failed`.
    Refused(String),
    /// The server could not be reached or did not answer in time: nothing is wrong with the
    /// message, and the rest of the batch would fare no better.
    Unreachable(String),
}

impl Mailer {
    pub fn from_settings(s: &Settings) -> anyhow::Result<Self> {
        let timeout = Duration::from_secs(s.smtp_timeout_secs.max(1));
        let transport = match &s.smtp_host {
            Some(host) => {
                let mut builder = match s.smtp_tls {
                    SmtpTls::Starttls => AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(host)?,
                    SmtpTls::Tls => AsyncSmtpTransport::<Tokio1Executor>::relay(host)?,
                    SmtpTls::None => AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(host),
                }
                .port(s.smtp_port)
                // lettre's own timeout bounds each network step; `send` bounds the whole.
                .timeout(Some(timeout));
                if let (Some(user), Some(pass)) = (&s.smtp_username, &s.smtp_password) {
                    builder = builder.credentials(Credentials::new(user.clone(), pass.expose_secret().to_owned()));
                }
                Transport::Smtp(builder.build())
            }
            None => {
                let dir = s.data_dir.join("outbox");
                std::fs::create_dir_all(&dir)?;
                Transport::Files { transport: AsyncFileTransport::new(&dir), dir }
            }
        };
        Ok(Self {
            transport,
            from: s.mail_from.parse()?,
            retry_base: Duration::from_secs(s.mail_retry_base_secs.max(1)),
            max_attempts: s.mail_max_attempts.max(1),
            timeout,
            lease: s.worker_lease(),
            wake: Notify::new(),
            attach: std::sync::OnceLock::new(),
        })
    }

    /// Sets what messages carry (once; later calls are ignored).
    pub fn attach_with(&self, attach: Attach) {
        let _ = self.attach.set(attach);
    }

    /// Asks the worker to look at the outbox now rather than at its next poll.
    pub fn wake(&self) {
        self.wake.notify_one();
    }

    /// Runs forever: sends what is due, then waits for a wake-up or the next poll.
    pub fn spawn_worker(self: Arc<Self>, db: DatabaseConnection) {
        tokio::spawn(async move {
            loop {
                match self.run_once(&db).await {
                    Ok(n) if n as u64 == BATCH => continue,
                    Ok(_) => {}
                    Err(e) => tracing::warn!(error = %e, "outbox worker failed; retrying"),
                }
                let _ = tokio::time::timeout(POLL, self.wake.notified()).await;
            }
        });
    }

    /// Claims and sends one batch of due messages; returns how many were claimed.
    ///
    /// Delivery is at least once: a message is marked sent right after the server accepted it
    /// (retried through a database outage for as long as the lease lasts); if that mark is still
    /// lost — the instance died in between — the message is sent again, with the same
    /// `Message-ID`, so receivers can drop the copy.
    pub async fn run_once(&self, db: &DatabaseConnection) -> anyhow::Result<usize> {
        let mut claimed = claim_due(db, BATCH, self.lease).await?;
        let count = claimed.len();
        let mut rest = claimed.iter_mut();
        for held in rest.by_ref() {
            // The batch may have taken longer than the lease it was claimed with.
            if !held.renew(db, &COLS, self.lease).await? {
                continue;
            }
            let failure = self.send(db, &held.row).await.err();
            let unreachable = matches!(failure, Some(Failure::Unreachable(_)));
            let outcome = self.outcome(&held.row, failure)?;
            let still_held = held.condition(&COLS);
            lease::record_while_held(held.until, || async {
                outbox::Entity::update(outcome.clone()).validate()?.filter(still_held.clone()).exec(db).await.map(drop)
            })
            .await;
            if unreachable {
                break;
            }
        }
        // Left unsent because the server is away: free them for the next attempt.
        for held in rest {
            held.release(db, &COLS).await?;
        }
        Ok(count)
    }

    /// The row's update after an attempt that ended in `failure` (`None`: sent).
    fn outcome(&self, msg: &outbox::Model, failure: Option<Failure>) -> anyhow::Result<outbox::ActiveModel> {
        let mut active: outbox::ActiveModel = msg.clone().into();
        let attempts = msg.attempts + 1;
        active.attempts = Set(attempts);
        active.locked_until = Set(None);
        let Some(failure) = failure else {
            active.status = Set(outbox::SENT.into());
            active.sent_at = Set(Some(Utc::now()));
            active.last_error = Set(None);
            return Ok(active);
        };
        let backoff = self.retry_base.saturating_mul(1 << (attempts - 1).min(10) as u32).min(Duration::from_secs(3600));
        let (error, retry) = match failure {
            Failure::Refused(e) => (e, (attempts < self.max_attempts).then_some(backoff)),
            // The server never judged the message: keep it, and look again soon.
            Failure::Unreachable(e) => (e, Some(backoff.min(UNREACHABLE_RETRY))),
        };
        tracing::warn!(id = %msg.id, attempts, error = %error, "sending e-mail failed");
        active.last_error = Set(Some(error));
        match retry {
            Some(after) => active.next_attempt_at = Set(Utc::now() + chrono::Duration::from_std(after)?),
            None => active.status = Set(outbox::FAILED.into()),
        }
        Ok(active)
    }

    async fn send(&self, db: &DatabaseConnection, msg: &outbox::Model) -> Result<(), Failure> {
        let text = MultiPart::alternative_plain_html(msg.text_body.clone(), msg.html_body.clone());
        let files = match self.attach.get() {
            Some(attach) => attach(db.clone(), msg.clone()).await.map_err(Failure::Unreachable)?,
            None => Vec::new(),
        };
        let body = if files.is_empty() {
            text
        } else {
            files.into_iter().fold(MultiPart::mixed().multipart(text), |body, file| {
                let kind = ContentType::parse(&file.content_type).unwrap_or(ContentType::TEXT_PLAIN);
                body.singlepart(Attachment::new(file.name).body(file.bytes, kind))
            })
        };
        let mut message = Message::builder().from(self.from.clone());
        if let Some(reply_to) = msg.reply_to.as_deref().and_then(|r| r.parse().ok()) {
            message = message.reply_to(reply_to);
        }
        let message = message
            .to(msg.to_email.parse().map_err(|e| Failure::Refused(format!("invalid recipient: {e}")))?)
            .subject(&msg.subject)
            // Stable across attempts: a message sent twice (see `run_once`) is recognisably one.
            .message_id(Some(format!("<{}@portico>", msg.id)))
            .multipart(body)
            .map_err(|e| Failure::Refused(e.to_string()))?;
        match &self.transport {
            Transport::Smtp(t) => match tokio::time::timeout(self.timeout, t.send(message)).await {
                Err(_) => Err(Failure::Unreachable(format!("no answer within {} s", self.timeout.as_secs()))),
                Ok(Ok(_)) => Ok(()),
                // A reply from the server, 4xx or 5xx: it judged the message.
                Ok(Err(e)) if e.is_permanent() || e.is_transient() => Err(Failure::Refused(e.to_string())),
                Ok(Err(e)) => Err(Failure::Unreachable(e.to_string())),
            },
            Transport::Files { dir, transport } => {
                let id = transport.send(message).await.map_err(|e| Failure::Refused(e.to_string()))?;
                // Never the message's links: invitation and reset links are credentials, and logs
                // travel further than the data folder. The file holds them.
                tracing::info!(to = %msg.to_email, file = %dir.join(format!("{id}.eml")).display(), "e-mail written to the outbox folder");
                Ok(())
            }
        }
    }
}

/// Takes a lease on up to `limit` due messages, so concurrent instances never hold the same one.
pub async fn claim_due(
    db: &DatabaseConnection,
    limit: u64,
    lease: chrono::Duration,
) -> Result<Vec<lease::Held<outbox::Model>>, sea_orm::DbErr> {
    lease::claim_due::<outbox::Entity>(db, &COLS, outbox::PENDING, sea_orm::Condition::all(), limit, lease).await
}

/// Escapes text for HTML bodies.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Branding for message layouts.
pub struct Brand<'a> {
    pub agency: &'a str,
    pub color: &'a str,
    pub logo_url: Option<&'a str>,
    /// The reader's: the layout's own sentences are in it.
    pub language: crate::i18n::Language,
}

/// The HTML frame every message shares: agency name (or logo), a heading, paragraphs, one
/// call-to-action button, a footer.
pub fn html_layout(brand: &Brand, heading: &str, paragraphs: &[String], button: (&str, &str), footer: &str) -> String {
    let header = match brand.logo_url {
        Some(url) => {
            format!("<img src=\"{}\" alt=\"{}\" style=\"max-height:48px\">", escape(url), escape(brand.agency))
        }
        None => {
            format!("<strong style=\"font-size:20px;color:{}\">{}</strong>", escape(brand.color), escape(brand.agency))
        }
    };
    let body: String = paragraphs.iter().map(|p| format!("<p style=\"margin:0 0 16px\">{}</p>", escape(p))).collect();
    format!(
        "<!doctype html><html><body style=\"margin:0;background:#f4f5f7;font-family:Arial,Helvetica,sans-serif;color:#1b1f24\">\
<table role=\"presentation\" width=\"100%\" cellpadding=\"0\" cellspacing=\"0\"><tr><td align=\"center\" style=\"padding:24px\">\
<table role=\"presentation\" width=\"560\" cellpadding=\"0\" cellspacing=\"0\" style=\"background:#ffffff;border-radius:8px;padding:32px\">\
<tr><td style=\"padding-bottom:24px\">{header}</td></tr>\
<tr><td><h1 style=\"font-size:22px;margin:0 0 16px\">{heading}</h1>{body}\
<p style=\"margin:24px 0\"><a href=\"{href}\" style=\"background:{color};color:#ffffff;padding:12px 20px;border-radius:6px;text-decoration:none;display:inline-block\">{label}</a></p>\
<p style=\"font-size:13px;color:#57606a;margin:0 0 8px\">{fallback}<br>{href}</p>\
<p style=\"font-size:13px;color:#57606a;margin:24px 0 0\">{footer}</p></td></tr></table></td></tr></table></body></html>",
        heading = escape(heading),
        href = escape(button.1),
        label = escape(button.0),
        color = escape(brand.color),
        footer = escape(footer),
        fallback = escape(&crate::t!(brand.language, "button-fallback")),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_bodies_escape_what_people_typed() {
        let brand =
            Brand { agency: "A & B <Studio>", color: "#123456", logo_url: None, language: crate::i18n::Language::En };
        let html = html_layout(
            &brand,
            "Hi \"you\"",
            &["<script>alert(1)</script>".into()],
            ("Go", "https://x.test/?a=1&b=2"),
            "Bye",
        );
        assert!(html.contains("A &amp; B &lt;Studio&gt;"));
        assert!(html.contains("&lt;script&gt;"));
        assert!(!html.contains("<script>"));
        assert!(html.contains("https://x.test/?a=1&amp;b=2"));
    }
}
