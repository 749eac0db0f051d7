//! RFC 8725 hardening: every malformed, forged or misused token answers 401, and none makes
//! the server fetch anything.
use std::sync::{
    Arc,
    atomic::{AtomicUsize, Ordering},
};

use portico_blackbox::{jwt, *};
use reqwest::Method;
use serde_json::{Value, json};

async fn claims_for(app: &TestApp) -> Value {
    let me = app.get("/me", &app.admin().await).await.body;
    let now = chrono::Utc::now().timestamp();
    json!({"sub": me["id"], "kind": "staff", "role": "admin", "perms": [], "iat": now, "exp": now + 300,
        "iss": "portico", "aud": "portico-api", "jti": uuid::Uuid::new_v4()})
}

fn header(alg: &str) -> Value {
    json!({"typ": "at+jwt", "alg": alg})
}

#[tokio::test]
async fn a_well_formed_token_is_accepted_so_the_refusals_below_mean_something() {
    let app = spawn_app().await;
    let token = jwt::signed(&header("HS256"), &claims_for(&app).await, JWT_SECRET.as_bytes());
    app.get("/me", &token).await.assert(200);
}

#[tokio::test]
async fn forged_tampered_and_misused_tokens_all_get_401() {
    let app = spawn_app().await;
    let claims = claims_for(&app).await;
    let key = JWT_SECRET.as_bytes();
    let good = jwt::signed(&header("HS256"), &claims, key);
    let parts: Vec<&str> = good.split('.').collect();
    let with = |k: &str, v: Value| {
        let mut c = claims.clone();
        c[k] = v;
        c
    };
    let without = |k: &str| {
        let mut c = claims.clone();
        c.as_object_mut().unwrap().remove(k);
        c
    };
    let tampered_claims = jwt::b64(&with("role", json!("superadmin")));
    let mut cases: Vec<(&str, String)> = vec![
        ("alg none", jwt::unsigned(&header("none"), &claims)),
        ("alg none, upper case", jwt::unsigned(&header("NONE"), &claims)),
        ("algorithm swapped to RS256", format!("{}.{}.{}", jwt::b64(&header("RS256")), parts[1], parts[2])),
        ("another HMAC algorithm", jwt::signed(&header("HS512"), &claims, key)),
        ("tampered payload", format!("{}.{}.{}", parts[0], tampered_claims, parts[2])),
        // The first character carries 6 whole bits of the MAC, so changing it always changes the
        // signature (replacing the last with a fixed letter was a no-op 1 time in 64).
        (
            "tampered signature",
            format!(
                "{}.{}.{}{}",
                parts[0],
                parts[1],
                if parts[2].starts_with('A') { 'B' } else { 'A' },
                &parts[2][1..]
            ),
        ),
        ("no exp", jwt::signed(&header("HS256"), &without("exp"), key)),
        ("no aud", jwt::signed(&header("HS256"), &without("aud"), key)),
        ("no iss", jwt::signed(&header("HS256"), &without("iss"), key)),
        ("wrong iss", jwt::signed(&header("HS256"), &with("iss", json!("someone-else")), key)),
        ("wrong aud", jwt::signed(&header("HS256"), &with("aud", json!("another-api")), key)),
        ("expired", jwt::signed(&header("HS256"), &with("exp", json!(chrono::Utc::now().timestamp() - 120)), key)),
        ("plain JWT, not an access token", jwt::signed(&json!({"typ": "JWT", "alg": "HS256"}), &claims, key)),
        ("no typ", jwt::signed(&json!({"alg": "HS256"}), &claims, key)),
        ("garbage", "not.a.token".into()),
    ];
    let refresh = app.login(ADMIN_EMAIL, PASSWORD).await.body["refresh_token"].as_str().unwrap().to_owned();
    cases.push(("a refresh token used as an access token", refresh));
    for (name, token) in cases {
        let res = app.get("/me", &token).await;
        assert_eq!(res.status.as_u16(), 401, "{name}: {}", res.text);
        res.assert_problem(401);
    }
}

#[tokio::test]
async fn key_reference_headers_are_refused_without_fetching_anything() {
    let app = spawn_app().await;
    let claims = claims_for(&app).await;
    // A listener standing in for an attacker's key server: it must never be contacted.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://127.0.0.1:{}/keys", listener.local_addr().unwrap().port());
    let contacted = Arc::new(AtomicUsize::new(0));
    let seen = contacted.clone();
    tokio::spawn(async move {
        while listener.accept().await.is_ok() {
            seen.fetch_add(1, Ordering::SeqCst);
        }
    });
    let key = JWT_SECRET.as_bytes();
    let attacker_jwk = json!({"kty": "oct", "k": "YXR0YWNrZXIta2V5LWF0dGFja2VyLWtleS1hdHRhY2tlcg"});
    for (name, h) in [
        ("jku", json!({"typ": "at+jwt", "alg": "HS256", "jku": url})),
        ("x5u", json!({"typ": "at+jwt", "alg": "HS256", "x5u": url})),
        ("jwk", json!({"typ": "at+jwt", "alg": "HS256", "jwk": attacker_jwk})),
        ("kid", json!({"typ": "at+jwt", "alg": "HS256", "kid": "../../etc/passwd"})),
    ] {
        let token = jwt::signed(&h, &claims, key);
        let res = app.get("/me", &token).await;
        assert_eq!(res.status.as_u16(), 401, "{name}: {}", res.text);
    }
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    assert_eq!(contacted.load(Ordering::SeqCst), 0, "the server fetched a key");
}

#[tokio::test]
async fn an_access_token_is_refused_at_the_refresh_endpoint() {
    let app = spawn_app().await;
    let access = app.admin().await;
    app.send(Method::POST, "/auth/refresh", None, Some(&json!({"refresh_token": access}))).await.assert_problem(401);
}
