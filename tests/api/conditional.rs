//! Conditional GETs: every JSON read carries an `ETag` of exactly what it sent, and
//! `If-None-Match` with that tag answers 304 without a body until something the caller sees
//! changes.
use portico_blackbox::*;
use reqwest::{Method, StatusCode};
use serde_json::json;

fn etag(headers: &reqwest::header::HeaderMap) -> String {
    headers.get("etag").expect("an ETag").to_str().unwrap().to_owned()
}

#[tokio::test]
async fn a_read_answers_304_until_what_it_shows_changes() {
    let app = spawn_app().await;
    let world = app.world().await;
    let admin = app.admin().await;
    for path in [format!("/projects/{}", world.a.project_id), "/projects".to_owned()] {
        let (status, headers, body) = app.bytes(&path, Some(&admin), &[]).await;
        assert_eq!(status, StatusCode::OK);
        let tag = etag(&headers);
        assert!(tag.starts_with('"') && tag.ends_with('"'), "a strong tag: {tag}");
        let (status, headers, empty) = app.bytes(&path, Some(&admin), &[("if-none-match", &tag)]).await;
        assert_eq!(status, StatusCode::NOT_MODIFIED, "{path}");
        assert!(empty.is_empty(), "no body with a 304");
        assert_eq!(etag(&headers), tag);
        assert_eq!(headers["cache-control"], "no-store", "still never stored by a cache");
        assert!(headers.get("content-type").is_none() && headers.get("x-request-id").is_some(), "{headers:?}");
        // A weak comparison, in a list, as RFC 9110 has it.
        let listed = format!("\"stale\", W/{tag}");
        assert_eq!(app.bytes(&path, Some(&admin), &[("if-none-match", &listed)]).await.0, StatusCode::NOT_MODIFIED);
        assert!(!body.is_empty());
    }
    let project = format!("/projects/{}", world.a.project_id);
    let before = etag(&app.bytes(&project, Some(&admin), &[]).await.1);
    app.patch(&project, &admin, json!({"name": "Renamed"})).await.assert(200);
    let (status, headers, body) = app.bytes(&project, Some(&admin), &[("if-none-match", &before)]).await;
    assert_eq!(status, StatusCode::OK, "changed: the new representation");
    assert_ne!(etag(&headers), before);
    assert!(String::from_utf8(body).unwrap().contains("Renamed"));
    // A task moved changes the project's progress, which its tag follows too.
    let list = etag(&app.bytes("/projects", Some(&admin), &[]).await.1);
    app.patch(&format!("/tasks/{}", world.a.task_id), &admin, json!({"status": "done"})).await.assert(200);
    assert_eq!(app.bytes("/projects", Some(&admin), &[("if-none-match", &list)]).await.0, StatusCode::OK);
}

#[tokio::test]
async fn callers_who_see_a_thing_differently_get_different_tags() {
    let app = spawn_app().await;
    let world = app.world().await;
    let admin = app.admin().await;
    let client = app.token(world.a.email("client")).await;
    let path = format!("/tasks/{}?include=comments", world.a.task_id);
    let staff_tag = etag(&app.bytes(&path, Some(&admin), &[]).await.1);
    let client_tag = etag(&app.bytes(&path, Some(&client), &[]).await.1);
    assert_ne!(staff_tag, client_tag, "the staff's view holds the Note");
    // The staff's tag is not the client's: the client gets their whole view.
    let (status, _, body) = app.bytes(&path, Some(&client), &[("if-none-match", &staff_tag)]).await;
    assert_eq!(status, StatusCode::OK);
    assert!(!String::from_utf8(body).unwrap().contains(CANARY));
}

#[tokio::test]
async fn only_successful_json_reads_are_tagged_by_their_body() {
    let app = spawn_app().await;
    let world = app.world().await;
    let admin = app.admin().await;
    // A problem is not a representation to revalidate.
    let missing = app.get(&format!("/projects/{}", uuid::Uuid::now_v7()), &admin).await;
    missing.assert_problem(404);
    assert!(missing.headers.get("etag").is_none());
    // A PDF is made afresh and never tagged; a file's content keeps its version's SHA-256.
    let (status, headers, _) = app.bytes(&format!("/invoices/{}/pdf", world.a.invoice_id), Some(&admin), &[]).await;
    assert_eq!(status, StatusCode::OK);
    assert!(headers.get("etag").is_none());
    let versions = app.get(&format!("/files/{}/versions", world.a.file_id), &admin).await.items();
    let sha = versions[0]["sha256"].as_str().unwrap().to_owned();
    let content = format!("/files/{}/content", world.a.file_id);
    assert_eq!(etag(&app.bytes(&content, Some(&admin), &[]).await.1), format!("\"{sha}\""));
    // A write is not a conditional read: `If-None-Match: *` does not stop it.
    let project = format!("/projects/{}", world.a.project_id);
    let req = app.http.request(Method::PATCH, app.url(&project)).bearer_auth(&admin).header("if-none-match", "*");
    let res = req.json(&json!({"name": "Written anyway"})).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(app.get(&project, &admin).await.body["name"], "Written anyway");
    // Nor does a tag get past who may read: without a token, or without the right.
    assert_eq!(app.bytes(&project, None, &[("if-none-match", "*")]).await.0, StatusCode::UNAUTHORIZED);
    let finance = app.token(world.a.email("client_finance")).await;
    assert_eq!(app.bytes(&project, Some(&finance), &[("if-none-match", "*")]).await.0, StatusCode::FORBIDDEN);
    let other = format!("/projects/{}", world.b.project_id);
    let client = app.token(world.a.email("client")).await;
    assert_eq!(app.bytes(&other, Some(&client), &[("if-none-match", "*")]).await.0, StatusCode::NOT_FOUND);
    // `*` names any current representation of a read.
    assert_eq!(app.bytes("/clients", Some(&admin), &[("if-none-match", "*")]).await.0, StatusCode::NOT_MODIFIED);
}

/// A PATCH sent with `If-Match: tag`.
async fn patch_if(app: &TestApp, path: &str, token: &str, tag: &str, body: serde_json::Value) -> Res {
    let req = app.http.patch(app.url(path)).bearer_auth(token).header("if-match", tag).json(&body);
    read_response(req.send().await.expect("request sent")).await
}

async fn tag_of(app: &TestApp, path: &str, token: &str) -> String {
    let (status, headers, _) = app.bytes(path, Some(token), &[]).await;
    assert_eq!(status, StatusCode::OK, "{path}");
    etag(&headers)
}

#[tokio::test]
async fn a_write_on_condition_of_what_was_read_is_refused_once_it_has_changed() {
    let app = spawn_app().await;
    let world = app.world().await;
    let admin = app.admin().await;
    let project = format!("/projects/{}", world.a.project_id);
    let read = tag_of(&app, &project, &admin).await;
    let first = patch_if(&app, &project, &admin, &read, json!({"name": "First"})).await;
    first.assert(200);
    // The answer is what a GET now reads, so its tag serves the next write.
    let after = tag_of(&app, &project, &admin).await;
    assert_ne!(after, read);
    let stale = patch_if(&app, &project, &admin, &read, json!({"name": "Second"})).await;
    stale.assert_problem(412);
    assert_eq!(stale.body["type"], "urn:portico:problem:precondition-failed");
    assert_eq!(app.get(&project, &admin).await.body["name"], "First", "the stale write changed nothing");
    // A weak tag never matches a write; a list with the current one does, and so does `*`.
    patch_if(&app, &project, &admin, &format!("W/{after}"), json!({"name": "Weak"})).await.assert_problem(412);
    let listed = format!("\"old\", {after}");
    patch_if(&app, &project, &admin, &listed, json!({"name": "Listed"})).await.assert(200);
    patch_if(&app, &project, &admin, "*", json!({"name": "Any"})).await.assert(200);
    // Without a condition the last write wins, as before.
    app.patch(&project, &admin, json!({"name": "Unconditional"})).await.assert(200);
    // Another account's project is not found, whatever the condition.
    let other = app.token(world.b.email("client_admin")).await;
    patch_if(&app, &project, &other, "*", json!({"name": "Pwned"})).await.assert_problem(404);
}

#[tokio::test]
async fn two_writers_holding_the_same_tag_cannot_both_succeed() {
    let app = spawn_app().await;
    let world = app.world().await;
    let admin = app.admin().await;
    let task = format!("/tasks/{}", world.a.task_id);
    let read = tag_of(&app, &task, &admin).await;
    let answers = join_all(
        ["Mine", "Yours", "Theirs"].map(|title| patch_if(&app, &task, &admin, &read, json!({"title": title}))),
    )
    .await;
    let mut statuses: Vec<u16> = answers.iter().map(|r| r.status.as_u16()).collect();
    statuses.sort();
    assert_eq!(statuses, [200, 412, 412], "{:?}", answers.iter().map(|r| &r.text).collect::<Vec<_>>());
    let won = answers.iter().find(|r| r.status == 200).unwrap().body["title"].clone();
    assert_eq!(app.get(&task, &admin).await.body["title"], won);
}

#[tokio::test]
async fn every_patch_of_something_readable_takes_the_tag_its_read_gave() {
    let app = spawn_app().await;
    let world = app.world().await;
    let admin = app.admin().await;
    let role = app
        .post(
            "/roles",
            &admin,
            json!({"key": "client_pm", "name": "PM", "kind": "client", "permissions": ["projects.read"]}),
        )
        .await;
    let comment = app
        .post(&format!("/tasks/{}/comments", world.a.task_id), &admin, json!({"body": "Hello", "visibility": "reply"}))
        .await;
    let client_admin = app.token(world.a.email("client_admin")).await;
    let viewer = world.a.user_ids["client_viewer"];
    let writes = [
        (&admin, format!("/projects/{}", world.a.project_id), json!({"name": "P"})),
        (&admin, format!("/tasks/{}", world.a.task_id), json!({"title": "T"})),
        (&admin, format!("/clients/{}", world.a.client_id), json!({"notes": "N"})),
        (&admin, format!("/contacts/{}", world.a.contact_id), json!({"name": "C"})),
        (&admin, format!("/invoices/{}", world.a.draft_invoice_id), json!({"payment_instructions": "Bank"})),
        (&admin, format!("/users/{viewer}"), json!({"name": "V"})),
        (&admin, format!("/roles/{}", role.assert(201).id()), json!({"name": "Project manager"})),
        (&admin, format!("/comments/{}", comment.assert(201).id()), json!({"body": "Hello again"})),
        (&admin, "/settings/portal".to_owned(), json!({"welcome_message": "Welcome"})),
        (&admin, "/me".to_owned(), json!({"name": "Ada"})),
        (&client_admin, format!("/team/members/{viewer}"), json!({"role": "client"})),
    ];
    for (token, path, body) in &writes {
        patch_if(&app, path, token, "\"not-its-tag\"", body.clone()).await.assert_problem(412);
        let read = tag_of(&app, path, token).await;
        let res = patch_if(&app, path, token, &read, body.clone()).await;
        assert_eq!(res.status, 200, "{path}: {}", res.text);
        patch_if(&app, path, token, &read, body.clone()).await.assert_problem(412);
    }
}

#[tokio::test]
async fn two_contacts_made_primary_at_once_on_condition_both_succeed_in_turn() {
    let app = spawn_app().await;
    let world = app.world().await;
    let admin = app.admin().await;
    let other = app
        .post(
            &format!("/clients/{}/contacts", world.a.client_id),
            &admin,
            json!({"name": "Second", "email": "second@a.test"}),
        )
        .await;
    let paths = [format!("/contacts/{}", world.a.contact_id), format!("/contacts/{}", other.assert(201).id())];
    for _ in 0..3 {
        let mut tags = Vec::new();
        for path in &paths {
            tags.push(tag_of(&app, path, &admin).await);
        }
        // Each makes its own contact primary, which takes the other's flag away: they queue on
        // the account rather than deadlock.
        let answers = join_all(
            paths.iter().zip(&tags).map(|(path, tag)| patch_if(&app, path, &admin, tag, json!({"is_primary": true}))),
        )
        .await;
        for answer in &answers {
            assert!([200, 412].contains(&answer.status.as_u16()), "{}", answer.text);
        }
        assert!(answers.iter().any(|a| a.status == 200), "one of them wins");
    }
    let primaries = app.get(&format!("/clients/{}/contacts", world.a.client_id), &admin).await;
    assert_eq!(primaries.items().iter().filter(|c| c["is_primary"] == true).count(), 1);
}
