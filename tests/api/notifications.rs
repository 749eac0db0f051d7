//! Notifications in the app and by e-mail, the Reply undo window and the automations.
use std::time::Duration;

use portico_blackbox::{smtp::SmtpSink, *};
use serde_json::json;

async fn app_with(undo_secs: i64) -> (TestApp, SmtpSink) {
    let sink = SmtpSink::start().await;
    let port = sink.port;
    let app = spawn_app_with(move |s| {
        smtp::send_mail_to(s, port);
        s.reply_undo_secs = undo_secs;
    })
    .await;
    (app, sink)
}

/// The user's notifications of one kind (the fixture itself causes others, e.g. invoices sent).
async fn notifications_of(app: &TestApp, email: &str, kind: &str) -> Vec<serde_json::Value> {
    app.get("/notifications", &app.token(email).await).await.items().into_iter().filter(|n| n["kind"] == kind).collect()
}

/// With an undo window, the fixture's own staff Reply is released a little later: wait for it
/// so it does not pass for the test's.
async fn settle(app: &TestApp, world: &World) {
    let client = app.token(world.a.email("client")).await;
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    while !app.get(&format!("/tasks/{}/comments", world.a.task_id), &client).await.text.contains("Reply on a") {
        assert!(tokio::time::Instant::now() < deadline, "the fixture's reply was never released");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    while notifications_of(app, world.a.email("client"), "reply").await.is_empty() {
        assert!(tokio::time::Instant::now() < deadline, "the fixture's reply notification never came");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
}

#[tokio::test]
async fn a_staff_reply_waits_out_the_undo_window_then_reaches_the_client_everywhere() {
    let (app, sink) = app_with(2).await;
    let world = app.world().await;
    settle(&app, &world).await;
    let a = &world.a;
    let manager = app.token(&world.manager).await;
    let client = app.token(a.email("client")).await;
    let mut stream = app.open_stream(&client, None).await.unwrap();
    let sent_before = sink.all().await.len();
    let reply = app
        .post(
            &format!("/tasks/{}/comments", a.task_id),
            &manager,
            json!({"body": "Draft is ready", "visibility": "reply"}),
        )
        .await;
    assert_eq!(reply.body["pending_release"], true);
    // Inside the window: staff see it pending; the client sees, hears and receives nothing.
    let thread = |token: String| {
        let app = &app;
        let path = format!("/tasks/{}/comments", a.task_id);
        async move { app.get(&path, &token).await.text }
    };
    assert!(!thread(client.clone()).await.contains("Draft is ready"));
    assert!(stream.drain(Duration::from_millis(800)).await.is_empty());
    // After it: all three.
    let ev = stream.next_of("comment.created", Duration::from_secs(6)).await.expect("released");
    assert_eq!(ev.data["task_id"], a.task_id.to_string());
    assert!(thread(client.clone()).await.contains("Draft is ready"));
    // The notifications follow the event, written right after it.
    let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
    loop {
        let mine = notifications_of(&app, a.email("client"), "reply").await;
        if mine.iter().any(|n| n["body"] == "Draft is ready" && n["link"] == format!("/tasks/{}", a.task_id)) {
            break;
        }
        assert!(tokio::time::Instant::now() < deadline, "{mine:?}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    let mail = loop {
        let all = sink.all().await;
        let found = all[sent_before.min(all.len())..]
            .iter()
            .find(|m| m.to.iter().any(|t| t == a.email("client")) && m.text().contains("Draft is ready"))
            .cloned();
        if let Some(m) = found {
            break m;
        }
        assert!(tokio::time::Instant::now() < deadline, "no e-mail about the reply");
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert!(!mail.html().is_empty());
    // Readers of tasks are told; Client Finance is not.
    assert!(
        notifications_of(&app, a.email("client_viewer"), "reply").await.iter().any(|n| n["body"] == "Draft is ready")
    );
    assert!(notifications_of(&app, a.email("client_finance"), "reply").await.is_empty());
}

#[tokio::test]
async fn a_reply_turned_into_a_note_or_deleted_within_the_window_never_reaches_the_client() {
    let (app, sink) = app_with(2).await;
    let world = app.world().await;
    settle(&app, &world).await;
    let a = &world.a;
    let manager = app.token(&world.manager).await;
    let client = app.token(a.email("client")).await;
    let mut stream = app.open_stream(&client, None).await.unwrap();
    let sent_before = sink.all().await.len();
    let replies_before = notifications_of(&app, a.email("client"), "reply").await.len();
    let oops = app
        .post(
            &format!("/tasks/{}/comments", a.task_id),
            &manager,
            json!({"body": format!("{CANARY} wrong box"), "visibility": "reply"}),
        )
        .await
        .id();
    let gone = app
        .post(
            &format!("/tasks/{}/comments", a.task_id),
            &manager,
            json!({"body": format!("{CANARY} deleted"), "visibility": "reply"}),
        )
        .await
        .id();
    app.patch(&format!("/comments/{oops}"), &manager, json!({"visibility": "note"})).await.assert(200);
    app.post(
        &format!("/tasks/{}/comments", a.task_id),
        &manager,
        json!({"body": format!("{CANARY} plain note"), "visibility": "note"}),
    )
    .await
    .assert(201);
    app.delete(&format!("/comments/{gone}"), &manager).await.assert(204);
    let heard = stream.drain(Duration::from_secs(4)).await;
    assert!(heard.is_empty(), "the client heard: {heard:?}");
    assert!(!app.get(&format!("/tasks/{}/comments", a.task_id), &client).await.text.contains(CANARY));
    assert_eq!(notifications_of(&app, a.email("client"), "reply").await.len(), replies_before);
    // Mail of the fixture's own (earlier) changes may still be draining; none is about these.
    assert!(
        sink.all().await[sent_before..].iter().all(|m| !m.data.contains(CANARY) && !m.text().contains("wrong box")),
        "no e-mail"
    );
}

#[tokio::test]
async fn a_client_reply_tells_the_staff_working_on_the_project() {
    let (app, sink) = app_with(0).await;
    let world = app.world().await;
    let client = app.token(world.a.email("client")).await;
    app.post(
        &format!("/tasks/{}/comments", world.a.task_id),
        &client,
        json!({"body": "Can we talk?", "visibility": "reply"}),
    )
    .await
    .assert(201);
    let mine = notifications_of(&app, &world.member, "client_reply").await;
    assert_eq!(mine.len(), 1, "the assignee");
    assert_eq!(mine[0]["link"], format!("/staff/tasks/{}", world.a.task_id));
    assert!(sink.wait_for(&world.member).await.text().contains("Can we talk?"));
    assert!(
        notifications_of(&app, world.a.email("client_admin"), "client_reply").await.is_empty(),
        "clients are not told of their own replies"
    );
}

#[tokio::test]
async fn a_task_moved_to_done_tells_the_client_unless_the_automation_is_off() {
    let (app, sink) = app_with(0).await;
    let world = app.world().await;
    let admin = app.admin().await;
    app.patch(&format!("/tasks/{}", world.a.task_id), &admin, json!({"status": "done"})).await.assert(200);
    assert_eq!(notifications_of(&app, world.a.email("client"), "task_done").await.len(), 1);
    sink.wait_for(world.a.email("client")).await;
    app.patch(
        "/settings/portal",
        &admin,
        json!({"automations": {"notify_task_done": false, "weekly_summary": true,
            "invoice_reminders": [{"days": 10, "message": ""}, {"days": -3, "message": "Due soon: {number}"}]}}),
    )
    .await
    .assert(200);
    app.patch(&format!("/tasks/{}", world.b.task_id), &admin, json!({"status": "done"})).await.assert(200);
    assert!(notifications_of(&app, world.b.email("client"), "task_done").await.is_empty());
    let settings = app.get("/settings/portal", &admin).await;
    // Stages are kept in order of the days.
    assert_eq!(
        settings.body["automations"]["invoice_reminders"],
        json!([{"days": -3, "message": "Due soon: {number}"}, {"days": 10, "message": ""}])
    );
}

#[tokio::test]
async fn a_sent_invoice_tells_the_users_who_read_billing() {
    let (app, _sink) = app_with(0).await;
    let world = app.world().await;
    let admin = app.admin().await;
    app.post(&format!("/invoices/{}/send", world.a.draft_invoice_id), &admin, json!({})).await.assert(200);
    let link = format!("/billing/{}", world.a.draft_invoice_id);
    let finance = notifications_of(&app, world.a.email("client_finance"), "invoice_sent").await;
    assert!(finance.iter().any(|n| n["link"] == link));
    assert!(notifications_of(&app, world.a.email("client_viewer"), "invoice_sent").await.is_empty());
    assert!(
        notifications_of(&app, world.b.email("client_finance"), "invoice_sent").await.iter().all(|n| n["link"] != link),
        "another account hears nothing"
    );
}

#[tokio::test]
async fn preferences_choose_the_app_the_mail_both_or_neither() {
    let (app, sink) = app_with(0).await;
    let world = app.world().await;
    let admin = app.admin().await;
    let client = app.token(world.a.email("client")).await;
    let prefs = app.get("/me/notification-preferences", &client).await;
    assert!(prefs.body.as_array().unwrap().iter().all(|p| p["in_app"] == true && p["email"] == true));
    app.send(
        reqwest::Method::PUT,
        "/me/notification-preferences",
        Some(&client),
        Some(&json!([{"kind": "task_done", "in_app": true, "email": false}])),
    )
    .await
    .assert(200);
    app.send(
        reqwest::Method::PUT,
        "/me/notification-preferences",
        Some(&client),
        Some(&json!([{"kind": "bogus", "in_app": true, "email": false}])),
    )
    .await
    .assert_problem(422);
    let admin_client = app.token(world.a.email("client_admin")).await;
    app.send(
        reqwest::Method::PUT,
        "/me/notification-preferences",
        Some(&admin_client),
        Some(&json!([{"kind": "task_done", "in_app": false, "email": false}])),
    )
    .await
    .assert(200);
    app.patch(&format!("/tasks/{}", world.a.task_id), &admin, json!({"status": "done"})).await.assert(200);
    assert_eq!(notifications_of(&app, world.a.email("client"), "task_done").await.len(), 1);
    assert!(notifications_of(&app, world.a.email("client_admin"), "task_done").await.is_empty());
    // Defaults: the viewer gets the mail; the two who opted out do not.
    let done_mail = |to: &str| {
        let (sink, to) = (sink.clone(), to.to_owned());
        async move { sink.all().await.iter().filter(|m| m.to.contains(&to) && m.subject().contains("Done:")).count() }
    };
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    while done_mail(world.a.email("client_viewer")).await == 0 {
        assert!(tokio::time::Instant::now() < deadline, "the viewer got no mail");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(done_mail(world.a.email("client")).await, 0);
    assert_eq!(done_mail(world.a.email("client_admin")).await, 0);
}

#[tokio::test]
async fn notifications_are_private_and_can_be_marked_read() {
    let (app, _sink) = app_with(0).await;
    let world = app.world().await;
    // Even without an undo window the fixture's Reply is released by the worker, so its
    // notification may land between two counts: let it land first.
    settle(&app, &world).await;
    let admin = app.admin().await;
    app.patch(&format!("/tasks/{}", world.a.task_id), &admin, json!({"status": "done"})).await.assert(200);
    let client = app.token(world.a.email("client")).await;
    let other = app.token(world.a.email("client_admin")).await;
    let unread = app.get("/notifications/unread-count", &client).await.body["unread"].as_u64().unwrap();
    assert!(unread >= 1);
    let id = notifications_of(&app, world.a.email("client"), "task_done").await[0]["id"].as_str().unwrap().to_owned();
    app.post(&format!("/notifications/{id}/read"), &other, json!({})).await.assert_problem(404);
    app.post(&format!("/notifications/{id}/read"), &client, json!({})).await.assert(204);
    assert_eq!(app.get("/notifications/unread-count", &client).await.body["unread"].as_u64().unwrap(), unread - 1);
    assert!(app.get("/notifications?unread=true", &client).await.items().iter().all(|n| n["id"] != id.as_str()));
    app.post("/notifications/read-all", &other, json!({})).await.assert(204);
    assert_eq!(app.get("/notifications/unread-count", &other).await.body["unread"], 0);
}
