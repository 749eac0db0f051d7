//! Access tokens: HS256 only (pinned), `typ: at+jwt` (RFC 9068) so no other JWT can pass for
//! one, and `exp`, `aud`, `iss`, `sub` required (RFC 8725).
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation, decode, encode};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::entities::enums::RoleKind;

pub const ACCESS_TOKEN_TYPE: &str = "at+jwt";
/// A download link's token: never accepted as an access token, nor the other way round.
pub const FILE_LINK_TYPE: &str = "portico-file-link+jwt";

/// What a download link grants: one version of one file, to the user who asked for it (in the
/// session epochs they asked in), until `exp`. Authorisation is checked again on every use.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct LinkClaims {
    pub sub: Uuid,
    pub file: Uuid,
    pub version: i32,
    pub epoch: i64,
    pub act: Option<ActClaim>,
    /// The API key the link was made with, which it is held to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<Uuid>,
    pub exp: i64,
    pub iss: String,
    pub aud: String,
}

/// The staff member behind a View-as token (RFC 8693 `act`).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct ActClaim {
    pub sub: Uuid,
    /// The staff member's session epoch when the token was issued.
    #[serde(default)]
    pub epoch: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Claims {
    pub sub: Uuid,
    pub kind: RoleKind,
    pub role: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_id: Option<Uuid>,
    /// Informational for clients of the API; the server always checks current permissions.
    pub perms: Vec<String>,
    pub iat: i64,
    pub exp: i64,
    pub iss: String,
    pub aud: String,
    pub jti: Uuid,
    /// The user's session epoch when the token was issued: a later logout, password change or
    /// deactivation raises it, and the token stops working at once.
    #[serde(default)]
    pub epoch: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub act: Option<ActClaim>,
    /// The login (refresh-token family) the token was issued in, so the list of signed-in
    /// devices can say which one is this. Absent in View-as tokens, which are nobody's login.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sid: Option<Uuid>,
}

pub struct JwtKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
    pub issuer: String,
    pub audience: String,
    pub ttl_secs: i64,
}

impl JwtKeys {
    pub fn new(secret: &[u8], issuer: &str, audience: &str, ttl_secs: i64) -> Self {
        let mut validation = Validation::new(Algorithm::HS256);
        validation.set_issuer(&[issuer]);
        validation.set_audience(&[audience]);
        validation.set_required_spec_claims(&["exp", "aud", "iss", "sub"]);
        validation.leeway = 5;
        Self {
            encoding: EncodingKey::from_secret(secret),
            decoding: DecodingKey::from_secret(secret),
            validation,
            issuer: issuer.to_owned(),
            audience: audience.to_owned(),
            ttl_secs,
        }
    }

    pub fn issue(&self, claims: &Claims) -> anyhow::Result<String> {
        let mut header = Header::new(Algorithm::HS256);
        header.typ = Some(ACCESS_TOKEN_TYPE.into());
        Ok(encode(&header, claims, &self.encoding)?)
    }

    pub fn issue_link(&self, claims: &LinkClaims) -> anyhow::Result<String> {
        let mut header = Header::new(Algorithm::HS256);
        header.typ = Some(FILE_LINK_TYPE.into());
        Ok(encode(&header, claims, &self.encoding)?)
    }

    /// A link's claims, or why it is refused (words for the caller).
    pub fn verify_link(&self, token: &str) -> Result<LinkClaims, String> {
        let data = decode::<LinkClaims>(token, &self.decoding, &self.validation)
            .map_err(|_| crate::problem!("actor-link-invalid"))?;
        if data.header.alg != Algorithm::HS256 || data.header.typ.as_deref() != Some(FILE_LINK_TYPE) {
            return Err(crate::problem!("actor-link-not-download"));
        }
        Ok(data.claims)
    }

    /// Verifies a presented token. Any header that points at other key material (`jku`, `jwk`,
    /// `x5u`, `x5c`, `kid`) is refused outright: the server has one key and never fetches one.
    /// The refusal says why, in words for the caller.
    pub fn verify(&self, token: &str) -> Result<Claims, String> {
        // The header comes back with the verified claims: parsed once, on every request. The
        // validation admits HS256 only, so nothing here is trusted before the signature is.
        let data = decode::<Claims>(token, &self.decoding, &self.validation)
            .map_err(|_| crate::problem!("actor-token-invalid"))?;
        let header = data.header;
        if header.alg != Algorithm::HS256 {
            return Err(crate::problem!("actor-token-algorithm"));
        }
        if header.typ.as_deref() != Some(ACCESS_TOKEN_TYPE) {
            return Err(crate::problem!("actor-token-not-access"));
        }
        if header.jku.is_some()
            || header.jwk.is_some()
            || header.x5u.is_some()
            || header.x5c.is_some()
            || header.kid.is_some()
            || header.crit.is_some()
        {
            return Err(crate::problem!("actor-token-key-reference"));
        }
        Ok(data.claims)
    }
}
