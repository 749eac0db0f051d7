use portico_blackbox::*;
use reqwest::Method;
use serde_json::json;

#[tokio::test]
async fn the_bootstrapped_admin_logs_in_and_sees_their_profile() {
    let app = spawn_app().await;
    let res = app.login(ADMIN_EMAIL, PASSWORD).await;
    res.assert(200);
    assert_eq!(res.body["token_type"], "Bearer");
    assert!(res.body["refresh_token"].as_str().unwrap().len() >= 40);
    let me = app.get("/me", res.body["access_token"].as_str().unwrap()).await;
    me.assert(200);
    assert_eq!(me.body["email"], ADMIN_EMAIL);
    assert_eq!(me.body["role"], "admin");
    assert_eq!(me.body["kind"], "staff");
}

#[tokio::test]
async fn login_is_case_insensitive_on_email() {
    let app = spawn_app().await;
    app.login(&ADMIN_EMAIL.to_uppercase(), PASSWORD).await.assert(200);
}

#[tokio::test]
async fn wrong_password_unknown_email_and_invited_user_get_the_same_answer() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    app.post("/users", &admin, json!({"email": "invited@agency.test", "name": "Invited", "role": "member"}))
        .await
        .assert(201);
    let wrong = app.login(ADMIN_EMAIL, "not the password").await;
    let unknown = app.login("nobody@agency.test", PASSWORD).await;
    let invited = app.login("invited@agency.test", PASSWORD).await;
    for res in [&wrong, &unknown, &invited] {
        res.assert_problem(401);
    }
    assert_eq!(wrong.body, unknown.body);
    assert_eq!(wrong.body, invited.body);
}

#[tokio::test]
async fn refresh_rotates_the_token_and_reuse_revokes_the_whole_login() {
    let app = spawn_app().await;
    let first = app.login(ADMIN_EMAIL, PASSWORD).await;
    let r1 = first.body["refresh_token"].as_str().unwrap().to_owned();
    let second = app.send(Method::POST, "/auth/refresh", None, Some(&json!({"refresh_token": r1}))).await;
    second.assert(200);
    let r2 = second.body["refresh_token"].as_str().unwrap().to_owned();
    assert_ne!(r1, r2);
    app.get("/me", second.body["access_token"].as_str().unwrap()).await.assert(200);
    // Presenting the rotated token again: someone copied it. The whole login is revoked.
    app.send(Method::POST, "/auth/refresh", None, Some(&json!({"refresh_token": r1}))).await.assert_problem(401);
    app.send(Method::POST, "/auth/refresh", None, Some(&json!({"refresh_token": r2}))).await.assert_problem(401);
    // Another login is unaffected.
    let other = app.login(ADMIN_EMAIL, PASSWORD).await;
    app.send(Method::POST, "/auth/refresh", None, Some(&json!({"refresh_token": other.body["refresh_token"]})))
        .await
        .assert(200);
}

#[tokio::test]
async fn logout_revokes_the_refresh_token() {
    let app = spawn_app().await;
    let login = app.login(ADMIN_EMAIL, PASSWORD).await;
    let refresh = login.body["refresh_token"].clone();
    app.send(Method::POST, "/auth/logout", None, Some(&json!({"refresh_token": refresh}))).await.assert(204);
    app.send(Method::POST, "/auth/refresh", None, Some(&json!({"refresh_token": refresh}))).await.assert_problem(401);
    app.send(Method::POST, "/auth/refresh", None, Some(&json!({"refresh_token": "made-up"}))).await.assert_problem(401);
}

#[tokio::test]
async fn changing_the_password_needs_the_current_one_and_signs_out_every_other_device() {
    let app = spawn_app().await;
    let elsewhere = app.login(ADMIN_EMAIL, PASSWORD).await.body["refresh_token"].clone();
    let login = app.login(ADMIN_EMAIL, PASSWORD).await;
    let token = login.body["access_token"].as_str().unwrap().to_owned();
    let refresh = login.body["refresh_token"].clone();
    let res = app.patch("/me", &token, json!({"new_password": "a brand new secret"})).await;
    res.assert_problem(422);
    assert!(res.body["errors"]["current_password"].is_array());
    let res =
        app.patch("/me", &token, json!({"current_password": "wrong one!", "new_password": "a brand new secret"})).await;
    res.assert_problem(422);
    let res = app.patch("/me", &token, json!({"current_password": PASSWORD, "new_password": "short"})).await;
    res.assert_problem(422);
    assert!(res.body["errors"]["new_password"].is_array());
    app.patch(
        "/me",
        &token,
        json!({"current_password": PASSWORD, "new_password": "a brand new secret", "name": "Ada"}),
    )
    .await
    .assert(200);
    app.login(ADMIN_EMAIL, PASSWORD).await.assert_problem(401);
    let again = app.login(ADMIN_EMAIL, "a brand new secret").await;
    again.assert(200);
    // The other device is signed out; this one is not.
    app.send(Method::POST, "/auth/refresh", None, Some(&json!({"refresh_token": elsewhere}))).await.assert_problem(401);
    // The access token the change was made with ends with it, like every other, and this
    // device's refresh token gets it a new one.
    app.get("/me", &token).await.assert_problem(401);
    let renewed = app.send(Method::POST, "/auth/refresh", None, Some(&json!({"refresh_token": refresh}))).await;
    renewed.assert(200);
    assert_eq!(app.get("/me", renewed.body["access_token"].as_str().unwrap()).await.body["name"], "Ada");
    assert_eq!(app.get("/me", again.body["access_token"].as_str().unwrap()).await.body["name"], "Ada");
}

#[tokio::test]
async fn a_deactivated_user_is_refused_on_the_next_request_and_cannot_log_in() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let id = app.create_user("leaver@agency.test", "member", None).await;
    let token = app.token("leaver@agency.test").await;
    app.get("/projects", &token).await.assert(200);
    app.patch(&format!("/users/{id}"), &admin, json!({"status": "deactivated"})).await.assert(200);
    app.get("/projects", &token).await.assert_problem(401);
    app.login("leaver@agency.test", PASSWORD).await.assert_problem(401);
    // Reactivated, they can log in again.
    app.patch(&format!("/users/{id}"), &admin, json!({"status": "active"})).await.assert(200);
    app.login("leaver@agency.test", PASSWORD).await.assert(200);
}

#[tokio::test]
async fn a_role_change_takes_effect_on_the_next_request() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let id = app.create_user("mover@agency.test", "member", None).await;
    let token = app.token("mover@agency.test").await;
    app.get("/invoices", &token).await.assert_problem(403);
    app.patch(&format!("/users/{id}"), &admin, json!({"role": "manager"})).await.assert(200);
    app.get("/invoices", &token).await.assert(200);
}

#[tokio::test]
async fn tokens_signed_with_another_key_or_expired_are_refused() {
    use jsonwebtoken::{Algorithm, EncodingKey, Header, encode};
    let app = spawn_app().await;
    let me = app.get("/me", &app.admin().await).await.body;
    let now = chrono::Utc::now().timestamp();
    let claims = |exp: i64| {
        json!({"sub": me["id"], "kind": "staff", "role": "admin", "perms": [], "iat": now, "exp": exp,
        "iss": "portico", "aud": "portico-api", "jti": uuid::Uuid::new_v4()})
    };
    let mut header = Header::new(Algorithm::HS256);
    header.typ = Some("at+jwt".into());
    let good_key = EncodingKey::from_secret(JWT_SECRET.as_bytes());
    let valid = encode(&header, &claims(now + 60), &good_key).unwrap();
    app.get("/me", &valid).await.assert(200);
    let expired = encode(&header, &claims(now - 120), &good_key).unwrap();
    app.get("/me", &expired).await.assert_problem(401);
    let forged =
        encode(&header, &claims(now + 60), &EncodingKey::from_secret(b"someone else's key entirely!!!!!!")).unwrap();
    app.get("/me", &forged).await.assert_problem(401);
    let mut plain = Header::new(Algorithm::HS256);
    plain.typ = Some("JWT".into());
    app.get("/me", &encode(&plain, &claims(now + 60), &good_key).unwrap()).await.assert_problem(401);
}
