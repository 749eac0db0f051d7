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
        let file = std::env::var("PORTICO_CONFIG").unwrap_or_else(|_| "portico.toml".into());
        let mut fig = Figment::new().merge(Toml::file(file));
        if let Ok(url) = std::env::var("DATABASE_URL") {
            fig = fig.merge(("database_url", url));
        }
        let fig = fig.merge(Env::prefixed("PORTICO_").ignore(&["config"]));
        let settings: Settings = fig.extract().map_err(Box::new)?;
        settings.validate()?;
        Ok(settings)
    }

    pub fn validate(&self) -> Result<(), ConfigError> {
        if self.access_token_ttl_secs < 30 || self.access_token_ttl_secs > 3600 {
            return Err(ConfigError::Invalid {
                setting: "PORTICO_ACCESS_TOKEN_TTL_SECS",
                problem: "must be between 30 and 3600 seconds: access tokens are meant to be short-lived".into(),
            });
        }
        if self.env == Environment::Production {
            let Some(secret) = &self.jwt_secret else {
                return Err(ConfigError::Invalid {
                    setting: "PORTICO_JWT_SECRET",
                    problem: "is required in production (at least 32 random bytes, e.g. `openssl rand -base64 48`)".into(),
                });
            };
            check_secret_strength(secret.expose_secret())?;
        } else if let Some(secret) = &self.jwt_secret {
            check_secret_strength(secret.expose_secret())?;
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
mod tests {
    use super::*;

    fn prod_with(secret: &str) -> Settings {
        Settings { env: Environment::Production, jwt_secret: Some(secret.into()), ..Default::default() }
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
    fn a_secret_never_appears_in_debug_output() {
        let s = prod_with("q8Vd2kLx9TzR4mWp7YcN1bHs6JfGe3Ua0iOoKlQw");
        assert!(!format!("{s:?}").contains("q8Vd2kLx9"));
    }
}
