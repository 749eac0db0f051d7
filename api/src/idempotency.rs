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
/// Bodies up to this size are read whole before the request runs (and answers up to it are
/// kept); a larger upload is hashed as it streams through to its handler.
const SMALL: usize = 1 << 20;
/// POSTs whose answers are never kept: they show a secret once.
const NOT_KEPT: &[&str] = &["/api/v1/api-keys", "/api/v1/webhooks"];

pub async fn idempotent(
    mut req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let sent = req.headers().get(HEADER).cloned();
    let state = req.app_data::<web::Data<AppState>>().cloned();
    let (Some(sent), Some(state), true) = (sent, state, req.method() == Method::POST) else {
        return Ok(next.call(req).await?.map_into_boxed_body());
    };
    let key = sent.to_str().ok().filter(|k| (1..=255).contains(&k.len()) && k.bytes().all(|b| b.is_ascii_graphic()));
    let Some(key) = key else {
        return Err(ApiError::BadRequest("`Idempotency-Key` must be 1 to 255 visible ASCII characters.".into()).into());
    };
    let Some(caller) = caller(&req, &state) else {
        return Ok(next.call(req).await?.map_into_boxed_body());
    };
    let id = tokens::hash(&format!("{caller}\n{key}"));
    let mut fingerprint = Sha256::new();
    fingerprint.update(format!("{} {}\n", req.method(), req.uri()));
    let now = Utc::now();
    match Change::run(&state, None, async |c| Ok(store::find(c.db(), &id, now).await?)).await? {
        Found::UnderWay => Err(under_way().into()),
        Found::Answered(first) => {
            let payload = take_payload(&mut req);
            let hash = drain(payload, fingerprint).await?;
            if first.request_hash.as_deref() != Some(hash.as_str()) {
                return Err(ApiError::field(
                    "Idempotency-Key",
                    "was sent in the last 24 hours with another request; use a new key for a new request",
                )
                .into());
            }
            Ok(req.into_response(replay(first)))
        }
        Found::Nothing => {
            if !Change::run(&state, None, async |c| Ok(store::claim(c.db(), &id, now).await?)).await? {
                return Err(under_way().into());
            }
            let hashing = match prepare(&mut req, fingerprint).await {
                Ok(hashing) => hashing,
                Err(err) => {
                    release(&state, &id).await;
                    return Err(err);
                }
            };
            let res = match next.call(req).await {
                Ok(res) => res,
                Err(err) => {
                    release(&state, &id).await;
                    return Err(err);
                }
            };
            keep(&state, &id, hashing, res).await
        }
    }
}

fn under_way() -> ApiError {
    ApiError::Conflict("A request with this Idempotency-Key is still being answered; retry in a moment.".into())
}

/// Whose key it is: an API key's (by its secret's hash) or a user's (and a View-as staff
/// member's), from the bearer token. `None`: not a request whose answer is kept.
fn caller(req: &ServiceRequest, state: &AppState) -> Option<String> {
    let path = req.path();
    if path.starts_with("/api/v1/auth/") || NOT_KEPT.contains(&path) {
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

/// The request's hash, read to its end (its content is not kept).
async fn drain(mut payload: Payload, mut fingerprint: Sha256) -> Result<String, actix_web::Error> {
    while let Some(chunk) = payload.next().await {
        fingerprint.update(chunk.map_err(unreadable)?);
    }
    Ok(hex::encode(fingerprint.finalize()))
}

fn unreadable(_: PayloadError) -> actix_web::Error {
    ApiError::BadRequest("The request body could not be read.".into()).into()
}

/// How the request's hash is being taken.
enum Hashing {
    /// A small body, read whole and handed on: its hash is known.
    Done(String),
    /// A large one, hashed as its handler reads it.
    Streaming(Arc<Mutex<Sha256>>),
}

async fn prepare(req: &mut ServiceRequest, mut fingerprint: Sha256) -> Result<Hashing, actix_web::Error> {
    let length =
        req.headers().get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()).and_then(|v| v.parse::<usize>().ok());
    let chunked = req.headers().contains_key(header::TRANSFER_ENCODING);
    let mut payload = take_payload(req);
    if length.is_some_and(|n| n <= SMALL) || (length.is_none() && !chunked) {
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
    let hasher = Arc::new(Mutex::new(fingerprint));
    let stream: Pin<Box<dyn Stream<Item = Result<Bytes, PayloadError>>>> =
        Box::pin(HashingStream { inner: Box::pin(payload), hasher: hasher.clone() });
    req.set_payload(Payload::from(stream));
    Ok(Hashing::Streaming(hasher))
}

struct HashingStream {
    inner: Pin<Box<Payload>>,
    hasher: Arc<Mutex<Sha256>>,
}

impl Stream for HashingStream {
    type Item = Result<Bytes, PayloadError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let polled = self.inner.as_mut().poll_next(cx);
        if let Poll::Ready(Some(Ok(bytes))) = &polled {
            self.hasher.lock().expect("request hasher").update(bytes);
        }
        polled
    }
}

/// Keeps a successful answer of known, modest size for the key, and hands it on; anything
/// else releases the key, so a retry runs afresh.
async fn keep<B: MessageBody + 'static>(
    state: &AppState,
    id: &str,
    hashing: Hashing,
    res: ServiceResponse<B>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let small = matches!(res.response().body().size(), BodySize::Sized(n) if n <= SMALL as u64)
        || matches!(res.response().body().size(), BodySize::None);
    if !res.status().is_success() || !small {
        release(state, id).await;
        return Ok(res.map_into_boxed_body());
    }
    let (req, res) = res.into_parts();
    let (res, body) = res.into_parts();
    let bytes = actix_web::body::to_bytes(body)
        .await
        .map_err(|_| actix_web::Error::from(ApiError::Internal(anyhow::anyhow!("an answer could not be read"))))?;
    let request_hash = match hashing {
        Hashing::Done(hash) => hash,
        Hashing::Streaming(hasher) => hex::encode(hasher.lock().expect("request hasher").clone().finalize()),
    };
    let text = |name: header::HeaderName| res.headers().get(name).and_then(|v| v.to_str().ok()).map(str::to_owned);
    let answer = Answer {
        request_hash,
        status: res.status().as_u16(),
        content_type: text(header::CONTENT_TYPE),
        location: text(header::LOCATION),
        body: bytes.to_vec(),
    };
    if let Err(err) = Change::run(state, None, async |c| Ok(store::complete(c.db(), id, answer).await?)).await {
        // The thing is done; only its replay is lost, so a retry would do it again.
        tracing::warn!(error = %err, "could not keep an answer for its Idempotency-Key");
    }
    Ok(ServiceResponse::new(req, res.set_body(bytes).map_into_boxed_body()))
}

async fn release(state: &AppState, id: &str) {
    if let Err(err) = Change::run(state, None, async |c| Ok(store::release(c.db(), id).await?)).await {
        tracing::warn!(error = %err, "could not release an Idempotency-Key");
    }
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
