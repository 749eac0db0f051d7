//! Layered configuration: built-in defaults, then an optional TOML file (`portico.toml` or the
//! file named by `PORTICO_CONFIG`), then `PORTICO_*` environment variables (plus the
//! conventional `DATABASE_URL`). Secrets are `SecretString`s so they never reach a log line.
use std::path::PathBuf;

use figment::{
    Figment,
    providers::{Env, Format, Toml},
};
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Environment {
    Development,
    Production,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SmtpTls {
    Starttls,
    Tls,
    None,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Settings {
    pub env: Environment,
    pub host: String,
    pub port: u16,
    /// Where the embedded database, the generated signing key and outgoing mail live.
    pub data_dir: PathBuf,
    /// `postgres://…` or `sqlite://…`; the default is a SQLite file in `data_dir`.
    pub database_url: Option<SecretString>,
    pub db_max_connections: u32,
    /// HMAC-SHA256 key for access tokens. Generated into `data_dir` when absent in development;
    /// required (at least 32 bytes) in production.
    pub jwt_secret: Option<SecretString>,
    pub jwt_issuer: String,
    pub jwt_audience: String,
    pub access_token_ttl_secs: i64,
    pub refresh_token_ttl_days: i64,
    /// Creates the first admin on an empty database.
    pub admin_email: Option<String>,
    pub admin_password: Option<SecretString>,
    /// Public base URL of the SPA, used in links sent to people.
    pub public_url: String,
    pub max_body_bytes: usize,
    /// Concurrent argon2 computations; each takes ~19 MiB and a core for ~25 ms.
    pub password_hash_concurrency: usize,
    /// Seed the demo agency on start when the database is empty.
    pub demo: bool,
    /// `json` for production log shipping, `pretty` for a terminal.
    pub log_format: String,
    /// HTTP worker threads; 0 means one per core.
    pub workers: usize,
    /// SMTP server for outgoing mail. Without one, each message is written as an `.eml` file
    /// under `<data_dir>/outbox/` and its links are logged (the embedded default).
    pub smtp_host: Option<String>,
    pub smtp_port: u16,
    /// `starttls` (default), `tls` (implicit TLS, usually port 465) or `none` (loopback only).
    pub smtp_tls: SmtpTls,
    pub smtp_username: Option<String>,
    pub smtp_password: Option<SecretString>,
    /// The From: of every message.
    pub mail_from: String,
    /// First retry of a failed send after this many seconds, doubling each time.
    pub mail_retry_base_secs: u64,
    pub mail_max_attempts: i32,
    /// The longest one message's whole SMTP conversation may take (connect, greeting, TLS,
    /// authentication, data), so a server that accepts and then stays silent cannot stall mail.
    pub smtp_timeout_secs: u64,
    /// The longest one webhook delivery's request may take (connect to the last byte).
    pub webhook_timeout_secs: u64,
    /// How long a worker holds a claimed e-mail, delivery or job before another instance may
    /// take it (renewed before each item; at least twice the longest timeout above).
    pub worker_lease_secs: u64,
    /// In production, keep outgoing mail as `.eml` files in `<data>/outbox` instead of requiring
    /// SMTP (an explicit choice: mail then reaches nobody until someone sends the files).
    pub allow_file_outbox: bool,
    pub invitation_ttl_hours: i64,
    pub password_reset_ttl_minutes: i64,
    /// Failed logins allowed per account, and per source address, within the window.
    pub login_max_failures_per_account: i32,
    pub login_max_failures_per_address: i32,
    /// Requests allowed per source address within the window on the other public endpoints
    /// (password reset, invitation accept).
    pub public_max_requests_per_address: i32,
    pub throttle_window_secs: i64,
    /// Replaced by `trusted_proxies`; refused when set, so nobody believes it still applies.
    pub trust_forwarded_for: bool,
    /// The proxies in front of the server, as comma-separated networks (`10.0.0.0/8`,
    /// `172.20.0.5/32`, `::1/128`). Only a request from one of them has its forwarding header
    /// read, and the client is the right-most hop of that header that is not one of them.
    /// Empty (the default): the peer address is the client, whatever a header says.
    pub trusted_proxies: String,
    /// Which forwarding header the trusted proxies set: `x-forwarded-for` (default; what Caddy,
    /// nginx and most load balancers write) or `forwarded` (RFC 7239).
    pub proxy_header: ProxyHeader,
    /// Failed logins allowed per account across all addresses before its logins are slowed to
    /// one evaluation per `login_slow_interval_secs` (not refused: a stranger's failures elsewhere
    /// cannot lock the right password out).
    pub login_slow_after_failures: i32,
    pub login_slow_interval_secs: i64,
    /// Comments one user may post per minute.
    pub comments_per_minute: i32,
    /// Live-update stream tickets one user may ask for per minute.
    pub stream_tickets_per_minute: i32,
    /// Requests one API key may make per minute, unless the key says otherwise.
    pub api_key_requests_per_minute: i32,
    /// Webhook targets on loopback, private, link-local or other internal addresses are refused
    /// unless this is set (for development and tests, never on a shared network).
    pub webhook_allow_private_targets: bool,
    /// Webhook targets must be `https://` unless this is set.
    pub webhook_allow_http: bool,
    /// PostgreSQL row-level security as a second wall behind the application's tenant scope:
    /// every connection a client user's request takes is set to their account, and the
    /// policies hold it there (needs a role that is neither superuser nor `BYPASSRLS`).
    pub row_level_security: bool,
    /// Online payment of invoices through Stripe Checkout: on when both are set. The secret
    /// API key (`sk_live_…`/`sk_test_…`, or a restricted key that may write Checkout Sessions)
    /// and the signing secret of the webhook endpoint (`whsec_…`) that points at
    /// `<public URL>/api/v1/payments/stripe/webhook`.
    pub stripe_secret_key: Option<SecretString>,
    pub stripe_webhook_secret: Option<SecretString>,
    /// Where Stripe's API is (tests point it at a stand-in on loopback).
    pub stripe_api_base: String,
    /// A webhook whose signature is older (or newer) than this is refused: a replay.
    pub stripe_webhook_tolerance_secs: i64,
    /// A login that goes unused this long ends (each refresh restarts it); staff and client
    /// users apart. Every login also ends `refresh_token_ttl_days` after it began, however used.
    pub staff_session_idle_hours: i64,
    pub client_session_idle_hours: i64,
    /// Open live-update streams allowed per user (more answer 429).
    pub max_streams_per_user: usize,
    /// Seconds between keep-alive comments on an idle event stream.
    pub event_heartbeat_secs: u64,
    /// How often the scheduler plans reminders and digests.
    pub scheduler_interval_secs: i64,
    /// How often a person's use of the portal is written down (what their last visit is told by).
    pub visit_seen_every_secs: u64,
    /// Weekly summaries go out from this weekday (1 = Monday … 7 = Sunday) at this UTC hour.
    pub weekly_summary_weekday: u32,
    pub weekly_summary_hour: u32,
    /// First retry of a failed webhook delivery after this many seconds, doubling each time.
    pub webhook_retry_base_secs: u64,
    /// Run the e-mail and job workers in this instance (turn off for web-only instances).
    pub background_workers: bool,
    /// Seconds a staff Reply waits before the client hears of it (undo window).
    pub reply_undo_secs: i64,
    /// Enables `/metrics` for callers presenting it as a bearer token.
    pub metrics_token: Option<SecretString>,
    /// The built SPA (`npm run build` in `web/`), served at `/` when present.
    pub web_dir: PathBuf,
    /// How long a user's status and permissions are cached. Every change made through the API
    /// invalidates at once, on every instance (PostgreSQL NOTIFY); this only bounds staleness
    /// after a change made behind the API's back, such as an edit in SQL.
    pub authz_cache_ttl_secs: u64,
    /// Where file contents live: `local` (a folder, `storage_dir`) or `s3` (any S3-compatible
    /// store: AWS S3, MinIO, Cloudflare R2, Garage).
    pub storage_backend: StorageBackend,
    /// The folder of the `local` backend; `<data_dir>/files` when unset.
    pub storage_dir: Option<PathBuf>,
    pub storage_s3_bucket: Option<String>,
    pub storage_s3_region: String,
    /// For stores other than AWS (`https://<account>.r2.cloudflarestorage.com`,
    /// `http://minio:9000`); AWS's own endpoint for the region when unset.
    pub storage_s3_endpoint: Option<String>,
    pub storage_s3_access_key_id: Option<String>,
    pub storage_s3_secret_access_key: Option<SecretString>,
    /// Address buckets as `https://host/bucket/key` rather than `https://bucket.host/key`
    /// (MinIO and Garage usually want this).
    pub storage_s3_path_style: bool,
    /// Allow an `http://` endpoint (a store on the same private network or loopback).
    pub storage_s3_allow_http: bool,
    /// The largest file one upload may carry; a larger one is refused with 413 and leaves
    /// nothing stored.
    pub max_upload_bytes: u64,
    /// How long a download link (for `<img>`, previews and plain links, which cannot send a
    /// bearer token) stays valid; it is tied to the user who asked for it.
    pub download_link_ttl_secs: i64,
    /// The business hours within which a client's Reply should be answered: older open ones
    /// are "awaiting reply" on the staff dashboard.
    pub response_target_hours: u32,
    /// The reply mailbox (replies by e-mail): an IMAP server Portico reads every
    /// `imap_poll_secs`, posting each answer to a notification as a Reply on its task. Off
    /// unless set.
    pub imap_host: Option<String>,
    pub imap_port: u16,
    /// IMAPS (TLS from the first byte, port 993). Off only for a server on loopback.
    pub imap_tls: bool,
    pub imap_username: Option<String>,
    pub imap_password: Option<SecretString>,
    pub imap_mailbox: String,
    pub imap_poll_secs: u64,
    /// The mailbox's address; answers go to `local+<token>@domain` of it, one token per person
    /// and task, so nobody can answer for someone else by guessing.
    pub imap_reply_address: Option<String>,
    /// A larger message is not read (it is reported to staff instead).
    pub imap_max_message_bytes: u32,
    /// The time sign-ins, comments and response waits are stamped with (the system's; tests
    /// move it). Not a setting anyone can give.
    #[serde(skip)]
    pub clock: crate::clock::Clock,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum StorageBackend {
    Local,
    S3,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            env: Environment::Development,
            host: "127.0.0.1".into(),
            port: 8080,
            data_dir: PathBuf::from("data"),
            database_url: None,
            db_max_connections: 10,
            jwt_secret: None,
            jwt_issuer: "portico".into(),
            jwt_audience: "portico-api".into(),
            access_token_ttl_secs: 900,
            refresh_token_ttl_days: 30,
            admin_email: None,
            admin_password: None,
            public_url: "http://127.0.0.1:8080".into(),
            max_body_bytes: 1024 * 1024,
            password_hash_concurrency: 2,
            demo: false,
            log_format: "pretty".into(),
            workers: 0,
            authz_cache_ttl_secs: 30,
            web_dir: PathBuf::from("web/dist"),
            metrics_token: None,
            max_streams_per_user: 5,
            reply_undo_secs: 30,
            background_workers: true,
            webhook_retry_base_secs: 10,
            scheduler_interval_secs: 300,
            visit_seen_every_secs: 60,
            weekly_summary_weekday: 1,
            weekly_summary_hour: 8,
            event_heartbeat_secs: 15,
            smtp_host: None,
            smtp_port: 587,
            smtp_tls: SmtpTls::Starttls,
            smtp_username: None,
            smtp_password: None,
            mail_from: "Portico <no-reply@portico.invalid>".into(),
            mail_retry_base_secs: 30,
            mail_max_attempts: 8,
            smtp_timeout_secs: 20,
            webhook_timeout_secs: 10,
            worker_lease_secs: 60,
            allow_file_outbox: false,
            invitation_ttl_hours: 24 * 7,
            password_reset_ttl_minutes: 60,
            login_max_failures_per_account: 5,
            login_max_failures_per_address: 20,
            public_max_requests_per_address: 20,
            throttle_window_secs: 15 * 60,
            trust_forwarded_for: false,
            trusted_proxies: String::new(),
            proxy_header: ProxyHeader::XForwardedFor,
            login_slow_after_failures: 50,
            login_slow_interval_secs: 2,
            comments_per_minute: 30,
            stream_tickets_per_minute: 30,
            api_key_requests_per_minute: 600,
            webhook_allow_private_targets: false,
            webhook_allow_http: false,
            row_level_security: false,
            stripe_secret_key: None,
            stripe_webhook_secret: None,
            stripe_api_base: "https://api.stripe.com".into(),
            stripe_webhook_tolerance_secs: 300,
            staff_session_idle_hours: 24,
            client_session_idle_hours: 7 * 24,
            storage_backend: StorageBackend::Local,
            storage_dir: None,
            storage_s3_bucket: None,
            storage_s3_region: "us-east-1".into(),
            storage_s3_endpoint: None,
            storage_s3_access_key_id: None,
            storage_s3_secret_access_key: None,
            storage_s3_path_style: false,
            storage_s3_allow_http: false,
            max_upload_bytes: 100 * 1024 * 1024,
            download_link_ttl_secs: 300,
            response_target_hours: 24,
            imap_host: None,
            imap_port: 993,
            imap_tls: true,
            imap_username: None,
            imap_password: None,
            imap_mailbox: "INBOX".into(),
            imap_poll_secs: 60,
            imap_reply_address: None,
            imap_max_message_bytes: 10 * 1024 * 1024,
            clock: crate::clock::Clock::default(),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("configuration: {0}")]
    Load(#[from] Box<figment::Error>),
    #[error("configuration: {setting} {problem}")]
    Invalid { setting: &'static str, problem: String },
}

/// Key material we refuse in production because it appears in docs, examples or habits.
const KNOWN_WEAK_SECRETS: &[&str] = &["secret", "changeme", "change-me", "portico", "password", "development"];

impl Settings {
    /// Reads defaults → file → environment.
    pub fn load() -> Result<Self, ConfigError> {
        let mut settings: Settings = Self::figment().extract().map_err(Box::new)?;
        // An empty variable (e.g. `PORTICO_METRICS_TOKEN=` from compose) means "not set".
        if settings.metrics_token.as_ref().is_some_and(|t| t.expose_secret().is_empty()) {
            settings.metrics_token = None;
        }
        settings.validate()?;
        Ok(settings)
    }

    fn figment() -> Figment {
        let file = std::env::var("PORTICO_CONFIG").unwrap_or_else(|_| "portico.toml".into());
        Figment::new()
            .merge(Toml::file(file))
            .merge(Env::raw().only(&["DATABASE_URL"]).map(|_| "database_url".into()))
            // Variables of the same family that are not settings of the server.
            .merge(Env::prefixed("PORTICO_").ignore(&["config", "log", "test_database_url", "skip_postgres"]))
    }

    pub fn validate(&self) -> Result<(), ConfigError> {
        if self.imap_host.is_some() {
            let address_ok = self.imap_reply_address.as_deref().is_some_and(|a| {
                a.split_once('@')
                    .is_some_and(|(local, domain)| !local.is_empty() && !local.contains('+') && domain.contains('.'))
            });
            if self.imap_username.is_none() || self.imap_password.is_none() || !address_ok {
                return Err(ConfigError::Invalid {
                    setting: "PORTICO_IMAP_HOST",
                    problem: "needs PORTICO_IMAP_USERNAME, PORTICO_IMAP_PASSWORD and PORTICO_IMAP_REPLY_ADDRESS \
                        (the mailbox's own address, e.g. replies@agency.example, without a +tag)"
                        .into(),
                });
            }
            if self.imap_poll_secs == 0 {
                return Err(ConfigError::Invalid {
                    setting: "PORTICO_IMAP_POLL_SECS",
                    problem: "must be at least 1 second".into(),
                });
            }
        }
        if !(1..=2000).contains(&self.response_target_hours) {
            return Err(ConfigError::Invalid {
                setting: "PORTICO_RESPONSE_TARGET_HOURS",
                problem: "must be between 1 and 2000 business hours".into(),
            });
        }
        if self.access_token_ttl_secs < 30 || self.access_token_ttl_secs > 3600 {
            return Err(ConfigError::Invalid {
                setting: "PORTICO_ACCESS_TOKEN_TTL_SECS",
                problem: "must be between 30 and 3600 seconds: access tokens are meant to be short-lived".into(),
            });
        }
        if self.storage_backend == StorageBackend::S3 && self.storage_s3_bucket.as_deref().unwrap_or("").is_empty() {
            return Err(ConfigError::Invalid {
                setting: "PORTICO_STORAGE_S3_BUCKET",
                problem: "is required with PORTICO_STORAGE_BACKEND=s3".into(),
            });
        }
        if self.max_upload_bytes == 0 {
            return Err(ConfigError::Invalid {
                setting: "PORTICO_MAX_UPLOAD_BYTES",
                problem: "must be above 0".into(),
            });
        }
        if self.stripe_secret_key.is_some() != self.stripe_webhook_secret.is_some() {
            return Err(ConfigError::Invalid {
                setting: "PORTICO_STRIPE_WEBHOOK_SECRET",
                problem: "and PORTICO_STRIPE_SECRET_KEY are set together: a payment nobody hears of is never recorded"
                    .into(),
            });
        }
        if !(10..=3600).contains(&self.stripe_webhook_tolerance_secs) {
            return Err(ConfigError::Invalid {
                setting: "PORTICO_STRIPE_WEBHOOK_TOLERANCE_SECS",
                problem: "must be between 10 and 3600 seconds".into(),
            });
        }
        if !(10..=3600).contains(&self.download_link_ttl_secs) {
            return Err(ConfigError::Invalid {
                setting: "PORTICO_DOWNLOAD_LINK_TTL_SECS",
                problem: "must be between 10 and 3600 seconds".into(),
            });
        }
        if self.env == Environment::Production {
            let Some(secret) = &self.jwt_secret else {
                return Err(ConfigError::Invalid {
                    setting: "PORTICO_JWT_SECRET",
                    problem: "is required in production (at least 32 random bytes, e.g. `openssl rand -base64 48`)"
                        .into(),
                });
            };
            check_secret_strength(secret.expose_secret())?;
        } else if let Some(secret) = &self.jwt_secret {
            check_secret_strength(secret.expose_secret())?;
        }
        if self.env == Environment::Production && self.smtp_host.is_none() && !self.allow_file_outbox {
            return Err(ConfigError::Invalid {
                setting: "PORTICO_SMTP_HOST",
                problem: "is required in production: invitations and reset links must reach people \
                    (or set PORTICO_ALLOW_FILE_OUTBOX=true to keep mail as files in the data folder)"
                    .into(),
            });
        }
        if self.env == Environment::Production && self.demo {
            return Err(ConfigError::Invalid {
                setting: "PORTICO_DEMO",
                problem: "is refused in production: the demo agency's logins are public".into(),
            });
        }
        if self.metrics_token.as_ref().is_some_and(|t| t.expose_secret().len() < 16) {
            return Err(ConfigError::Invalid {
                setting: "PORTICO_METRICS_TOKEN",
                problem: "must be at least 16 characters".into(),
            });
        }
        if self.smtp_username.is_some() != self.smtp_password.is_some() {
            return Err(ConfigError::Invalid {
                setting: "PORTICO_SMTP_USERNAME/PORTICO_SMTP_PASSWORD",
                problem: "must be given together".into(),
            });
        }
        if self.mail_from.parse::<lettre::message::Mailbox>().is_err() {
            return Err(ConfigError::Invalid {
                setting: "PORTICO_MAIL_FROM",
                problem: "must be a mailbox like `Agency <no-reply@agency.example>`".into(),
            });
        }
        if self.smtp_timeout_secs == 0 || self.webhook_timeout_secs == 0 {
            return Err(ConfigError::Invalid {
                setting: "PORTICO_SMTP_TIMEOUT_SECS/PORTICO_WEBHOOK_TIMEOUT_SECS",
                problem: "must be at least 1 second".into(),
            });
        }
        if self.worker_lease_secs < 2 * self.smtp_timeout_secs.max(self.webhook_timeout_secs) {
            return Err(ConfigError::Invalid {
                setting: "PORTICO_WORKER_LEASE_SECS",
                problem:
                    "must be at least twice the longer of PORTICO_SMTP_TIMEOUT_SECS and PORTICO_WEBHOOK_TIMEOUT_SECS, \
                    so an item's lease outlasts its attempt"
                        .into(),
            });
        }
        if self.trust_forwarded_for {
            return Err(ConfigError::Invalid {
                setting: "PORTICO_TRUST_FORWARDED_FOR",
                problem: "is replaced by PORTICO_TRUSTED_PROXIES: name the networks of your proxies \
                    (e.g. `PORTICO_TRUSTED_PROXIES=172.20.0.0/16`) and unset it"
                    .into(),
            });
        }
        if let Err(problem) = parse_networks(&self.trusted_proxies) {
            return Err(ConfigError::Invalid { setting: "PORTICO_TRUSTED_PROXIES", problem });
        }
        if self.comments_per_minute < 1
            || self.stream_tickets_per_minute < 1
            || self.login_slow_interval_secs < 1
            || self.api_key_requests_per_minute < 1
        {
            return Err(ConfigError::Invalid {
                setting: "PORTICO_COMMENTS_PER_MINUTE/PORTICO_STREAM_TICKETS_PER_MINUTE/PORTICO_LOGIN_SLOW_INTERVAL_SECS/PORTICO_API_KEY_REQUESTS_PER_MINUTE",
                problem: "must be at least 1".into(),
            });
        }
        if self.staff_session_idle_hours < 1 || self.client_session_idle_hours < 1 {
            return Err(ConfigError::Invalid {
                setting: "PORTICO_STAFF_SESSION_IDLE_HOURS/PORTICO_CLIENT_SESSION_IDLE_HOURS",
                problem: "must be at least 1 hour".into(),
            });
        }
        if self.admin_email.is_some() != self.admin_password.is_some() {
            return Err(ConfigError::Invalid {
                setting: "PORTICO_ADMIN_EMAIL/PORTICO_ADMIN_PASSWORD",
                problem: "must be given together".into(),
            });
        }
        Ok(())
    }

    pub fn database_url(&self) -> String {
        match &self.database_url {
            Some(url) => url.expose_secret().to_owned(),
            None => format!("sqlite://{}?mode=rwc", self.data_dir.join("portico.db").display()),
        }
    }

    pub fn is_sqlite(&self) -> bool {
        self.database_url().starts_with("sqlite:")
    }

    /// The networks of `trusted_proxies` (checked by `validate`).
    pub fn trusted_proxies(&self) -> Vec<ipnet::IpNet> {
        parse_networks(&self.trusted_proxies).unwrap_or_default()
    }

    pub fn worker_lease(&self) -> chrono::Duration {
        chrono::Duration::seconds(self.worker_lease_secs as i64)
    }
}

/// Comma-separated networks; a bare address is a network of one.
fn parse_networks(list: &str) -> Result<Vec<ipnet::IpNet>, String> {
    list.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| {
            s.parse::<ipnet::IpNet>()
                .or_else(|_| s.parse::<std::net::IpAddr>().map(ipnet::IpNet::from))
                .map_err(|_| format!("`{s}` is not a network like 10.0.0.0/8 or an address"))
        })
        .collect()
}

/// The forwarding header trusted proxies set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ProxyHeader {
    XForwardedFor,
    Forwarded,
}

fn check_secret_strength(secret: &str) -> Result<(), ConfigError> {
    let weak = |problem: &str| ConfigError::Invalid { setting: "PORTICO_JWT_SECRET", problem: problem.into() };
    if secret.len() < 32 {
        return Err(weak("is too short: give at least 32 random bytes (e.g. `openssl rand -base64 48`)"));
    }
    let lower = secret.to_ascii_lowercase();
    if KNOWN_WEAK_SECRETS.iter().any(|w| lower.contains(w)) {
        return Err(weak("looks like a default or example value: generate a random one"));
    }
    let distinct: std::collections::BTreeSet<char> = secret.chars().collect();
    if distinct.len() < 12 {
        return Err(weak("has too little variety to be random: generate a random one"));
    }
    Ok(())
}

#[cfg(test)]
// figment's own error type is large; these tests only pass it through.
#[allow(clippy::result_large_err)]
mod tests {
    use super::*;

    fn prod_with(secret: &str) -> Settings {
        Settings {
            env: Environment::Production,
            jwt_secret: Some(secret.into()),
            smtp_host: Some("smtp.agency.example".into()),
            ..Default::default()
        }
    }

    #[test]
    fn production_needs_smtp_or_an_explicit_file_outbox_and_refuses_the_demo() {
        let good = prod_with("q8Vd2kLx9TzR4mWp7YcN1bHs6JfGe3Ua0iOoKlQw");
        let no_smtp = Settings { smtp_host: None, ..good.clone() };
        assert!(no_smtp.validate().unwrap_err().to_string().contains("PORTICO_SMTP_HOST"));
        assert!(Settings { allow_file_outbox: true, ..no_smtp }.validate().is_ok());
        let demo = Settings { demo: true, ..good };
        assert!(demo.validate().unwrap_err().to_string().contains("PORTICO_DEMO"));
        // Development keeps both: the two commands of the README need them.
        assert!(Settings { demo: true, ..Default::default() }.validate().is_ok());
    }

    #[test]
    fn production_refuses_a_missing_short_or_default_key() {
        let missing = Settings { env: Environment::Production, ..Default::default() };
        assert!(missing.validate().unwrap_err().to_string().contains("PORTICO_JWT_SECRET"));
        assert!(prod_with("short").validate().is_err());
        assert!(prod_with("changeme-changeme-changeme-changeme").validate().is_err());
        assert!(prod_with(&"a".repeat(64)).validate().is_err());
        assert!(prod_with("q8Vd2kLx9TzR4mWp7YcN1bHs6JfGe3Ua0iOoKlQw").validate().is_ok());
    }

    #[test]
    fn settings_come_from_the_file_then_the_environment() {
        figment::Jail::expect_with(|jail| {
            jail.create_file("portico.toml", "port = 9000\njwt_issuer = \"from-file\"\nlog_format = \"json\"")?;
            jail.set_env("PORTICO_PORT", "9100");
            jail.set_env("DATABASE_URL", "postgres://db/portico");
            jail.set_env("PORTICO_LOG", "debug");
            jail.set_env("PORTICO_TEST_DATABASE_URL", "postgres://elsewhere");
            jail.set_env("PORTICO_AUTHZ_CACHE_TTL_SECS", "45");
            let s = Settings::load().expect("valid settings");
            assert_eq!(s.port, 9100, "the environment wins over the file");
            assert_eq!(s.authz_cache_ttl_secs, 45);
            assert_eq!(s.jwt_issuer, "from-file");
            assert_eq!(s.log_format, "json");
            assert_eq!(s.database_url(), "postgres://db/portico");
            assert!(!s.is_sqlite());
            Ok(())
        });
    }

    #[test]
    fn a_misspelt_setting_fails_fast_with_its_name() {
        figment::Jail::expect_with(|jail| {
            jail.create_file("portico.toml", "prot = 9000")?;
            let err = Settings::load().unwrap_err().to_string();
            assert!(err.contains("prot"), "{err}");
            jail.create_file("portico.toml", "")?;
            jail.set_env("PORTICO_PROT", "9000");
            let err = Settings::load().unwrap_err().to_string();
            assert!(err.contains("prot"), "{err}");
            Ok(())
        });
    }

    #[test]
    fn the_default_database_is_a_sqlite_file_in_the_data_folder() {
        let s = Settings::default();
        assert_eq!(s.database_url(), "sqlite://data/portico.db?mode=rwc");
    }

    #[test]
    fn a_secret_never_appears_in_debug_output() {
        let s = prod_with("q8Vd2kLx9TzR4mWp7YcN1bHs6JfGe3Ua0iOoKlQw");
        assert!(!format!("{s:?}").contains("q8Vd2kLx9"));
    }
}
