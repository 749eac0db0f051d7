//! Conditional requests. Writes: a PATCH may send `If-Match` with the `ETag` its caller read,
//! and is refused with 412 when the resource has changed since (`IfMatch`).
//!
//! Conditional GETs: every JSON answer to a GET carries a strong `ETag`, a hash of exactly the
//! bytes sent (so two callers who see a resource differently get different tags), and a GET
//! whose `If-None-Match` names the current tag answers `304 Not Modified` with no body.
//! Integrators poll cheaply, and the SPA's safety-net refresh moves no data when nothing has
//! changed. Only `application/json` bodies are hashed, which the handlers hold whole anyway;
//! downloads keep their own validator (a file version's SHA-256) and streams are never
//! buffered.
use actix_web::{
    HttpResponse,
    body::{BodySize, BoxBody, MessageBody},
    dev::{ServiceRequest, ServiceResponse},
    http::{Method, StatusCode, header},
    middleware::Next,
};
use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use sha2::{Digest, Sha256};

/// The largest body hashed: a page of a list is far smaller; anything bigger passes untagged.
const MAX_TAGGED_BYTES: u64 = 8 * 1024 * 1024;

/// The tag of a representation: 128 bits of its SHA-256, quoted.
pub fn tag_of(body: &[u8]) -> String {
    format!("\"{}\"", URL_SAFE_NO_PAD.encode(&Sha256::digest(body)[..16]))
}

/// Whether an `If-None-Match` value names `tag`: `*`, or a list of tags compared weakly (a
/// `W/` prefix ignored), as RFC 9110 §13.1.2 has it.
pub fn none_match_names(header: &str, tag: &str) -> bool {
    header.split(',').map(str::trim).any(|t| t == "*" || t.strip_prefix("W/").unwrap_or(t) == tag)
}

/// Whether an `If-Match` value names `tag`: `*` (the resource exists, which a write that found
/// it knows), or a list of tags compared strongly — a weak tag never matches (RFC 9110 §13.1.1).
pub fn match_names(header: &str, tag: &str) -> bool {
    header.split(',').map(str::trim).any(|t| t == "*" || t == tag)
}

/// A write's `If-Match`, if it sent one: the representation it read must still be the current
/// one. Checked inside the write's change with the row held (`hold`), so two writers sending
/// the same tag cannot both succeed.
pub struct IfMatch(Option<String>);

impl IfMatch {
    pub fn present(&self) -> bool {
        self.0.is_some()
    }

    /// Inside the write's change, first: holds `table`'s row `id` (`Change::hold_row`) and
    /// answers 412 unless `current` — what a GET would answer this caller now, read through the
    /// change — has a tag the header names. Nothing to do without an `If-Match`.
    pub async fn hold<T: serde::Serialize>(
        &self,
        change: &mut crate::domain::Change<'_>,
        table: &'static str,
        id: impl Into<sea_orm::Value>,
        current: impl AsyncFnOnce(&sea_orm::DatabaseTransaction) -> crate::error::ApiResult<T>,
    ) -> crate::error::ApiResult<()> {
        let Some(wanted) = &self.0 else { return Ok(()) };
        change.hold_row(table, id).await?;
        let bytes = serde_json::to_vec(&current(change.db()).await?)
            .map_err(|e| crate::error::ApiError::Internal(anyhow::anyhow!("serialising a representation: {e}")))?;
        if match_names(wanted, &tag_of(&bytes)) { Ok(()) } else { Err(crate::error::ApiError::PreconditionFailed) }
    }
}

impl actix_web::FromRequest for IfMatch {
    type Error = crate::error::ApiError;
    type Future = std::future::Ready<Result<Self, Self::Error>>;

    fn from_request(req: &actix_web::HttpRequest, _: &mut actix_web::dev::Payload) -> Self::Future {
        // Several header lines are one list (RFC 9110 §5.3); one that is not text names no tag.
        let lines: Vec<&str> = req.headers().get_all(header::IF_MATCH).map(|v| v.to_str().unwrap_or("")).collect();
        std::future::ready(Ok(IfMatch((!lines.is_empty()).then(|| lines.join(",")))))
    }
}

pub async fn etags(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let get = req.method() == Method::GET;
    // Several header lines are one list (RFC 9110 §5.3).
    let lines: Vec<&str> = req.headers().get_all(header::IF_NONE_MATCH).filter_map(|v| v.to_str().ok()).collect();
    let wanted = (!lines.is_empty()).then(|| lines.join(","));
    let res = next.call(req).await?;
    let json = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(';').next().is_some_and(|t| t.trim().eq_ignore_ascii_case("application/json")));
    // Only a body already whole and of known size: a stream is never buffered.
    let whole = matches!(res.response().body().size(), BodySize::Sized(n) if n <= MAX_TAGGED_BYTES);
    if !get || res.status() != StatusCode::OK || !json || !whole {
        return Ok(res.map_into_boxed_body());
    }
    let (req, res) = res.into_parts();
    let (mut head, body) = res.into_parts();
    let bytes = actix_web::body::to_bytes(body)
        .await
        .map_err(|e| crate::error::ApiError::Internal(anyhow::anyhow!("reading a response body: {}", e.into())))?;
    let tag = tag_of(&bytes);
    let value = header::HeaderValue::from_str(&tag).expect("base64url in quotes is a valid header value");
    if wanted.is_some_and(|w| none_match_names(&w, &tag)) {
        let mut not_modified = HttpResponse::NotModified();
        for (name, value) in head.headers() {
            if name != header::CONTENT_TYPE && name != header::CONTENT_LENGTH {
                not_modified.append_header((name.clone(), value.clone()));
            }
        }
        not_modified.insert_header((header::ETAG, value));
        return Ok(ServiceResponse::new(req, not_modified.finish()));
    }
    head.headers_mut().insert(header::ETAG, value);
    Ok(ServiceResponse::new(req, head.set_body(BoxBody::new(bytes))))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn if_match_compares_strongly_and_takes_lists_and_a_star() {
        let tag = tag_of(b"{}");
        assert!(match_names(&tag, &tag));
        assert!(match_names(&format!("\"other\", {tag}"), &tag));
        assert!(match_names("*", &tag));
        assert!(!match_names(&format!("W/{tag}"), &tag), "a weak tag never matches a write");
        assert!(!match_names("\"other\"", &tag));
    }

    #[test]
    fn if_none_match_compares_weakly_and_takes_lists_and_a_star() {
        let tag = tag_of(b"{}");
        assert!(none_match_names(&tag, &tag));
        assert!(none_match_names(&format!("\"other\", W/{tag}"), &tag));
        assert!(none_match_names("*", &tag));
        assert!(!none_match_names("\"other\"", &tag));
        assert!(!none_match_names("", &tag));
    }

    #[test]
    fn a_tag_changes_with_every_byte() {
        assert_ne!(tag_of(b"{\"a\":1}"), tag_of(b"{\"a\":2}"));
        assert_eq!(tag_of(b"x").len(), 24, "22 characters of base64url and two quotes");
    }
}
