use portico_blackbox::*;

#[tokio::test]
async fn the_demo_agency_has_every_role_status_and_visibility_and_its_logins_work() {
    let app = spawn_app_with(|s| s.demo = true).await;
    let demo = portico::demo::DEMO_PASSWORD;
    let admin = app.login("admin@demo.portico.test", demo).await;
    admin.assert(200);
    let admin = admin.body["access_token"].as_str().unwrap().to_owned();
    assert_eq!(app.get("/clients", &admin).await.items().len(), 3);
    let statuses: std::collections::BTreeSet<String> = app
        .get("/invoices?limit=200", &admin)
        .await
        .items()
        .iter()
        .map(|i| i["status"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(statuses.into_iter().collect::<Vec<_>>(), ["draft", "overdue", "paid", "sent", "void"]);
    let tasks = app.get("/tasks?limit=200", &admin).await.items();
    for status in ["todo", "in_progress", "done"] {
        assert!(tasks.iter().any(|t| t["status"] == status), "{status}");
    }
    for priority in ["low", "medium", "high", "urgent"] {
        assert!(tasks.iter().any(|t| t["priority"] == priority), "{priority}");
    }
    for role in ["manager", "member"] {
        app.login(&format!("{role}@demo.portico.test"), demo).await.assert(200);
    }
    for role in ["client", "client-admin", "client-finance", "client-viewer"] {
        let res = app.login(&format!("{role}@acme.demo.portico.test"), demo).await;
        res.assert(200);
        assert_eq!(res.body["user"]["role"], role.replace('-', "_"));
    }
    // A demo client sees the Replies of their task but not the Notes.
    let client =
        app.login("client@acme.demo.portico.test", demo).await.body["access_token"].as_str().unwrap().to_owned();
    let home = app.get("/portal", &client).await;
    let task = home.body["ongoing_tasks"][0]["id"].as_str().unwrap().to_owned();
    let comments = app.get(&format!("/tasks/{task}/comments"), &client).await;
    assert!(comments.items().iter().all(|c| c["visibility"] == "reply"));
    assert!(!comments.text.contains("Internal:"));
    // Files in every state of review, with versions, and their bytes there to download.
    let files = app.get("/files", &client).await.items();
    let states: std::collections::BTreeSet<String> =
        files.iter().filter_map(|f| f["review"]["status"].as_str().map(str::to_owned)).collect();
    assert_eq!(states.into_iter().collect::<Vec<_>>(), ["approved", "changes_requested", "pending"]);
    assert!(files.iter().any(|f| f["current"]["number"] == 2));
    for f in &files {
        let (status, _, bytes) =
            app.bytes(&format!("/files/{}/content", f["id"].as_str().unwrap()), Some(&client), &[]).await;
        assert_eq!(status, 200);
        assert_eq!(bytes.len() as i64, f["current"]["size"].as_i64().unwrap());
    }
    assert!(files.iter().any(|f| f["current"]["content_type"] == "application/pdf"));
    assert!(files.iter().any(|f| f["current"]["content_type"] == "image/png"));
}

#[tokio::test]
async fn the_demo_agency_is_refused_in_production() {
    let db = TestDb::new().await;
    let mut settings = db.settings();
    settings.env = portico::config::Environment::Production;
    settings.smtp_host = Some("127.0.0.1".into());
    settings.demo = true;
    let refused = portico::startup::prepare(settings).await.err().expect("the demo is refused in production");
    assert!(refused.to_string().contains("production"), "{refused}");
}
