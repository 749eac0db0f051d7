//! Activity from the event log, and visits: a client reads what changed in their own projects
//! since they were last here, never a Note; staff read a project's feed.
use portico::entities::user;
use portico_blackbox::*;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, sea_query::Expr};
use serde_json::{Value, json};

fn kinds(res: &Res) -> Vec<String> {
    res.items().iter().map(|i| i["kind"].as_str().unwrap().to_owned()).collect()
}

#[tokio::test]
async fn a_client_reads_what_happened_in_their_account_newest_first_and_never_a_note() {
    let app = spawn_app().await;
    let world = app.world().await;
    let admin = app.admin().await;
    let a = &world.a;
    app.patch(&format!("/tasks/{}", a.task_id), &admin, json!({"status": "done"})).await.assert(200);
    // A Reply turned into a Note afterwards is a Note: it leaves the feed with it.
    let turned = app
        .post(&format!("/tasks/{}/comments", a.task_id), &admin, json!({"body": "Soon a Note", "visibility": "reply"}))
        .await
        .assert(201)
        .id();
    app.patch(&format!("/comments/{turned}"), &admin, json!({"visibility": "note"})).await.assert(200);

    let client = app.token(a.email("client")).await;
    let feed = app.get("/activity", &client).await;
    feed.assert(200);
    let items = feed.items();
    assert_eq!(kinds(&feed)[0], "task_updated", "newest first: {}", feed.text);
    assert_eq!(items[0]["task_status"], "done");
    assert_eq!(items[0]["title"], "Task a");
    assert_eq!(items[0]["project_name"], "Project a");
    for kind in ["task_created", "reply", "file_added", "invoice_sent"] {
        assert!(kinds(&feed).contains(&kind.to_owned()), "{kind} missing: {}", feed.text);
    }
    let replies: Vec<&Value> = items.iter().filter(|i| i["kind"] == "reply").collect();
    assert_eq!(replies.len(), 1, "only the Reply that is still one: {}", feed.text);
    assert!(!feed.text.contains(&turned.to_string()) && !feed.text.contains(&world.a.note_file_id.to_string()));
    for id in [world.b.task_id, world.b.project_id, world.b.invoice_id, world.b.file_id] {
        assert!(!feed.text.contains(&id.to_string()), "another account's {id}");
    }
    // A role reads the kinds it may: Client Finance the invoices, Client Viewer no invoices.
    let finance = app.get("/activity", &app.token(a.email("client_finance")).await).await;
    finance.assert(200);
    assert!(kinds(&finance).iter().all(|k| k.starts_with("invoice")), "{}", finance.text);
    assert!(!kinds(&finance).is_empty());
    let viewer = app.get("/activity", &app.token(a.email("client_viewer")).await).await;
    viewer.assert(200);
    assert!(kinds(&viewer).iter().all(|k| !k.starts_with("invoice")), "{}", viewer.text);
}

#[tokio::test]
async fn a_projects_feed_is_that_projects_and_another_accounts_project_is_not_found() {
    let app = spawn_app().await;
    let world = app.world().await;
    let admin = app.admin().await;
    let other = app
        .post("/projects", &admin, json!({"client_id": world.a.client_id, "name": "Other work"}))
        .await
        .assert(201)
        .id();
    app.post(&format!("/projects/{other}/tasks"), &admin, json!({"title": "Elsewhere"})).await.assert(201);
    let feed = app.get(&format!("/activity?project_id={}", world.a.project_id), &admin).await;
    feed.assert(200);
    assert!(feed.items().iter().all(|i| i["project_id"] == world.a.project_id.to_string()), "{}", feed.text);
    assert!(!feed.text.contains("Elsewhere") && !kinds(&feed).contains(&"invoice_sent".to_owned()));
    let client_b = app.token(world.b.email("client")).await;
    app.get(&format!("/activity?project_id={}", world.a.project_id), &client_b).await.assert_problem(404);
    app.get("/activity?cursor=nonsense", &admin).await.assert_problem(422);
    app.get("/activity?since=yesterday", &admin).await.assert_problem(400);
}

#[tokio::test]
async fn the_feed_pages_with_a_cursor_and_since_keeps_only_what_is_newer() {
    let app = spawn_app().await;
    let world = app.world().await;
    let admin = app.admin().await;
    let client = app.token(world.a.email("client")).await;
    let all = app.get("/activity?limit=200", &client).await.items();
    assert!(all.len() >= 4);
    let mut paged = Vec::new();
    let mut path = "/activity?limit=2".to_owned();
    loop {
        let page = app.get(&path, &client).await;
        paged.extend(page.items());
        match page.body["next_cursor"].as_str() {
            Some(c) => path = format!("/activity?limit=2&cursor={c}"),
            None => break,
        }
    }
    assert_eq!(paged, all, "the pages add up to the whole feed, once each");

    let mark = chrono::Utc::now();
    tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    app.post(&format!("/projects/{}/tasks", world.a.project_id), &admin, json!({"title": "After the visit"}))
        .await
        .assert(201);
    let since = mark.to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    let newer = app.get(&format!("/activity?since={}", since.replace('+', "%2B")), &client).await;
    assert_eq!(kinds(&newer), vec!["task_created"], "{}", newer.text);
    assert_eq!(newer.items()[0]["title"], "After the visit");
}

#[tokio::test]
async fn a_visit_ends_after_a_pause_and_the_next_home_says_when_and_view_as_moves_nothing() {
    // Every request is written down, so the test need not wait out the once-a-minute throttle.
    let app = spawn_app_with(|s| s.visit_seen_every_secs = 0).await;
    let world = app.world().await;
    let email = world.a.email("client");
    let client = app.token(email).await;
    let home = app.get("/me", &client).await;
    assert_eq!(home.assert(200).body["last_visit_at"], Value::Null, "a first visit has no last one");
    app.get("/projects", &client).await.assert(200);
    assert_eq!(app.get("/me", &client).await.body["last_visit_at"], Value::Null, "still the same visit");

    // They went away two hours ago; any request of theirs starts a new visit.
    let db = app.db.connect().await;
    let away_since = |hours: i64| {
        let db = db.clone();
        async move {
            let at = chrono::Utc::now() - chrono::Duration::hours(hours);
            user::Entity::update_many()
                .col_expr(user::Column::LastSeenAt, Expr::value(at))
                .filter(user::Column::Email.eq(email))
                .exec(&db)
                .await
                .unwrap();
            at
        }
    };
    let at = |v: &Value| v.as_str().expect("a last visit").parse::<chrono::DateTime<chrono::Utc>>().unwrap();
    let away = away_since(2).await;
    app.get("/me", &client).await.assert(200);
    let back = at(&app.get("/me", &client).await.body["last_visit_at"]);
    assert!((back - away).num_seconds().abs() < 1, "{back} vs {away}");

    // Staff viewing as them, after another pause, read their answer and move nothing.
    let away_again = away_since(3).await;
    let admin = app.admin().await;
    let view = app.post("/auth/impersonate", &admin, json!({"user_id": world.a.user_ids["client"]})).await;
    let as_them = view.assert(200).body["access_token"].as_str().unwrap().to_owned();
    assert_eq!(at(&app.get("/me", &as_them).await.body["last_visit_at"]), back);
    app.get("/projects", &as_them).await.assert(200);
    let row = user::Entity::find().filter(user::Column::Email.eq(email)).one(&db).await.unwrap().unwrap();
    assert!((row.last_seen_at.unwrap() - away_again).num_seconds().abs() < 1, "View as is not their visit");
    // Their own next request is.
    let theirs = at(&app.get("/me", &client).await.body["last_visit_at"]);
    assert!((theirs - away_again).num_seconds().abs() < 1);

    // A key has no visits.
    let key = app.client_key(world.a.client_id).await;
    assert_eq!(app.get("/me", &key).await.assert(200).body["last_visit_at"], Value::Null);
}
