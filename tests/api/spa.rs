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
