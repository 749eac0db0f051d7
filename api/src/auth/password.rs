//! Password hashing with argon2id. Hashing costs ~19 MiB and ~25 ms of a core, so it runs on
//! the blocking pool behind a semaphore: a burst of logins queues instead of starving the
//! server or exhausting memory.
use std::sync::{
    Arc,
    atomic::{AtomicU64, Ordering},
};

use argon2::{Algorithm, Argon2, Params, PasswordHash, PasswordHasher, PasswordVerifier, Version};
use secrecy::{ExposeSecret, SecretString};
use tokio::sync::Semaphore;

/// OWASP's minimum for argon2id: m = 19 MiB, t = 2, p = 1.
pub const M_COST: u32 = 19_456;
pub const T_COST: u32 = 2;
pub const P_COST: u32 = 1;

pub fn hasher() -> Argon2<'static> {
    Argon2::new(
        Algorithm::Argon2id,
        Version::V0x13,
        Params::new(M_COST, T_COST, P_COST, None).expect("valid argon2 params"),
    )
}

#[derive(Clone)]
pub struct Passwords {
    permits: Arc<Semaphore>,
    /// Verified against when the e-mail is unknown, so the answer takes as long either way.
    dummy_hash: Arc<String>,
    /// argon2id runs so far (hashes, verifications): the server's costliest work, which
    /// `/metrics` shows so an operator sees who makes it do that work.
    runs: Arc<[AtomicU64; 2]>,
}

pub enum Verified {
    No,
    Yes { needs_rehash: bool },
}

impl Passwords {
    pub fn new(concurrency: usize) -> Self {
        let dummy = hasher().hash_password(b"portico-dummy-password").expect("hashing works").to_string();
        let runs = Arc::new([AtomicU64::new(0), AtomicU64::new(0)]);
        Self { permits: Arc::new(Semaphore::new(concurrency.max(1))), dummy_hash: Arc::new(dummy), runs }
    }

    /// How many hashes and verifications have run.
    pub fn runs(&self) -> (u64, u64) {
        (self.runs[0].load(Ordering::Relaxed), self.runs[1].load(Ordering::Relaxed))
    }

    pub async fn hash(&self, password: &SecretString) -> anyhow::Result<String> {
        let _permit = self.permits.acquire().await?;
        self.runs[0].fetch_add(1, Ordering::Relaxed);
        let pw = password.clone();
        let hash =
            actix_web::web::block(move || hasher().hash_password(pw.expose_secret().as_bytes()).map(|h| h.to_string()))
                .await?
                .map_err(|e| anyhow::anyhow!("hashing failed: {e}"))?;
        Ok(hash)
    }

    /// Checks `password` against `stored`; with no stored hash it burns the same time on the
    /// dummy and answers `No`.
    pub async fn verify(&self, password: &SecretString, stored: Option<String>) -> anyhow::Result<Verified> {
        let _permit = self.permits.acquire().await?;
        self.runs[1].fetch_add(1, Ordering::Relaxed);
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

/// The 30,000 most common passwords (zxcvbn's list, shipped in `api/data`).
static COMMON: std::sync::LazyLock<std::collections::HashSet<&'static str>> = std::sync::LazyLock::new(|| {
    include_str!("../../data/common-passwords.txt").lines().filter(|l| !l.is_empty() && !l.starts_with('#')).collect()
});

/// ASVS 5.0: at least 8 characters, up to 128 accepted, no composition rules, not a common
/// password. Counted in characters as typed: no trimming or normalisation, and the hash is
/// computed over exactly what was typed. A refusal is a field message for the caller.
pub fn check_policy(password: &SecretString) -> Result<(), String> {
    let pw = password.expose_secret();
    let len = pw.chars().count();
    if len < 8 {
        return Err(crate::problem!("password-too-short"));
    }
    if len > 128 {
        return Err(crate::problem!("password-too-long"));
    }
    if COMMON.contains(pw.to_lowercase().as_str()) {
        return Err(crate::problem!("password-common"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(pw: &str) -> Result<(), String> {
        check_policy(&SecretString::from(pw))
    }

    #[test]
    fn the_policy_takes_length_and_commonness_but_no_composition_rules() {
        assert!(COMMON.len() >= 10_000);
        assert!(check("seven77").is_err());
        assert!(check(&"x".repeat(129)).is_err());
        assert!(check(&"long passphrase ".repeat(8)).is_ok(), "128 characters are allowed");
        assert!(check("password1").is_err());
        assert!(check("PassWord1").is_err(), "common passwords are refused whatever their case");
        assert!(check("all lower case words").is_ok());
        assert!(check("ünïcödé pässwörd").is_ok());
    }

    #[tokio::test]
    async fn a_password_verifies_exactly_as_typed() {
        let passwords = Passwords::new(1);
        let hash = passwords.hash(&SecretString::from(" spaced out ")).await.unwrap();
        assert!(matches!(
            passwords.verify(&SecretString::from(" spaced out "), Some(hash.clone())).await.unwrap(),
            Verified::Yes { needs_rehash: false }
        ));
        assert!(matches!(passwords.verify(&SecretString::from("spaced out"), Some(hash)).await.unwrap(), Verified::No));
    }

    #[tokio::test]
    async fn a_hash_below_the_current_parameters_asks_for_a_rehash() {
        let weak = Argon2::new(Algorithm::Argon2id, Version::V0x13, Params::new(8192, 1, 1, None).unwrap())
            .hash_password(b"some long password")
            .unwrap()
            .to_string();
        let verified = Passwords::new(1).verify(&SecretString::from("some long password"), Some(weak)).await.unwrap();
        assert!(matches!(verified, Verified::Yes { needs_rehash: true }));
    }
}
