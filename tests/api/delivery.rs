//! Delivery under concurrency and misbehaving peers: streams that never skip an event while
//! several writers commit at once, mail that a silent SMTP server cannot stall, webhook
//! endpoints that cannot hold each other up. (Database restarts and killed processes are in
//! `faults`.)
use std::time::Duration;

use portico_blackbox::{hooks::Receiver, smtp::SmtpSink, sse::EventStream, *};
use reqwest::Method;
use serde_json::json;

const WRITERS: usize = 4;
const WRITES_EACH: usize = 40;

/// Every event id of `frames`, in the order they came.
fn ids(frames: &[sse::Frame]) -> Vec<i64> {
    frames.iter().filter_map(|f| f.id).collect()
}

/// Reads `stream` until it has been quiet for a while.
async fn everything(stream: &mut EventStream) -> Vec<sse::Frame> {
    stream.drain(Duration::from_millis(2500)).await
}

#[tokio::test]
async fn concurrent_writers_never_make_a_stream_skip_or_reorder_an_event() {
    // The replays at the end page through many streams, which close lazily.
    let app = spawn_app_with(|s| s.max_streams_per_user = 64).await;
    let world = app.world().await;
    let admin = app.admin().await;
    let client = app.token(world.a.email("client")).await;
    let mut tasks = vec![world.a.task_id];
    for i in 1..WRITERS {
        let task = app
            .post(&format!("/projects/{}/tasks", world.a.project_id), &admin, json!({"title": format!("Task {i}")}))
            .await
            .assert(201)
            .id();
        tasks.push(task);
    }
    // From the first event on, so the live streams and a replay afterwards cover the same span.
    let mut staff_live = app.open_stream(&admin, Some(0)).await.unwrap();
    let mut client_live = app.open_stream(&client, Some(0)).await.unwrap();
    let writers = tasks.iter().map(|task| {
        let (app, admin) = (&app, &admin);
        async move {
            for n in 0..WRITES_EACH {
                let priority = ["low", "high"][n % 2];
                let body = json!({"title": format!("Revision {n}"), "priority": priority});
                app.patch(&format!("/tasks/{task}"), admin, body).await.assert(200);
            }
        }
    });
    let reading = async {
        // Read while the writers write, as a browser would.
        let (staff, client) = tokio::join!(everything(&mut staff_live), everything(&mut client_live));
        (staff, client)
    };
    let (_, (staff_heard, client_heard)) = tokio::join!(join_all(writers), reading);
    let staff_heard = [staff_heard, everything(&mut staff_live).await].concat();
    let client_heard = [client_heard, everything(&mut client_live).await].concat();

    for (who, token, heard) in [("staff", &admin, staff_heard), ("client", &client, client_heard)] {
        let live = ids(&heard);
        assert!(live.windows(2).all(|w| w[0] < w[1]), "{who}'s stream went back in order: {live:?}");
        let updates = heard.iter().filter(|f| f.event.as_deref() == Some("task.updated")).count();
        assert_eq!(updates, WRITERS * WRITES_EACH, "{who} heard every task update live");
        // A replay from the start is what the reader was entitled to: the live stream had all of it.
        let replayed = ids(&app.replay_all(token).await);
        assert_eq!(live, replayed, "{who}'s live stream is exactly its replay");
    }
}

#[tokio::test]
async fn an_smtp_server_that_accepts_and_says_nothing_stalls_mail_only_until_it_answers_again() {
    let sink = SmtpSink::start().await;
    sink.set_silent(true);
    let port = sink.port;
    let app = spawn_app_with(move |s| {
        smtp::send_mail_to(s, port);
        s.smtp_timeout_secs = 1;
        s.worker_lease_secs = 4;
        s.mail_retry_base_secs = 1;
    })
    .await;
    let people = ["one@agency.test", "two@agency.test", "three@agency.test"];
    for email in people {
        app.create_user(email, "member", None).await;
        app.send(Method::POST, "/auth/password-reset", None, Some(&json!({"email": email}))).await.assert(202);
    }
    // Long enough for several attempts to hang and time out.
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert!(sink.all().await.is_empty());
    sink.set_silent(false);
    for email in people {
        sink.wait_for(email).await;
    }
    let ids: Vec<String> =
        sink.all().await.iter().map(|m| m.parsed().message_id().unwrap_or_default().to_owned()).collect();
    let mut unique = ids.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), people.len(), "each message once, each with its own Message-ID: {ids:?}");
}

#[tokio::test]
async fn a_hanging_webhook_endpoint_holds_up_no_other_endpoint() {
    let app = spawn_app_with(|s| {
        s.webhook_timeout_secs = 5;
        s.worker_lease_secs = 10;
        s.webhook_retry_base_secs = 1;
    })
    .await;
    let world = app.world().await;
    let admin = app.admin().await;
    let (stuck, healthy) = (Receiver::start(&[]).await, Receiver::start(&[]).await);
    stuck.set_hanging(true);
    let mut endpoints = Vec::new();
    for r in [&stuck, &healthy] {
        let made = app.post("/webhooks", &admin, json!({"url": r.url, "event_types": ["task.updated"]})).await;
        endpoints.push(made.assert(201).id());
    }
    for n in 0..5 {
        let started = tokio::time::Instant::now();
        app.patch(&format!("/tasks/{}", world.a.task_id), &admin, json!({"title": format!("Take {n}")}))
            .await
            .assert(200);
        healthy.wait_for(n + 1).await;
        // The worker polls once a second; a hanging neighbour must add nothing to that.
        assert!(
            started.elapsed() < Duration::from_millis(2500),
            "delivery {n} to the healthy endpoint took {:?}",
            started.elapsed()
        );
    }
    // The stuck endpoint got its first request and is still being waited on; nothing is lost.
    assert!(!stuck.all().await.is_empty());
    stuck.set_hanging(false);
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    loop {
        let listed = app.get(&format!("/webhooks/{}/deliveries", endpoints[0]), &admin).await;
        let statuses: Vec<_> = listed.assert(200).items().iter().map(|d| d["status"].clone()).collect();
        if statuses.len() == 5 && statuses.iter().all(|s| s == "delivered") {
            break;
        }
        assert!(tokio::time::Instant::now() < deadline, "the stuck endpoint's deliveries: {statuses:?}");
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
}

#[tokio::test]
async fn a_mail_batch_that_outlasts_its_lease_is_not_sent_again_by_another_instance() {
    use portico::services::{
        events::Source,
        mail::{Email, enqueue},
    };
    let sink = SmtpSink::start().await;
    sink.set_delay(Duration::from_millis(700));
    let port = sink.port;
    let mail = move |s: &mut portico::config::Settings| {
        smtp::send_mail_to(s, port);
        // Each message takes 0.7 s; a batch of six outlasts a 2 s lease three times over.
        s.worker_lease_secs = 2;
    };
    let one = spawn_app_with(mail).await;
    if one.backend != Backend::Postgres {
        return; // several instances on one database need PostgreSQL
    }
    let mut settings = one.db.settings();
    mail(&mut settings);
    let _two = serve_on(settings).await;
    // Six messages committed at once, so one worker's poll claims them all as one batch.
    let people: Vec<String> = (0..6).map(|i| format!("person{i}@agency.test")).collect();
    let db = one.db.connect().await;
    let txn = sea_orm::TransactionTrait::begin(&db).await.unwrap();
    for to in &people {
        let email = Email {
            kind: "test",
            to: to.clone(),
            subject: "s".into(),
            text: "t".into(),
            html: "h".into(),
            reply_to: None,
        };
        enqueue(&txn, email, Source::user(uuid::Uuid::nil()), None).await.unwrap();
    }
    txn.commit().await.unwrap();
    for email in &people {
        sink.wait_for(email).await;
    }
    tokio::time::sleep(Duration::from_secs(4)).await; // past two more leases and several polls
    let mut ids: Vec<String> =
        sink.all().await.iter().map(|m| m.parsed().message_id().unwrap_or_default().to_owned()).collect();
    ids.sort();
    let total = ids.len();
    ids.dedup();
    assert_eq!((total, ids.len()), (people.len(), people.len()), "each message sent once");
}
