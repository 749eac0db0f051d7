//! Files and deliverables: uploads streamed into storage (a folder, or a real S3-protocol
//! server), downloads with ranges and safe headers, versions, reviews and decisions, client
//! uploads, and the isolation of all of it.
use std::{path::Path, time::Duration};

use portico_blackbox::{s3::S3Server, *};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const PNG: &[u8] = &[0x89, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, b'I', b'H', b'D', b'R', 1, 2, 3];

/// Every file under `dir`, however deep (the local store's objects and any staging files).
fn stored_files(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else { return out };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() { out.extend(stored_files(&path)) } else { out.push(path) }
    }
    out
}

fn files_dir(app: &TestApp) -> std::path::PathBuf {
    app.db.dir.path().join("files")
}

async fn eventually<F: AsyncFn() -> bool>(what: &str, check: F) {
    for _ in 0..100 {
        if check().await {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("{what} did not happen within 10 s");
}

#[tokio::test]
async fn a_file_the_agency_uploads_downloads_byte_for_byte_for_the_client_with_its_hash_and_sniffed_type() {
    let app = spawn_app().await;
    let world = app.world().await;
    let admin = app.admin().await;
    let path = format!("/projects/{}/files", world.a.project_id);
    // The name claims a PDF; the bytes are a PNG, and the bytes win.
    let up = app.upload(&path, &admin, "../../logo.pdf", PNG.to_vec(), &[("folder", "/Design//Logos/")]).await;
    up.assert(201);
    assert_eq!(up.body["name"], "logo.pdf");
    assert_eq!(up.body["folder"], "Design/Logos");
    assert_eq!(up.body["current"]["number"], 1);
    assert_eq!(up.body["current"]["size"], PNG.len());
    assert_eq!(up.body["current"]["content_type"], "image/png");
    assert_eq!(up.body["current"]["sha256"], hex::encode(Sha256::digest(PNG)));

    let client = app.token(world.a.email("client")).await;
    let listed = app.get(&format!("{path}?folder=Design/Logos"), &client).await;
    listed.assert(200);
    assert_eq!(listed.items().len(), 1);
    assert_eq!(listed.items()[0]["id"], up.body["id"]);
    let (status, headers, bytes) = app.bytes(&format!("/files/{}/content", up.id()), Some(&client), &[]).await;
    assert_eq!(status, 200);
    assert_eq!(bytes, PNG);
    assert_eq!(headers["content-type"], "image/png");
    assert!(headers["content-disposition"].to_str().unwrap().starts_with("inline"));
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert_eq!(headers["accept-ranges"], "bytes");
    assert_eq!(headers["cache-control"], "private, no-store", "no browser keeps a client's file");
    // Asked to, even a previewable file comes as an attachment.
    let (_, headers, _) = app.bytes(&format!("/files/{}/content?download=true", up.id()), Some(&client), &[]).await;
    assert!(headers["content-disposition"].to_str().unwrap().starts_with("attachment"));
}

#[tokio::test]
async fn html_and_svg_are_never_served_as_markup_on_the_portals_origin() {
    let app = spawn_app().await;
    let world = app.world().await;
    let admin = app.admin().await;
    let path = format!("/projects/{}/files", world.a.project_id);
    for (name, body) in [
        ("page.html", "<html><script>alert(document.cookie)</script></html>"),
        ("icon.svg", "<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>"),
    ] {
        let up = app.upload(&path, &admin, name, body.as_bytes().to_vec(), &[]).await;
        up.assert(201);
        let (_, headers, bytes) = app.bytes(&format!("/files/{}/content", up.id()), Some(&admin), &[]).await;
        assert_eq!(bytes, body.as_bytes());
        assert_eq!(headers["content-type"], "text/plain; charset=utf-8", "{name}");
        assert!(headers["content-disposition"].to_str().unwrap().starts_with("attachment"), "{name}");
        assert!(headers["content-security-policy"].to_str().unwrap().starts_with("sandbox"), "{name}");
    }
    // A name outside ASCII survives in the RFC 5987 form, with an ASCII fallback.
    let up = app.upload(&path, &admin, "café menu.bin", vec![0, 1, 2, 0xff], &[]).await;
    let (_, headers, _) = app.bytes(&format!("/files/{}/content", up.id()), Some(&admin), &[]).await;
    let cd = headers["content-disposition"].to_str().unwrap();
    assert!(cd.contains("filename=\"caf_ menu.bin\"") && cd.contains("filename*=UTF-8''caf%C3%A9%20menu.bin"), "{cd}");
    assert_eq!(headers["content-type"], "application/octet-stream");
}

#[tokio::test]
async fn downloads_honour_a_single_range_and_refuse_one_outside_the_file() {
    let app = spawn_app().await;
    let world = app.world().await;
    let admin = app.admin().await;
    let body: Vec<u8> = (0u8..100).collect();
    let up = app.upload(&format!("/projects/{}/files", world.a.project_id), &admin, "d.bin", body.clone(), &[]).await;
    let path = format!("/files/{}/content", up.id());
    let (status, headers, bytes) = app.bytes(&path, Some(&admin), &[("range", "bytes=10-19")]).await;
    assert_eq!(status, 206);
    assert_eq!(bytes, &body[10..20]);
    assert_eq!(headers["content-range"], "bytes 10-19/100");
    let (status, _, bytes) = app.bytes(&path, Some(&admin), &[("range", "bytes=-5")]).await;
    assert_eq!((status.as_u16(), bytes.as_slice()), (206, &body[95..]));
    let (status, headers, _) = app.bytes(&path, Some(&admin), &[("range", "bytes=200-300")]).await;
    assert_eq!(status, 416);
    assert_eq!(headers["content-range"], "bytes */100");
    assert!(headers["content-type"].to_str().unwrap().starts_with("application/problem+json"));
    // A header that is no byte range of ours is ignored: the whole file.
    for odd in ["bytes=50-40", "items=0-1", "bytes=x-y"] {
        let (status, _, bytes) = app.bytes(&path, Some(&admin), &[("range", odd)]).await;
        assert_eq!((status.as_u16(), bytes.len()), (200, 100), "{odd}");
    }
    // An empty file has no byte to give.
    let empty = app.upload(&format!("/projects/{}/files", world.a.project_id), &admin, "e.txt", vec![], &[]).await;
    let empty_path = format!("/files/{}/content", empty.assert(201).id());
    for r in ["bytes=-5", "bytes=0-0"] {
        let (status, headers, _) = app.bytes(&empty_path, Some(&admin), &[("range", r)]).await;
        assert_eq!(status, 416, "{r}");
        assert_eq!(headers["content-range"], "bytes */0");
    }
    let (status, _, bytes) = app.bytes(&empty_path, Some(&admin), &[]).await;
    assert_eq!((status.as_u16(), bytes.len()), (200, 0));
    // A range for another representation (If-Range mismatch) gets the whole file.
    let (status, _, bytes) = app.bytes(&path, Some(&admin), &[("range", "bytes=0-1"), ("if-range", "\"stale\"")]).await;
    assert_eq!((status.as_u16(), bytes.len()), (200, 100));
}

#[tokio::test]
async fn a_file_over_the_limit_is_413_and_leaves_no_object_and_no_row() {
    let app = spawn_app_with(|s| s.max_upload_bytes = 64 * 1024).await;
    let world = app.world().await;
    let admin = app.admin().await;
    let path = format!("/projects/{}/files", world.a.project_id);
    let before = stored_files(&files_dir(&app)).len();
    let listed_before = app.get(&path, &admin).await.items().len();

    // Declared too large: refused before a byte is read.
    let big = vec![7u8; 200 * 1024];
    app.upload(&path, &admin, "big.bin", big, &[]).await.assert_problem(413);
    // Sent without a length (chunked): refused once the bytes pass the limit.
    let chunks: Vec<Result<Vec<u8>, std::io::Error>> = (0..10).map(|_| Ok(vec![1u8; 16 * 1024])).collect();
    let part = reqwest::multipart::Part::stream(reqwest::Body::wrap_stream(futures_util::stream::iter(chunks)))
        .file_name("stream.bin");
    let form = reqwest::multipart::Form::new().part("file", part);
    let res = app.http.post(app.url(&path)).bearer_auth(&admin).multipart(form).send().await.unwrap();
    assert_eq!(res.status(), 413);

    assert_eq!(stored_files(&files_dir(&app)).len(), before, "an object was left behind");
    assert_eq!(app.get(&path, &admin).await.items().len(), listed_before, "a row was left behind");
    // Just under the limit is fine.
    app.upload(&path, &admin, "fits.bin", vec![1u8; 60 * 1024], &[]).await.assert(201);
}

#[tokio::test]
async fn an_upload_cut_off_mid_stream_leaves_nothing_stored() {
    let app = spawn_app().await;
    let world = app.world().await;
    let admin = app.admin().await;
    let path = format!("/api/v1/projects/{}/files", world.a.project_id);
    let before = stored_files(&files_dir(&app)).len();
    let listed_before = app.get(&format!("/projects/{}/files", world.a.project_id), &admin).await.items().len();

    let addr = app.base.trim_start_matches("http://").to_owned();
    let mut conn = tokio::net::TcpStream::connect(&addr).await.unwrap();
    let head = format!(
        "POST {path} HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {admin}\r\n\
         Content-Type: multipart/form-data; boundary=XyZ\r\nContent-Length: 1000000\r\n\r\n\
         --XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"cut.bin\"\r\n\r\n"
    );
    conn.write_all(head.as_bytes()).await.unwrap();
    conn.write_all(&vec![9u8; 300_000]).await.unwrap();
    conn.shutdown().await.unwrap();
    let mut answer = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(5), conn.read_to_end(&mut answer)).await;
    drop(conn);

    // Whatever the server managed to answer, nothing of the upload remains.
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(stored_files(&files_dir(&app)).len(), before, "an object was left behind");
    let after = app.get(&format!("/projects/{}/files", world.a.project_id), &admin).await.items().len();
    assert_eq!(after, listed_before);
}

#[tokio::test]
async fn malformed_uploads_are_clear_problems() {
    let app = spawn_app().await;
    let world = app.world().await;
    let admin = app.admin().await;
    let path = format!("/projects/{}/files", world.a.project_id);
    app.raw(reqwest::Method::POST, &path, &admin, "application/json", "{}").await.assert_problem(400);
    let no_file = app
        .http
        .post(app.url(&path))
        .bearer_auth(&admin)
        .multipart(reqwest::multipart::Form::new().text("folder", "x"))
        .send()
        .await
        .unwrap();
    let no_file = read_response(no_file).await;
    no_file.assert_problem(422);
    assert!(no_file.body["errors"]["file"].is_array());
    app.upload(&path, &admin, "a.txt", b"a".to_vec(), &[("task_id", "nope")]).await.assert_problem(422);
    // A task of another project is refused, and the stored bytes go with the refusal.
    let before = stored_files(&files_dir(&app)).len();
    let other = world.b.task_id.to_string();
    app.upload(&path, &admin, "a.txt", b"a".to_vec(), &[("task_id", &other)]).await.assert_problem(422);
    assert_eq!(stored_files(&files_dir(&app)).len(), before);
    app.upload(&path, &admin, "a.txt", b"a".to_vec(), &[("colour", "red")]).await.assert_problem(422);
}

#[tokio::test]
async fn new_versions_keep_the_history_and_earlier_ones_download_on_request() {
    let app = spawn_app().await;
    let world = app.world().await;
    let admin = app.admin().await;
    let up =
        app.upload(&format!("/projects/{}/files", world.a.project_id), &admin, "copy.txt", b"one".to_vec(), &[]).await;
    let id = up.id();
    let v2 = app.upload(&format!("/files/{id}/versions"), &admin, "copy-v2.txt", b"two!".to_vec(), &[]).await;
    v2.assert(201);
    assert_eq!(v2.body["current"]["number"], 2);
    assert_eq!(v2.body["name"], "copy.txt", "the file keeps its name");

    let client = app.token(world.a.email("client_viewer")).await;
    let versions = app.get(&format!("/files/{id}/versions"), &client).await;
    versions.assert(200);
    let numbers: Vec<i64> = versions.items().iter().map(|v| v["number"].as_i64().unwrap()).collect();
    assert_eq!(numbers, [2, 1]);
    assert_eq!(versions.items()[1]["original_name"], "copy.txt");
    assert_eq!(versions.items()[0]["uploaded_by_name"], "Administrator");
    let (_, _, current) = app.bytes(&format!("/files/{id}/content"), Some(&client), &[]).await;
    assert_eq!(current, b"two!");
    let (_, _, first) = app.bytes(&format!("/files/{id}/content?version=1"), Some(&client), &[]).await;
    assert_eq!(first, b"one");
    app.get(&format!("/files/{id}/content?version=3"), &client).await.assert_problem(404);
}

#[tokio::test]
async fn the_client_approves_a_deliverable_once_and_the_agency_hears_of_it_at_once() {
    let app = spawn_app().await;
    let world = app.world().await;
    let admin = app.admin().await;
    let path = format!("/projects/{}/files", world.a.project_id);
    let up =
        app.upload(&path, &admin, "homepage.png", PNG.to_vec(), &[("task_id", &world.a.task_id.to_string())]).await;
    let id = up.id();
    let asked = app
        .post(&format!("/files/{id}/review"), &admin, json!({"message": "Homepage v1", "due_date": "2030-01-10"}))
        .await;
    asked.assert(201);
    assert_eq!(asked.body["review"]["status"], "pending");
    assert_eq!(asked.body["review"]["due_date"], "2030-01-10");
    app.post(&format!("/files/{id}/review"), &admin, json!({})).await.assert_problem(409);

    // Approvers are asked; a viewer is not.
    let approver = app.token(world.a.email("client")).await;
    let asked_of = app.get("/notifications", &approver).await;
    assert!(asked_of.items().iter().any(|n| n["kind"] == "review_requested"), "{}", asked_of.text);
    let viewer = app.token(world.a.email("client_viewer")).await;
    assert!(!app.get("/notifications", &viewer).await.text.contains("review_requested"));

    let decision = json!({"decision": "approved", "version": 1});
    app.post(&format!("/files/{id}/decision"), &viewer, decision.clone()).await.assert_problem(403);
    let finance = app.token(world.a.email("client_finance")).await;
    app.post(&format!("/files/{id}/decision"), &finance, decision.clone()).await.assert_problem(403);
    app.post(&format!("/files/{id}/decision"), &admin, decision.clone()).await.assert_problem(403);
    app.post(&format!("/files/{id}/decision"), &approver, json!({"decision": "approved", "version": 2}))
        .await
        .assert_problem(409);

    let decided = app.post(&format!("/files/{id}/decision"), &approver, decision.clone()).await;
    decided.assert(200);
    assert_eq!(decided.body["review"]["status"], "approved");
    assert_eq!(decided.body["review"]["decided_by_name"], format!("User {}", world.a.email("client")));
    // Locked: no second decision, by anyone.
    let admin_of_client = app.token(world.a.email("client_admin")).await;
    app.post(
        &format!("/files/{id}/decision"),
        &admin_of_client,
        json!({"decision": "changes_requested", "version": 1, "comment": "Wait"}),
    )
    .await
    .assert_problem(409);
    app.post(&format!("/files/{id}/review"), &admin, json!({})).await.assert_problem(409);

    // The staff on the project hear at once; the audit log has who decided what.
    let member = app.token(&world.member).await;
    let told = app.get("/notifications", &member).await;
    assert!(
        told.items().iter().any(|n| n["kind"] == "review_decided" && n["title"].as_str().unwrap().contains("approved")),
        "{}",
        told.text
    );
    let audit = app.get("/audit-log?action=review.decided", &admin).await;
    assert!(audit.text.contains("approved"), "{}", audit.text);
}

#[tokio::test]
async fn asking_for_changes_needs_a_comment_lands_as_a_reply_and_a_new_version_restarts_the_review() {
    let app = spawn_app().await;
    let world = app.world().await;
    let admin = app.admin().await;
    let up = app
        .upload(
            &format!("/projects/{}/files", world.a.project_id),
            &admin,
            "logo.png",
            PNG.to_vec(),
            &[("task_id", &world.a.task_id.to_string())],
        )
        .await;
    let id = up.id();
    app.post(&format!("/files/{id}/review"), &admin, json!({"message": "Logo", "due_date": "2030-02-01"}))
        .await
        .assert(201);
    let client = app.token(world.a.email("client")).await;
    let no_comment = app
        .post(&format!("/files/{id}/decision"), &client, json!({"decision": "changes_requested", "version": 1}))
        .await;
    no_comment.assert_problem(422);
    assert!(no_comment.body["errors"]["comment"].is_array());
    let asked = app
        .post(
            &format!("/files/{id}/decision"),
            &client,
            json!({"decision": "changes_requested", "version": 1, "comment": "Make it bluer"}),
        )
        .await;
    asked.assert(200);
    assert_eq!(asked.body["review"]["status"], "changes_requested");
    assert_eq!(asked.body["review"]["comment"], "Make it bluer");
    // The comment is a Reply on the file's task, in the client's name.
    let thread = app.get(&format!("/tasks/{}/comments", world.a.task_id), &admin).await;
    let reply =
        thread.items().into_iter().find(|c| c["body"].as_str().unwrap().contains("Make it bluer")).expect("a Reply");
    assert_eq!(reply["visibility"], "reply");
    assert_eq!(reply["author_is_client"], true);

    // A new version restarts the review, on that version, with the same request.
    let v2 = app.upload(&format!("/files/{id}/versions"), &admin, "logo.png", PNG.to_vec(), &[]).await;
    v2.assert(201);
    assert_eq!(v2.body["review"]["status"], "pending");
    assert_eq!(v2.body["review"]["version_number"], 2);
    assert_eq!(v2.body["review"]["due_date"], "2030-02-01");
    // Version 1 is no longer open; version 2 is.
    app.post(&format!("/files/{id}/decision"), &client, json!({"decision": "approved", "version": 1}))
        .await
        .assert_problem(409);
    app.post(&format!("/files/{id}/decision"), &client, json!({"decision": "approved", "version": 2}))
        .await
        .assert(200);
    let history = app.get(&format!("/files/{id}/reviews"), &client).await;
    let states: Vec<String> = history.items().iter().map(|r| r["status"].as_str().unwrap().to_owned()).collect();
    assert_eq!(states, ["approved", "changes_requested"]);
}

#[tokio::test]
async fn a_new_version_supersedes_a_pending_review_and_asks_again_and_staff_can_withdraw_a_request() {
    let app = spawn_app().await;
    let world = app.world().await;
    let admin = app.admin().await;
    let id = world.a.file_id;
    let v2 = app.upload(&format!("/files/{id}/versions"), &admin, "brief.txt", b"v2".to_vec(), &[]).await;
    v2.assert(201);
    assert_eq!((&v2.body["review"]["status"], &v2.body["review"]["version_number"]), (&json!("pending"), &json!(2)));
    assert_eq!(v2.body["review"]["message"], "Please check", "the same request, on the new version");
    let client = app.token(world.a.email("client")).await;
    app.post(&format!("/files/{id}/decision"), &client, json!({"decision": "approved", "version": 1}))
        .await
        .assert_problem(409);
    let history = app.get(&format!("/files/{id}/reviews"), &client).await;
    let items = history.items();
    let states: Vec<&str> = items.iter().map(|r| r["status"].as_str().unwrap()).collect();
    assert_eq!(states, ["pending", "superseded"], "{}", history.text);

    app.delete(&format!("/files/{id}/review"), &admin).await.assert(204);
    let now = app.get(&format!("/files/{id}"), &client).await;
    assert_eq!(now.body["review"]["status"], "cancelled");
    // The withdrawn request's notification goes with it; the first one's stays.
    let told = app.get("/notifications", &client).await;
    assert_eq!(told.items().iter().filter(|n| n["kind"] == "review_requested").count(), 1, "{}", told.text);
    app.delete(&format!("/files/{id}/review"), &admin).await.assert_problem(409);
    app.post(&format!("/files/{id}/review"), &admin, json!({})).await.assert(201);
}

#[tokio::test]
async fn clients_upload_to_their_own_projects_only_and_the_agency_is_told() {
    let app = spawn_app().await;
    let world = app.world().await;
    let path = format!("/projects/{}/files", world.a.project_id);
    let client = app.token(world.a.email("client")).await;
    let up = app.upload(&path, &client, "content.txt", b"Our copy".to_vec(), &[]).await;
    up.assert(201);
    let member = app.token(&world.member).await;
    let told = app.get("/notifications", &member).await;
    assert!(told.items().iter().any(|n| n["kind"] == "client_upload"), "{}", told.text);
    // Their own file gets versions from them; the agency's does not.
    app.upload(&format!("/files/{}/versions", up.id()), &client, "content.txt", b"v2".to_vec(), &[]).await.assert(201);
    app.upload(&format!("/files/{}/versions", world.a.file_id), &client, "x.txt", b"x".to_vec(), &[])
        .await
        .assert_problem(403);
    for role in ["client_viewer", "client_finance"] {
        let token = app.token(world.a.email(role)).await;
        app.upload(&path, &token, "x.txt", b"x".to_vec(), &[]).await.assert_problem(403);
    }
    let other = app.token(world.b.email("client")).await;
    app.upload(&path, &other, "x.txt", b"x".to_vec(), &[]).await.assert_problem(404);
    // Clients neither delete nor ask for reviews.
    app.delete(&format!("/files/{}", up.id()), &client).await.assert_problem(403);
    app.post(&format!("/files/{}/review", up.id()), &client, json!({})).await.assert_problem(403);
}

#[tokio::test]
async fn another_accounts_file_is_404_on_every_path_for_every_client_role_and_finance_sees_no_files() {
    let app = spawn_app().await;
    let world = app.world().await;
    let a = world.a.file_id;
    for role in CLIENT_ROLES {
        let token = app.token(world.b.email(role)).await;
        for path in [
            format!("/files/{a}"),
            format!("/files/{a}/content"),
            format!("/files/{a}/versions"),
            format!("/files/{a}/reviews"),
            format!("/projects/{}/files", world.a.project_id),
        ] {
            app.get(&path, &token).await.assert_problem(404);
        }
        app.post(&format!("/files/{a}/decision"), &token, json!({"decision": "approved", "version": 1}))
            .await
            .assert_problem(404);
        app.post(&format!("/files/{a}/links"), &token, json!({})).await.assert_problem(404);
    }
    let finance = app.token(world.a.email("client_finance")).await;
    app.get(&format!("/projects/{}/files", world.a.project_id), &finance).await.assert_problem(403);
    app.get(&format!("/files/{a}/content"), &finance).await.assert_problem(403);
    // A missing id and a foreign one look the same.
    let token = app.token(world.b.email("client")).await;
    let foreign = app.get(&format!("/files/{a}"), &token).await;
    let missing = app.get(&format!("/files/{}", uuid::Uuid::now_v7()), &token).await;
    assert_eq!((foreign.status, foreign.body), (missing.status, missing.body));
}

#[tokio::test]
async fn a_download_link_works_without_a_header_for_its_file_and_user_only_until_they_sign_out() {
    let app = spawn_app().await;
    let world = app.world().await;
    let email = world.a.email("client").to_owned();
    let login = app.login(&email, PASSWORD).await;
    let token = login.body["access_token"].as_str().unwrap().to_owned();
    let link = app.post(&format!("/files/{}/links", world.a.file_id), &token, json!({})).await;
    link.assert(200);
    let url = link.body["url"].as_str().unwrap().to_owned();
    let (status, _, bytes) = app.bytes(&url, None, &[]).await;
    assert_eq!(status, 200);
    assert_eq!(bytes, b"The brief of a\n");
    // Pointed at another file, the link is refused.
    let other = app
        .upload(&format!("/projects/{}/files", world.a.project_id), &app.admin().await, "o.txt", b"o".to_vec(), &[])
        .await;
    let moved = url.replace(&world.a.file_id.to_string(), &other.id().to_string());
    assert_eq!(app.bytes(&moved, None, &[]).await.0, 401);
    assert_eq!(app.bytes(&format!("/files/{}/content?link=forged", world.a.file_id), None, &[]).await.0, 401);
    assert_eq!(app.bytes(&format!("/files/{}/content", world.a.file_id), None, &[]).await.0, 401);
    // Signing out everywhere ends the link too.
    let refresh = login.body["refresh_token"].as_str().unwrap();
    app.send(reqwest::Method::POST, "/auth/logout", Some(&token), Some(&json!({"refresh_token": refresh}))).await;
    let (status, _, _) = app.bytes(&url, None, &[]).await;
    assert_eq!(status, 401);
}

#[tokio::test]
async fn deleting_a_file_removes_its_rows_at_once_and_its_bytes_soon_after() {
    let app = spawn_app().await;
    let world = app.world().await;
    let admin = app.admin().await;
    let up =
        app.upload(&format!("/projects/{}/files", world.a.project_id), &admin, "gone.txt", b"bye".to_vec(), &[]).await;
    app.upload(&format!("/files/{}/versions", up.id()), &admin, "gone.txt", b"bye2".to_vec(), &[]).await.assert(201);
    let dir = files_dir(&app).join("projects").join(world.a.project_id.to_string()).join(up.id().to_string());
    assert_eq!(stored_files(&dir).len(), 2);
    let member = app.token(&world.member).await;
    app.delete(&format!("/files/{}", up.id()), &app.token(world.a.email("client_admin")).await)
        .await
        .assert_problem(403);
    app.delete(&format!("/files/{}", up.id()), &member).await.assert(204);
    app.get(&format!("/files/{}", up.id()), &admin).await.assert_problem(404);
    app.get(&format!("/files/{}/content", up.id()), &admin).await.assert_problem(404);
    eventually("the stored bytes are removed", async || stored_files(&dir).is_empty()).await;
    let audit = app.get("/audit-log?action=file.deleted", &admin).await;
    assert!(audit.text.contains("gone.txt"));
}

#[tokio::test]
async fn the_s3_backend_stores_streams_and_removes_files_in_a_real_s3_protocol_server() {
    let s3 = S3Server::start().await;
    let app = spawn_app_with(|s| s3.configure(s)).await;
    let world = app.world().await;
    let admin = app.admin().await;
    // Larger than one part (5 MiB), so it goes up as a multipart upload.
    let body: Vec<u8> = (0..6 * 1024 * 1024 + 123).map(|i| (i % 251) as u8).collect();
    let up =
        app.upload(&format!("/projects/{}/files", world.a.project_id), &admin, "video.bin", body.clone(), &[]).await;
    up.assert(201);
    assert_eq!(up.body["current"]["sha256"], hex::encode(Sha256::digest(&body)));
    let key = format!("projects/{}/{}/{}", world.a.project_id, up.id(), up.body["current"]["id"].as_str().unwrap());
    assert!(s3.keys().await.contains(&key), "{:?}", s3.keys().await);
    let client = app.token(world.a.email("client")).await;
    let (status, _, bytes) = app.bytes(&format!("/files/{}/content", up.id()), Some(&client), &[]).await;
    assert_eq!(status, 200);
    assert!(bytes == body, "the download differs from the upload");
    let (status, _, bytes) =
        app.bytes(&format!("/files/{}/content", up.id()), Some(&client), &[("range", "bytes=5242880-5242889")]).await;
    assert_eq!((status.as_u16(), bytes.as_slice()), (206, &body[5242880..5242890]));

    // Too large for the limit: nothing in the bucket, nothing listed.
    let small = spawn_app_with(|s| {
        s3.configure(s);
        s.max_upload_bytes = 1024;
    })
    .await;
    let keys_before = s3.keys().await.len();
    let world2 = small.world().await;
    let keys_with_world = s3.keys().await.len();
    assert_eq!(keys_with_world, keys_before + 4, "the two accounts' briefs and Note attachments");
    let a = small.admin().await;
    small
        .upload(&format!("/projects/{}/files", world2.a.project_id), &a, "big", vec![0u8; 4096], &[])
        .await
        .assert_problem(413);
    assert_eq!(s3.keys().await.len(), keys_with_world);

    app.delete(&format!("/files/{}", up.id()), &admin).await.assert(204);
    eventually("the object is removed from the bucket", async || !s3.keys().await.contains(&key)).await;
}

#[tokio::test]
async fn file_events_reach_the_accounts_webhooks_and_no_other_account_hears_of_them() {
    let app = spawn_app().await;
    let hooks_a = hooks::Receiver::start(&[]).await;
    let hooks_b = hooks::Receiver::start(&[]).await;
    let world = app.world().await;
    let admin = app.admin().await;
    let kinds = ["file.created", "file.version_added", "review.requested", "review.decided"];
    for (hooks, account) in [(&hooks_a, &world.a), (&hooks_b, &world.b)] {
        let body = json!({"url": hooks.url, "event_types": kinds, "client_id": account.client_id});
        app.post("/webhooks", &admin, body).await.assert(201);
    }
    let up = app.upload(&format!("/projects/{}/files", world.a.project_id), &admin, "e.png", PNG.to_vec(), &[]).await;
    app.upload(&format!("/files/{}/versions", up.id()), &admin, "e.png", PNG.to_vec(), &[]).await.assert(201);
    app.post(&format!("/files/{}/review", up.id()), &admin, json!({})).await.assert(201);
    let client = app.token(world.a.email("client")).await;
    let decision = json!({"decision": "approved", "version": 2});
    app.post(&format!("/files/{}/decision", up.id()), &client, decision).await.assert(200);
    let got = hooks_a.wait_for(4).await;
    let bodies: Vec<Value> = got.iter().map(|h| h.json()).collect();
    let types: Vec<&str> = bodies.iter().map(|b| b["type"].as_str().unwrap()).collect();
    for kind in kinds {
        assert!(types.contains(&kind), "{kind} in {types:?}");
    }
    assert!(bodies.iter().all(|b| b["client_id"] == world.a.client_id.to_string()));
    assert!(bodies.iter().all(|b| b["data"]["file_id"] == up.body["id"]), "{bodies:?}");
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert!(hooks_b.all().await.is_empty(), "B heard of A's files");
}

#[tokio::test]
async fn a_review_past_its_due_date_reminds_each_approver_once_a_day_in_one_bundled_message() {
    let app = spawn_app_with(|s| s.scheduler_interval_secs = 1).await;
    let world = app.world().await;
    let admin = app.admin().await;
    let path = format!("/projects/{}/files", world.a.project_id);
    let due = (chrono::Utc::now().date_naive() - chrono::Duration::days(2)).to_string();
    for name in ["poster.png", "flyer.png"] {
        let id = app.upload(&path, &admin, name, PNG.to_vec(), &[]).await.id();
        app.post(&format!("/files/{id}/review"), &admin, json!({"due_date": due})).await.assert(201);
    }
    let client = app.token(world.a.email("client")).await;
    eventually("the approver is reminded", async || {
        app.get("/notifications", &client).await.text.contains("review_overdue")
    })
    .await;
    // A few more ticks change nothing: one message per person and day, naming both files.
    tokio::time::sleep(Duration::from_secs(3)).await;
    let told = app.get("/notifications", &client).await.items();
    let reminders: Vec<&Value> = told.iter().filter(|n| n["kind"] == "review_overdue").collect();
    assert_eq!(reminders.len(), 1, "{told:?}");
    let body = reminders[0]["body"].as_str().unwrap();
    assert!(body.contains("poster.png") && body.contains("flyer.png"), "{body}");
    assert_eq!(reminders[0]["title"], "Reminder: 2 files await your review");
    // Approvers only: neither a viewer nor another account hears of it.
    let viewer = app.token(world.a.email("client_viewer")).await;
    assert!(!app.get("/notifications", &viewer).await.text.contains("review_overdue"));
    let other = app.token(world.b.email("client")).await;
    assert!(!app.get("/notifications", &other).await.text.contains("review_overdue"));
    let db = app.db.connect().await;
    let mails = portico::entities::outbox::Entity::find().all(&db).await.unwrap();
    let to_client: Vec<_> =
        mails.iter().filter(|m| m.kind == "review_overdue" && m.to_email == world.a.email("client")).collect();
    assert_eq!(to_client.len(), 1);
}

#[tokio::test]
async fn no_reminder_goes_out_once_anyone_has_decided() {
    let app = spawn_app_with(|s| s.scheduler_interval_secs = 1).await;
    let world = app.world().await;
    let admin = app.admin().await;
    let id = app
        .upload(&format!("/projects/{}/files", world.a.project_id), &admin, "late.png", PNG.to_vec(), &[])
        .await
        .id();
    app.post(&format!("/files/{id}/review"), &admin, json!({"due_date": "2030-01-01"})).await.assert(201);
    let approver = app.token(world.a.email("client_admin")).await;
    app.post(&format!("/files/{id}/decision"), &approver, json!({"decision": "approved", "version": 1}))
        .await
        .assert(200);
    // Its due date passes after the decision: still nothing to remind of.
    let db = app.db.connect().await;
    let past = sea_orm::sea_query::Expr::value(chrono::Utc::now().date_naive() - chrono::Duration::days(10));
    portico::entities::review::Entity::update_many()
        .col_expr(portico::entities::review::Column::DueDate, past)
        .filter(portico::entities::review::Column::FileId.eq(id))
        .exec(&db)
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_secs(4)).await;
    for role in ["client", "client_admin"] {
        let token = app.token(world.a.email(role)).await;
        assert!(!app.get("/notifications", &token).await.text.contains("review_overdue"), "{role}");
    }
}

#[tokio::test]
async fn the_home_lists_what_awaits_the_clients_decision_and_recent_files_of_its_own_account_only() {
    let app = spawn_app().await;
    let world = app.world().await;
    let client = app.token(world.a.email("client")).await;
    let waiting = app.get("/files?review=pending", &client).await;
    waiting.assert(200);
    let ids: Vec<Value> = waiting.items().iter().map(|f| f["id"].clone()).collect();
    assert_eq!(ids, [json!(world.a.file_id)]);
    assert_eq!(app.get("/files?review=approved", &client).await.items().len(), 0);
    assert_eq!(app.get("/files?limit=5", &client).await.items().len(), 1);
    // The agency sees what awaits feedback across all accounts.
    let admin = app.admin().await;
    assert_eq!(app.get("/files?review=pending", &admin).await.items().len(), 2);
    let finance = app.token(world.a.email("client_finance")).await;
    app.get("/files", &finance).await.assert_problem(403);
}

#[tokio::test]
async fn a_file_attached_to_a_reply_is_seen_with_it_and_one_attached_to_a_note_is_a_note() {
    let app = spawn_app().await;
    let world = app.world().await;
    let admin = app.admin().await;
    let client = app.token(world.a.email("client")).await;
    // The client answers with a file.
    let reply = app
        .post(
            &format!("/tasks/{}/comments", world.a.task_id),
            &client,
            json!({"body": "Our logo", "visibility": "reply"}),
        )
        .await
        .id();
    let with = app.upload(&format!("/comments/{reply}/files"), &client, "logo.png", PNG.to_vec(), &[]).await;
    with.assert(201);
    let attachment = &with.body["attachments"][0];
    assert_eq!((&attachment["name"], &attachment["content_type"]), (&json!("logo.png"), &json!("image/png")));
    let file = attachment["file_id"].as_str().unwrap().to_owned();
    let thread = app.get(&format!("/tasks/{}?include=comments", world.a.task_id), &client).await;
    assert!(thread.text.contains(&file), "the task page shows the attachment");
    let (status, _, bytes) = app.bytes(&format!("/files/{file}/content"), Some(&admin), &[]).await;
    assert_eq!((status.as_u16(), bytes.as_slice()), (200, PNG));
    // Only the author attaches to a comment.
    app.upload(&format!("/comments/{reply}/files"), &admin, "x.txt", b"x".to_vec(), &[]).await.assert_problem(403);

    // The Note's attachment (made with the world) is found by staff and by no client, anywhere.
    let secret = world.a.note_file_id;
    let (status, _, bytes) = app.bytes(&format!("/files/{secret}/content"), Some(&admin), &[]).await;
    assert_eq!(status, 200);
    assert!(String::from_utf8_lossy(&bytes).contains(CANARY));
    for role in CLIENT_ROLES {
        let token = app.token(world.a.email(role)).await;
        for path in
            [format!("/files/{secret}"), format!("/files/{secret}/content"), format!("/files/{secret}/versions")]
        {
            app.get(&path, &token).await.assert_problem(404);
        }
        for path in ["/files".to_owned(), format!("/projects/{}/files", world.a.project_id)] {
            let res = app.get(&path, &token).await;
            assert!(!res.text.contains(CANARY) && !res.text.contains(&secret.to_string()), "{role} {path}");
        }
        let events = app.replay_all(&token).await;
        assert!(events.iter().all(|e| !e.data.to_string().contains(&secret.to_string())), "{role}: an event named it");
    }
    // A Reply made a Note takes its attachment with it.
    app.patch(&format!("/comments/{reply}"), &admin, json!({"visibility": "note"})).await.assert(200);
    app.get(&format!("/files/{file}"), &client).await.assert_problem(404);
    app.get(&format!("/files/{file}/content"), &client).await.assert_problem(404);
}

#[tokio::test]
async fn deleting_a_comment_deletes_its_attachments_and_their_bytes() {
    let app = spawn_app().await;
    let world = app.world().await;
    let admin = app.admin().await;
    let dir =
        files_dir(&app).join("projects").join(world.a.project_id.to_string()).join(world.a.note_file_id.to_string());
    assert_eq!(stored_files(&dir).len(), 1);
    app.delete(&format!("/comments/{}", world.a.note_id), &admin).await.assert(204);
    app.get(&format!("/files/{}", world.a.note_file_id), &admin).await.assert_problem(404);
    eventually("the attachment's bytes are removed", async || stored_files(&dir).is_empty()).await;
}

#[tokio::test]
async fn file_events_reach_the_accounts_readers_of_projects_only() {
    let app = spawn_app().await;
    let world = app.world().await;
    let admin = app.admin().await;
    let up =
        app.upload(&format!("/projects/{}/files", world.a.project_id), &admin, "live.png", PNG.to_vec(), &[]).await;
    let id = up.id().to_string();
    let told = |frames: &[sse::Frame]| {
        frames.iter().any(|f| f.event.as_deref() == Some("file.created") && f.data["file_id"] == id.as_str())
    };
    assert!(told(&app.replay_all(&app.token(world.a.email("client_viewer")).await).await));
    assert!(told(&app.replay_all(&admin).await));
    assert!(!told(&app.replay_all(&app.token(world.a.email("client_finance")).await).await), "finance reads no files");
    assert!(!told(&app.replay_all(&app.token(world.b.email("client")).await).await), "another account heard of it");
}

#[tokio::test]
async fn a_notes_attachment_takes_no_version_review_decision_or_deletion_and_so_is_never_announced() {
    let app = spawn_app().await;
    let world = app.world().await;
    let admin = app.admin().await;
    let secret = world.a.note_file_id;
    app.upload(&format!("/files/{secret}/versions"), &admin, "x.txt", b"x".to_vec(), &[]).await.assert_problem(404);
    app.post(&format!("/files/{secret}/review"), &admin, json!({})).await.assert_problem(404);
    app.delete(&format!("/files/{secret}/review"), &admin).await.assert_problem(404);
    app.delete(&format!("/files/{secret}"), &admin).await.assert_problem(404);
    let client = app.token(world.a.email("client")).await;
    app.post(&format!("/files/{secret}/decision"), &client, json!({"decision": "approved", "version": 1}))
        .await
        .assert_problem(404);
    // Staff still read it where the Note is.
    app.get(&format!("/files/{secret}"), &admin).await.assert(200);
    for role in CLIENT_ROLES {
        let token = app.token(world.a.email(role)).await;
        let events = app.replay_all(&token).await;
        assert!(events.iter().all(|e| !e.data.to_string().contains(&secret.to_string())), "{role}");
        assert!(!app.get("/notifications", &token).await.text.contains(CANARY), "{role}");
    }
}

#[tokio::test]
async fn two_review_requests_at_once_open_one_review() {
    let app = spawn_app().await;
    let world = app.world().await;
    let admin = app.admin().await;
    let id = app
        .upload(&format!("/projects/{}/files", world.a.project_id), &admin, "twice.png", PNG.to_vec(), &[])
        .await
        .id();
    let path = format!("/files/{id}/review");
    let answers = join_all((0..4).map(|_| app.post(&path, &admin, json!({})))).await;
    let mut statuses: Vec<u16> = answers.iter().map(|r| r.status.as_u16()).collect();
    statuses.sort();
    assert_eq!(statuses, [201, 409, 409, 409], "{answers:?}");
    let pending = app.get(&format!("/files/{id}/reviews"), &admin).await.items();
    assert_eq!(pending.iter().filter(|r| r["status"] == "pending").count(), 1);
}

#[tokio::test]
async fn an_approval_racing_a_new_version_is_never_lost() {
    let app = spawn_app().await;
    let world = app.world().await;
    let admin = app.admin().await;
    let client = app.token(world.a.email("client")).await;
    for round in 0..5 {
        let id = app
            .upload(
                &format!("/projects/{}/files", world.a.project_id),
                &admin,
                &format!("race{round}.png"),
                PNG.to_vec(),
                &[],
            )
            .await
            .id();
        app.post(&format!("/files/{id}/review"), &admin, json!({})).await.assert(201);
        let (decision_path, versions_path) = (format!("/files/{id}/decision"), format!("/files/{id}/versions"));
        let decide = app.post(&decision_path, &client, json!({"decision": "approved", "version": 1}));
        let version = app.upload(&versions_path, &admin, "v2.png", PNG.to_vec(), &[]);
        let (decided, added) = tokio::join!(decide, version);
        added.assert(201);
        let history = app.get(&format!("/files/{id}/reviews"), &admin).await.items();
        let approved = history.iter().any(|r| r["status"] == "approved" && r["version_number"] == 1);
        match decided.status.as_u16() {
            200 => assert!(approved, "round {round}: the approval was lost: {history:?}"),
            409 => assert!(!approved && history.iter().any(|r| r["status"] == "superseded")),
            other => panic!("round {round}: {other} {}", decided.text),
        }
    }
}

#[tokio::test]
async fn deleting_a_task_removes_the_bytes_of_its_comments_attachments() {
    let app = spawn_app().await;
    let world = app.world().await;
    let admin = app.admin().await;
    let dir =
        files_dir(&app).join("projects").join(world.a.project_id.to_string()).join(world.a.note_file_id.to_string());
    assert_eq!(stored_files(&dir).len(), 1);
    app.delete(&format!("/tasks/{}", world.a.task_id), &admin).await.assert(204);
    app.get(&format!("/files/{}", world.a.note_file_id), &admin).await.assert_problem(404);
    eventually("the attachment's bytes are removed", async || stored_files(&dir).is_empty()).await;
    // The project's own files stay.
    app.get(&format!("/files/{}", world.a.file_id), &admin).await.assert(200);
}
