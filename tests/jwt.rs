//! Hand-built JWTs for the token-hardening tests: any header, any claims, any signature.
use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use serde_json::Value;

pub fn b64(v: &Value) -> String {
    URL_SAFE_NO_PAD.encode(serde_json::to_vec(v).unwrap())
}

/// `header.payload.signature` with an HMAC over the first two parts using `alg`'s hash.
pub fn signed(header: &Value, claims: &Value, key: &[u8]) -> String {
    use jsonwebtoken::{Algorithm, EncodingKey, Header, encode};
    let alg = match header["alg"].as_str().unwrap_or("HS256") {
        "HS384" => Algorithm::HS384,
        "HS512" => Algorithm::HS512,
        _ => Algorithm::HS256,
    };
    // Sign with jsonwebtoken, then swap in the exact header we want (its signature then covers
    // the original header, which is what a tampering attacker would have too).
    let mut h = Header::new(alg);
    h.typ = header["typ"].as_str().map(str::to_owned);
    let token = encode(&h, claims, &EncodingKey::from_secret(key)).unwrap();
    let parts: Vec<&str> = token.split('.').collect();
    if serde_json::to_value(&h).unwrap() == *header {
        token
    } else {
        // Re-sign over the custom header so only the header's content is at issue.
        let signing_input = format!("{}.{}", b64(header), parts[1]);
        format!("{signing_input}.{}", hmac(alg, key, signing_input.as_bytes()))
    }
}

fn hmac(alg: jsonwebtoken::Algorithm, key: &[u8], msg: &[u8]) -> String {
    use jsonwebtoken::crypto::sign;
    sign(msg, &jsonwebtoken::EncodingKey::from_secret(key), alg).unwrap()
}

/// `header.payload.` with no signature at all.
pub fn unsigned(header: &Value, claims: &Value) -> String {
    format!("{}.{}.", b64(header), b64(claims))
}
