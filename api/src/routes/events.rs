//! `GET /events`: the live-update stream (Server-Sent Events).
//!
//! Browsers' EventSource cannot send an Authorization header, and a long-lived token must not
//! travel in a URL, so a stream is opened with a **ticket**: `POST /events/ticket` (with the
//! usual bearer token) returns a random ticket valid for 60 seconds and a single use, which
//! `GET /events?ticket=…` spends. A reconnect asks for a new ticket and passes the last id
//! seen (`Last-Event-ID` header or `last_event_id`) to replay what it missed.
use std::{collections::VecDeque, sync::Arc, time::Duration};

use actix_web::{HttpRequest, web::Bytes};
use chrono::{Duration as ChronoDuration, Utc};
use sea_orm::{QueryOrder, QuerySelect};
use serde::{Deserialize, Serialize};
use tokio::sync::broadcast::{self, error::RecvError};

use super::prelude::*;
use crate::{
    entities::event,
    extract::Reader,
    services::{
        access,
        events::{self, StreamSlot},
        throttle::{self, Limit},
    },
};

use crate::entities::one_time_token::STREAM_TICKET as TICKET;
/// How far back a reconnect may replay.
const REPLAY_WINDOW: ChronoDuration = ChronoDuration::hours(1);
const REPLAY_MAX: u64 = 1000;
/// Asks the reader to re-read everything: it may have missed events.
const RESYNC: &[u8] = b"event: resync\ndata: {}\n\n";

#[derive(Serialize, ToSchema)]
pub struct StreamTicket {
    /// Pass as `ticket` to `GET /api/v1/events` within `expires_in` seconds; it works once.
    pub ticket: String,
    pub expires_in: i64,
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct StreamQuery {
    /// From `POST /api/v1/events/ticket`.
    pub ticket: String,
    /// Replay events after this id (what `Last-Event-ID` carries).
    pub last_event_id: Option<i64>,
}

fn invalid_ticket() -> ApiError {
    ApiError::Unauthorized(crate::problem!("http-stream-ticket-invalid"))
}

/// A single-use ticket to open the event stream.
#[utoipa::path(tag = "live", responses((status = 200, body = StreamTicket)))]
#[post("/events/ticket")]
pub async fn create_stream_ticket(state: State, reader: Reader) -> ApiResult<web::Json<StreamTicket>> {
    let Reader(actor) = reader;
    let ttl = ChronoDuration::seconds(60);
    // Several tabs may each hold a ticket: issue without revoking earlier ones. A View-as
    // session may open a stream too: the ticket records who is viewing.
    let issued = Change::run(&state, Some(&actor), async |c| {
        let per_minute = Limit { max: state.settings.stream_tickets_per_minute, window: ChronoDuration::minutes(1) };
        throttle::reserve(c.db(), &format!("tickets:user:{}", actor.user_id), per_minute).await?;
        let key = actor.key.as_ref().map(|k| k.id);
        Ok(access::issue_ticket(c.db(), TICKET, actor.user_id, actor.viewed_by, key, ttl).await?)
    })
    .await?;
    Ok(web::Json(StreamTicket { ticket: issued.token, expires_in: ttl.num_seconds() }))
}

/// The live-update stream (Server-Sent Events), filtered exactly like the REST reads.
///
/// Each message is `id: <n>`, `event: <kind>` (`task.created`, `task.updated`, `task.deleted`,
/// `comment.created`, `comment.updated`, `comment.deleted`, `note.changed` (staff who read Notes
/// only), `project.updated`, `invoice.sent`, `invoice.paid`, `invoice.updated`,
/// `notification.created`), `data: {ids}`. Comments (`: keep-alive`) are sent while
/// idle. `event: resync` asks the client to re-read everything.
#[utoipa::path(tag = "live", security(()), params(StreamQuery), responses((status = 200, content_type = "text/event-stream", description = "The stream"), (status = 401, body = crate::error::Problem), (status = 429, body = crate::error::Problem)))]
#[get("/events")]
pub async fn stream_events(state: State, req: HttpRequest, query: web::Query<StreamQuery>) -> ApiResult<HttpResponse> {
    let actor = ticket_holder(&state, &query.ticket).await?;
    crate::tenant::name(actor.client_id.filter(|_| actor.is_client()));
    let slot = state
        .events
        .open_stream(actor.user_id, state.settings.max_streams_per_user)
        .ok_or(ApiError::TooManyRequests { retry_after_secs: 5 })?;
    // Subscribe before reading the replay, so nothing falls between the two.
    let live = state.events.subscribe();
    let authz_seen = state.authz.generation();
    let last = req
        .headers()
        .get("last-event-id")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<i64>().ok())
        .or(query.last_event_id);
    let replay = match last {
        Some(after) => replay(&state, &actor, after).await?,
        None => Replay { events: VecDeque::new(), complete: true },
    };
    // A new stream starts now: what was committed before it opened, and is perhaps still on its
    // way through the relay, is not news to it.
    let start = match last {
        Some(after) => after,
        None => events::last_placed(&state.db).await?,
    };
    let stream = Stream::new(state.clone(), actor, authz_seen, live, replay, start, slot);
    Ok(HttpResponse::Ok()
        .content_type("text/event-stream")
        .insert_header(("Cache-Control", "no-cache"))
        .insert_header(("X-Accel-Buffering", "no"))
        .streaming(futures_util::stream::unfold(stream, |mut s| async move {
            s.next().await.map(|bytes| (Ok::<_, actix_web::Error>(bytes), s))
        })))
}

/// Spends the ticket and answers who asked for it, as they are now. A ticket asked for with an
/// API key opens a stream held to that key.
async fn ticket_holder(state: &AppState, ticket: &str) -> ApiResult<Actor> {
    let token =
        Change::run(state, None, async |c| access::redeem(c.db(), TICKET, ticket, invalid_ticket).await).await?;
    match token.api_key_id {
        Some(id) => {
            let key = crate::auth::actor::live_key_by_id(&state.db, id).await?;
            Actor::for_key(&state.authz, &state.db, &key).await
        }
        None => {
            let actor = Actor::for_user(&state.authz, &state.db, token.user_id, token.created_by, None).await?;
            actor.require_enrolled()?;
            Ok(actor)
        }
    }
}

/// What a reconnecting reader missed.
struct Replay {
    events: VecDeque<Arc<event::Model>>,
    /// False when some of it is beyond the replay's window or cap: the reader is told to
    /// re-read everything (`resync`) rather than left with a gap.
    complete: bool,
}

/// What a reconnecting reader missed after `after`, within the replay window, in order.
async fn replay(state: &AppState, actor: &Actor, after: i64) -> ApiResult<Replay> {
    let since = Utc::now() - REPLAY_WINDOW;
    let rows = policy::events(actor)
        .filter(event::Column::Seq.gt(after))
        .filter(event::Column::At.gt(since))
        .order_by_asc(event::Column::Seq)
        .limit(REPLAY_MAX)
        .all(&state.db)
        .await?;
    let mut complete = (rows.len() as u64) < REPLAY_MAX;
    if complete {
        // Has anything of this reader's after `after` already fallen out of the window? Places
        // follow time, so the next one is the oldest. Scoped like the replay itself: whether
        // another account had an event then is none of this reader's business.
        let next: Option<chrono::DateTime<Utc>> = policy::events(actor)
            .select_only()
            .column(event::Column::At)
            .filter(event::Column::Seq.gt(after))
            .order_by_asc(event::Column::Seq)
            .into_tuple()
            .one(&state.db)
            .await?;
        complete = next.is_none_or(|at| at > since);
    }
    let events = rows.into_iter().filter(|e| policy::may_receive(actor, e)).map(Arc::new).collect();
    Ok(Replay { events, complete })
}

struct Stream {
    state: web::Data<AppState>,
    actor: Actor,
    /// The authz generation `actor` was looked up in.
    authz_seen: u64,
    live: broadcast::Receiver<Arc<event::Model>>,
    replay: VecDeque<Arc<event::Model>>,
    /// A `resync` is owed once the replay has been sent.
    resync: bool,
    last_sent: i64,
    heartbeat: tokio::time::Interval,
    greeted: bool,
    _slot: StreamSlot,
}

/// An event's place in commit order: the stream's ids, which a reconnect replays after.
fn place(ev: &event::Model) -> i64 {
    ev.seq.unwrap_or(ev.id)
}

fn frame(ev: &event::Model) -> Bytes {
    Bytes::from(format!("id: {}\nevent: {}\ndata: {}\n\n", place(ev), ev.kind, ev.payload))
}

impl Stream {
    fn new(
        state: web::Data<AppState>,
        actor: Actor,
        authz_seen: u64,
        live: broadcast::Receiver<Arc<event::Model>>,
        replay: Replay,
        last_sent: i64,
        slot: StreamSlot,
    ) -> Self {
        let every = state.settings.event_heartbeat_secs;
        let heartbeat = tokio::time::interval_at(
            tokio::time::Instant::now() + Duration::from_secs(every),
            Duration::from_secs(every.max(1)),
        );
        let resync = !replay.complete;
        Self {
            state,
            actor,
            authz_seen,
            live,
            replay: replay.events,
            resync,
            last_sent,
            heartbeat,
            greeted: false,
            _slot: slot,
        }
    }

    /// Looks the reader up again as they are now. `false`: the stream must end (deactivated,
    /// signed out everywhere, or a View-as whose staff member lost the right); while the
    /// database is away the stream stays, with what it knew.
    async fn refresh_reader(&mut self) -> bool {
        self.authz_seen = self.state.authz.generation();
        match self.actor.current(&self.state.authz, &self.state.db).await {
            Ok(current) => self.actor = current,
            Err(ApiError::Db(_)) => {}
            Err(_) => return false,
        }
        true
    }

    /// The next chunk to send, or `None` to end the stream.
    async fn next(&mut self) -> Option<Bytes> {
        if !self.greeted {
            self.greeted = true;
            return Some(Bytes::from_static(b"retry: 3000\n: connected\n\n"));
        }
        if let Some(ev) = self.replay.pop_front() {
            self.last_sent = place(&ev);
            return Some(frame(&ev));
        }
        if std::mem::take(&mut self.resync) {
            return Some(Bytes::from_static(RESYNC));
        }
        loop {
            tokio::select! {
                received = self.live.recv() => match received {
                    Ok(ev) => {
                        // Someone's role, permissions or session changed since this reader was
                        // looked up: it may have been theirs, so it applies before this event.
                        if self.state.authz.generation() != self.authz_seen && !self.refresh_reader().await {
                            return None;
                        }
                        // The relay sends in commit order: anything at or before the last place
                        // sent came with the replay. Skip that, and anything not for this reader.
                        if place(&ev) <= self.last_sent || !policy::may_receive(&self.actor, &ev) {
                            continue;
                        }
                        self.last_sent = place(&ev);
                        return Some(frame(&ev));
                    }
                    Err(RecvError::Lagged(_)) => return Some(Bytes::from_static(RESYNC)),
                    Err(RecvError::Closed) => return None,
                },
                _ = self.heartbeat.tick() => {
                    // The backstop for a change announced nowhere this instance heard of.
                    if !self.refresh_reader().await {
                        return None;
                    }
                    return Some(Bytes::from_static(b": keep-alive\n\n"));
                }
            }
        }
    }
}

pub fn config(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(create_stream_ticket).service(stream_events);
}
