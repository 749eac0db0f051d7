use portico_blackbox::*;
use serde_json::json;

#[tokio::test]
async fn admins_create_staff_and_client_users_with_fitting_roles() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let client = app.create_client("Acme").await;
    let res = app.post("/users", &admin, json!({"email": "c@acme.test", "name": "C", "role": "client"})).await;
    res.assert_problem(422);
    assert!(res.body["errors"]["client_id"].is_array());
    app.post("/users", &admin, json!({"email": "s@agency.test", "name": "S", "role": "member", "client_id": client}))
        .await
        .assert_problem(422);
    app.post("/users", &admin, json!({"email": "s@agency.test", "name": "S", "role": "wizard"}))
        .await
        .assert_problem(422);
    let made = app
        .post("/users", &admin, json!({"email": "C@Acme.test", "name": "C", "role": "client", "client_id": client}))
        .await;
    made.assert(201);
    assert_eq!(made.body["status"], "invited");
    assert_eq!(made.body["kind"], "client");
    app.post("/users", &admin, json!({"email": "c@ACME.test", "name": "Dup", "role": "client", "client_id": client}))
        .await
        .assert_problem(409);
    let listed = app.get(&format!("/users?client_id={client}"), &admin).await.items();
    assert_eq!(listed.len(), 1);
    // A client user cannot be switched to a staff role.
    app.patch(&format!("/users/{}", made.id()), &admin, json!({"role": "admin"})).await.assert_problem(422);
}

#[tokio::test]
async fn a_client_role_can_never_hold_a_staff_only_permission() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let res = app.post("/roles", &admin, json!({"key": "client_sneaky", "name": "Sneaky", "kind": "client", "permissions": ["tasks.read", "comments.note"]})).await;
    res.assert_problem(422);
    assert!(res.text.contains("comments.note"));
    let role = app.post("/roles", &admin, json!({"key": "client_pm", "name": "Client PM", "kind": "client", "permissions": ["projects.read", "tasks.read"]})).await;
    role.assert(201);
    app.patch(&format!("/roles/{}", role.id()), &admin, json!({"permissions": ["users.manage"]}))
        .await
        .assert_problem(422);
    app.post("/roles", &admin, json!({"key": "client_pm", "name": "Again", "kind": "client", "permissions": []}))
        .await
        .assert_problem(409);
}

#[tokio::test]
async fn custom_role_permissions_apply_to_holders_on_their_next_request() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let world = app.world().await;
    let role = app
        .post(
            "/roles",
            &admin,
            json!({"key": "client_pm", "name": "Client PM", "kind": "client", "permissions": ["projects.read"]}),
        )
        .await
        .id();
    let uid = app.create_user("pm@a.test", "client_pm", Some(world.a.client_id)).await;
    let pm = app.token("pm@a.test").await;
    app.get("/projects", &pm).await.assert(200);
    app.get("/tasks", &pm).await.assert_problem(403);
    app.patch(&format!("/roles/{role}"), &admin, json!({"permissions": ["projects.read", "tasks.read"]}))
        .await
        .assert(200);
    app.get("/tasks", &pm).await.assert(200);
    app.delete(&format!("/roles/{role}"), &admin).await.assert_problem(409);
    app.patch(&format!("/users/{uid}"), &admin, json!({"role": "client"})).await.assert(200);
    app.delete(&format!("/roles/{role}"), &admin).await.assert(204);
}

#[tokio::test]
async fn built_in_roles_are_listed_and_cannot_be_changed() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let roles = app.get("/roles", &admin).await;
    let keys: Vec<_> = roles.body.as_array().unwrap().iter().map(|r| r["key"].as_str().unwrap().to_owned()).collect();
    for key in ["admin", "manager", "member", "client", "client_admin", "client_finance", "client_viewer"] {
        assert!(keys.contains(&key.to_owned()), "{key}");
    }
    let client_role = roles.body.as_array().unwrap().iter().find(|r| r["key"] == "client").unwrap().clone();
    app.patch(&format!("/roles/{}", client_role["id"].as_str().unwrap()), &admin, json!({"permissions": []}))
        .await
        .assert_problem(409);
}

#[tokio::test]
async fn only_admins_manage_users_and_nobody_demotes_or_deactivates_themselves() {
    let app = spawn_app().await;
    let world = app.world().await;
    let manager = app.token(&world.manager).await;
    app.get("/users", &manager).await.assert_problem(403);
    app.post("/users", &manager, json!({"email": "x@agency.test", "name": "X", "role": "member"}))
        .await
        .assert_problem(403);
    let admin = app.admin().await;
    let me = app.get("/me", &admin).await.id();
    app.patch(&format!("/users/{me}"), &admin, json!({"status": "deactivated"})).await.assert_problem(409);
    app.patch(&format!("/users/{me}"), &admin, json!({"role": "member"})).await.assert_problem(409);
}

#[tokio::test]
async fn the_permission_catalogue_says_what_each_permission_does_and_who_may_hold_it() {
    let app = spawn_app().await;
    let world = app.world().await;
    let admin = app.admin().await;
    let catalogue = app.get("/permissions", &admin).await;
    let all = catalogue.assert(200).body.as_array().unwrap().clone();
    let find = |key: &str| all.iter().find(|p| p["key"] == key).unwrap_or_else(|| panic!("{key} missing")).clone();
    assert_eq!(all.len(), 19, "{}", catalogue.text);
    assert!(all.iter().all(|p| !p["summary"].as_str().unwrap().is_empty()));
    // What a client role may hold is exactly what the built-in Client Admin holds.
    let client: Vec<_> = all.iter().filter(|p| p["client_roles"] == true).map(|p| p["key"].clone()).collect();
    assert_eq!(client, CLIENT_ADMIN_PERMISSIONS.map(serde_json::Value::from).to_vec());
    assert_eq!(find("team.manage")["staff_roles"], false);
    assert_eq!(find("impersonate")["api_keys"], false);
    assert_eq!(find("api_keys.manage")["api_keys"], false);
    assert_eq!(find("projects.read")["api_keys"], true);
    // Anyone signed in may read it; nobody else.
    app.get("/permissions", &app.token(world.a.email("client_viewer")).await).await.assert(200);
    app.get("/permissions", "not-a-token").await.assert_problem(401);
}
