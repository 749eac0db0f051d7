//! The live-update stream: the same isolation as the REST reads, no Note ever on a client
//! stream, replay after a reconnect, tickets, caps, heartbeats, and fan-out across instances.
use std::time::Duration;

use portico_blackbox::*;
use serde_json::json;

const WAIT: Duration = Duration::from_secs(5);
const QUIET: Duration = Duration::from_millis(1200);

#[tokio::test]
async fn a_client_receives_their_own_accounts_events_and_none_of_another() {
    let app = spawn_app().await;
    let world = app.world().await;
    let admin = app.admin().await;
    let mut a = app.open_stream(&app.token(world.a.email("client")).await, None).await.unwrap();
    let mut b = app.open_stream(&app.token(world.b.email("client")).await, None).await.unwrap();
    app.patch(&format!("/tasks/{}", world.a.task_id), &admin, json!({"status": "done"})).await.assert(200);
    let ev = a.next_of("task.updated", WAIT).await.expect("A hears about its task");
    assert_eq!(ev.event.as_deref(), Some("task.updated"));
    assert_eq!(ev.data["task_id"], world.a.task_id.to_string());
    app.post(
        &format!("/tasks/{}/comments", world.a.task_id),
        &admin,
        json!({"body": "Shipped", "visibility": "reply"}),
    )
    .await
    .assert(201);
    a.next_of("comment.created", WAIT).await.expect("A hears of the Reply");
    let a_id = world.a.task_id.to_string();
    let leaked: Vec<_> = b.drain(QUIET).await.into_iter().filter(|f| f.data.to_string().contains(&a_id)).collect();
    assert!(leaked.is_empty(), "B received A's events: {leaked:?}");
    app.patch(&format!("/tasks/{}", world.b.task_id), &admin, json!({"priority": "low"})).await.assert(200);
    assert_eq!(b.next_of("task.updated", WAIT).await.unwrap().data["task_id"], world.b.task_id.to_string());
}

#[tokio::test]
async fn a_note_never_reaches_a_client_stream() {
    let app = spawn_app().await;
    let world = app.world().await;
    let admin = app.admin().await;
    let mut client = app.open_stream(&app.token(world.a.email("client_admin")).await, None).await.unwrap();
    let mut staff = app.open_stream(&app.token(&world.member).await, None).await.unwrap();
    let note = app
        .post(
            &format!("/tasks/{}/comments", world.a.task_id),
            &admin,
            json!({"body": format!("{CANARY} secret"), "visibility": "note"}),
        )
        .await;
    staff.next_of("note.changed", WAIT).await.expect("staff hear of the Note");
    app.patch(&format!("/comments/{}", note.id()), &admin, json!({"body": "still internal"})).await.assert(200);
    app.delete(&format!("/comments/{}", note.id()), &admin).await.assert(204);
    // Only the fixture's own notifications may still trickle in; nothing about the Note.
    let heard: Vec<_> =
        client.drain(QUIET).await.into_iter().filter(|f| f.event.as_deref() != Some("notification.created")).collect();
    assert!(heard.is_empty(), "a client heard about a Note: {heard:?}");
    // A Reply is heard, and carries ids only.
    app.post(
        &format!("/tasks/{}/comments", world.a.task_id),
        &admin,
        json!({"body": "Visible words", "visibility": "reply"}),
    )
    .await
    .assert(201);
    let ev = client.next_of("comment.created", WAIT).await.unwrap();
    assert!(!ev.data.to_string().contains("Visible words"));
}

#[tokio::test]
async fn a_role_hears_only_what_it_may_read() {
    let app = spawn_app().await;
    let world = app.world().await;
    let admin = app.admin().await;
    let mut finance = app.open_stream(&app.token(world.a.email("client_finance")).await, None).await.unwrap();
    app.patch(&format!("/tasks/{}", world.a.task_id), &admin, json!({"status": "done"})).await.assert(200);
    app.post(&format!("/invoices/{}/send", world.a.draft_invoice_id), &admin, json!({})).await.assert(200);
    let mut before = Vec::new();
    let ev = loop {
        let f = finance.next_event(WAIT).await.expect("the invoice event");
        if f.event.as_deref() == Some("invoice.sent") {
            break f;
        }
        before.push(f);
    };
    assert!(before.iter().all(|f| f.event.as_deref() == Some("notification.created")), "no task event: {before:?}");
    assert_eq!(ev.data["invoice_id"], world.a.draft_invoice_id.to_string());
}

#[tokio::test]
async fn reconnecting_with_the_last_event_id_replays_what_was_missed() {
    let app = spawn_app().await;
    let world = app.world().await;
    let admin = app.admin().await;
    let token = app.token(world.a.email("client")).await;
    let mut first = app.open_stream(&token, None).await.unwrap();
    app.patch(&format!("/tasks/{}", world.a.task_id), &admin, json!({"status": "in_progress"})).await.assert(200);
    let seen = first.next_of("task.updated", WAIT).await.unwrap().id.unwrap();
    drop(first);
    app.patch(&format!("/tasks/{}", world.b.task_id), &admin, json!({"status": "done"})).await.assert(200);
    app.patch(&format!("/tasks/{}", world.a.task_id), &admin, json!({"status": "done"})).await.assert(200);
    app.post(&format!("/tasks/{}/comments", world.a.task_id), &admin, json!({"body": "n", "visibility": "note"}))
        .await
        .assert(201);
    app.post(&format!("/tasks/{}/comments", world.a.task_id), &admin, json!({"body": "r", "visibility": "reply"}))
        .await
        .assert(201);
    let mut again = app.open_stream(&token, Some(seen)).await.unwrap();
    let replayed = again.drain(QUIET).await;
    let kinds: Vec<_> =
        replayed.iter().map(|f| f.event.clone().unwrap()).filter(|k| k != "notification.created").collect();
    assert_eq!(kinds, ["task.updated", "comment.created"], "only A's, no Note: {replayed:?}");
    assert!(replayed.iter().all(|f| f.id.unwrap() > seen));
}

#[tokio::test]
async fn a_stream_needs_a_fresh_single_use_ticket() {
    let app = spawn_app().await;
    let token = app.admin().await;
    app.send(reqwest::Method::GET, "/events", None, None).await.assert_problem(400);
    app.send(reqwest::Method::GET, "/events?ticket=made-up", None, None).await.assert_problem(401);
    app.send(reqwest::Method::POST, "/events/ticket", None, Some(&json!({}))).await.assert_problem(401);
    let ticket = app.post("/events/ticket", &token, json!({})).await.body["ticket"].as_str().unwrap().to_owned();
    let url = format!("{}/api/v1/events?ticket={ticket}", app.base);
    let _open = app.stream_url(&url).await.unwrap();
    let reused = app.stream_url(&url).await.err().expect("a ticket works once");
    reused.assert_problem(401);
}

#[tokio::test]
async fn streams_per_user_are_capped() {
    let app = spawn_app_with(|s| {
        s.max_streams_per_user = 2;
        s.event_heartbeat_secs = 1;
    })
    .await;
    let token = app.admin().await;
    let _one = app.open_stream(&token, None).await.unwrap();
    let two = app.open_stream(&token, None).await.unwrap();
    app.open_stream(&token, None).await.err().expect("a third stream").assert_problem(429);
    drop(two);
    // A closed connection is noticed at the next write, a heartbeat at the latest.
    tokio::time::sleep(Duration::from_millis(2500)).await;
    app.open_stream(&token, None).await.expect("a slot is free again");
}

#[tokio::test]
async fn an_idle_stream_gets_heartbeats_and_ends_when_the_user_is_deactivated() {
    let app = spawn_app_with(|s| s.event_heartbeat_secs = 1).await;
    let admin = app.admin().await;
    let id = app.create_user("leaver@agency.test", "member", None).await;
    let mut stream = app.open_stream(&app.token("leaver@agency.test").await, None).await.unwrap();
    let beat = stream.next_frame(Duration::from_secs(3)).await.expect("a heartbeat");
    assert_eq!(beat.comments, ["keep-alive"]);
    app.patch(&format!("/users/{id}"), &admin, json!({"status": "deactivated"})).await.assert(200);
    while stream.next_frame(Duration::from_secs(3)).await.is_some() {}
    assert!(stream.ended, "the stream of a deactivated user ends");
}

#[tokio::test]
async fn view_as_streams_what_the_client_would_hear() {
    let app = spawn_app().await;
    let world = app.world().await;
    let admin = app.admin().await;
    let viewing = app.post("/auth/impersonate", &admin, json!({"user_id": world.b.user_ids["client"]})).await.body["access_token"].as_str().unwrap().to_owned();
    let mut stream = app.open_stream(&viewing, None).await.unwrap();
    app.patch(&format!("/tasks/{}", world.a.task_id), &admin, json!({"status": "done"})).await.assert(200);
    app.patch(&format!("/tasks/{}", world.b.task_id), &admin, json!({"status": "done"})).await.assert(200);
    let ev = stream.next_of("task.updated", WAIT).await.unwrap();
    assert_eq!(ev.data["task_id"], world.b.task_id.to_string());
}

#[tokio::test]
async fn a_change_through_one_instance_reaches_a_stream_on_another() {
    let app = spawn_app().await;
    if app.backend != Backend::Postgres {
        return; // the embedded SQLite mode is one process; instances share events through PostgreSQL
    }
    let world = app.world().await;
    let other = serve_on(app.db.settings()).await;
    let token = app.token(world.a.email("client")).await;
    let ticket = app.post("/events/ticket", &token, json!({})).await.body["ticket"].as_str().unwrap().to_owned();
    let mut stream = app.stream_url(&format!("{other}/api/v1/events?ticket={ticket}")).await.unwrap();
    let admin = app.admin().await;
    app.patch(&format!("/tasks/{}", world.a.task_id), &admin, json!({"status": "done"})).await.assert(200);
    let ev = stream.next_of("task.updated", WAIT).await.expect("the other instance relays the change");
    assert_eq!(ev.data["task_id"], world.a.task_id.to_string());
}

#[tokio::test]
async fn a_client_hears_a_reply_appear_change_and_be_withdrawn() {
    let app = spawn_app().await;
    let world = app.world().await;
    let admin = app.admin().await;
    let mut client = app.open_stream(&app.token(world.a.email("client")).await, None).await.unwrap();
    let reply = app
        .post(&format!("/tasks/{}/comments", world.a.task_id), &admin, json!({"body": "v1", "visibility": "reply"}))
        .await
        .id();
    let created = client.next_of("comment.created", WAIT).await.unwrap();
    assert_eq!(created.data["comment_id"], reply.to_string());
    app.patch(&format!("/comments/{reply}"), &admin, json!({"body": "v2"})).await.assert(200);
    assert_eq!(client.next_of("comment.updated", WAIT).await.unwrap().data["comment_id"], reply.to_string());
    app.patch(&format!("/comments/{reply}"), &admin, json!({"visibility": "note"})).await.assert(200);
    assert_eq!(client.next_of("comment.deleted", WAIT).await.unwrap().data["comment_id"], reply.to_string());
    // Now a Note: edits to it are staff-only news.
    app.patch(&format!("/comments/{reply}"), &admin, json!({"body": "v3 internal"})).await.assert(200);
    let heard = client.drain(QUIET).await;
    assert!(heard.iter().all(|f| f.event.as_deref() == Some("notification.created")), "{heard:?}");
}
