use portico_blackbox::*;
use serde_json::json;

#[tokio::test]
async fn staff_create_list_edit_and_deactivate_clients() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let acme = app.post("/clients", &admin, json!({"name": "  Acme  ", "notes": "Pays late"})).await;
    acme.assert(201);
    assert_eq!(acme.body["name"], "Acme");
    assert_eq!(acme.body["status"], "active");
    app.create_client("Globex").await;
    let list = app.get("/clients", &admin).await;
    let names: Vec<_> = list.items().iter().map(|c| c["name"].as_str().unwrap().to_owned()).collect();
    assert_eq!(names, ["Acme", "Globex"]);
    let found = app.get("/clients?q=glo", &admin).await;
    assert_eq!(found.items().len(), 1);
    let id = acme.id();
    let edited = app.patch(&format!("/clients/{id}"), &admin, json!({"status": "inactive", "notes": null})).await;
    edited.assert(200);
    assert_eq!(edited.body["status"], "inactive");
    assert!(edited.body["notes"].is_null());
    assert_eq!(app.get("/clients?status=inactive", &admin).await.items().len(), 1);
}

#[tokio::test]
async fn client_lists_paginate_with_cursors() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    for i in 0..5 {
        app.create_client(&format!("Client {i}")).await;
    }
    let first = app.get("/clients?limit=2", &admin).await;
    assert_eq!(first.items().len(), 2);
    let cursor = first.body["next_cursor"].as_str().unwrap();
    let second = app.get(&format!("/clients?limit=2&cursor={cursor}"), &admin).await;
    let third =
        app.get(&format!("/clients?limit=2&cursor={}", second.body["next_cursor"].as_str().unwrap()), &admin).await;
    assert_eq!(third.items().len(), 1);
    assert!(third.body["next_cursor"].is_null());
    let all: Vec<_> =
        [first, second, third].iter().flat_map(|p| p.items()).map(|c| c["name"].as_str().unwrap().to_owned()).collect();
    assert_eq!(all, ["Client 0", "Client 1", "Client 2", "Client 3", "Client 4"]);
}

#[tokio::test]
async fn a_client_in_use_cannot_be_deleted_but_an_empty_one_can() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let world = app.world().await;
    app.delete(&format!("/clients/{}", world.a.client_id), &admin).await.assert_problem(409);
    let empty = app.create_client("Empty").await;
    app.delete(&format!("/clients/{empty}"), &admin).await.assert(204);
    app.get(&format!("/clients/{empty}"), &admin).await.assert_problem(404);
}

#[tokio::test]
async fn contacts_are_unique_per_client_and_one_is_primary() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let client = app.create_client("Acme").await;
    let path = format!("/clients/{client}/contacts");
    let first = app.post(&path, &admin, json!({"name": "Jo", "email": "Jo@Acme.test", "is_primary": true})).await;
    first.assert(201);
    assert_eq!(first.body["email"], "jo@acme.test");
    app.post(&path, &admin, json!({"name": "Jo again", "email": "jo@acme.test"})).await.assert_problem(409);
    let second = app.post(&path, &admin, json!({"name": "Sam", "email": "sam@acme.test", "is_primary": true})).await;
    second.assert(201);
    let list = app.get(&path, &admin).await.items();
    let primaries: Vec<_> = list.iter().filter(|c| c["is_primary"] == true).map(|c| c["name"].clone()).collect();
    assert_eq!(primaries, [json!("Sam")]);
    // The same e-mail at another client is fine.
    let other = app.create_client("Globex").await;
    app.post(&format!("/clients/{other}/contacts"), &admin, json!({"name": "Jo", "email": "jo@acme.test"}))
        .await
        .assert(201);
    app.patch(&format!("/contacts/{}", first.id()), &admin, json!({"phone": "+1 555 0100"})).await.assert(200);
    app.delete(&format!("/contacts/{}", first.id()), &admin).await.assert(204);
    app.get(&format!("/contacts/{}", first.id()), &admin).await.assert_problem(404);
}

#[tokio::test]
async fn a_member_reads_clients_but_cannot_change_them() {
    let app = spawn_app().await;
    let world = app.world().await;
    let member = app.token(&world.member).await;
    app.get("/clients", &member).await.assert(200);
    app.post("/clients", &member, json!({"name": "Nope"})).await.assert_problem(403);
    app.patch(&format!("/clients/{}", world.a.client_id), &member, json!({"name": "Nope"})).await.assert_problem(403);
}
