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
