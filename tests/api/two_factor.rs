//! Two-factor sign-in: enrolling an authenticator app, signing in with its codes or a recovery
//! code, each good once; roles that require it; an admin resetting a lost one.
use portico_blackbox::*;
use reqwest::Method;
use serde_json::{Value, json};
use totp_rs::{Algorithm, Builder, Secret};

/// The code an authenticator app holding `secret` shows `steps_ahead` steps of 30 s from now.
fn code(secret: &str, steps_ahead: u64) -> String {
    let bytes = Secret::try_from_base32(secret).expect("a base32 secret").as_bytes().to_vec();
    let totp = Builder::new()
        .with_algorithm(Algorithm::SHA1)
        .with_digits(6)
        .with_step_duration(30)
        .with_secret(bytes)
        .build()
        .expect("a TOTP");
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs();
    totp.generate(now + steps_ahead * 30).to_string()
}

/// Another six digits than `right`.
fn wrong(right: &str) -> String {
    right.chars().map(|c| char::from(b'0' + (c as u8 - b'0' + 1) % 10)).collect()
}

async fn login_with(app: &TestApp, email: &str, code: Option<&str>) -> Res {
    let body = json!({"email": email, "password": PASSWORD, "code": code});
    app.send(Method::POST, "/auth/login", None, Some(&body)).await
}

/// Enrols `email`'s authenticator: its secret, the recovery codes, and the tokens of the login
/// that enrolled (refreshed: enrolling moves the user's sessions on).
async fn enrol(app: &TestApp, email: &str) -> (String, Vec<String>, String) {
    let signed_in = login_with(app, email, None).await;
    signed_in.assert(200);
    let token = signed_in.body["access_token"].as_str().unwrap().to_owned();
    let setup = app.post("/me/two-factor/setup", &token, json!({"password": PASSWORD})).await;
    setup.assert(200);
    let secret = setup.body["secret"].as_str().unwrap().to_owned();
    let confirmed = app.post("/me/two-factor/confirm", &token, json!({"code": code(&secret, 0)})).await;
    confirmed.assert(200);
    let codes = confirmed.body["recovery_codes"].as_array().unwrap().iter().map(|c| c.as_str().unwrap().to_owned());
    let refresh = signed_in.body["refresh_token"].as_str().unwrap();
    let renewed = app.send(Method::POST, "/auth/refresh", None, Some(&json!({"refresh_token": refresh}))).await;
    renewed.assert(200);
    (secret, codes.collect(), renewed.body["access_token"].as_str().unwrap().to_owned())
}

async fn role_id(app: &TestApp, key: &str) -> String {
    let roles = app.get("/roles", &app.admin().await).await;
    let found = roles.body.as_array().unwrap().iter().find(|r| r["key"] == key).unwrap_or_else(|| panic!("role {key}"));
    found["id"].as_str().unwrap().to_owned()
}

async fn require_two_factor(app: &TestApp, role: &str, required: bool) {
    let path = format!("/roles/{}", role_id(app, role).await);
    let res = app.patch(&path, &app.admin().await, json!({"requires_two_factor": required})).await;
    res.assert(200);
    assert_eq!(res.body["requires_two_factor"], required);
}

/// The subjects of the security notices mailed to `email`, oldest first.
async fn notices(app: &TestApp, email: &str) -> Vec<String> {
    use portico::entities::outbox;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
    let db = app.db.connect().await;
    let sent = outbox::Entity::find()
        .filter(outbox::Column::ToEmail.eq(email))
        .filter(outbox::Column::Kind.eq("security_notice"))
        .order_by_asc(outbox::Column::CreatedAt)
        .all(&db)
        .await
        .unwrap();
    sent.into_iter().map(|m| m.subject).collect()
}

fn problem_type(res: &Res) -> &str {
    res.body["type"].as_str().unwrap_or_default()
}

#[tokio::test]
async fn a_user_enrols_an_authenticator_app_and_signs_in_with_its_codes_each_good_once() {
    let app = spawn_app().await;
    let client = app.create_client("Acme").await;
    let pat = app.create_user("pat@acme.test", "client", Some(client)).await;
    let token = app.token("pat@acme.test").await;
    let status = app.get("/me/two-factor", &token).await;
    status.assert(200);
    assert_eq!(status.body, json!({"enabled": false, "enabled_at": null, "required": false, "recovery_codes_left": 0}));

    // Setting up needs the password, and shows the secret three ways.
    app.post("/me/two-factor/setup", &token, json!({"password": "not it"})).await.assert_problem(422);
    let setup = app.post("/me/two-factor/setup", &token, json!({"password": PASSWORD})).await;
    setup.assert(200);
    let secret = setup.body["secret"].as_str().unwrap().to_owned();
    assert_eq!(secret.len(), 32, "160 bits in base32");
    let uri = setup.body["otpauth_uri"].as_str().unwrap();
    assert!(uri.starts_with("otpauth://totp/"), "{uri}");
    assert!(uri.contains(&format!("secret={secret}")) && uri.contains("pat%40acme.test"), "{uri}");
    assert!(setup.body["qr_svg"].as_str().unwrap().contains("<svg"));
    // Until confirmed, signing in is as before.
    let elsewhere = login_with(&app, "pat@acme.test", None).await;
    elsewhere.assert(200);
    let elsewhere_refresh = elsewhere.body["refresh_token"].as_str().unwrap().to_owned();

    // A wrong code does not turn it on; the code the app shows does, with ten recovery codes.
    let now = code(&secret, 0);
    app.post("/me/two-factor/confirm", &token, json!({"code": wrong(&now)})).await.assert_problem(422);
    assert_eq!(app.get("/me/two-factor", &token).await.body["enabled"], false);
    let confirmed = app.post("/me/two-factor/confirm", &token, json!({"code": &now})).await;
    confirmed.assert(200);
    let codes: Vec<String> =
        confirmed.body["recovery_codes"].as_array().unwrap().iter().map(|c| c.as_str().unwrap().to_owned()).collect();
    assert_eq!(codes.len(), 10);
    assert_eq!(codes.iter().collect::<std::collections::BTreeSet<_>>().len(), 10, "all different");
    assert!(codes.iter().all(|c| c.len() == 19 && c.split('-').count() == 4), "{codes:?}");
    // Every login from before gave no second factor: they are over, the one elsewhere for good.
    app.get("/me", &token).await.assert_problem(401);
    let refreshed = json!({"refresh_token": elsewhere_refresh});
    app.send(Method::POST, "/auth/refresh", None, Some(&refreshed)).await.assert_problem(401);

    // Now the password alone is not enough, and says what is missing.
    let asked = login_with(&app, "pat@acme.test", None).await;
    asked.assert_problem(401);
    assert_eq!(problem_type(&asked), "urn:portico:problem:two-factor-required");
    assert!(asked.body.get("access_token").is_none());
    let wrong_code = login_with(&app, "pat@acme.test", Some(&wrong(&code(&secret, 1)))).await;
    wrong_code.assert_problem(401);
    assert_eq!(problem_type(&wrong_code), "urn:portico:problem:unauthorized");
    // The code that confirmed the enrolment was spent; the app's next one signs in, once.
    login_with(&app, "pat@acme.test", Some(&now)).await.assert_problem(401);
    let next = code(&secret, 1);
    let signed_in = login_with(&app, "pat@acme.test", Some(&next)).await;
    signed_in.assert(200);
    assert_eq!(signed_in.body["user"]["two_factor_enabled"], true);
    login_with(&app, "pat@acme.test", Some(&next)).await.assert_problem(401);

    // A recovery code signs in once, typed however (spaces, capitals, no dashes).
    let typed = codes[0].replace('-', " ").to_uppercase();
    login_with(&app, "pat@acme.test", Some(&typed)).await.assert(200);
    login_with(&app, "pat@acme.test", Some(&codes[0])).await.assert_problem(401);
    let fresh = signed_in.body["access_token"].as_str().unwrap();
    let status = app.get("/me/two-factor", fresh).await;
    assert_eq!(status.body["enabled"], true);
    assert_eq!(status.body["recovery_codes_left"], 9);

    // Each step is in the audit log, saying how the second factor was given.
    let audit = app.get(&format!("/audit-log?target_id={pat}"), &app.admin().await).await;
    let actions: Vec<Value> = audit.items().iter().map(|e| e["action"].clone()).collect();
    assert!(actions.contains(&json!("two_factor.enabled")), "{actions:?}");
    let logins: Vec<Value> = audit
        .items()
        .into_iter()
        .filter(|e| e["action"] == "login")
        .map(|e| e["details"]["second_factor"].clone())
        .collect();
    assert!(logins.contains(&json!("authenticator")) && logins.contains(&json!("recovery_code")), "{logins:?}");
    let failed = audit.items().into_iter().filter(|e| e["action"] == "login.failed").count();
    assert!(failed >= 3, "the wrong, the spent and the reused codes: {failed}");
    // They are told of each change to how they sign in, and of a recovery code used.
    let told = notices(&app, "pat@acme.test").await;
    assert!(told.iter().any(|s| s.ends_with("Two-factor sign-in was turned on")), "{told:?}");
    assert!(told.iter().any(|s| s.ends_with("A recovery code was used to sign in")), "{told:?}");
}

#[tokio::test]
async fn a_wrong_code_counts_toward_the_same_limit_as_a_wrong_password() {
    let app = spawn_app_with(|s| s.login_max_failures_per_account = 3).await;
    let client = app.create_client("Acme").await;
    app.create_user("pat@acme.test", "client", Some(client)).await;
    let (secret, _, _) = enrol(&app, "pat@acme.test").await;
    // Asking for the code is not a failure: any number of times.
    for _ in 0..5 {
        login_with(&app, "pat@acme.test", None).await.assert_problem(401);
    }
    let bad = wrong(&code(&secret, 1));
    for _ in 0..3 {
        login_with(&app, "pat@acme.test", Some(&bad)).await.assert_problem(401);
    }
    let refused = login_with(&app, "pat@acme.test", Some(&code(&secret, 1))).await;
    refused.assert_problem(429);
    assert!(refused.headers.contains_key("retry-after"));
}

#[tokio::test]
async fn recovery_codes_can_be_replaced_and_two_factor_turned_off_with_the_password() {
    let app = spawn_app().await;
    let client = app.create_client("Acme").await;
    app.create_user("pat@acme.test", "client", Some(client)).await;
    let (secret, old_codes, token) = enrol(&app, "pat@acme.test").await;
    app.post("/me/two-factor/setup", &token, json!({"password": PASSWORD})).await.assert_problem(409);
    // The password and a code: a session that learnt the password alone cannot make its own way in.
    let next = code(&secret, 1);
    let bad_password = json!({"password": "nope", "code": next});
    app.post("/me/two-factor/recovery-codes", &token, bad_password).await.assert_problem(422);
    let no_code = app.post("/me/two-factor/recovery-codes", &token, json!({"password": PASSWORD})).await;
    no_code.assert_problem(422);
    let bad_code = json!({"password": PASSWORD, "code": wrong(&next)});
    let refused = app.post("/me/two-factor/recovery-codes", &token, bad_code).await;
    refused.assert_problem(422);
    assert!(refused.body["errors"]["code"].is_array(), "{}", refused.text);
    let body = json!({"password": PASSWORD, "code": next});
    let replaced = app.post("/me/two-factor/recovery-codes", &token, body).await;
    replaced.assert(200);
    let new_codes = replaced.body["recovery_codes"].as_array().unwrap().clone();
    assert_eq!(new_codes.len(), 10);
    login_with(&app, "pat@acme.test", Some(&old_codes[1])).await.assert_problem(401);
    login_with(&app, "pat@acme.test", Some(new_codes[1].as_str().unwrap())).await.assert(200);

    // A recovery code serves as the code, and is spent by it.
    let with_recovery = json!({"password": PASSWORD, "code": new_codes[2]});
    app.post("/me/two-factor/disable", &token, json!({"password": "nope", "code": new_codes[2]}))
        .await
        .assert_problem(422);
    app.post("/me/two-factor/disable", &token, with_recovery.clone()).await.assert(204);
    let told = notices(&app, "pat@acme.test").await;
    assert!(told.iter().any(|s| s.ends_with("Two-factor sign-in was turned off")), "{told:?}");
    assert!(told.iter().any(|s| s.contains("New two-factor recovery codes were made")), "{told:?}");
    login_with(&app, "pat@acme.test", None).await.assert(200);
    assert_eq!(app.get("/me/two-factor", &token).await.body["recovery_codes_left"], 0);
    app.post("/me/two-factor/disable", &token, with_recovery).await.assert_problem(409);
}

#[tokio::test]
async fn a_role_that_requires_two_factor_lets_its_holders_do_nothing_but_enrol() {
    let app = spawn_app().await;
    let client = app.create_client("Acme").await;
    app.create_user("fin@acme.test", "client_finance", Some(client)).await;
    // A built-in role's name and permissions are fixed; whether it requires a second factor is not.
    let finance = format!("/roles/{}", role_id(&app, "client_finance").await);
    app.patch(&finance, &app.admin().await, json!({"name": "Money"})).await.assert_problem(409);
    require_two_factor(&app, "client_finance", true).await;

    // Signing in still works; everything but enrolling is refused, and says why.
    let token = app.token("fin@acme.test").await;
    let me = app.get("/me", &token).await;
    me.assert(200);
    assert_eq!(
        (me.body["two_factor_required"].clone(), me.body["two_factor_enabled"].clone()),
        (json!(true), json!(false))
    );
    for path in ["/invoices", "/me/sessions", "/notifications"] {
        let refused = app.get(path, &token).await;
        refused.assert_problem(403);
        assert_eq!(problem_type(&refused), "urn:portico:problem:two-factor-enrolment-required", "{path}");
    }
    let ticket = app.post("/events/ticket", &token, json!({})).await;
    ticket.assert_problem(403);

    // Once enrolled, the role's work is open again; turning it off is not theirs to do.
    let (_, _, token) = enrol(&app, "fin@acme.test").await;
    app.get("/invoices", &token).await.assert(200);
    let kept = app.post("/me/two-factor/disable", &token, json!({"password": PASSWORD, "code": "0000-0000"})).await;
    kept.assert_problem(409);
    assert_eq!(app.get("/me/two-factor", &token).await.body["required"], true);
}

#[tokio::test]
async fn view_as_is_refused_to_staff_whose_role_requires_a_second_factor_they_lack() {
    let app = spawn_app().await;
    let client = app.create_client("Acme").await;
    let pat = app.create_user("pat@acme.test", "client", Some(client)).await;
    app.create_user("maria@agency.test", "manager", None).await;
    let manager = app.token("maria@agency.test").await;
    let viewing = app.post("/auth/impersonate", &manager, json!({"user_id": pat})).await;
    viewing.assert(200);
    let view = viewing.body["access_token"].as_str().unwrap().to_owned();
    app.get("/projects", &view).await.assert(200);
    // A View-as session cannot touch the client's second factor either.
    app.get("/me/two-factor", &view).await.assert_problem(403);

    require_two_factor(&app, "manager", true).await;
    // The session already out stops, and no new one is given.
    let stopped = app.get("/projects", &view).await;
    stopped.assert_problem(403);
    assert_eq!(problem_type(&stopped), "urn:portico:problem:two-factor-enrolment-required");
    let refused = app.post("/auth/impersonate", &manager, json!({"user_id": pat})).await;
    refused.assert_problem(403);
    assert_eq!(problem_type(&refused), "urn:portico:problem:two-factor-enrolment-required");

    let (_, _, manager) = enrol(&app, "maria@agency.test").await;
    app.post("/auth/impersonate", &manager, json!({"user_id": pat})).await.assert(200);
}

#[tokio::test]
async fn an_admin_resets_a_lost_second_factor_and_the_user_signs_in_with_their_password() {
    let app = spawn_app().await;
    let client = app.create_client("Acme").await;
    let pat = app.create_user("pat@acme.test", "client", Some(client)).await;
    let (_, codes, token) = enrol(&app, "pat@acme.test").await;
    let admin = app.admin().await;
    let reset = format!("/users/{pat}/two-factor/reset");
    // Not the user's to do, nor a manager's (who may not manage users).
    app.post(&reset, &token, json!({})).await.assert_problem(403);
    app.create_user("maria@agency.test", "manager", None).await;
    app.post(&reset, &app.token("maria@agency.test").await, json!({})).await.assert_problem(403);
    app.post(&format!("/users/{}/two-factor/reset", uuid::Uuid::now_v7()), &admin, json!({})).await.assert_problem(404);

    app.post(&reset, &admin, json!({})).await.assert(204);
    app.get("/me", &token).await.assert_problem(401);
    let signed_in = login_with(&app, "pat@acme.test", None).await;
    signed_in.assert(200);
    assert_eq!(signed_in.body["user"]["two_factor_enabled"], false);
    // Enrolled again, only the new recovery codes count.
    let (_, fresh_codes, token) = enrol(&app, "pat@acme.test").await;
    assert_eq!(app.get("/me/two-factor", &token).await.body["recovery_codes_left"], 10);
    login_with(&app, "pat@acme.test", Some(&codes[0])).await.assert_problem(401);
    login_with(&app, "pat@acme.test", Some(&fresh_codes[0])).await.assert(200);
    let audit = app.get(&format!("/audit-log?action=two_factor.reset&target_id={pat}"), &admin).await;
    assert_eq!(audit.items().len(), 1);
    let told = notices(&app, "pat@acme.test").await;
    assert!(told.iter().any(|s| s.ends_with("Two-factor sign-in was reset by an administrator")), "{told:?}");

    // An admin's own is theirs to change in their profile.
    let me = app.get("/me", &admin).await.id();
    app.post(&format!("/users/{me}/two-factor/reset"), &admin, json!({})).await.assert_problem(409);
}

#[tokio::test]
async fn an_api_key_has_no_second_factor_to_see_or_change() {
    let app = spawn_app().await;
    let client = app.create_client("Acme").await;
    let key = app.client_key(client).await;
    app.get("/me/two-factor", &key).await.assert_problem(403);
    app.post("/me/two-factor/setup", &key, json!({"password": PASSWORD})).await.assert_problem(403);
    let admin_key = app.api_key(json!({"name": "Ops", "permissions": ["users.manage"]})).await;
    app.post("/me/two-factor/setup", &admin_key, json!({"password": PASSWORD})).await.assert_problem(403);
}

#[tokio::test]
async fn codes_are_limited_per_person_whatever_address_they_come_from() {
    // Generous per-address limits, as behind many addresses: the person's own limit still holds.
    let app = spawn_app_with(|s| {
        s.login_max_failures_per_account = 3;
        s.login_max_failures_per_address = 1000;
        s.trusted_proxies = "127.0.0.1/32".into();
    })
    .await;
    let client = app.create_client("Acme").await;
    app.create_user("pat@acme.test", "client", Some(client)).await;
    let (secret, _, _) = enrol(&app, "pat@acme.test").await;
    let bad = wrong(&code(&secret, 1));
    for address in ["203.0.113.1", "203.0.113.2", "203.0.113.3"] {
        let body = json!({"email": "pat@acme.test", "password": PASSWORD, "code": bad});
        let req = app.http.post(app.url("/auth/login")).header("x-forwarded-for", address).json(&body);
        read_response(req.send().await.expect("sent")).await.assert_problem(401);
    }
    login_with(&app, "pat@acme.test", Some(&code(&secret, 1))).await.assert_problem(429);
}

#[tokio::test]
async fn one_code_sent_twice_at_once_signs_in_once() {
    let app = spawn_app().await;
    let client = app.create_client("Acme").await;
    app.create_user("pat@acme.test", "client", Some(client)).await;
    let (secret, _, _) = enrol(&app, "pat@acme.test").await;
    let next = code(&secret, 1);
    let answers = join_all([0, 1].map(|_| login_with(&app, "pat@acme.test", Some(&next)))).await;
    let mut statuses: Vec<u16> = answers.iter().map(|r| r.status.as_u16()).collect();
    statuses.sort();
    assert_eq!(statuses, [200, 401]);
}

#[tokio::test]
async fn answers_that_show_a_second_factor_are_never_kept_for_a_replay() {
    let app = spawn_app().await;
    let client = app.create_client("Acme").await;
    app.create_user("pat@acme.test", "client", Some(client)).await;
    let token = app.token("pat@acme.test").await;
    let setup = |key: &'static str| {
        let req = app
            .http
            .post(app.url("/me/two-factor/setup"))
            .bearer_auth(&token)
            .header("idempotency-key", key)
            .json(&json!({"password": PASSWORD}));
        async move { read_response(req.send().await.expect("sent")).await }
    };
    let first = setup("same").await;
    first.assert(200);
    let again = setup("same").await;
    again.assert(200);
    assert!(again.headers.get("idempotent-replayed").is_none());
    assert_ne!(first.body["secret"], again.body["secret"], "a new secret, not the stored answer");
}
