//! The fault suite: PostgreSQL stopped, crashed and restarted under write load (a cluster of
//! the test's own), Portico killed with SIGKILL mid-work, on both databases where it applies.
//!
//! Bounded by default; `PORTICO_FAULT_ROUNDS=N` repeats the database faults N times (the long
//! mode, see the README).
use std::{
    collections::{HashMap, HashSet},
    sync::{
        Arc,
        atomic::{AtomicBool, AtomicUsize, Ordering},
    },
    time::{Duration, Instant},
};

use portico::entities::{comment, event, notification, outbox, task, webhook_delivery};
use portico_blackbox::{
    faults::{Instance, PgCluster, Stop},
    hooks::Receiver,
    smtp::SmtpSink,
    sse::EventStream,
    *,
};
use reqwest::Method;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::json;
use uuid::Uuid;

const INSTANCE: &str = env!("CARGO_BIN_EXE_portico-instance");
const WRITERS: usize = 4;

fn rounds() -> usize {
    std::env::var("PORTICO_FAULT_ROUNDS").ok().and_then(|r| r.parse().ok()).unwrap_or(1).max(1)
}

/// The database faults run in the PostgreSQL pass of the suite (they need PostgreSQL's server
/// programs, and the SQLite pass has no database server to lose).
fn postgres_pass() -> bool {
    std::env::var("PORTICO_TEST_DATABASE_URL").is_ok_and(|u| !u.is_empty())
}

/// One writer's request and what came of it.
struct Outcome {
    status: u16,
    took: Duration,
    retry_after: bool,
    id: Option<Uuid>,
}

/// Every event `stream` brings, in the order it came, until `stop` is set and the stream is quiet;
/// the stream must stay open throughout.
async fn read_until(stream: &mut EventStream, stop: &AtomicBool) -> Vec<sse::Frame> {
    let mut frames = Vec::new();
    loop {
        match stream.next_event(Duration::from_millis(500)).await {
            Some(f) => frames.push(f),
            None if stream.ended => panic!("the stream ended during the faults"),
            None if stop.load(Ordering::SeqCst) => break,
            None => {}
        }
    }
    frames.extend(stream.drain(Duration::from_secs(3)).await);
    frames
}

#[tokio::test]
async fn postgres_stopped_crashed_and_restarted_under_write_load_loses_nothing_and_skips_no_event() {
    if !postgres_pass() {
        return;
    }
    let cluster = PgCluster::start().await;
    let db = TestDb::postgres_on(&format!("postgres://postgres@127.0.0.1:{}", cluster.port)).await;
    let sink = SmtpSink::start().await;
    let hooks = Receiver::start(&[]).await;
    let smtp_port = sink.port;
    let app = spawn_app_on(db, move |s| {
        smtp::send_mail_to(s, smtp_port);
        s.mail_retry_base_secs = 1;
        s.webhook_retry_base_secs = 1;
        s.db_max_connections = 8;
        // The replays at the end page through many streams, which close lazily.
        s.max_streams_per_user = 64;
    })
    .await;
    let world = app.world().await;
    let admin = app.admin().await;
    let client = app.token(world.a.email("client")).await;
    app.post("/webhooks", &admin, json!({"url": hooks.url, "event_types": ["comment.created"]})).await.assert(201);
    let mut staff_live = app.open_stream(&admin, Some(0)).await.unwrap();
    let mut client_live = app.open_stream(&client, Some(0)).await.unwrap();

    let stop = AtomicBool::new(false);
    let outcomes: Vec<std::sync::Mutex<Vec<Outcome>>> = (0..WRITERS).map(|_| Default::default()).collect();
    let writers = (0..WRITERS).map(|w| {
        let (app, admin, stop, outcomes, task) = (&app, &admin, &stop, &outcomes, world.a.task_id);
        async move {
            let mut n = 0;
            while !stop.load(Ordering::SeqCst) {
                let started = Instant::now();
                let body = json!({"body": format!("writer {w} reply {n}"), "visibility": "reply"});
                let res = app.post(&format!("/tasks/{task}/comments"), admin, body).await;
                outcomes[w].lock().unwrap().push(Outcome {
                    status: res.status.as_u16(),
                    took: started.elapsed(),
                    retry_after: res.headers.contains_key("retry-after"),
                    id: (res.status == 201).then(|| res.id()),
                });
                n += 1;
                tokio::time::sleep(Duration::from_millis(150)).await;
            }
        }
    });
    let faults = async {
        for _ in 0..rounds() {
            tokio::time::sleep(Duration::from_millis(1500)).await;
            cluster.restart(Stop::Fast, Duration::ZERO).await;
            tokio::time::sleep(Duration::from_millis(1500)).await;
            cluster.restart(Stop::Immediate, Duration::ZERO).await;
            tokio::time::sleep(Duration::from_millis(1500)).await;
            cluster.restart(Stop::Fast, Duration::from_secs(5)).await;
        }
        // Long enough after the last fault for writes to succeed again.
        tokio::time::sleep(Duration::from_secs(3)).await;
        stop.store(true, Ordering::SeqCst);
    };
    let (_, _, staff_heard, client_heard) = tokio::join!(
        join_all(writers),
        faults,
        read_until(&mut staff_live, &stop),
        read_until(&mut client_live, &stop)
    );

    // Every answer was a success or a prompt, retryable 503; never a 500, never a hang.
    let outcomes: Vec<Outcome> = outcomes.into_iter().flat_map(|o| o.into_inner().unwrap()).collect();
    for o in &outcomes {
        assert!(o.status == 201 || o.status == 503, "a write answered {}", o.status);
        assert!(o.took < Duration::from_secs(5), "a write took {:?} to answer {}", o.took, o.status);
        assert!(o.status != 503 || o.retry_after, "a 503 without Retry-After");
    }
    let acknowledged: HashSet<Uuid> = outcomes.iter().filter_map(|o| o.id).collect();
    let refused = outcomes.iter().filter(|o| o.status == 503).count();
    assert!(refused > 0, "the faults were felt ({} writes)", outcomes.len());
    assert!(acknowledged.len() > refused, "writes went through between the faults");

    // No acknowledged write lost, and every stored comment has all of its fan-out.
    let db = app.db.connect().await;
    let stored: Vec<comment::Model> = comment::Entity::find()
        .filter(comment::Column::TaskId.eq(world.a.task_id))
        .filter(comment::Column::Body.like("writer %"))
        .all(&db)
        .await
        .unwrap();
    let stored_ids: HashSet<Uuid> = stored.iter().map(|c| c.id).collect();
    assert!(acknowledged.is_subset(&stored_ids), "acknowledged comments are stored");
    let readers = notification::Entity::find()
        .filter(notification::Column::SourceId.eq(world.a.reply_id))
        .count(&db)
        .await
        .unwrap();
    assert!(readers > 0);
    let mut created: HashMap<String, u64> = HashMap::new();
    for ev in event::Entity::find().filter(event::Column::Kind.eq("comment.created")).all(&db).await.unwrap() {
        *created.entry(ev.payload["comment_id"].as_str().unwrap_or_default().to_owned()).or_default() += 1;
    }
    for c in &stored {
        let created = created.get(&c.id.to_string()).copied().unwrap_or(0);
        let deliveries = webhook_delivery::Entity::find()
            .filter(webhook_delivery::Column::SourceId.eq(c.id))
            .count(&db)
            .await
            .unwrap();
        let notices =
            notification::Entity::find().filter(notification::Column::SourceId.eq(c.id)).count(&db).await.unwrap();
        assert_eq!((created, deliveries, notices), (1, 1, readers), "comment {} has all its fan-out", c.body);
    }

    // Every stream heard every event it may receive, live, in order, none skipped.
    for (who, token, heard) in [("staff", &admin, staff_heard), ("client", &client, client_heard)] {
        let live: Vec<i64> = heard.iter().filter_map(|f| f.id).collect();
        assert!(live.windows(2).all(|w| w[0] < w[1]), "{who}'s stream went back in order");
        let replayed: Vec<i64> = app.replay_all(token).await.iter().filter_map(|f| f.id).collect();
        assert_eq!(live, replayed, "{who}'s live stream is exactly its replay");
    }

    // Mail and webhooks catch up, each e-mail sent once, each delivery under one id.
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let pending_mail = outbox::Entity::find().filter(outbox::Column::Status.ne(outbox::SENT)).count(&db).await;
        let pending_hooks = webhook_delivery::Entity::find()
            .filter(webhook_delivery::Column::Status.ne(webhook_delivery::DELIVERED))
            .count(&db)
            .await;
        if pending_mail.unwrap() == 0 && pending_hooks.unwrap() == 0 {
            break;
        }
        assert!(Instant::now() < deadline, "mail or webhooks never caught up");
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    let mails = sink.all().await;
    let sent = outbox::Entity::find().count(&db).await.unwrap() as usize;
    let message_ids: HashSet<String> =
        mails.iter().map(|m| m.parsed().message_id().unwrap_or_default().to_owned()).collect();
    assert!(sent > 0);
    assert_eq!((mails.len(), message_ids.len()), (sent, sent), "every e-mail reached the SMTP server once");
    let delivered: HashSet<String> =
        hooks.all().await.iter().filter_map(|h| h.header("Portico-Delivery").map(str::to_owned)).collect();
    let owed = webhook_delivery::Entity::find().count(&db).await.unwrap() as usize;
    assert_eq!(delivered.len(), owed, "every webhook delivery arrived");
}

/// An instance in a process of its own on the test's database, with `env` added.
async fn instance(db: &TestDb, env: &[(&str, String)]) -> Instance {
    Instance::start(INSTANCE, &db.url, db.dir.path(), env).await
}

#[tokio::test]
async fn mail_and_webhooks_held_by_an_instance_killed_mid_send_are_taken_up_by_another_when_the_lease_runs_out() {
    let sink = SmtpSink::start().await;
    sink.set_silent(true);
    let hooks = Receiver::start(&[]).await;
    hooks.set_hanging(true);
    let db = TestDb::new().await;
    let smtp = [
        ("PORTICO_SMTP_HOST", "127.0.0.1".to_owned()),
        ("PORTICO_SMTP_PORT", sink.port.to_string()),
        ("PORTICO_SMTP_TLS", "none".to_owned()),
        ("PORTICO_SMTP_TIMEOUT_SECS", "3".to_owned()),
        ("PORTICO_WEBHOOK_TIMEOUT_SECS", "3".to_owned()),
        ("PORTICO_WORKER_LEASE_SECS", "6".to_owned()),
        ("PORTICO_MAIL_RETRY_BASE_SECS", "1".to_owned()),
    ];
    let victim = instance(&db, &smtp).await;
    let mut app = TestApp::attach(victim.base.clone(), db, Arc::new(AtomicUsize::new(0)));
    let admin = app.admin().await;
    let project =
        app.post("/projects", &admin, json!({"client_id": app.create_client("Acme").await, "name": "P"})).await;
    app.post("/webhooks", &admin, json!({"url": hooks.url, "event_types": ["task.created"]})).await.assert(201);
    let people = ["one@agency.test", "two@agency.test", "three@agency.test"];
    for email in people {
        app.create_user(email, "member", None).await;
        app.send(Method::POST, "/auth/password-reset", None, Some(&json!({"email": email}))).await.assert(202);
    }
    app.post(&format!("/projects/{}/tasks", project.assert(201).id()), &admin, json!({"title": "T"})).await.assert(201);
    // Kill it while it holds the messages and the delivery, stuck with peers that never answer.
    let watch = app.db.connect().await;
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let mail = outbox::Entity::find().filter(outbox::Column::LockedUntil.is_not_null()).count(&watch).await;
        if mail.unwrap() > 0 && !hooks.all().await.is_empty() {
            break;
        }
        assert!(Instant::now() < deadline, "the victim never took up the mail and the delivery");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    victim.kill().await;
    let killed_at = Instant::now();
    sink.set_silent(false);
    hooks.set_hanging(false);
    let mut settings = app.db.settings();
    smtp::send_mail_to(&mut settings, sink.port);
    settings.worker_lease_secs = 6;
    settings.mail_retry_base_secs = 1;
    app.base = serve_on(settings).await;
    for email in people {
        sink.wait_for(email).await;
    }
    assert!(killed_at.elapsed() < Duration::from_secs(15), "taken up about when the lease ran out");
    // Past another lease: nothing is sent twice.
    tokio::time::sleep(Duration::from_secs(7)).await;
    let mut ids: Vec<String> =
        sink.all().await.iter().map(|m| m.parsed().message_id().unwrap_or_default().to_owned()).collect();
    ids.sort();
    assert_eq!(ids.len(), people.len(), "each message sent once: {ids:?}");
    ids.dedup();
    assert_eq!(ids.len(), people.len());
    // The delivery the victim had started arrives again, under the same delivery id.
    let requests = hooks.all().await;
    let ids: HashSet<_> = requests.iter().filter_map(|h| h.header("Portico-Delivery")).collect();
    assert!(requests.len() >= 2, "delivered again after the kill");
    assert_eq!(ids.len(), 1, "a repeat carries the same delivery id");
    let rows = webhook_delivery::Entity::find().all(&watch).await.unwrap();
    assert!(rows.len() == 1 && rows[0].status == webhook_delivery::DELIVERED, "{rows:?}");
}

#[tokio::test]
async fn an_instance_killed_under_write_load_loses_no_acknowledged_write_and_its_database_opens_clean() {
    let db = TestDb::new().await;
    let victim = instance(&db, &[]).await;
    let mut app = TestApp::attach(victim.base.clone(), db, Arc::new(AtomicUsize::new(0)));
    let world = app.world().await;
    let admin = app.admin().await;
    let acknowledged = std::sync::Mutex::new(HashMap::new());
    let writers = (0..WRITERS).map(|w| {
        let (app, admin, acknowledged, project) = (&app, &admin, &acknowledged, world.a.project_id);
        async move {
            for n in 0.. {
                let title = format!("writer {w} task {n}");
                let sent = app
                    .http
                    .post(app.url(&format!("/projects/{project}/tasks")))
                    .bearer_auth(admin)
                    .json(&json!({"title": title}))
                    .send()
                    .await;
                // Once the process is gone, requests fail to connect: this writer is done.
                let Ok(res) = sent else { return };
                let Ok(body) = res.json::<serde_json::Value>().await else { return };
                if let Some(id) = body["id"].as_str() {
                    acknowledged.lock().unwrap().insert(id.to_owned(), title);
                }
            }
        }
    });
    let killer = async {
        tokio::time::sleep(Duration::from_millis(1500)).await;
        victim.kill().await;
    };
    tokio::join!(join_all(writers), killer);
    let acknowledged = acknowledged.into_inner().unwrap();
    assert!(acknowledged.len() > 10, "the writers wrote before the kill");

    let raw = app.db.connect().await;
    if app.backend == Backend::Sqlite {
        let check = raw
            .query_one_raw(sea_orm::Statement::from_string(raw.get_database_backend(), "PRAGMA integrity_check"))
            .await
            .unwrap()
            .unwrap();
        assert_eq!(check.try_get_by_index::<String>(0).unwrap(), "ok");
    }
    let stored: HashMap<String, String> =
        task::Entity::find().all(&raw).await.unwrap().into_iter().map(|t| (t.id.to_string(), t.title)).collect();
    for (id, title) in &acknowledged {
        assert_eq!(stored.get(id), Some(title), "acknowledged task {title} survived the kill");
    }
    // And the product starts on it again and serves what was written.
    app.base = serve_on(app.db.settings()).await;
    let (id, _) = acknowledged.iter().next().unwrap();
    app.get(&format!("/tasks/{id}"), &admin).await.assert(200);
}
