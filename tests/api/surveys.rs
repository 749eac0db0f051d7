//! Satisfaction surveys: asked when a task is done, a project completed or every few weeks,
//! answered once in the portal or through the e-mail's single-use link, a low score told to
//! the staff, and the scores in the metrics.
use std::time::Duration;

use chrono::{DateTime, Utc};
use portico::clock::Clock;
use portico_blackbox::{smtp::SmtpSink, *};
use reqwest::Method;
use serde_json::{Value, json};

fn at(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

async fn app_with_mail(
    adjust: impl FnOnce(&mut portico::config::Settings) + Send + 'static,
) -> (TestApp, SmtpSink, Clock) {
    let sink = SmtpSink::start().await;
    let port = sink.port;
    let clock = Clock::adjustable();
    let handle = clock.clone();
    let app = spawn_app_with(move |s| {
        smtp::send_mail_to(s, port);
        s.public_url = "https://portal.agency.test".into();
        s.clock = handle;
        adjust(s);
    })
    .await;
    (app, sink, clock)
}

async fn by_link(app: &TestApp, token: &str, score: i64, signed_in: Option<&str>) -> Res {
    let body = json!({"token": token, "score": score, "comment": "Too slow on the copy"});
    app.send(Method::POST, "/surveys/answer-by-link", signed_in, Some(&body)).await
}

async fn kinds(app: &TestApp, email: &str) -> Vec<String> {
    let list = app.get("/notifications?limit=200", &app.token(email).await).await.items();
    list.iter().map(|n| n["kind"].as_str().unwrap().to_owned()).collect()
}

#[tokio::test]
async fn a_task_done_asks_its_readers_once_and_a_low_score_reaches_the_staff() {
    let (app, sink, clock) = app_with_mail(|_| {}).await;
    let admin = app.admin().await;
    app.patch(
        "/settings/portal",
        &admin,
        json!({"surveys": {"on_task_done": true, "on_project_completed": false, "every_weeks": null}}),
    )
    .await
    .assert(200);
    clock.set(at("2026-11-02T09:00:00Z"));
    let world = app.world().await;
    let a = &world.a;
    let manager = app.token(&world.manager).await;
    app.patch(&format!("/tasks/{}", a.task_id), &manager, json!({"status": "done"})).await.assert(200);

    // Everyone of the account who reads tasks is asked — not billing, not another account.
    let client = app.token(a.email("client")).await;
    let open = app.get("/surveys", &client).await;
    open.assert(200);
    let open = open.body.as_array().unwrap().clone();
    assert_eq!(open.len(), 1, "{open:?}");
    assert_eq!(open[0]["subject"], "task");
    assert_eq!(open[0]["title"], "Task a");
    assert_eq!(app.get("/surveys", &app.token(a.email("client_finance")).await).await.body, json!([]));
    assert_eq!(app.get("/surveys", &app.token(world.b.email("client")).await).await.body, json!([]));
    // Done, reopened and done again: still one survey each.
    app.patch(&format!("/tasks/{}", a.task_id), &manager, json!({"status": "in_progress"})).await.assert(200);
    app.patch(&format!("/tasks/{}", a.task_id), &manager, json!({"status": "done"})).await.assert(200);
    assert_eq!(app.get("/surveys", &client).await.body.as_array().unwrap().len(), 1);

    // The Client Admin answers in the portal; a second answer is refused.
    let client_admin = app.token(a.email("client_admin")).await;
    let theirs = app.get("/surveys", &client_admin).await.body[0]["id"].as_str().unwrap().to_owned();
    let answered = app.post(&format!("/surveys/{theirs}/answer"), &client_admin, json!({"score": 4})).await;
    answered.assert(200);
    assert_eq!(answered.body["score"], 4);
    app.post(&format!("/surveys/{theirs}/answer"), &client_admin, json!({"score": 5})).await.assert_problem(409);
    // Someone else's survey by id is not found, and a score off the scale is refused.
    let viewer = app.token(a.email("client_viewer")).await;
    app.post(&format!("/surveys/{theirs}/answer"), &viewer, json!({"score": 5})).await.assert_problem(404);
    app.post(&format!("/surveys/{theirs}/answer"), &app.token(world.b.email("client")).await, json!({"score": 5}))
        .await
        .assert_problem(404);
    let mine = app.get("/surveys", &viewer).await.body[0]["id"].as_str().unwrap().to_owned();
    app.post(&format!("/surveys/{mine}/answer"), &viewer, json!({"score": 6})).await.assert_problem(422);
    app.post(&format!("/surveys/{mine}/answer"), &viewer, json!({"score": 0})).await.assert_problem(422);

    // An hour later the Client answers from the e-mail without signing in; the link works once.
    clock.set(at("2026-11-02T10:00:00Z"));
    let mail = sink.wait_for_subject(a.email("client"), "How did we do").await;
    let token = mail.token("survey");
    assert!(mail.link("survey").starts_with("https://portal.agency.test/survey#token="));
    // Signed in as someone else, the link is not theirs to answer.
    by_link(&app, &token, 2, Some(&app.token(world.b.email("client")).await)).await.assert_problem(403);
    by_link(&app, &token, 2, Some(&client_admin)).await.assert_problem(403);
    by_link(&app, "not-a-token", 2, None).await.assert_problem(404);
    let low = by_link(&app, &token, 2, None).await;
    low.assert(200);
    assert_eq!(low.body["comment"], "Too slow on the copy");
    by_link(&app, &token, 5, None).await.assert_problem(409);
    assert!(app.get("/surveys", &client).await.body.as_array().unwrap().is_empty());

    // A score of 2: the task's assignee and those who read the metrics hear of it; clients not.
    assert!(kinds(&app, &world.member).await.contains(&"survey_low_score".to_owned()));
    assert!(kinds(&app, &world.manager).await.contains(&"survey_low_score".to_owned()));
    assert!(!kinds(&app, a.email("client")).await.contains(&"survey_low_score".to_owned()));
    let told = sink.wait_for_subject(&world.manager, "gave a score of 2").await;
    assert!(told.text().contains("Too slow on the copy"), "{}", told.text());

    // A month later the viewer's link has expired.
    let viewer_mail = sink.wait_for_subject(a.email("client_viewer"), "How did we do").await;
    clock.set(at("2026-12-03T09:00:00Z"));
    let expired = by_link(&app, &viewer_mail.token("survey"), 5, None).await;
    expired.assert_problem(422);
    assert!(expired.body["errors"]["token"].is_array(), "{}", expired.body);
    assert!(app.get("/surveys", &viewer).await.body.as_array().unwrap().is_empty(), "an expired survey is not open");

    // The scores: three asked, two answered (4 and 2), about the member's task.
    let report = app.get("/metrics/satisfaction?from=2026-11-02T00:00:00Z&to=2026-11-09T00:00:00Z", &admin).await;
    report.assert(200);
    let r = &report.body;
    assert_eq!(r["totals"]["sent"], 3, "{r}");
    assert_eq!(r["totals"]["answered"], 2);
    assert_eq!(r["totals"]["average"], 3.0);
    assert_eq!(r["totals"]["scores"], json!([0, 1, 0, 1, 0]));
    let staff: &Value = &r["by_staff"][0];
    assert_eq!(staff["name"], format!("User {}", world.member));
    assert_eq!(r["by_project"], json!([]), "projects are a client's: none over all clients");
    assert_eq!(r["by_client"][0]["name"], "Client a");
    let of_a = app
        .get(
            &format!(
                "/metrics/satisfaction?from=2026-11-02T00:00:00Z&to=2026-11-09T00:00:00Z&client_id={}",
                a.client_id
            ),
            &admin,
        )
        .await;
    assert_eq!(of_a.body["by_project"][0]["name"], "Project a", "{}", of_a.body);
    assert_eq!(of_a.body["by_project"][0]["answered"], 2);
    assert_eq!(of_a.body["totals"], r["totals"], "account a's surveys are all there are");
    assert_eq!(r["by_week"][0]["answered"], 2);
    assert_eq!(r["answers"].as_array().unwrap().len(), 2);
    assert_eq!(r["answers"][0]["comment"], "Too slow on the copy");
    for role in CLIENT_ROLES {
        app.get("/metrics/satisfaction", &app.token(a.email(role)).await).await.assert_problem(403);
    }
}

#[tokio::test]
async fn a_completed_project_and_the_schedule_ask_as_the_settings_say() {
    let (app, sink, _clock) = app_with_mail(|s| s.scheduler_interval_secs = 1).await;
    let admin = app.admin().await;
    let world = app.world().await;
    let a = &world.a;
    // Completing a project asks its readers by default.
    app.patch(&format!("/projects/{}", a.project_id), &admin, json!({"status": "completed"})).await.assert(200);
    let client = app.token(a.email("client")).await;
    let open = app.get("/surveys", &client).await.body;
    assert_eq!(open.as_array().unwrap().len(), 1, "{open}");
    assert_eq!(open[0]["subject"], "project");
    assert_eq!(open[0]["title"], "Project a");
    // With project surveys off, another completion asks nobody.
    app.patch(
        "/settings/portal",
        &admin,
        json!({"surveys": {"on_task_done": false, "on_project_completed": false, "every_weeks": null}}),
    )
    .await
    .assert(200);
    app.patch(&format!("/projects/{}", world.b.project_id), &admin, json!({"status": "completed"})).await.assert(200);
    assert_eq!(app.get("/surveys", &app.token(world.b.email("client")).await).await.body, json!([]));
    // Every four weeks: each client user is asked about the agency's work, once per period.
    app.patch(
        "/settings/portal",
        &admin,
        json!({"surveys": {"on_task_done": false, "on_project_completed": false, "every_weeks": 4}}),
    )
    .await
    .assert(200);
    let finance = app.token(world.b.email("client_finance")).await;
    let deadline = tokio::time::Instant::now() + Duration::from_secs(15);
    loop {
        let open = app.get("/surveys", &finance).await.body;
        if let Some(s) = open.as_array().unwrap().first() {
            assert_eq!(s["subject"], "period");
            break;
        }
        assert!(tokio::time::Instant::now() < deadline, "no periodic survey");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    sink.wait_for_subject(world.b.email("client_finance"), "How is working with").await;
    tokio::time::sleep(Duration::from_secs(3)).await; // several more ticks
    assert_eq!(app.get("/surveys", &finance).await.body.as_array().unwrap().len(), 1, "once per period");
    // Out-of-range settings are refused.
    app.patch(
        "/settings/portal",
        &admin,
        json!({"surveys": {"on_task_done": false, "on_project_completed": false, "every_weeks": 60}}),
    )
    .await
    .assert_problem(422);
}
