//! The unit of work: a change commits with everything it causes — audit rows, events, webhook
//! deliveries, notifications, e-mails — or not at all; what a withdrawn Reply caused and has
//! not reached anyone is taken back; stored JSON that is not what it should be is an error.
//!
//! Faults are injected with a database trigger that refuses one table's inserts, so the
//! failing statement is the change's last, after everything else was written.
use portico::entities::{outbox, webhook_delivery};
use portico_blackbox::*;
use sea_orm::{ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::json;

const TABLES: [&str; 7] =
    ["comments", "events", "webhook_deliveries", "notifications", "outbox", "audit_events", "jobs"];

async fn count(db: &DatabaseConnection, sql: &str) -> i64 {
    let row = db.query_one_raw(sea_orm::Statement::from_string(db.get_database_backend(), sql)).await.unwrap().unwrap();
    row.try_get_by_index::<i64>(0).unwrap()
}

/// How many rows each table of `TABLES` holds.
async fn rows(db: &DatabaseConnection) -> Vec<(&'static str, i64)> {
    let mut out = Vec::new();
    for t in TABLES {
        out.push((t, count(db, &format!("SELECT COUNT(*) FROM {t}")).await));
    }
    out
}

/// Makes every insert into `table` fail until `heal` runs.
async fn break_inserts(app: &TestApp, db: &DatabaseConnection, table: &str) {
    let sql = match app.backend {
        Backend::Sqlite => {
            format!(
                "CREATE TRIGGER fault_{table} BEFORE INSERT ON {table} BEGIN SELECT RAISE(ABORT, 'injected fault'); END"
            )
        }
        Backend::Postgres => {
            db.execute_unprepared(
                "CREATE OR REPLACE FUNCTION injected_fault() RETURNS trigger AS $$ \
                 BEGIN RAISE EXCEPTION 'injected fault'; END $$ LANGUAGE plpgsql",
            )
            .await
            .unwrap();
            format!(
                "CREATE TRIGGER fault_{table} BEFORE INSERT ON {table} FOR EACH ROW EXECUTE FUNCTION injected_fault()"
            )
        }
    };
    db.execute_unprepared(&sql).await.unwrap();
}

async fn heal(app: &TestApp, db: &DatabaseConnection, table: &str) {
    let sql = match app.backend {
        Backend::Sqlite => format!("DROP TRIGGER fault_{table}"),
        Backend::Postgres => format!("DROP TRIGGER fault_{table} ON {table}"),
    };
    db.execute_unprepared(&sql).await.unwrap();
}

/// The world, a webhook endpoint for every kind (so changes owe deliveries), and no workers,
/// so what a change wrote stays where it is.
async fn quiet_world() -> (TestApp, World, DatabaseConnection) {
    let app = spawn_app_with(|s| s.background_workers = false).await;
    let world = app.world().await;
    let kinds = ["task.updated", "comment.created", "comment.deleted", "invoice.sent", "invoice.paid"];
    let body = json!({"url": "http://127.0.0.1:9/hooks", "event_types": kinds});
    app.post("/webhooks", &app.admin().await, body).await.assert(201);
    let db = app.db.connect().await;
    (app, world, db)
}

#[tokio::test]
async fn a_client_reply_whose_change_fails_leaves_no_comment_event_delivery_notification_or_mail() {
    let (app, world, db) = quiet_world().await;
    let client = app.token(world.a.email("client")).await;
    let path = format!("/tasks/{}/comments", world.a.task_id);
    let before = rows(&db).await;
    // The e-mail to the assignee is the reply's last write.
    break_inserts(&app, &db, "outbox").await;
    let failed = app.post(&path, &client, json!({"body": "Looks good to us", "visibility": "reply"})).await;
    failed.assert_problem(500);
    assert!(!failed.text.contains("injected fault") && !failed.text.contains("outbox"), "{}", failed.text);
    assert_eq!(rows(&db).await, before, "nothing of the failed change is left");
    heal(&app, &db, "outbox").await;
    app.post(&path, &client, json!({"body": "Looks good to us", "visibility": "reply"})).await.assert(201);
    let after = rows(&db).await;
    for (table, grew) in ["comments", "events", "webhook_deliveries", "notifications", "outbox"].iter().map(|t| {
        let at = |rows: &[(&str, i64)]| rows.iter().find(|(n, _)| n == t).unwrap().1;
        (*t, at(&after) > at(&before))
    }) {
        assert!(grew, "the committed reply wrote to {table}");
    }
}

#[tokio::test]
async fn an_invoice_send_whose_change_fails_stays_a_draft_with_no_audit_event_or_notification() {
    let (app, world, db) = quiet_world().await;
    let admin = app.admin().await;
    let send = format!("/invoices/{}/send", world.a.draft_invoice_id);
    let audited = "SELECT COUNT(*) FROM audit_events WHERE action = 'invoice.sent'";
    let sends_before = count(&db, audited).await;
    let before = rows(&db).await;
    break_inserts(&app, &db, "outbox").await;
    app.post(&send, &admin, json!({})).await.assert_problem(500);
    assert_eq!(rows(&db).await, before);
    let draft = app.get(&format!("/invoices/{}", world.a.draft_invoice_id), &admin).await;
    assert_eq!(draft.body["status"], "draft");
    assert!(draft.body["sent_at"].is_null());
    let client = app.token(world.a.email("client")).await;
    app.get(&format!("/invoices/{}", world.a.draft_invoice_id), &client).await.assert_problem(404);
    heal(&app, &db, "outbox").await;
    app.post(&send, &admin, json!({})).await.assert(200);
    assert_eq!(count(&db, audited).await, sends_before + 1, "the send is audited once it commits");
}

#[tokio::test]
async fn a_task_update_whose_event_cannot_be_written_is_not_applied() {
    let (app, world, db) = quiet_world().await;
    let admin = app.admin().await;
    let path = format!("/tasks/{}", world.a.task_id);
    break_inserts(&app, &db, "events").await;
    app.patch(&path, &admin, json!({"status": "done", "title": "Renamed"})).await.assert_problem(500);
    heal(&app, &db, "events").await;
    let task = app.get(&path, &admin).await;
    assert_eq!((task.body["status"].as_str(), task.body["title"].as_str()), (Some("todo"), Some("Task a")));
}

#[tokio::test]
async fn every_committed_write_that_readers_see_has_its_event() {
    let (app, world, db) = quiet_world().await;
    let admin = app.admin().await;
    let a = &world.a;
    let events_of = |kind: &'static str| {
        let db = &db;
        async move { count(db, &format!("SELECT COUNT(*) FROM events WHERE kind = '{kind}'")).await }
    };
    let writes: Vec<(&str, reqwest::Method, String, serde_json::Value)> = vec![
        ("task.created", reqwest::Method::POST, format!("/projects/{}/tasks", a.project_id), json!({"title": "New"})),
        ("task.updated", reqwest::Method::PATCH, format!("/tasks/{}", a.task_id), json!({"status": "in_progress"})),
        ("project.updated", reqwest::Method::PATCH, format!("/projects/{}", a.project_id), json!({"name": "Renamed"})),
        (
            "note.changed",
            reqwest::Method::POST,
            format!("/tasks/{}/comments", a.task_id),
            json!({"body": "n", "visibility": "note"}),
        ),
        (
            "comment.created",
            reqwest::Method::POST,
            format!("/tasks/{}/comments", a.task_id),
            json!({"body": "r", "visibility": "reply"}),
        ),
        ("invoice.sent", reqwest::Method::POST, format!("/invoices/{}/send", a.draft_invoice_id), json!({})),
        (
            "invoice.paid",
            reqwest::Method::POST,
            format!("/invoices/{}/payments", a.invoice_id),
            json!({"amount_cents": 118000, "method": "card"}),
        ),
        ("task.deleted", reqwest::Method::DELETE, format!("/tasks/{}", a.task_id), json!(null)),
    ];
    for (kind, method, path, body) in writes {
        let before = events_of(kind).await;
        let body = (!body.is_null()).then_some(&body);
        let res = app.send(method.clone(), &path, Some(&admin), body).await;
        assert!(res.status.is_success(), "{method} {path}: {}", res.text);
        assert_eq!(events_of(kind).await, before + 1, "{method} {path} recorded its {kind} event");
    }
}

#[tokio::test]
async fn a_reply_made_a_note_is_taken_back_from_notifications_mails_and_webhooks_not_yet_delivered() {
    let (app, world, db) = quiet_world().await;
    let client_scoped =
        json!({"url": "http://127.0.0.1:9/client", "event_types": ["comment.created"], "client_id": world.a.client_id});
    app.post("/webhooks", &app.admin().await, client_scoped).await.assert(201);
    let manager = app.token(&world.manager).await;
    let client = app.token(world.a.email("client")).await;
    let reply = app
        .post(
            &format!("/tasks/{}/comments", world.a.task_id),
            &manager,
            json!({"body": "Oops, internal: margin is thin", "visibility": "reply"}),
        )
        .await;
    reply.assert(201);
    let id = reply.id();
    assert!(app.get("/notifications", &client).await.text.contains("margin is thin"));
    let mails = |status: &'static str| {
        let db = &db;
        async move {
            outbox::Entity::find()
                .filter(outbox::Column::SourceType.eq("comment"))
                .filter(outbox::Column::SourceId.eq(id))
                .filter(outbox::Column::Status.eq(status))
                .count(db)
                .await
                .unwrap()
        }
    };
    // Integrators are told it is gone (`comment.deleted`), never what it said.
    let hooks = |status: &'static str| {
        let db = &db;
        async move {
            webhook_delivery::Entity::find()
                .filter(webhook_delivery::Column::SourceType.eq("comment"))
                .filter(webhook_delivery::Column::SourceId.eq(id))
                .filter(webhook_delivery::Column::Kind.eq("comment.created"))
                .filter(webhook_delivery::Column::Status.eq(status))
                .count(db)
                .await
                .unwrap()
        }
    };
    let (pending_mails, pending_hooks) = (mails("pending").await, hooks("pending").await);
    assert!(pending_mails > 0 && pending_hooks > 0, "{pending_mails} mails, {pending_hooks} deliveries owed");
    app.patch(&format!("/comments/{id}"), &manager, json!({"visibility": "note"})).await.assert(200);
    for email in [world.a.email("client"), world.a.email("client_admin"), world.a.email("client_viewer")] {
        let mine = app.get("/notifications", &app.token(email).await).await;
        assert!(!mine.text.contains("margin is thin"), "{email}: {}", mine.text);
    }
    assert_eq!((mails("pending").await, mails("withdrawn").await), (0, pending_mails), "no e-mail about it goes out");
    assert_eq!((hooks("pending").await, hooks("withdrawn").await), (0, pending_hooks), "no webhook announces it");
}

#[tokio::test]
async fn a_deleted_reply_is_taken_back_from_its_readers_notifications() {
    let (app, world, _db) = quiet_world().await;
    let manager = app.token(&world.manager).await;
    let client = app.token(world.a.email("client")).await;
    let path = format!("/tasks/{}/comments", world.a.task_id);
    let id = app.post(&path, &manager, json!({"body": "Sent to the wrong client", "visibility": "reply"})).await.id();
    assert!(app.get("/notifications", &client).await.text.contains("wrong client"));
    app.delete(&format!("/comments/{id}"), &manager).await.assert(204);
    assert!(!app.get("/notifications", &client).await.text.contains("wrong client"));
}

#[tokio::test]
async fn settings_stored_in_the_wrong_shape_are_an_error_not_an_empty_list() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let db = app.db.connect().await;
    db.execute_unprepared("UPDATE portal_settings SET cards = '{\"not\": \"a list\"}'").await.unwrap();
    for path in ["/settings/portal", "/portal"] {
        let res = app.get(path, &admin).await;
        res.assert_problem(500);
        assert!(!res.text.contains("cards") && !res.text.contains("portal_settings"), "{}", res.text);
    }
}
