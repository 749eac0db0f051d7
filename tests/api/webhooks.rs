//! Webhooks: signed deliveries verified by a real receiving server, retries, redelivery, and
//! the rules that keep Notes and other accounts out of client-scoped endpoints.
use std::time::Duration;

use hmac::{Hmac, KeyInit, Mac};
use portico_blackbox::{hooks::Receiver, *};
use serde_json::json;
use sha2::Sha256;

/// Verifies `Portico-Signature: t=…,v1=…` as an integrator would, with nothing of Portico's.
fn verify(secret: &str, header: &str, body: &str) -> bool {
    let mut t = None;
    let mut v1 = None;
    for part in header.split(',') {
        match part.split_once('=') {
            Some(("t", x)) => t = Some(x),
            Some(("v1", x)) => v1 = Some(x),
            _ => {}
        }
    }
    let (Some(t), Some(v1)) = (t, v1) else { return false };
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(format!("{t}.{body}").as_bytes());
    mac.verify_slice(&hex::decode(v1).unwrap_or_default()).is_ok()
}

async fn register(app: &TestApp, url: &str, kinds: &[&str], client: Option<uuid::Uuid>) -> Res {
    app.post("/webhooks", &app.admin().await, json!({"url": url, "event_types": kinds, "client_id": client})).await
}

#[tokio::test]
async fn deliveries_are_signed_and_a_receiver_verifies_them() {
    let app = spawn_app().await;
    let world = app.world().await;
    let hooks = Receiver::start(&[]).await;
    let ep = register(&app, &hooks.url, &["task.updated"], None).await;
    ep.assert(201);
    let secret = ep.body["secret"].as_str().unwrap().to_owned();
    let admin = app.admin().await;
    app.patch(&format!("/tasks/{}", world.a.task_id), &admin, json!({"status": "done"})).await.assert(200);
    let got = hooks.wait_for(1).await;
    let hook = &got[0];
    assert!(verify(&secret, hook.header("Portico-Signature").unwrap(), &hook.body), "{hook:?}");
    assert!(!verify("whsec_wrong", hook.header("Portico-Signature").unwrap(), &hook.body));
    assert_eq!(hook.header("Portico-Event"), Some("task.updated"));
    assert_eq!(hook.json()["type"], "task.updated");
    assert_eq!(hook.json()["data"]["task_id"], world.a.task_id.to_string());
    // The secret is shown once only.
    assert!(app.get("/webhooks", &admin).await.body[0].get("secret").is_none());
    let id = ep.id();
    tokio::time::sleep(Duration::from_millis(300)).await;
    let log = app.get(&format!("/webhooks/{id}/deliveries"), &admin).await.items();
    assert_eq!(log[0]["status"], "delivered");
    assert_eq!(log[0]["last_status"], 200);
}

#[tokio::test]
async fn a_failing_endpoint_is_retried_with_backoff_and_can_be_redelivered() {
    let app = spawn_app_with(|s| s.webhook_retry_base_secs = 1).await;
    let world = app.world().await;
    let hooks = Receiver::start(&[500, 503]).await;
    let id = register(&app, &hooks.url, &["task.updated"], None).await.id();
    let admin = app.admin().await;
    app.patch(&format!("/tasks/{}", world.a.task_id), &admin, json!({"priority": "low"})).await.assert(200);
    let got = hooks.wait_for(3).await;
    assert_eq!(got[0].body, got[2].body, "the same delivery, retried");
    tokio::time::sleep(Duration::from_millis(300)).await;
    let log = app.get(&format!("/webhooks/{id}/deliveries"), &admin).await.items();
    assert_eq!(log.len(), 1);
    assert_eq!(log[0]["status"], "delivered");
    assert_eq!(log[0]["attempts"], 3);
    let delivery = log[0]["id"].as_str().unwrap();
    app.post(&format!("/webhook-deliveries/{delivery}/redeliver"), &admin, json!({})).await.assert(202);
    hooks.wait_for(4).await;
}

#[tokio::test]
async fn note_events_go_only_where_chosen_and_never_to_a_client_scoped_endpoint() {
    let app = spawn_app().await;
    let world = app.world().await;
    let admin = app.admin().await;
    let everything_but_notes = Receiver::start(&[]).await;
    let notes = Receiver::start(&[]).await;
    let scoped = Receiver::start(&[]).await;
    register(&app, &everything_but_notes.url, &["comment.created", "task.updated"], None).await.assert(201);
    register(&app, &notes.url, &["note.changed"], None).await.assert(201);
    let refused = register(&app, &scoped.url, &["comment.created", "note.changed"], Some(world.a.client_id)).await;
    refused.assert_problem(422);
    register(&app, &scoped.url, &["comment.created"], Some(world.a.client_id)).await.assert(201);
    app.post(
        &format!("/tasks/{}/comments", world.a.task_id),
        &admin,
        json!({"body": format!("{CANARY}"), "visibility": "note"}),
    )
    .await
    .assert(201);
    app.post(&format!("/tasks/{}/comments", world.b.task_id), &admin, json!({"body": "for B", "visibility": "reply"}))
        .await
        .assert(201);
    app.post(&format!("/tasks/{}/comments", world.a.task_id), &admin, json!({"body": "for A", "visibility": "reply"}))
        .await
        .assert(201);
    assert_eq!(notes.wait_for(1).await[0].json()["type"], "note.changed");
    let general = everything_but_notes.wait_for(2).await;
    let scoped_got = scoped.wait_for(1).await;
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert!(everything_but_notes.all().await.iter().all(|h| h.json()["type"] == "comment.created"), "{general:?}");
    assert_eq!(scoped.all().await.len(), 1, "only account A's reply");
    assert_eq!(scoped_got[0].json()["client_id"], world.a.client_id.to_string());
    for h in [everything_but_notes.all().await, notes.all().await, scoped.all().await].concat() {
        assert!(!h.body.contains(CANARY), "a Note's text left the building");
    }
}

#[tokio::test]
async fn a_reply_withdrawn_in_its_undo_window_sends_no_webhook() {
    let app = spawn_app_with(|s| s.reply_undo_secs = 2).await;
    let world = app.world().await;
    let hooks = Receiver::start(&[]).await;
    tokio::time::sleep(Duration::from_secs(3)).await; // the fixture's own reply is released first
    register(&app, &hooks.url, &["comment.created"], Some(world.a.client_id)).await.assert(201);
    let admin = app.admin().await;
    let id = app
        .post(&format!("/tasks/{}/comments", world.a.task_id), &admin, json!({"body": "oops", "visibility": "reply"}))
        .await
        .id();
    app.patch(&format!("/comments/{id}"), &admin, json!({"visibility": "note"})).await.assert(200);
    tokio::time::sleep(Duration::from_secs(4)).await;
    assert!(hooks.all().await.is_empty());
}

#[tokio::test]
async fn only_admins_manage_webhooks_and_bad_input_is_refused() {
    let app = spawn_app().await;
    let world = app.world().await;
    let manager = app.token(&world.manager).await;
    app.get("/webhooks", &manager).await.assert_problem(403);
    app.post("/webhooks", &manager, json!({"url": "https://x.example/h", "event_types": ["task.updated"]}))
        .await
        .assert_problem(403);
    let res = register(&app, "ftp://x.example", &["task.updated"], None).await;
    res.assert_problem(422);
    register(&app, "https://x.example/h", &["task.exploded"], None).await.assert_problem(422);
    register(&app, "https://x.example/h", &[], None).await.assert_problem(422);
}

#[tokio::test]
async fn the_settings_screen_reads_which_events_an_endpoint_can_choose_from_the_server() {
    let app = spawn_app().await;
    let world = app.world().await;
    let admin = app.admin().await;
    let kinds = app.get("/webhook-event-types", &admin).await;
    let all = kinds.assert(200).body.as_array().unwrap().clone();
    assert!(all.len() >= 17, "{}", kinds.text);
    assert!(all.iter().all(|k| !k["description"].as_str().unwrap().is_empty()));
    let staff_only: Vec<_> = all.iter().filter(|k| k["staff_only"] == true).map(|k| k["kind"].clone()).collect();
    assert_eq!(staff_only, vec![serde_json::json!("note.changed")]);
    // Each one listed is one an endpoint may subscribe to.
    let every: Vec<_> = all.iter().map(|k| k["kind"].clone()).collect();
    let body = serde_json::json!({"url": "http://127.0.0.1:9/x", "event_types": every});
    app.post("/webhooks", &admin, body).await.assert(201);
    app.get("/webhook-event-types", &app.token(world.a.email("client_admin")).await).await.assert_problem(403);
}
