use portico_blackbox::*;
use serde_json::json;

#[tokio::test]
async fn client_cannot_see_notes_of_own_task() {
    let app = spawn_app().await;
    let world = app.world().await;
    for role in ["client", "client_admin", "client_viewer"] {
        let token = app.token(world.a.email(role)).await;
        let list = app.get(&format!("/tasks/{}/comments", world.a.task_id), &token).await;
        list.assert(200);
        let items = list.items();
        assert_eq!(items.len(), 1, "{role}");
        assert_eq!(items[0]["visibility"], "reply");
        assert!(!list.text.contains(CANARY));
        app.get(&format!("/comments/{}", world.a.note_id), &token).await.assert_problem(404);
        app.get(&format!("/tasks/{}/comments?visibility=note", world.a.task_id), &token)
            .await
            .items()
            .is_empty()
            .then_some(())
            .unwrap();
    }
}

#[tokio::test]
async fn a_task_with_only_notes_lists_empty_for_its_client_and_404_for_another() {
    // The list answers from the comments when it finds any; an empty page must still tell
    // "no Replies here" (own task) from "not yours" (404) and "no tasks.read" (403).
    let app = spawn_app().await;
    let world = app.world().await;
    let admin = app.admin().await;
    let task =
        app.post(&format!("/projects/{}/tasks", world.a.project_id), &admin, json!({"title": "Quiet"})).await.id();
    app.post(
        &format!("/tasks/{task}/comments"),
        &admin,
        json!({"body": format!("{CANARY} internal"), "visibility": "note"}),
    )
    .await
    .assert(201);

    let own = app.token(world.a.email("client")).await;
    let list = app.get(&format!("/tasks/{task}/comments"), &own).await;
    list.assert(200);
    assert!(list.items().is_empty() && !list.text.contains(CANARY), "{}", list.text);
    app.get(&format!("/tasks/{task}/comments"), &app.token(world.a.email("client_finance")).await)
        .await
        .assert_problem(403);
    app.get(&format!("/tasks/{task}/comments"), &app.token(world.b.email("client")).await).await.assert_problem(404);
    app.get(&format!("/tasks/{}/comments", world.a.task_id), &app.token(world.b.email("client")).await)
        .await
        .assert_problem(404);
}

#[tokio::test]
async fn the_task_page_in_one_request_shows_a_client_its_replies_and_never_a_note() {
    let app = spawn_app().await;
    let world = app.world().await;
    let path = format!("/tasks/{}?include=comments", world.a.task_id);
    for role in ["client", "client_admin", "client_viewer"] {
        let page = app.get(&path, &app.token(world.a.email(role)).await).await;
        page.assert(200);
        assert_eq!(page.body["id"], world.a.task_id.to_string(), "{role}");
        let comments = page.body["comments"]["items"].as_array().unwrap();
        assert_eq!(comments.len(), 1, "{role}: {}", page.text);
        assert_eq!(comments[0]["id"], world.a.reply_id.to_string());
        assert!(!page.text.contains(CANARY), "{role}: {}", page.text);
    }
    // A task whose thread holds only a Note: the task, and no comments.
    let admin = app.admin().await;
    let quiet =
        app.post(&format!("/projects/{}/tasks", world.a.project_id), &admin, json!({"title": "Quiet"})).await.id();
    app.post(
        &format!("/tasks/{quiet}/comments"),
        &admin,
        json!({"body": format!("{CANARY} internal"), "visibility": "note"}),
    )
    .await
    .assert(201);
    let page = app.get(&format!("/tasks/{quiet}?include=comments"), &app.token(world.a.email("client")).await).await;
    page.assert(200);
    assert_eq!(page.body["title"], "Quiet");
    assert_eq!(page.body["comments"], json!({"items": [], "next_cursor": null}), "{}", page.text);
    // Without include the task comes alone, as before.
    let plain = app.get(&format!("/tasks/{}", world.a.task_id), &app.token(world.a.email("client")).await).await;
    assert!(plain.body.get("comments").is_none(), "{}", plain.text);
    // Another account's task is not found; a role without tasks.read is refused.
    app.get(&path, &app.token(world.b.email("client")).await).await.assert_problem(404);
    app.get(&path, &app.token(world.a.email("client_finance")).await).await.assert_problem(403);
}

#[tokio::test]
async fn the_task_page_in_one_request_gives_staff_replies_and_notes_a_page_at_a_time() {
    let app = spawn_app().await;
    let world = app.world().await;
    let admin = app.admin().await;
    for i in 0..3 {
        app.post(
            &format!("/tasks/{}/comments", world.a.task_id),
            &admin,
            json!({"body": format!("more {i}"), "visibility": "note"}),
        )
        .await
        .assert(201);
    }
    let member = app.token(&world.member).await;
    let page = app.get(&format!("/tasks/{}?include=comments&comments_limit=2", world.a.task_id), &member).await;
    page.assert(200);
    let first = &page.body["comments"];
    assert_eq!(
        first["items"].as_array().unwrap().iter().map(|c| c["visibility"].as_str().unwrap()).collect::<Vec<_>>(),
        ["reply", "note"]
    );
    let cursor = first["next_cursor"].as_str().expect("a next page");
    let rest = app.get(&format!("/tasks/{}/comments?limit=10&cursor={cursor}", world.a.task_id), &member).await.items();
    assert_eq!(rest.len(), 3, "the list goes on where the embedded page stopped");
}

#[tokio::test]
async fn the_task_page_refuses_an_unknown_include_and_a_page_size_out_of_range() {
    let app = spawn_app().await;
    let world = app.world().await;
    let token = app.token(world.a.email("client")).await;
    let task = world.a.task_id;
    app.get(&format!("/tasks/{task}?include=notes"), &token).await.assert_problem(400);
    for bad in ["include=comments&comments_limit=0", "include=comments&comments_limit=201", "comments_limit=5"] {
        let res = app.get(&format!("/tasks/{task}?{bad}"), &token).await;
        res.assert_problem(422);
        assert!(res.body["errors"]["comments_limit"].is_array(), "{bad}: {}", res.text);
    }
}

#[tokio::test]
async fn staff_see_replies_and_notes_in_order() {
    let app = spawn_app().await;
    let world = app.world().await;
    let member = app.token(&world.member).await;
    let items = app.get(&format!("/tasks/{}/comments", world.a.task_id), &member).await.items();
    assert_eq!(items.iter().map(|c| c["visibility"].as_str().unwrap()).collect::<Vec<_>>(), ["reply", "note"]);
    let notes = app.get(&format!("/tasks/{}/comments?visibility=note", world.a.task_id), &member).await.items();
    assert_eq!(notes.len(), 1);
}

#[tokio::test]
async fn visibility_is_required_when_commenting() {
    let app = spawn_app().await;
    let world = app.world().await;
    let admin = app.admin().await;
    let res = app.post(&format!("/tasks/{}/comments", world.a.task_id), &admin, json!({"body": "Hello"})).await;
    res.assert_problem(422);
    assert!(res.body["errors"]["visibility"].is_array(), "{}", res.text);
    app.post(&format!("/tasks/{}/comments", world.a.task_id), &admin, json!({"body": "Hello", "visibility": "public"}))
        .await
        .assert_problem(422);
}

#[tokio::test]
async fn a_client_replies_on_own_task_but_cannot_post_a_note() {
    let app = spawn_app().await;
    let world = app.world().await;
    let client = app.token(world.a.email("client")).await;
    let reply = app
        .post(
            &format!("/tasks/{}/comments", world.a.task_id),
            &client,
            json!({"body": "Looks great", "visibility": "reply"}),
        )
        .await;
    reply.assert(201);
    assert_eq!(reply.body["author_is_client"], true);
    app.post(&format!("/tasks/{}/comments", world.a.task_id), &client, json!({"body": "psst", "visibility": "note"}))
        .await
        .assert_problem(403);
    let viewer = app.token(world.a.email("client_viewer")).await;
    app.post(&format!("/tasks/{}/comments", world.a.task_id), &viewer, json!({"body": "Hi", "visibility": "reply"}))
        .await
        .assert_problem(403);
    // Staff see the client's reply.
    let member = app.token(&world.member).await;
    let items = app.get(&format!("/tasks/{}/comments", world.a.task_id), &member).await.items();
    assert!(items.iter().any(|c| c["body"] == "Looks great"));
}

#[tokio::test]
async fn authors_edit_and_delete_their_own_comments_only() {
    let app = spawn_app().await;
    let world = app.world().await;
    let client = app.token(world.a.email("client")).await;
    let other = app.token(world.a.email("client_admin")).await;
    let id = app
        .post(&format!("/tasks/{}/comments", world.a.task_id), &client, json!({"body": "Frist", "visibility": "reply"}))
        .await
        .id();
    let edited = app.patch(&format!("/comments/{id}"), &client, json!({"body": "First"})).await;
    edited.assert(200);
    assert_eq!(edited.body["body"], "First");
    assert!(edited.body["edited_at"].is_string());
    app.patch(&format!("/comments/{id}"), &other, json!({"body": "Hijacked"})).await.assert_problem(403);
    app.delete(&format!("/comments/{id}"), &other).await.assert_problem(403);
    // The staff reply on the task is not the client's to edit.
    app.patch(&format!("/comments/{}", world.a.reply_id), &client, json!({"body": "Edited"})).await.assert_problem(403);
    app.delete(&format!("/comments/{id}"), &client).await.assert(204);
    app.get(&format!("/comments/{id}"), &client).await.assert_problem(404);
}

#[tokio::test]
async fn staff_turn_a_reply_into_a_note_and_the_client_stops_seeing_it_with_an_audit_entry() {
    let app = spawn_app().await;
    let world = app.world().await;
    let manager = app.token(&world.manager).await;
    let client = app.token(world.a.email("client")).await;
    app.get(&format!("/comments/{}", world.a.reply_id), &client).await.assert(200);
    let turned = app.patch(&format!("/comments/{}", world.a.reply_id), &manager, json!({"visibility": "note"})).await;
    turned.assert(200);
    assert_eq!(turned.body["visibility"], "note");
    app.get(&format!("/comments/{}", world.a.reply_id), &client).await.assert_problem(404);
    assert!(app.get(&format!("/tasks/{}/comments", world.a.task_id), &client).await.items().is_empty());
    // And back.
    app.patch(&format!("/comments/{}", world.a.reply_id), &manager, json!({"visibility": "reply"})).await.assert(200);
    app.get(&format!("/comments/{}", world.a.reply_id), &client).await.assert(200);
    // A client cannot change visibility.
    app.patch(&format!("/comments/{}", world.a.reply_id), &client, json!({"visibility": "note"}))
        .await
        .assert_problem(403);
    let log = audit_actions(&app).await;
    assert_eq!(log.iter().filter(|a| *a == "comment.visibility_changed").count(), 2);
}

async fn audit_actions(app: &TestApp) -> Vec<String> {
    use sea_orm::{ConnectionTrait, Database, Statement};
    let db = Database::connect(&app.database_url).await.unwrap();
    let rows = db
        .query_all_raw(Statement::from_string(db.get_database_backend(), "SELECT action FROM audit_events"))
        .await
        .unwrap();
    rows.iter().map(|r| r.try_get::<String>("", "action").unwrap()).collect()
}

#[tokio::test]
async fn a_comment_reads_the_same_in_the_list_on_its_own_and_on_the_task_page() {
    // Comment rows are read by column position; every field must land where it belongs.
    let app = spawn_app().await;
    let world = app.world().await;
    let client = app.token(world.a.email("client")).await;
    let created = app
        .post(
            &format!("/tasks/{}/comments", world.a.task_id),
            &client,
            json!({"body": "Looks good", "visibility": "reply"}),
        )
        .await;
    created.assert(201);
    let comment = created.body.clone();
    assert_eq!(comment["body"], "Looks good");
    assert_eq!(comment["visibility"], "reply");
    assert_eq!(comment["task_id"], world.a.task_id.to_string());
    assert_eq!(comment["author_is_client"], true);
    assert_eq!(comment["pending_release"], false);
    assert!(
        comment["author_name"].is_string() && comment["created_at"].is_string() && comment["edited_at"].is_null(),
        "{comment}"
    );
    let id = comment["id"].as_str().unwrap();
    for token in [client.clone(), app.token(&world.member).await] {
        assert_eq!(app.get(&format!("/comments/{id}"), &token).await.body, comment);
        let listed = app.get(&format!("/tasks/{}/comments", world.a.task_id), &token).await.items();
        assert_eq!(listed.iter().find(|c| c["id"] == id), Some(&comment));
        let page = app.get(&format!("/tasks/{}?include=comments", world.a.task_id), &token).await;
        assert_eq!(page.body["comments"]["items"].as_array().unwrap().iter().find(|c| c["id"] == id), Some(&comment));
    }
}
