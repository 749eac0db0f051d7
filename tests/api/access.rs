//! The access lifecycle: invitations by e-mail through a real SMTP conversation, password
//! reset, View as, throttling and the audit log.
use std::time::Duration;

use portico_blackbox::{smtp::SmtpSink, *};
use reqwest::Method;
use serde_json::json;

async fn app_with_mail() -> (TestApp, SmtpSink) {
    let sink = SmtpSink::start().await;
    let port = sink.port;
    let app = spawn_app_with(move |s| {
        smtp::send_mail_to(s, port);
        s.public_url = "https://portal.agency.test".into();
    })
    .await;
    (app, sink)
}

async fn contact(app: &TestApp, client_name: &str, email: &str) -> (uuid::Uuid, uuid::Uuid) {
    let admin = app.admin().await;
    let client = app.create_client(client_name).await;
    let contact = app
        .post(&format!("/clients/{client}/contacts"), &admin, json!({"name": "Jo Bloggs", "email": email}))
        .await
        .assert(201)
        .id();
    (client, contact)
}

async fn accept(app: &TestApp, token: &str, password: &str) -> Res {
    app.send(Method::POST, "/auth/invitations/accept", None, Some(&json!({"token": token, "password": password}))).await
}

async fn ask_reset(app: &TestApp, email: &str) -> Res {
    app.send(Method::POST, "/auth/password-reset", None, Some(&json!({"email": email}))).await
}

async fn confirm_reset(app: &TestApp, token: &str, password: &str) -> Res {
    app.send(Method::POST, "/auth/password-reset/confirm", None, Some(&json!({"token": token, "password": password})))
        .await
}

async fn audit(app: &TestApp, action: &str) -> Vec<serde_json::Value> {
    app.get(&format!("/audit-log?action={action}"), &app.admin().await).await.items()
}

#[tokio::test]
async fn an_invitation_arrives_by_smtp_with_branding_a_link_and_both_parts() {
    let (app, sink) = app_with_mail().await;
    let admin = app.admin().await;
    app.patch(
        "/settings/portal",
        &admin,
        json!({"agency_name": "Studio North", "welcome_message": "Glad to have you, {name}."}),
    )
    .await
    .assert(200);
    let (_, contact) = contact(&app, "Acme", "jo@acme.test").await;
    let invited = app.post(&format!("/contacts/{contact}/invite"), &admin, json!({"role": "client"})).await;
    invited.assert(201);
    assert_eq!(invited.body["resent"], false);
    let mail = sink.wait_for("jo@acme.test").await;
    assert_eq!(mail.subject(), "Studio North invited you to its client portal");
    let link = mail.link("accept-invitation");
    assert!(link.starts_with("https://portal.agency.test/accept-invitation#token="), "{link}");
    assert!(mail.text().contains("Glad to have you, Jo."));
    assert!(mail.text().contains("What happens next"));
    let html = mail.html();
    assert!(html.contains("Studio North") && html.contains("Accept invitation") && html.contains(&link), "{html}");
    let shown = app.get(&format!("/contacts/{contact}"), &admin).await;
    assert_eq!(shown.body["portal_access"], "invited");
    assert!(shown.body["invitation_expires_at"].is_string());
    assert_eq!(audit(&app, "invitation.sent").await.len(), 1);
}

#[tokio::test]
async fn the_invited_contact_sets_a_password_and_is_logged_in() {
    let (app, sink) = app_with_mail().await;
    let admin = app.admin().await;
    let (client, contact) = contact(&app, "Acme", "jo@acme.test").await;
    app.post(&format!("/contacts/{contact}/invite"), &admin, json!({"role": "client_finance"})).await.assert(201);
    let token = sink.wait_for("jo@acme.test").await.token("accept-invitation");
    // Before accepting, the account cannot log in.
    app.login("jo@acme.test", "a fine new password").await.assert_problem(401);
    accept(&app, &token, "password1").await.assert_problem(422);
    let session = accept(&app, &token, "a fine new password").await;
    session.assert(200);
    assert_eq!(session.body["user"]["role"], "client_finance");
    assert_eq!(session.body["user"]["client_id"], client.to_string());
    let me = app.get("/me", session.body["access_token"].as_str().unwrap()).await;
    assert_eq!(me.body["status"], "active");
    app.login("jo@acme.test", "a fine new password").await.assert(200);
    // The link works once.
    let again = accept(&app, &token, "another fine password").await;
    again.assert_problem(400);
    assert!(again.body["detail"].as_str().unwrap().contains("new invitation"));
    assert_eq!(app.get(&format!("/contacts/{contact}"), &admin).await.body["portal_access"], "active");
    assert_eq!(audit(&app, "invitation.accepted").await.len(), 1);
    // Inviting someone who already has access is a conflict.
    app.post(&format!("/contacts/{contact}/invite"), &admin, json!({"role": "client"})).await.assert_problem(409);
}

#[tokio::test]
async fn resending_an_invitation_retires_the_old_link_and_revoking_retires_the_new_one() {
    let (app, sink) = app_with_mail().await;
    let admin = app.admin().await;
    let (_, contact) = contact(&app, "Acme", "jo@acme.test").await;
    app.post(&format!("/contacts/{contact}/invite"), &admin, json!({"role": "client"})).await.assert(201);
    let first = sink.wait_for_nth("jo@acme.test", 0).await.token("accept-invitation");
    let resent = app.post(&format!("/contacts/{contact}/invite"), &admin, json!({"role": "client_viewer"})).await;
    assert_eq!(resent.body["resent"], true);
    let second = sink.wait_for_nth("jo@acme.test", 1).await.token("accept-invitation");
    assert_ne!(first, second);
    accept(&app, &first, "a fine new password").await.assert_problem(400);
    app.post(&format!("/contacts/{contact}/invite/revoke"), &admin, json!({})).await.assert(204);
    accept(&app, &second, "a fine new password").await.assert_problem(400);
    assert_eq!(app.get(&format!("/contacts/{contact}"), &admin).await.body["portal_access"], "invitation_expired");
    app.post(&format!("/contacts/{contact}/invite/revoke"), &admin, json!({})).await.assert_problem(409);
    for action in ["invitation.sent", "invitation.resent", "invitation.revoked"] {
        assert_eq!(audit(&app, action).await.len(), 1, "{action}");
    }
}

#[tokio::test]
async fn a_staff_member_added_without_a_password_is_invited_by_email_and_joins_the_team() {
    let (app, sink) = app_with_mail().await;
    let admin = app.admin().await;
    let body = json!({"email": "nia@agency.test", "name": "Nia New", "role": "member"});
    let created = app.post("/users", &admin, body).await;
    assert_eq!(created.assert(201).body["status"], "invited");
    let id = created.id();
    let mail = sink.wait_for("nia@agency.test").await;
    assert!(mail.subject().contains("invited you to join its team"), "{}", mail.subject());
    assert!(mail.text().contains("to its team as Member"), "{}", mail.text());
    assert!(!mail.text().contains("client portal"), "a staff member is not invited as a client");
    let first = mail.token("accept-invitation");
    app.login("nia@agency.test", "a fine new password").await.assert_problem(401);

    // Resending retires the first link; revoking retires the second.
    let resent = app.post(&format!("/users/{id}/invitation"), &admin, json!({})).await;
    assert_eq!(resent.assert(200).body["resent"], true);
    assert!(resent.body["expires_at"].is_string());
    let second = sink.wait_for_nth("nia@agency.test", 1).await.token("accept-invitation");
    accept(&app, &first, "a fine new password").await.assert_problem(400);
    app.delete(&format!("/users/{id}/invitation"), &admin).await.assert(204);
    accept(&app, &second, "a fine new password").await.assert_problem(400);
    app.delete(&format!("/users/{id}/invitation"), &admin).await.assert_problem(409);

    // Invited again, they accept and are staff, signed in.
    let again = app.post(&format!("/users/{id}/invitation"), &admin, json!({})).await;
    assert_eq!(again.assert(200).body["resent"], false, "the revoked one was not pending");
    let third = sink.wait_for_nth("nia@agency.test", 2).await.token("accept-invitation");
    let session = accept(&app, &third, "a fine new password").await;
    session.assert(200);
    assert_eq!(session.body["user"]["role"], "member");
    assert_eq!(session.body["user"]["kind"], "staff");
    app.login("nia@agency.test", "a fine new password").await.assert(200);
    // Accepted: nothing to resend or revoke.
    app.post(&format!("/users/{id}/invitation"), &admin, json!({})).await.assert_problem(409);
    app.delete(&format!("/users/{id}/invitation"), &admin).await.assert_problem(409);
    for (action, times) in [("invitation.sent", 2), ("invitation.resent", 1), ("invitation.revoked", 1)] {
        assert_eq!(audit(&app, action).await.len(), times, "{action}");
    }
}

#[tokio::test]
async fn only_those_who_manage_users_send_or_revoke_a_users_invitation() {
    let (app, _sink) = app_with_mail().await;
    let world = app.world().await;
    let admin = app.admin().await;
    let invited =
        app.post("/users", &admin, json!({"email": "ivy@agency.test", "name": "Ivy", "role": "member"})).await;
    let id = invited.assert(201).id();
    let manager = app.token(&world.manager).await;
    app.post(&format!("/users/{id}/invitation"), &manager, json!({})).await.assert_problem(403);
    app.delete(&format!("/users/{id}/invitation"), &manager).await.assert_problem(403);
    let other = world.b.user_ids["client"];
    for role in CLIENT_ROLES {
        let token = app.token(world.a.email(role)).await;
        app.post(&format!("/users/{other}/invitation"), &token, json!({})).await.assert_problem(404);
        app.delete(&format!("/users/{other}/invitation"), &token).await.assert_problem(404);
    }
    app.post(&format!("/users/{}/invitation", uuid::Uuid::now_v7()), &admin, json!({})).await.assert_problem(404);
    // Managing users does not reach the invitation of someone who will hold more than the caller.
    let role = json!({"key": "people_ops", "name": "People ops", "kind": "staff", "permissions": ["users.manage"]});
    app.post("/roles", &admin, role).await.assert(201);
    app.create_user("ops@agency.test", "people_ops", None).await;
    let ops = app.token("ops@agency.test").await;
    let boss = app.post("/users", &admin, json!({"email": "boss@agency.test", "name": "Boss", "role": "admin"})).await;
    let boss = boss.assert(201).id();
    app.post(&format!("/users/{boss}/invitation"), &ops, json!({})).await.assert_problem(403);
    app.delete(&format!("/users/{boss}/invitation"), &ops).await.assert_problem(403);
    // Still pending, untouched.
    app.delete(&format!("/users/{id}/invitation"), &admin).await.assert(204);
    app.delete(&format!("/users/{boss}/invitation"), &admin).await.assert(204);
}

#[tokio::test]
async fn a_contacts_invitation_resent_from_users_stays_the_contacts() {
    let (app, sink) = app_with_mail().await;
    let admin = app.admin().await;
    let (_, contact) = contact(&app, "Acme", "jo@acme.test").await;
    let invited = app.post(&format!("/contacts/{contact}/invite"), &admin, json!({"role": "client"})).await;
    let user = invited.assert(201).body["user_id"].as_str().unwrap().to_owned();
    sink.wait_for_nth("jo@acme.test", 0).await;
    let resent = app.post(&format!("/users/{user}/invitation"), &admin, json!({})).await;
    assert_eq!(resent.assert(200).body["resent"], true);
    let token = sink.wait_for_nth("jo@acme.test", 1).await.token("accept-invitation");
    let shown = app.get(&format!("/contacts/{contact}"), &admin).await;
    assert_eq!(shown.body["portal_access"], "invited", "{}", shown.text);
    assert!(shown.body["invitation_expires_at"].is_string());
    accept(&app, &token, "a fine new password").await.assert(200);
    assert_eq!(app.get(&format!("/contacts/{contact}"), &admin).await.body["portal_access"], "active");
}

#[tokio::test]
async fn deactivating_an_invited_user_retires_their_link_for_good() {
    let (app, sink) = app_with_mail().await;
    let admin = app.admin().await;
    let created =
        app.post("/users", &admin, json!({"email": "max@agency.test", "name": "Max", "role": "member"})).await;
    let id = created.assert(201).id();
    let token = sink.wait_for("max@agency.test").await.token("accept-invitation");
    app.patch(&format!("/users/{id}"), &admin, json!({"status": "deactivated"})).await.assert(200);
    app.delete(&format!("/users/{id}/invitation"), &admin).await.assert_problem(409);
    app.post(&format!("/users/{id}/invitation"), &admin, json!({})).await.assert_problem(409);
    let back = app.patch(&format!("/users/{id}"), &admin, json!({"status": "active"})).await;
    assert_eq!(back.assert(200).body["status"], "invited");
    accept(&app, &token, "a fine new password").await.assert_problem(400);
    // A new invitation is the way back in.
    app.post(&format!("/users/{id}/invitation"), &admin, json!({})).await.assert(200);
    let fresh = sink.wait_for_nth("max@agency.test", 1).await.token("accept-invitation");
    accept(&app, &fresh, "a fine new password").await.assert(200);
}

#[tokio::test]
async fn an_expired_invitation_asks_for_a_new_one() {
    use portico::entities::one_time_token;
    use sea_orm::{EntityTrait, sea_query::Expr};
    let (app, sink) = app_with_mail().await;
    let admin = app.admin().await;
    let (_, contact) = contact(&app, "Acme", "jo@acme.test").await;
    app.post(&format!("/contacts/{contact}/invite"), &admin, json!({"role": "client"})).await.assert(201);
    let token = sink.wait_for("jo@acme.test").await.token("accept-invitation");
    let db = app.db.connect().await;
    one_time_token::Entity::update_many()
        .col_expr(one_time_token::Column::ExpiresAt, Expr::value(chrono::Utc::now() - chrono::Duration::minutes(1)))
        .exec(&db)
        .await
        .unwrap();
    let res = accept(&app, &token, "a fine new password").await;
    res.assert_problem(400);
    assert!(res.body["detail"].as_str().unwrap().contains("expired"));
    assert_eq!(app.get(&format!("/contacts/{contact}"), &admin).await.body["portal_access"], "invitation_expired");
}

#[tokio::test]
async fn inviting_needs_a_client_role_and_the_clients_write_permission() {
    let (app, _sink) = app_with_mail().await;
    let admin = app.admin().await;
    let world = app.world().await;
    let (_, contact) = contact(&app, "Acme", "jo@acme.test").await;
    let res = app.post(&format!("/contacts/{contact}/invite"), &admin, json!({"role": "member"})).await;
    res.assert_problem(422);
    assert!(res.body["errors"]["role"].is_array());
    let member = app.token(&world.member).await;
    app.post(&format!("/contacts/{contact}/invite"), &member, json!({"role": "client"})).await.assert_problem(403);
    // A contact whose e-mail is a staff user's cannot be invited into a client account.
    let c = app
        .post(
            &format!("/clients/{}/contacts", world.a.client_id),
            &admin,
            json!({"name": "Staff", "email": world.member}),
        )
        .await
        .id();
    app.post(&format!("/contacts/{c}/invite"), &admin, json!({"role": "client"})).await.assert_problem(409);
}

#[tokio::test]
async fn password_reset_answers_202_for_any_address_and_mails_real_accounts_a_single_use_link() {
    let (app, sink) = app_with_mail().await;
    let login = app.login(ADMIN_EMAIL, PASSWORD).await;
    let old_refresh = login.body["refresh_token"].clone();
    ask_reset(&app, "nobody@agency.test").await.assert(202);
    let res = ask_reset(&app, ADMIN_EMAIL).await;
    res.assert(202);
    let mail = sink.wait_for(ADMIN_EMAIL).await;
    assert!(mail.subject().starts_with("Reset your"));
    assert!(mail.text().contains("60 minutes"));
    assert!(!mail.html().is_empty());
    let token = mail.token("reset-password");
    confirm_reset(&app, &token, "qwertyuiop").await.assert_problem(422);
    confirm_reset(&app, &token, "brand new passphrase").await.assert(204);
    confirm_reset(&app, &token, "another new passphrase").await.assert_problem(400);
    app.login(ADMIN_EMAIL, PASSWORD).await.assert_problem(401);
    app.login(ADMIN_EMAIL, "brand new passphrase").await.assert(200);
    app.send(Method::POST, "/auth/refresh", None, Some(&json!({"refresh_token": old_refresh})))
        .await
        .assert_problem(401);
    // Only the real account got mail.
    assert_eq!(sink.all().await.len(), 1);
}

#[tokio::test]
async fn mail_survives_an_smtp_outage_and_is_sent_once_the_server_is_back() {
    // A port with nobody listening yet.
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let app = spawn_app_with(move |s| {
        smtp::send_mail_to(s, port);
        s.mail_retry_base_secs = 1;
    })
    .await;
    app.send(Method::POST, "/auth/password-reset", None, Some(&json!({"email": ADMIN_EMAIL}))).await.assert(202);
    let db = app.db.connect().await;
    use portico::entities::outbox;
    use sea_orm::EntityTrait;
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    loop {
        let rows = outbox::Entity::find().all(&db).await.unwrap();
        if rows.iter().any(|m| m.attempts >= 1 && m.last_error.is_some()) {
            assert!(rows.iter().all(|m| m.status == outbox::PENDING));
            break;
        }
        assert!(tokio::time::Instant::now() < deadline, "no failed attempt recorded: {rows:?}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let sink = SmtpSink::start_on(port).await;
    let mail = sink.wait_for(ADMIN_EMAIL).await;
    assert!(mail.subject().starts_with("Reset your"));
    // The worker marks it sent right after the SMTP conversation ends.
    let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
    while outbox::Entity::find().all(&db).await.unwrap()[0].status != outbox::SENT {
        assert!(tokio::time::Instant::now() < deadline, "never marked sent");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(sink.all().await.len(), 1, "sent exactly once");
}

#[tokio::test]
async fn two_workers_never_claim_the_same_message() {
    use portico::services::{
        events::Source,
        mail::{Email, claim_due, enqueue},
    };
    let db = TestDb::new().await;
    // Migrated, but no server and so no worker of its own.
    let state = portico::startup::prepare(db.settings()).await.unwrap();
    for i in 0..40 {
        enqueue(
            &state.db,
            Email {
                kind: "test",
                to: format!("p{i}@x.test"),
                subject: "s".into(),
                text: "t".into(),
                html: "h".into(),
                reply_to: None,
            },
            Source::user(uuid::Uuid::nil()),
            None,
        )
        .await
        .unwrap();
    }
    let (one, two) = (db.connect().await, db.connect().await);
    let lease = chrono::Duration::seconds(60);
    let (a, b) = tokio::join!(claim_due(&one, 40, lease), claim_due(&two, 40, lease));
    let (a, b) = (a.unwrap(), b.unwrap());
    let mut ids: Vec<_> = a.iter().chain(&b).map(|m| m.row.id).collect();
    assert_eq!(ids.len(), 40, "every message claimed");
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 40, "no message claimed twice");
}

#[tokio::test]
async fn failed_logins_are_throttled_per_account_and_the_right_password_works_again_after_the_window() {
    let app = spawn_app_with(|s| {
        s.login_max_failures_per_account = 3;
        s.throttle_window_secs = 2;
    })
    .await;
    for _ in 0..3 {
        app.login(ADMIN_EMAIL, "wrong password!").await.assert_problem(401);
    }
    let limited = app.login(ADMIN_EMAIL, PASSWORD).await;
    limited.assert_problem(429);
    let retry: u64 = limited.headers.get("retry-after").unwrap().to_str().unwrap().parse().unwrap();
    assert!((1..=2).contains(&retry));
    tokio::time::sleep(Duration::from_millis(2100)).await;
    app.login(ADMIN_EMAIL, PASSWORD).await.assert(200);
    assert_eq!(audit(&app, "login.failed").await.len(), 3);
}

#[tokio::test]
async fn failed_logins_are_throttled_per_source_address_across_accounts() {
    let app = spawn_app_with(|s| s.login_max_failures_per_address = 4).await;
    for i in 0..4 {
        app.login(&format!("guess{i}@agency.test"), "wrong password!").await.assert_problem(401);
    }
    app.login("another@agency.test", "wrong password!").await.assert_problem(429);
    app.login(ADMIN_EMAIL, PASSWORD).await.assert_problem(429);
}

#[tokio::test]
async fn reset_and_accept_are_throttled_per_source_address() {
    let app = spawn_app_with(|s| s.public_max_requests_per_address = 3).await;
    for i in 0..3 {
        app.send(Method::POST, "/auth/password-reset", None, Some(&json!({"email": format!("x{i}@agency.test")})))
            .await
            .assert(202);
    }
    let res = app.send(Method::POST, "/auth/password-reset", None, Some(&json!({"email": "y@agency.test"}))).await;
    res.assert_problem(429);
    assert!(res.headers.get("retry-after").is_some());
    accept(&app, "whatever", "a fine new password").await.assert_problem(429);
}

#[tokio::test]
async fn view_as_acts_exactly_as_the_client_read_only_and_is_audited() {
    let app = spawn_app().await;
    let world = app.world().await;
    let manager = app.token(&world.manager).await;
    let target = world.a.user_ids["client"];
    let res = app.post("/auth/impersonate", &manager, json!({"user_id": target})).await;
    res.assert(200);
    assert!(res.body.get("refresh_token").is_none());
    let token = res.body["access_token"].as_str().unwrap().to_owned();
    // The token carries an RFC 8693 `act` claim naming the staff member.
    let payload = token.split('.').nth(1).unwrap();
    let claims: serde_json::Value = serde_json::from_slice(
        &base64::Engine::decode(&base64::engine::general_purpose::URL_SAFE_NO_PAD, payload).unwrap(),
    )
    .unwrap();
    let manager_id = app.get("/me", &manager).await.id();
    assert_eq!(claims["act"]["sub"], manager_id.to_string());
    assert_eq!(claims["sub"], target.to_string());
    // Reads behave exactly as the client's own.
    let me = app.get("/me", &token).await;
    assert_eq!(me.body["id"], target.to_string());
    assert_eq!(me.body["viewed_by"], manager_id.to_string());
    let as_client = app.get("/projects", &token).await.items();
    assert_eq!(as_client, app.get("/projects", &app.token(world.a.email("client")).await).await.items());
    app.get(&format!("/projects/{}", world.b.project_id), &token).await.assert_problem(404);
    assert!(!app.get(&format!("/tasks/{}/comments", world.a.task_id), &token).await.text.contains(CANARY));
    // Every write is refused, saying why.
    let write = app
        .post(&format!("/tasks/{}/comments", world.a.task_id), &token, json!({"body": "hi", "visibility": "reply"}))
        .await;
    write.assert_problem(403);
    assert!(write.body["detail"].as_str().unwrap().contains("read-only"));
    app.patch("/me", &token, json!({"name": "Hacked"})).await.assert_problem(403);
    // Audited, and not counted as the client's login.
    let log = audit(&app, "impersonation.started").await;
    assert_eq!(log.len(), 1);
    assert_eq!(log[0]["actor_id"], manager_id.to_string());
    assert_eq!(log[0]["target_id"], target.to_string());
    let admin = app.admin().await;
    assert!(
        app.get(&format!("/users/{target}"), &admin).await.body["last_login_at"].is_string(),
        "the client logged in once in the fixture"
    );
    let before = app.get(&format!("/users/{target}"), &admin).await.body["last_login_at"].clone();
    app.post("/auth/impersonate", &manager, json!({"user_id": target})).await.assert(200);
    assert_eq!(app.get(&format!("/users/{target}"), &admin).await.body["last_login_at"], before);
}

#[tokio::test]
async fn stopping_view_as_ends_its_token_on_the_server_and_is_audited() {
    let app = spawn_app().await;
    let world = app.world().await;
    let manager = app.token(&world.manager).await;
    let start = || app.post("/auth/impersonate", &manager, json!({"user_id": world.a.user_ids["client"]}));
    let token = start().await.body["access_token"].as_str().unwrap().to_owned();
    let other_tab = start().await.body["access_token"].as_str().unwrap().to_owned();
    let of_someone_else = app
        .post("/auth/impersonate", &manager, json!({"user_id": world.a.user_ids["client_admin"]}))
        .await
        .body["access_token"]
        .as_str()
        .unwrap()
        .to_owned();
    app.get("/portal", &token).await.assert(200);
    app.post("/auth/impersonate/end", &token, json!({})).await.assert(204);
    // Every token of this View-as stops at once; the staff member's own sign-in does not, nor
    // does their View-as of someone else.
    app.get("/portal", &token).await.assert_problem(401);
    app.get("/portal", &other_tab).await.assert_problem(401);
    app.post("/events/ticket", &other_tab, json!({})).await.assert_problem(401);
    app.get("/me", &manager).await.assert(200);
    app.get("/portal", &of_someone_else).await.assert(200);
    let log = audit(&app, "impersonation.ended").await;
    assert_eq!(log.len(), 1);
    assert_eq!(log[0]["actor_id"], app.get("/me", &manager).await.id().to_string());
    assert_eq!(log[0]["target_id"], world.a.user_ids["client"].to_string());
    // Started again, it works again; someone not viewing as anyone has nothing to stop.
    let again = start().await.body["access_token"].as_str().unwrap().to_owned();
    app.get("/portal", &again).await.assert(200);
    app.post("/auth/impersonate/end", &manager, json!({})).await.assert_problem(409);
    app.post("/auth/impersonate/end", &app.token(world.a.email("client")).await, json!({})).await.assert_problem(409);
}

#[tokio::test]
async fn only_staff_with_the_permission_view_as_and_only_as_client_users() {
    let app = spawn_app().await;
    let world = app.world().await;
    let member = app.token(&world.member).await;
    app.post("/auth/impersonate", &member, json!({"user_id": world.a.user_ids["client"]})).await.assert_problem(403);
    let client = app.token(world.a.email("client")).await;
    app.post("/auth/impersonate", &client, json!({"user_id": world.a.user_ids["client_admin"]}))
        .await
        .assert_problem(403);
    let admin = app.admin().await;
    app.post("/auth/impersonate", &admin, json!({"user_id": world.member_id})).await.assert_problem(422);
    app.post("/auth/impersonate", &admin, json!({"user_id": uuid::Uuid::now_v7()})).await.assert_problem(404);
    // A View-as token stops working when the staff member loses the permission.
    let manager = app.token(&world.manager).await;
    let token = app.post("/auth/impersonate", &manager, json!({"user_id": world.a.user_ids["client"]})).await.body["access_token"].as_str().unwrap().to_owned();
    app.get("/portal", &token).await.assert(200);
    let manager_id = app.get("/me", &manager).await.id();
    app.patch(&format!("/users/{manager_id}"), &admin, json!({"role": "member"})).await.assert(200);
    app.get("/portal", &token).await.assert_problem(401);
}

#[tokio::test]
async fn the_audit_log_lists_access_events_for_admins_only() {
    let app = spawn_app().await;
    let world = app.world().await;
    app.login(ADMIN_EMAIL, "wrong password!").await.assert_problem(401);
    let admin = app.admin().await;
    app.patch(&format!("/users/{}", world.a.user_ids["client"]), &admin, json!({"status": "deactivated"}))
        .await
        .assert(200);
    app.patch(&format!("/users/{}", world.a.user_ids["client_admin"]), &admin, json!({"role": "client_viewer"}))
        .await
        .assert(200);
    let all = app.get("/audit-log?limit=200", &admin).await.items();
    for action in ["login", "login.failed", "user.deactivated", "user.role_changed", "user.created"] {
        assert!(all.iter().any(|e| e["action"] == action), "{action}");
    }
    let newest_first: Vec<chrono::DateTime<chrono::Utc>> =
        all.iter().map(|e| e["at"].as_str().unwrap().parse().unwrap()).collect();
    let mut sorted = newest_first.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(newest_first, sorted);
    let changed = app.get("/audit-log?action=user.role_changed", &admin).await.items();
    assert_eq!(changed[0]["details"], json!({"from": "client_admin", "to": "client_viewer"}));
    assert_eq!(changed[0]["actor_name"], "Administrator");
    // A period: from `since` up to, not including, `until`.
    let oldest = *newest_first.last().unwrap();
    let newest = newest_first[0];
    let at =
        |t: chrono::DateTime<chrono::Utc>| t.to_rfc3339_opts(chrono::SecondsFormat::Micros, true).replace('+', "%2B");
    let before_newest = app.get(&format!("/audit-log?limit=200&until={}", at(newest)), &admin).await.items();
    assert!(
        before_newest
            .iter()
            .all(|e| e["at"].as_str().unwrap().parse::<chrono::DateTime<chrono::Utc>>().unwrap() < newest)
    );
    assert!(before_newest.len() < all.len());
    let nothing = app.get(&format!("/audit-log?since={}&until={}", at(newest), at(oldest)), &admin).await.items();
    assert!(nothing.is_empty());
    let page = app.get("/audit-log?limit=2", &admin).await;
    assert!(page.body["next_cursor"].is_string());
    app.get("/audit-log", &app.token(&world.manager).await).await.assert_problem(403);
    app.get("/audit-log", &app.token(world.b.email("client_admin")).await).await.assert_problem(403);
}

#[tokio::test]
async fn without_smtp_each_message_is_written_as_an_eml_file_in_the_data_folder() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let (_, contact) = contact(&app, "Acme", "jo@acme.test").await;
    app.post(&format!("/contacts/{contact}/invite"), &admin, json!({"role": "client"})).await.assert(201);
    let dir = app.db.dir.path().join("outbox");
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    let eml = loop {
        let files: Vec<_> =
            std::fs::read_dir(&dir).map(|d| d.flatten().map(|e| e.path()).collect()).unwrap_or_default();
        if let Some(f) = files.iter().find(|p| p.extension().is_some_and(|e| e == "eml")) {
            break std::fs::read_to_string(f).unwrap();
        }
        assert!(tokio::time::Instant::now() < deadline, "no .eml in {}", dir.display());
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    let parsed = mail_parser::MessageParser::default().parse(eml.as_bytes()).unwrap();
    let text = parsed.body_text(0).unwrap().into_owned();
    let token =
        text.split_whitespace().find(|w| w.contains("#token=")).unwrap().split("#token=").nth(1).unwrap().to_owned();
    accept(&app, &token, "a fine new password").await.assert(200);
}

#[tokio::test]
async fn a_deactivated_user_gets_the_same_answer_as_a_wrong_password() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let id = app.create_user("gone@agency.test", "member", None).await;
    app.patch(&format!("/users/{id}"), &admin, json!({"status": "deactivated"})).await.assert(200);
    let deactivated = app.login("gone@agency.test", PASSWORD).await;
    let wrong = app.login(ADMIN_EMAIL, "wrong password!").await;
    deactivated.assert_problem(401);
    assert_eq!(deactivated.body, wrong.body);
}

#[tokio::test]
async fn a_hash_below_the_current_parameters_is_upgraded_at_the_next_login() {
    use argon2::{Algorithm, Argon2, Params, PasswordHasher, Version};
    use portico::entities::user;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, sea_query::Expr};
    let app = spawn_app().await;
    let weak = Argon2::new(Algorithm::Argon2id, Version::V0x13, Params::new(4096, 1, 1, None).unwrap())
        .hash_password(PASSWORD.as_bytes())
        .unwrap()
        .to_string();
    let db = app.db.connect().await;
    user::Entity::update_many()
        .col_expr(user::Column::PasswordHash, Expr::value(weak.clone()))
        .filter(user::Column::Email.eq(ADMIN_EMAIL))
        .exec(&db)
        .await
        .unwrap();
    app.login(ADMIN_EMAIL, PASSWORD).await.assert(200);
    let stored = user::Entity::find()
        .filter(user::Column::Email.eq(ADMIN_EMAIL))
        .one(&db)
        .await
        .unwrap()
        .unwrap()
        .password_hash
        .unwrap();
    assert_ne!(stored, weak);
    assert!(stored.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{stored}");
    app.login(ADMIN_EMAIL, PASSWORD).await.assert(200);
}

#[tokio::test]
async fn a_parallel_burst_of_wrong_passwords_gets_no_more_evaluations_than_the_limit() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    // Sixty wrong guesses and the right password, all at once.
    let guesses = (0..60).map(|i| format!("wrong guess {i}")).chain([PASSWORD.to_owned()]);
    let answers = join_all(guesses.map(|p| {
        let app = &app;
        async move { app.login(ADMIN_EMAIL, &p).await.status.as_u16() }
    }))
    .await;
    let wrong = answers.iter().filter(|s| **s == 401).count();
    let refused = answers.iter().filter(|s| **s == 429).count();
    assert!(wrong <= 5, "{wrong} passwords were evaluated and refused (limit 5): {answers:?}");
    assert_eq!(wrong + refused + answers.iter().filter(|s| **s == 200).count(), answers.len());
    // Only the evaluated attempts were audited as failures.
    let audited = app.get("/audit-log?action=login.failed&limit=100", &admin).await;
    assert!(audited.assert(200).items().len() <= 5, "{}", audited.text);
    // And the account stays locked for the window, the right password included.
    app.login(ADMIN_EMAIL, PASSWORD).await.assert_problem(429);
}

#[tokio::test]
async fn the_current_password_check_of_a_password_change_is_throttled_like_a_login() {
    let app = spawn_app_with(|s| s.login_max_failures_per_account = 3).await;
    let admin = app.admin().await;
    let wrong = json!({"current_password": "not it at all", "new_password": "a brand new passphrase"});
    let answers = join_all((0..10).map(|_| {
        let (app, admin, wrong) = (&app, &admin, &wrong);
        async move { app.patch("/me", admin, wrong.clone()).await.status.as_u16() }
    }))
    .await;
    assert_eq!(answers.iter().filter(|s| **s == 422).count(), 3, "{answers:?}");
    assert_eq!(answers.iter().filter(|s| **s == 429).count(), 7, "{answers:?}");
    let right = json!({"current_password": PASSWORD, "new_password": "a brand new passphrase"});
    app.patch("/me", &admin, right).await.assert_problem(429);
}
