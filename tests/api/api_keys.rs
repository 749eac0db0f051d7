//! API keys for integrators: made by admins, shown once, stored as a hash, never more than
//! their maker holds, optionally held to one client account (then exactly its Client Admin's
//! view), refused at once when revoked or expired, and named in the audit log.
use std::time::Duration;

use portico_blackbox::*;
use reqwest::Method;
use sea_orm::ConnectionTrait;
use serde_json::{Value, json};

async fn audit(app: &TestApp, query: &str) -> Vec<Value> {
    let res = app.get(&format!("/audit-log?{query}"), &app.admin().await).await;
    res.assert(200);
    res.items()
}

#[tokio::test]
async fn an_admin_makes_a_key_whose_secret_is_shown_once_and_which_works_as_a_bearer_token() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let made = app
        .post(
            "/api-keys",
            &admin,
            json!({"name": "Accounting sync", "permissions": ["projects.read", "clients.write"]}),
        )
        .await;
    made.assert(201);
    let secret = made.body["secret"].as_str().unwrap().to_owned();
    let id = made.id();
    assert!(secret.starts_with("pk_live_") && secret.len() > 40, "{secret}");
    assert!(secret.starts_with(made.body["prefix"].as_str().unwrap()));
    assert_eq!(made.body["status"], "active");
    assert_eq!(made.body["created_by_name"], "Administrator");
    assert!(made.body["last_used_at"].is_null());

    // The secret is not to be had again: not in the list, not in the key's record.
    let listed = app.get("/api-keys", &admin).await;
    listed.assert(200);
    assert_eq!(listed.items().len(), 1);
    assert!(!listed.text.contains(&secret[8..]), "the secret is shown once");
    let one = app.get(&format!("/api-keys/{id}"), &admin).await;
    assert!(!one.text.contains(&secret[8..]));

    // It is a bearer token on the REST API, acting as its maker, with what it was given.
    app.post("/clients", &secret, json!({"name": "Acme"})).await.assert(201);
    app.get("/projects", &secret).await.assert(200);
    let me = app.get("/me", &secret).await;
    assert_eq!(me.body["email"], ADMIN_EMAIL);

    // Its use is written down, and what it did is the key's in the audit log.
    let seen = app.get(&format!("/api-keys/{id}"), &admin).await;
    assert!(seen.body["last_used_at"].is_string(), "{}", seen.text);
    assert_eq!(seen.body["last_used_address"], "127.0.0.1");
    let by_key = audit(&app, &format!("api_key_id={id}")).await;
    assert_eq!(by_key.len(), 1, "{by_key:?}");
    assert_eq!(by_key[0]["action"], "client.created");
    assert_eq!(by_key[0]["api_key_name"], "Accounting sync");
    assert_eq!(by_key[0]["actor_name"], "Administrator");
    assert_eq!(audit(&app, "action=api_key.created").await[0]["target_id"], id.to_string());
}

#[tokio::test]
async fn a_key_does_only_what_it_was_given() {
    let app = spawn_app().await;
    let world = app.world().await;
    let key = app.api_key(json!({"name": "Reader", "permissions": ["projects.read", "tasks.read"]})).await;
    app.get("/projects", &key).await.assert(200);
    app.get(&format!("/tasks/{}", world.a.task_id), &key).await.assert(200);
    app.get("/invoices", &key).await.assert_problem(403);
    app.post("/projects", &key, json!({"client_id": world.a.client_id, "name": "Nope"})).await.assert_problem(403);
    app.get("/users", &key).await.assert_problem(403);
    // Without `comments.note` a staff key reads the thread as a client would: no Notes.
    let thread = app.get(&format!("/tasks/{}/comments", world.a.task_id), &key).await;
    thread.assert(200);
    assert!(!thread.text.contains(CANARY), "{}", thread.text);
}

#[tokio::test]
async fn a_key_is_never_more_than_its_maker_and_shrinks_with_them() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    // Only holders of `api_keys.manage` make keys.
    app.create_user("manager@agency.test", "manager", None).await;
    let manager = app.token("manager@agency.test").await;
    let asked = json!({"name": "Mine", "permissions": ["projects.read"]});
    app.post("/api-keys", &manager, asked.clone()).await.assert_problem(403);
    app.get("/api-keys", &manager).await.assert_problem(403);
    // A maker who lacks a permission cannot give it.
    let role = json!({"key": "integrator", "name": "Integrator", "kind": "staff", "permissions": ["api_keys.manage", "projects.read", "invoices.read"]});
    app.post("/roles", &admin, role).await.assert(201);
    let maker_id = app.create_user("integrator@agency.test", "integrator", None).await;
    let maker = app.token("integrator@agency.test").await;
    let too_much = app.post("/api-keys", &maker, json!({"name": "Big", "permissions": ["projects.write"]})).await;
    too_much.assert_problem(422);
    assert!(too_much.text.contains("projects.write"), "{}", too_much.text);
    // No key views the portal as someone or makes keys, whoever makes it.
    for never in ["impersonate", "api_keys.manage"] {
        let res = app.post("/api-keys", &admin, json!({"name": "X", "permissions": [never]})).await;
        res.assert_problem(422);
        assert!(res.text.contains(never));
    }
    let made = app
        .post("/api-keys", &maker, json!({"name": "Books", "permissions": ["projects.read", "invoices.read"]}))
        .await;
    made.assert(201);
    let key = made.body["secret"].as_str().unwrap().to_owned();
    app.get("/invoices", &key).await.assert(200);
    // Its maker loses `invoices.read`: so does the key, on its next request.
    let narrower = json!({"permissions": ["api_keys.manage", "projects.read"]});
    let roles = app.get("/roles", &admin).await.body;
    let role_id =
        roles.as_array().unwrap().iter().find(|r| r["key"] == "integrator").unwrap()["id"].as_str().unwrap().to_owned();
    app.patch(&format!("/roles/{role_id}"), &admin, narrower).await.assert(200);
    app.get("/invoices", &key).await.assert_problem(403);
    app.get("/projects", &key).await.assert(200);
    // Its maker is deactivated: the key stops.
    app.patch(&format!("/users/{maker_id}"), &admin, json!({"status": "deactivated"})).await.assert(200);
    app.get("/projects", &key).await.assert_problem(401);
}

#[tokio::test]
async fn a_revoked_or_expired_key_is_refused_at_once() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let made = app.post("/api-keys", &admin, json!({"name": "Short", "permissions": ["projects.read"]})).await;
    let (id, key) = (made.id(), made.body["secret"].as_str().unwrap().to_owned());
    app.get("/projects", &key).await.assert(200);
    let revoked = app.post(&format!("/api-keys/{id}/revoke"), &admin, json!({})).await;
    revoked.assert(200);
    assert_eq!(revoked.body["status"], "revoked");
    app.get("/projects", &key).await.assert_problem(401);
    // Revoking again changes nothing; one entry in the audit log.
    app.post(&format!("/api-keys/{id}/revoke"), &admin, json!({})).await.assert(200);
    assert_eq!(audit(&app, "action=api_key.revoked").await.len(), 1);

    // An expiry must lie ahead; once it has passed the key is refused.
    let past = app
        .post(
            "/api-keys",
            &admin,
            json!({"name": "Old", "permissions": ["projects.read"], "expires_at": "2020-01-01T00:00:00Z"}),
        )
        .await;
    past.assert_problem(422);
    assert!(past.text.contains("expires_at"));
    let soon = app
        .post(
            "/api-keys",
            &admin,
            json!({"name": "Soon", "permissions": ["projects.read"], "expires_at": "2099-01-01T00:00:00Z"}),
        )
        .await;
    soon.assert(201);
    let soon_key = soon.body["secret"].as_str().unwrap().to_owned();
    app.get("/projects", &soon_key).await.assert(200);
    // Time passes (the stored expiry is moved into the past rather than waited for).
    let db = app.db.connect().await;
    let past =
        if app.backend == Backend::Postgres { "now() - interval '1 second'" } else { "'2020-01-01 00:00:00+00:00'" };
    db.execute_unprepared(&format!("UPDATE api_keys SET expires_at = {past} WHERE name = 'Soon'")).await.unwrap();
    app.get("/projects", &soon_key).await.assert_problem(401);
    assert_eq!(app.get(&format!("/api-keys/{}", soon.id()), &admin).await.body["status"], "expired");
    // A made-up key is no key.
    app.get("/projects", "pk_live_madeup").await.assert_problem(401);
}

#[tokio::test]
async fn a_client_scoped_key_sees_exactly_what_the_accounts_client_admin_sees_and_is_nobody_in_the_lists() {
    let app = spawn_app().await;
    let world = app.world().await;
    let admin = app.admin().await;
    // Nothing beyond the account's Client Admin, and nothing staff-only.
    for more in ["projects.write", "comments.note", "clients.read"] {
        let res = app
            .post("/api-keys", &admin, json!({"name": "X", "permissions": [more], "client_id": world.b.client_id}))
            .await;
        res.assert_problem(422);
        assert!(res.text.contains(more), "{}", res.text);
    }
    let unknown = app
        .post(
            "/api-keys",
            &admin,
            json!({"name": "X", "permissions": ["projects.read"], "client_id": uuid::Uuid::now_v7()}),
        )
        .await;
    unknown.assert_problem(422);
    let key = app.client_key(world.b.client_id).await;

    // Its own account's work, and only that.
    let projects = app.get("/projects", &key).await;
    projects.assert(200);
    assert_eq!(projects.items().len(), 1);
    assert_eq!(projects.items()[0]["id"], world.b.project_id.to_string());
    app.get(&format!("/projects/{}", world.a.project_id), &key).await.assert_problem(404);
    app.get(&format!("/invoices/{}", world.a.invoice_id), &key).await.assert_problem(404);
    let thread = app.get(&format!("/tasks/{}/comments", world.b.task_id), &key).await;
    thread.assert(200);
    assert!(!thread.text.contains(CANARY));
    assert_eq!(app.get(&format!("/clients/{}", world.b.client_id), &key).await.status, 403);

    // It may answer as the account (what its Client Admin may do), and that is a client's Reply.
    let reply = app
        .post(
            &format!("/tasks/{}/comments", world.b.task_id),
            &key,
            json!({"body": "Synced from our tracker", "visibility": "reply"}),
        )
        .await;
    reply.assert(201);
    assert_eq!(reply.body["author_name"], "Account sync (API key)");
    app.post(&format!("/tasks/{}/comments", world.b.task_id), &key, json!({"body": "x", "visibility": "note"}))
        .await
        .assert_problem(403);

    // Its hidden user is in nobody's list, and cannot be found or changed.
    let staff_view = app.get(&format!("/users?client_id={}", world.b.client_id), &admin).await;
    assert!(!staff_view.text.contains("API key"), "{}", staff_view.text);
    let team = app.get("/team/members", &app.token(world.b.email("client_admin")).await).await;
    team.assert(200);
    assert!(!team.text.contains("API key"), "{}", team.text);
    let hidden = app.get("/me", &key).await;
    assert_eq!(hidden.body["client_id"], world.b.client_id.to_string());
    let hidden_id = hidden.body["id"].as_str().unwrap();
    app.get(&format!("/users/{hidden_id}"), &admin).await.assert_problem(404);
    app.patch(&format!("/users/{hidden_id}"), &admin, json!({"status": "deactivated"})).await.assert_problem(404);
    // Nor can anyone sign in as it.
    let email =
        format!("api-key-{}@keys.invalid", app.get("/api-keys", &admin).await.items()[0]["id"].as_str().unwrap());
    app.login(&email, PASSWORD).await.assert_problem(401);
    // Nor is it anyone's portal access, whatever address a contact is given.
    let contact = app
        .post(&format!("/clients/{}/contacts", world.b.client_id), &admin, json!({"name": "Sly", "email": email}))
        .await;
    contact.assert(201);
    let invite = app.post(&format!("/contacts/{}/invite", contact.id()), &admin, json!({"role": "client"})).await;
    invite.assert_problem(409);
}

#[tokio::test]
async fn a_key_cannot_manage_keys_nor_a_persons_password_or_devices() {
    let app = spawn_app().await;
    let every: Vec<&str> = [
        "projects.read",
        "projects.write",
        "users.manage",
        "settings.manage",
        "audit.read",
        "clients.read",
        "clients.write",
    ]
    .to_vec();
    let key = app.api_key(json!({"name": "Broad", "permissions": every})).await;
    app.get("/api-keys", &key).await.assert_problem(403);
    app.post("/api-keys", &key, json!({"name": "Child", "permissions": ["projects.read"]})).await.assert_problem(403);
    let changed =
        app.patch("/me", &key, json!({"current_password": PASSWORD, "new_password": "a whole new passphrase"})).await;
    changed.assert_problem(403);
    app.get("/me/sessions", &key).await.assert_problem(403);
    app.delete("/me/sessions", &key).await.assert_problem(403);
    app.post("/auth/impersonate", &key, json!({"user_id": uuid::Uuid::now_v7()})).await.assert_problem(403);
    // With `users.manage` it looks after others' logins, not its maker's.
    let maker = app.get("/me", &key).await.body["id"].as_str().unwrap().to_owned();
    app.get(&format!("/users/{maker}/sessions"), &key).await.assert_problem(403);
    app.delete(&format!("/users/{maker}/sessions"), &key).await.assert_problem(403);
    // The maker's password still works: nothing was changed.
    app.login(ADMIN_EMAIL, PASSWORD).await.assert(200);
}

#[tokio::test]
async fn a_stream_and_a_download_link_opened_with_a_key_are_held_to_it_and_end_with_it() {
    let app = spawn_app_with(|s| s.event_heartbeat_secs = 1).await;
    let world = app.world().await;
    let admin = app.admin().await;
    let made = app
        .post(
            "/api-keys",
            &admin,
            json!({"name": "Feed", "permissions": ["projects.read", "tasks.read"], "client_id": world.b.client_id}),
        )
        .await;
    let (id, key) = (made.id(), made.body["secret"].as_str().unwrap().to_owned());
    let mut stream = app.open_stream(&key, None).await.unwrap();
    // Account A's news does not reach it; account B's does.
    app.patch(&format!("/tasks/{}", world.a.task_id), &admin, json!({"status": "done"})).await.assert(200);
    app.patch(&format!("/tasks/{}", world.b.task_id), &admin, json!({"status": "done"})).await.assert(200);
    let ev = stream.next_event(Duration::from_secs(5)).await.expect("B's task moved");
    assert!(ev.data.to_string().contains(&world.b.task_id.to_string()), "{ev:?}");
    assert!(!ev.data.to_string().contains(&world.a.task_id.to_string()));

    // A download link made with the key (one with `projects.read` and a file of B's).
    let files_key = app.client_key(world.b.client_id).await;
    let link = app.post(&format!("/files/{}/links", world.b.file_id), &files_key, json!({})).await;
    link.assert(200);
    let url = format!("{}{}", app.base, link.body["url"].as_str().unwrap());
    assert_eq!(app.http.get(&url).send().await.unwrap().status(), 200);
    let files_key_id = app.get("/api-keys", &admin).await.items()[0]["id"].as_str().unwrap().to_owned();
    app.post(&format!("/api-keys/{files_key_id}/revoke"), &admin, json!({})).await.assert(200);
    assert_eq!(app.http.get(&url).send().await.unwrap().status(), 401, "the link dies with its key");

    // Revoking the stream's key ends the stream.
    app.post(&format!("/api-keys/{id}/revoke"), &admin, json!({})).await.assert(200);
    while stream.next_frame(Duration::from_secs(3)).await.is_some() {}
    assert!(stream.ended, "the stream of a revoked key ends");
    app.send(Method::POST, "/events/ticket", Some(&key), Some(&json!({}))).await.assert_problem(401);
}

#[tokio::test]
async fn a_key_has_a_rate_its_answers_state_and_past_it_the_answer_is_429_with_when_to_retry() {
    let app = spawn_app_with(|s| s.api_key_requests_per_minute = 5).await;
    let admin = app.admin().await;
    let slow = app.api_key(json!({"name": "Slow", "permissions": ["projects.read"], "rate_limit_per_minute": 2})).await;
    let first = app.get("/projects", &slow).await;
    first.assert(200);
    assert_eq!(first.headers["ratelimit-policy"], "\"per-key\";q=2;w=60");
    let state = first.headers["ratelimit"].to_str().unwrap().to_owned();
    assert!(state.starts_with("\"per-key\";r=1;t="), "{state}");
    app.get("/projects", &slow).await.assert(200);
    let refused = app.get("/projects", &slow).await;
    refused.assert_problem(429);
    let retry: u64 = refused.headers["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=60).contains(&retry), "{retry}");
    assert!(refused.headers["ratelimit"].to_str().unwrap().starts_with("\"per-key\";r=0;t="));
    // Writes are counted alike, and another key has its own budget (the installation's default).
    app.post("/clients", &slow, json!({"name": "X"})).await.assert_problem(429);
    let other = app.api_key(json!({"name": "Default", "permissions": ["projects.read"]})).await;
    let res = app.get("/projects", &other).await;
    res.assert(200);
    assert_eq!(res.headers["ratelimit-policy"], "\"per-key\";q=5;w=60");
    // A person's requests are not a key's: no rate headers, no count.
    assert!(!app.get("/projects", &admin).await.headers.contains_key("ratelimit"));
    let bad = app
        .post("/api-keys", &admin, json!({"name": "Z", "permissions": ["projects.read"], "rate_limit_per_minute": 0}))
        .await;
    bad.assert_problem(422);
    assert!(bad.text.contains("rate_limit_per_minute"));
}
