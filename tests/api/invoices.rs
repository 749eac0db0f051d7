use portico_blackbox::*;
use serde_json::json;

fn draft(client: uuid::Uuid) -> serde_json::Value {
    json!({"client_id": client, "issue_date": "2026-03-01", "due_date": "2030-03-31", "currency": "eur", "tax_rate_bp": 2000,
    "payment_instructions": "IBAN XX00",
    "lines": [
        {"description": "Design", "quantity": 7.5, "unit_price_cents": 9000},
        {"description": "Hosting", "quantity": 1, "unit_price_cents": 1999}
    ]})
}

#[tokio::test]
async fn the_server_computes_line_amounts_totals_and_numbers() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let client = app.create_client("Acme").await;
    let inv = app.post("/invoices", &admin, draft(client)).await;
    inv.assert(201);
    let b = &inv.body;
    assert_eq!(b["number"], "INV-2026-0001");
    assert_eq!(b["currency"], "EUR");
    assert_eq!(b["status"], "draft");
    assert_eq!(b["lines"][0]["amount_cents"], 67_500);
    assert_eq!(b["lines"][0]["quantity"], 7.5);
    assert_eq!(b["subtotal_cents"], 69_499);
    assert_eq!(b["tax_cents"], 13_900);
    assert_eq!(b["total_cents"], 83_399);
    assert_eq!(b["balance_cents"], 83_399);
    let second = app.post("/invoices", &admin, draft(client)).await;
    assert_eq!(second.body["number"], "INV-2026-0002");
}

#[tokio::test]
async fn invoice_input_is_validated() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let client = app.create_client("Acme").await;
    let mut bad = draft(client);
    bad["lines"][0]["quantity"] = json!(0.0001);
    let res = app.post("/invoices", &admin, bad).await;
    res.assert_problem(422);
    assert!(res.body["errors"]["lines[0].quantity"].is_array(), "{}", res.text);
    let mut bad = draft(client);
    bad["currency"] = json!("euro");
    app.post("/invoices", &admin, bad).await.assert_problem(422);
    let mut bad = draft(client);
    bad["lines"] = json!([]);
    app.post("/invoices", &admin, bad).await.assert_problem(422);
    let mut bad = draft(client);
    bad["due_date"] = json!("2026-01-01");
    app.post("/invoices", &admin, bad).await.assert_problem(422);
    assert!(app.get("/invoices", &admin).await.items().is_empty());
}

#[tokio::test]
async fn drafts_are_editable_and_invisible_to_clients_until_sent() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let client_id = app.create_client("Acme").await;
    app.create_user("pay@acme.test", "client_finance", Some(client_id)).await;
    let finance = app.token("pay@acme.test").await;
    let id = app.post("/invoices", &admin, draft(client_id)).await.id();
    assert!(app.get("/invoices", &finance).await.items().is_empty());
    app.get(&format!("/invoices/{id}"), &finance).await.assert_problem(404);
    let edited = app
        .patch(
            &format!("/invoices/{id}"),
            &admin,
            json!({"tax_rate_bp": 0, "lines": [{"description": "Flat fee", "quantity": 1, "unit_price_cents": 50000}]}),
        )
        .await;
    edited.assert(200);
    assert_eq!(edited.body["total_cents"], 50_000);
    assert_eq!(edited.body["lines"].as_array().unwrap().len(), 1);
    let sent = app.post(&format!("/invoices/{id}/send"), &admin, json!({})).await;
    sent.assert(200);
    assert_eq!(sent.body["status"], "sent");
    app.post(&format!("/invoices/{id}/send"), &admin, json!({})).await.assert_problem(409);
    app.patch(&format!("/invoices/{id}"), &admin, json!({"tax_rate_bp": 100})).await.assert_problem(409);
    app.delete(&format!("/invoices/{id}"), &admin).await.assert_problem(409);
    let seen = app.get(&format!("/invoices/{id}"), &finance).await;
    seen.assert(200);
    assert_eq!(seen.body["lines"][0]["description"], "Flat fee");
    assert_eq!(app.get("/invoices", &finance).await.items().len(), 1);
}

#[tokio::test]
async fn partial_payments_add_up_until_the_invoice_is_paid() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let client = app.create_client("Acme").await;
    let id = app.post("/invoices", &admin, draft(client)).await.id();
    app.post(&format!("/invoices/{id}/payments"), &admin, json!({"amount_cents": 100, "method": "card"}))
        .await
        .assert_problem(409);
    app.post(&format!("/invoices/{id}/send"), &admin, json!({})).await.assert(200);
    let part = app
        .post(
            &format!("/invoices/{id}/payments"),
            &admin,
            json!({"amount_cents": 30_000, "method": "bank_transfer", "reference": "TX1", "paid_on": "2026-03-10"}),
        )
        .await;
    part.assert(201);
    assert_eq!(part.body["status"], "sent");
    assert_eq!(part.body["balance_cents"], 53_399);
    let over =
        app.post(&format!("/invoices/{id}/payments"), &admin, json!({"amount_cents": 60_000, "method": "card"})).await;
    over.assert_problem(422);
    assert!(over.body["errors"]["amount_cents"].is_array());
    app.post(&format!("/invoices/{id}/payments"), &admin, json!({"amount_cents": 0, "method": "card"}))
        .await
        .assert_problem(422);
    let rest =
        app.post(&format!("/invoices/{id}/payments"), &admin, json!({"amount_cents": 53_399, "method": "card"})).await;
    rest.assert(201);
    assert_eq!(rest.body["status"], "paid");
    assert_eq!(rest.body["payments"].as_array().unwrap().len(), 2);
    app.post(&format!("/invoices/{id}/void"), &admin, json!({})).await.assert_problem(409);
    assert_eq!(app.get(&format!("/invoices/{id}/payments"), &admin).await.body.as_array().unwrap().len(), 2);
    assert_eq!(app.get("/invoices?status=paid", &admin).await.items().len(), 1);
}

#[tokio::test]
async fn a_sent_invoice_past_due_shows_as_overdue() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let client = app.create_client("Acme").await;
    let mut late = draft(client);
    late["issue_date"] = json!("2025-01-01");
    late["due_date"] = json!("2025-01-31");
    let id = app.post("/invoices", &admin, late).await.id();
    assert_eq!(app.get(&format!("/invoices/{id}"), &admin).await.body["status"], "draft");
    app.post(&format!("/invoices/{id}/send"), &admin, json!({})).await.assert(200);
    assert_eq!(app.get(&format!("/invoices/{id}"), &admin).await.body["status"], "overdue");
    assert_eq!(app.get("/invoices?status=overdue", &admin).await.items().len(), 1);
    assert_eq!(app.get("/invoices?status=sent", &admin).await.items().len(), 0);
    assert_eq!(app.get("/invoices?unpaid=true", &admin).await.items().len(), 1);
    let voided = app.post(&format!("/invoices/{id}/void"), &admin, json!({})).await;
    assert_eq!(voided.body["status"], "void");
}

#[tokio::test]
async fn roles_without_billing_cannot_read_invoices() {
    let app = spawn_app().await;
    let world = app.world().await;
    let viewer = app.token(world.a.email("client_viewer")).await;
    app.get("/invoices", &viewer).await.assert_problem(403);
    app.get(&format!("/invoices/{}", world.a.invoice_id), &viewer).await.assert_problem(403);
    let member = app.token(&world.member).await;
    app.get("/invoices", &member).await.assert_problem(403);
    let client = app.token(world.a.email("client")).await;
    app.post(
        &format!("/invoices/{}/payments", world.a.invoice_id),
        &client,
        json!({"amount_cents": 1, "method": "card"}),
    )
    .await
    .assert_problem(403);
}

#[tokio::test]
async fn an_invoice_reads_the_same_in_the_list_and_on_its_own() {
    // List rows are read by column position; every field must land where it belongs.
    let app = spawn_app().await;
    let admin = app.admin().await;
    let client = app.create_client("Acme").await;
    let id = app.post("/invoices", &admin, draft(client)).await.id();
    app.post(&format!("/invoices/{id}/send"), &admin, json!({})).await.assert(200);
    app.post(&format!("/invoices/{id}/payments"), &admin, json!({"amount_cents": 100, "method": "card"}))
        .await
        .assert(201);
    let mut detail = app.get(&format!("/invoices/{id}"), &admin).await.body;
    let obj = detail.as_object_mut().unwrap();
    obj.remove("lines");
    obj.remove("payments");
    assert_eq!(detail["paid_cents"], 100);
    assert_eq!(detail["payment_instructions"], "IBAN XX00");
    assert_eq!(detail["tax_rate_bp"], 2000);
    assert!(detail["sent_at"].is_string(), "{detail}");
    let items = app.get(&format!("/invoices?client_id={client}"), &admin).await.items();
    assert_eq!(items, [detail]);
}
