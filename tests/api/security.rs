//! Security hardening: throttling that only trusted proxies can steer, Replies withdrawn
//! without a trace, webhook targets kept outside the network, the browser session in an
//! HttpOnly cookie, sessions that end at once, and grants no one can stretch.
use std::{collections::BTreeSet, time::Duration};

use portico::entities::webhook_endpoint;
use portico_blackbox::{hooks::Receiver, *};
use reqwest::Method;
use sea_orm::{ActiveModelTrait, ConnectionTrait, Set, Statement};
use serde_json::json;

/// A login as if it came through a proxy that says the client is `client`.
async fn login_via(app: &TestApp, client: &str, header: &str, email: &str, password: &str) -> u16 {
    app.http
        .post(app.url("/auth/login"))
        .header(header, client)
        .json(&json!({"email": email, "password": password}))
        .send()
        .await
        .expect("sent")
        .status()
        .as_u16()
}

async fn failures_audited(app: &TestApp) -> usize {
    app.get("/audit-log?action=login.failed&limit=200", &app.admin().await).await.assert(200).items().len()
}

#[tokio::test]
async fn without_trusted_proxies_a_forged_forwarding_header_does_not_buy_a_new_address() {
    let app = spawn_app_with(|s| s.login_max_failures_per_address = 4).await;
    app.admin().await;
    for i in 0..4 {
        let status =
            login_via(&app, &format!("198.51.100.{i}"), "x-forwarded-for", &format!("g{i}@x.test"), "wrong!").await;
        assert_eq!(status, 401);
    }
    assert_eq!(login_via(&app, "198.51.100.9", "x-forwarded-for", "g9@x.test", "wrong!").await, 429);
}

#[tokio::test]
async fn behind_a_trusted_proxy_each_client_address_has_its_own_budget_and_forwarded_is_ignored() {
    let app = spawn_app_with(|s| {
        s.login_max_failures_per_address = 3;
        s.trusted_proxies = "127.0.0.1/32".into();
    })
    .await;
    app.admin().await;
    // Distinct clients behind the proxy do not share a budget.
    for i in 0..5 {
        let status =
            login_via(&app, &format!("203.0.113.{i}"), "x-forwarded-for", &format!("u{i}@x.test"), "wrong!").await;
        assert_eq!(status, 401, "client {i}");
    }
    // A `Forwarded` header is not what the proxy sets: rotating it changes nothing (these count
    // for the proxy itself, which sent no X-Forwarded-For).
    for i in 0..3 {
        assert_eq!(login_via(&app, &format!("for=198.51.100.{i}"), "forwarded", "f@x.test", "wrong!").await, 401);
    }
    assert_eq!(login_via(&app, "for=198.51.100.77", "forwarded", "f2@x.test", "wrong!").await, 429);
    // An IPv6 client is its /64: rotating the rest of the address changes nothing either.
    for i in 1..=3 {
        assert_eq!(login_via(&app, &format!("2001:db8:5:6::{i}"), "x-forwarded-for", "v6@x.test", "wrong!").await, 401);
    }
    assert_eq!(login_via(&app, "2001:db8:5:6:ffff::1", "x-forwarded-for", "v6b@x.test", "wrong!").await, 429);
    // The client wrote the left-most hop itself; the right-most untrusted one is the client.
    let forged_chain = "198.51.100.200, 203.0.113.50";
    assert_eq!(login_via(&app, forged_chain, "x-forwarded-for", "chain@x.test", "wrong!").await, 401);
    for _ in 0..2 {
        assert_eq!(login_via(&app, "203.0.113.50", "x-forwarded-for", "chain@x.test", "wrong!").await, 401);
    }
    assert_eq!(login_via(&app, "203.0.113.50", "x-forwarded-for", "chain@x.test", "wrong!").await, 429);
}

#[tokio::test]
async fn a_strangers_failures_from_another_address_do_not_lock_the_right_password_out() {
    let app = spawn_app_with(|s| {
        s.login_max_failures_per_account = 3;
        s.trusted_proxies = "127.0.0.1/32".into();
    })
    .await;
    for _ in 0..3 {
        assert_eq!(login_via(&app, "198.51.100.66", "x-forwarded-for", ADMIN_EMAIL, "wrong!").await, 401);
    }
    assert_eq!(
        login_via(&app, "198.51.100.66", "x-forwarded-for", ADMIN_EMAIL, PASSWORD).await,
        429,
        "the guesser is stopped"
    );
    assert_eq!(login_via(&app, "203.0.113.5", "x-forwarded-for", ADMIN_EMAIL, PASSWORD).await, 200, "the owner is not");
}

#[tokio::test]
async fn an_account_guessed_at_from_many_addresses_is_slowed_not_locked() {
    let app = spawn_app_with(|s| {
        s.login_slow_after_failures = 3;
        s.login_slow_interval_secs = 1;
        s.trusted_proxies = "127.0.0.1/32".into();
    })
    .await;
    app.admin().await;
    // Thirty addresses at once: past the first three, one evaluation a second, whoever asks.
    let answers = join_all((0..30).map(|i| {
        let app = &app;
        async move { login_via(app, &format!("203.0.113.{i}"), "x-forwarded-for", ADMIN_EMAIL, "wrong!").await }
    }))
    .await;
    let evaluated = failures_audited(&app).await;
    assert!(evaluated <= 3 + 3, "{evaluated} evaluated: {answers:?}");
    assert!(answers.iter().all(|s| *s == 401 || *s == 429), "{answers:?}");
    // The right password still gets in, from anywhere, within a turn or two.
    let mut status = 0;
    for _ in 0..3 {
        status = login_via(&app, "198.51.100.1", "x-forwarded-for", ADMIN_EMAIL, PASSWORD).await;
        if status == 200 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(1100)).await;
    }
    assert_eq!(status, 200);
}

// --- Replies withdrawn ---------------------------------------------------------------------

#[tokio::test]
async fn a_conversion_racing_the_release_either_wins_or_is_told_it_came_late_and_withdraws() {
    let app = spawn_app_with(|s| s.reply_undo_secs = 1).await;
    let world = app.world().await;
    let manager = app.token(&world.manager).await;
    let client = app.token(world.a.email("client")).await;
    let path = format!("/tasks/{}/comments", world.a.task_id);
    let mut ids = Vec::new();
    for i in 0..12 {
        ids.push(app.post(&path, &manager, json!({"body": format!("CANARY-R{i}"), "visibility": "reply"})).await.id());
    }
    // Convert them one by one around the end of the window: some before, some after the release.
    tokio::time::sleep(Duration::from_millis(700)).await;
    let mut late = Vec::new();
    for id in &ids {
        let res = app.patch(&format!("/comments/{id}"), &manager, json!({"visibility": "note"})).await;
        res.assert(200);
        assert_eq!(res.body["visibility"], "note");
        if res.body["notice"].is_string() {
            late.push(*id);
        }
        tokio::time::sleep(Duration::from_millis(60)).await;
    }
    tokio::time::sleep(Duration::from_millis(1500)).await;
    // Whatever the order, the client has nothing of them.
    let notifications = app.get("/notifications?limit=200", &client).await;
    assert!(!notifications.text.contains("CANARY-R"), "{}", notifications.text);
    let thread = app.get(&path, &client).await;
    assert!(!thread.text.contains("CANARY-R"), "{}", thread.text);
    // Each one the client was shown, and only those, was taken back by a `comment.deleted`.
    let events = app.replay_all(&client).await;
    for id in &ids {
        let about = |kind: &str| {
            events.iter().any(|f| f.event.as_deref() == Some(kind) && f.data["comment_id"] == id.to_string())
        };
        assert_eq!(about("comment.created"), late.contains(id), "{id}: shown to the client iff the editor was told");
        assert_eq!(about("comment.deleted"), late.contains(id), "{id}: withdrawn iff it had been shown");
    }
}

#[tokio::test]
async fn editing_a_released_reply_updates_what_its_readers_notifications_show() {
    let app = spawn_app().await;
    let world = app.world().await;
    let manager = app.token(&world.manager).await;
    let client = app.token(world.a.email("client")).await;
    let path = format!("/tasks/{}/comments", world.a.task_id);
    let id = app.post(&path, &manager, json!({"body": "The launch is on Monday", "visibility": "reply"})).await.id();
    assert!(app.get("/notifications", &client).await.text.contains("on Monday"));
    let mut stream = app.open_stream(&client, None).await.expect("stream");
    app.patch(&format!("/comments/{id}"), &manager, json!({"body": "The launch is on Tuesday"})).await.assert(200);
    let mine = app.get("/notifications", &client).await;
    assert!(mine.text.contains("on Tuesday") && !mine.text.contains("on Monday"), "{}", mine.text);
    assert!(stream.next_of("notification.updated", Duration::from_secs(5)).await.is_some());
}

#[tokio::test]
async fn a_client_whose_role_lost_replying_can_no_longer_edit_or_delete_their_replies() {
    let app = spawn_app().await;
    let world = app.world().await;
    let client = app.token(world.a.email("client")).await;
    let path = format!("/tasks/{}/comments", world.a.task_id);
    let mine = app.post(&path, &client, json!({"body": "Looks good to me", "visibility": "reply"})).await.id();
    let user = world.a.user_ids["client"];
    app.patch(&format!("/users/{user}"), &app.admin().await, json!({"role": "client_viewer"})).await.assert(200);
    app.patch(&format!("/comments/{mine}"), &client, json!({"body": "rewritten"})).await.assert_problem(403);
    app.delete(&format!("/comments/{mine}"), &client).await.assert_problem(403);
    assert!(app.get(&path, &app.token(world.a.email("client_admin")).await).await.text.contains("Looks good to me"));
}

#[tokio::test]
async fn deleting_a_comment_and_changing_a_webhook_or_the_settings_are_audited_with_what_changed() {
    let app = spawn_app().await;
    let world = app.world().await;
    let admin = app.admin().await;
    app.delete(&format!("/comments/{}", world.a.note_id), &admin).await.assert(204);
    let deleted = app.get(&format!("/audit-log?action=comment.deleted&target_id={}", world.a.note_id), &admin).await;
    assert_eq!(deleted.items().len(), 1, "{}", deleted.text);
    let hook = app
        .post("/webhooks", &admin, json!({"url": "http://127.0.0.1:9/a", "event_types": ["task.updated"]}))
        .await
        .id();
    app.patch(&format!("/webhooks/{hook}"), &admin, json!({"url": "http://127.0.0.1:9/elsewhere"})).await.assert(200);
    let changed = app.get(&format!("/audit-log?action=webhook.updated&target_id={hook}"), &admin).await;
    let entry = &changed.items()[0];
    assert_eq!(entry["details"]["url"], json!({"from": "http://127.0.0.1:9/a", "to": "http://127.0.0.1:9/elsewhere"}));
    app.delete(&format!("/webhooks/{hook}"), &admin).await.assert(204);
    assert_eq!(app.get(&format!("/audit-log?action=webhook.deleted&target_id={hook}"), &admin).await.items().len(), 1);
    app.patch("/settings/portal", &admin, json!({"agency_name": "Renamed Agency"})).await.assert(200);
    let settings = app.get("/audit-log?action=settings.updated", &admin).await;
    let changed = &settings.items()[0]["details"]["changed"];
    assert_eq!(changed["agency_name"]["to"], "Renamed Agency", "{}", settings.text);
    assert!(changed.get("welcome_message").is_none(), "only what changed: {changed}");
}

// --- Webhook targets -------------------------------------------------------------------------

#[tokio::test]
async fn webhook_targets_inside_the_network_or_over_plain_http_are_refused_at_registration() {
    let app = spawn_app_with(|s| {
        s.webhook_allow_private_targets = false;
        s.webhook_allow_http = false;
    })
    .await;
    let admin = app.admin().await;
    for url in [
        "https://127.0.0.1:9999/internal-only",
        "https://localhost/hook",
        "https://[::1]/hook",
        "https://0x7f000001/hook",
        "https://169.254.169.254/latest/meta-data/",
        "https://10.0.0.8/hook",
        "https://[fd00:ec2::254]/",
        "http://93.184.215.14/plain-http",
        "javascript:alert(1)",
    ] {
        let res = app.post("/webhooks", &admin, json!({"url": url, "event_types": ["task.updated"]})).await;
        res.assert_problem(422);
        assert!(res.body["errors"]["url"].is_array(), "{url}: {}", res.text);
    }
    app.patch("/settings/portal", &admin, json!({"agency_name": "x"})).await.assert(200);
}

#[tokio::test]
async fn a_target_that_is_internal_by_the_time_of_sending_is_refused_at_connect_and_reported_coarsely() {
    let app = spawn_app_with(|s| {
        s.webhook_allow_private_targets = false;
        s.webhook_allow_http = true;
    })
    .await;
    let world = app.world().await;
    let admin = app.admin().await;
    let inside = Receiver::start(&[]).await;
    // Registered when its name pointed outside; now one points at loopback (DNS rebinding),
    // the other was written behind the API's back.
    let db = app.db.connect().await;
    let port = inside.url.rsplit(':').next().unwrap().split('/').next().unwrap().to_owned();
    let mut ids = Vec::new();
    for url in [format!("http://localhost:{port}/hook"), inside.url.clone()] {
        let id = uuid::Uuid::now_v7();
        let now = chrono::Utc::now();
        webhook_endpoint::ActiveModel {
            id: Set(id),
            url: Set(url),
            secret: Set("whsec_test".into()),
            event_types: Set(webhook_endpoint::EventTypes(vec!["task.updated".into()])),
            client_id: Set(None),
            active: Set(true),
            created_at: Set(now),
            updated_at: Set(now),
        }
        .insert(&db)
        .await
        .unwrap();
        ids.push(id);
    }
    app.patch(&format!("/tasks/{}", world.a.task_id), &admin, json!({"priority": "high"})).await.assert(200);
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert!(inside.all().await.is_empty(), "the internal service was reached");
    for id in ids {
        let log = app.get(&format!("/webhooks/{id}/deliveries"), &admin).await.items();
        assert_eq!(log[0]["last_error"], "refused: the target is an internal address", "{log:?}");
    }
}

// --- The browser session ---------------------------------------------------------------------

fn cookie_of(res: &reqwest::Response) -> Option<String> {
    res.headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with("portico_refresh="))
        .map(str::to_owned)
}

async fn browser(
    app: &TestApp,
    path: &str,
    cookie: Option<&str>,
    with_header: bool,
    body: serde_json::Value,
) -> reqwest::Response {
    let mut req = app.http.post(app.url(path)).json(&body);
    if with_header {
        req = req.header("X-Portico-Session", "cookie");
    }
    if let Some(c) = cookie {
        req = req.header("cookie", c.split(';').next().unwrap());
    }
    req.send().await.expect("sent")
}

#[tokio::test]
async fn the_browser_session_keeps_the_refresh_token_in_an_httponly_strict_cookie() {
    let app = spawn_app().await;
    let login = browser(&app, "/auth/login", None, true, json!({"email": ADMIN_EMAIL, "password": PASSWORD})).await;
    assert_eq!(login.status(), 200);
    let cookie = cookie_of(&login).expect("a session cookie");
    for attribute in ["HttpOnly", "SameSite=Strict", "Path=/api/v1/auth", "Max-Age="] {
        assert!(cookie.contains(attribute), "{attribute} missing: {cookie}");
    }
    let body: serde_json::Value = login.json().await.unwrap();
    assert!(body.get("refresh_token").is_none(), "no script may read it: {body}");
    assert!(body["refresh_expires_in"].as_i64().unwrap() <= 24 * 3600, "staff sessions idle out within a day");
    // Without the header, the cookie is not honoured: a cross-site request cannot send it.
    let forged = browser(&app, "/auth/refresh", Some(&cookie), false, json!({})).await;
    assert_eq!(forged.status(), 403);
    let refreshed = browser(&app, "/auth/refresh", Some(&cookie), true, json!({})).await;
    assert_eq!(refreshed.status(), 200);
    let rotated = cookie_of(&refreshed).expect("a rotated cookie");
    assert_ne!(rotated, cookie);
    // The old cookie again: someone holds a copy, the whole login ends and the cookie is cleared.
    let reused = browser(&app, "/auth/refresh", Some(&cookie), true, json!({})).await;
    assert_eq!(reused.status(), 401);
    assert!(cookie_of(&reused).is_some_and(|c| c.contains("Max-Age=0")), "the cookie is cleared");
    assert_eq!(browser(&app, "/auth/refresh", Some(&rotated), true, json!({})).await.status(), 401);
}

#[tokio::test]
async fn logging_out_of_the_browser_session_clears_the_cookie_and_ends_the_login() {
    let app = spawn_app().await;
    let login = browser(&app, "/auth/login", None, true, json!({"email": ADMIN_EMAIL, "password": PASSWORD})).await;
    let cookie = cookie_of(&login).unwrap();
    let out = browser(&app, "/auth/logout", Some(&cookie), true, json!({})).await;
    assert_eq!(out.status(), 204);
    assert!(cookie_of(&out).is_some_and(|c| c.contains("Max-Age=0")));
    assert_eq!(browser(&app, "/auth/refresh", Some(&cookie), true, json!({})).await.status(), 401);
}

#[tokio::test]
async fn a_session_ends_at_its_absolute_lifetime_however_often_it_is_refreshed() {
    let app = spawn_app().await;
    let login = app.login(ADMIN_EMAIL, PASSWORD).await;
    let refresh = login.body["refresh_token"].as_str().unwrap().to_owned();
    // The login began 31 days ago (the absolute lifetime is 30).
    let db = app.db.connect().await;
    let long_ago = chrono::Utc::now() - chrono::Duration::days(31);
    let sql = "UPDATE refresh_tokens SET session_started_at = $1";
    db.execute_raw(Statement::from_sql_and_values(db.get_database_backend(), sql, vec![long_ago.into()]))
        .await
        .unwrap();
    app.send(Method::POST, "/auth/refresh", None, Some(&json!({"refresh_token": refresh}))).await.assert_problem(401);
    // Near the end, a refresh's token lasts only until it.
    let login = app.login(ADMIN_EMAIL, PASSWORD).await;
    let nearly = chrono::Utc::now() - chrono::Duration::days(30) + chrono::Duration::minutes(10);
    let sql = "UPDATE refresh_tokens SET session_started_at = $1 WHERE revoked_at IS NULL AND used_at IS NULL";
    db.execute_raw(Statement::from_sql_and_values(db.get_database_backend(), sql, vec![nearly.into()])).await.unwrap();
    let body = json!({"refresh_token": login.body["refresh_token"]});
    let res = app.send(Method::POST, "/auth/refresh", None, Some(&body)).await;
    res.assert(200);
    assert!((1..=600).contains(&res.body["refresh_expires_in"].as_i64().unwrap()), "{}", res.text);
}

// --- Sessions end at once --------------------------------------------------------------------

#[tokio::test]
async fn logout_password_change_reset_and_deactivation_end_access_tokens_at_once() {
    let app = spawn_app().await;
    let world = app.world().await;
    let email = world.a.email("client");
    // Logout.
    let login = app.login(email, PASSWORD).await;
    let access = login.body["access_token"].as_str().unwrap().to_owned();
    let body = json!({"refresh_token": login.body["refresh_token"]});
    app.send(Method::POST, "/auth/logout", None, Some(&body)).await.assert(204);
    app.get("/me", &access).await.assert_problem(401);
    // A password change: the old tokens stop, and so does a reset link asked for before it.
    app.send(Method::POST, "/auth/password-reset", None, Some(&json!({"email": email}))).await.assert(202);
    let access = app.login(email, PASSWORD).await.body["access_token"].as_str().unwrap().to_owned();
    let change = json!({"current_password": PASSWORD, "new_password": "an entirely new passphrase"});
    app.patch("/me", &access, change).await.assert(200);
    app.get("/me", &access).await.assert_problem(401);
    let db = app.db.connect().await;
    let open = db
        .query_one_raw(Statement::from_string(
            db.get_database_backend(),
            "SELECT COUNT(*) AS n FROM one_time_tokens WHERE purpose = 'password_reset' AND used_at IS NULL AND revoked_at IS NULL",
        ))
        .await
        .unwrap()
        .unwrap()
        .try_get::<i64>("", "n")
        .unwrap();
    assert_eq!(open, 0, "the reset link asked for before the change is void");
    // Deactivation.
    let access = app.login(email, "an entirely new passphrase").await.body["access_token"].as_str().unwrap().to_owned();
    let user = world.a.user_ids["client"];
    app.patch(&format!("/users/{user}"), &app.admin().await, json!({"status": "deactivated"})).await.assert(200);
    app.get("/me", &access).await.assert_problem(401);
}

#[tokio::test]
async fn an_open_stream_applies_a_demotion_before_its_next_event() {
    // Heartbeats far apart: only the change of access itself can stop the events.
    let app = spawn_app_with(|s| s.event_heartbeat_secs = 300).await;
    let world = app.world().await;
    let admin = app.admin().await;
    let client = app.token(world.a.email("client")).await;
    let mut stream = app.open_stream(&client, None).await.expect("stream");
    let task = format!("/tasks/{}", world.a.task_id);
    app.patch(&task, &admin, json!({"priority": "high"})).await.assert(200);
    assert!(stream.next_of("task.updated", Duration::from_secs(5)).await.is_some(), "a client reads tasks");
    let user = world.a.user_ids["client"];
    app.patch(&format!("/users/{user}"), &admin, json!({"role": "client_finance"})).await.assert(200);
    app.patch(&task, &admin, json!({"priority": "low"})).await.assert(200);
    // A marker Client Finance may see: everything before it has been filtered by then.
    let invoice = format!("/invoices/{}", world.a.draft_invoice_id);
    app.post(&format!("{invoice}/send"), &admin, json!({})).await.assert(200);
    let seen = stream.drain(Duration::from_secs(3)).await;
    let kinds: Vec<_> = seen.iter().filter_map(|f| f.event.clone()).collect();
    assert!(kinds.iter().any(|k| k == "invoice.sent"), "{kinds:?}");
    assert!(!kinds.iter().any(|k| k == "task.updated"), "Client Finance does not read tasks: {kinds:?}");
}

#[tokio::test]
async fn an_open_stream_ends_when_its_user_is_deactivated() {
    let app = spawn_app_with(|s| s.event_heartbeat_secs = 300).await;
    let world = app.world().await;
    let admin = app.admin().await;
    let mut stream = app.open_stream(&app.token(world.a.email("client")).await, None).await.expect("stream");
    let user = world.a.user_ids["client"];
    app.patch(&format!("/users/{user}"), &admin, json!({"status": "deactivated"})).await.assert(200);
    app.patch(&format!("/tasks/{}", world.a.task_id), &admin, json!({"priority": "high"})).await.assert(200);
    let seen = stream.drain(Duration::from_secs(3)).await;
    assert!(seen.iter().all(|f| f.event.as_deref() != Some("task.updated")), "{seen:?}");
    assert!(stream.ended, "the stream was closed");
}

// --- Bounded work and grants -----------------------------------------------------------------

#[tokio::test]
async fn notification_preferences_take_one_entry_per_kind_at_most() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let flood: Vec<_> = (0..7).map(|_| json!({"kind": "reply", "in_app": true, "email": false})).collect();
    let res = app.send(Method::PUT, "/me/notification-preferences", Some(&admin), Some(&json!(flood))).await;
    res.assert_problem(422);
    let twice =
        json!([{"kind": "reply", "in_app": true, "email": false}, {"kind": "reply", "in_app": false, "email": false}]);
    let res = app.send(Method::PUT, "/me/notification-preferences", Some(&admin), Some(&twice)).await;
    res.assert_problem(422);
    assert!(res.body["errors"]["[1].kind"].is_array(), "{}", res.text);
}

#[tokio::test]
async fn comments_and_stream_tickets_are_limited_per_user_per_minute() {
    let app = spawn_app_with(|s| {
        // The world's setup has the admin write four.
        s.comments_per_minute = 4;
        s.stream_tickets_per_minute = 3;
    })
    .await;
    let world = app.world().await;
    let client = app.token(world.a.email("client")).await;
    let path = format!("/tasks/{}/comments", world.a.task_id);
    for i in 0..4 {
        app.post(&path, &client, json!({"body": format!("note {i}"), "visibility": "reply"})).await.assert(201);
    }
    let res = app.post(&path, &client, json!({"body": "one too many", "visibility": "reply"})).await;
    res.assert_problem(429);
    assert!(res.headers.get("retry-after").is_some());
    // Another user has a minute of their own.
    let other = app.token(world.a.email("client_admin")).await;
    app.post(&path, &other, json!({"body": "mine", "visibility": "reply"})).await.assert(201);
    for _ in 0..3 {
        app.post("/events/ticket", &client, json!({})).await.assert(200);
    }
    app.post("/events/ticket", &client, json!({})).await.assert_problem(429);
}

#[tokio::test]
async fn staff_cannot_grant_a_role_or_permission_they_do_not_hold() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let hr = json!({"key": "hr", "name": "HR", "kind": "staff", "permissions": ["users.manage"]});
    app.post("/roles", &admin, hr).await.assert(201);
    app.create_user("hr@agency.test", "hr", None).await;
    let hr = app.token("hr@agency.test").await;
    let admin_user = json!({"email": "new-admin@agency.test", "name": "New", "role": "admin", "password": PASSWORD});
    app.post("/users", &hr, admin_user).await.assert_problem(403);
    let wider =
        json!({"key": "hr2", "name": "HR 2", "kind": "staff", "permissions": ["users.manage", "settings.manage"]});
    app.post("/roles", &hr, wider).await.assert_problem(403);
    let member = json!({"email": "ok@agency.test", "name": "Ok", "role": "hr", "password": PASSWORD});
    app.post("/users", &hr, member).await.assert(201);
}

#[tokio::test]
async fn clients_get_the_branding_not_the_agencys_settings_and_card_urls_must_be_https() {
    let app = spawn_app().await;
    let world = app.world().await;
    let admin = app.admin().await;
    let client = app.token(world.a.email("client")).await;
    app.get("/settings/portal", &client).await.assert_problem(403);
    let branding = app.get("/branding", &client).await;
    branding.assert(200);
    assert!(
        branding.body.get("automations").is_none() && branding.body["agency_name"].is_string(),
        "{}",
        branding.text
    );
    for url in ["javascript:alert(document.domain)", "data:text/html,hi", "file:///etc/passwd"] {
        let card = json!({"cards": [{"title": "Docs", "action": "link", "url": url}]});
        let res = app.patch("/settings/portal", &admin, card).await;
        res.assert_problem(422);
        assert!(res.text.contains("cards[0].url"), "{url}: {}", res.text);
    }
    let card = json!({"cards": [{"title": "Docs", "action": "link", "url": "https://docs.agency.example/start"}]});
    app.patch("/settings/portal", &admin, card).await.assert(200);
}

/// argon2id runs so far, as `/metrics` counts them: (hashes, verifications).
async fn password_work(app: &TestApp) -> (u64, u64) {
    let text = app.send(Method::GET, "/metrics", Some("metrics-token-for-the-tests"), None).await.text;
    let runs = |op: &str| {
        let prefix = format!(r#"portico_password_hash_runs_total{{op="{op}"}} "#);
        text.lines().find_map(|l| l.strip_prefix(prefix.as_str())).and_then(|v| v.parse().ok()).unwrap_or(0)
    };
    (runs("hash"), runs("verify"))
}

#[tokio::test]
async fn invitation_and_reset_tokens_are_checked_before_any_password_is_hashed() {
    let app = spawn_app_with(|s| s.metrics_token = Some("metrics-token-for-the-tests".into())).await;
    app.admin().await;
    let before = password_work(&app).await;
    for i in 0..10 {
        let bogus = json!({"token": format!("made-up-token-{i}"), "password": "a perfectly fine passphrase"});
        app.send(Method::POST, "/auth/password-reset/confirm", None, Some(&bogus)).await.assert_problem(400);
        app.send(Method::POST, "/auth/invitations/accept", None, Some(&bogus)).await.assert_problem(400);
    }
    assert_eq!(password_work(&app).await, before, "a bogus token made the server hash a password");
    // A real one is hashed, once.
    app.login(ADMIN_EMAIL, PASSWORD).await.assert(200);
    assert_eq!(password_work(&app).await.1, before.1 + 1, "the login's verification is counted");
}

// --- Row-level security (PostgreSQL) ---------------------------------------------------------

async fn count_as(db: &sea_orm::DatabaseConnection, tenant: &str, table: &str) -> i64 {
    use sea_orm::TransactionTrait;
    let txn = db.begin().await.unwrap();
    let backend = txn.get_database_backend();
    let set = Statement::from_sql_and_values(
        backend,
        "SELECT set_config('portico.client_id', $1, true)",
        vec![tenant.to_owned().into()],
    );
    txn.execute_raw(set).await.unwrap();
    let sql = format!("SELECT COUNT(*) AS n FROM {table}");
    let n = txn.query_one_raw(Statement::from_string(backend, sql)).await.unwrap().unwrap().try_get("", "n").unwrap();
    txn.rollback().await.unwrap();
    n
}

#[tokio::test]
async fn row_level_security_holds_a_session_to_its_account_whatever_its_queries_forget() {
    let app = spawn_app().await;
    if app.backend != Backend::Postgres {
        return; // PostgreSQL's policies; SQLite has none (the embedded mode has no second wall).
    }
    let world = app.world().await;
    let db = app.db.connect().await;
    let (a, b) = (world.a.client_id.to_string(), world.b.client_id.to_string());
    // A query with no scope at all, the worst a forgetful one could be.
    for table in ["clients", "contacts", "projects", "tasks", "comments", "invoices", "invoice_lines", "payments"] {
        let everyone = count_as(&db, "", table).await;
        let (seen_by_a, seen_by_b) = (count_as(&db, &a, table).await, count_as(&db, &b, table).await);
        assert!(seen_by_a > 0 && seen_by_b > 0, "{table}: each account has rows");
        assert_eq!(seen_by_a + seen_by_b, everyone, "{table}: an account session sees its own rows only");
    }
    // The agency's rows (staff users) stay visible; another account's client users do not.
    let users_for_a = count_as(&db, &a, "users").await;
    assert_eq!(count_as(&db, "", "users").await - users_for_a, 4, "B's four client users are hidden from A");
    // Writing into another account is refused outright.
    use sea_orm::TransactionTrait;
    let txn = db.begin().await.unwrap();
    let backend = txn.get_database_backend();
    txn.execute_raw(Statement::from_sql_and_values(
        backend,
        "SELECT set_config('portico.client_id', $1, true)",
        vec![a.clone().into()],
    ))
    .await
    .unwrap();
    let foreign = Statement::from_sql_and_values(
        backend,
        "UPDATE projects SET name = 'Pwned' WHERE client_id = $1",
        vec![world.b.client_id.into()],
    );
    assert_eq!(txn.execute_raw(foreign).await.unwrap().rows_affected(), 0, "B's project is not A's to change");
    let planted = Statement::from_sql_and_values(
        backend,
        "INSERT INTO projects (id, client_id, name, description, status, created_at, updated_at) \
         VALUES ($1, $2, 'Planted', '', 'planned', now(), now())",
        vec![uuid::Uuid::now_v7().into(), world.b.client_id.into()],
    );
    assert!(txn.execute_raw(planted).await.is_err(), "a row cannot be planted in another account");
}

#[tokio::test]
async fn every_request_of_a_client_user_runs_held_to_their_account() {
    // No e-mail, job or webhook worker: what they do between requests runs as nobody in
    // particular, and would be recorded alongside the requests.
    let app = spawn_app_with(|s| s.background_workers = false).await;
    if app.backend != Backend::Postgres {
        return;
    }
    let world = app.world().await;
    let db = app.db.connect().await;
    // Record the account each policy check runs for, as the server's connections see it.
    db.execute_unprepared(
        "CREATE TABLE rls_seen (tenant text); \
         CREATE OR REPLACE FUNCTION portico_tenant_sees(row_client uuid) RETURNS boolean LANGUAGE plpgsql VOLATILE AS $$ \
         BEGIN \
           INSERT INTO rls_seen VALUES (COALESCE(current_setting('portico.client_id', true), '')); \
           RETURN COALESCE(current_setting('portico.client_id', true), '') = '' \
               OR row_client = NULLIF(current_setting('portico.client_id', true), '')::uuid; \
         END $$;",
    )
    .await
    .unwrap();
    let seen = |db: &sea_orm::DatabaseConnection| {
        let db = db.clone();
        async move {
            let rows = db
                .query_all_raw(Statement::from_string(
                    db.get_database_backend(),
                    "SELECT DISTINCT tenant FROM rls_seen",
                ))
                .await
                .unwrap();
            db.execute_unprepared("DELETE FROM rls_seen").await.unwrap();
            rows.iter().map(|r| r.try_get::<String>("", "tenant").unwrap()).collect::<BTreeSet<_>>()
        }
    };
    let client = app.token(world.a.email("client")).await;
    let admin = app.admin().await;
    // Signing in reads the user before anyone is known; from then on the caller is cached.
    app.get("/me", &client).await.assert(200);
    app.get("/me", &admin).await.assert(200);
    // Until the event relay has placed what the world's changes recorded, it reads as nobody.
    for _ in 0..50 {
        seen(&db).await;
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
        if seen(&db).await.is_empty() {
            break;
        }
    }
    for path in ["/tasks", "/projects", "/invoices"] {
        app.get(path, &client).await.assert(200);
    }
    app.get(&format!("/tasks/{}?include=comments", world.a.task_id), &client).await.assert(200);
    assert_eq!(seen(&db).await, BTreeSet::from([world.a.client_id.to_string()]), "held to account A");
    app.get("/tasks", &admin).await.assert(200);
    assert_eq!(seen(&db).await, BTreeSet::from([String::new()]), "staff are held to no account");
}

#[tokio::test]
async fn the_server_refuses_row_level_security_on_a_role_it_would_not_bind() {
    let Ok(server) = std::env::var("PORTICO_TEST_DATABASE_URL") else { return };
    // The test database as its superuser: row-level security would silently bind nothing.
    let db = TestDb::postgres_on(&server).await;
    let mut settings = db.settings();
    let mut url = reqwest::Url::parse(&db.url).unwrap();
    url.set_username(reqwest::Url::parse(&server).unwrap().username()).unwrap();
    settings.database_url = Some(url.to_string().into());
    settings.row_level_security = true;
    let refused = portico::startup::Application::build(settings).await.err().expect("refused to start");
    assert!(refused.to_string().contains("PORTICO_ROW_LEVEL_SECURITY"), "{refused}");
}
