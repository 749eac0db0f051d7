//! The isolation invariant, swept across every resource: a client of account B gets 404 for
//! every id of account A, on reads and writes, and A's rows are unchanged afterwards; no Note
//! ever reaches a client.
use portico_blackbox::*;
use reqwest::Method;
use serde_json::{Value, json};

fn reads(a: &Account) -> Vec<String> {
    vec![
        format!("/clients/{}", a.client_id),
        format!("/clients/{}/contacts", a.client_id),
        format!("/contacts/{}", a.contact_id),
        format!("/users/{}", a.user_ids["client"]),
        format!("/projects/{}", a.project_id),
        format!("/projects/{}/tasks", a.project_id),
        format!("/tasks/{}", a.task_id),
        format!("/tasks/{}/comments", a.task_id),
        format!("/comments/{}", a.reply_id),
        format!("/comments/{}", a.note_id),
        format!("/invoices/{}", a.invoice_id),
        format!("/invoices/{}", a.draft_invoice_id),
        format!("/invoices/{}/payments", a.invoice_id),
    ]
}

fn writes(a: &Account) -> Vec<(Method, String, Value)> {
    let m = |method: Method, path: String, body: Value| (method, path, body);
    vec![
        m(Method::PATCH, format!("/clients/{}", a.client_id), json!({"name": "Pwned"})),
        m(Method::DELETE, format!("/clients/{}", a.client_id), Value::Null),
        m(Method::POST, format!("/clients/{}/contacts", a.client_id), json!({"name": "X", "email": "x@x.test"})),
        m(Method::PATCH, format!("/contacts/{}", a.contact_id), json!({"name": "Pwned"})),
        m(Method::DELETE, format!("/contacts/{}", a.contact_id), Value::Null),
        m(Method::POST, format!("/contacts/{}/invite", a.contact_id), json!({"role": "client"})),
        m(Method::POST, format!("/contacts/{}/invite/revoke", a.contact_id), json!({})),
        m(Method::PATCH, format!("/users/{}", a.user_ids["client"]), json!({"status": "deactivated"})),
        m(Method::PATCH, format!("/projects/{}", a.project_id), json!({"name": "Pwned"})),
        m(Method::DELETE, format!("/projects/{}", a.project_id), Value::Null),
        m(Method::POST, format!("/projects/{}/tasks", a.project_id), json!({"title": "Pwned"})),
        m(Method::PATCH, format!("/tasks/{}", a.task_id), json!({"status": "done"})),
        m(Method::DELETE, format!("/tasks/{}", a.task_id), Value::Null),
        m(Method::POST, format!("/tasks/{}/comments", a.task_id), json!({"body": "Pwned", "visibility": "reply"})),
        m(Method::PATCH, format!("/comments/{}", a.reply_id), json!({"body": "Pwned"})),
        m(Method::DELETE, format!("/comments/{}", a.reply_id), Value::Null),
        m(Method::PATCH, format!("/comments/{}", a.note_id), json!({"visibility": "reply"})),
        m(Method::PATCH, format!("/invoices/{}", a.draft_invoice_id), json!({"tax_rate_bp": 0})),
        m(Method::DELETE, format!("/invoices/{}", a.draft_invoice_id), Value::Null),
        m(Method::POST, format!("/invoices/{}/send", a.draft_invoice_id), json!({})),
        m(Method::POST, format!("/invoices/{}/void", a.invoice_id), json!({})),
        m(Method::POST, format!("/invoices/{}/payments", a.invoice_id), json!({"amount_cents": 1, "method": "card"})),
    ]
}

async fn snapshot(app: &TestApp, a: &Account) -> Vec<Value> {
    let admin = app.admin().await;
    let mut out = Vec::new();
    for path in reads(a) {
        out.push(app.get(&path, &admin).await.body);
    }
    out
}

#[tokio::test]
async fn a_client_of_another_account_gets_404_for_every_id_and_changes_nothing() {
    let app = spawn_app().await;
    let world = app.world().await;
    let before = snapshot(&app, &world.a).await;
    for role in CLIENT_ROLES {
        let token = app.token(world.b.email(role)).await;
        for path in reads(&world.a) {
            let res = app.get(&path, &token).await;
            assert_eq!(res.status.as_u16(), 404, "{role} GET {path}: {}", res.text);
            res.assert_problem(404);
        }
        for (method, path, body) in writes(&world.a) {
            let body = (!body.is_null()).then_some(&body);
            let res = app.send(method.clone(), &path, Some(&token), body).await;
            assert_eq!(res.status.as_u16(), 404, "{role} {method} {path}: {}", res.text);
        }
    }
    assert_eq!(before, snapshot(&app, &world.a).await, "account A changed");
}

#[tokio::test]
async fn a_missing_id_and_a_foreign_id_look_exactly_alike() {
    let app = spawn_app().await;
    let world = app.world().await;
    let token = app.token(world.b.email("client")).await;
    let foreign = app.get(&format!("/tasks/{}", world.a.task_id), &token).await;
    let missing = app.get(&format!("/tasks/{}", uuid::Uuid::now_v7()), &token).await;
    assert_eq!(foreign.status, missing.status);
    assert_eq!(foreign.body, missing.body);
}

#[tokio::test]
async fn client_lists_hold_only_their_own_account_even_when_asking_for_another() {
    let app = spawn_app().await;
    let world = app.world().await;
    let token = app.token(world.b.email("client")).await;
    let a_ids =
        [world.a.project_id, world.a.task_id, world.a.invoice_id, world.a.draft_invoice_id].map(|id| id.to_string());
    for path in ["/projects", "/tasks", "/invoices", "/portal"].into_iter().map(String::from).chain([
        format!("/projects?client_id={}", world.a.client_id),
        format!("/tasks?client_id={}", world.a.client_id),
        format!("/tasks?project_id={}", world.a.project_id),
        format!("/invoices?client_id={}", world.a.client_id),
    ]) {
        let res = app.get(&path, &token).await;
        res.assert(200);
        for id in &a_ids {
            assert!(!res.text.contains(id.as_str()), "{path} leaks {id}");
        }
    }
    let own = app.get("/projects", &token).await.items();
    assert_eq!(own.len(), 1);
    assert_eq!(own[0]["id"], world.b.project_id.to_string());
    // Drafts of their own account stay hidden too.
    assert!(!app.get("/invoices", &token).await.text.contains(&world.b.draft_invoice_id.to_string()));
}

#[tokio::test]
async fn a_role_lacking_a_permission_on_its_own_data_gets_403() {
    let app = spawn_app().await;
    let world = app.world().await;
    let b = &world.b;
    let cases: [(&str, Method, String, Value); 6] = [
        ("client_finance", Method::GET, format!("/projects/{}", b.project_id), Value::Null),
        ("client_finance", Method::GET, format!("/tasks/{}/comments", b.task_id), Value::Null),
        ("client_viewer", Method::GET, format!("/invoices/{}", b.invoice_id), Value::Null),
        (
            "client_viewer",
            Method::POST,
            format!("/tasks/{}/comments", b.task_id),
            json!({"body": "hi", "visibility": "reply"}),
        ),
        ("client_admin", Method::PATCH, format!("/tasks/{}", b.task_id), json!({"status": "done"})),
        ("client", Method::GET, format!("/clients/{}", b.client_id), Value::Null),
    ];
    for (role, method, path, body) in cases {
        let token = app.token(b.email(role)).await;
        let body = (!body.is_null()).then_some(&body);
        app.send(method.clone(), &path, Some(&token), body).await.assert_problem(403);
    }
}

#[tokio::test]
async fn the_note_canary_never_appears_in_any_client_response() {
    let app = spawn_app().await;
    let world = app.world().await;
    let admin = app.admin().await;
    // The canary is really there for staff.
    assert!(app.get(&format!("/tasks/{}/comments", world.a.task_id), &admin).await.text.contains(CANARY));
    for account in [&world.a, &world.b] {
        for role in CLIENT_ROLES {
            let token = app.token(account.email(role)).await;
            let mut paths = vec![
                "/me".to_owned(),
                "/portal".into(),
                "/settings/portal".into(),
                "/projects".into(),
                "/tasks".into(),
                "/invoices".into(),
                format!("/projects/{}", account.project_id),
                format!("/projects/{}/tasks", account.project_id),
                format!("/tasks/{}", account.task_id),
                format!("/tasks/{}/comments", account.task_id),
                format!("/tasks/{}/comments?visibility=note", account.task_id),
                format!("/comments/{}", account.reply_id),
                format!("/comments/{}", account.note_id),
                format!("/invoices/{}", account.invoice_id),
                format!("/invoices/{}/payments", account.invoice_id),
            ];
            paths.extend(reads(&world.a));
            for path in paths {
                let res = app.get(&path, &token).await;
                assert!(!res.text.contains(CANARY), "{role} GET {path} leaked a Note");
                assert!(res.status.as_u16() != 500, "{role} GET {path}: {}", res.text);
            }
        }
    }
}
