use portico_blackbox::*;
use reqwest::Method;

#[tokio::test]
async fn committed_openapi_yaml_matches_the_generated_spec() {
    let generated = portico::openapi::spec().to_yaml().unwrap();
    let committed =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../openapi.yaml")).unwrap_or_default();
    assert!(
        generated == committed,
        "openapi.yaml is out of date: run `cargo run -p portico -- openapi > openapi.yaml`"
    );
}

#[tokio::test]
async fn the_spec_and_docs_are_served() {
    let app = spawn_app().await;
    let spec = app.send(Method::GET, "/api/openapi.json", None, None).await;
    spec.assert(200);
    assert!(spec.body["openapi"].as_str().unwrap().starts_with("3.1"));
    assert!(spec.body["paths"]["/api/v1/tasks/{id}/comments"]["post"].is_object());
    assert!(spec.body["components"]["securitySchemes"]["bearer"].is_object());
    // Every secured operation documents its 401 and 403.
    for (path, item) in spec.body["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let public = op["security"]
                .as_array()
                .is_some_and(|s| s.iter().all(|r| r.as_object().is_some_and(|o| o.is_empty())));
            if !public {
                assert!(op["responses"]["401"].is_object() && op["responses"]["403"].is_object(), "{method} {path}");
            }
            // Every failure is documented as what the server sends: a problem document.
            for (code, response) in op["responses"].as_object().unwrap() {
                // The readiness check's 503 is its own status document, for load balancers.
                if code.starts_with(['4', '5']) && path != "/api/readyz" {
                    let types: Vec<&String> = response["content"].as_object().unwrap().keys().collect();
                    assert_eq!(types, ["application/problem+json"], "{method} {path} {code}");
                }
            }
            // A write of what can be read takes the tag it read.
            if method == "patch" && item.get("get").is_some() {
                assert!(op["responses"]["412"].is_object(), "{method} {path}");
            }
        }
    }
    let docs = app.http.get(app.url("/api/docs/")).send().await.unwrap();
    assert_eq!(docs.status(), 200);
    assert!(docs.text().await.unwrap().contains("swagger"));
}
