use portico_blackbox::*;
use serde_json::json;

#[tokio::test]
async fn the_portal_home_welcomes_the_client_and_lists_their_ongoing_tasks() {
    let app = spawn_app().await;
    let world = app.world().await;
    let admin = app.admin().await;
    app.patch("/settings/portal", &admin, json!({"agency_name": "Studio North", "welcome_message": "Hi {name}!", "booking_url": "https://cal.example/studio"})).await.assert(200);
    let client = app.token(world.a.email("client")).await;
    let home = app.get("/portal", &client).await;
    home.assert(200);
    assert_eq!(home.body["agency_name"], "Studio North");
    assert_eq!(home.body["welcome"], "Hi User!");
    let cards: Vec<_> =
        home.body["cards"].as_array().unwrap().iter().map(|c| c["action"].as_str().unwrap().to_owned()).collect();
    assert_eq!(cards, ["projects", "booking", "billing"]);
    let tasks = home.body["ongoing_tasks"].as_array().unwrap();
    assert_eq!(tasks.len(), 1);
    assert_eq!(tasks[0]["id"], world.a.task_id.to_string());
    assert!(!home.text.contains(CANARY));
}

#[tokio::test]
async fn the_portal_home_is_shaped_by_the_role() {
    let app = spawn_app().await;
    let world = app.world().await;
    let finance = app.token(world.a.email("client_finance")).await;
    let home = app.get("/portal", &finance).await;
    let cards: Vec<_> =
        home.body["cards"].as_array().unwrap().iter().map(|c| c["action"].as_str().unwrap().to_owned()).collect();
    assert_eq!(cards, ["billing"]);
    assert!(home.body["ongoing_tasks"].as_array().unwrap().is_empty());
    let viewer = app.token(world.a.email("client_viewer")).await;
    let home = app.get("/portal", &viewer).await;
    let cards: Vec<_> =
        home.body["cards"].as_array().unwrap().iter().map(|c| c["action"].as_str().unwrap().to_owned()).collect();
    assert_eq!(cards, ["projects"]);
}

#[tokio::test]
async fn the_home_shows_only_the_statuses_settings_choose() {
    let app = spawn_app().await;
    let world = app.world().await;
    let admin = app.admin().await;
    app.patch("/settings/portal", &admin, json!({"home_task_statuses": ["in_progress"]})).await.assert(200);
    let client = app.token(world.a.email("client")).await;
    assert!(app.get("/portal", &client).await.body["ongoing_tasks"].as_array().unwrap().is_empty());
    app.patch(&format!("/tasks/{}", world.a.task_id), &admin, json!({"status": "in_progress"})).await.assert(200);
    assert_eq!(app.get("/portal", &client).await.body["ongoing_tasks"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn settings_are_validated_and_only_admins_change_them() {
    let app = spawn_app().await;
    let world = app.world().await;
    let admin = app.admin().await;
    let res = app.patch("/settings/portal", &admin, json!({"primary_color": "blue"})).await;
    res.assert_problem(422);
    assert!(res.body["errors"]["primary_color"].is_array());
    app.patch("/settings/portal", &admin, json!({"booking_url": "javascript:alert(1)"})).await.assert_problem(422);
    app.patch("/settings/portal", &admin, json!({"cards": [{"title": "Docs", "action": "link"}]}))
        .await
        .assert_problem(422);
    let ok = app.patch("/settings/portal", &admin, json!({"cards": [{"title": "Docs", "action": "link", "url": "https://docs.example"}], "primary_color": "#AABBCC"})).await;
    ok.assert(200);
    assert_eq!(ok.body["primary_color"], "#aabbcc");
    let manager = app.token(&world.manager).await;
    app.patch("/settings/portal", &manager, json!({"agency_name": "Hijack"})).await.assert_problem(403);
    let client = app.token(world.a.email("client")).await;
    app.get("/settings/portal", &client).await.assert_problem(403);
    assert_eq!(app.get("/branding", &client).await.assert(200).body["primary_color"], "#aabbcc");
    app.patch("/settings/portal", &client, json!({"agency_name": "Hijack"})).await.assert_problem(403);
}

#[tokio::test]
async fn the_staff_dashboard_shows_what_needs_attention_and_is_closed_to_clients() {
    let app = spawn_app().await;
    let world = app.world().await;
    let admin = app.admin().await;
    let client = app.token(world.a.email("client")).await;
    app.post(
        &format!("/tasks/{}/comments", world.a.task_id),
        &client,
        json!({"body": "Any news?", "visibility": "reply"}),
    )
    .await
    .assert(201);
    let late = app
        .post("/invoices", &admin, json!({"client_id": world.a.client_id, "issue_date": "2025-01-01", "due_date": "2025-01-31", "currency": "EUR",
            "lines": [{"description": "Old work", "quantity": 1, "unit_price_cents": 5000}]}))
        .await
        .id();
    app.post(&format!("/invoices/{late}/send"), &admin, json!({})).await.assert(200);
    app.patch(
        &format!("/tasks/{}", world.b.task_id),
        &admin,
        json!({"due_date": chrono::Utc::now().date_naive().to_string()}),
    )
    .await
    .assert(200);

    let manager = app.token(&world.manager).await;
    let dash = app.get("/dashboard", &manager).await;
    dash.assert(200);
    let replies = dash.body["client_replies"].as_array().unwrap();
    assert_eq!(replies.len(), 1, "only the client's Reply, not staff comments");
    assert_eq!(replies[0]["body"], "Any news?");
    assert!(dash.body["overdue_invoices"].as_array().unwrap().iter().any(|i| i["id"] == late.to_string()));
    assert!(dash.body["tasks_due"].as_array().unwrap().iter().any(|t| t["id"] == world.b.task_id.to_string()));
    assert!(!dash.text.contains(CANARY), "no Note on the dashboard");
    // A member does not read billing: no invoices there.
    let member = app.token(&world.member).await;
    assert!(app.get("/dashboard", &member).await.body["overdue_invoices"].as_array().unwrap().is_empty());
    assert!(
        app.get("/staff", &member).await.body.as_array().unwrap().iter().any(|s| s["email"] == world.member.as_str())
    );
    // Clients, whatever their role, get neither.
    for role in CLIENT_ROLES {
        let token = app.token(world.a.email(role)).await;
        app.get("/dashboard", &token).await.assert_problem(403);
        app.get("/staff", &token).await.assert_problem(403);
    }
}
