//! The published contract. Paths and schemas are collected from the handlers by
//! utoipa-actix-web; this module adds what is common to all of them (security, problem
//! responses) so no handler can forget it.
use actix_web::App;
use utoipa::{
    Modify, OpenApi,
    openapi::{
        self, ContentBuilder, Ref, ResponseBuilder,
        security::{HttpAuthScheme, HttpBuilder, SecurityRequirement, SecurityScheme},
    },
};
use utoipa_actix_web::AppExt;

use crate::{
    error::{ApiError, Problem},
    routes,
};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Portico API",
        description = "An agency's client portal. Staff run clients, projects, tasks, comments and invoices; \
            each client's users see only their own account. Errors are RFC 9457 problem documents. \
            Lists are cursor-paginated: pass `next_cursor` back as `cursor`.",
        license(name = "MIT")
    ),
    components(schemas(Problem)),
    tags(
        (name = "auth", description = "Log in, refresh, log out"),
        (name = "me", description = "The caller's profile"),
        (name = "portal", description = "The portal home"),
        (name = "clients", description = "Client accounts and contacts (staff)"),
        (name = "users", description = "Users and roles (admins)"),
        (name = "team", description = "A client account's own team, run by its Client Admins (`team.manage`)"),
        (name = "projects", description = "Projects"),
        (name = "tasks", description = "Tasks"),
        (name = "comments", description = "Replies (client-visible) and Notes (internal)"),
        (name = "files", description = "Files, versions, reviews and attachments"),
        (name = "invoices", description = "Invoices, lines and payments"),
        (name = "settings", description = "Portal settings"),
        (name = "metrics", description = "Is the portal working? Adoption, response times in business hours, channels (`metrics.read`, staff)"),
        (name = "surveys", description = "Satisfaction surveys, as the people asked answer them"),
        (name = "search", description = "Full-text search through the caller's scope"),
        (name = "live", description = "Live updates (Server-Sent Events)"),
        (name = "webhooks", description = "Signed event deliveries to integrators' endpoints"),
        (name = "api-keys", description = "Keys integrators authenticate with (`Authorization: Bearer pk_live_…`)"),
        (name = "ops", description = "Health and readiness"),
    )
)]
pub struct ApiDoc;

/// Registers every route on a utoipa-aware app; used by the server and by `spec()` alike so
/// the served API and the published spec cannot differ.
pub fn register<T>(app: utoipa_actix_web::UtoipaApp<T>) -> utoipa_actix_web::UtoipaApp<T>
where
    T: actix_web::dev::ServiceFactory<
            actix_web::dev::ServiceRequest,
            Config = (),
            Error = actix_web::Error,
            InitError = (),
        >,
{
    app.service(utoipa_actix_web::scope("/api/v1").configure(routes::configure))
        .service(routes::health::healthz)
        .service(routes::health::readyz)
        .service(routes::health::tls_ask)
}

/// The complete OpenAPI document.
pub fn spec() -> openapi::OpenApi {
    let (_, mut api) = register(App::new().into_utoipa_app().openapi(ApiDoc::openapi())).split_for_parts();
    api.info.version = env!("CARGO_PKG_VERSION").into();
    Conventions.modify(&mut api);
    api
}

struct Conventions;

/// A caller's POST takes an `Idempotency-Key` (`idempotency.rs`).
fn idempotent(op: &mut openapi::path::Operation) {
    use openapi::{
        ObjectBuilder, Type,
        path::{ParameterBuilder, ParameterIn},
    };
    let key = ObjectBuilder::new().schema_type(Type::String).min_length(Some(1)).max_length(Some(255)).build();
    op.parameters.get_or_insert_with(Vec::new).push(
        ParameterBuilder::new()
            .name("Idempotency-Key")
            .parameter_in(ParameterIn::Header)
            .required(openapi::Required::False)
            .schema(Some(key))
            .description(Some(
                "Any unique string (a UUID): a successful answer is replayed for 24 h to the same caller \
                 sending the same key and request (`Idempotent-Replayed: true`); the key with another \
                 request is 422, while its first request is still being answered 409",
            ))
            .build()
            .into(),
    );
}

/// A JSON GET carries an `ETag` and answers `If-None-Match` (`conditional.rs`).
fn conditional(op: &mut openapi::path::Operation) {
    use openapi::{
        Object, Type,
        header::Header,
        path::{ParameterBuilder, ParameterIn},
    };
    let Some(openapi::RefOr::T(ok)) = op.responses.responses.get_mut("200") else { return };
    if !ok.content.contains_key("application/json") {
        return;
    }
    let mut etag = Header::default();
    etag.description =
        Some("A strong validator of exactly this representation; send it back in `If-None-Match`.".into());
    ok.headers.insert("ETag".into(), etag.clone().into());
    let unchanged = ResponseBuilder::new()
        .description("Not Modified: the representation still has the tag `If-None-Match` named; no body")
        .header("ETag", etag)
        .build();
    op.responses.responses.insert("304".into(), unchanged.into());
    op.parameters.get_or_insert_with(Vec::new).push(
        ParameterBuilder::new()
            .name("If-None-Match")
            .parameter_in(ParameterIn::Header)
            .required(openapi::Required::False)
            .schema(Some(Object::with_type(Type::String)))
            .description(Some("ETags seen before (or `*`): 304 when the representation still has one of them"))
            .build()
            .into(),
    );
}

/// A PATCH of what a GET reads takes `If-Match` (`conditional.rs`).
fn on_condition(op: &mut openapi::path::Operation) {
    use openapi::{
        Object, Type,
        path::{ParameterBuilder, ParameterIn},
    };
    op.parameters.get_or_insert_with(Vec::new).push(
        ParameterBuilder::new()
            .name("If-Match")
            .parameter_in(ParameterIn::Header)
            .required(openapi::Required::False)
            .schema(Some(Object::with_type(Type::String)))
            .description(Some(
                "The `ETag` of the representation the change is made to (or `*`): 412 when it has changed since; \
                 without it the last write wins",
            ))
            .build()
            .into(),
    );
    op.responses.responses.insert(
        "412".into(),
        problem("Precondition failed: the resource changed since the `ETag` sent in `If-Match`; read it again"),
    );
}

fn problem(description: &str) -> openapi::RefOr<openapi::Response> {
    ResponseBuilder::new()
        .description(description)
        .content(
            "application/problem+json",
            ContentBuilder::new().schema(Some(Ref::from_schema_name("Problem"))).build(),
        )
        .build()
        .into()
}

impl Modify for Conventions {
    fn modify(&self, api: &mut openapi::OpenApi) {
        let components = api.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT access token, or an API key (pk_live_…)")
                    .build(),
            ),
        );
        api.security = Some(vec![SecurityRequirement::new("bearer", Vec::<String>::new())]);
        for (path, item) in api.paths.paths.iter_mut() {
            let ops = [
                (&mut item.get, false, false),
                (&mut item.post, true, false),
                (&mut item.put, true, false),
                (&mut item.patch, true, false),
                (&mut item.delete, false, true),
            ];
            for (op, has_body, removes) in ops {
                let Some(op) = op.as_mut() else { continue };
                let public =
                    op.security.as_ref().is_some_and(|s| s.iter().all(|r| *r == SecurityRequirement::default()));
                let responses = &mut op.responses.responses;
                // A problem is `application/problem+json`, however its handler declared it (the
                // readiness check's 503 is its own status document).
                for (code, response) in responses.iter_mut() {
                    let openapi::RefOr::T(response) = response else { continue };
                    if !code.starts_with(['4', '5']) || path == "/api/readyz" {
                        continue;
                    }
                    match response.content.shift_remove("application/json") {
                        Some(json) => response.content.insert("application/problem+json".into(), json),
                        None if response.content.is_empty() => response.content.insert(
                            "application/problem+json".into(),
                            ContentBuilder::new().schema(Some(Ref::from_schema_name("Problem"))).build().into(),
                        ),
                        None => None,
                    };
                }
                let mut add = |code: &str, description: &str| {
                    responses.entry(code.to_owned()).or_insert_with(|| problem(description));
                };
                let has_params = op.parameters.as_ref().is_some_and(|p| !p.is_empty());
                if has_params || has_body {
                    add("400", "Malformed request (JSON syntax, query string or path id)");
                }
                if !public {
                    add("401", "Missing, invalid or expired access token or API key");
                    add("403", "The caller's role lacks a permission this needs");
                    add("429", "Too many requests with this API key this minute; retry after `Retry-After` seconds");
                }
                if path.contains('{') {
                    add("404", "No such resource, or not visible to the caller");
                }
                // A deletion can meet a state that forbids it (an invoice sent, a role held).
                if removes {
                    add("409", "Cannot be deleted in its current state");
                }
                if has_body {
                    add("409", "Conflicts with the current state");
                    add("413", "Body too large");
                }
                if has_params || has_body {
                    add("422", "Validation failed; `errors` names the fields");
                }
                add("500", "Internal error (logged; no details are given)");
                if path != "/api/healthz" {
                    add("503", "The database cannot be reached right now; retry after `Retry-After` seconds");
                }
            }
            if let Some(get) = item.get.as_mut() {
                conditional(get);
            }
            // What can be read can be written on condition of what was read.
            if let Some(patch) = item.patch.as_mut().filter(|_| item.get.is_some()) {
                on_condition(patch);
            }
            if let Some(post) = item.post.as_mut().filter(|_| crate::idempotency::kept(path)) {
                let public =
                    post.security.as_ref().is_some_and(|s| s.iter().all(|r| *r == SecurityRequirement::default()));
                if !public {
                    idempotent(post);
                }
            }
        }
    }
}

/// Which methods each documented path answers, for the requests no route took: a path the API
/// has, asked with a method it does not, is a 405 naming the methods in `Allow`, not a 404.
pub struct Methods(Vec<(Vec<String>, Vec<&'static str>)>);

impl Methods {
    pub fn of(api: &openapi::OpenApi) -> Self {
        let templates = api
            .paths
            .paths
            .iter()
            .map(|(path, item)| {
                let methods = [
                    ("GET", item.get.is_some()),
                    ("POST", item.post.is_some()),
                    ("PUT", item.put.is_some()),
                    ("PATCH", item.patch.is_some()),
                    ("DELETE", item.delete.is_some()),
                ];
                let segments = path.split('/').map(str::to_owned).collect();
                (segments, methods.into_iter().filter(|(_, has)| *has).map(|(m, _)| m).collect())
            })
            .collect();
        Methods(templates)
    }

    /// The methods `path` answers, as an `Allow` value; `None` when no documented path is it.
    pub fn allowed(&self, path: &str) -> Option<String> {
        let asked: Vec<&str> = path.split('/').collect();
        let fits = |template: &[String]| {
            template.len() == asked.len()
                && template.iter().zip(&asked).all(|(t, a)| (t.starts_with('{') && !a.is_empty()) || t == a)
        };
        let mut allow: Vec<&str> =
            self.0.iter().filter(|(t, _)| fits(t)).flat_map(|(_, m)| m.iter().copied()).collect();
        if allow.is_empty() {
            return None;
        }
        allow.sort_by_key(|m| ["GET", "POST", "PUT", "PATCH", "DELETE"].iter().position(|k| k == m));
        allow.dedup();
        Some(allow.join(", "))
    }

    /// The answer to a request no route took.
    pub fn unrouted(&self, path: &str) -> ApiError {
        match self.allowed(path) {
            Some(allow) => ApiError::MethodNotAllowed { allow },
            None => ApiError::NotFound,
        }
    }
}

/// A 405 that a route of its own made (one resource's method guard) is answered like ours: a
/// problem document with `Allow`.
pub async fn allow(
    req: actix_web::dev::ServiceRequest,
    next: actix_web::middleware::Next<impl actix_web::body::MessageBody + 'static>,
) -> Result<actix_web::dev::ServiceResponse<actix_web::body::BoxBody>, actix_web::Error> {
    use actix_web::ResponseError;
    let methods = req.app_data::<actix_web::web::Data<Methods>>().cloned();
    let res = next.call(req).await?;
    let bare = res.status() == actix_web::http::StatusCode::METHOD_NOT_ALLOWED
        && !res.headers().contains_key(actix_web::http::header::ALLOW);
    // Only for a documented path: anything else keeps the answer it was given.
    match methods.filter(|_| bare).and_then(|m| m.allowed(res.request().path())) {
        Some(allow) => {
            let answer = ApiError::MethodNotAllowed { allow }.error_response();
            Ok(res.into_response(answer))
        }
        None => Ok(res.map_into_boxed_body()),
    }
}
