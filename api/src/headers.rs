//! Browser hardening on every response: what the page may load and run (a Content-Security-Policy
//! without inline scripts), that it may not be framed, that types are not sniffed, that no
//! referrer leaves the portal, that API answers (tokens, clients' data) are never stored by a
//! cache, and HSTS when the portal is served over TLS.
use actix_web::{
    HttpResponse,
    body::MessageBody,
    dev::{ServiceRequest, ServiceResponse},
    http::header::{self, ContentDisposition, DispositionParam, DispositionType, HeaderName, HeaderValue},
    middleware::Next,
};

/// The SPA and the API: scripts, styles and connections only from the portal itself (React sets
/// styles through the CSSOM, which `style-src` does not govern); images also from `https:` (an
/// agency's logo) and `data:`.
const PORTAL_CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' https: data:; \
    connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
/// The interactive API docs (Swagger UI) style some elements inline.
const DOCS_CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; \
    img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";
const HSTS: &str = "max-age=31536000; includeSubDomains";

/// An API key's rate on every answer to a request made with one, its 429 included:
/// `RateLimit-Policy` (the quota and window) and `RateLimit` (what is left, and in how many
/// seconds it is whole again), as draft-ietf-httpapi-ratelimit-headers writes them.
pub async fn rate_limits(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let mut res = next.call(req).await?;
    let quota = actix_web::HttpMessage::extensions(res.request()).get::<crate::services::throttle::Quota>().copied();
    if let Some(quota) = quota {
        let headers = res.headers_mut();
        for (name, value) in [("ratelimit-policy", quota.policy()), ("ratelimit", quota.state())] {
            if let Ok(value) = HeaderValue::from_str(&value) {
                headers.insert(HeaderName::from_static(name), value);
            }
        }
    }
    Ok(res)
}

pub async fn harden(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let path = req.path().to_owned();
    let tls = req
        .app_data::<actix_web::web::Data<crate::state::AppState>>()
        .is_some_and(|s| s.settings.public_url.starts_with("https://"));
    let mut res = next.call(req).await?;
    let headers = res.headers_mut();
    let mut set = |name: HeaderName, value: &'static str| {
        if !headers.contains_key(&name) {
            headers.insert(name, HeaderValue::from_static(value));
        }
    };
    let csp = if path.starts_with("/api/docs") { DOCS_CSP } else { PORTAL_CSP };
    set(header::CONTENT_SECURITY_POLICY, csp);
    set(header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    set(header::X_FRAME_OPTIONS, "DENY");
    set(header::REFERRER_POLICY, "no-referrer");
    if path.starts_with("/api/") && !path.starts_with("/api/docs") {
        set(header::CACHE_CONTROL, "no-store");
    }
    if tls {
        set(header::STRICT_TRANSPORT_SECURITY, HSTS);
    }
    Ok(res)
}

/// `attachment` (or `inline`) with the name as ASCII and, when it is not, as RFC 5987 UTF-8.
pub fn disposition(name: &str, inline: bool) -> ContentDisposition {
    let ascii: String = name.chars().map(|c| if c.is_ascii() && !c.is_ascii_control() { c } else { '_' }).collect();
    let mut parameters = vec![DispositionParam::Filename(ascii)];
    if !name.is_ascii() {
        parameters.push(DispositionParam::FilenameExt(header::ExtendedValue {
            charset: header::Charset::Ext("UTF-8".into()),
            language_tag: None,
            value: name.as_bytes().to_vec(),
        }));
    }
    ContentDisposition {
        disposition: if inline { DispositionType::Inline } else { DispositionType::Attachment },
        parameters,
    }
}

/// A document the server made (an invoice's or a statement's PDF), to save under `name`; never
/// kept by a cache, as it is one account's.
pub fn pdf(bytes: Vec<u8>, name: &str) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("application/pdf")
        .insert_header(disposition(name, false))
        .insert_header((header::CACHE_CONTROL, "private, no-store"))
        .body(bytes)
}
