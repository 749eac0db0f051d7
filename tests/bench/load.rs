//! The load harness: every line of the benchmark against the real server, with 1,000 client
//! tokens rotated per request, and (with `--verify`) a check of every response and event
//! against the client it was made for.
use std::{
    collections::HashMap,
    path::PathBuf,
    sync::{
        Arc, Mutex,
        atomic::{AtomicU64, Ordering},
    },
    time::{Duration, Instant},
};

use hdrhistogram::Histogram;
use portico_blackbox::sse::EventStream;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use reqwest::StatusCode;
use sea_orm::{ConnectionTrait, Database, DatabaseConnection, DbBackend};
use serde_json::{Value, json};
use tokio::sync::mpsc;
use uuid::Uuid;

use crate::{
    Pace, ceiling,
    dataset::{self, Kind, NOTE_MARK, Profile, WHALE, id},
    report::{Line, Report},
    server::{Server, ServerOptions},
};

#[derive(clap::Args)]
pub struct RunArgs {
    #[arg(long, env = "PORTICO_BENCH_DATABASE_URL")]
    database_url: String,
    /// The server binary to measure.
    #[arg(long, default_value = "target/release/portico")]
    server: PathBuf,
    /// Measured seconds per line.
    #[arg(long, default_value_t = 20)]
    duration: u64,
    /// Unmeasured seconds before each line.
    #[arg(long, default_value_t = 3)]
    warmup: u64,
    /// Requests in flight at once.
    #[arg(long, default_value_t = 32)]
    concurrency: usize,
    /// The server's database pool, and pgbench's client count for the ceiling.
    #[arg(long, default_value_t = 10)]
    pool: u32,
    /// A line with a database ceiling alternates with it in this many rounds (each a share of
    /// `--duration`, at least a second), so that the machine's drift over the run weighs on
    /// both alike; its ratio is the median of the rounds' ratios. On these shared 2-core
    /// machines the ceiling alone swings ±15 % within half a minute: 4 rounds of 5 s still gave
    /// round ratios from 0.65 to 1.10 for one build, 10 rounds of 2 s stay within about ±0.1.
    #[arg(long, default_value_t = 10)]
    rounds: u32,
    /// Check every response and event against the client it was for (the smoke mode).
    #[arg(long)]
    verify: bool,
    /// E5: clients with open streams, streams per client, and staff changes measured.
    #[arg(long, default_value_t = 100)]
    stream_clients: u32,
    #[arg(long, default_value_t = 10)]
    streams_per_client: usize,
    #[arg(long, default_value_t = 300)]
    changes: usize,
    /// Only these lines, comma-separated keys: E0,E1,E2,E3,E4,E5,E6,Mix,Whale (ceilings follow
    /// their lines).
    #[arg(long, value_delimiter = ',')]
    only: Vec<String>,
    /// Extra environment for the server, KEY=VALUE (repeatable), for experiments such as
    /// PORTICO_WORKERS=4.
    #[arg(long = "server-env")]
    server_env: Vec<String>,
    /// Also write the report (Markdown) here.
    #[arg(long)]
    markdown: Option<PathBuf>,
}

/// What one line measured.
pub struct Outcome {
    /// Page latency in microseconds (measured window only).
    pub hist: Histogram<u64>,
    pub ok: u64,
    pub non_2xx: u64,
    pub errors: u64,
    pub leaks: Vec<String>,
    /// HTTP requests (or transactions) started in the measured window, after the warm-up: the
    /// denominator of statements per request, which are counted over the same window.
    pub requests: u64,
    /// Pages per second in the measured window.
    pub rate: f64,
    /// Server RSS in KiB during the line: (median, max).
    pub rss: Option<(u64, u64)>,
    /// SQL statements per HTTP request (per transaction for the ceiling).
    pub statements: Option<f64>,
}

impl Outcome {
    fn empty() -> Outcome {
        Outcome {
            hist: Histogram::new_with_bounds(1, 120_000_000, 3).expect("valid bounds"),
            ok: 0,
            non_2xx: 0,
            errors: 0,
            leaks: Vec::new(),
            requests: 0,
            rate: 0.0,
            rss: None,
            statements: None,
        }
    }

    fn merge(&mut self, o: Outcome) {
        self.hist.add(&o.hist).expect("same bounds");
        self.ok += o.ok;
        self.non_2xx += o.non_2xx;
        self.errors += o.errors;
        self.requests += o.requests;
        self.leaks.extend(o.leaks.into_iter().take(20usize.saturating_sub(self.leaks.len())));
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Op {
    Health,
    OpenTasks,
    TaskDetail,
    Invoices,
    StatusUpdate,
    Login,
    /// `METRICS[n]`, asked by a manager.
    Metrics(usize),
}

/// The Metrics area's requests (the dataset's year is 2025): a year and a quarter of every
/// client, and a year of the whale's, which is read from its waits rather than from weeks.
pub const METRICS: [(&str, &str); 7] = [
    ("M1 adoption, 52 weeks", "/metrics/adoption?from=2025-01-06T00:00:00Z&to=2026-01-05T00:00:00Z"),
    ("M2 response times, 12 weeks", "/metrics/responsiveness?from=2025-09-01T00:00:00Z&to=2025-11-24T00:00:00Z"),
    ("M3 response times, 52 weeks", "/metrics/responsiveness?from=2025-01-06T00:00:00Z&to=2026-01-05T00:00:00Z"),
    (
        "M4 whale's response times, 52 weeks",
        "/metrics/responsiveness?client_id=000c0000-0000-8000-8000-000000000000&asked=by_agency&from=2025-01-06T00:00:00Z&to=2026-01-05T00:00:00Z",
    ),
    ("M5 portal vs e-mail, 52 weeks", "/metrics/channels?from=2025-01-06T00:00:00Z&to=2026-01-05T00:00:00Z"),
    ("M6 satisfaction, 52 weeks", "/metrics/satisfaction?from=2025-01-06T00:00:00Z&to=2026-01-05T00:00:00Z"),
    ("M7 awaiting reply", "/metrics/awaiting-replies"),
];

fn metrics_line<const N: usize>(_: u64) -> Op {
    Op::Metrics(N)
}

/// The mix: 60 % E1, 20 % E2, 15 % E3, 5 % E4.
fn mix(i: u64) -> Op {
    match i % 20 {
        0..12 => Op::OpenTasks,
        12..16 => Op::TaskDetail,
        16..19 => Op::Invoices,
        _ => Op::StatusUpdate,
    }
}

struct Ctx {
    base: String,
    http: reqwest::Client,
    kmax: u64,
    client_tokens: Vec<String>,
    staff_tokens: Vec<String>,
    verify: bool,
    /// Tokens from E6's logins, kept for the lines after it.
    minted: Mutex<HashMap<u32, String>>,
}

enum Failure {
    Status(String),
    Transport(String),
    Leak(String),
}

impl Ctx {
    fn api(&self, path: &str) -> String {
        format!("{}/api/v1{path}", self.base)
    }

    /// Sends `req`; the body comes back parsed when `want_body` or when it is checked for `client`.
    async fn call(
        &self,
        req: reqwest::RequestBuilder,
        expect: StatusCode,
        client: Option<u32>,
        want_body: bool,
    ) -> Result<Value, Failure> {
        let res = req.send().await.map_err(|e| Failure::Transport(e.to_string()))?;
        let status = res.status();
        let bytes = res.bytes().await.map_err(|e| Failure::Transport(e.to_string()))?;
        if status != expect {
            return Err(Failure::Status(format!(
                "{status}: {}",
                String::from_utf8_lossy(&bytes[..bytes.len().min(300)])
            )));
        }
        if !(want_body || (self.verify && client.is_some())) {
            return Ok(Value::Null);
        }
        let body: Value = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        if self.verify
            && let Some(c) = client
        {
            let mut found = Vec::new();
            foreign(&body, c, &mut found);
            if let Some(first) = found.into_iter().next() {
                return Err(Failure::Leak(format!("client {c} got {first}")));
            }
        }
        Ok(body)
    }

    async fn perform(&self, op: Op, i: u64, client: u32, rng: &mut ChaCha8Rng) -> Result<(), Failure> {
        let token = || self.client_tokens[client as usize].as_str();
        let ok = StatusCode::OK;
        match op {
            Op::Health => {
                self.call(self.http.get(format!("{}/api/healthz", self.base)), ok, None, false).await.map(drop)
            }
            Op::OpenTasks => self
                .call(self.http.get(self.api("/tasks?open=true")).bearer_auth(token()), ok, Some(client), false)
                .await
                .map(drop),
            Op::Invoices => self
                .call(self.http.get(self.api("/invoices")).bearer_auth(token()), ok, Some(client), false)
                .await
                .map(drop),
            Op::TaskDetail => {
                // The SPA's task page: the task with its first page of comments, one request.
                let task = id(Kind::Task, client, rng.random_range(0..=self.kmax));
                let page = self
                    .call(
                        self.http.get(self.api(&format!("/tasks/{task}?include=comments"))).bearer_auth(token()),
                        ok,
                        Some(client),
                        self.verify,
                    )
                    .await?;
                if self.verify && !page["comments"]["items"].is_array() {
                    return Err(Failure::Status(format!("no comments in the task page: {page}")));
                }
                Ok(())
            }
            Op::StatusUpdate => {
                let task = id(Kind::Task, client, rng.random_range(0..=self.kmax));
                let staff = &self.staff_tokens[(i as usize) % self.staff_tokens.len()];
                let status = if i.is_multiple_of(2) { "in_progress" } else { "todo" };
                self.call(
                    self.http
                        .patch(self.api(&format!("/tasks/{task}")))
                        .bearer_auth(staff)
                        .json(&json!({"status": status})),
                    ok,
                    None,
                    false,
                )
                .await
                .map(drop)
            }
            Op::Metrics(n) => {
                let path = METRICS[n].1;
                let staff = &self.staff_tokens[(i as usize) % self.staff_tokens.len()];
                self.call(self.http.get(self.api(path)).bearer_auth(staff), ok, None, false).await?;
                if self.verify {
                    // Never a client's: every metric is staff-only.
                    let refused = StatusCode::FORBIDDEN;
                    self.call(self.http.get(self.api(path)).bearer_auth(token()), refused, None, false).await?;
                }
                Ok(())
            }
            Op::Login => {
                let email = dataset::client_email(client, 0);
                let body = self
                    .call(
                        self.http
                            .post(self.api("/auth/login"))
                            .json(&json!({"email": email, "password": dataset::PASSWORD})),
                        ok,
                        None,
                        true,
                    )
                    .await?;
                let token = body["access_token"]
                    .as_str()
                    .ok_or_else(|| Failure::Status("no access_token in the login response".into()))?;
                self.minted.lock().unwrap().entry(client).or_insert_with(|| token.to_owned());
                Ok(())
            }
        }
    }
}

/// Everything in `v` that is not `client`'s to see: another client's id (any id this dataset
/// made says whose it is), a Note, or a Note's text.
fn foreign(v: &Value, client: u32, found: &mut Vec<String>) {
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                if k == "visibility" && x == "note" {
                    found.push(format!("a Note ({v})"));
                }
                foreign(x, client, found);
            }
        }
        Value::Array(a) => a.iter().for_each(|x| foreign(x, client, found)),
        Value::String(s) => {
            if s.contains(NOTE_MARK) {
                found.push(format!("a Note's text: {s}"));
            }
            if let Ok(u) = s.parse::<Uuid>()
                && let Some((kind, owner)) = dataset::owner(&u)
                && kind != Kind::Staff as u16
                && owner != client
            {
                found.push(format!("client {owner}'s id {u}"));
            }
        }
        _ => {}
    }
}

/// Runs `pick`'s operations with `pace.concurrency` in flight over the clients `lo..=hi`.
async fn drive(ctx: &Arc<Ctx>, pace: Pace, (lo, hi): (u32, u32), pick: fn(u64) -> Op) -> Outcome {
    let counter = Arc::new(AtomicU64::new(0));
    let start = Instant::now();
    let (warm_end, end) = (start + pace.warmup, start + pace.warmup + pace.duration);
    let span = (hi - lo + 1) as u64;
    let mut workers = Vec::new();
    for w in 0..pace.concurrency {
        let (ctx, counter) = (ctx.clone(), counter.clone());
        workers.push(tokio::spawn(async move {
            let mut out = Outcome::empty();
            let mut rng = ChaCha8Rng::seed_from_u64(w as u64);
            while Instant::now() < end {
                let i = counter.fetch_add(1, Ordering::Relaxed);
                let client = lo + (i % span) as u32;
                let op = pick(i);
                let t0 = Instant::now();
                let result = ctx.perform(op, i, client, &mut rng).await;
                if t0 >= warm_end {
                    out.requests += 1;
                }
                match result {
                    Ok(()) => {
                        out.ok += 1;
                        if t0 >= warm_end {
                            out.hist.record((t0.elapsed().as_micros() as u64).max(1)).expect("in bounds");
                        }
                    }
                    Err(Failure::Status(s)) => {
                        out.non_2xx += 1;
                        if out.non_2xx <= 3 {
                            eprintln!("  {op:?} for client {client}: {s}");
                        }
                    }
                    Err(Failure::Transport(e)) => {
                        out.errors += 1;
                        if out.errors <= 3 {
                            eprintln!("  {op:?} for client {client}: {e}");
                        }
                    }
                    Err(Failure::Leak(l)) => out.leaks.push(format!("{op:?}: {l}")),
                }
            }
            out
        }));
    }
    let mut total = Outcome::empty();
    for w in workers {
        total.merge(w.await.expect("worker finished"));
    }
    total.rate = total.hist.len() as f64 / pace.duration.as_secs_f64();
    total
}

/// Statement counts from pg_stat_statements, when PostgreSQL has it loaded.
struct Statements(Option<DatabaseConnection>);

impl Statements {
    async fn new(db: &DatabaseConnection) -> Statements {
        if db.get_database_backend() != DbBackend::Postgres {
            return Statements(None);
        }
        let loaded = db
            .query_one_raw(sea_orm::Statement::from_string(
                DbBackend::Postgres,
                "SELECT current_setting('shared_preload_libraries') AS libs",
            ))
            .await
            .ok()
            .flatten()
            .and_then(|r| r.try_get::<String>("", "libs").ok())
            .is_some_and(|libs| libs.contains("pg_stat_statements"));
        if !loaded || db.execute_unprepared("CREATE EXTENSION IF NOT EXISTS pg_stat_statements").await.is_err() {
            eprintln!(
                "note: pg_stat_statements is not loaded, so no statement counts. As a superuser: \
                 ALTER SYSTEM SET shared_preload_libraries = 'pg_stat_statements'; then restart PostgreSQL."
            );
            return Statements(None);
        }
        Statements(Some(db.clone()))
    }

    async fn reset(&self) {
        if let Some(db) = &self.0 {
            let _ = db.execute_unprepared("SELECT pg_stat_statements_reset()").await;
        }
    }

    /// Statements this database ran since the reset, less the harness's own.
    async fn count(&self) -> Option<u64> {
        let db = self.0.as_ref()?;
        let row = db
            .query_one_raw(sea_orm::Statement::from_string(
                DbBackend::Postgres,
                "SELECT coalesce(sum(calls), 0)::bigint AS n FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid \
                 WHERE d.datname = current_database() AND s.query NOT LIKE '%pg_stat_statements%'",
            ))
            .await
            .ok()??;
        row.try_get::<i64>("", "n").ok().map(|n| n as u64)
    }
}

pub async fn run(args: RunArgs) -> anyhow::Result<bool> {
    let db = Database::connect(&args.database_url).await?;
    let info = crate::dataset_info(&db).await?;
    let profile = info.profile;
    let pg = db.get_database_backend() == DbBackend::Postgres;
    let work = tempfile::tempdir()?;
    let pace = Pace {
        warmup: Duration::from_secs(args.warmup),
        duration: Duration::from_secs(args.duration),
        concurrency: args.concurrency,
    };
    let all = (0, profile.clients - 1);
    let whale = (WHALE, WHALE);

    let server = Server::start(ServerOptions {
        binary: &args.server,
        database_url: &args.database_url,
        pool: args.pool,
        dir: work.path(),
        env: &args.server_env,
    })
    .await?;
    eprintln!(
        "server pid {} at {} on {} ({} profile); {} s per line after {} s warm-up, {} in flight",
        server.pid,
        server.base,
        crate::redact(&args.database_url),
        profile.name,
        args.duration,
        args.warmup,
        args.concurrency
    );
    let statements = Statements::new(&db).await;
    if pg {
        ceiling::setup(&db).await?;
    }
    // Each round lasts at least a second (pgbench's unit).
    let rounds = args.rounds.clamp(1, args.duration.max(1) as u32);
    let mut report = Report::new(&info, pg, &args.database_url, &pace, args.pool, rounds, statements.0.is_some());

    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(args.concurrency * 2)
        .timeout(Duration::from_secs(30))
        .build()?;
    let staff_tokens = staff_tokens(&http, &server.base, &profile).await?;
    let mut ctx = Ctx {
        base: server.base.clone(),
        http,
        kmax: profile.min_tasks().saturating_sub(1),
        client_tokens: Vec::new(),
        staff_tokens,
        verify: args.verify,
        minted: Mutex::new(HashMap::new()),
    };

    // Lines run in this order so that each ceiling follows its endpoint on a warm cache.
    let measure = async |ctx: &Arc<Ctx>,
                         name: &str,
                         clients: (u32, u32),
                         pick: fn(u64) -> Op,
                         report: &mut Report,
                         pace: Pace| {
        eprintln!("{name}…");
        let window = server.rss_window();
        // Statements are counted in the steady state, from the end of the warm-up: a user's
        // first request also loads their permissions (cached afterwards), a one-off per user
        // that would otherwise be spread over the line's requests.
        let reset_after_warmup = async {
            tokio::time::sleep(pace.warmup).await;
            statements.reset().await;
        };
        let (mut out, ()) = tokio::join!(drive(ctx, pace, clients, pick), reset_after_warmup);
        out.rss = Some(server.rss_since(window));
        out.statements = statements.count().await.map(|n| n as f64 / out.requests.max(1) as f64);
        report.add(Line::http(name, out));
    };
    // A line and its ceiling, alternating round by round. Each round of the line is paced like
    // a line of its own (the first after the full warm-up, later ones after a second to refill
    // the server's pool), then pgbench replays the ceiling for as long.
    let paired = async |ctx: &Arc<Ctx>,
                        name: &str,
                        ceiling_name: &str,
                        script: &str,
                        clients: (u32, u32),
                        kmax: u64,
                        pick: fn(u64) -> Op,
                        report: &mut Report|
           -> anyhow::Result<()> {
        if !pg {
            measure(ctx, name, clients, pick, report, pace).await;
            return Ok(());
        }
        let slice = Duration::from_secs((args.duration / rounds as u64).max(1));
        eprintln!("{name} and {ceiling_name}, {rounds} alternating rounds of {} s…", slice.as_secs());
        let window = server.rss_window();
        let (mut line, mut ceiling) = (Outcome::empty(), Outcome::empty());
        let (mut line_statements, mut ceiling_statements) = (Some(0), Some(0));
        let mut ratios = Vec::new();
        for round in 0..rounds {
            let warmup = if round == 0 { pace.warmup } else { Duration::from_secs(1) };
            let p = Pace { warmup, duration: slice, ..pace };
            let reset_after_warmup = async {
                tokio::time::sleep(warmup).await;
                statements.reset().await;
            };
            let (out, ()) = tokio::join!(drive(ctx, p, clients, pick), reset_after_warmup);
            line_statements = line_statements.zip(statements.count().await).map(|(a, b)| a + b);
            statements.reset().await;
            let c = ceiling::run(ceiling::Run {
                url: &args.database_url,
                script,
                clients,
                kmax,
                pool: args.pool,
                secs: slice.as_secs(),
                work_dir: work.path(),
            })
            .await?;
            ceiling_statements = ceiling_statements.zip(statements.count().await).map(|(a, b)| a + b);
            ratios.push(out.rate / c.rate);
            line.rate += out.rate / rounds as f64;
            ceiling.rate += c.rate / rounds as f64;
            line.merge(out);
            ceiling.merge(c);
        }
        line.rss = Some(server.rss_since(window));
        line.statements = line_statements.map(|n: u64| n as f64 / line.requests.max(1) as f64);
        ceiling.statements = ceiling_statements.map(|n: u64| n as f64 / ceiling.requests.max(1) as f64);
        report.add(Line::http(name, line).with_rounds(ratios));
        report.add(Line::ceiling(ceiling_name, ceiling));
        Ok(())
    };

    // E6 first: its logins mint the client tokens the other lines rotate through. Logins are
    // bounded by the server's password-hashing permits, so fewer are in flight.
    let wanted = |key: &str| args.only.is_empty() || args.only.iter().any(|k| k.eq_ignore_ascii_case(key));
    let e6_pace = Pace { concurrency: args.concurrency.min(8), ..pace };
    if wanted("E6") {
        let shared = Arc::new(ctx);
        measure(&shared, "E6 login", all, |_| Op::Login, &mut report, e6_pace).await;
        ctx = Arc::into_inner(shared).expect("no worker holds the context");
    }
    let mut minted = std::mem::take(&mut *ctx.minted.lock().unwrap());
    let mut missing = tokio::task::JoinSet::new();
    let permits = Arc::new(tokio::sync::Semaphore::new(8));
    for c in (0..profile.clients).filter(|c| !minted.contains_key(c)) {
        let (http, base, permits) = (ctx.http.clone(), ctx.base.clone(), permits.clone());
        missing.spawn(async move {
            let _permit = permits.acquire().await;
            (c, login(&http, &base, &dataset::client_email(c, 0)).await)
        });
    }
    while let Some(done) = missing.join_next().await {
        let (c, token) = done?;
        minted.insert(c, token?);
    }
    ctx.client_tokens = (0..profile.clients).map(|c| minted.remove(&c).expect("every client has a token")).collect();
    let ctx = Arc::new(ctx);
    if wanted("E0") {
        measure(&ctx, "E0 health (no database)", all, |_| Op::Health, &mut report, pace).await;
    }
    if wanted("E1") {
        paired(&ctx, "E1 ongoing tasks", "E1 ceiling", "e1_open_tasks.sql", all, 0, |_| Op::OpenTasks, &mut report)
            .await?;
    }
    if wanted("E2") {
        paired(
            &ctx,
            "E2 task + Replies",
            "E2 ceiling",
            "e2_task_detail.sql",
            all,
            ctx.kmax,
            |_| Op::TaskDetail,
            &mut report,
        )
        .await?;
    }
    if wanted("E3") {
        paired(&ctx, "E3 invoices", "E3 ceiling", "e3_invoices.sql", all, 0, |_| Op::Invoices, &mut report).await?;
    }
    if wanted("Whale") {
        paired(
            &ctx,
            "Whale E1 ongoing tasks",
            "Whale E1 ceiling",
            "e1_open_tasks.sql",
            whale,
            0,
            |_| Op::OpenTasks,
            &mut report,
        )
        .await?;
        paired(
            &ctx,
            "Whale E2 task + Replies",
            "Whale E2 ceiling",
            "e2_task_detail.sql",
            whale,
            ctx.kmax,
            |_| Op::TaskDetail,
            &mut report,
        )
        .await?;
        paired(
            &ctx,
            "Whale E3 invoices",
            "Whale E3 ceiling",
            "e3_invoices.sql",
            whale,
            0,
            |_| Op::Invoices,
            &mut report,
        )
        .await?;
    }
    if wanted("E4") {
        measure(&ctx, "E4 staff status update", all, |_| Op::StatusUpdate, &mut report, pace).await;
    }
    if wanted("Mix") {
        measure(&ctx, "Mix 60/20/15/5", all, mix, &mut report, pace).await;
    }
    // A few staff members at their reports at once, not thirty-two: what is measured is how
    // long one report takes, not how long it queues behind others on two cores.
    let m_pace = Pace { concurrency: args.concurrency.min(2), ..pace };
    let lines: [fn(u64) -> Op; 7] = [
        metrics_line::<0>,
        metrics_line::<1>,
        metrics_line::<2>,
        metrics_line::<3>,
        metrics_line::<4>,
        metrics_line::<5>,
        metrics_line::<6>,
    ];
    for (n, pick) in lines.into_iter().enumerate() {
        let name = METRICS[n].0;
        if wanted(&name[..2]) || wanted("M") {
            measure(&ctx, name, all, pick, &mut report, m_pace).await;
        }
    }
    if wanted("E5") {
        eprintln!("E5…");
        let window = server.rss_window();
        let mut e5 =
            live(&ctx, args.stream_clients.min(profile.clients), args.streams_per_client, args.changes).await?;
        e5.rss = Some(server.rss_since(window));
        report.add(Line::live("E5 update → client stream", e5));
    }

    report.peak_kib = server.peak_kib();
    let log = server.log.clone();
    server.stop().await;
    let text = report.markdown();
    println!("{text}");
    if let Some(path) = &args.markdown {
        std::fs::write(path, &text)?;
    }
    let clean = report.clean();
    if !clean {
        eprintln!(
            "FAILED: non-2xx answers, transport errors or another client's data (above); server log: {}",
            log.display()
        );
        let _ = std::fs::copy(&log, std::env::temp_dir().join("portico-bench-server.log"));
    }
    Ok(clean)
}

async fn login(http: &reqwest::Client, base: &str, email: &str) -> anyhow::Result<String> {
    let res = http
        .post(format!("{base}/api/v1/auth/login"))
        .json(&json!({"email": email, "password": dataset::PASSWORD}))
        .send()
        .await?;
    anyhow::ensure!(res.status().is_success(), "login as {email}: {}", res.status());
    let body: Value = res.json().await?;
    Ok(body["access_token"].as_str().unwrap_or_default().to_owned())
}

/// Managers: they may change tasks.
async fn staff_tokens(http: &reqwest::Client, base: &str, profile: &Profile) -> anyhow::Result<Vec<String>> {
    let mut out = Vec::new();
    for i in 1..=(profile.staff / 5).max(1) {
        out.push(login(http, base, &dataset::staff_email(i)).await?);
    }
    Ok(out)
}

/// E5: streams open for `clients` clients, then staff changes one task of each in turn; the
/// latency is from sending the PATCH to each of that client's streams receiving the event.
/// Any event reaching a stream of another client is a leak.
async fn live(ctx: &Arc<Ctx>, clients: u32, per_client: usize, changes: usize) -> anyhow::Result<Outcome> {
    let streams = reqwest::Client::new();
    let (tx, mut rx) = mpsc::unbounded_channel::<(u32, Uuid, Instant)>();
    let mut readers = Vec::new();
    for c in 0..clients {
        for _ in 0..per_client {
            let mut stream = EventStream::open(&streams, &ctx.base, &ctx.client_tokens[c as usize], None)
                .await
                .map_err(|r| anyhow::anyhow!("client {c} could not open a stream: {} {}", r.status, r.text))?;
            let tx = tx.clone();
            readers.push(tokio::spawn(async move {
                while let Some(frame) = stream.next_event(Duration::from_secs(3600)).await {
                    if let Some(task) = frame.data["task_id"].as_str().and_then(|s| s.parse::<Uuid>().ok()) {
                        let _ = tx.send((c, task, Instant::now()));
                    }
                }
            }));
        }
    }
    eprintln!("  {} streams open over {clients} clients", clients as usize * per_client);
    let mut out = Outcome::empty();
    let staff = &ctx.staff_tokens[0];
    for n in 0..changes {
        let client = (n as u32) % clients;
        let task = id(Kind::Task, client, (n as u64 / clients as u64) % (ctx.kmax + 1));
        let status = if (n / clients as usize).is_multiple_of(2) { "in_progress" } else { "todo" };
        let sent = Instant::now();
        let res = ctx
            .http
            .patch(ctx.api(&format!("/tasks/{task}")))
            .bearer_auth(staff)
            .json(&json!({"status": status}))
            .send()
            .await?;
        out.requests += 1;
        if !res.status().is_success() {
            out.non_2xx += 1;
            eprintln!("  PATCH {task}: {}", res.status());
            continue;
        }
        let mut got = 0;
        while got < per_client {
            match tokio::time::timeout(Duration::from_secs(10), rx.recv()).await {
                Ok(Some((stream_client, event_task, at))) => {
                    let owner = dataset::owner(&event_task).map(|(_, o)| o);
                    if owner != Some(stream_client) {
                        out.leaks
                            .push(format!("E5: a stream of client {stream_client} got an event about {event_task}"));
                    } else if event_task == task {
                        out.hist.record(((at - sent).as_micros() as u64).max(1))?;
                        got += 1;
                    }
                }
                _ => {
                    out.errors += 1;
                    eprintln!("  change {n}: only {got} of {per_client} streams heard within 10 s");
                    break;
                }
            }
        }
        out.ok += 1;
    }
    for r in readers {
        r.abort();
    }
    out.rate = 0.0;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_check_flags_another_clients_ids_and_any_note() {
        let own = id(Kind::Task, 7, 1).to_string();
        let staff = id(Kind::Staff, 0, 3).to_string();
        let mut found = Vec::new();
        foreign(
            &json!({"items": [{"id": own, "client_id": id(Kind::Client, 7, 0).to_string(), "assignee_id": staff}]}),
            7,
            &mut found,
        );
        assert!(found.is_empty(), "{found:?}");

        foreign(&json!({"items": [{"id": id(Kind::Task, 8, 1).to_string()}]}), 7, &mut found);
        assert_eq!(found.len(), 1, "another client's task id");
        foreign(&json!([{"visibility": "note", "body": "x"}]), 7, &mut found);
        assert_eq!(found.len(), 2, "a Note");
        foreign(&json!({"body": format!("{NOTE_MARK} margin")}), 7, &mut found);
        assert_eq!(found.len(), 3, "a Note's text");
    }

    #[test]
    fn the_whales_metrics_name_the_whale() {
        let whale = id(Kind::Client, WHALE, 0).to_string();
        assert!(METRICS[3].1.contains(&whale), "{}", METRICS[3].1);
    }

    #[test]
    fn the_mix_is_60_20_15_5() {
        let mut counts = HashMap::new();
        for i in 0..2000 {
            *counts.entry(mix(i)).or_insert(0) += 1;
        }
        assert_eq!(counts[&Op::OpenTasks], 1200);
        assert_eq!(counts[&Op::TaskDetail], 400);
        assert_eq!(counts[&Op::Invoices], 300);
        assert_eq!(counts[&Op::StatusUpdate], 100);
    }
}
