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
    let cards: Vec<_> = home.body["cards"].as_array().unwrap().iter().map(|c| c["action"].as_str().unwrap().to_owned()).collect();
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
    let cards: Vec<_> = home.body["cards"].as_array().unwrap().iter().map(|c| c["action"].as_str().unwrap().to_owned()).collect();
    assert_eq!(cards, ["billing"]);
    assert!(home.body["ongoing_tasks"].as_array().unwrap().is_empty());
    let viewer = app.token(world.a.email("client_viewer")).await;
    let home = app.get("/portal", &viewer).await;
    let cards: Vec<_> = home.body["cards"].as_array().unwrap().iter().map(|c| c["action"].as_str().unwrap().to_owned()).collect();
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
    app.patch("/settings/portal", &admin, json!({"cards": [{"title": "Docs", "action": "link"}]})).await.assert_problem(422);
    let ok = app.patch("/settings/portal", &admin, json!({"cards": [{"title": "Docs", "action": "link", "url": "https://docs.example"}], "primary_color": "#AABBCC"})).await;
    ok.assert(200);
    assert_eq!(ok.body["primary_color"], "#aabbcc");
    let manager = app.token(&world.manager).await;
    app.patch("/settings/portal", &manager, json!({"agency_name": "Hijack"})).await.assert_problem(403);
    let client = app.token(world.a.email("client")).await;
    app.get("/settings/portal", &client).await.assert(200);
    app.patch("/settings/portal", &client, json!({"agency_name": "Hijack"})).await.assert_problem(403);
}
