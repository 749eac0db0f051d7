use portico_blackbox::*;
use reqwest::Method;
use serde_json::json;

#[tokio::test]
async fn anonymous_requests_get_401_problems() {
    let app = spawn_app().await;
    for path in ["/me", "/projects", "/tasks", "/invoices", "/clients", "/portal"] {
        app.send(Method::GET, path, None, None).await.assert_problem(401);
    }
    let res = app.send(Method::GET, "/projects", Some("not-a-jwt"), None).await;
    res.assert_problem(401);
    assert_eq!(res.headers.get("www-authenticate").unwrap(), "Bearer");
}

#[tokio::test]
async fn malformed_json_is_400_and_wrong_types_or_unknown_fields_are_422() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    app.raw(Method::POST, "/clients", &admin, "application/json", "{\"name\": ").await.assert_problem(400);
    app.raw(Method::POST, "/clients", &admin, "text/plain", "{}").await.assert_problem(400);
    let wrong = app.post("/clients", &admin, json!({"name": 42})).await;
    wrong.assert_problem(422);
    assert!(wrong.body["errors"]["name"].is_array(), "{}", wrong.text);
    let unknown = app.post("/clients", &admin, json!({"name": "Acme", "colour": "red"})).await;
    unknown.assert_problem(422);
    assert!(unknown.body["errors"]["colour"].is_array(), "{}", unknown.text);
    let missing = app.post("/clients", &admin, json!({})).await;
    missing.assert_problem(422);
    assert!(missing.body["errors"]["name"].is_array(), "{}", missing.text);
    let nested = app
        .post("/invoices", &admin, json!({"client_id": uuid::Uuid::nil(), "due_date": "2030-01-01", "currency": "EUR", "lines": [{"description": "x", "quantity": "lots", "unit_price_cents": 1}]}))
        .await;
    nested.assert_problem(422);
    assert!(nested.body["errors"]["lines[0].quantity"].is_array(), "{}", nested.text);
    // Nothing was stored by any of these.
    assert_eq!(app.get("/clients", &admin).await.items().len(), 0);
}

#[tokio::test]
async fn validation_failures_name_each_field() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let res = app
        .post("/clients/00000000-0000-0000-0000-000000000000/contacts", &admin, json!({"name": "", "email": "nope"}))
        .await;
    res.assert_problem(404);
    let client = app.create_client("Acme").await;
    let res = app.post(&format!("/clients/{client}/contacts"), &admin, json!({"name": "", "email": "nope"})).await;
    res.assert_problem(422);
    assert!(res.body["errors"]["name"].is_array() && res.body["errors"]["email"].is_array(), "{}", res.text);
}

#[tokio::test]
async fn oversized_bodies_are_refused_with_413() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let big = format!("{{\"name\": \"{}\"}}", "x".repeat(2 * 1024 * 1024));
    app.raw(Method::POST, "/clients", &admin, "application/json", big).await.assert_problem(413);
}

#[tokio::test]
async fn malformed_ids_limits_cursors_and_sorts_are_clear_problems() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    app.get("/projects/not-a-uuid", &admin).await.assert_problem(400);
    app.get("/projects/00000000-0000-0000-0000-000000000000", &admin).await.assert_problem(404);
    let res = app.get("/projects?limit=1000", &admin).await;
    res.assert_problem(422);
    assert!(res.body["errors"]["limit"].is_array());
    app.get("/projects?limit=0", &admin).await.assert_problem(422);
    app.get("/projects?limit=abc", &admin).await.assert_problem(400);
    app.get("/projects?cursor=garbage", &admin).await.assert_problem(422);
    app.get("/projects?sort=password", &admin).await.assert_problem(422);
    app.get("/projects?status=bogus", &admin).await.assert_problem(400);
    app.get("/projects?unknown=1", &admin).await.assert_problem(400);
    app.get("/tasks?status=todo,sleeping", &admin).await.assert_problem(422);
}

#[tokio::test]
async fn unknown_paths_are_404_problems_and_no_error_leaks_internals() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    app.get("/nowhere", &admin).await.assert_problem(404);
    app.send(Method::GET, "/api/nowhere", None, None).await.assert_problem(404);
    // A LIKE pattern with SQL metacharacters is just text.
    let res = app.get("/clients?q=%27%3B%20DROP%20TABLE%20clients%3B--", &admin).await;
    res.assert(200);
    {
        let text = &res.text;
        assert!(!text.to_lowercase().contains("syntax error") && !text.contains("sqlx"));
    }
}

#[tokio::test]
async fn health_and_readiness_answer() {
    let app = spawn_app().await;
    app.send(Method::GET, "/api/healthz", None, None).await.assert(200);
    let ready = app.send(Method::GET, "/api/readyz", None, None).await;
    ready.assert(200);
    assert_eq!(ready.body["status"], "ready");
}
