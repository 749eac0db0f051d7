//! A Client Admin runs their own account's team (`team.manage`): invites colleagues by e-mail,
//! resends and revokes those invitations, changes their client roles and deactivates them —
//! never beyond their own permissions, never in another account, audited and announced to the
//! agency's staff, and only while the agency lets the account do so.
use portico_blackbox::{smtp::SmtpSink, *};
use reqwest::Method;
use serde_json::{Value, json};

async fn app_with_mail() -> (TestApp, SmtpSink) {
    let sink = SmtpSink::start().await;
    let port = sink.port;
    let app = spawn_app_with(move |s| smtp::send_mail_to(s, port)).await;
    (app, sink)
}

async fn accept(app: &TestApp, token: &str) -> Res {
    let body = json!({"token": token, "password": "a fine new password"});
    app.send(Method::POST, "/auth/invitations/accept", None, Some(&body)).await
}

async fn audit(app: &TestApp, action: &str) -> Vec<Value> {
    app.get(&format!("/audit-log?action={action}"), &app.admin().await).await.items()
}

async fn team_notices(app: &TestApp, email: &str) -> Vec<Value> {
    let token = app.token(email).await;
    app.get("/notifications?limit=200", &token)
        .await
        .items()
        .into_iter()
        .filter(|n| n["kind"] == "team_change")
        .collect()
}

/// A colleague at `client` who runs the team but reads only projects and tasks: the custom
/// role `client_lead`, and their token.
async fn narrow_lead(app: &TestApp, client: uuid::Uuid) -> String {
    let narrow = json!({"key": "client_lead", "name": "Client Lead", "kind": "client",
        "permissions": ["projects.read", "tasks.read", "team.manage"]});
    app.post("/roles", &app.admin().await, narrow).await.assert(201);
    app.create_user("lead@a.test", "client_lead", Some(client)).await;
    app.token("lead@a.test").await
}

fn emails(members: &[Value]) -> Vec<&str> {
    members.iter().map(|m| m["email"].as_str().unwrap()).collect()
}

#[tokio::test]
async fn a_client_admin_invites_a_colleague_who_accepts_and_joins_their_own_account() {
    let (app, sink) = app_with_mail().await;
    let world = app.world().await;
    let a = &world.a;
    let boss = app.token(a.email("client_admin")).await;
    let grantable = app.get("/team/roles", &boss).await;
    let keys: Vec<&str> =
        grantable.assert(200).body.as_array().unwrap().iter().map(|r| r["key"].as_str().unwrap()).collect();
    assert_eq!(keys.len(), 4, "every built-in client role is within a Client Admin's own: {keys:?}");
    for key in CLIENT_ROLES {
        assert!(keys.contains(&key), "{key} in {keys:?}");
    }

    let invited = app
        .post("/team/members", &boss, json!({"email": "Pat@A.test", "name": "Pat Newcomer", "role": "client_viewer"}))
        .await;
    invited.assert(201);
    assert_eq!(invited.body["status"], "invited");
    assert_eq!(invited.body["role"], "client_viewer");
    assert_eq!(invited.body["email"], "pat@a.test");
    assert!(invited.body["invitation_expires_at"].is_string());
    let pat = invited.id();

    let mail = sink.wait_for("pat@a.test").await;
    let session = accept(&app, &mail.token("accept-invitation")).await;
    session.assert(200);
    assert_eq!(session.body["user"]["client_id"], a.client_id.to_string());
    assert_eq!(session.body["user"]["role"], "client_viewer");
    let newcomer = session.body["access_token"].as_str().unwrap();
    app.get(&format!("/projects/{}", a.project_id), newcomer).await.assert(200);
    app.get(&format!("/projects/{}", world.b.project_id), newcomer).await.assert_problem(404);

    // The team lists them as active; the agency sees them among the account's contacts.
    let members = app.get("/team/members?limit=200", &boss).await.items();
    let listed = members.iter().find(|m| m["id"] == pat.to_string()).expect("the newcomer is listed");
    assert_eq!(listed["status"], "active");
    assert!(emails(&members).iter().all(|e| e.ends_with("@a.test")), "only account A: {members:?}");
    let admin = app.admin().await;
    let contacts = app.get(&format!("/clients/{}/contacts", a.client_id), &admin).await.items();
    let contact = contacts.iter().find(|c| c["email"] == "pat@a.test").expect("a contact was made");
    assert_eq!(contact["portal_access"], "active");

    // Audited as the Client Admin's doing, and announced to staff who look after accounts.
    let sent = audit(&app, "invitation.sent").await;
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0]["actor_id"], a.user_ids["client_admin"].to_string());
    let notices = team_notices(&app, &world.manager).await;
    assert_eq!(notices.len(), 1, "the manager (clients.write) hears of it");
    let title = notices[0]["title"].as_str().unwrap();
    assert!(title.contains("Client a") && title.contains("pat@a.test") && title.contains("Client Viewer"), "{title}");
    assert!(team_notices(&app, &world.member).await.is_empty(), "a member (no clients.write) does not");
}

#[tokio::test]
async fn a_client_admin_invites_one_of_the_accounts_contacts_and_no_one_elses() {
    let (app, sink) = app_with_mail().await;
    let world = app.world().await;
    let boss = app.token(world.a.email("client_admin")).await;
    let contacts = app.get("/team/contacts", &boss).await.items();
    assert_eq!(contacts.len(), 1, "{contacts:?}");
    assert_eq!(contacts[0]["portal_access"], "none");
    let body = json!({"contact_id": world.a.contact_id, "role": "client"});
    app.post("/team/members", &boss, body).await.assert(201);
    sink.wait_for("contact@a.test").await;
    assert_eq!(app.get("/team/contacts", &boss).await.items()[0]["portal_access"], "invited");

    // Another account's contact is unknown; another account's or staff's e-mail is refused
    // without saying whose it is.
    let foreign = json!({"contact_id": world.b.contact_id, "role": "client"});
    app.post("/team/members", &boss, foreign).await.assert_problem(404);
    let mut details = Vec::new();
    for email in [world.b.email("client"), world.manager.as_str()] {
        let res = app.post("/team/members", &boss, json!({"email": email, "name": "X", "role": "client"})).await;
        res.assert_problem(409);
        details.push(res.body["detail"].clone());
    }
    assert_eq!(details[0], details[1], "staff's and another account's addresses are refused alike");
    assert!(!details[0].as_str().unwrap().contains("another account"), "{}", details[0]);
    let both = json!({"contact_id": world.a.contact_id, "email": "x@a.test", "name": "X", "role": "client"});
    app.post("/team/members", &boss, both).await.assert_problem(422);
    // Someone who already signs in is not invited again.
    let body = json!({"email": world.a.email("client"), "name": "Again", "role": "client"});
    app.post("/team/members", &boss, body).await.assert_problem(409);
    let incomplete = app.post("/team/members", &boss, json!({"email": "solo@a.test", "role": "client"})).await;
    incomplete.assert_problem(422);
    assert_eq!(team_notices(&app, &world.manager).await.len(), 1, "only the invitation that went out is announced");
}

#[tokio::test]
async fn a_client_admin_grants_nothing_beyond_their_own_permissions() {
    let app = spawn_app().await;
    let world = app.world().await;
    let admin = app.admin().await;
    let lead = narrow_lead(&app, world.a.client_id).await;

    let roles = app.get("/team/roles", &lead).await.body;
    let keys: Vec<&str> = roles.as_array().unwrap().iter().map(|r| r["key"].as_str().unwrap()).collect();
    assert_eq!(keys, ["client_lead", "client_viewer"], "only roles within projects, tasks and the team");
    for (role, status) in [("client", 403), ("client_admin", 403), ("manager", 422), ("no_such_role", 422)] {
        let body = json!({"email": format!("{role}@a.test"), "name": "X", "role": role});
        app.post("/team/members", &lead, body).await.assert_problem(status);
    }
    let body = json!({"email": "viewer2@a.test", "name": "V", "role": "client_viewer"});
    app.post("/team/members", &lead, body).await.assert(201);

    // A colleague holding more (the Client Admin) is not the lead's to demote or deactivate;
    // nor is a colleague to be raised beyond the lead.
    let stronger = format!("/team/members/{}", world.a.user_ids["client_admin"]);
    app.patch(&stronger, &lead, json!({"status": "deactivated"})).await.assert_problem(403);
    let viewer = format!("/team/members/{}", world.a.user_ids["client_viewer"]);
    app.patch(&viewer, &lead, json!({"role": "client"})).await.assert_problem(403);
    app.patch(&viewer, &lead, json!({"role": "manager"})).await.assert_problem(422);
    app.patch(&viewer, &lead, json!({"role": "client_lead"})).await.assert(200);
    // Nor their own role or status.
    let me = app.get("/me", &lead).await.id();
    app.patch(&format!("/team/members/{me}"), &lead, json!({"role": "client_viewer"})).await.assert_problem(409);
    app.patch(&format!("/team/members/{me}"), &lead, json!({"status": "deactivated"})).await.assert_problem(409);
    let admin_after = app.get(&format!("/users/{}", world.a.user_ids["client_admin"]), &admin).await;
    assert_eq!(admin_after.body["status"], "active");
}

#[tokio::test]
async fn a_client_admin_changes_a_colleagues_role_and_deactivates_and_reactivates_them() {
    let app = spawn_app().await;
    let world = app.world().await;
    let a = &world.a;
    let boss = app.token(a.email("client_admin")).await;
    let colleague = app.token(a.email("client")).await;
    let path = format!("/team/members/{}", a.user_ids["client"]);

    let changed = app.patch(&path, &boss, json!({"role": "client_finance"})).await;
    changed.assert(200);
    assert_eq!(changed.body["role"], "client_finance");
    assert_eq!(changed.body["role_name"], "Client Finance");
    // On the colleague's very next request.
    app.get(&format!("/projects/{}", a.project_id), &colleague).await.assert_problem(403);
    app.get(&format!("/invoices/{}", a.invoice_id), &colleague).await.assert(200);

    app.patch(&path, &boss, json!({"status": "deactivated"})).await.assert(200);
    app.get("/me", &colleague).await.assert_problem(401);
    app.login(a.email("client"), PASSWORD).await.assert_problem(401);
    let back = app.patch(&path, &boss, json!({"status": "active"})).await;
    assert_eq!(back.assert(200).body["status"], "active");
    app.login(a.email("client"), PASSWORD).await.assert(200);

    for action in ["user.role_changed", "user.deactivated", "user.reactivated"] {
        let entries = audit(&app, action).await;
        assert_eq!(entries.len(), 1, "{action}");
        assert_eq!(entries[0]["actor_id"], a.user_ids["client_admin"].to_string(), "{action}");
    }
    let notices = team_notices(&app, &world.manager).await;
    let titles: Vec<&str> = notices.iter().map(|n| n["title"].as_str().unwrap()).collect();
    assert_eq!(titles.len(), 3, "{titles:?}");
    assert!(titles.iter().any(|t| t.contains("Client Finance")), "{titles:?}");
    assert!(titles.iter().any(|t| t.contains("deactivated")) && titles.iter().any(|t| t.contains("reactivated")));
}

#[tokio::test]
async fn a_resent_invitation_retires_the_old_link_and_a_revoked_one_the_new() {
    let (app, sink) = app_with_mail().await;
    let world = app.world().await;
    let boss = app.token(world.a.email("client_admin")).await;
    let body = json!({"email": "pat@a.test", "name": "Pat", "role": "client"});
    let pat = app.post("/team/members", &boss, body).await.assert(201).id();
    let first = sink.wait_for_nth("pat@a.test", 0).await.token("accept-invitation");
    let resent = app.post(&format!("/team/members/{pat}/invitation"), &boss, json!({})).await;
    assert_eq!(resent.assert(200).body["resent"], true);
    let second = sink.wait_for_nth("pat@a.test", 1).await.token("accept-invitation");
    accept(&app, &first).await.assert_problem(400);
    app.delete(&format!("/team/members/{pat}/invitation"), &boss).await.assert(204);
    accept(&app, &second).await.assert_problem(400);
    assert_eq!(app.get(&format!("/team/members/{pat}"), &boss).await.body["invitation_expires_at"], Value::Null);
    app.delete(&format!("/team/members/{pat}/invitation"), &boss).await.assert_problem(409);
    // Someone who signs in already has nothing to resend.
    let active = format!("/team/members/{}/invitation", world.a.user_ids["client"]);
    app.post(&active, &boss, json!({})).await.assert_problem(409);
    for action in ["invitation.sent", "invitation.resent", "invitation.revoked"] {
        assert_eq!(audit(&app, action).await.len(), 1, "{action}");
    }
}

#[tokio::test]
async fn the_team_is_a_client_admins_alone_and_another_accounts_people_are_not_found() {
    let app = spawn_app().await;
    let world = app.world().await;
    let (a, b) = (&world.a, &world.b);
    let foreign = format!("/team/members/{}", a.user_ids["client"]);
    for role in CLIENT_ROLES {
        let token = app.token(b.email(role)).await;
        app.get(&foreign, &token).await.assert_problem(404);
        app.patch(&foreign, &token, json!({"status": "deactivated"})).await.assert_problem(404);
        app.post(&format!("{foreign}/invitation"), &token, json!({})).await.assert_problem(404);
        app.delete(&format!("{foreign}/invitation"), &token).await.assert_problem(404);
    }
    // Without `team.manage`, one's own account's team is forbidden, not empty.
    for role in ["client", "client_finance", "client_viewer"] {
        let token = app.token(b.email(role)).await;
        for path in ["/team/members", "/team/contacts", "/team/roles"] {
            app.get(path, &token).await.assert_problem(403);
        }
        app.get(&format!("/team/members/{}", b.user_ids["client"]), &token).await.assert_problem(403);
        let body = json!({"email": "x@b.test", "name": "X", "role": "client_viewer"});
        app.post("/team/members", &token, body).await.assert_problem(403);
    }
    // Staff manage users under Users.
    let admin = app.admin().await;
    app.get("/team/members", &admin).await.assert_problem(403);
    // B's Client Admin sees exactly B's people.
    let listed = app.get("/team/members?limit=200", &app.token(b.email("client_admin")).await).await.items();
    let mut got = emails(&listed);
    got.sort();
    let mut expected: Vec<&str> = b.users.values().map(String::as_str).collect();
    expected.sort();
    assert_eq!(got, expected);
    let after = app.get(&format!("/users/{}", a.user_ids["client"]), &admin).await;
    assert_eq!(after.body["status"], "active", "account A unchanged");
    let contacts = app.get("/team/contacts?limit=200", &app.token(b.email("client_admin")).await).await;
    assert!(contacts.text.contains(&b.contact_id.to_string()));
    assert!(
        !contacts.text.contains(&a.contact_id.to_string()) && !contacts.text.contains("@a.test"),
        "{}",
        contacts.text
    );
}

#[tokio::test]
async fn a_reinvitation_reaches_only_a_colleague_the_caller_may_manage() {
    let app = spawn_app().await;
    let world = app.world().await;
    let admin = app.admin().await;
    let lead = narrow_lead(&app, world.a.client_id).await;
    // The agency invites the account's contact as a Client Admin, then corrects its e-mail.
    let contact = world.a.contact_id;
    app.post(&format!("/contacts/{contact}/invite"), &admin, json!({"role": "client_admin"})).await.assert(201);
    let again = json!({"contact_id": contact, "role": "client_viewer"});
    app.post("/team/members", &lead, again.clone()).await.assert_problem(403);
    app.patch(&format!("/contacts/{contact}"), &admin, json!({"email": "renamed@a.test"})).await.assert(200);
    app.post("/team/members", &lead, again.clone()).await.assert_problem(403);
    let pending = app.get(&format!("/contacts/{contact}"), &admin).await.body["user_id"].as_str().unwrap().to_owned();
    assert_eq!(
        app.get(&format!("/users/{pending}"), &admin).await.body["role"],
        "client_admin",
        "still a Client Admin"
    );
    // Their Client Admin may: the pending colleague is re-invited with the new role.
    let boss = app.token(world.a.email("client_admin")).await;
    app.post("/team/members", &boss, again).await.assert(201);
    assert_eq!(app.get(&format!("/users/{pending}"), &admin).await.body["role"], "client_viewer");
}

#[tokio::test]
async fn someone_the_agency_deactivated_stays_the_agencys_to_bring_back() {
    let app = spawn_app().await;
    let world = app.world().await;
    let admin = app.admin().await;
    let boss = app.token(world.a.email("client_admin")).await;
    let shut_out = world.a.user_ids["client"];
    app.patch(&format!("/users/{shut_out}"), &admin, json!({"status": "deactivated"})).await.assert(200);
    let res = app.patch(&format!("/team/members/{shut_out}"), &boss, json!({"status": "active"})).await;
    res.assert_problem(403);
    assert!(res.body["detail"].as_str().unwrap().contains("agency"), "{}", res.text);
    // Nor is an invitation a way back in.
    let body = json!({"email": world.a.email("client"), "name": "Back", "role": "client"});
    let reinvite = app.post("/team/members", &boss, body).await;
    reinvite.assert_problem(409);
    assert!(reinvite.body["detail"].as_str().unwrap().contains("deactivated"), "{}", reinvite.text);
    assert_eq!(app.get(&format!("/users/{shut_out}"), &admin).await.body["status"], "deactivated");
    // A colleague the Client Admin deactivated, they may bring back.
    let viewer = format!("/team/members/{}", world.a.user_ids["client_viewer"]);
    app.patch(&viewer, &boss, json!({"status": "deactivated"})).await.assert(200);
    app.patch(&viewer, &boss, json!({"status": "active"})).await.assert(200);
    // And the agency brings back whom it let go.
    app.patch(&format!("/users/{shut_out}"), &admin, json!({"status": "active"})).await.assert(200);
}

#[tokio::test]
async fn the_agency_can_take_the_team_out_of_a_clients_hands() {
    let app = spawn_app().await;
    let world = app.world().await;
    let admin = app.admin().await;
    let boss = app.token(world.a.email("client_admin")).await;
    let holds = |me: &Res| me.body["permissions"].as_array().unwrap().iter().any(|p| p == "team.manage");
    assert!(holds(&app.get("/me", &boss).await));

    let off = app.patch(&format!("/clients/{}", world.a.client_id), &admin, json!({"team_self_service": false})).await;
    assert_eq!(off.assert(200).body["team_self_service"], false);
    assert!(!holds(&app.get("/me", &boss).await), "on the Client Admin's next request");
    app.get("/team/members", &boss).await.assert_problem(403);
    let body = json!({"email": "x@a.test", "name": "X", "role": "client_viewer"});
    app.post("/team/members", &boss, body.clone()).await.assert_problem(403);
    // Another account is untouched.
    app.get("/team/members", &app.token(world.b.email("client_admin")).await).await.assert(200);
    let changes = audit(&app, "client.team_self_service_changed").await;
    assert_eq!(changes.len(), 1);
    assert_eq!(changes[0]["details"]["team_self_service"], false);

    app.patch(&format!("/clients/{}", world.a.client_id), &admin, json!({"team_self_service": true})).await.assert(200);
    app.post("/team/members", &boss, body).await.assert(201);
}

#[tokio::test]
async fn staff_viewing_as_a_client_admin_see_the_team_but_change_nothing() {
    let app = spawn_app().await;
    let world = app.world().await;
    let manager = app.token(&world.manager).await;
    let res = app.post("/auth/impersonate", &manager, json!({"user_id": world.a.user_ids["client_admin"]})).await;
    let viewing = res.assert(200).body["access_token"].as_str().unwrap().to_owned();
    app.get("/team/members", &viewing).await.assert(200);
    let body = json!({"email": "x@a.test", "name": "X", "role": "client_viewer"});
    app.post("/team/members", &viewing, body).await.assert_problem(403);
    let colleague = format!("/team/members/{}", world.a.user_ids["client"]);
    app.patch(&colleague, &viewing, json!({"status": "deactivated"})).await.assert_problem(403);
    assert_eq!(app.get(&colleague, &viewing).await.body["status"], "active");
}
