//! Invoices a client can keep: the server-rendered PDF (read back with poppler, as a reader's
//! PDF viewer would), and the agency seeing when a client opened one.
use portico_blackbox::*;
use serde_json::{Value, json};

async fn pdf_of(app: &TestApp, invoice: impl std::fmt::Display, token: &str) -> Vec<u8> {
    let (status, headers, bytes) = app.bytes(&format!("/invoices/{invoice}/pdf"), Some(token), &[]).await;
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&bytes));
    assert_eq!(headers["content-type"], "application/pdf");
    assert!(headers["content-disposition"].to_str().unwrap().starts_with("attachment; filename=\"INV-"));
    bytes
}

async fn sent_invoice(app: &TestApp, admin: &str, client: uuid::Uuid, lines: Value) -> Value {
    let body = json!({"client_id": client, "issue_date": "2026-11-02", "due_date": "2030-12-02", "currency": "EUR",
        "tax_rate_bp": 1900, "payment_instructions": "Transfer to IBAN DE02 1203 0000 0000 2020 51, reference the invoice number.",
        "lines": lines});
    let inv = app.post("/invoices", admin, body).await.assert(201).body.clone();
    app.post(&format!("/invoices/{}/send", inv["id"].as_str().unwrap()), admin, json!({}))
        .await
        .assert(200)
        .body
        .clone()
}

#[tokio::test]
async fn an_invoice_pdf_holds_the_letterhead_the_client_every_line_and_the_totals_as_real_text() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let settings = json!({"agency_name": "Studio Nord", "agency_address": "Hafenstraße 1\n20457 Hamburg"});
    app.patch("/settings/portal", &admin, settings).await.assert(200);
    let client = app.create_client("Müller & Söhne GmbH").await;
    let billing = json!({"billing_address": "Königsallee 12\n40212 Düsseldorf", "tax_id": "DE811907980"});
    app.patch(&format!("/clients/{client}"), &admin, billing).await.assert(200);
    app.create_user("finance@mueller.test", "client_finance", Some(client)).await;
    let lines = json!([
        {"description": "Brand workshop (two days, on site)", "quantity": 2, "unit_price_cents": 120000},
        {"description": "Logo design: three directions, two rounds of revisions", "quantity": 1, "unit_price_cents": 350000},
        {"description": "Hosting, December", "quantity": 7.5, "unit_price_cents": 1999}
    ]);
    let inv = sent_invoice(&app, &admin, client, lines).await;
    let token = app.token("finance@mueller.test").await;
    let pdf = pdf_of(&app, inv["id"].as_str().unwrap(), &token).await;
    let text = pdf::text(&pdf);
    for expected in [
        "Studio Nord",
        "Hafenstraße 1",
        "INVOICE",
        inv["number"].as_str().unwrap(),
        "Müller & Söhne GmbH",
        "Königsallee 12",
        "40212 Düsseldorf",
        "Tax ID: DE811907980",
        "2 November 2026",
        "2 December 2030",
        "Brand workshop (two days, on site)",
        "Hosting, December",
        "7.5",
        "1,200.00 EUR",
        "2,400.00 EUR",
        "3,500.00 EUR",
        "149.93 EUR",
        "Subtotal",
        "6,049.93 EUR",
        "Tax (19 %)",
        "1,149.49 EUR",
        "7,199.42 EUR",
        "Balance due",
        "Transfer to IBAN DE02 1203 0000 0000 2020 51",
    ] {
        assert!(text.contains(expected), "the PDF lacks {expected:?}:\n{text}");
    }
    // The long description wraps inside its column: both halves are there.
    assert!(text.contains("Logo design: three directions,") && text.contains("revisions"), "{text}");
    assert_eq!(inv["total_cents"], 719_942);
    assert!(!text.contains("PAID") && !text.contains("DRAFT"), "a sent invoice carries no mark: {text}");
    let info = pdf::info(&pdf);
    assert!(info.contains("(A4)"), "{info}");
    assert!(info.contains(&format!("Title:           Invoice {}", inv["number"].as_str().unwrap())), "{info}");
    let fonts = pdf::fonts(&pdf);
    // pdffonts: a heading line, a rule of dashes, then one line per font.
    let embedded: Vec<&str> = fonts.lines().filter(|l| !l.starts_with("name ") && !l.starts_with("---")).collect();
    assert!(!embedded.is_empty() && embedded.iter().all(|l| l.contains(" yes yes ")), "fonts not embedded:\n{fonts}");
}

#[tokio::test]
async fn the_paper_size_is_a_setting() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let client = app.create_client("Acme").await;
    let lines = json!([{"description": "Design", "quantity": 1, "unit_price_cents": 100}]);
    let inv = sent_invoice(&app, &admin, client, lines).await;
    let id = inv["id"].as_str().unwrap();
    assert!(pdf::info(&pdf_of(&app, id, &admin).await).contains("(A4)"));
    let res = app.patch("/settings/portal", &admin, json!({"invoice_paper": "letter"})).await;
    assert_eq!(res.assert(200).body["invoice_paper"], "letter");
    assert!(pdf::info(&pdf_of(&app, id, &admin).await).contains("612 x 792 pts (letter)"));
    app.patch("/settings/portal", &admin, json!({"invoice_paper": "a3"})).await.assert_problem(422);
}

#[tokio::test]
async fn a_two_hundred_line_invoice_runs_over_pages_and_keeps_every_line() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let client = app.create_client("Acme").await;
    let lines: Vec<Value> = (1..=200)
        .map(|i| json!({"description": format!("Work item {i:03}"), "quantity": 1, "unit_price_cents": 1000 + i}))
        .collect();
    let inv = sent_invoice(&app, &admin, client, json!(lines)).await;
    let pdf = pdf_of(&app, inv["id"].as_str().unwrap(), &admin).await;
    let text = pdf::text(&pdf);
    for i in 1..=200 {
        assert!(text.contains(&format!("Work item {i:03}")), "line {i} is missing");
    }
    let pages = pdf::pages(&pdf);
    assert!(pages >= 5, "{pages} pages");
    assert!(text.contains(&format!("Page {pages} of {pages}")));
    // Every page the table runs onto repeats its header (the totals may stand alone on the last).
    assert!(text.matches("DESCRIPTION").count() >= pages - 1, "{text}");
}

#[tokio::test]
async fn paid_void_and_draft_invoices_are_marked() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let client = app.create_client("Acme").await;
    let lines = json!([{"description": "Design", "quantity": 1, "unit_price_cents": 10000}]);
    let paid = sent_invoice(&app, &admin, client, lines.clone()).await;
    let id = paid["id"].as_str().unwrap();
    let payment = json!({"amount_cents": paid["total_cents"], "method": "bank_transfer"});
    app.post(&format!("/invoices/{id}/payments"), &admin, payment).await.assert(201);
    let text = pdf::text(&pdf_of(&app, id, &admin).await);
    assert!(text.contains("PAID") && text.contains("Amount paid"), "{text}");
    let void = sent_invoice(&app, &admin, client, lines.clone()).await;
    let id = void["id"].as_str().unwrap();
    app.post(&format!("/invoices/{id}/void"), &admin, json!({})).await.assert(200);
    assert!(pdf::text(&pdf_of(&app, id, &admin).await).contains("VOID"));
    let body = json!({"client_id": client, "due_date": "2030-01-01", "currency": "JPY", "lines": [{"description": "Design", "quantity": 3, "unit_price_cents": 15000}]});
    let draft = app.post("/invoices", &admin, body).await.assert(201).id();
    let text = pdf::text(&pdf_of(&app, draft, &admin).await);
    assert!(text.contains("DRAFT"), "{text}");
    // Yen have no minor unit: 45,000 JPY, never 450.00.
    assert!(text.contains("45,000 JPY") && !text.contains("450.00"), "{text}");
}

#[tokio::test]
async fn clients_get_no_pdf_of_a_draft_or_of_another_account_and_viewers_none_at_all() {
    let app = spawn_app().await;
    let world = app.world().await;
    let (a, b) = (&world.a, &world.b);
    let client = app.token(a.email("client")).await;
    pdf_of(&app, a.invoice_id, &client).await;
    for (token, invoice, status) in [
        (&client, a.draft_invoice_id, 404),
        (&client, b.invoice_id, 404),
        (&app.token(a.email("client_viewer")).await, a.invoice_id, 403),
    ] {
        let (got, headers, _) = app.bytes(&format!("/invoices/{invoice}/pdf"), Some(token), &[]).await;
        assert_eq!(got, status);
        assert!(headers["content-type"].to_str().unwrap().starts_with("application/problem+json"));
    }
}

async fn viewed(app: &TestApp, invoice: uuid::Uuid) -> (Value, Value) {
    let inv = app.get(&format!("/invoices/{invoice}"), &app.admin().await).await;
    (inv.body["viewed_at"].clone(), inv.body["last_viewed_at"].clone())
}

#[tokio::test]
async fn staff_see_when_a_client_first_and_last_opened_an_invoice_and_view_as_never_counts() {
    let app = spawn_app().await;
    let world = app.world().await;
    let a = &world.a;
    let invoice = a.invoice_id;
    assert_eq!(viewed(&app, invoice).await, (Value::Null, Value::Null));
    // Staff opening it, and staff viewing the portal as the client, are not the client.
    let manager = app.token(&world.manager).await;
    app.post(&format!("/invoices/{invoice}/views"), &manager, json!({})).await.assert(204);
    pdf_of(&app, invoice, &manager).await;
    let view_as = app.post("/auth/impersonate", &manager, json!({"user_id": a.user_ids["client"]})).await;
    let view_as = view_as.body["access_token"].as_str().unwrap().to_owned();
    pdf_of(&app, invoice, &view_as).await;
    assert_eq!(viewed(&app, invoice).await, (Value::Null, Value::Null));
    // View-as may call what the page calls (204) and still never counts.
    app.post(&format!("/invoices/{invoice}/views"), &view_as, json!({})).await.assert(204);
    assert_eq!(viewed(&app, invoice).await, (Value::Null, Value::Null));
    // The client opening the page, then downloading the PDF.
    let finance = app.token(a.email("client_finance")).await;
    app.post(&format!("/invoices/{invoice}/views"), &finance, json!({})).await.assert(204);
    let (first, last) = viewed(&app, invoice).await;
    assert!(first.is_string() && first == last, "{first} {last}");
    tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    pdf_of(&app, invoice, &finance).await;
    let (first_again, later) = viewed(&app, invoice).await;
    assert_eq!(first_again, first, "the first view stays the first");
    assert!(later.as_str().unwrap() > first.as_str().unwrap(), "{later} after {first}");
    // When the client opened it is the agency's to know: clients never see it.
    let theirs = app.get(&format!("/invoices/{invoice}"), &finance).await;
    assert!(theirs.body["viewed_at"].is_null() && theirs.body["last_viewed_at"].is_null(), "{}", theirs.text);
    let listed = app.get("/invoices", &finance).await;
    assert!(listed.items().iter().all(|i| i["viewed_at"].is_null()));
    // Staff hear of it live; the client's own stream never carries it.
    let staff_events = app.replay_all(&manager).await;
    assert!(staff_events.iter().any(|f| f.event.as_deref() == Some("invoice.viewed")));
    let client_events = app.replay_all(&finance).await;
    assert!(client_events.iter().all(|f| f.event.as_deref() != Some("invoice.viewed")));
    // A draft is not the client's to open, and another account's invoice is not found.
    app.post(&format!("/invoices/{}/views", a.draft_invoice_id), &finance, json!({})).await.assert_problem(404);
    app.post(&format!("/invoices/{}/views", world.b.invoice_id), &finance, json!({})).await.assert_problem(404);
    let viewer = app.token(a.email("client_viewer")).await;
    app.post(&format!("/invoices/{invoice}/views"), &viewer, json!({})).await.assert_problem(403);
}

#[tokio::test]
async fn the_invoice_email_carries_the_invoice_as_a_pdf() {
    use mail_parser::MimeHeaders;
    let sink = smtp::SmtpSink::start().await;
    let port = sink.port;
    let app = spawn_app_with(move |s| smtp::send_mail_to(s, port)).await;
    let admin = app.admin().await;
    let client = app.create_client("Acme").await;
    app.create_user("finance@acme.test", "client_finance", Some(client)).await;
    let lines = json!([{"description": "Quarterly retainer", "quantity": 1, "unit_price_cents": 250000}]);
    let inv = sent_invoice(&app, &admin, client, lines).await;
    let number = inv["number"].as_str().unwrap();
    let mail = sink.wait_for("finance@acme.test").await;
    let parsed = mail.parsed();
    assert!(parsed.subject().unwrap_or_default().contains(number));
    let attachments: Vec<_> = parsed.attachments().collect();
    assert_eq!(attachments.len(), 1, "{}", mail.data);
    let pdf = &attachments[0];
    assert_eq!(pdf.attachment_name(), Some(format!("{number}.pdf").as_str()));
    assert!(pdf.is_content_type("application", "pdf"));
    let text = pdf::text(pdf.contents());
    assert!(text.contains(number) && text.contains("Quarterly retainer") && text.contains("2,975.00 EUR"), "{text}");
    // The message still reads as before: text and HTML alike.
    assert!(mail.text().contains(number) && mail.html().contains(number));
}

/// A real 1×1 PNG.
fn png() -> Vec<u8> {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD
        .decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==")
        .unwrap()
}

#[tokio::test]
async fn the_agencys_uploaded_logo_heads_the_portal_and_every_pdf() {
    use reqwest::Method;
    let app = spawn_app().await;
    let world = app.world().await;
    let admin = app.admin().await;
    let res = app.upload_as(Method::PUT, "/settings/logo", &admin, "logo.png", png(), &[]).await;
    res.assert(200);
    let logo_url = res.body["logo_url"].as_str().unwrap().to_owned();
    assert!(logo_url.starts_with("/api/v1/branding/logo?v="), "{logo_url}");
    // Served without a sign-in (the sign-in page shows it), as what it is.
    let (status, headers, bytes) = app.bytes(&logo_url, None, &[]).await;
    assert_eq!(status, 200);
    assert_eq!(headers["content-type"], "image/png");
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert_eq!(bytes, png());
    let client = app.token(world.a.email("client")).await;
    assert_eq!(app.get("/branding", &client).await.body["logo_url"], logo_url.as_str());
    // The settings form sending the address back as it read it changes nothing.
    let same =
        app.patch("/settings/portal", &admin, json!({"logo_url": logo_url, "agency_name": "Portico Agency"})).await;
    assert_eq!(same.assert(200).body["logo_url"], logo_url.as_str());
    // On the invoice and on the statement, with the name still there as text.
    let pdf = pdf_of(&app, world.a.invoice_id, &client).await;
    assert_eq!(pdf::images(&pdf), 1, "the invoice carries the logo");
    assert!(pdf::text(&pdf).contains("Portico Agency"));
    let path = format!("/clients/{}/statement/pdf", world.a.client_id);
    let (_, _, statement) = app.bytes(&path, Some(&client), &[]).await;
    assert_eq!(pdf::images(&statement), 1, "the statement carries the logo");

    // Refused: not an image, too large, not the settings' manager. Nothing changes.
    let put = |token: &str, name: &'static str, bytes: Vec<u8>| {
        let (app, token) = (&app, token.to_owned());
        async move { app.upload_as(Method::PUT, "/settings/logo", &token, name, bytes, &[]).await }
    };
    put(&admin, "logo.png", b"<svg onload=alert(1)>".to_vec()).await.assert_problem(422);
    // A PNG whose header is right and whose pixels are gone.
    let mut damaged = png();
    damaged.truncate(40);
    put(&admin, "logo.png", damaged).await.assert_problem(422);
    let mut big = png();
    big.resize(1024 * 1024 + 10, 0);
    put(&admin, "logo.png", big).await.assert_problem(413);
    put(&client, "logo.png", png()).await.assert_problem(403);
    app.send(Method::DELETE, "/settings/logo", Some(&client), None).await.assert_problem(403);
    assert_eq!(app.get("/branding", &client).await.body["logo_url"], logo_url.as_str());

    // Removed: the PDFs go back to the name alone, the old address answers 404.
    let res = app.send(Method::DELETE, "/settings/logo", Some(&admin), None).await;
    res.assert(200);
    assert!(res.body["logo_url"].is_null());
    assert_eq!(app.bytes(&logo_url, None, &[]).await.0, 404);
    assert_eq!(pdf::images(&pdf_of(&app, world.a.invoice_id, &client).await), 0);
}

#[tokio::test]
async fn amounts_are_written_in_the_clients_locale_or_else_the_agencys_in_pdfs_statements_and_mails() {
    let sink = smtp::SmtpSink::start().await;
    let port = sink.port;
    let app = spawn_app_with(move |s| smtp::send_mail_to(s, port)).await;
    let admin = app.admin().await;
    let settings = app.patch("/settings/portal", &admin, json!({"locale": "de-de"})).await;
    assert_eq!(settings.assert(200).body["locale"], "de-DE", "stored in its canonical spelling");
    let hamburg = app.create_client("Hamburg GmbH").await;
    let zurich = app.create_client("Zürich AG").await;
    let res = app.patch(&format!("/clients/{zurich}"), &admin, json!({"locale": "de-CH"})).await;
    assert_eq!(res.assert(200).body["locale"], "de-CH");
    assert_eq!(app.get(&format!("/clients/{hamburg}"), &admin).await.body["locale"], Value::Null);
    app.create_user("ap@hamburg.test", "client_finance", Some(hamburg)).await;
    app.create_user("ap@zurich.test", "client_finance", Some(zurich)).await;
    // 7.5 × 16,460.80 = 123,456.00; 19 % tax 23,456.64; total 146,912.64.
    let lines = json!([{"description": "Retainer", "quantity": 7.5, "unit_price_cents": 1_646_080}]);

    // Hamburg has no locale of its own: the agency's German one.
    let inv = sent_invoice(&app, &admin, hamburg, lines.clone()).await;
    let text = pdf::text(&pdf_of(&app, inv["id"].as_str().unwrap(), &admin).await);
    for expected in ["7,5", "16.460,80 EUR", "123.456,00 EUR", "Tax (19 %)", "23.456,64 EUR", "146.912,64 EUR"] {
        assert!(text.contains(expected), "the PDF lacks {expected:?}:\n{text}");
    }
    assert!(!text.contains("146,912.64"), "{text}");
    let mail = sink.wait_for("ap@hamburg.test").await;
    assert!(mail.text().contains("146.912,64 EUR") && mail.html().contains("146.912,64 EUR"), "{}", mail.text());
    let attached = mail.parsed().attachments().next().map(|a| pdf::text(a.contents())).unwrap_or_default();
    assert!(attached.contains("146.912,64 EUR"), "the mailed PDF reads as the downloaded one:\n{attached}");

    // Zürich reads numbers the Swiss way, on its invoice, its statement and its mail.
    let inv = sent_invoice(&app, &admin, zurich, lines).await;
    let text = pdf::text(&pdf_of(&app, inv["id"].as_str().unwrap(), &admin).await);
    assert!(text.contains("146'912.64 EUR") && text.contains("7.5"), "{text}");
    assert!(sink.wait_for("ap@zurich.test").await.text().contains("146'912.64 EUR"));
    let finance = app.token("ap@zurich.test").await;
    let (status, _, statement) = app.bytes(&format!("/clients/{zurich}/statement/pdf"), Some(&finance), &[]).await;
    assert_eq!(status, 200);
    let text = pdf::text(&statement);
    assert!(text.contains("146'912.64 EUR"), "{text}");

    // An empty locale gives the client back to the agency's; nonsense is refused.
    let res = app.patch(&format!("/clients/{zurich}"), &admin, json!({"locale": ""})).await;
    assert_eq!(res.assert(200).body["locale"], Value::Null);
    for bad in ["english", "de_DE", "und", "12"] {
        app.patch(&format!("/clients/{zurich}"), &admin, json!({"locale": bad})).await.assert_problem(422);
        app.patch("/settings/portal", &admin, json!({"locale": bad})).await.assert_problem(422);
    }
    app.post("/clients", &admin, json!({"name": "Nowhere", "locale": "xx_YY"})).await.assert_problem(422);
    assert_eq!(app.get("/settings/portal", &admin).await.body["locale"], "de-DE");
}
