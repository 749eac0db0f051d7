//! `Idempotency-Key` on POST: a retry gets the first answer instead of doing the thing twice;
//! the same key for another request is a 422; a failed request can be retried afresh.
use portico_blackbox::*;
use reqwest::Method;
use serde_json::{Value, json};

async fn post_with_key(app: &TestApp, path: &str, token: &str, key: &str, body: &Value) -> Res {
    let req = app.http.post(app.url(path)).bearer_auth(token).header("idempotency-key", key).json(body);
    read_response(req.send().await.expect("request sent")).await
}

#[tokio::test]
async fn a_retried_post_with_the_same_key_gets_the_first_answer_and_creates_nothing_more() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let body = json!({"name": "Acme"});
    let first = post_with_key(&app, "/clients", &admin, "create-acme-1", &body).await;
    first.assert(201);
    assert!(!first.headers.contains_key("idempotent-replayed"));
    let again = post_with_key(&app, "/clients", &admin, "create-acme-1", &body).await;
    again.assert(201);
    assert_eq!(again.headers["idempotent-replayed"], "true");
    assert_eq!(again.body, first.body, "the very first answer");
    assert_eq!(app.get("/clients?q=Acme", &admin).await.items().len(), 1, "one client, not two");
    // Another key is another request.
    post_with_key(&app, "/clients", &admin, "create-acme-2", &body).await.assert(201);
    assert_eq!(app.get("/clients?q=Acme", &admin).await.items().len(), 2);
}

#[tokio::test]
async fn the_same_key_with_another_body_is_422_and_keys_are_each_callers_own() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    post_with_key(&app, "/clients", &admin, "k1", &json!({"name": "Acme"})).await.assert(201);
    let other = post_with_key(&app, "/clients", &admin, "k1", &json!({"name": "Globex"})).await;
    other.assert_problem(422);
    assert!(other.text.contains("Idempotency-Key"), "{}", other.text);
    // The same key at another path is another request too.
    let project = json!({"client_id": other_client(&app, &admin).await, "name": "Site"});
    post_with_key(&app, "/projects", &admin, "k1", &project).await.assert_problem(422);
    // Another caller's "k1" is theirs: it runs.
    app.create_user("manager@agency.test", "manager", None).await;
    let manager = app.token("manager@agency.test").await;
    post_with_key(&app, "/clients", &manager, "k1", &json!({"name": "Initech"})).await.assert(201);
    // An API key is a caller of its own.
    let key = app.api_key(json!({"name": "Sync", "permissions": ["clients.write", "clients.read"]})).await;
    let by_key = post_with_key(&app, "/clients", &key, "k1", &json!({"name": "Umbrella"})).await;
    by_key.assert(201);
    let replayed = post_with_key(&app, "/clients", &key, "k1", &json!({"name": "Umbrella"})).await;
    assert_eq!(replayed.headers["idempotent-replayed"], "true");
    // A key that is not one is refused.
    let long = "x".repeat(256);
    post_with_key(&app, "/clients", &admin, &long, &json!({"name": "Hooli"})).await.assert_problem(400);
}

async fn other_client(app: &TestApp, admin: &str) -> String {
    app.post("/clients", admin, json!({"name": "Soylent"})).await.body["id"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn a_refused_request_is_not_kept_so_its_corrected_retry_runs() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    // Refused (a name is required): nothing was done, and nothing is replayed.
    post_with_key(&app, "/clients", &admin, "retry-me", &json!({"name": ""})).await.assert_problem(422);
    post_with_key(&app, "/clients", &admin, "retry-me", &json!({"name": ""})).await.assert_problem(422);
    // The answers that show a secret once are never kept: a second key is a second secret.
    let body = json!({"name": "Twice", "permissions": ["projects.read"]});
    let one = post_with_key(&app, "/api-keys", &admin, "mk", &body).await;
    let two = post_with_key(&app, "/api-keys", &admin, "mk", &body).await;
    one.assert(201);
    two.assert(201);
    assert_ne!(one.body["secret"], two.body["secret"]);
    assert!(!two.headers.contains_key("idempotent-replayed"));
    // Without the header nothing changes.
    app.send(Method::POST, "/clients", Some(&admin), Some(&json!({"name": "Plain"}))).await.assert(201);
}

#[tokio::test]
async fn a_retried_upload_larger_than_a_mebibyte_is_hashed_as_it_streams_and_stored_once() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let client = app.create_client("Acme").await;
    let project = app.post("/projects", &admin, json!({"client_id": client, "name": "Site"})).await.id();
    // The same bytes twice, as a retrying client sends them (one boundary, chosen once).
    let mut body = b"--B\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.bin\"\r\n\
        Content-Type: application/octet-stream\r\n\r\n"
        .to_vec();
    body.extend(std::iter::repeat_n(7u8, 1_500_000));
    body.extend_from_slice(b"\r\n--B--\r\n");
    let send = |body: Vec<u8>| {
        let req = app
            .http
            .post(app.url(&format!("/projects/{project}/files")))
            .bearer_auth(&admin)
            .header("idempotency-key", "upload-1")
            .header("content-type", "multipart/form-data; boundary=B")
            .body(body);
        async move { read_response(req.send().await.expect("request sent")).await }
    };
    let first = send(body.clone()).await;
    first.assert(201);
    let again = send(body.clone()).await;
    again.assert(201);
    assert_eq!(again.headers["idempotent-replayed"], "true");
    assert_eq!(again.body["id"], first.body["id"]);
    assert_eq!(app.get(&format!("/projects/{project}/files"), &admin).await.items().len(), 1);
    // More after the end is another request; so is one byte different.
    let mut longer = body.clone();
    longer.extend_from_slice(b"trailing");
    send(longer).await.assert_problem(422);
    let last = body.len() - 12;
    body[last] = 8;
    send(body).await.assert_problem(422);
}

#[tokio::test]
async fn a_replay_is_for_a_caller_who_may_still_make_the_request() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let made = app.post("/api-keys", &admin, json!({"name": "Sync", "permissions": ["clients.write"]})).await;
    let (id, key) = (made.id(), made.body["secret"].as_str().unwrap().to_owned());
    let body = json!({"name": "Acme"});
    post_with_key(&app, "/clients", &key, "once", &body).await.assert(201);
    let replayed = post_with_key(&app, "/clients", &key, "once", &body).await;
    assert_eq!(replayed.headers["idempotent-replayed"], "true");
    assert!(replayed.headers.contains_key("ratelimit"), "a replay is a request of the key's too");
    app.post(&format!("/api-keys/{id}/revoke"), &admin, json!({})).await.assert(200);
    post_with_key(&app, "/clients", &key, "once", &body).await.assert_problem(401);
}

#[tokio::test]
async fn answers_that_hand_out_a_secret_or_a_token_are_never_kept_however_the_path_is_spelled() {
    let app = spawn_app().await;
    let world = app.world().await;
    let admin = app.admin().await;
    let body = json!({"name": "Twice", "permissions": ["projects.read"]});
    // `%2D` is `-`: the router finds /api-keys, and so does the rule that keeps nothing of it.
    let one = post_with_key(&app, "/api/v1/api%2Dkeys", &admin, "spelled", &body).await;
    let two = post_with_key(&app, "/api/v1/api%2Dkeys", &admin, "spelled", &body).await;
    one.assert(201);
    two.assert(201);
    assert_ne!(one.body["secret"], two.body["secret"]);
    let link = format!("/files/{}/links", world.a.file_id);
    let first = post_with_key(&app, &link, &admin, "link", &json!({})).await;
    let second = post_with_key(&app, &link, &admin, "link", &json!({})).await;
    first.assert(200);
    assert!(!second.headers.contains_key("idempotent-replayed"));
    let ticket = post_with_key(&app, "/events/ticket", &admin, "t", &json!({})).await;
    let again = post_with_key(&app, "/events/ticket", &admin, "t", &json!({})).await;
    assert_ne!(ticket.body["ticket"], again.body["ticket"]);
}

#[tokio::test]
async fn a_view_as_session_gets_the_replay_of_what_it_may_do() {
    let app = spawn_app().await;
    let world = app.world().await;
    let manager = app.token(&world.manager).await;
    let view_as = app.post("/auth/impersonate", &manager, json!({"user_id": world.a.user_ids["client"]})).await;
    let view_as = view_as.body["access_token"].as_str().unwrap().to_owned();
    let views = format!("/invoices/{}/views", world.a.invoice_id);
    let first = post_with_key(&app, &views, &view_as, "seen", &json!({})).await;
    let again = post_with_key(&app, &views, &view_as, "seen", &json!({})).await;
    assert_eq!(first.status, again.status, "{}", again.text);
    assert!(first.status.is_success());
    assert_eq!(again.headers["idempotent-replayed"], "true");
}
