use portico_blackbox::*;
use reqwest::Method;

#[tokio::test]
async fn the_spa_is_served_at_the_root_with_a_fallback_for_client_side_routes() {
    let web = tempfile::tempdir().unwrap();
    std::fs::write(web.path().join("index.html"), "<!doctype html><title>Portal</title><div id=root></div>").unwrap();
    std::fs::create_dir(web.path().join("assets")).unwrap();
    std::fs::write(web.path().join("assets/app.js"), "console.log('portal')").unwrap();
    let dir = web.path().to_path_buf();
    let app = spawn_app_with(move |s| s.web_dir = dir).await;
    for path in ["/", "/projects/123", "/staff/clients", "/accept-invitation"] {
        let res = app.http.get(format!("{}{path}", app.base)).send().await.unwrap();
        assert_eq!(res.status(), 200, "{path}");
        assert!(res.text().await.unwrap().contains("<div id=root>"), "{path}");
    }
    let js = app.http.get(format!("{}/assets/app.js", app.base)).send().await.unwrap();
    assert!(js.headers()["content-type"].to_str().unwrap().contains("javascript"));
    // The API keeps its own answers, problems included.
    app.send(Method::GET, "/api/nowhere", None, None).await.assert_problem(404);
    app.send(Method::GET, "/api/v1/nowhere", None, None).await.assert_problem(404);
    app.send(Method::GET, "/api/healthz", None, None).await.assert(200);
}

#[tokio::test]
async fn every_answer_carries_the_browser_hardening_and_api_answers_are_never_cached() {
    let web = tempfile::tempdir().unwrap();
    std::fs::write(web.path().join("index.html"), "<!doctype html><div id=root></div>").unwrap();
    let dir = web.path().to_path_buf();
    let app = spawn_app_with(move |s| {
        s.web_dir = dir;
        s.public_url = "https://portal.agency.test".into();
    })
    .await;
    let admin = app.admin().await;
    for (path, token) in [("/", None), ("/projects/1", None), ("/api/v1/me", Some(&admin)), ("/api/healthz", None)] {
        let mut req = app.http.get(format!("{}{path}", app.base));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        let res = req.send().await.unwrap();
        let h = |name: &str| res.headers().get(name).and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
        let csp = h("content-security-policy");
        assert!(csp.contains("frame-ancestors 'none'") && csp.contains("script-src 'self'"), "{path}: {csp}");
        assert!(!csp.contains("unsafe-inline"), "{path}: {csp}");
        assert_eq!(h("x-content-type-options"), "nosniff", "{path}");
        assert_eq!(h("referrer-policy"), "no-referrer", "{path}");
        assert!(h("strict-transport-security").starts_with("max-age="), "{path}");
        if path.starts_with("/api/") {
            assert_eq!(h("cache-control"), "no-store", "{path}");
        }
    }
    // Served over plain HTTP (the embedded default), no HSTS.
    let plain = spawn_app().await;
    let res = plain.http.get(format!("{}/api/healthz", plain.base)).send().await.unwrap();
    assert!(res.headers().get("strict-transport-security").is_none());
    assert!(res.headers().get("content-security-policy").is_some());
}
