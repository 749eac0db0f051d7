//! Search: ranked full-text hits through the caller's own scope. Staff find everything
//! including Notes; a client finds their own account's things and never a Note.
use portico_blackbox::*;
use serde_json::{Value, json};

fn hits(res: &Res) -> Vec<(String, String)> {
    res.items().iter().map(|h| (h["kind"].as_str().unwrap().to_owned(), h["id"].as_str().unwrap().to_owned())).collect()
}

/// Whether the search answered (200) with this hit among its items.
fn has(res: &Res, kind: &str, id: impl ToString) -> bool {
    res.assert(200);
    hits(res).contains(&(kind.to_owned(), id.to_string()))
}

async fn task(app: &TestApp, admin: &str, project: uuid::Uuid, title: &str, description: &str) -> uuid::Uuid {
    let body = json!({"title": title, "description": description});
    app.post(&format!("/projects/{project}/tasks"), admin, body).await.assert(201).id()
}

#[tokio::test]
async fn staff_find_notes_and_their_attachments_but_a_client_never_does() {
    let app = spawn_app().await;
    let world = app.world().await;
    let admin = app.admin().await;
    let staff = app.get(&format!("/search?q={CANARY}"), &admin).await;
    staff.assert(200);
    assert!(has(&staff, "comment", world.a.note_id) && has(&staff, "comment", world.b.note_id), "{}", staff.text);
    assert!(has(&staff, "file", world.a.note_file_id), "{}", staff.text);
    let note = staff.items().into_iter().find(|h| h["id"] == world.a.note_id.to_string()).unwrap();
    assert_eq!(note["visibility"], "note");
    assert_eq!(note["title"], "Task a", "a comment is shown under its task's title");
    assert!(note["snippet"].as_str().unwrap().contains("Internal CANARY"), "{note}");
    assert_eq!(note["task_id"], world.a.task_id.to_string());

    for role in ["client", "client_admin", "client_viewer"] {
        let token = app.token(world.a.email(role)).await;
        let res = app.get(&format!("/search?q={CANARY}"), &token).await;
        res.assert(200);
        assert_eq!(res.items(), Vec::<Value>::new(), "{role} found a Note");
        assert!(!res.text.contains(CANARY));
        let internal = app.get("/search?q=internal", &token).await;
        assert!(internal.items().is_empty(), "{role}: {}", internal.text);
        // The Reply beside it is theirs to find.
        let replies = app.get("/search?q=reply", &token).await;
        assert!(has(&replies, "comment", world.a.reply_id), "{role}: {}", replies.text);
        assert!(!has(&replies, "comment", world.b.reply_id), "{role} found another account's Reply");
    }
}

#[tokio::test]
async fn a_client_finds_only_their_own_accounts_things_and_only_the_kinds_their_role_reads() {
    let app = spawn_app().await;
    let world = app.world().await;
    let admin = app.admin().await;
    let ours = task(&app, &admin, world.a.project_id, "Wireframes for the homepage", "").await;
    let theirs = task(&app, &admin, world.b.project_id, "Wireframes for checkout", "").await;
    let client = app.token(world.a.email("client")).await;
    let found = app.get("/search?q=wirefr", &client).await;
    assert!(has(&found, "task", ours), "a word matches by its start: {}", found.text);
    assert!(!has(&found, "task", theirs), "another account's task was found");
    let staff = app.get("/search?q=wireframes", &admin).await;
    assert!(has(&staff, "task", ours) && has(&staff, "task", theirs));

    // Invoices: a sent one for those who read invoices, never a draft, never another account's.
    let number = app.get(&format!("/invoices/{}", world.a.invoice_id), &admin).await.body["number"].clone();
    let number = number.as_str().unwrap();
    let finance = app.token(world.a.email("client_finance")).await;
    let res = app.get(&format!("/search?q={number}"), &finance).await;
    assert!(has(&res, "invoice", world.a.invoice_id), "{}", res.text);
    assert!(hits(&res).iter().all(|(kind, _)| kind == "invoice"), "Client Finance reads nothing else: {}", res.text);
    let draft = app.get(&format!("/invoices/{}", world.a.draft_invoice_id), &admin).await.body["number"].clone();
    let draft = draft.as_str().filter(|n| n.chars().any(char::is_alphanumeric)).expect("a draft has a number");
    assert!(has(&app.get(&format!("/search?q={draft}"), &admin).await, "invoice", world.a.draft_invoice_id));
    assert!(!has(&app.get(&format!("/search?q={draft}"), &finance).await, "invoice", world.a.draft_invoice_id));
    let viewer = app.token(world.a.email("client_viewer")).await;
    assert!(!has(&app.get(&format!("/search?q={number}"), &viewer).await, "invoice", world.a.invoice_id));
    let other = app.token(world.b.email("client_finance")).await;
    assert!(!has(&app.get(&format!("/search?q={number}"), &other).await, "invoice", world.a.invoice_id));
    // Files of the Files area, by name.
    assert!(has(&app.get("/search?q=brief", &client).await, "file", world.a.file_id));
    // Clients are staff's to find.
    assert!(has(&app.get("/search?q=client&kind=client", &admin).await, "client", world.a.client_id));
    let none = app.get("/search?q=client&kind=client", &client).await;
    assert!(none.assert(200).items().is_empty());
}

#[tokio::test]
async fn a_word_in_the_title_ranks_above_the_same_word_in_a_description() {
    let app = spawn_app().await;
    let world = app.world().await;
    let admin = app.admin().await;
    let project = world.a.project_id;
    let body_only = task(&app, &admin, project, "Colours", "Match the mascot to the palette").await;
    let titled = task(&app, &admin, project, "Mascot redesign", "").await;
    let res = app.get("/search?q=mascot&kind=task", &admin).await;
    assert_eq!(hits(&res), vec![("task".into(), titled.to_string()), ("task".into(), body_only.to_string())]);
    let snippet = &res.items()[1]["snippet"];
    assert_eq!(snippet, "Match the mascot to the palette", "the description shows where the word is");
}

#[tokio::test]
async fn results_page_with_a_cursor_and_every_hit_comes_once() {
    let app = spawn_app().await;
    let world = app.world().await;
    let admin = app.admin().await;
    for n in 0..5 {
        task(&app, &admin, world.a.project_id, &format!("Sprint backlog item {n}"), "").await;
    }
    let mut seen = Vec::new();
    let mut path = "/search?q=backlog&limit=2".to_owned();
    loop {
        let page = app.get(&path, &admin).await;
        page.assert(200);
        assert!(page.items().len() <= 2);
        seen.extend(hits(&page));
        match page.body["next_cursor"].as_str() {
            Some(cursor) => path = format!("/search?q=backlog&limit=2&cursor={cursor}"),
            None => break,
        }
    }
    assert_eq!(seen.len(), 5);
    seen.sort();
    seen.dedup();
    assert_eq!(seen.len(), 5, "a hit came twice");
}

#[tokio::test]
async fn what_is_renamed_or_deleted_is_found_as_it_now_reads() {
    let app = spawn_app().await;
    let world = app.world().await;
    let admin = app.admin().await;
    let id = task(&app, &admin, world.a.project_id, "Brochure draft", "").await;
    app.patch(&format!("/tasks/{id}"), &admin, json!({"title": "Leaflet draft"})).await.assert(200);
    assert!(!has(&app.get("/search?q=brochure", &admin).await, "task", id));
    assert!(has(&app.get("/search?q=leaflet", &admin).await, "task", id));
    app.delete(&format!("/comments/{}", world.a.reply_id), &admin).await.assert(204);
    let client = app.token(world.a.email("client")).await;
    assert!(!has(&app.get("/search?q=reply", &client).await, "comment", world.a.reply_id));
    assert!(!has(&app.get("/search?q=reply", &admin).await, "comment", world.a.reply_id));
    app.delete(&format!("/tasks/{id}"), &admin).await.assert(204);
    assert!(app.get("/search?q=leaflet", &admin).await.assert(200).items().is_empty());
    // The index itself holds neither any more (not only the scopes hiding them).
    let db = app.db.connect().await;
    let count = |id: uuid::Uuid| {
        let db = db.clone();
        async move {
            let backend = sea_orm::ConnectionTrait::get_database_backend(&db);
            let sql = match backend {
                sea_orm::DbBackend::Postgres => "SELECT COUNT(*) AS n FROM search_entries WHERE ref_id = $1",
                _ => "SELECT COUNT(*) AS n FROM search_entries WHERE ref_id = ?",
            };
            let row = sea_orm::ConnectionTrait::query_one_raw(
                &db,
                sea_orm::Statement::from_sql_and_values(backend, sql, [id.into()]),
            )
            .await
            .unwrap()
            .unwrap();
            row.try_get::<i64>("", "n").unwrap()
        }
    };
    assert_eq!(count(id).await, 0, "the deleted task is still indexed");
    assert_eq!(count(world.a.reply_id).await, 0, "the deleted Reply is still indexed");
    assert_eq!(count(world.a.note_id).await, 1, "a live Note is indexed (for staff)");
    if app.backend == Backend::Sqlite {
        let check = "INSERT INTO search_fts(search_fts) VALUES('integrity-check')";
        sea_orm::ConnectionTrait::execute_unprepared(&db, check).await.expect("the FTS index matches its rows");
    }
}

#[tokio::test]
async fn a_cursor_is_for_the_query_it_was_made_for() {
    let app = spawn_app().await;
    let world = app.world().await;
    let admin = app.admin().await;
    for n in 0..3 {
        task(&app, &admin, world.a.project_id, &format!("Cursor item {n}"), "").await;
    }
    let page = app.get("/search?q=cursor&limit=1", &admin).await;
    let cursor = page.assert(200).body["next_cursor"].as_str().unwrap().to_owned();
    app.get(&format!("/search?q=cursor&limit=1&cursor={cursor}"), &admin).await.assert(200);
    app.get(&format!("/search?q=other&limit=1&cursor={cursor}"), &admin).await.assert_problem(422);
}

#[tokio::test]
async fn a_query_without_words_or_a_foreign_cursor_is_a_clear_problem() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    app.get("/search", &admin).await.assert_problem(400);
    for path in ["/search?q=%20***%20", "/search?q=x&cursor=nonsense", "/search?q=x&limit=0", "/search?q=x&limit=201"] {
        app.get(path, &admin).await.assert_problem(422);
    }
    let long = "a".repeat(201);
    app.get(&format!("/search?q={long}"), &admin).await.assert_problem(422);
    // Quotes, operators and SQL are words or nothing, never syntax.
    for q in ["%22unclosed", "NEAR(a%20b)", "a%20OR%201%3D1--", "title%3Ax", "%27%3B%20DROP%20TABLE%20tasks%3B"] {
        app.get(&format!("/search?q={q}"), &admin).await.assert(200);
    }
}
