//! The portal's read pages cost a fixed, small number of SQL statements however much data
//! they show: no query per row.
use portico_blackbox::*;
use serde_json::json;

#[tokio::test]
async fn client_pages_cost_at_most_two_sql_statements_whatever_their_size() {
    // Background workers poll the database too; keep them out of the count.
    let app = spawn_app_with(|s| s.background_workers = false).await;
    let world = app.world().await;
    let admin = app.admin().await;
    // Enough rows that a query per row would show.
    for i in 0..4 {
        let pid = app
            .post("/projects", &admin, json!({"client_id": world.a.client_id, "name": format!("Extra {i}")}))
            .await
            .id();
        for j in 0..3 {
            let tid = app
                .post(
                    &format!("/projects/{pid}/tasks"),
                    &admin,
                    json!({"title": format!("T{j}"), "assignee_id": world.member_id}),
                )
                .await
                .id();
            app.post(&format!("/tasks/{tid}/comments"), &admin, json!({"body": "r", "visibility": "reply"}))
                .await
                .assert(201);
        }
    }
    let a = &world.a;
    let pages = [
        "/me".to_owned(),
        "/portal".into(),
        "/projects".into(),
        "/tasks".into(),
        "/invoices".into(),
        format!("/projects/{}", a.project_id),
        format!("/projects/{}/tasks", a.project_id),
        format!("/tasks/{}", a.task_id),
        format!("/tasks/{}?include=comments", a.task_id),
        format!("/tasks/{}/comments", a.task_id),
        format!("/comments/{}", a.reply_id),
        format!("/invoices/{}", a.invoice_id),
        format!("/invoices/{}/payments", a.invoice_id),
    ];
    for email in [a.email("client").to_owned(), world.manager.clone()] {
        let token = app.token(&email).await;
        app.get("/me", &token).await.assert(200); // warms the per-user permission cache
        for page in &pages {
            let (res, statements) = app.get_counting(page, &token).await;
            res.assert(200);
            assert!((1..=2).contains(&statements), "{email} GET {page} ran {statements} SQL statements");
            if page.ends_with("include=comments") {
                assert_eq!(statements, 1, "{email}: the task page is one statement");
            }
        }
    }
}
