//! Running Portico for real: metrics, request ids, backups, several instances on one database,
//! and the compose file's settings.
use std::time::Duration;

use portico::config::Settings;
use portico_blackbox::{smtp::SmtpSink, *};
use reqwest::Method;
use serde_json::json;

const METRICS_TOKEN: &str = "metrics-token-for-tests-0123456789";

#[tokio::test]
async fn metrics_do_not_exist_without_a_token() {
    let app = spawn_app().await;
    app.send(Method::GET, "/metrics", None, None).await.assert_problem(404);
}

#[tokio::test]
async fn metrics_need_the_token_and_label_requests_by_route_pattern() {
    let app = spawn_app_with(|s| s.metrics_token = Some(METRICS_TOKEN.into())).await;
    app.send(Method::GET, "/metrics", None, None).await.assert_problem(401);
    app.send(Method::GET, "/metrics", Some("wrong-token-wrong-token"), None).await.assert_problem(401);
    let admin = app.admin().await;
    let task = uuid::Uuid::now_v7();
    app.get(&format!("/tasks/{task}"), &admin).await.assert(404);
    app.get("/projects", &admin).await.assert(200);
    let res = app.send(Method::GET, "/metrics", Some(METRICS_TOKEN), None).await;
    res.assert(200);
    let text = res.text;
    assert!(
        text.contains(r#"portico_http_requests_total{method="GET",route="/api/v1/projects",status="200"} 1"#),
        "{text}"
    );
    assert!(text.contains(r#"route="/api/v1/tasks/{id}",status="404""#), "{text}");
    assert!(!text.contains(&task.to_string()), "raw ids must not become labels");
    assert!(text.contains("portico_http_request_duration_seconds_bucket"));
    assert!(text.contains("portico_db_pool_connections"));
    assert!(text.contains("portico_outbox_pending 0"));
}

#[tokio::test]
async fn every_response_carries_a_request_id() {
    let app = spawn_app().await;
    let a = app.send(Method::GET, "/api/healthz", None, None).await;
    let b = app.send(Method::GET, "/projects", None, None).await;
    let id = |r: &Res| r.headers.get("x-request-id").expect("x-request-id").to_str().unwrap().to_owned();
    assert_ne!(id(&a), id(&b));
    assert!(uuid::Uuid::parse_str(&id(&a)).is_ok());
}

#[tokio::test]
async fn a_sqlite_backup_is_a_consistent_copy_taken_while_serving() {
    let app = spawn_app().await;
    let db = app.db.connect().await;
    let target = app.db.dir.path().join("backup.db");
    if app.backend == Backend::Postgres {
        assert!(portico::db::backup_sqlite(&db, &target).await.unwrap_err().to_string().contains("pg_dump"));
        return;
    }
    app.create_client("Backed Up Ltd").await;
    portico::db::backup_sqlite(&db, &target).await.unwrap();
    assert!(portico::db::backup_sqlite(&db, &target).await.is_err(), "never overwrites");
    use portico::entities::client;
    use sea_orm::{Database, EntityTrait};
    let copy = Database::connect(format!("sqlite://{}?mode=ro", target.display())).await.unwrap();
    let names: Vec<_> = client::Entity::find().all(&copy).await.unwrap().into_iter().map(|c| c.name).collect();
    assert_eq!(names, ["Backed Up Ltd"]);
}

#[tokio::test]
async fn two_instances_on_one_database_share_writes_and_send_each_email_once() {
    let sink = SmtpSink::start().await;
    let port = sink.port;
    let mail = move |s: &mut Settings| {
        smtp::send_mail_to(s, port);
    };
    let one = spawn_app_with(mail).await;
    if one.backend != Backend::Postgres {
        return; // the embedded SQLite mode is one process by design; several instances need PostgreSQL
    }
    let mut settings = one.db.settings();
    mail(&mut settings);
    let two = serve_on(settings).await;

    // A write through one instance is read through the other (with the same login).
    let admin = one.admin().await;
    let client = one.create_client("Shared Ltd").await;
    let read = one.http.get(format!("{two}/api/v1/clients/{client}")).bearer_auth(&admin).send().await.unwrap();
    assert_eq!(read.status(), 200);
    assert_eq!(read.json::<serde_json::Value>().await.unwrap()["name"], "Shared Ltd");

    // Both instances run the outbox worker; the invitation still goes out exactly once.
    let contact = one
        .post(&format!("/clients/{client}/contacts"), &admin, json!({"name": "Sam", "email": "sam@shared.test"}))
        .await
        .id();
    let invited = one
        .http
        .post(format!("{two}/api/v1/contacts/{contact}/invite"))
        .bearer_auth(&admin)
        .json(&json!({"role": "client"}))
        .send()
        .await
        .unwrap();
    assert_eq!(invited.status(), 201);
    sink.wait_for("sam@shared.test").await;
    tokio::time::sleep(Duration::from_secs(3)).await; // longer than a worker's poll
    assert_eq!(sink.all().await.len(), 1);
}

#[tokio::test]
async fn instances_starting_together_migrate_once() {
    let db = TestDb::new().await;
    if db.backend == Backend::Sqlite {
        // The embedded SQLite mode is one process by design; several instances need PostgreSQL.
        return;
    }
    let (a, b) = tokio::join!(portico::startup::prepare(db.settings()), portico::startup::prepare(db.settings()));
    let (a, b) = (a.expect("first instance starts"), b.expect("second instance starts"));
    use migration::MigratorTrait;
    assert!(migration::Migrator::get_pending_migrations(&a.db).await.unwrap().is_empty());
    assert!(migration::Migrator::get_pending_migrations(&b.db).await.unwrap().is_empty());
    let applied = migration::Migrator::get_applied_migrations(&a.db).await.unwrap();
    assert_eq!(applied.len(), migration::Migrator::migrations().len());
}

#[test]
fn every_variable_the_compose_file_gives_portico_is_a_setting_it_reads() {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../docker-compose.yml")).unwrap();
    let compose: serde_norway::Value = serde_norway::from_str(&text).unwrap();
    let services = compose["services"].as_mapping().unwrap();
    let mut checked = 0;
    for (name, service) in services {
        if service.get("build").is_none() {
            continue;
        }
        let env = service["environment"].as_mapping().unwrap_or_else(|| panic!("{name:?} has no environment"));
        let vars: Vec<(String, String)> = env
            .iter()
            .map(|(k, v)| {
                let value = match v {
                    serde_norway::Value::String(s) => s.clone(),
                    other => serde_norway::to_string(other).unwrap().trim().to_owned(),
                };
                (k.as_str().unwrap().to_owned(), interpolate(&value))
            })
            .collect();
        for (key, _) in &vars {
            assert!(key == "DATABASE_URL" || key.starts_with("PORTICO_"), "{name:?}: {key} is not a Portico setting");
        }
        // figment's own error type is large; this closure only passes it through.
        #[allow(clippy::result_large_err)]
        figment::Jail::expect_with(|jail| {
            for (k, v) in &vars {
                jail.set_env(k, v);
            }
            let settings = Settings::load().map_err(|e| e.to_string())?;
            assert!(settings.smtp_host.is_some() && !settings.is_sqlite());
            Ok(())
        });
        checked += 1;
    }
    assert_eq!(checked, 2, "both portico services");
    for file in ["Dockerfile", "deploy/Caddyfile"] {
        assert!(std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/..")).join(file).exists(), "{file}");
    }
}

/// Resolves compose's `${VAR:-default}` to the default and `${VAR:?message}` to a value a user
/// would have to give (a strong secret).
fn interpolate(value: &str) -> String {
    let mut out = String::new();
    let mut rest = value;
    while let Some(start) = rest.find("${") {
        out.push_str(&rest[..start]);
        let end = rest[start..].find('}').expect("closed ${") + start;
        let expr = &rest[start + 2..end];
        out.push_str(match (expr.find(":-"), expr.find(":?")) {
            (Some(i), _) => &expr[i + 2..],
            (_, Some(_)) => "q8Vd2kLx9TzR4mWp7YcN1bHs6JfGe3Ua0iOoKlQw",
            _ => "",
        });
        rest = &rest[end + 1..];
    }
    out.push_str(rest);
    out
}

#[tokio::test]
async fn a_deactivation_through_one_instance_is_refused_at_once_by_another() {
    let app = spawn_app().await;
    if app.backend != Backend::Postgres {
        return; // several instances need PostgreSQL
    }
    let other = serve_on(app.db.settings()).await;
    let admin = app.admin().await;
    let id = app.create_user("leaver@agency.test", "member", None).await;
    let token = app.token("leaver@agency.test").await;
    let on_other = |token: String| {
        let (http, url) = (app.http.clone(), format!("{other}/api/v1/projects"));
        async move { http.get(url).bearer_auth(token).send().await.unwrap().status().as_u16() }
    };
    assert_eq!(on_other(token.clone()).await, 200); // now cached over there (for 10 minutes in tests)
    app.patch(&format!("/users/{id}"), &admin, json!({"status": "deactivated"})).await.assert(200);
    // The other instance hears of it through NOTIFY, well before its cache would expire.
    let deadline = tokio::time::Instant::now() + Duration::from_secs(2);
    while on_other(token.clone()).await != 401 {
        assert!(tokio::time::Instant::now() < deadline, "the other instance still lets the deactivated user in");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn the_newest_migrations_go_down_and_up_again_without_losing_the_settings() {
    use migration::MigratorTrait;
    let app = spawn_app_with(|s| s.background_workers = false).await;
    let admin = app.admin().await;
    let body = json!({"welcome_message": "Hello {name}", "automations": {"notify_task_done": false, "weekly_summary": true,
        "invoice_reminders": [{"days": 3, "message": ""}, {"days": 9, "message": ""}]}});
    app.patch("/settings/portal", &admin, body).await.assert(200);
    let before = app.get("/settings/portal", &admin).await.body;
    let db = app.db.connect().await;
    // The twelve newest: the response-time weeks, replies by e-mail, satisfaction surveys, the
    // portal metrics, languages, visits, the search index, two-factor sign-in, idempotent posts,
    // API keys, the team switch (a settings column) and the devices list.
    migration::Migrator::down(&db, Some(12)).await.expect("the newest migrations go down");
    migration::Migrator::up(&db, None).await.expect("and up again");
    // The admin's login was standing: the devices list made again from its refresh token.
    let devices = app.get("/me/sessions", &admin).await;
    let listed = devices.assert(200).items();
    assert_eq!(listed.len(), 1, "{}", devices.text);
    assert_eq!(listed[0]["address"], serde_json::Value::Null, "not kept before the list existed");
    assert_eq!(listed[0]["current"], true, "the login is the one its tokens name");
    let after = app.get("/settings/portal", &admin).await;
    after.assert(200);
    assert_eq!(after.body["cards"], before["cards"]);
    assert_eq!(after.body["automations"], before["automations"]);
    assert_eq!(after.body["home_task_statuses"], before["home_task_statuses"]);
}

#[tokio::test]
async fn the_tls_proxy_may_obtain_a_certificate_for_the_portals_own_host_name_only() {
    let app = spawn_app_with(|s| s.public_url = "https://portal.agency.example".into()).await;
    let ask = async |domain: &str| app.send(Method::GET, &format!("/api/tls/ask?domain={domain}"), None, None).await;
    ask("portal.agency.example").await.assert(200);
    // As DNS compares them: in any case, with or without the final dot.
    ask("Portal.Agency.Example.").await.assert(200);
    // Any other name, a look-alike included, would have the proxy ask for a certificate that
    // is not the agency's.
    ask("agency.example").await.assert_problem(404);
    ask("portal.agency.example.evil.test").await.assert_problem(404);
    ask("127.0.0.1").await.assert_problem(404);
    // What is no host name at all says so; no name at all is a malformed request.
    let junk = ask("portal.agency.example%2F..%2F").await;
    junk.assert_problem(422);
    assert!(junk.body["errors"]["domain"].is_array(), "{}", junk.body);
    app.send(Method::GET, "/api/tls/ask", None, None).await.assert_problem(400);
}
