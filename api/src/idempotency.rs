//! `Idempotency-Key` on POST (draft-ietf-httpapi-idempotency-key-header): a caller who sends
//! one gets, for a day, the first answer to it again instead of the thing done twice — a retry
//! after a lost answer creates one invoice, not two. The key is the caller's own (an API key's
//! or a user's), and is bound to the request it came with: the same key with another method,
//! path or body is a 422; while the first request is still being answered, a 409.
//!
//! Only successful answers are kept: a refusal changed nothing, so its retry runs afresh. The
//! answers that carry a secret shown once (a new API key, a new webhook endpoint) are not kept
//! at all, and neither are sign-in's, which no bearer identifies.
use std::{
    pin::Pin,
    sync::{Arc, Mutex},
    task::{Context, Poll},
};

use actix_web::{
    HttpResponse,
    body::{BodySize, BoxBody, MessageBody},
    dev::{Payload, ServiceRequest, ServiceResponse},
    error::PayloadError,
    http::{Method, StatusCode, header},
    middleware::Next,
    web::{self, Bytes},
};
use chrono::Utc;
use futures_util::{Stream, StreamExt};
use sha2::{Digest, Sha256};

use crate::{
    auth::tokens,
    domain::Change,
    entities::{api_key::SECRET_PREFIX, idempotency_key},
    error::ApiError,
    services::idempotency::{self as store, Answer, Found},
    state::AppState,
};

const HEADER: &str = "idempotency-key";
/// Bodies up to this size (of a stated length) are read whole before the request runs, and
/// answers up to it are kept; a larger upload is hashed as it streams through to its handler.
const SMALL: usize = 1 << 20;

/// POSTs whose answers are never kept: they show a secret once (a new API key, a new webhook
/// endpoint's signing secret, a TOTP secret, recovery codes) or hand out a token for one use (a
/// stream ticket, a download link), which a replay would give again — and a kept answer would
/// be that secret stored as it is.
pub fn kept(path: &str) -> bool {
    let never = ["/api/v1/api-keys", "/api/v1/webhooks", "/api/v1/events/ticket"];
    !(path.starts_with("/api/v1/auth/")
        || path.starts_with("/api/v1/me/two-factor/")
        || never.contains(&path)
        || (path.starts_with("/api/v1/files/") && path.ends_with("/links")))
}

pub async fn idempotent(
    mut req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let sent = req.headers().get(HEADER).cloned();
    let state = req.app_data::<web::Data<AppState>>().cloned();
    let (Some(sent), Some(state), true) = (sent, state, req.method() == Method::POST) else {
        return Ok(next.call(req).await?.map_into_boxed_body());
    };
    // Refusals are answered here (not raised), so they pass the hardening middleware like any
    // other problem.
    macro_rules! refuse {
        ($err:expr) => {
            return Ok(req.error_response(actix_web::Error::from($err)))
        };
    }
    let key = sent.to_str().ok().filter(|k| (1..=255).contains(&k.len()) && k.bytes().all(|b| b.is_ascii_graphic()));
    let Some(key) = key.map(str::to_owned) else {
        refuse!(ApiError::BadRequest(crate::problem!("http-idempotency-key-invalid")));
    };
    let Some(caller) = caller(&req, &state) else {
        return Ok(next.call(req).await?.map_into_boxed_body());
    };
    let id = tokens::hash(&format!("{caller}\n{key}"));
    let mut fingerprint = Sha256::new();
    fingerprint.update(format!("{} {}\n", req.method(), req.uri()));
    let now = Utc::now();
    let found = match Change::run(&state, None, async |c| Ok(store::find(c.db(), &id, now).await?)).await {
        Ok(found) => found,
        Err(err) => refuse!(err),
    };
    if !matches!(found, Found::Nothing) {
        // Answered without its handler: the caller is checked as the handler would check them
        // (a revoked key or a signed-out user gets its 401; a key's request is counted).
        if let Err(err) = crate::extract::caller_of_replay(req.request()).await {
            refuse!(err);
        }
    }
    match found {
        Found::UnderWay => refuse!(under_way()),
        Found::Answered(first) => {
            let payload = take_payload(&mut req);
            let limit = first.hashed_bytes.and_then(|n| u64::try_from(n).ok());
            let hash = match drain(payload, fingerprint, limit).await {
                Ok(hash) => hash,
                Err(err) => refuse!(err),
            };
            if first.request_hash.as_deref() != Some(hash.as_str()) {
                refuse!(ApiError::field("Idempotency-Key", crate::problem!("http-idempotency-key-reused")));
            }
            Ok(req.into_response(replay(first)))
        }
        Found::Nothing => {
            let mut claim = Claim::new(state.clone(), id);
            let (id, token) = (claim.id.clone(), claim.token.clone());
            match Change::run(&state, None, async |c| Ok(store::claim(c.db(), &id, &token, now).await?)).await {
                Ok(true) => claim.armed = true,
                Ok(false) => refuse!(under_way()),
                Err(err) => refuse!(err),
            }
            let hashing = match prepare(&mut req, fingerprint).await {
                Ok(hashing) => hashing,
                Err(err) => refuse!(err),
            };
            let res = next.call(req).await?;
            keep(&state, claim, hashing, res).await
        }
    }
}

/// A request's hold on its key. Dropped while still armed — the request failed, was
/// cancelled (a reset connection) or its answer could not be kept — it gives the key up, so a
/// retry runs afresh instead of waiting out the abandonment window. (One cut off by the
/// server's own shutdown keeps it until that window has passed: the runtime is gone.)
struct Claim {
    state: web::Data<AppState>,
    id: String,
    token: String,
    armed: bool,
}

impl Claim {
    fn new(state: web::Data<AppState>, id: String) -> Self {
        Self { state, id, token: tokens::generate(), armed: false }
    }

    /// Gives the key up now, before the answer leaves: the caller's very next retry runs.
    async fn give_up(&mut self) {
        self.armed = !release(&self.state, self.id.clone(), self.token.clone()).await;
    }
}

/// Gives a claimed key up; `false` (logged) when that could not be written.
async fn release(state: &AppState, id: String, token: String) -> bool {
    match Change::run(state, None, async |c| Ok(store::release(c.db(), &id, &token).await?)).await {
        Ok(()) => true,
        Err(err) => {
            tracing::warn!(error = %err, "could not release an Idempotency-Key");
            false
        }
    }
}

impl Drop for Claim {
    fn drop(&mut self) {
        if !self.armed {
            return;
        }
        let (state, id, token) = (self.state.clone(), self.id.clone(), self.token.clone());
        actix_web::rt::spawn(async move {
            release(&state, id, token).await;
        });
    }
}

fn under_way() -> ApiError {
    ApiError::Conflict(crate::problem!("http-idempotency-under-way"))
}

/// Whose key it is: an API key's (by its secret's hash) or a user's (and a View-as staff
/// member's), from the bearer token. `None`: not a request whose answer is kept.
fn caller(req: &ServiceRequest, state: &AppState) -> Option<String> {
    // The path as the router sees it (percent-decoded), so no spelling of it slips past `kept`.
    if !kept(req.match_info().as_str()) {
        return None;
    }
    let value = req.headers().get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("bearer") {
        return None;
    }
    let token = token.trim();
    if token.starts_with(SECRET_PREFIX) {
        return Some(format!("key:{}", tokens::hash(token)));
    }
    // A token that does not verify is the handler's to refuse (401); nothing is kept for it.
    let claims = state.jwt.verify(token).ok()?;
    Some(match claims.act {
        Some(staff) => format!("user:{}:as:{}", claims.sub, staff.sub),
        None => format!("user:{}", claims.sub),
    })
}

fn take_payload(req: &mut ServiceRequest) -> Payload {
    std::mem::replace(req.parts_mut().1, Payload::None)
}

/// The request's hash, read to its end, or over its first `limit` bytes (what the first
/// request's handler read); its content is not kept.
async fn drain(mut payload: Payload, mut fingerprint: Sha256, limit: Option<u64>) -> Result<String, actix_web::Error> {
    // What cannot be the first request's hash: this request is another.
    const ANOTHER: &str = "";
    let mut read = 0u64;
    while let Some(chunk) = payload.next().await {
        let chunk = chunk.map_err(unreadable)?;
        let take = match limit {
            Some(limit) => usize::try_from(limit.saturating_sub(read)).unwrap_or(usize::MAX).min(chunk.len()),
            None => chunk.len(),
        };
        fingerprint.update(&chunk[..take]);
        read += chunk.len() as u64;
    }
    if limit.is_some_and(|limit| read < limit) {
        // Shorter than what the first request's handler read.
        return Ok(ANOTHER.into());
    }
    Ok(hex::encode(fingerprint.finalize()))
}

fn unreadable(_: PayloadError) -> actix_web::Error {
    ApiError::BadRequest(crate::problem!("body-unreadable")).into()
}

/// How the request's hash is being taken.
enum Hashing {
    /// A small body, read whole and handed on: its hash is known.
    Done(String),
    /// A large one, hashed as its handler reads it.
    Streaming(Arc<Mutex<Streamed>>),
}

/// What of a large body has passed to its handler.
#[derive(Clone)]
struct Streamed {
    fingerprint: Sha256,
    read: u64,
    /// The handler read it to its end: a retry must match it whole, not just its start.
    ended: bool,
}

async fn prepare(req: &mut ServiceRequest, mut fingerprint: Sha256) -> Result<Hashing, actix_web::Error> {
    let length =
        req.headers().get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()).and_then(|v| v.parse::<usize>().ok());
    let mut payload = take_payload(req);
    if length.is_some_and(|n| n <= SMALL) {
        let mut body = web::BytesMut::new();
        while let Some(chunk) = payload.next().await {
            let chunk = chunk.map_err(unreadable)?;
            if body.len() + chunk.len() > SMALL {
                return Err(ApiError::PayloadTooLarge.into());
            }
            body.extend_from_slice(&chunk);
        }
        fingerprint.update(&body);
        req.set_payload(Payload::from(body.freeze()));
        return Ok(Hashing::Done(hex::encode(fingerprint.finalize())));
    }
    let hasher = Arc::new(Mutex::new(Streamed { fingerprint, read: 0, ended: false }));
    let stream: Pin<Box<dyn Stream<Item = Result<Bytes, PayloadError>>>> =
        Box::pin(HashingStream { inner: Box::pin(payload), hasher: hasher.clone() });
    req.set_payload(Payload::from(stream));
    Ok(Hashing::Streaming(hasher))
}

struct HashingStream {
    inner: Pin<Box<Payload>>,
    hasher: Arc<Mutex<Streamed>>,
}

impl Stream for HashingStream {
    type Item = Result<Bytes, PayloadError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let polled = self.inner.as_mut().poll_next(cx);
        match &polled {
            Poll::Ready(Some(Ok(bytes))) => {
                let mut hasher = self.hasher.lock().expect("request hasher");
                hasher.fingerprint.update(bytes);
                hasher.read += bytes.len() as u64;
            }
            Poll::Ready(None) => self.hasher.lock().expect("request hasher").ended = true,
            _ => {}
        }
        polled
    }
}

/// Keeps a successful answer of known, modest size for the key, and hands it on; anything
/// else gives the key up (the claim's drop), so a retry runs afresh.
async fn keep<B: MessageBody + 'static>(
    state: &AppState,
    mut claim: Claim,
    hashing: Hashing,
    res: ServiceResponse<B>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let size = res.response().body().size();
    let small = matches!(size, BodySize::Sized(n) if n <= SMALL as u64) || matches!(size, BodySize::None);
    if !res.status().is_success() || !small {
        claim.give_up().await;
        return Ok(res.map_into_boxed_body());
    }
    let (req, res) = res.into_parts();
    let (res, body) = res.into_parts();
    let bytes = actix_web::body::to_bytes(body)
        .await
        .map_err(|_| actix_web::Error::from(ApiError::Internal(anyhow::anyhow!("an answer could not be read"))))?;
    let (request_hash, hashed_bytes) = match hashing {
        Hashing::Done(hash) => (hash, None),
        Hashing::Streaming(hasher) => {
            let streamed = hasher.lock().expect("request hasher").clone();
            let read = if streamed.ended { None } else { i64::try_from(streamed.read).ok() };
            (hex::encode(streamed.fingerprint.finalize()), read)
        }
    };
    let text = |name: header::HeaderName| res.headers().get(name).and_then(|v| v.to_str().ok()).map(str::to_owned);
    let answer = Answer {
        request_hash,
        hashed_bytes,
        status: res.status().as_u16(),
        content_type: text(header::CONTENT_TYPE).filter(|t| t.len() <= 200),
        location: text(header::LOCATION).filter(|l| l.len() <= 2000),
        body: bytes.to_vec(),
    };
    let (id, token) = (claim.id.clone(), claim.token.clone());
    match Change::run(state, None, async |c| Ok(store::complete(c.db(), &id, &token, answer).await?)).await {
        Ok(()) => claim.armed = false,
        // The thing is done; only its replay is lost (and the key given up), so a retry would
        // do it again.
        Err(err) => tracing::warn!(error = %err, "could not keep an answer for its Idempotency-Key"),
    }
    Ok(ServiceResponse::new(req, res.set_body(bytes).map_into_boxed_body()))
}

/// The first answer, again, marked as a replay.
fn replay(first: idempotency_key::Model) -> HttpResponse {
    let status = first.status.and_then(|s| StatusCode::from_u16(s as u16).ok()).unwrap_or(StatusCode::OK);
    let mut res = HttpResponse::build(status);
    res.insert_header(("Idempotent-Replayed", "true"));
    if let Some(t) = first.content_type {
        res.insert_header((header::CONTENT_TYPE, t));
    }
    if let Some(l) = first.location {
        res.insert_header((header::LOCATION, l));
    }
    res.body(first.body.unwrap_or_default())
}
