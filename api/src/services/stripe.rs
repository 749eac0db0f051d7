//! Stripe, for paying invoices online: Checkout Sessions created over Stripe's REST API (form
//! encoded, an `Idempotency-Key` per attempt), and the signature of the webhooks Stripe sends
//! (`Stripe-Signature: t=…,v1=…`, HMAC-SHA256 of `"{t}.{body}"` under the endpoint's signing
//! secret, `t` within a tolerance of now). Plain reqwest: the few calls Portico makes do not
//! justify a client crate's build time.
use std::time::Duration;

use hmac::{Hmac, KeyInit, Mac};
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;
use sha2::Sha256;

use crate::config::Settings;

pub struct Stripe {
    http: reqwest::Client,
    api_base: String,
    secret_key: SecretString,
    webhook_secret: SecretString,
    tolerance_secs: i64,
}

/// What a Checkout Session is asked to collect.
pub struct CheckoutRequest<'a> {
    /// Our attempt's id: the idempotency key, and in the session's metadata.
    pub attempt_id: uuid::Uuid,
    pub invoice_id: uuid::Uuid,
    pub invoice_number: &'a str,
    pub amount_minor: i64,
    /// ISO 4217, any case (Stripe wants lower case).
    pub currency: &'a str,
    pub customer_email: &'a str,
    pub success_url: String,
    pub cancel_url: String,
}

/// The part of a Checkout Session Portico reads.
#[derive(Debug, Clone, Deserialize)]
pub struct CheckoutSession {
    pub id: String,
    pub url: Option<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum StripeError {
    #[error("Stripe could not be reached: {0}")]
    Unreachable(String),
    #[error("Stripe refused the request ({status}): {message}")]
    Refused { status: u16, message: String },
}

#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum SignatureError {
    #[error("no Stripe-Signature header")]
    Missing,
    #[error("the Stripe-Signature header is malformed")]
    Malformed,
    #[error("the signature's timestamp is outside the tolerance")]
    Stale,
    #[error("no signature matches")]
    Mismatch,
}

impl Stripe {
    /// Stripe as configured, or `None` when online payment is off.
    pub fn from_settings(s: &Settings) -> anyhow::Result<Option<Stripe>> {
        let (Some(key), Some(secret)) = (&s.stripe_secret_key, &s.stripe_webhook_secret) else { return Ok(None) };
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(20))
            .connect_timeout(Duration::from_secs(5))
            .redirect(reqwest::redirect::Policy::none())
            .build()?;
        Ok(Some(Stripe {
            http,
            api_base: s.stripe_api_base.trim_end_matches('/').to_owned(),
            secret_key: key.clone(),
            webhook_secret: secret.clone(),
            tolerance_secs: s.stripe_webhook_tolerance_secs,
        }))
    }

    /// Creates a Checkout Session for one payment of `amount_minor` (Stripe's amounts are in
    /// the currency's minor unit, as ours are: yen for JPY).
    pub async fn create_checkout(&self, req: &CheckoutRequest<'_>) -> Result<CheckoutSession, StripeError> {
        let form = [
            ("mode", "payment".to_owned()),
            ("success_url", req.success_url.clone()),
            ("cancel_url", req.cancel_url.clone()),
            ("client_reference_id", req.invoice_id.to_string()),
            ("customer_email", req.customer_email.to_owned()),
            ("line_items[0][quantity]", "1".into()),
            ("line_items[0][price_data][currency]", req.currency.to_lowercase()),
            ("line_items[0][price_data][unit_amount]", req.amount_minor.to_string()),
            ("line_items[0][price_data][product_data][name]", format!("Invoice {}", req.invoice_number)),
            ("metadata[invoice_id]", req.invoice_id.to_string()),
            ("metadata[attempt_id]", req.attempt_id.to_string()),
            ("payment_intent_data[metadata][invoice_id]", req.invoice_id.to_string()),
        ];
        let res = self
            .http
            .post(format!("{}/v1/checkout/sessions", self.api_base))
            .bearer_auth(self.secret_key.expose_secret())
            .header("Idempotency-Key", req.attempt_id.to_string())
            .form(&form)
            .send()
            .await
            .map_err(|e| StripeError::Unreachable(e.without_url().to_string()))?;
        let status = res.status();
        let body = res.text().await.map_err(|e| StripeError::Unreachable(e.to_string()))?;
        if !status.is_success() {
            #[derive(Deserialize)]
            struct Failure {
                error: Detail,
            }
            #[derive(Deserialize)]
            struct Detail {
                message: Option<String>,
            }
            let message = serde_json::from_str::<Failure>(&body)
                .ok()
                .and_then(|f| f.error.message)
                .unwrap_or_else(|| "no message".into());
            return Err(StripeError::Refused { status: status.as_u16(), message });
        }
        serde_json::from_str(&body)
            .map_err(|e| StripeError::Refused { status: status.as_u16(), message: e.to_string() })
    }

    /// Checks a webhook's `Stripe-Signature` against its raw body at `now` (Unix seconds).
    pub fn verify(&self, header: Option<&str>, body: &[u8], now: i64) -> Result<(), SignatureError> {
        verify(self.webhook_secret.expose_secret(), header, body, now, self.tolerance_secs)
    }
}

/// Stripe's scheme: `t` is the signing time; each `v1` a hex HMAC-SHA256 of `"{t}.{body}"`
/// (several while a secret is being rolled); any one matching will do.
pub fn verify(secret: &str, header: Option<&str>, body: &[u8], now: i64, tolerance: i64) -> Result<(), SignatureError> {
    let header = header.ok_or(SignatureError::Missing)?;
    let mut timestamp = None;
    let mut signatures = Vec::new();
    for part in header.split(',') {
        match part.trim().split_once('=') {
            Some(("t", v)) => timestamp = v.parse::<i64>().ok(),
            Some(("v1", v)) => signatures.push(hex::decode(v).map_err(|_| SignatureError::Malformed)?),
            Some(_) => {}
            None => return Err(SignatureError::Malformed),
        }
    }
    let t = timestamp.ok_or(SignatureError::Malformed)?;
    if signatures.is_empty() {
        return Err(SignatureError::Malformed);
    }
    if (now - t).abs() > tolerance {
        return Err(SignatureError::Stale);
    }
    let matches = signatures.iter().any(|sig| {
        let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC takes any key length");
        mac.update(t.to_string().as_bytes());
        mac.update(b".");
        mac.update(body);
        // Constant-time comparison.
        mac.verify_slice(sig).is_ok()
    });
    if matches { Ok(()) } else { Err(SignatureError::Mismatch) }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sign(secret: &str, t: i64, body: &[u8]) -> String {
        let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).unwrap();
        mac.update(format!("{t}.").as_bytes());
        mac.update(body);
        hex::encode(mac.finalize().into_bytes())
    }

    #[test]
    fn a_signature_must_match_the_body_and_be_recent() {
        let body = br#"{"id":"evt_1"}"#;
        let now = 1_800_000_000;
        let good = format!("t={now},v1={}", sign("whsec_x", now, body));
        assert_eq!(verify("whsec_x", Some(&good), body, now + 10, 300), Ok(()));
        // A rolled secret: two signatures, one of them right.
        let rolled = format!("t={now},v1={},v1={}", sign("whsec_old", now, body), sign("whsec_x", now, body));
        assert_eq!(verify("whsec_x", Some(&rolled), body, now, 300), Ok(()));
        assert_eq!(verify("whsec_x", Some(&good), br#"{"id":"evt_2"}"#, now, 300), Err(SignatureError::Mismatch));
        assert_eq!(verify("whsec_y", Some(&good), body, now, 300), Err(SignatureError::Mismatch));
        assert_eq!(verify("whsec_x", Some(&good), body, now + 301, 300), Err(SignatureError::Stale));
        assert_eq!(verify("whsec_x", None, body, now, 300), Err(SignatureError::Missing));
        assert_eq!(verify("whsec_x", Some("t=1"), body, now, 300), Err(SignatureError::Malformed));
        assert_eq!(verify("whsec_x", Some("garbage"), body, now, 300), Err(SignatureError::Malformed));
        assert_eq!(verify("whsec_x", Some(&format!("t={now},v1=zz")), body, now, 300), Err(SignatureError::Malformed));
    }
}
