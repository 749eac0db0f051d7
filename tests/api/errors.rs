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
    // An array is not an object, even one whose items line up with the fields.
    let array = app.post("/clients", &admin, json!(["Acme"])).await;
    array.assert_problem(422);
    assert!(array.body["errors"]["body"].is_array(), "{}", array.text);
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
async fn a_method_a_path_does_not_have_is_405_naming_the_ones_it_has() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let world = app.world().await;
    let asked = [
        (Method::PUT, "/projects".to_owned(), "GET, POST"),
        (Method::POST, format!("/projects/{}", world.a.project_id), "GET, PATCH, DELETE"),
        (Method::DELETE, "/me/two-factor".to_owned(), "GET"),
        (Method::PATCH, "/auth/login".to_owned(), "POST"),
    ];
    for (method, path, allow) in asked {
        let res = app.send(method.clone(), &path, Some(&admin), None).await;
        res.assert_problem(405);
        assert_eq!(res.headers["allow"], allow, "{method} {path}");
        assert_eq!(res.body["type"], "urn:portico:problem:method-not-allowed");
    }
    // Without a token too: which methods a path has is no secret (the spec is public).
    let anonymous = app.send(Method::PUT, "/projects", None, None).await;
    anonymous.assert_problem(405);
    // A path the API does not have stays 404, whatever the method.
    app.send(Method::PUT, "/nowhere", Some(&admin), None).await.assert_problem(404);
    app.send(Method::GET, "/projects/a/b/c", Some(&admin), None).await.assert_problem(404);
}

#[tokio::test]
async fn health_and_readiness_answer() {
    let app = spawn_app().await;
    app.send(Method::GET, "/api/healthz", None, None).await.assert(200);
    let ready = app.send(Method::GET, "/api/readyz", None, None).await;
    ready.assert(200);
    assert_eq!(ready.body["status"], "ready");
}

/// Resolves a schema's `$ref` within `spec`.
fn resolve<'a>(spec: &'a serde_json::Value, schema: &'a serde_json::Value) -> &'a serde_json::Value {
    match schema["$ref"].as_str().and_then(|r| r.strip_prefix("#/components/schemas/")) {
        Some(name) => &spec["components"]["schemas"][name],
        None => schema,
    }
}

fn is_text(schema: &serde_json::Value) -> bool {
    schema["type"] == "string" || schema["type"].as_array().is_some_and(|t| t.iter().any(|t| t == "string"))
}

#[tokio::test]
async fn a_nul_character_in_any_text_input_of_the_spec_is_a_422_naming_it_on_both_databases() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let spec = serde_json::to_value(portico::openapi::spec()).unwrap();
    let mut checked = 0;
    for (path, item) in spec["paths"].as_object().unwrap() {
        // Any id will do: the input is refused before anything is looked up.
        let url: String = path
            .split('/')
            .map(|seg| if seg.starts_with('{') { uuid::Uuid::nil().to_string() } else { seg.to_owned() })
            .collect::<Vec<_>>()
            .join("/");
        for (method, op) in item.as_object().unwrap() {
            let method: Method = method.to_uppercase().parse().unwrap();
            for param in op["parameters"].as_array().into_iter().flatten() {
                if param["in"] != "query" || !is_text(resolve(&spec, &param["schema"])) {
                    continue;
                }
                let name = param["name"].as_str().unwrap();
                let res = app.send(method.clone(), &format!("{url}?{name}=a%00b"), Some(&admin), None).await;
                res.assert_problem(422);
                assert!(res.body["errors"][name].is_array(), "{method} {path} ?{name}: {}", res.text);
                checked += 1;
            }
            let body = &op["requestBody"]["content"]["application/json"]["schema"];
            let schema = resolve(&spec, body);
            for (field, prop) in schema["properties"].as_object().into_iter().flatten() {
                if !is_text(resolve(&spec, prop)) {
                    continue;
                }
                let res = app.send(method.clone(), &url, Some(&admin), Some(&json!({ field: "a\u{0}b" }))).await;
                res.assert_problem(422);
                assert!(res.body["errors"][field].is_array(), "{method} {path} {field}: {}", res.text);
                checked += 1;
            }
        }
    }
    assert!(checked > 40, "only {checked} text inputs found in the spec");
    // Before any sign-in too.
    let res = app.login("admin\u{0}@agency.test", PASSWORD).await;
    res.assert_problem(422);
    assert!(res.body["errors"]["email"].is_array(), "{}", res.text);
}

#[tokio::test]
async fn a_hand_made_cursor_whose_key_does_not_fit_the_sort_is_a_422() {
    use base64::Engine;
    let app = spawn_app().await;
    let admin = app.admin().await;
    let world = app.world().await;
    // The task list sorted by due date, with a text key where a date belongs.
    let cursor = serde_json::json!({"s": "due_date", "k": {"t": "Text", "v": "soon"}, "id": uuid::Uuid::nil()});
    let raw = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(cursor.to_string());
    let res = app.get(&format!("/projects/{}/tasks?sort=due_date&cursor={raw}", world.a.project_id), &admin).await;
    res.assert_problem(422);
    assert!(res.body["errors"]["cursor"].is_array(), "{}", res.text);
}

#[tokio::test]
async fn an_invalid_invoice_line_is_named_by_its_place_and_an_empty_list_is_told_about_items() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let client = app.create_client("Acme").await;
    let invoice = |lines: serde_json::Value| json!({"client_id": client, "issue_date": "2026-01-10", "due_date": "2026-02-10", "currency": "EUR", "lines": lines});
    let res = app
        .post("/invoices", &admin, invoice(json!([{"description": "", "quantity": 1, "unit_price_cents": 100}])))
        .await;
    res.assert_problem(422);
    assert!(res.body["errors"]["lines[0].description"].is_array(), "{}", res.text);
    let res = app.post("/invoices", &admin, invoice(json!([]))).await;
    res.assert_problem(422);
    let told = res.body["errors"]["lines"][0].as_str().unwrap_or_default();
    assert!(told.contains("item"), "{}", res.text);
}
