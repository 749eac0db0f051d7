//! The isolation invariant, swept across every operation the server has: the sweep reads the
//! server's own route table (its OpenAPI document, generated from the handlers), so a new
//! operation cannot slip past it — one the table below does not classify fails the test.
//! A client of account B gets 404 for every id of account A, on reads and writes alike, with
//! A's rows unchanged afterwards; no Note ever reaches a client, in any output.
use std::collections::BTreeSet;

use portico::entities::{outbox, webhook_delivery};
use portico_blackbox::{hooks::Receiver, *};
use reqwest::Method;
use sea_orm::EntityTrait;
use serde_json::{Value, json};

/// What an id (in a path, a query or a body) refers to: a thing of one account.
#[derive(Clone, Copy, Debug)]
enum Of {
    Client,
    Contact,
    ClientUser,
    Project,
    Task,
    Reply,
    Note,
    Invoice,
    Draft,
    File,
    NoteFile,
    /// The Client user's login (its signed-in device).
    Session,
    /// An API key the agency made, held to the account.
    ApiKey,
    /// One of the Client user's notifications.
    Notification,
    /// The Client user's satisfaction survey (about the task done).
    Survey,
}

fn id(a: &Account, of: Of) -> uuid::Uuid {
    match of {
        Of::Client => a.client_id,
        Of::Contact => a.contact_id,
        Of::ClientUser => a.user_ids["client"],
        Of::Project => a.project_id,
        Of::Task => a.task_id,
        Of::Reply => a.reply_id,
        Of::Note => a.note_id,
        Of::Invoice => a.invoice_id,
        Of::Draft => a.draft_invoice_id,
        Of::File => a.file_id,
        Of::NoteFile => a.note_file_id,
        Of::Session => a.session_id.expect("the sweep signs the account's Client user in first"),
        Of::ApiKey => a.api_key_id.expect("the sweep makes a key held to the account first"),
        Of::Notification => a.notification_id.expect("the sweep has the account's Client user notified first"),
        Of::Survey => a.survey_id.expect("the sweep has the account's Client user asked first"),
    }
}

/// One way of calling a tenant-scoped operation: the account's thing its `{id}` names, and a
/// body that passes validation (`$client`, `$project`, … become that account's ids).
struct Case {
    path_id: Of,
    body: Value,
    /// A query string naming the account's things (`client_id=$client`), for reads that take
    /// their ids there.
    query: Option<&'static str>,
}

fn case(path_id: Of, body: Value) -> Case {
    Case { path_id, body, query: None }
}

/// A read naming the account's things in its query only.
fn query(query: &'static str) -> Case {
    Case { path_id: Of::Client, body: Value::Null, query: Some(query) }
}

/// Who an operation is for.
enum Class {
    /// No signed-in caller needed (signing in, health).
    Public,
    /// The caller's own things: nothing of another account can be named.
    Own,
    /// Staff only: a client gets 403 (or 404 for another account's id), whatever it names.
    Staff(Vec<Case>),
    /// An account's data: a client of another account gets 404 for every id, and the account
    /// is unchanged. Lists (no `{id}`) are filtered to the caller's account, which
    /// `client_lists_hold_only_their_own_account_even_when_asking_for_another` sweeps.
    Tenant(Vec<Case>),
}

/// Every operation of the server, classified. An operation missing here fails
/// `every_operation_of_the_server_is_classified`: decide who it is for before it ships.
fn classify(method: &str, path: &str) -> Option<Class> {
    use Class::*;
    use Of::*;
    let none = Value::Null;
    Some(match (method, path.strip_prefix("/api/v1").unwrap_or(path)) {
        ("GET", "/api/healthz" | "/api/readyz" | "/api/tls/ask") => Public,
        ("POST", "/auth/login" | "/auth/refresh" | "/auth/logout" | "/auth/password-reset") => Public,
        ("POST", "/auth/password-reset/confirm" | "/auth/invitations/accept") => Public,
        // A ticket is redeemed for the ticket holder's own stream; its replay is swept below.
        ("GET", "/events") => Public,
        ("POST", "/events/ticket") => Own,
        // Ends the caller's own View-as session; names no one.
        ("POST", "/auth/impersonate/end") => Own,
        ("GET", "/me" | "/me/notification-preferences" | "/notifications" | "/notifications/unread-count") => Own,
        ("GET", "/portal" | "/branding") => Own,
        ("PATCH", "/me") | ("PUT", "/me/notification-preferences") | ("POST", "/notifications/read-all") => Own,
        // Another user's notification is unknown to the caller: 404 like any other id.
        ("POST", "/notifications/{id}/read") => Tenant(vec![case(Notification, none.clone())]),
        // Surveys: the caller's own open ones; another account's by id is not found; a link
        // answers without signing in (its token is the survey's alone).
        ("GET", "/surveys") => Own,
        ("POST", "/surveys/{id}/answer") => Tenant(vec![case(Survey, json!({"score": 5}))]),
        ("POST", "/surveys/answer-by-link") => Public,
        // The caller's own logins: listing names nothing of another's; another user's login is
        // unknown to them.
        ("GET" | "DELETE", "/me/sessions") => Own,
        // The caller's own second factor; nothing in these names anyone else's.
        ("GET", "/me/two-factor") => Own,
        ("POST", "/me/two-factor/setup" | "/me/two-factor/confirm" | "/me/two-factor/recovery-codes") => Own,
        ("POST", "/me/two-factor/disable") => Own,
        ("DELETE", "/me/sessions/{id}") => Tenant(vec![case(Session, none.clone())]),
        ("GET", "/projects" | "/tasks" | "/invoices" | "/files") => Tenant(vec![]),
        // Ranked through the caller's own scopes; its words name no account (`read_of` gives it some).
        ("GET", "/search") => Tenant(vec![]),
        // The event log as the caller may read it; a project named is one of theirs or not found.
        ("GET", "/activity") => Tenant(vec![]),
        ("GET", "/projects/{id}") => Tenant(vec![case(Project, none)]),
        ("PATCH", "/projects/{id}") => Tenant(vec![case(Project, json!({"name": "Pwned"}))]),
        ("DELETE", "/projects/{id}") => Tenant(vec![case(Project, none)]),
        ("GET", "/projects/{id}/tasks") => Tenant(vec![case(Project, none)]),
        ("POST", "/projects/{id}/tasks") => Tenant(vec![case(Project, json!({"title": "Pwned"}))]),
        ("GET", "/tasks/{id}") => Tenant(vec![case(Task, none)]),
        ("PATCH", "/tasks/{id}") => Tenant(vec![case(Task, json!({"status": "done"}))]),
        ("DELETE", "/tasks/{id}") => Tenant(vec![case(Task, none)]),
        ("GET", "/tasks/{id}/comments") => Tenant(vec![case(Task, none)]),
        ("POST", "/tasks/{id}/comments") => Tenant(vec![
            case(Task, json!({"body": "Pwned", "visibility": "reply"})),
            case(Task, json!({"body": "Pwned", "visibility": "note"})),
        ]),
        ("GET", "/comments/{id}") => Tenant(vec![case(Reply, none.clone()), case(Note, none)]),
        ("PATCH", "/comments/{id}") => Tenant(vec![
            case(Reply, json!({"body": "Pwned"})),
            case(Reply, json!({"visibility": "note"})),
            case(Note, json!({"visibility": "reply"})),
        ]),
        ("DELETE", "/comments/{id}") => Tenant(vec![case(Reply, none.clone()), case(Note, none)]),
        ("GET", "/invoices/{id}") => Tenant(vec![case(Invoice, none.clone()), case(Draft, none)]),
        ("PATCH", "/invoices/{id}") => Tenant(vec![case(Draft, json!({"tax_rate_bp": 0}))]),
        ("DELETE", "/invoices/{id}") => Tenant(vec![case(Draft, none)]),
        ("GET", "/invoices/{id}/payments") => Tenant(vec![case(Invoice, none.clone())]),
        ("GET", "/invoices/{id}/pdf") => Tenant(vec![case(Invoice, none.clone()), case(Draft, none.clone())]),
        ("POST", "/invoices/{id}/views") => Tenant(vec![case(Invoice, none.clone()), case(Draft, none.clone())]),
        ("POST", "/invoices/{id}/checkout") => Tenant(vec![case(Invoice, none.clone()), case(Draft, none)]),
        // Stripe's own: signed by Stripe, no caller, nothing of an account named.
        ("POST", "/payments/stripe/webhook") => Public,
        ("POST", "/invoices/{id}/payments") => {
            Tenant(vec![case(Invoice, json!({"amount_cents": 1, "method": "card"}))])
        }
        ("POST", "/invoices/{id}/send") => Tenant(vec![case(Draft, json!({}))]),
        ("POST", "/invoices/{id}/void") => Tenant(vec![case(Invoice, json!({}))]),
        ("GET" | "POST", "/projects/{id}/files") => Tenant(vec![case(Project, none)]),
        ("GET", "/files/{id}" | "/files/{id}/versions" | "/files/{id}/reviews" | "/files/{id}/content") => {
            Tenant(vec![case(File, none.clone()), case(NoteFile, none)])
        }
        ("POST", "/comments/{id}/files") => Tenant(vec![case(Reply, none.clone()), case(Note, none)]),
        ("DELETE", "/files/{id}" | "/files/{id}/review") | ("POST", "/files/{id}/versions") => {
            Tenant(vec![case(File, none)])
        }
        ("POST", "/files/{id}/links" | "/files/{id}/review") => Tenant(vec![case(File, json!({}))]),
        ("POST", "/files/{id}/decision") => Tenant(vec![case(File, json!({"decision": "approved", "version": 1}))]),
        ("GET", "/clients/{id}/statement" | "/clients/{id}/statement/pdf") => Tenant(vec![case(Client, none.clone())]),
        ("GET", "/clients/{id}") => Staff(vec![case(Client, none)]),
        ("PATCH", "/clients/{id}") => Staff(vec![case(Client, json!({"name": "Pwned"}))]),
        ("DELETE", "/clients/{id}") => Staff(vec![case(Client, none)]),
        ("GET", "/clients/{id}/contacts") => Staff(vec![case(Client, none)]),
        ("POST", "/clients/{id}/contacts") => Staff(vec![case(Client, json!({"name": "X", "email": "x@x.test"}))]),
        ("GET", "/contacts/{id}") => Staff(vec![case(Contact, none)]),
        ("PATCH", "/contacts/{id}") => Staff(vec![case(Contact, json!({"name": "Pwned"}))]),
        ("DELETE", "/contacts/{id}") => Staff(vec![case(Contact, none)]),
        ("POST", "/contacts/{id}/invite") => Staff(vec![case(Contact, json!({"role": "client"}))]),
        ("POST", "/contacts/{id}/invite/revoke") => Staff(vec![case(Contact, json!({}))]),
        ("GET", "/users/{id}") => Staff(vec![case(ClientUser, none)]),
        ("PATCH", "/users/{id}") => Staff(vec![case(ClientUser, json!({"status": "deactivated"}))]),
        ("GET" | "DELETE", "/users/{id}/sessions") => Staff(vec![case(ClientUser, none.clone())]),
        ("POST", "/users/{id}/invitation") => Staff(vec![case(ClientUser, json!({}))]),
        ("POST", "/users/{id}/two-factor/reset") => Staff(vec![case(ClientUser, none.clone())]),
        // A Client Admin's team: their own account's people only; another's are not found.
        ("GET", "/team/members" | "/team/contacts") => Tenant(vec![]),
        ("GET", "/team/roles") => Own,
        // The permission catalogue: the product's, nobody's data.
        ("GET", "/permissions") => Own,
        ("POST", "/team/members") => {
            Tenant(vec![case(Contact, json!({"contact_id": "$contact", "role": "client_viewer"}))])
        }
        ("GET", "/team/members/{id}") => Tenant(vec![case(ClientUser, none.clone())]),
        ("PATCH", "/team/members/{id}") => Tenant(vec![
            case(ClientUser, json!({"status": "deactivated"})),
            case(ClientUser, json!({"role": "client_viewer"})),
        ]),
        ("POST", "/team/members/{id}/invitation") => Tenant(vec![case(ClientUser, json!({}))]),
        ("DELETE", "/team/members/{id}/invitation") => Tenant(vec![case(ClientUser, none.clone())]),
        ("DELETE", "/users/{id}/invitation") => Staff(vec![case(ClientUser, none.clone())]),
        // Ids of an account inside the body.
        ("POST", "/projects") => Staff(vec![case(Client, json!({"client_id": "$client", "name": "Pwned"}))]),
        ("POST", "/invoices") => Staff(vec![case(
            Client,
            json!({"client_id": "$client", "issue_date": "2026-01-10",
            "due_date": "2026-02-10", "currency": "EUR", "lines": [{"description": "X", "quantity": 1, "unit_price_cents": 1}]}),
        )]),
        ("POST", "/users") => Staff(vec![case(
            Client,
            json!({"email": "pwn@x.test", "name": "P", "role": "client",
            "client_id": "$client", "password": "a long password"}),
        )]),
        ("POST", "/webhooks") => Staff(vec![case(
            Client,
            json!({"url": "http://127.0.0.1:9/x",
            "event_types": ["task.updated"], "client_id": "$client"}),
        )]),
        ("POST", "/auth/impersonate") => Staff(vec![case(ClientUser, json!({"user_id": "$client_user"}))]),
        // The agency's own: nothing of an account in them.
        (
            "GET",
            "/clients" | "/users" | "/staff" | "/dashboard" | "/audit-log" | "/roles" | "/webhooks" | "/billing/aging",
        ) => Staff(vec![]),
        ("POST", "/clients" | "/roles") | ("GET" | "PATCH" | "DELETE", "/roles/{id}") => Staff(vec![]),
        // The portal metrics: the agency's view of every account, never a client's — refused to
        // every client role, also when naming their own account or another's in the query.
        ("GET", "/metrics/adoption" | "/metrics/awaiting-replies" | "/metrics/channels" | "/metrics/satisfaction") => {
            Staff(vec![query("client_id=$client")])
        }
        ("GET", "/metrics/responsiveness") => {
            Staff(vec![query("client_id=$client"), query("client_id=$client&project_id=$project&asked=by_agency")])
        }
        ("GET" | "PATCH", "/settings/portal") => Staff(vec![]),
        // Sent by every client role of another account (no id in it): refused before the
        // upload is read, and the agency's logo stays.
        ("PUT" | "DELETE", "/settings/logo") => Staff(vec![case(Client, none.clone())]),
        // The agency's logo: public, nothing of an account in it.
        ("GET", "/branding/logo") => Public,
        ("PATCH" | "DELETE", "/webhooks/{id}") | ("GET", "/webhooks/{id}/deliveries") => Staff(vec![]),
        ("POST", "/webhook-deliveries/{id}/redeliver") => Staff(vec![]),
        ("GET", "/webhook-event-types") => Staff(vec![]),
        // API keys are the agency's: a client (or a key) makes none, not even for its own account.
        ("GET", "/api-keys") => Staff(vec![]),
        ("GET", "/api-keys/{id}") => Staff(vec![case(ApiKey, none.clone())]),
        ("POST", "/api-keys") => Staff(vec![case(
            Client,
            json!({"name": "Pwned", "permissions": ["projects.read"], "client_id": "$client"}),
        )]),
        ("POST", "/api-keys/{id}/revoke") => Staff(vec![case(ApiKey, json!({}))]),
        _ => return None,
    })
}

/// The read a sweep makes of a GET without an id: its path, with the query an operation cannot
/// answer without (`words` for a search).
fn read_of(template: &str, words: &str) -> String {
    let path = template.strip_prefix("/api/v1").unwrap_or(template);
    match path {
        "/search" => format!("/search?q={words}"),
        // The whole feed, not only its first page (another account's project in `project_id`
        // is tests/api/activity.rs's).
        "/activity" if words == "a" => "/activity?limit=200".to_owned(),
        _ => path.to_owned(),
    }
}

/// Every operation the running server has, from its route table.
async fn operations(app: &TestApp) -> Vec<(String, String)> {
    let spec = app.http.get(app.url("/api/openapi.json")).send().await.unwrap().json::<Value>().await.unwrap();
    let mut ops = Vec::new();
    for (path, item) in spec["paths"].as_object().expect("paths") {
        for method in ["get", "post", "put", "patch", "delete"] {
            if item.get(method).is_some() {
                ops.push((method.to_uppercase(), path.clone()));
            }
        }
    }
    ops
}

/// The request a case makes against account `a`.
fn request(a: &Account, path: &str, case: &Case) -> (String, Value) {
    let mut path = path.strip_prefix("/api/v1").unwrap_or(path).replace("{id}", &id(a, case.path_id).to_string());
    if let Some(q) = case.query {
        path = format!("{path}?{q}");
    }
    let mut body = case.body.to_string();
    for (name, of) in [
        ("$client_user", Of::ClientUser),
        ("$client", Of::Client),
        ("$project", Of::Project),
        ("$contact", Of::Contact),
    ] {
        body = body.replace(name, &id(a, of).to_string());
        path = path.replace(name, &id(a, of).to_string());
    }
    (path, serde_json::from_str(&body).unwrap())
}

/// The caller's own writes, each with a body that passes validation. They name nothing of
/// anyone else, so another account's callers make them on themselves and account A is left
/// as it was; their answers are read for Notes too. `None` for one the sweeps leave out.
fn own_write(method: &str, path: &str) -> Option<Value> {
    let wrong_code = json!({"password": PASSWORD, "code": "000000"});
    Some(match (method, path.strip_prefix("/api/v1").unwrap_or(path)) {
        ("PATCH", "/me") => json!({"name": "Swept"}),
        ("PUT", "/me/notification-preferences") => json!([]),
        ("POST", "/notifications/read-all") => Value::Null,
        ("POST", "/events/ticket") => json!({}),
        ("POST", "/auth/impersonate/end") => json!({}),
        ("POST", "/me/two-factor/setup") => json!({"password": PASSWORD}),
        ("POST", "/me/two-factor/confirm") => json!({"code": "000000"}),
        ("POST", "/me/two-factor/recovery-codes" | "/me/two-factor/disable") => wrong_code,
        // Ends the caller's own other logins and with them this token's epoch: the devices
        // tests cover it, and the sweep needs its token afterwards.
        ("DELETE", "/me/sessions") => return None,
        (method, path) => panic!("{method} {path} is the caller's own: give it a body in own_write"),
    })
}

/// Account A's Client user notified and asked how satisfied they are (a task of theirs done),
/// so a notification and a survey of theirs can be named.
async fn notified(app: &TestApp, a: &mut Account) {
    let admin = app.admin().await;
    let surveys = json!({"surveys": {"on_task_done": true, "on_project_completed": true, "every_weeks": null}});
    app.patch("/settings/portal", &admin, surveys).await.assert(200);
    app.patch(&format!("/tasks/{}", a.task_id), &admin, json!({"status": "done"})).await.assert(200);
    let client = app.token(a.email("client")).await;
    let theirs = app.get("/notifications", &client).await.items();
    let first =
        theirs.iter().find(|n| n["kind"] == "task_done").unwrap_or_else(|| panic!("the Client user was not notified"));
    a.notification_id = Some(first["id"].as_str().unwrap().parse().unwrap());
    let asked = app.get("/surveys", &client).await.body;
    a.survey_id = Some(asked[0]["id"].as_str().unwrap_or_else(|| panic!("not asked: {asked}")).parse().unwrap());
}

/// Account A as staff see it through every read of its things.
async fn snapshot(app: &TestApp, ops: &[(String, String)], a: &Account) -> Vec<(String, Value)> {
    let admin = app.admin().await;
    let mut out = Vec::new();
    for (method, path) in ops.iter().filter(|(m, _)| m == "GET") {
        let cases = match classify(method, path) {
            Some(Class::Tenant(cases) | Class::Staff(cases)) => cases,
            _ => continue,
        };
        for case in cases {
            let (path, _) = request(a, path, &case);
            // The metrics are figures over the rows read here (and over now, which moves on).
            if path.starts_with("/metrics/") {
                continue;
            }
            out.push((path.clone(), app.get(&path, &admin).await.body));
        }
    }
    out
}

#[tokio::test]
async fn every_operation_of_the_server_is_classified() {
    let app = spawn_app().await;
    let ops = operations(&app).await;
    assert!(ops.len() > 60, "the route table: {ops:?}");
    let unclassified: Vec<_> = ops.iter().filter(|(m, p)| classify(m, p).is_none()).collect();
    assert!(unclassified.is_empty(), "classify these in tests/api/isolation.rs (who are they for?): {unclassified:?}");
}

#[tokio::test]
async fn a_client_of_another_account_gets_404_for_every_id_on_every_operation_and_changes_nothing() {
    sweep_against_another_account(spawn_app().await).await;
}

/// On PostgreSQL the suite runs behind row-level security, which would hide a scope the
/// application forgot; this sweep runs without it, so the application's own scope is tested.
#[tokio::test]
async fn the_sweep_holds_on_the_applications_own_scope_without_row_level_security() {
    let app = spawn_app_with(|s| s.row_level_security = false).await;
    if app.backend == Backend::Postgres {
        sweep_against_another_account(app).await;
    }
}

/// Makes an API key held to account `a` with everything its Client Admin holds, notes its id
/// on the account (the sweeps name it) and answers its secret.
async fn held_key(app: &TestApp, a: &mut Account) -> String {
    let (id, secret) = app.client_key_with_id(a.client_id).await;
    a.api_key_id = Some(id);
    secret
}

/// Everyone who acts for account `a`: a user of each client role, and its API key `key`.
async fn identities(app: &TestApp, a: &Account, key: String) -> Vec<(&'static str, String)> {
    let mut all = Vec::new();
    for role in CLIENT_ROLES {
        all.push((role, app.token(a.email(role)).await));
    }
    all.push(("client_api_key", key));
    all
}

async fn sweep_against_another_account(app: TestApp) {
    let mut world = app.world().await;
    // Account A's Client user signed in, so their login is something to try to end, and the
    // staff snapshot (their devices among it) would show it gone.
    let a_client = app.token(world.a.email("client")).await;
    world.a.session_id =
        Some(app.get("/me/sessions", &a_client).await.items()[0]["id"].as_str().unwrap().parse().unwrap());
    let ops = operations(&app).await;
    held_key(&app, &mut world.a).await;
    notified(&app, &mut world.a).await;
    let b_key = held_key(&app, &mut world.b).await;
    let b = identities(&app, &world.b, b_key).await;
    let before = snapshot(&app, &ops, &world.a).await;
    let mut swept = BTreeSet::new();
    for (role, token) in &b {
        for (method, template) in &ops {
            // A key is refused what only a person may do (their devices) whatever it names.
            let person_only = *role == "client_api_key" && template.starts_with("/api/v1/me/");
            let (cases, allowed): (_, &[u16]) = match classify(method, template) {
                Some(Class::Tenant(cases)) if person_only => (cases, &[403, 404]),
                Some(Class::Tenant(cases)) => (cases, &[404]),
                // Staff-only: refused whatever it names; another account's id is not found.
                Some(Class::Staff(cases)) if cases.is_empty() && method == "GET" => {
                    (vec![case(Of::Client, Value::Null)], &[403, 404])
                }
                Some(Class::Staff(cases)) => (cases, &[403, 404]),
                _ => continue,
            };
            for case in &cases {
                let (path, body) = request(&world.a, template, case);
                let method = Method::from_bytes(method.as_bytes()).unwrap();
                let res = app.send(method.clone(), &path, Some(token), (!body.is_null()).then_some(&body)).await;
                assert!(allowed.contains(&res.status.as_u16()), "{role} {method} {path} {body}: {}", res.text);
                assert!(res.headers["content-type"].to_str().unwrap().starts_with("application/problem+json"));
                swept.insert(format!("{method} {template}"));
            }
        }
    }
    // The caller's own writes, made by every client role of B on themselves: each answers
    // (or refuses) without a 500, names nothing of A, and A is unchanged (the snapshot below).
    for (role, token) in &b {
        for (method, template) in ops.iter().filter(|(m, _)| m != "GET") {
            if !matches!(classify(method, template), Some(Class::Own)) {
                continue;
            }
            let Some(body) = own_write(method, template) else { continue };
            let path = template.strip_prefix("/api/v1").unwrap_or(template);
            let method = Method::from_bytes(method.as_bytes()).unwrap();
            let res = app.send(method.clone(), path, Some(token), (!body.is_null()).then_some(&body)).await;
            assert!(
                [200, 201, 204, 403, 409, 422].contains(&res.status.as_u16()),
                "{role} {method} {path}: {}",
                res.text
            );
            for a in [world.a.client_id, world.a.user_ids["client"], world.a.task_id, world.a.project_id] {
                assert!(!res.text.contains(&a.to_string()), "{role} {method} {path} names account A's {a}");
            }
            swept.insert(format!("{method} {template}"));
        }
    }
    // The reads that name no id — the caller's own lists (their team, their projects) and
    // their own things — hold nothing of account A, for every client role of B.
    let a_ids: Vec<String> = [
        Of::Client,
        Of::Contact,
        Of::ClientUser,
        Of::Project,
        Of::Task,
        Of::Reply,
        Of::Note,
        Of::Invoice,
        Of::Draft,
        Of::File,
        Of::NoteFile,
        Of::Session,
        Of::ApiKey,
    ]
    .iter()
    .map(|of| id(&world.a, *of).to_string())
    .chain(world.a.user_ids.values().map(|u| u.to_string()))
    .chain(world.a.users.values().cloned())
    .collect();
    for (role, token) in &b {
        for (method, template) in ops.iter().filter(|(m, _)| m == "GET") {
            match classify(method, template) {
                Some(Class::Own) => {}
                Some(Class::Tenant(cases)) if cases.is_empty() => {}
                _ => continue,
            }
            // "a" is in every name of account A ("Task a", "Reply on a").
            let res = app.get(&read_of(template, "a"), token).await;
            assert!([200, 403].contains(&res.status.as_u16()), "{role} GET {template}: {}", res.text);
            for a in &a_ids {
                assert!(!res.text.contains(a.as_str()), "{role} GET {template} names account A's {a}");
            }
            swept.insert(format!("GET {template}"));
        }
    }
    assert!(swept.len() >= 45, "{} operations swept: {swept:?}", swept.len());
    for op in ["POST /api/v1/me/two-factor/setup", "POST /api/v1/notifications/{id}/read", "GET /api/v1/me/two-factor"]
    {
        assert!(swept.contains(op), "{op} was not swept");
    }
    assert_eq!(before, snapshot(&app, &ops, &world.a).await, "account A changed");
}

#[tokio::test]
async fn a_missing_id_and_a_foreign_id_look_exactly_alike() {
    let app = spawn_app().await;
    let world = app.world().await;
    let token = app.token(world.b.email("client")).await;
    let foreign = app.get(&format!("/tasks/{}", world.a.task_id), &token).await;
    let missing = app.get(&format!("/tasks/{}", uuid::Uuid::now_v7()), &token).await;
    assert_eq!(foreign.status, missing.status);
    assert_eq!(foreign.body, missing.body);
}

#[tokio::test]
async fn client_lists_hold_only_their_own_account_even_when_asking_for_another() {
    let app = spawn_app().await;
    let world = app.world().await;
    let token = app.token(world.b.email("client")).await;
    let a_ids = [world.a.project_id, world.a.task_id, world.a.invoice_id, world.a.draft_invoice_id, world.a.file_id]
        .map(|id| id.to_string());
    for path in ["/projects", "/tasks", "/invoices", "/portal", "/files", "/files?review=pending", "/search?q=a"]
        .into_iter()
        .map(String::from)
        .chain([
            format!("/projects?client_id={}", world.a.client_id),
            format!("/tasks?client_id={}", world.a.client_id),
            format!("/tasks?project_id={}", world.a.project_id),
            format!("/invoices?client_id={}", world.a.client_id),
        ])
    {
        let res = app.get(&path, &token).await;
        res.assert(200);
        for id in &a_ids {
            assert!(!res.text.contains(id.as_str()), "{path} leaks {id}");
        }
    }
    let own = app.get("/projects", &token).await.items();
    assert_eq!(own.len(), 1);
    assert_eq!(own[0]["id"], world.b.project_id.to_string());
    // Drafts of their own account stay hidden too.
    assert!(!app.get("/invoices", &token).await.text.contains(&world.b.draft_invoice_id.to_string()));
}

#[tokio::test]
async fn a_role_lacking_a_permission_on_its_own_data_gets_403() {
    let app = spawn_app().await;
    let world = app.world().await;
    let b = &world.b;
    let cases: [(&str, Method, String, Value); 6] = [
        ("client_finance", Method::GET, format!("/projects/{}", b.project_id), Value::Null),
        ("client_finance", Method::GET, format!("/tasks/{}/comments", b.task_id), Value::Null),
        ("client_viewer", Method::GET, format!("/invoices/{}", b.invoice_id), Value::Null),
        (
            "client_viewer",
            Method::POST,
            format!("/tasks/{}/comments", b.task_id),
            json!({"body": "hi", "visibility": "reply"}),
        ),
        ("client_admin", Method::PATCH, format!("/tasks/{}", b.task_id), json!({"status": "done"})),
        ("client", Method::GET, format!("/clients/{}", b.client_id), Value::Null),
    ];
    for (role, method, path, body) in cases {
        let token = app.token(b.email(role)).await;
        let body = (!body.is_null()).then_some(&body);
        app.send(method.clone(), &path, Some(&token), body).await.assert_problem(403);
    }
}

#[tokio::test]
async fn the_note_canary_never_appears_in_any_client_output() {
    // A weekly summary goes out now, so it is among the outputs read.
    let weekday = chrono::Datelike::weekday(&chrono::Utc::now()).number_from_monday();
    let app = spawn_app_with(move |s| {
        s.scheduler_interval_secs = 1;
        s.weekly_summary_weekday = weekday;
        s.weekly_summary_hour = 0;
    })
    .await;
    let hooks = Receiver::start(&[]).await;
    let mut world = app.world().await;
    let keys = [held_key(&app, &mut world.a).await, held_key(&app, &mut world.b).await];
    let admin = app.admin().await;
    let kinds = ["task.updated", "comment.created", "comment.updated", "comment.deleted", "invoice.sent"];
    for account in [&world.a, &world.b] {
        let scoped = json!({"url": hooks.url, "event_types": kinds, "client_id": account.client_id});
        app.post("/webhooks", &admin, scoped).await.assert(201);
    }
    // Staff work the Note over in every way a change could carry it out.
    for account in [&world.a, &world.b] {
        let note = format!("/comments/{}", account.note_id);
        app.patch(&note, &admin, json!({"body": format!("Edited {CANARY}")})).await.assert(200);
        let path = format!("/tasks/{}/comments", account.task_id);
        app.post(&path, &admin, json!({"body": format!("Another {CANARY}"), "visibility": "note"})).await.assert(201);
        app.patch(&format!("/tasks/{}", account.task_id), &admin, json!({"priority": "high"})).await.assert(200);
    }
    // Each account's people asked how satisfied they are (a task done), so their open surveys
    // and the survey's notification and e-mail are among the outputs read.
    let surveys = json!({"surveys": {"on_task_done": true, "on_project_completed": true, "every_weeks": null}});
    app.patch("/settings/portal", &admin, surveys).await.assert(200);
    for account in [&world.a, &world.b] {
        app.patch(&format!("/tasks/{}", account.task_id), &admin, json!({"status": "done"})).await.assert(200);
        let asked = app.get("/surveys", &app.token(account.email("client")).await).await;
        assert_eq!(asked.body.as_array().map(Vec::len), Some(1), "{}", asked.text);
    }
    // The canary is really there for staff.
    assert!(app.get(&format!("/tasks/{}/comments", world.a.task_id), &admin).await.text.contains(CANARY));
    let ops = operations(&app).await;
    let mut read = BTreeSet::new();
    let mut invitees = BTreeSet::new();
    for (account, key) in [&world.a, &world.b].into_iter().zip(keys) {
        for (role, token) in identities(&app, account, key).await {
            // Every read of the server, with the ids of the reader's own account.
            for (method, template) in ops.iter().filter(|(m, _)| m == "GET") {
                let paths: Vec<String> = match classify(method, template) {
                    Some(Class::Own) => vec![template.clone()],
                    Some(Class::Tenant(cases) | Class::Staff(cases)) if cases.is_empty() => {
                        let mut reads: Vec<_> = ["internal", CANARY, "a"].map(|w| read_of(template, w)).into();
                        reads.dedup();
                        reads
                    }
                    Some(Class::Tenant(cases) | Class::Staff(cases)) => {
                        cases.iter().map(|c| request(account, template, c).0).collect()
                    }
                    _ => continue,
                };
                for path in paths {
                    let path = path.strip_prefix("/api/v1").map(str::to_owned).unwrap_or(path);
                    let more = if path.contains('?') { '&' } else { '?' };
                    for path in [path.clone(), format!("{path}{more}include=comments&visibility=note")] {
                        let res = app.get(&path, &token).await;
                        assert!(!res.text.contains(CANARY), "{role} GET {path} leaked a Note: {}", res.text);
                        assert!(res.status.as_u16() != 500, "{role} GET {path}: {}", res.text);
                        // A PDF's text is compressed: read it as its reader would.
                        if res.status.is_success() && res.headers["content-type"] == "application/pdf" {
                            let (_, _, bytes) = app.bytes(&path, Some(&token), &[]).await;
                            assert!(!pdf::text(&bytes).contains(CANARY), "{role} GET {path}: a PDF leaked a Note");
                        }
                    }
                    read.insert(template.clone());
                }
            }
            // What the file writes a client may make answer: a download link (and where it
            // leads) for the account's file and, not found, for its Note's attachment.
            for file in [account.file_id, account.note_file_id] {
                let link = app.post(&format!("/files/{file}/links"), &token, json!({})).await;
                assert!(!link.text.contains(CANARY), "{role} POST /files/{file}/links leaked a Note");
                if let Some(url) = link.body["url"].as_str() {
                    let (_, _, bytes) = app.bytes(url, None, &[]).await;
                    assert!(!String::from_utf8_lossy(&bytes).contains(CANARY), "{role}: a link led to a Note");
                }
            }
            // What a Client Admin's team writes answer, and the invitation they send.
            if role == "client_admin" {
                let invitee = format!("canary-invitee@{}.test", account.client_id);
                let body = json!({"email": invitee, "name": "Invitee", "role": "client_viewer"});
                let invited = app.post("/team/members", &token, body).await;
                let member = format!("/team/members/{}", invited.assert(201).id());
                let answers = [
                    invited,
                    app.patch(&member, &token, json!({"role": "client"})).await,
                    app.post(&format!("{member}/invitation"), &token, json!({})).await,
                ];
                for res in answers {
                    assert!(!res.text.contains(CANARY), "{role}: a team write leaked a Note: {}", res.text);
                }
                invitees.insert(invitee);
            }
            // What the caller's own writes answer.
            for (method, template) in ops.iter().filter(|(m, _)| m != "GET") {
                if !matches!(classify(method, template), Some(Class::Own)) {
                    continue;
                }
                let Some(body) = own_write(method, template) else { continue };
                let path = template.strip_prefix("/api/v1").unwrap_or(template);
                let method = Method::from_bytes(method.as_bytes()).unwrap();
                let res = app.send(method.clone(), path, Some(&token), (!body.is_null()).then_some(&body)).await;
                assert!(!res.text.contains(CANARY), "{role} {method} {path} leaked a Note: {}", res.text);
                read.insert(template.clone());
            }
            // The event stream, replayed from the start.
            let events = app.replay_all(&token).await;
            assert!(events.iter().all(|f| !f.data.to_string().contains(CANARY)), "{role}: the stream leaked a Note");
        }
    }
    assert!(read.len() >= 15, "{read:?}");
    // Let the weekly summary and the deliveries go out, then read what left the building.
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(10);
    while !app
        .get("/notifications?limit=200", &app.token(world.a.email("client")).await)
        .await
        .text
        .contains("weekly_summary")
    {
        assert!(tokio::time::Instant::now() < deadline, "no weekly summary was sent");
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    let db = app.db.connect().await;
    let client_emails: BTreeSet<String> =
        [&world.a, &world.b].iter().flat_map(|a| a.users.values().cloned()).chain(invitees).collect();
    let mails = outbox::Entity::find().all(&db).await.unwrap();
    let to_clients: Vec<_> = mails.iter().filter(|m| client_emails.contains(&m.to_email)).collect();
    assert!(to_clients.iter().any(|m| m.kind == "weekly_summary"), "the clients were mailed their summaries");
    assert!(to_clients.iter().any(|m| m.kind == "invitation"), "the invitees were mailed their invitations");
    for mail in to_clients {
        let all = format!("{} {} {}", mail.subject, mail.text_body, mail.html_body);
        assert!(!all.contains(CANARY), "an e-mail ({}) to {} leaked a Note", mail.kind, mail.to_email);
    }
    let deliveries = webhook_delivery::Entity::find().all(&db).await.unwrap();
    assert!(!deliveries.is_empty());
    assert!(deliveries.iter().all(|d| !d.body.contains(CANARY)), "a webhook body leaked a Note");
    let received = hooks.wait_for(1).await;
    assert!(received.iter().all(|h| !h.body.contains(CANARY)));
}
