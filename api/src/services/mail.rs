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
    message::{Mailbox, MultiPart},
    transport::smtp::authentication::Credentials,
};
use sea_orm::{ActiveModelTrait, ConnectionTrait, DatabaseConnection, Set};
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
    wake: Notify,
}

/// How long a claimed message is reserved for the worker that claimed it.
const LEASE: chrono::Duration = chrono::Duration::seconds(60);
const BATCH: u64 = 20;
const POLL: Duration = Duration::from_secs(2);

impl Mailer {
    pub fn from_settings(s: &Settings) -> anyhow::Result<Self> {
        let transport = match &s.smtp_host {
            Some(host) => {
                let mut builder = match s.smtp_tls {
                    SmtpTls::Starttls => AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(host)?,
                    SmtpTls::Tls => AsyncSmtpTransport::<Tokio1Executor>::relay(host)?,
                    SmtpTls::None => AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(host),
                }
                .port(s.smtp_port)
                .timeout(Some(Duration::from_secs(20)));
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
            wake: Notify::new(),
        })
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
                    Err(e) => tracing::error!(error = %e, "outbox worker failed; retrying"),
                }
                let _ = tokio::time::timeout(POLL, self.wake.notified()).await;
            }
        });
    }

    /// Claims and sends one batch of due messages; returns how many were claimed.
    pub async fn run_once(&self, db: &DatabaseConnection) -> anyhow::Result<usize> {
        let claimed = claim_due(db, BATCH).await?;
        for msg in &claimed {
            let result = self.send(msg).await;
            let mut active: outbox::ActiveModel = msg.clone().into();
            active.attempts = Set(msg.attempts + 1);
            active.locked_until = Set(None);
            match result {
                Ok(()) => {
                    active.status = Set(outbox::SENT.into());
                    active.sent_at = Set(Some(Utc::now()));
                    active.last_error = Set(None);
                }
                Err(e) => {
                    let attempts = msg.attempts + 1;
                    tracing::warn!(id = %msg.id, attempts, error = %e, "sending e-mail failed");
                    active.last_error = Set(Some(e.to_string()));
                    if attempts >= self.max_attempts {
                        active.status = Set(outbox::FAILED.into());
                    } else {
                        let backoff = self
                            .retry_base
                            .saturating_mul(1 << (attempts - 1).min(10) as u32)
                            .min(Duration::from_secs(3600));
                        active.next_attempt_at = Set(Utc::now() + chrono::Duration::from_std(backoff)?);
                    }
                }
            }
            active.update(db).await?;
        }
        Ok(claimed.len())
    }

    async fn send(&self, msg: &outbox::Model) -> anyhow::Result<()> {
        let message = Message::builder()
            .from(self.from.clone())
            .to(msg.to_email.parse()?)
            .subject(&msg.subject)
            .message_id(Some(format!("<{}@portico>", msg.id)))
            .multipart(MultiPart::alternative_plain_html(msg.text_body.clone(), msg.html_body.clone()))?;
        match &self.transport {
            Transport::Smtp(t) => {
                t.send(message).await?;
            }
            Transport::Files { dir, transport } => {
                let id = transport.send(message).await?;
                // Only in the embedded default: lets a local user follow the link.
                let links: Vec<&str> = msg.text_body.split_whitespace().filter(|w| w.starts_with("http")).collect();
                tracing::info!(to = %msg.to_email, file = %dir.join(format!("{id}.eml")).display(), links = ?links, "e-mail written to the outbox folder");
            }
        }
        Ok(())
    }
}

/// Takes a lease on up to `limit` due messages, so concurrent instances never hold the same one.
pub async fn claim_due(db: &DatabaseConnection, limit: u64) -> Result<Vec<outbox::Model>, sea_orm::DbErr> {
    let cols = lease::Columns {
        id: outbox::Column::Id,
        status: outbox::Column::Status,
        due: outbox::Column::NextAttemptAt,
        locked_until: outbox::Column::LockedUntil,
    };
    lease::claim_due::<outbox::Entity>(db, &cols, outbox::PENDING, limit, LEASE).await
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
<p style=\"font-size:13px;color:#57606a;margin:0 0 8px\">If the button does not work, copy this link into your browser:<br>{href}</p>\
<p style=\"font-size:13px;color:#57606a;margin:24px 0 0\">{footer}</p></td></tr></table></td></tr></table></body></html>",
        heading = escape(heading),
        href = escape(button.1),
        label = escape(button.0),
        color = escape(brand.color),
        footer = escape(footer),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_bodies_escape_what_people_typed() {
        let brand = Brand { agency: "A & B <Studio>", color: "#123456", logo_url: None };
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
