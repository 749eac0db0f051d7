//! Prometheus metrics at `/metrics`, for operators only: it exists when `PORTICO_METRICS_TOKEN`
//! is set and answers only to that bearer token.
use std::time::Instant;

use actix_web::{
    HttpMessage,
    body::MessageBody,
    dev::{ServiceRequest, ServiceResponse},
    http::header::{HeaderName, HeaderValue},
    middleware::Next,
    web,
};
use prometheus::{Encoder, HistogramOpts, HistogramVec, IntCounterVec, IntGauge, Opts, Registry, TextEncoder};

pub struct Metrics {
    registry: Registry,
    requests: IntCounterVec,
    latency: HistogramVec,
    pool_size: IntGauge,
    pool_idle: IntGauge,
    outbox_pending: IntGauge,
    outbox_failed: IntGauge,
    open_streams: IntGauge,
    password_work: IntCounterVec,
}

impl Metrics {
    pub fn new() -> Self {
        let registry = Registry::new_custom(Some("portico".into()), None).expect("valid registry");
        let requests = IntCounterVec::new(
            Opts::new("http_requests_total", "HTTP requests by route pattern, method and status"),
            &["method", "route", "status"],
        )
        .unwrap();
        let latency = HistogramVec::new(
            HistogramOpts::new("http_request_duration_seconds", "HTTP request latency by route pattern and method")
                .buckets(vec![0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5]),
            &["method", "route"],
        )
        .unwrap();
        let pool_size = IntGauge::new("db_pool_connections", "Open database connections").unwrap();
        let pool_idle = IntGauge::new("db_pool_idle_connections", "Idle database connections").unwrap();
        let outbox_pending = IntGauge::new("outbox_pending", "E-mails waiting to be sent").unwrap();
        let outbox_failed = IntGauge::new("outbox_failed", "E-mails given up on after the last retry").unwrap();
        let open_streams = IntGauge::new("event_streams_open", "Open live-update streams on this instance").unwrap();
        let password_work = IntCounterVec::new(
            Opts::new("password_hash_runs_total", "argon2id runs on this instance since it started (hash, verify)"),
            &["op"],
        )
        .unwrap();
        for c in [
            Box::new(requests.clone()) as Box<dyn prometheus::core::Collector>,
            Box::new(latency.clone()),
            Box::new(pool_size.clone()),
            Box::new(pool_idle.clone()),
            Box::new(outbox_pending.clone()),
            Box::new(outbox_failed.clone()),
            Box::new(open_streams.clone()),
            Box::new(password_work.clone()),
        ] {
            registry.register(c).expect("metric registered once");
        }
        Self {
            registry,
            requests,
            latency,
            pool_size,
            pool_idle,
            outbox_pending,
            outbox_failed,
            open_streams,
            password_work,
        }
    }
}

impl Default for Metrics {
    fn default() -> Self {
        Self::new()
    }
}

/// Counts and times every request by its route pattern (`/api/v1/tasks/{id}`, never the raw
/// path, so ids cannot blow up the label set), and returns the request id to the caller.
pub async fn observe(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let start = Instant::now();
    let metrics = req.app_data::<web::Data<Metrics>>().cloned();
    let mut res = next.call(req).await?;
    let route = res.request().match_pattern().unwrap_or_else(|| "unmatched".into());
    let method = res.request().method().as_str().to_owned();
    if let Some(metrics) = metrics {
        let status = res.status().as_u16().to_string();
        metrics.requests.with_label_values(&[method.as_str(), route.as_str(), status.as_str()]).inc();
        metrics.latency.with_label_values(&[method.as_str(), route.as_str()]).observe(start.elapsed().as_secs_f64());
    }
    let request_id: Option<String> =
        res.request().extensions().get::<tracing_actix_web::RequestId>().map(|id| id.to_string());
    if let Some(id) = request_id.and_then(|id| HeaderValue::from_str(&id).ok()) {
        res.headers_mut().insert(HeaderName::from_static("x-request-id"), id);
    }
    Ok(res)
}

impl Metrics {
    /// The text exposition of every metric, with the gauges read now.
    pub fn render(&self, gauges: Gauges) -> anyhow::Result<Vec<u8>> {
        self.open_streams.set(gauges.open_streams);
        self.pool_size.set(gauges.pool_size);
        self.pool_idle.set(gauges.pool_idle);
        self.outbox_pending.set(gauges.outbox_pending);
        self.outbox_failed.set(gauges.outbox_failed);
        // The counts live with the hasher; the counters catch up with them.
        for (op, runs) in [("hash", gauges.password_runs.0), ("verify", gauges.password_runs.1)] {
            let counter = self.password_work.with_label_values(&[op]);
            counter.inc_by(runs.saturating_sub(counter.get()));
        }
        let mut body = Vec::new();
        TextEncoder::new().encode(&self.registry.gather(), &mut body)?;
        Ok(body)
    }
}

/// What the gauges show, read when `/metrics` is asked for.
pub struct Gauges {
    pub open_streams: i64,
    pub pool_size: i64,
    pub pool_idle: i64,
    pub outbox_pending: i64,
    pub outbox_failed: i64,
    /// argon2id hashes and verifications run so far.
    pub password_runs: (u64, u64),
}
