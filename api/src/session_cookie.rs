//! The browser session: the SPA keeps its refresh token in an `HttpOnly; SameSite=Strict`
//! cookie scoped to `/api/v1/auth`, so no script on the page — an injected one included — can
//! read it. The SPA asks for it with `X-Portico-Session: cookie` on login, invitation accept
//! and refresh; without that header the token travels in the JSON body, as integrators use it.
//!
//! CSRF: the cookie is sent only on same-site requests (`SameSite=Strict`), and it is honoured
//! only with the custom header, which a cross-site form or image cannot send and a cross-site
//! script could send only after a CORS preflight this server never grants.
use actix_web::{
    HttpRequest, HttpResponse,
    cookie::{Cookie, SameSite, time::Duration as CookieDuration},
};

use crate::{config::Settings, domain::sessions::TokenResponse, error::ApiError};

pub const COOKIE: &str = "portico_refresh";
pub const HEADER: &str = "x-portico-session";
const PATH: &str = "/api/v1/auth";

/// Whether the caller is the SPA asking for the browser session.
pub fn wanted(req: &HttpRequest) -> bool {
    req.headers().get(HEADER).and_then(|v| v.to_str().ok()).is_some_and(|v| v.eq_ignore_ascii_case("cookie"))
}

/// The refresh token of this request: the body's, or else the cookie's — the latter only with
/// the header (403 without: a request the SPA did not make).
pub fn presented(req: &HttpRequest, body: Option<String>) -> Result<Option<String>, ApiError> {
    if body.is_some() {
        return Ok(body);
    }
    let Some(cookie) = req.cookie(COOKIE) else { return Ok(None) };
    if !wanted(req) {
        return Err(ApiError::Forbidden(crate::problem!("http-session-cookie-needs-header", header = HEADER)));
    }
    Ok(Some(cookie.value().to_owned()))
}

fn cookie(settings: &Settings, value: String, max_age_secs: i64) -> Cookie<'static> {
    Cookie::build(COOKIE, value)
        .path(PATH)
        .http_only(true)
        .same_site(SameSite::Strict)
        // Served over https, never sent over plain http; a development server on http needs it sent.
        .secure(settings.public_url.starts_with("https://"))
        .max_age(CookieDuration::seconds(max_age_secs.max(0)))
        .finish()
}

/// Answers a login, accept or refresh: with the browser session, the refresh token moves from
/// the body into the cookie.
pub fn respond(req: &HttpRequest, settings: &Settings, mut tokens: TokenResponse) -> HttpResponse {
    let mut res = HttpResponse::Ok();
    if wanted(req)
        && let Some(refresh) = tokens.refresh_token.take()
    {
        res.cookie(cookie(settings, refresh, tokens.refresh_expires_in));
    }
    res.json(tokens)
}

/// Clears the cookie (logout, or a refresh that failed: the login is over either way).
pub fn cleared(settings: &Settings, mut res: HttpResponse) -> HttpResponse {
    let _ = res.add_removal_cookie(&cookie(settings, String::new(), 0));
    res
}

/// The browser session's header.
#[derive(serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Header)]
pub struct SessionHeader {
    /// `cookie`: the refresh token travels in the `HttpOnly` `portico_refresh` cookie (the SPA).
    #[serde(rename = "X-Portico-Session")]
    #[param(rename = "X-Portico-Session")]
    pub session: Option<String>,
}
