//! Languages: each person chooses theirs (or leaves it to their browser and the agency), and
//! what Portico writes to them — notifications, e-mails, invoices and statements — is in it.
use portico_blackbox::{smtp::SmtpSink, *};
use reqwest::Method;
use serde_json::{Value, json};

async fn app_with_mail() -> (TestApp, SmtpSink) {
    let sink = SmtpSink::start().await;
    let port = sink.port;
    (spawn_app_with(move |s| smtp::send_mail_to(s, port)).await, sink)
}

async fn notices(app: &TestApp, email: &str, kind: &str) -> Vec<Value> {
    app.get("/notifications", &app.token(email).await).await.items().into_iter().filter(|n| n["kind"] == kind).collect()
}

#[tokio::test]
async fn a_person_chooses_their_language_and_may_give_the_choice_back() {
    let app = spawn_app().await;
    let world = app.world().await;
    let client = app.token(world.a.email("client")).await;
    assert_eq!(app.get("/me", &client).await.assert(200).body["language"], Value::Null, "automatic at first");
    let me = app.patch("/me", &client, json!({"language": "de"})).await;
    assert_eq!(me.assert(200).body["language"], "de");
    assert_eq!(app.get("/me", &client).await.body["language"], "de");
    // A name change leaves the language alone; `null` hands it back to the browser.
    app.patch("/me", &client, json!({"name": "Kim"})).await.assert(200);
    assert_eq!(app.get("/me", &client).await.body["language"], "de");
    assert_eq!(app.patch("/me", &client, json!({"language": null})).await.assert(200).body["language"], Value::Null);
    for bad in ["it", "DE", "english"] {
        app.patch("/me", &client, json!({"language": bad})).await.assert_problem(422);
    }
    assert_eq!(app.get("/me", &client).await.body["language"], Value::Null, "nothing changed by a refused one");
}

#[tokio::test]
async fn the_agency_sets_a_default_language_that_branding_tells_every_signed_in_user() {
    let app = spawn_app().await;
    let world = app.world().await;
    let admin = app.admin().await;
    let client = app.token(world.a.email("client")).await;
    assert_eq!(app.get("/branding", &client).await.assert(200).body["language"], "en");
    assert_eq!(
        app.patch("/settings/portal", &admin, json!({"language": "fr"})).await.assert(200).body["language"],
        "fr"
    );
    assert_eq!(app.get("/branding", &client).await.body["language"], "fr");
    app.patch("/settings/portal", &admin, json!({"language": "es"})).await.assert_problem(422);
    app.patch("/settings/portal", &client, json!({"language": "de"})).await.assert_problem(403);
    assert_eq!(app.get("/settings/portal", &admin).await.body["language"], "fr");
}

#[tokio::test]
async fn each_recipient_of_one_notice_reads_it_in_their_own_language() {
    let (app, sink) = app_with_mail().await;
    let world = app.world().await;
    let admin = app.admin().await;
    let german = world.a.email("client");
    let viewer = world.a.email("client_viewer");
    app.patch("/me", &app.token(german).await, json!({"language": "de"})).await.assert(200);
    app.patch("/settings/portal", &admin, json!({"language": "fr"})).await.assert(200);

    app.patch(&format!("/tasks/{}", world.a.task_id), &admin, json!({"status": "done"})).await.assert(200);
    let task = app.get(&format!("/tasks/{}", world.a.task_id), &admin).await;
    let title = task.body["title"].as_str().unwrap().to_owned();
    // The one who chose German reads German; the one who chose nothing, the agency's French.
    assert_eq!(notices(&app, german, "task_done").await[0]["title"], format!("Erledigt: {title}"));
    assert_eq!(notices(&app, german, "task_done").await[0]["body"], "Diese Aufgabe ist abgeschlossen.");
    assert_eq!(notices(&app, viewer, "task_done").await[0]["title"], format!("Terminé\u{a0}: {title}"));
    let mail = sink.wait_for_subject(german, &format!("Erledigt: {title}")).await;
    assert!(mail.text().starts_with("Hallo ") && mail.text().contains("Im Portal ansehen:"), "{}", mail.text());
    assert!(mail.html().contains("Falls die Schaltfläche nicht funktioniert"), "the layout too");
    let mail = sink.wait_for_subject(viewer, &format!("Terminé\u{a0}: {title}")).await;
    assert!(mail.text().starts_with("Bonjour ") && mail.text().contains("Voir dans le portail"), "{}", mail.text());
}

#[tokio::test]
async fn an_invitation_goes_out_in_the_agencys_language_with_its_dates_in_words_of_that_language() {
    let (app, sink) = app_with_mail().await;
    let admin = app.admin().await;
    app.patch("/settings/portal", &admin, json!({"agency_name": "Studio Nord", "language": "de"})).await.assert(200);
    let client = app.create_client("Acme").await;
    let contact =
        app.post(&format!("/clients/{client}/contacts"), &admin, json!({"name": "Jo", "email": "jo@acme.test"})).await;
    let contact = contact.assert(201).body["id"].as_str().unwrap().to_owned();
    app.post(&format!("/contacts/{contact}/invite"), &admin, json!({"role": "client"})).await.assert(201);
    let mail = sink.wait_for("jo@acme.test").await;
    assert_eq!(mail.subject(), "Studio Nord hat Sie in sein Kundenportal eingeladen");
    let months = [
        "Januar",
        "Februar",
        "März",
        "April",
        "Mai",
        "Juni",
        "Juli",
        "August",
        "September",
        "Oktober",
        "November",
        "Dezember",
    ];
    assert!(months.iter().any(|m| mail.text().contains(m)), "the expiry date in German words: {}", mail.text());
    assert!(mail.html().contains("Einladung annehmen"));
}

#[tokio::test]
async fn invoices_and_statements_are_written_in_the_language_of_the_clients_locale_else_the_agencys() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let paris = app.create_client("Paris SARL").await;
    app.patch(&format!("/clients/{paris}"), &admin, json!({"locale": "fr-FR"})).await.assert(200);
    let rome = app.create_client("Roma Srl").await;
    app.patch(&format!("/clients/{rome}"), &admin, json!({"locale": "it-IT"})).await.assert(200);
    app.patch("/settings/portal", &admin, json!({"language": "de"})).await.assert(200);
    let lines = json!([{"description": "Design", "quantity": 1, "unit_price_cents": 10_000}]);
    for (client, expected, not) in [
        (paris, ["FACTURE", "Numéro de facture", "Solde dû", "Page 1 sur 1"], "Balance due"),
        // No Italian: the agency's German, with Italian numbers.
        (rome, ["RECHNUNG", "Rechnungsnummer", "Offener Betrag", "Seite 1 von 1"], "Balance due"),
    ] {
        let inv = app
            .post(
                "/invoices",
                &admin,
                json!({"client_id": client, "currency": "EUR", "lines": lines, "due_date": "2027-01-15"}),
            )
            .await;
        let id = inv.assert(201).body["id"].as_str().unwrap().to_owned();
        let (status, _, pdf) = app.bytes(&format!("/invoices/{id}/pdf"), Some(&admin), &[]).await;
        assert_eq!(status, 200);
        let text = pdf::text(&pdf);
        for e in expected {
            assert!(text.contains(e), "{e:?} missing:\n{text}");
        }
        assert!(!text.contains(not), "{text}");
    }
    let (status, _, statement) = app.bytes(&format!("/clients/{paris}/statement/pdf"), Some(&admin), &[]).await;
    assert_eq!(status, 200);
    let text = pdf::text(&statement);
    assert!(
        text.contains("RELEVÉ") && text.contains("Relevé de Paris SARL") || text.contains("Date du relevé"),
        "{text}"
    );
}

#[tokio::test]
async fn problems_are_written_in_the_language_the_request_asks_for_and_say_which() {
    let app = spawn_app().await;
    let world = app.world().await;
    let client = app.token(world.a.email("client")).await;
    let long = "x".repeat(201);
    let asks = |language: &'static str| [("accept-language", language)];

    let res = app
        .send_with(Method::PATCH, "/me", Some(&client), Some(&json!({"name": long})), &asks("de-CH, en;q=0.5"))
        .await;
    assert_eq!(res.status, 422);
    assert_eq!(res.body["title"], "Prüfung fehlgeschlagen");
    assert_eq!(res.body["errors"]["name"][0], "muss zwischen 1 und 200 Zeichen lang sein");
    assert_eq!(res.headers["content-language"], "de");
    assert!(res.headers.get_all("vary").iter().any(|v| v.to_str().unwrap().contains("Accept-Language")));

    let missing = format!("/projects/{}", uuid::Uuid::now_v7());
    let res = app.send_with(Method::GET, &missing, Some(&client), None, &asks("fr-FR")).await;
    assert_eq!(res.status, 404);
    assert_eq!(res.body["detail"], "Cette ressource n\u{2019}existe pas ou ne vous est pas visible.");
    assert_eq!(res.body["type"], "urn:portico:problem:not-found", "the type is the same in every language");

    // Without Accept-Language (an integration), or asking for one Portico does not speak: English.
    let res = app.get(&missing, &client).await;
    assert_eq!(res.body["detail"], "The resource does not exist or is not visible to you.");
    let res = app.send_with(Method::GET, &missing, Some(&client), None, &asks("it-IT")).await;
    assert_eq!(res.body["title"], "Not found");
    assert_eq!(res.headers["content-language"], "en");
    // What the API describes of itself is in the asked language too.
    let admin = app.admin().await;
    let kinds = app.send_with(Method::GET, "/webhook-event-types", Some(&admin), None, &asks("de")).await;
    let created = kinds.body.as_array().unwrap().iter().find(|k| k["kind"] == "task.created").unwrap().clone();
    assert_eq!(created["description"], "Eine Aufgabe wurde einem Projekt hinzugefügt.");
    let perms = app.send_with(Method::GET, "/permissions", Some(&admin), None, &asks("fr")).await;
    let read = perms.body.as_array().unwrap().iter().find(|p| p["key"] == "projects.read").unwrap().clone();
    assert_eq!(read["summary"], "voir les projets");
    assert_eq!(read["description"], "Voir les projets (clients\u{a0}: ceux de leur propre compte).");
    let english = app.get("/permissions", &admin).await;
    assert_eq!(english.body[0]["summary"], "read projects", "English without Accept-Language");
    // A data answer is the same in every language.
    let me = app.send_with(Method::GET, "/me", Some(&client), None, &asks("de")).await;
    assert_eq!(me.status, 200);
    assert!(me.headers.get("content-language").is_none());
}
