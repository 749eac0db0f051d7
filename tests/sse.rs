//! A Server-Sent Events reader for the tests: opens `/api/v1/events` the way the SPA does
//! (ticket first) and yields frames as they arrive.
use std::time::Duration;

use serde_json::Value;

use crate::TestApp;

#[derive(Debug, Clone)]
pub struct Frame {
    pub id: Option<i64>,
    pub event: Option<String>,
    pub data: Value,
    /// `: comment` lines (heartbeats).
    pub comments: Vec<String>,
}

pub struct EventStream {
    res: reqwest::Response,
    buf: String,
    pub ended: bool,
}

impl TestApp {
    /// Opens the event stream for `token` (via a ticket), optionally replaying after `last_event_id`.
    pub async fn open_stream(&self, token: &str, last_event_id: Option<i64>) -> Result<EventStream, crate::Res> {
        EventStream::open(&self.http, &self.base, token, last_event_id).await
    }

    /// Every event `token`'s reader may receive, from the first: replays after replays (each
    /// is capped, and then ends in `resync`) until one brings nothing new.
    pub async fn replay_all(&self, token: &str) -> Vec<Frame> {
        let mut all: Vec<Frame> = Vec::new();
        loop {
            let after = all.last().and_then(|f| f.id).unwrap_or(0);
            let mut stream = self.open_stream(token, Some(after)).await.expect("a replay");
            let more: Vec<Frame> =
                stream.drain(Duration::from_millis(1500)).await.into_iter().filter(|f| f.id.is_some()).collect();
            if more.is_empty() {
                return all;
            }
            all.extend(more);
        }
    }

    pub async fn stream_url(&self, url: &str) -> Result<EventStream, crate::Res> {
        EventStream::at(&self.http, url).await
    }
}

impl EventStream {
    /// Opens the event stream of the server at `base` for `token`, the way the SPA does.
    pub async fn open(
        http: &reqwest::Client,
        base: &str,
        token: &str,
        last_event_id: Option<i64>,
    ) -> Result<EventStream, crate::Res> {
        let res = http
            .post(format!("{base}/api/v1/events/ticket"))
            .bearer_auth(token)
            .json(&serde_json::json!({}))
            .send()
            .await
            .expect("ticket request");
        let ticket = crate::read_response(res).await;
        if ticket.status != 200 {
            return Err(ticket);
        }
        let mut url = format!("{base}/api/v1/events?ticket={}", ticket.body["ticket"].as_str().unwrap());
        if let Some(id) = last_event_id {
            url.push_str(&format!("&last_event_id={id}"));
        }
        Self::at(http, &url).await
    }

    pub async fn at(http: &reqwest::Client, url: &str) -> Result<EventStream, crate::Res> {
        let res = http.get(url).send().await.expect("stream request");
        if res.status() != 200 {
            return Err(crate::read_response(res).await);
        }
        assert!(res.headers()["content-type"].to_str().unwrap().starts_with("text/event-stream"));
        let mut stream = EventStream { res, buf: String::new(), ended: false };
        let hello = stream.next_frame(Duration::from_secs(5)).await.expect("the stream greets");
        assert!(hello.comments.iter().any(|c| c == "connected"), "{hello:?}");
        Ok(stream)
    }
}

impl EventStream {
    /// The next frame within `wait`, or `None` (timeout or end of stream).
    pub async fn next_frame(&mut self, wait: Duration) -> Option<Frame> {
        let deadline = tokio::time::Instant::now() + wait;
        loop {
            if let Some(end) = self.buf.find("\n\n") {
                let raw: String = self.buf.drain(..end + 2).collect();
                return Some(parse(&raw));
            }
            match tokio::time::timeout_at(deadline, self.res.chunk()).await {
                Ok(Ok(Some(bytes))) => self.buf.push_str(&String::from_utf8_lossy(&bytes)),
                Ok(_) => {
                    self.ended = true;
                    return None;
                }
                Err(_) => return None,
            }
        }
    }

    /// The next frame that is an event (skipping heartbeats).
    pub async fn next_event(&mut self, wait: Duration) -> Option<Frame> {
        let deadline = tokio::time::Instant::now() + wait;
        loop {
            let left = deadline.saturating_duration_since(tokio::time::Instant::now());
            let frame = self.next_frame(left).await?;
            if frame.event.is_some() {
                return Some(frame);
            }
        }
    }

    /// The next event of `kind`, skipping others.
    pub async fn next_of(&mut self, kind: &str, wait: Duration) -> Option<Frame> {
        let deadline = tokio::time::Instant::now() + wait;
        loop {
            let frame = self.next_event(deadline.saturating_duration_since(tokio::time::Instant::now())).await?;
            if frame.event.as_deref() == Some(kind) {
                return Some(frame);
            }
        }
    }

    /// Every event that arrives within `wait`.
    pub async fn drain(&mut self, wait: Duration) -> Vec<Frame> {
        let deadline = tokio::time::Instant::now() + wait;
        let mut out = Vec::new();
        while let Some(f) = self.next_event(deadline.saturating_duration_since(tokio::time::Instant::now())).await {
            out.push(f);
        }
        out
    }
}

fn parse(raw: &str) -> Frame {
    let mut frame = Frame { id: None, event: None, data: Value::Null, comments: Vec::new() };
    for line in raw.lines() {
        if let Some(c) = line.strip_prefix(": ") {
            frame.comments.push(c.to_owned());
        } else if let Some(v) = line.strip_prefix("id: ") {
            frame.id = v.parse().ok();
        } else if let Some(v) = line.strip_prefix("event: ") {
            frame.event = Some(v.to_owned());
        } else if let Some(v) = line.strip_prefix("data: ") {
            frame.data = serde_json::from_str(v).unwrap_or(Value::String(v.to_owned()));
        }
    }
    frame
}
