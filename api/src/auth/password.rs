//! Password hashing with argon2id. Hashing costs ~19 MiB and ~25 ms of a core, so it runs on
//! the blocking pool behind a semaphore: a burst of logins queues instead of starving the
//! server or exhausting memory.
use std::sync::Arc;

use argon2::{Algorithm, Argon2, Params, PasswordHash, PasswordHasher, PasswordVerifier, Version};
use secrecy::{ExposeSecret, SecretString};
use tokio::sync::Semaphore;

/// OWASP's minimum for argon2id: m = 19 MiB, t = 2, p = 1.
pub const M_COST: u32 = 19_456;
pub const T_COST: u32 = 2;
pub const P_COST: u32 = 1;

fn hasher() -> Argon2<'static> {
    Argon2::new(Algorithm::Argon2id, Version::V0x13, Params::new(M_COST, T_COST, P_COST, None).expect("valid argon2 params"))
}

#[derive(Clone)]
pub struct Passwords {
    permits: Arc<Semaphore>,
    /// Verified against when the e-mail is unknown, so the answer takes as long either way.
    dummy_hash: Arc<String>,
}

pub enum Verified {
    No,
    Yes { needs_rehash: bool },
}

impl Passwords {
    pub fn new(concurrency: usize) -> Self {
        let dummy = hasher().hash_password(b"portico-dummy-password").expect("hashing works").to_string();
        Self { permits: Arc::new(Semaphore::new(concurrency.max(1))), dummy_hash: Arc::new(dummy) }
    }

    pub async fn hash(&self, password: &SecretString) -> anyhow::Result<String> {
        let _permit = self.permits.acquire().await?;
        let pw = password.clone();
        let hash = actix_web::web::block(move || hasher().hash_password(pw.expose_secret().as_bytes()).map(|h| h.to_string()))
            .await?
            .map_err(|e| anyhow::anyhow!("hashing failed: {e}"))?;
        Ok(hash)
    }

    /// Checks `password` against `stored`; with no stored hash it burns the same time on the
    /// dummy and answers `No`.
    pub async fn verify(&self, password: &SecretString, stored: Option<String>) -> anyhow::Result<Verified> {
        let _permit = self.permits.acquire().await?;
        let pw = password.clone();
        let real = stored.is_some();
        let hash = stored.unwrap_or_else(|| self.dummy_hash.as_str().to_owned());
        let verified = actix_web::web::block(move || {
            let Ok(parsed) = PasswordHash::new(&hash) else { return Verified::No };
            if hasher().verify_password(pw.expose_secret().as_bytes(), &parsed).is_err() {
                return Verified::No;
            }
            let needs_rehash = Params::try_from(&parsed)
                .map(|p| p.m_cost() < M_COST || p.t_cost() < T_COST || p.p_cost() < P_COST)
                .unwrap_or(true)
                || parsed.algorithm != argon2::ARGON2ID_IDENT;
            Verified::Yes { needs_rehash }
        })
        .await?;
        Ok(if real { verified } else { Verified::No })
    }
}

/// Length rules of ASVS 5.0: at least 8 characters, up to 128 accepted, no composition rules.
/// Counted in characters, as typed (no trimming or normalisation).
pub fn check_policy(password: &SecretString) -> Result<(), &'static str> {
    let len = password.expose_secret().chars().count();
    if len < 8 {
        return Err("must be at least 8 characters");
    }
    if len > 128 {
        return Err("must be at most 128 characters");
    }
    Ok(())
}
