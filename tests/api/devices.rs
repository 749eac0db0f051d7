//! Signed-in devices: each login a user has, as they see it, and ending any of them; an admin
//! signing someone out everywhere.
use portico_blackbox::*;
use reqwest::Method;
use serde_json::{Value, json};

/// A login from a browser that says it is `browser`: the access and refresh tokens.
async fn sign_in_with(app: &TestApp, email: &str, browser: &str) -> (String, String) {
    let req = app
        .http
        .post(app.url("/auth/login"))
        .header("user-agent", browser)
        .json(&json!({"email": email, "password": PASSWORD}));
    let res = read_response(req.send().await.expect("request sent")).await;
    res.assert(200);
    (res.body["access_token"].as_str().unwrap().to_owned(), res.body["refresh_token"].as_str().unwrap().to_owned())
}

async fn refresh(app: &TestApp, refresh_token: &str) -> Res {
    app.send(Method::POST, "/auth/refresh", None, Some(&json!({"refresh_token": refresh_token}))).await
}

async fn devices(app: &TestApp, token: &str) -> Vec<Value> {
    let res = app.get("/me/sessions", token).await;
    res.assert(200);
    res.items()
}

#[tokio::test]
async fn a_user_sees_each_device_they_are_signed_in_on_with_this_one_marked() {
    let app = spawn_app().await;
    let client = app.create_client("Acme").await;
    app.create_user("pat@acme.test", "client", Some(client)).await;
    let (laptop, _) = sign_in_with(&app, "pat@acme.test", "Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0").await;
    let (_, phone_refresh) = sign_in_with(&app, "pat@acme.test", "Mozilla/5.0 (iPhone) Safari/605.1").await;
    let seen = devices(&app, &laptop).await;
    assert_eq!(seen.len(), 2, "{seen:?}");
    // Most recently used first: the phone signed in last.
    assert!(seen[0]["user_agent"].as_str().unwrap().contains("iPhone"));
    assert_eq!(seen[0]["current"], false);
    assert!(seen[1]["user_agent"].as_str().unwrap().contains("Firefox"));
    assert_eq!(seen[1]["current"], true, "the laptop is asking");
    assert_eq!(seen[1]["address"], "127.0.0.1");
    for field in ["created_at", "last_used_at", "expires_at"] {
        assert!(seen[0][field].is_string(), "{field}");
    }
    // A refresh is a use: the refreshed login moves to the top and stays marked as the asker's.
    let renewed = refresh(&app, &phone_refresh).await;
    renewed.assert(200);
    let phone = renewed.body["access_token"].as_str().unwrap().to_owned();
    let seen = devices(&app, &phone).await;
    assert_eq!(seen.len(), 2, "a refresh continues its login, it is not another");
    assert_eq!(seen[0]["current"], true);
    assert!(seen[0]["last_used_at"].as_str() >= seen[1]["last_used_at"].as_str());
    // Someone else's devices are not in the list.
    app.create_user("sam@acme.test", "client", Some(client)).await;
    assert_eq!(devices(&app, &app.token("sam@acme.test").await).await.len(), 1);
}

#[tokio::test]
async fn signing_out_another_device_ends_it_at_once_and_this_one_carries_on() {
    let app = spawn_app().await;
    app.create_user("max@agency.test", "manager", None).await;
    let (laptop, laptop_refresh) = sign_in_with(&app, "max@agency.test", "Laptop browser").await;
    let (stolen, stolen_refresh) = sign_in_with(&app, "max@agency.test", "Stolen phone").await;
    let seen = devices(&app, &laptop).await;
    let phone_id = seen.iter().find(|s| s["current"] == false).unwrap()["id"].as_str().unwrap().to_owned();
    app.delete(&format!("/me/sessions/{phone_id}"), &laptop).await.assert(204);
    // The phone is out: its access token at once, its refresh token for good.
    app.get("/me", &stolen).await.assert_problem(401);
    refresh(&app, &stolen_refresh).await.assert_problem(401);
    // The laptop's own access token was ended with the rest, and its login refreshes into a
    // new one, as after a logout elsewhere; then only the laptop is listed.
    let renewed = refresh(&app, &laptop_refresh).await;
    renewed.assert(200);
    let laptop = renewed.body["access_token"].as_str().unwrap().to_owned();
    let seen = devices(&app, &laptop).await;
    assert_eq!(seen.len(), 1);
    assert_eq!(seen[0]["current"], true);
    // Gone is gone: the same id again, an unknown one and someone else's are 404.
    app.delete(&format!("/me/sessions/{phone_id}"), &laptop).await.assert_problem(404);
    app.delete(&format!("/me/sessions/{}", uuid::Uuid::now_v7()), &laptop).await.assert_problem(404);
    let admin = app.admin().await;
    let admins = devices(&app, &admin).await;
    let admins_own = admins[0]["id"].as_str().unwrap();
    app.delete(&format!("/me/sessions/{admins_own}"), &laptop).await.assert_problem(404);
    assert_eq!(devices(&app, &admin).await.len(), 1, "the admin's login stands");
    let audit = app.get("/audit-log?action=session.ended", &admin).await;
    assert_eq!(audit.assert(200).items().len(), 1, "{}", audit.text);
}

#[tokio::test]
async fn signing_out_everywhere_else_keeps_only_this_device() {
    let app = spawn_app().await;
    let client = app.create_client("Acme").await;
    app.create_user("fin@acme.test", "client_finance", Some(client)).await;
    let (_, here_refresh) = sign_in_with(&app, "fin@acme.test", "Here").await;
    let (here, _) = {
        let renewed = refresh(&app, &here_refresh).await;
        renewed.assert(200);
        (renewed.body["access_token"].as_str().unwrap().to_owned(), renewed.body["refresh_token"].clone())
    };
    let mut others = Vec::new();
    for browser in ["Office", "Home", "Tablet"] {
        others.push(sign_in_with(&app, "fin@acme.test", browser).await.1);
    }
    assert_eq!(devices(&app, &here).await.len(), 4);
    let res = app.delete("/me/sessions", &here).await;
    assert_eq!(res.assert(200).body["ended"], 3);
    for token in &others {
        refresh(&app, token).await.assert_problem(401);
    }
    // Logging out ends this one too: nothing stands.
    let (again, again_refresh) = sign_in_with(&app, "fin@acme.test", "Here").await;
    assert_eq!(devices(&app, &again).await.len(), 2, "the kept login and the new one");
    app.send(Method::POST, "/auth/logout", None, Some(&json!({"refresh_token": again_refresh}))).await.assert(204);
    let fresh = app.token("fin@acme.test").await;
    let seen = devices(&app, &fresh).await;
    assert!(seen.iter().all(|s| s["user_agent"] != "Here" || s["current"] == false), "{seen:?}");
    assert_eq!(seen.len(), 2, "the kept login and this test's own: {seen:?}");
}

#[tokio::test]
async fn an_admin_sees_a_users_devices_and_signs_them_out_everywhere_and_nobody_else_may() {
    let app = spawn_app().await;
    let world = app.world().await;
    let admin = app.admin().await;
    let (_, leaver_refresh) = sign_in_with(&app, &world.manager, "Leaver's laptop").await;
    let manager = app.token(&world.manager).await;
    let id = app.get("/me", &manager).await.body["id"].as_str().unwrap().to_owned();
    let seen = app.get(&format!("/users/{id}/sessions"), &admin).await;
    let listed = seen.assert(200).items();
    assert_eq!(listed.len(), 2, "{listed:?}");
    assert!(listed.iter().all(|s| s["current"] == false), "the admin is not asking from these");
    // Staff without users.manage, and every client role, may not; another account's user is
    // not even there for a client.
    app.get(&format!("/users/{id}/sessions"), &manager).await.assert_problem(403);
    app.delete(&format!("/users/{id}/sessions"), &manager).await.assert_problem(403);
    let own_user = world.a.user_ids["client"];
    let other_user = world.b.user_ids["client"];
    for role in ["client", "client_admin", "client_finance", "client_viewer"] {
        let token = app.token(world.a.email(role)).await;
        app.get(&format!("/users/{own_user}/sessions"), &token).await.assert_problem(403);
        app.get(&format!("/users/{other_user}/sessions"), &token).await.assert_problem(404);
        app.delete(&format!("/users/{other_user}/sessions"), &token).await.assert_problem(404);
    }
    app.delete(&format!("/users/{}/sessions", uuid::Uuid::now_v7()), &admin).await.assert_problem(404);
    // Managing users does not reach someone who holds more than the caller.
    let role = json!({"key": "people_ops", "name": "People ops", "kind": "staff", "permissions": ["users.manage"]});
    app.post("/roles", &admin, role).await.assert(201);
    app.create_user("ops@agency.test", "people_ops", None).await;
    let ops = app.token("ops@agency.test").await;
    let admin_id = app.get("/me", &admin).await.body["id"].as_str().unwrap().to_owned();
    app.get(&format!("/users/{admin_id}/sessions"), &ops).await.assert_problem(403);
    app.delete(&format!("/users/{admin_id}/sessions"), &ops).await.assert_problem(403);
    app.delete(&format!("/users/{id}/sessions"), &admin).await.assert(204);
    app.get("/me", &manager).await.assert_problem(401);
    refresh(&app, &leaver_refresh).await.assert_problem(401);
    assert!(app.get(&format!("/users/{id}/sessions"), &admin).await.items().is_empty());
    let audit = app.get("/audit-log?action=user.signed_out_everywhere", &admin).await;
    assert_eq!(audit.assert(200).items().len(), 1, "{}", audit.text);
}

#[tokio::test]
async fn viewing_as_a_client_shows_none_of_their_devices() {
    let app = spawn_app().await;
    let world = app.world().await;
    let admin = app.admin().await;
    let view = app.post("/auth/impersonate", &admin, json!({"user_id": world.a.user_ids["client"]})).await;
    let as_client = view.assert(200).body["access_token"].as_str().unwrap().to_owned();
    app.get("/me/sessions", &as_client).await.assert_problem(403);
    app.delete("/me/sessions", &as_client).await.assert_problem(403);
    // And the client's own list does not gain a login from being viewed.
    let client = app.token(world.a.email("client")).await;
    assert_eq!(devices(&app, &client).await.len(), 1);
}

#[tokio::test]
async fn the_scheduler_forgets_logins_and_links_long_over_and_keeps_what_still_works() {
    use portico::entities::{one_time_token, refresh_token, user_session};
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, sea_query::Expr};
    let app = spawn_app_with(|s| s.scheduler_interval_secs = 1).await;
    let client = app.create_client("Acme").await;
    app.create_user("pat@acme.test", "client", Some(client)).await;
    let (laptop, laptop_refresh) = sign_in_with(&app, "pat@acme.test", "Firefox/140.0").await;
    let (_, phone_refresh) = sign_in_with(&app, "pat@acme.test", "Safari/605.1").await;
    let phone = devices(&app, &laptop).await.into_iter().find(|d| d["current"] == false).unwrap();
    let phone_id: uuid::Uuid = phone["id"].as_str().unwrap().parse().unwrap();
    app.delete(&format!("/me/sessions/{phone_id}"), &laptop).await.assert(204);
    let renewed = refresh(&app, &laptop_refresh).await;
    let laptop = renewed.assert(200).body["access_token"].as_str().unwrap().to_owned();
    let reset = app.send(Method::POST, "/auth/password-reset", None, Some(&json!({"email": "pat@acme.test"}))).await;
    reset.assert(202);
    // The phone's login ended, and its link expired, forty days ago.
    let db = app.db.connect().await;
    let resets =
        one_time_token::Entity::find().filter(one_time_token::Column::Purpose.eq(one_time_token::PASSWORD_RESET));
    assert_eq!(resets.all(&db).await.unwrap().len(), 1, "the reset link is there to forget");
    let long_ago = chrono::Utc::now() - chrono::Duration::days(40);
    user_session::Entity::update_many()
        .col_expr(user_session::Column::EndedAt, Expr::value(long_ago))
        .filter(user_session::Column::Id.eq(phone_id))
        .exec(&db)
        .await
        .unwrap();
    refresh_token::Entity::update_many()
        .col_expr(refresh_token::Column::ExpiresAt, Expr::value(long_ago))
        .filter(refresh_token::Column::FamilyId.eq(phone_id))
        .exec(&db)
        .await
        .unwrap();
    one_time_token::Entity::update_many()
        .col_expr(one_time_token::Column::ExpiresAt, Expr::value(long_ago))
        .filter(one_time_token::Column::Purpose.eq(one_time_token::PASSWORD_RESET))
        .exec(&db)
        .await
        .unwrap();
    let gone = || async {
        let session = user_session::Entity::find_by_id(phone_id).one(&db).await.unwrap();
        let tokens = refresh_token::Entity::find().filter(refresh_token::Column::FamilyId.eq(phone_id)).all(&db).await;
        let links = one_time_token::Entity::find()
            .filter(one_time_token::Column::Purpose.eq(one_time_token::PASSWORD_RESET))
            .all(&db)
            .await;
        session.is_none() && tokens.unwrap().is_empty() && links.unwrap().is_empty()
    };
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(10);
    while !gone().await {
        assert!(tokio::time::Instant::now() < deadline, "the scheduler kept what is long over");
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    // The laptop's login stands, and still refreshes; the phone's old token is refused.
    let left = devices(&app, &laptop).await;
    assert_eq!(left.len(), 1);
    assert_eq!(left[0]["current"], true);
    refresh(&app, &phone_refresh).await.assert_problem(401);
}
