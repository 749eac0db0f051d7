//! Reminders and digests from the durable scheduler: each sent once, by one instance.
use std::time::Duration;

use chrono::{Datelike, Utc};
use portico_blackbox::*;
use serde_json::json;

async fn count(app: &TestApp, email: &str, kind: &str) -> usize {
    app.get("/notifications?limit=200", &app.token(email).await)
        .await
        .items()
        .iter()
        .filter(|n| n["kind"] == kind)
        .count()
}

#[tokio::test]
async fn an_overdue_invoice_is_reminded_once_per_stage_even_with_two_instances() {
    let app = spawn_app_with(|s| s.scheduler_interval_secs = 1).await;
    // Several instances need PostgreSQL; on the embedded SQLite there is one.
    let _second = if app.backend == Backend::Postgres {
        Some(
            serve_on({
                let mut s = app.db.settings();
                s.scheduler_interval_secs = 1;
                s
            })
            .await,
        )
    } else {
        None
    };
    let admin = app.admin().await;
    app.patch("/settings/portal", &admin, json!({"automations": {"notify_task_done": true, "weekly_summary": false, "invoice_reminders": [{"days": 1}, {"days": 7}, {"days": 30}]}})).await.assert(200);
    let client = app.create_client("Late Payer").await;
    app.create_user("pay@late.test", "client_finance", Some(client)).await;
    let due = (Utc::now().date_naive() - chrono::Duration::days(10)).to_string();
    let issued = (Utc::now().date_naive() - chrono::Duration::days(40)).to_string();
    let inv = app
        .post("/invoices", &admin, json!({"client_id": client, "issue_date": issued, "due_date": due, "currency": "EUR", "lines": [{"description": "Work", "quantity": 1, "unit_price_cents": 10000}]}))
        .await
        .id();
    app.post(&format!("/invoices/{inv}/send"), &admin, json!({})).await.assert(200);
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    while count(&app, "pay@late.test", "invoice_overdue").await == 0 {
        assert!(tokio::time::Instant::now() < deadline, "no reminder");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    tokio::time::sleep(Duration::from_secs(3)).await; // several more ticks, on both instances
    assert_eq!(count(&app, "pay@late.test", "invoice_overdue").await, 1, "stage 7 only, once");
    let n = app
        .get("/notifications", &app.token("pay@late.test").await)
        .await
        .items()
        .into_iter()
        .find(|n| n["kind"] == "invoice_overdue")
        .unwrap();
    assert!(n["body"].as_str().unwrap().contains("10 days ago"), "{n}");
    // Paid: no more reminders at later stages either.
    app.post(&format!("/invoices/{inv}/payments"), &admin, json!({"amount_cents": 10000, "method": "card"}))
        .await
        .assert(201);
}

#[tokio::test]
async fn a_weekly_summary_goes_to_each_client_user_once_a_week() {
    let weekday = Utc::now().weekday().number_from_monday();
    let app = spawn_app_with(move |s| {
        s.scheduler_interval_secs = 1;
        s.weekly_summary_weekday = weekday;
        s.weekly_summary_hour = 0;
    })
    .await;
    let world = app.world().await;
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    while count(&app, world.a.email("client"), "weekly_summary").await == 0 {
        assert!(tokio::time::Instant::now() < deadline, "no weekly summary");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    tokio::time::sleep(Duration::from_secs(3)).await;
    for role in CLIENT_ROLES {
        assert_eq!(count(&app, world.a.email(role), "weekly_summary").await, 1, "{role}");
    }
    let summary = app
        .get("/notifications", &app.token(world.a.email("client_finance")).await)
        .await
        .items()
        .into_iter()
        .find(|n| n["kind"] == "weekly_summary")
        .unwrap();
    assert!(summary["body"].as_str().unwrap().contains("Unpaid invoices"), "{summary}");
    assert!(!summary["body"].as_str().unwrap().contains("Task"), "finance does not read tasks: {summary}");
    let viewer = app
        .get("/notifications", &app.token(world.a.email("client_viewer")).await)
        .await
        .items()
        .into_iter()
        .find(|n| n["kind"] == "weekly_summary")
        .unwrap();
    assert!(!viewer["body"].as_str().unwrap().contains("INV-"), "a viewer does not read billing: {viewer}");
}

#[tokio::test]
async fn an_invoice_is_reminded_before_its_due_date_in_the_agencys_words() {
    let app = spawn_app_with(|s| s.scheduler_interval_secs = 1).await;
    let admin = app.admin().await;
    let stages = json!([
        {"days": -5, "message": "Hello {client}: {number} ({amount}) falls due on {due_date}, in {days} days."},
        {"days": 3}
    ]);
    let automations = json!({"notify_task_done": true, "weekly_summary": false, "invoice_reminders": stages});
    app.patch("/settings/portal", &admin, json!({"automations": automations})).await.assert(200);
    let client = app.create_client("Early Bird").await;
    app.create_user("pay@early.test", "client_finance", Some(client)).await;
    let today = Utc::now().date_naive();
    // Due in exactly the stage's 5 days: the stage falls on the day the invoice is sent.
    let due = (today + chrono::Duration::days(5)).to_string();
    let body = json!({"client_id": client, "issue_date": today.to_string(), "due_date": due, "currency": "EUR",
        "lines": [{"description": "Work", "quantity": 1, "unit_price_cents": 12345}]});
    let draft = app.post("/invoices", &admin, body).await;
    let (inv, number) = (draft.id(), draft.body["number"].as_str().unwrap().to_owned());
    app.post(&format!("/invoices/{inv}/send"), &admin, json!({})).await.assert(200);
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    while count(&app, "pay@early.test", "invoice_due").await == 0 {
        assert!(tokio::time::Instant::now() < deadline, "no reminder before the due date");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    tokio::time::sleep(Duration::from_secs(2)).await;
    let token = app.token("pay@early.test").await;
    let notes = app.get("/notifications", &token).await.items();
    let due_soon: Vec<_> = notes.iter().filter(|n| n["kind"] == "invoice_due").collect();
    assert_eq!(due_soon.len(), 1, "once: {notes:?}");
    assert_eq!(due_soon[0]["title"], format!("Invoice {number} is due in 5 days"));
    let body = due_soon[0]["body"].as_str().unwrap();
    assert!(
        body.starts_with("Hello Early Bird: INV-") && body.contains("(123.45 EUR)") && body.ends_with("in 5 days."),
        "{body}"
    );
    // Not overdue, so the stage after the due date has not come.
    assert_eq!(count(&app, "pay@early.test", "invoice_overdue").await, 0);
    app.patch(
        "/settings/portal",
        &admin,
        json!({"automations": {"notify_task_done": true, "weekly_summary": false,
        "invoice_reminders": [{"days": 3}, {"days": 3}]}}),
    )
    .await
    .assert_problem(422);
    app.patch(
        "/settings/portal",
        &admin,
        json!({"automations": {"notify_task_done": true, "weekly_summary": false,
        "invoice_reminders": [{"days": -400}]}}),
    )
    .await
    .assert_problem(422);
}

#[tokio::test]
async fn a_stage_that_fell_before_the_invoice_was_sent_is_not_sent() {
    let app = spawn_app_with(|s| s.scheduler_interval_secs = 1).await;
    let admin = app.admin().await;
    let automations = json!({"notify_task_done": true, "weekly_summary": false,
        "invoice_reminders": [{"days": -3}, {"days": 7}]});
    app.patch("/settings/portal", &admin, json!({"automations": automations})).await.assert(200);
    let client = app.create_client("Short Terms").await;
    app.create_user("pay@short.test", "client_finance", Some(client)).await;
    let today = Utc::now().date_naive();
    // Due in two days: three days before it was yesterday.
    let body = json!({"client_id": client, "due_date": (today + chrono::Duration::days(2)).to_string(),
        "currency": "EUR", "lines": [{"description": "Work", "quantity": 1, "unit_price_cents": 100}]});
    let inv = app.post("/invoices", &admin, body).await.id();
    app.post(&format!("/invoices/{inv}/send"), &admin, json!({})).await.assert(200);
    // The invoice's own notification arrives; several ticks later still no "due in" reminder.
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    while count(&app, "pay@short.test", "invoice_sent").await == 0 {
        assert!(tokio::time::Instant::now() < deadline, "no invoice notification");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert_eq!(count(&app, "pay@short.test", "invoice_due").await, 0);
}
