//! The black-box harness: starts the real Portico server on a random port against a fresh
//! database, and drives it over HTTP.
//!
//! Backend: a fresh SQLite file per test by default; a fresh PostgreSQL database per test when
//! `PORTICO_TEST_DATABASE_URL` names a server (e.g. `postgres://postgres@127.0.0.1:5432`).
use std::{
    collections::HashMap,
    sync::{
        Arc,
        atomic::{AtomicUsize, Ordering},
    },
};

use portico::{
    config::Settings,
    startup::{Application, prepare},
};
use reqwest::{Method, StatusCode};
use sea_orm::{ConnectionTrait, Database};
use serde_json::{Value, json};
use tokio::sync::Mutex;
use uuid::Uuid;

pub mod faults;
pub mod hooks;
pub mod imap;
pub mod jwt;
pub mod pdf;
pub mod s3;
pub mod smtp;
pub mod sse;
pub mod stripe;

pub const ADMIN_EMAIL: &str = "admin@agency.test";
pub const PASSWORD: &str = "correct horse battery";
pub const JWT_SECRET: &str = "test-signing-key-9f8e7d6c5b4a39281706f5e4d3c2b1a0";
/// Seeded into every Note; must never appear in any client response.
pub const CANARY: &str = "CANARY-NOTE-7f3a";
/// The PostgreSQL role the server runs as in the tests: it owns its database and is no
/// superuser, so the row-level security policies bind it as they would in production.
pub const APP_ROLE: &str = "portico_app";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A fresh, empty database for one test, dropped afterwards.
pub struct TestDb {
    pub backend: Backend,
    pub url: String,
    pub dir: tempfile::TempDir,
    pg_cleanup: Option<(String, String)>,
}

impl TestDb {
    pub async fn new() -> TestDb {
        match std::env::var("PORTICO_TEST_DATABASE_URL") {
            Ok(server) if !server.is_empty() => Self::postgres_on(&server).await,
            _ => Self::sqlite(),
        }
    }

    /// A fresh SQLite file.
    pub fn sqlite() -> TestDb {
        let dir = tempfile::tempdir().expect("temp dir");
        let url = format!("sqlite://{}?mode=rwc", dir.path().join("test.db").display());
        TestDb { backend: Backend::Sqlite, url, dir, pg_cleanup: None }
    }

    /// A fresh database on the PostgreSQL server at `server` (`postgres://user@host:port`),
    /// owned by `APP_ROLE`, as which the server (and the test's own connections) sign in: not
    /// a superuser, so row-level security binds it.
    pub async fn postgres_on(server: &str) -> TestDb {
        let dir = tempfile::tempdir().expect("temp dir");
        let server = server.trim_end_matches('/').to_owned();
        let name = format!("portico_test_{}", Uuid::new_v4().simple());
        let admin = Database::connect(format!("{server}/postgres")).await.expect("connect to PostgreSQL");
        // Test processes start together: whichever creates the role first, the others find it.
        let role = format!(
            "DO $$ BEGIN CREATE ROLE {APP_ROLE} LOGIN; EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$"
        );
        admin.execute_unprepared(&role).await.expect("create the application role");
        admin
            .execute_unprepared(&format!("CREATE DATABASE {name} OWNER {APP_ROLE}"))
            .await
            .expect("create test database");
        admin.close().await.ok();
        let mut url = reqwest::Url::parse(&server).expect("a PostgreSQL URL");
        url.set_username(APP_ROLE).expect("a URL with a user");
        url.set_password(None).expect("a URL with a user");
        url.set_path(&name);
        TestDb { backend: Backend::Postgres, url: url.to_string(), dir, pg_cleanup: Some((server, name)) }
    }

    /// Settings for a server on this database: random port, test secrets, one worker.
    pub fn settings(&self) -> Settings {
        Settings {
            port: 0,
            data_dir: self.dir.path().to_path_buf(),
            database_url: Some(self.url.clone().into()),
            db_max_connections: 5,
            jwt_secret: Some(JWT_SECRET.into()),
            admin_email: Some(ADMIN_EMAIL.into()),
            admin_password: Some(PASSWORD.into()),
            workers: 1,
            // Long enough that no cache refill lands inside a statement count.
            authz_cache_ttl_secs: 600,
            // Staff Replies reach clients at once unless a test is about the undo window.
            reply_undo_secs: 0,
            // The webhook targets the tests start listen on loopback, over plain HTTP.
            webhook_allow_private_targets: true,
            webhook_allow_http: true,
            // Row-level security behind every query of the suite on PostgreSQL: a query that
            // forgot its tenant scope would find no other account's rows, and a test would fail.
            row_level_security: self.backend == Backend::Postgres,
            // Tests write faster than people; the tests of these limits set them low.
            comments_per_minute: 10_000,
            stream_tickets_per_minute: 10_000,
            api_key_requests_per_minute: 100_000,
            ..Settings::default()
        }
    }

    /// A connection of the test's own, to look behind the API where a test must.
    pub async fn connect(&self) -> sea_orm::DatabaseConnection {
        Database::connect(&self.url).await.expect("connect to the test database")
    }
}

pub struct TestApp {
    pub base: String,
    pub http: reqwest::Client,
    pub backend: Backend,
    pub database_url: String,
    tokens: Mutex<HashMap<String, String>>,
    statements: Arc<AtomicUsize>,
    pub db: TestDb,
}

/// A response, read whole.
#[derive(Debug)]
pub struct Res {
    pub status: StatusCode,
    pub headers: reqwest::header::HeaderMap,
    pub body: Value,
    pub text: String,
}

impl Res {
    /// The body's `id`.
    pub fn id(&self) -> Uuid {
        self.body["id"].as_str().and_then(|s| s.parse().ok()).unwrap_or_else(|| panic!("no id in {}", self.text))
    }

    #[track_caller]
    pub fn assert(&self, status: u16) -> &Self {
        assert_eq!(self.status.as_u16(), status, "unexpected status; body: {}", self.text);
        self
    }

    /// Asserts an RFC 9457 problem with this status.
    #[track_caller]
    pub fn assert_problem(&self, status: u16) -> &Self {
        self.assert(status);
        let ct = self.headers.get("content-type").and_then(|v| v.to_str().ok()).unwrap_or("");
        assert!(ct.starts_with("application/problem+json"), "content-type {ct}; body {}", self.text);
        assert_eq!(self.body["status"], status, "{}", self.text);
        assert!(
            self.body["type"].is_string() && self.body["title"].is_string() && self.body["detail"].is_string(),
            "{}",
            self.text
        );
        self
    }

    pub fn items(&self) -> Vec<Value> {
        self.body["items"].as_array().unwrap_or_else(|| panic!("no items in {}", self.text)).clone()
    }
}

pub async fn spawn_app() -> TestApp {
    spawn_app_with(|_| {}).await
}

/// Like `spawn_app`, with settings adjusted first.
pub async fn spawn_app_with(adjust: impl FnOnce(&mut Settings)) -> TestApp {
    spawn_app_on(TestDb::new().await, adjust).await
}

/// Like `spawn_app_with`, on a given database.
pub async fn spawn_app_on(db: TestDb, adjust: impl FnOnce(&mut Settings)) -> TestApp {
    let mut settings = db.settings();
    adjust(&mut settings);
    let mut state = prepare(settings).await.expect("server prepares");
    let statements = Arc::new(AtomicUsize::new(0));
    let counter = statements.clone();
    state.db.set_metric_callback(move |_| {
        counter.fetch_add(1, Ordering::SeqCst);
    });
    let app = Application::serve(state).expect("server starts");
    let base = format!("http://127.0.0.1:{}", app.port());
    tokio::spawn(app.run_until_stopped());
    wait_until_ready(&base).await;
    TestApp::attach(base, db, statements)
}

impl TestApp {
    /// Drives a server already running at `base` on `db` (e.g. an instance in its own process;
    /// its statements are not counted).
    pub fn attach(base: String, db: TestDb, statements: Arc<AtomicUsize>) -> TestApp {
        portico::startup::install_crypto_provider();
        TestApp {
            base,
            http: reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap(),
            backend: db.backend,
            database_url: db.url.clone(),
            tokens: Mutex::new(HashMap::new()),
            statements,
            db,
        }
    }
}

/// Runs `futures` concurrently on the current task and returns their outputs in order (as
/// parallel requests: each is its own connection).
pub async fn join_all<T, F: std::future::Future<Output = T>>(futures: impl IntoIterator<Item = F>) -> Vec<T> {
    let mut pending: Vec<(usize, std::pin::Pin<Box<F>>)> = futures.into_iter().map(Box::pin).enumerate().collect();
    let mut done: Vec<Option<T>> = (0..pending.len()).map(|_| None).collect();
    std::future::poll_fn(|cx| {
        pending.retain_mut(|(i, f)| match f.as_mut().poll(cx) {
            std::task::Poll::Ready(out) => {
                done[*i] = Some(out);
                false
            }
            std::task::Poll::Pending => true,
        });
        if pending.is_empty() { std::task::Poll::Ready(()) } else { std::task::Poll::Pending }
    })
    .await;
    done.into_iter().map(|o| o.expect("every future finished")).collect()
}

/// Starts another server on an existing database (a second instance); returns its base URL.
pub async fn serve_on(settings: Settings) -> String {
    let state = prepare(settings).await.expect("server prepares");
    let app = Application::serve(state).expect("server starts");
    let base = format!("http://127.0.0.1:{}", app.port());
    tokio::spawn(app.run_until_stopped());
    wait_until_ready(&base).await;
    base
}

/// Waits for `/api/readyz`, as a load balancer would before sending traffic.
pub async fn wait_until_ready(base: &str) {
    let http = reqwest::Client::new();
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(15);
    loop {
        if let Ok(res) = http.get(format!("{base}/api/readyz")).send().await
            && res.status() == 200
        {
            return;
        }
        assert!(tokio::time::Instant::now() < deadline, "{base} never became ready");
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Some((server, name)) = self.pg_cleanup.take() {
            // Drop runs outside async context: use a private runtime on a scoped thread.
            std::thread::spawn(move || {
                let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
                rt.block_on(async {
                    if let Ok(admin) = Database::connect(format!("{}/postgres", server.trim_end_matches('/'))).await {
                        let _ = admin.execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).await;
                        let _ = admin.close().await;
                    }
                });
            })
            .join()
            .ok();
        }
    }
}

impl TestApp {
    /// `/api/...` and the Prometheus `/metrics` as given; anything else (the portal metrics
    /// `/metrics/...` too) under `/api/v1`.
    pub fn url(&self, path: &str) -> String {
        if path.starts_with("/api/") || path == "/metrics" || path.starts_with("/metrics?") {
            format!("{}{path}", self.base)
        } else {
            format!("{}/api/v1{path}", self.base)
        }
    }

    pub async fn send(&self, method: Method, path: &str, token: Option<&str>, body: Option<&Value>) -> Res {
        let mut req = self.http.request(method, self.url(path));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        if let Some(b) = body {
            req = req.json(b);
        }
        read(req.send().await.expect("request sent")).await
    }

    /// `send` with extra request headers (`Accept-Language`, …).
    pub async fn send_with(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<&Value>,
        headers: &[(&str, &str)],
    ) -> Res {
        let mut req = self.http.request(method, self.url(path));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        if let Some(b) = body {
            req = req.json(b);
        }
        for (name, value) in headers {
            req = req.header(*name, *value);
        }
        read(req.send().await.expect("request sent")).await
    }

    /// GETs `path` and counts the SQL statements the server ran for it.
    pub async fn get_counting(&self, path: &str, token: &str) -> (Res, usize) {
        let before = self.statements.load(Ordering::SeqCst);
        let res = self.get(path, token).await;
        (res, self.statements.load(Ordering::SeqCst) - before)
    }

    pub async fn get(&self, path: &str, token: &str) -> Res {
        self.send(Method::GET, path, Some(token), None).await
    }
    pub async fn post(&self, path: &str, token: &str, body: Value) -> Res {
        self.send(Method::POST, path, Some(token), Some(&body)).await
    }
    pub async fn patch(&self, path: &str, token: &str, body: Value) -> Res {
        self.send(Method::PATCH, path, Some(token), Some(&body)).await
    }
    pub async fn delete(&self, path: &str, token: &str) -> Res {
        self.send(Method::DELETE, path, Some(token), None).await
    }

    /// Sends a raw body with a content type.
    pub async fn raw(
        &self,
        method: Method,
        path: &str,
        token: &str,
        content_type: &str,
        body: impl Into<reqwest::Body>,
    ) -> Res {
        let req = self
            .http
            .request(method, self.url(path))
            .bearer_auth(token)
            .header("content-type", content_type)
            .body(body);
        read(req.send().await.expect("request sent")).await
    }

    /// Uploads `bytes` as the multipart field `file` (named `name`), with text `fields`.
    pub async fn upload(&self, path: &str, token: &str, name: &str, bytes: Vec<u8>, fields: &[(&str, &str)]) -> Res {
        self.upload_as(Method::POST, path, token, name, bytes, fields).await
    }

    /// A multipart upload with `method` (the file in the field `file`).
    pub async fn upload_as(
        &self,
        method: Method,
        path: &str,
        token: &str,
        name: &str,
        bytes: Vec<u8>,
        fields: &[(&str, &str)],
    ) -> Res {
        let mut form = reqwest::multipart::Form::new();
        for (k, v) in fields {
            form = form.text(k.to_string(), v.to_string());
        }
        form = form.part("file", reqwest::multipart::Part::bytes(bytes).file_name(name.to_owned()));
        let req = self.http.request(method, self.url(path)).bearer_auth(token).multipart(form);
        read(req.send().await.expect("request sent")).await
    }

    /// GETs `path` and returns the status, headers and the body's bytes.
    pub async fn bytes(
        &self,
        path: &str,
        token: Option<&str>,
        headers: &[(&str, &str)],
    ) -> (StatusCode, reqwest::header::HeaderMap, Vec<u8>) {
        let mut req = self.http.get(self.url(path));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        let res = req.send().await.expect("request sent");
        let (status, headers) = (res.status(), res.headers().clone());
        (status, headers, res.bytes().await.expect("body read").to_vec())
    }

    pub async fn login(&self, email: &str, password: &str) -> Res {
        self.send(Method::POST, "/auth/login", None, Some(&json!({"email": email, "password": password}))).await
    }

    /// An access token for `email` (cached per test).
    pub async fn token(&self, email: &str) -> String {
        if let Some(t) = self.tokens.lock().await.get(email) {
            return t.clone();
        }
        let res = self.login(email, PASSWORD).await;
        res.assert(200);
        let token = res.body["access_token"].as_str().unwrap().to_owned();
        self.tokens.lock().await.insert(email.to_owned(), token.clone());
        token
    }

    pub async fn admin(&self) -> String {
        self.token(ADMIN_EMAIL).await
    }

    /// Creates an active user with `PASSWORD` and returns its id.
    pub async fn create_user(&self, email: &str, role: &str, client_id: Option<Uuid>) -> Uuid {
        let admin = self.admin().await;
        let res = self.post("/users", &admin, json!({"email": email, "name": format!("User {email}"), "role": role, "client_id": client_id, "password": PASSWORD})).await;
        res.assert(201);
        res.id()
    }

    /// Makes an API key as the admin (`body` as `POST /api-keys` takes it) and returns its secret.
    pub async fn api_key(&self, body: Value) -> String {
        let admin = self.admin().await;
        let res = self.post("/api-keys", &admin, body).await;
        res.assert(201);
        res.body["secret"].as_str().unwrap().to_owned()
    }

    /// A key held to `client_id` with everything its Client Admin holds: its secret.
    pub async fn client_key(&self, client_id: Uuid) -> String {
        self.client_key_with_id(client_id).await.1
    }

    /// Like `client_key`: the key's id and its secret.
    pub async fn client_key_with_id(&self, client_id: Uuid) -> (Uuid, String) {
        let body = json!({"name": "Account sync", "permissions": CLIENT_ADMIN_PERMISSIONS, "client_id": client_id});
        let made = self.post("/api-keys", &self.admin().await, body).await;
        made.assert(201);
        (made.id(), made.body["secret"].as_str().unwrap().to_owned())
    }

    pub async fn create_client(&self, name: &str) -> Uuid {
        let admin = self.admin().await;
        let res = self.post("/clients", &admin, json!({"name": name})).await;
        res.assert(201);
        res.id()
    }
}

pub async fn read_response(res: reqwest::Response) -> Res {
    read(res).await
}

async fn read(res: reqwest::Response) -> Res {
    let status = res.status();
    let headers = res.headers().clone();
    let text = res.text().await.unwrap_or_default();
    let body = serde_json::from_str(&text).unwrap_or(Value::Null);
    Res { status, headers, body, text }
}

/// One client account with a user of each client role and some of everything.
pub struct Account {
    pub client_id: Uuid,
    pub contact_id: Uuid,
    pub project_id: Uuid,
    pub task_id: Uuid,
    pub reply_id: Uuid,
    pub note_id: Uuid,
    pub invoice_id: Uuid,
    pub draft_invoice_id: Uuid,
    pub payment_id: Uuid,
    /// A file in the project's Files area, put up for review.
    pub file_id: Uuid,
    /// A file attached to the Note, named and filled with the canary.
    pub note_file_id: Uuid,
    /// Role key → e-mail of that account's user with the role.
    pub users: HashMap<&'static str, String>,
    pub user_ids: HashMap<&'static str, Uuid>,
    /// The login of the account's Client user, once a test has signed them in and noted it
    /// (the world signs nobody in: tests count logins).
    pub session_id: Option<Uuid>,
    /// An API key held to the account, once a test has made one.
    pub api_key_id: Option<Uuid>,
    /// One of the Client user's notifications, once a test has had one sent.
    pub notification_id: Option<Uuid>,
    /// One of the Client user's satisfaction surveys, once a test has had one sent.
    pub survey_id: Option<Uuid>,
}

impl Account {
    pub fn email(&self, role: &str) -> &str {
        &self.users[role]
    }
}

/// The built-in Client Admin role's permissions.
pub const CLIENT_ADMIN_PERMISSIONS: [&str; 7] = [
    "projects.read",
    "tasks.read",
    "comments.reply",
    "invoices.read",
    "files.upload",
    "deliverables.approve",
    "team.manage",
];

pub const CLIENT_ROLES: [&str; 4] = ["client", "client_admin", "client_finance", "client_viewer"];

/// The standard world: staff of each role, and accounts A and B with everything in them.
pub struct World {
    pub a: Account,
    pub b: Account,
    pub manager: String,
    pub member: String,
    pub member_id: Uuid,
}

impl TestApp {
    pub async fn world(&self) -> World {
        let manager = "manager@agency.test".to_owned();
        let member = "member@agency.test".to_owned();
        self.create_user(&manager, "manager", None).await;
        let member_id = self.create_user(&member, "member", None).await;
        let a = self.account("a", member_id).await;
        let b = self.account("b", member_id).await;
        World { a, b, manager, member, member_id }
    }

    pub async fn account(&self, tag: &str, assignee: Uuid) -> Account {
        let admin = self.admin().await;
        let client_id = self.create_client(&format!("Client {tag}")).await;
        let contact_id = self
            .post(
                &format!("/clients/{client_id}/contacts"),
                &admin,
                json!({"name": format!("Contact {tag}"), "email": format!("contact@{tag}.test"), "is_primary": true}),
            )
            .await
            .assert(201)
            .id();
        let mut users = HashMap::new();
        let mut user_ids = HashMap::new();
        for role in CLIENT_ROLES {
            let email = format!("{}@{tag}.test", role.replace('_', "-"));
            user_ids.insert(role, self.create_user(&email, role, Some(client_id)).await);
            users.insert(role, email);
        }
        let project_id = self
            .post(
                "/projects",
                &admin,
                json!({"client_id": client_id, "name": format!("Project {tag}"), "status": "in_progress"}),
            )
            .await
            .assert(201)
            .id();
        let task_id = self
            .post(&format!("/projects/{project_id}/tasks"), &admin, json!({"title": format!("Task {tag}"), "assignee_id": assignee, "due_date": "2030-01-15", "priority": "high"}))
            .await
            .assert(201)
            .id();
        let reply_id = self
            .post(
                &format!("/tasks/{task_id}/comments"),
                &admin,
                json!({"body": format!("Reply on {tag}"), "visibility": "reply"}),
            )
            .await
            .assert(201)
            .id();
        let note_id = self
            .post(
                &format!("/tasks/{task_id}/comments"),
                &admin,
                json!({"body": format!("Internal {CANARY} on {tag}"), "visibility": "note"}),
            )
            .await
            .assert(201)
            .id();
        let invoice = json!({"client_id": client_id, "issue_date": "2026-01-10", "due_date": "2030-02-10", "currency": "EUR", "tax_rate_bp": 2000,
            "lines": [{"description": "Design", "quantity": 10, "unit_price_cents": 10000}]});
        let invoice_id = self.post("/invoices", &admin, invoice.clone()).await.assert(201).id();
        self.post(&format!("/invoices/{invoice_id}/send"), &admin, json!({})).await.assert(200);
        let paid = self
            .post(&format!("/invoices/{invoice_id}/payments"), &admin, json!({"amount_cents": 2000, "method": "card"}))
            .await;
        paid.assert(201);
        let payment_id = paid.body["payments"][0]["id"].as_str().unwrap().parse().unwrap();
        let draft_invoice_id = self.post("/invoices", &admin, invoice).await.assert(201).id();
        let brief = format!("The brief of {tag}\n").into_bytes();
        let file_id = self
            .upload(&format!("/projects/{project_id}/files"), &admin, "brief.txt", brief, &[])
            .await
            .assert(201)
            .id();
        self.post(&format!("/files/{file_id}/review"), &admin, json!({"message": "Please check"})).await.assert(201);
        let secret = format!("{CANARY} internal figures").into_bytes();
        let attached =
            self.upload(&format!("/comments/{note_id}/files"), &admin, &format!("{CANARY}.txt"), secret, &[]).await;
        let note_file_id = attached.assert(201).body["attachments"][0]["file_id"].as_str().unwrap().parse().unwrap();
        Account {
            client_id,
            contact_id,
            project_id,
            task_id,
            reply_id,
            note_id,
            invoice_id,
            draft_invoice_id,
            payment_id,
            file_id,
            note_file_id,
            users,
            user_ids,
            session_id: None,
            api_key_id: None,
            notification_id: None,
            survey_id: None,
        }
    }
}
