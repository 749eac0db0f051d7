//! Statements of account and the agency's receivables: what each client owes, and since when.
use chrono::{Duration, Utc};
use portico_blackbox::*;
use serde_json::{Value, json};

/// Sends an invoice of `cents` (no tax) due `due_in` days from today (negative: overdue).
async fn owed(app: &TestApp, admin: &str, client: uuid::Uuid, cents: i64, due_in: i64, currency: &str) -> Value {
    let today = Utc::now().date_naive();
    let due = today + Duration::days(due_in);
    let issue = due.min(today) - Duration::days(5);
    let body = json!({"client_id": client, "issue_date": issue, "due_date": due, "currency": currency,
        "lines": [{"description": "Work", "quantity": 1, "unit_price_cents": cents}]});
    let id = app.post("/invoices", admin, body).await.assert(201).id();
    app.post(&format!("/invoices/{id}/send"), admin, json!({})).await.assert(200).body.clone()
}

#[tokio::test]
async fn a_statement_lists_what_is_open_aged_by_days_past_due_and_the_periods_payments() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let client = app.create_client("Globex").await;
    app.create_user("ap@globex.test", "client_finance", Some(client)).await;
    let not_due = owed(&app, &admin, client, 10_000, 10, "EUR").await;
    let late_10 = owed(&app, &admin, client, 20_000, -10, "EUR").await;
    let late_45 = owed(&app, &admin, client, 40_000, -45, "EUR").await;
    let late_75 = owed(&app, &admin, client, 80_000, -75, "EUR").await;
    let late_120 = owed(&app, &admin, client, 160_000, -120, "EUR").await;
    let settled = owed(&app, &admin, client, 5_000, -3, "EUR").await;
    owed(&app, &admin, client, 300_000, -40, "JPY").await;
    for (inv, cents) in [(&late_45, 15_000), (&settled, 5_000)] {
        let path = format!("/invoices/{}/payments", inv["id"].as_str().unwrap());
        app.post(&path, &admin, json!({"amount_cents": cents, "method": "bank_transfer"})).await.assert(201);
    }
    let token = app.token("ap@globex.test").await;
    let res = app.get(&format!("/clients/{client}/statement"), &token).await;
    res.assert(200);
    let s = &res.body;
    assert_eq!(s["client_name"], "Globex");
    let currencies = s["currencies"].as_array().unwrap();
    assert_eq!(currencies.len(), 2, "{s}");
    let eur = currencies.iter().find(|c| c["currency"] == "EUR").unwrap();
    assert_eq!(eur["balance_cents"], 10_000 + 20_000 + 25_000 + 80_000 + 160_000);
    assert_eq!(eur["overdue_cents"], 20_000 + 25_000 + 80_000 + 160_000);
    assert_eq!(
        eur["aging"],
        json!({"days_0_30": 30_000, "days_31_60": 25_000, "days_61_90": 80_000, "days_over_90": 160_000})
    );
    let open: Vec<&str> =
        eur["open_invoices"].as_array().unwrap().iter().map(|i| i["number"].as_str().unwrap()).collect();
    let number = |v: &Value| v["number"].as_str().unwrap().to_owned();
    // Oldest due first; the settled one is not open.
    assert_eq!(open, [&late_120, &late_75, &late_45, &late_10, &not_due].map(number));
    assert_eq!(eur["open_invoices"][0]["days_overdue"], 120);
    let paid: Vec<(String, i64)> = eur["payments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["invoice_number"].as_str().unwrap().to_owned(), p["amount_cents"].as_i64().unwrap()))
        .collect();
    assert_eq!(paid, vec![(number(&late_45), 15_000), (number(&settled), 5_000)]);
    let jpy = currencies.iter().find(|c| c["currency"] == "JPY").unwrap();
    assert_eq!(jpy["aging"]["days_31_60"], 300_000);
    // A period before the payments lists none of them.
    let long_ago = app.get(&format!("/clients/{client}/statement?from=2020-01-01&to=2020-12-31"), &token).await;
    assert!(long_ago.body["currencies"].as_array().unwrap().iter().all(|c| c["payments"] == json!([])));
    app.get(&format!("/clients/{client}/statement?from=2026-12-31&to=2026-01-01"), &token).await.assert_problem(422);

    // The same as a PDF.
    let (status, headers, pdf) = app.bytes(&format!("/clients/{client}/statement/pdf"), Some(&token), &[]).await;
    assert_eq!(status, 200);
    assert_eq!(headers["content-type"], "application/pdf");
    let text = pdf::text(&pdf);
    for expected in [
        "STATEMENT".to_owned(),
        "Globex".into(),
        "0–30 days".into(),
        "Over 90 days".into(),
        "1,600.00 EUR".into(),
        "2,950.00 EUR".into(),
        "300,000 JPY".into(),
        number(&late_120),
        number(&not_due),
        "DAYS LATE".into(),
    ] {
        assert!(text.contains(&expected), "the statement lacks {expected:?}:\n{text}");
    }
}

#[tokio::test]
async fn statements_are_the_clients_own_and_the_receivables_screen_is_staffs() {
    let app = spawn_app().await;
    let world = app.world().await;
    let (a, b) = (&world.a, &world.b);
    let finance = app.token(a.email("client_finance")).await;
    app.get(&format!("/clients/{}/statement", a.client_id), &finance).await.assert(200);
    for path in [format!("/clients/{}/statement", b.client_id), format!("/clients/{}/statement/pdf", b.client_id)] {
        app.get(&path, &finance).await.assert_problem(404);
    }
    let viewer = app.token(a.email("client_viewer")).await;
    app.get(&format!("/clients/{}/statement", a.client_id), &viewer).await.assert_problem(403);
    app.get("/billing/aging", &finance).await.assert_problem(403);
    let member = app.token(&world.member).await;
    app.get("/billing/aging", &member).await.assert_problem(403);
    // A client's statement never shows a draft, nor payments on one.
    let statement = app.get(&format!("/clients/{}/statement", a.client_id), &finance).await;
    assert!(!statement.text.contains(&a.draft_invoice_id.to_string()));
}

#[tokio::test]
async fn staff_see_every_clients_balance_and_aging_largest_first() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let small = app.create_client("Small Co").await;
    let large = app.create_client("Large Co").await;
    let settled = app.create_client("Settled Co").await;
    owed(&app, &admin, small, 10_000, -5, "EUR").await;
    owed(&app, &admin, large, 50_000, -95, "EUR").await;
    owed(&app, &admin, large, 20_000, 20, "EUR").await;
    let paid = owed(&app, &admin, settled, 7_000, 5, "EUR").await;
    let path = format!("/invoices/{}/payments", paid["id"].as_str().unwrap());
    app.post(&path, &admin, json!({"amount_cents": 7_000, "method": "card"})).await.assert(201);
    let res = app.get("/billing/aging", &admin).await;
    res.assert(200);
    let clients = res.body["clients"].as_array().unwrap();
    let names: Vec<&str> = clients.iter().map(|c| c["client_name"].as_str().unwrap()).collect();
    assert_eq!(names, ["Large Co", "Small Co"]);
    assert_eq!(clients[0]["balance_cents"], 70_000);
    assert_eq!(clients[0]["overdue_cents"], 50_000);
    assert_eq!(clients[0]["open_invoices"], 2);
    assert_eq!(clients[0]["aging"]["days_over_90"], 50_000);
    assert_eq!(clients[0]["aging"]["days_0_30"], 20_000);
    let totals = &res.body["totals"][0];
    assert_eq!((totals["currency"].as_str(), totals["balance_cents"].as_i64()), (Some("EUR"), Some(80_000)));
}
