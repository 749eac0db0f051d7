//! Is the portal working? Adoption and response times, with the server's clock moved through a
//! working fortnight so every figure can be checked against one worked out by hand.
use chrono::{DateTime, Utc};
use portico::clock::Clock;
use portico_blackbox::{smtp::SmtpSink, *};
use serde_json::{Value, json};

fn at(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

async fn app_on_a_clock(target_hours: u32) -> (TestApp, Clock, SmtpSink) {
    let sink = SmtpSink::start().await;
    let port = sink.port;
    let clock = Clock::adjustable();
    let handle = clock.clone();
    let app = spawn_app_with(move |s| {
        smtp::send_mail_to(s, port);
        s.clock = handle;
        s.response_target_hours = target_hours;
        // Every request a visit, however quickly the test makes them.
        s.visit_seen_every_secs = 0;
    })
    .await;
    (app, clock, sink)
}

/// Berlin hours, nine to five on weekdays, with Wednesday 11 November off.
async fn berlin_calendar(app: &TestApp) {
    let calendar = json!({"time_zone": "Europe/Berlin", "days": ["mon", "tue", "wed", "thu", "fri"], "starts": "09:00", "ends": "17:00", "holidays": ["2026-11-11"]});
    let saved = app.patch("/settings/portal", &app.admin().await, json!({"working_calendar": calendar})).await;
    saved.assert(200);
    assert_eq!(saved.body["working_calendar"]["time_zone"], "Europe/Berlin");
}

async fn say(app: &TestApp, who: &str, task: uuid::Uuid, body: &str, visibility: &str) -> uuid::Uuid {
    let token = app.token(who).await;
    app.post(&format!("/tasks/{task}/comments"), &token, json!({"body": body, "visibility": visibility}))
        .await
        .assert(201)
        .id()
}

/// An adoption report's weeks as (Monday, sign-ins, people).
fn sign_in_weeks(report: &Value) -> Vec<(&str, u64, u64)> {
    report["weeks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| (w["week"].as_str().unwrap(), w["logins"].as_u64().unwrap(), w["people"].as_u64().unwrap()))
        .collect()
}

fn group<'a>(list: &'a Value, name: &str) -> &'a Value {
    list.as_array().unwrap().iter().find(|g| g["name"] == name).unwrap_or_else(|| panic!("no {name} in {list}"))
}

#[tokio::test]
async fn response_times_count_only_business_hours_of_the_agencys_calendar() {
    let (app, clock, _sink) = app_on_a_clock(16).await;
    berlin_calendar(&app).await;
    let admin = app.admin().await;
    // The world's own staff Reply on the task comes a month before the fortnight.
    clock.set(at("2026-10-01T10:00:00Z"));
    let world = app.world().await;
    let (task, sam) = (world.a.task_id, world.a.email("client").to_owned());
    let manager = world.manager.clone();
    let since = "from=2026-11-02T00:00:00Z&to=2026-11-17T00:00:00Z";

    // Friday 16:00 in Berlin: a question an hour before closing.
    clock.set(at("2026-11-06T15:00:00Z"));
    let q1 = say(&app, &sam, task, "Can we move the launch?", "reply").await;
    // Monday 10:00: the manager answers. 1 h on Friday + 1 h on Monday.
    clock.set(at("2026-11-09T09:00:00Z"));
    say(&app, &manager, task, "Yes, to the 20th.", "reply").await;
    // Tuesday 16:30: the client answers that (14.5 business hours later) and asks again.
    clock.set(at("2026-11-10T15:30:00Z"));
    let q2 = say(&app, &sam, task, "Great. And the budget?", "reply").await;
    // Wednesday is a holiday; an internal Note that day answers nobody.
    clock.set(at("2026-11-11T11:00:00Z"));
    say(&app, &world.member, task, "Ask finance first", "note").await;
    // Thursday 09:30: the admin answers: 30 min on Tuesday + 30 min on Thursday.
    clock.set(at("2026-11-12T08:30:00Z"));
    let a2 = say(&app, ADMIN_EMAIL, task, "Unchanged.", "reply").await;
    // Thursday 10:00: a third question nobody answers.
    clock.set(at("2026-11-12T09:00:00Z"));
    let q3 = say(&app, &sam, task, "Who signs off?", "reply").await;
    // Monday 16 November, noon: Q3 has waited 7 h + 8 h + 3 h = 18 h, past the 16 h commitment.
    clock.set(at("2026-11-16T11:00:00Z"));

    let report = app.get(&format!("/metrics/responsiveness?{since}"), &admin).await;
    report.assert(200);
    let r = &report.body;
    assert_eq!(r["target_hours"], 16);
    assert_eq!(r["totals"]["asked"], 3, "{r}");
    assert_eq!(r["totals"]["answered"], 2);
    assert_eq!(r["totals"]["open"], 1);
    assert_eq!(r["totals"]["within_target"], 2);
    assert_eq!(r["totals"]["median_seconds"], 5400, "median of 1 h and 2 h");
    assert_eq!(r["totals"]["p90_seconds"], 6840);
    assert_eq!(group(&r["by_staff"], &format!("User {manager}"))["median_seconds"], 7200);
    assert_eq!(group(&r["by_staff"], "Administrator")["median_seconds"], 3600);
    assert_eq!(group(&r["by_client"], "Client a")["asked"], 3);
    // Over all clients there is no list of every project; a client's report has its projects,
    // a project's report the same figures again, all counted from the same waits.
    assert_eq!(r["by_project"], json!([]));
    assert_eq!(r["from"], "2026-11-01T23:00:00Z", "the period is whole Berlin weeks");
    assert_eq!(r["to"], "2026-11-22T23:00:00Z");
    let client = world.a.client_id;
    let of_client = app.get(&format!("/metrics/responsiveness?{since}&client_id={client}"), &admin).await.body;
    assert_eq!(of_client["totals"], r["totals"]);
    assert_eq!(of_client["by_week"], r["by_week"]);
    assert_eq!(group(&of_client["by_project"], "Project a")["answered"], 2);
    assert_eq!(group(&of_client["by_project"], "Project a")["median_seconds"], 5400);
    assert_eq!(of_client["by_staff"], r["by_staff"]);
    let project = world.a.project_id;
    let of_project = app.get(&format!("/metrics/responsiveness?{since}&project_id={project}"), &admin).await.body;
    assert_eq!(of_project["totals"], r["totals"], "{of_project}");
    assert_eq!(of_project["by_week"], r["by_week"]);
    assert_eq!(of_project["by_staff"], r["by_staff"]);
    assert_eq!(of_project["by_client"], of_client["by_client"]);
    let weeks: Vec<(&str, u64)> = r["by_week"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| (w["week"].as_str().unwrap(), w["asked"].as_u64().unwrap()))
        .collect();
    assert_eq!(weeks, [("2026-11-02", 1), ("2026-11-09", 2), ("2026-11-16", 0)]);

    // The other way round: the manager's answer waited 14.5 h for the client, the admin's 30 min.
    let reverse = app.get(&format!("/metrics/responsiveness?{since}&asked=by_agency"), &admin).await;
    reverse.assert(200);
    assert_eq!(reverse.body["totals"]["answered"], 2, "{}", reverse.body);
    assert_eq!(reverse.body["totals"]["median_seconds"], (52200 + 1800) / 2);

    // Awaiting reply: Q3 only, with how long it has waited; the dashboard shows it too, and its
    // "new client replies" are the unanswered ones.
    let awaiting = app.get("/metrics/awaiting-replies", &admin).await;
    awaiting.assert(200);
    let awaiting = awaiting.body.as_array().unwrap().clone();
    assert_eq!(awaiting.len(), 1, "{awaiting:?}");
    assert_eq!(awaiting[0]["comment_id"], q3.to_string());
    assert_eq!(awaiting[0]["waiting_seconds"], 18 * 3600);
    assert_eq!(awaiting[0]["overdue"], true);
    let dashboard = app.get("/dashboard", &admin).await;
    assert_eq!(dashboard.body["awaiting_reply"][0]["comment_id"], q3.to_string());
    let unanswered: Vec<&str> = dashboard.body["client_replies"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["comment_id"].as_str().unwrap())
        .collect();
    assert_eq!(unanswered, [q3.to_string()]);
    assert!(!unanswered.contains(&q1.to_string().as_str()));

    // The admin's answer withdrawn: Q2 is waiting again, and no longer counts as answered.
    app.delete(&format!("/comments/{a2}"), &admin).await.assert(204);
    let all = app.get("/metrics/awaiting-replies?all=true", &admin).await.body;
    let open: Vec<&str> = all.as_array().unwrap().iter().map(|c| c["comment_id"].as_str().unwrap()).collect();
    assert_eq!(open.len(), 2, "{all}");
    assert!(open.contains(&q2.to_string().as_str()) && open.contains(&q3.to_string().as_str()));
    let after = app.get(&format!("/metrics/responsiveness?{since}"), &admin).await.body;
    assert_eq!(after["totals"]["answered"], 1);
    assert_eq!(after["totals"]["median_seconds"], 7200);

    // Client questions by channel, per week: all came through the portal.
    let channels = app.get(&format!("/metrics/channels?{since}"), &admin).await;
    channels.assert(200);
    let weeks: Vec<(u64, u64)> = channels.body["weeks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| (w["portal"].as_u64().unwrap(), w["email"].as_u64().unwrap()))
        .collect();
    assert_eq!(weeks, [(1, 0), (2, 0), (0, 0)]);
    assert_eq!(channels.body["clients"][0]["client_name"], "Client a");

    // The agency moves to Tokyo: its weeks start eight hours before Berlin's (Friday's
    // question, at midnight going into Saturday there, stays in its week), and every figure is
    // counted again in the new weeks.
    let tokyo = json!({"time_zone": "Asia/Tokyo", "days": ["mon", "tue", "wed", "thu", "fri"], "starts": "09:00", "ends": "17:00", "holidays": []});
    app.patch("/settings/portal", &admin, json!({"working_calendar": tokyo})).await.assert(200);
    let moved = app.get(&format!("/metrics/responsiveness?{since}"), &admin).await.body;
    assert_eq!(moved["from"], "2026-11-01T15:00:00Z", "{moved}");
    assert_eq!(moved["totals"]["asked"], 3);
    assert_eq!(moved["totals"]["median_seconds"], 7200, "recorded waits keep their length");

    // The task deleted: its Replies, and so its waits, are gone from every figure.
    app.delete(&format!("/tasks/{task}"), &admin).await.assert(204);
    let gone = app.get(&format!("/metrics/responsiveness?{since}"), &admin).await.body;
    assert_eq!(gone["totals"]["asked"], 0, "{gone}");
    assert_eq!(gone["by_client"], json!([]));
    assert_eq!(gone["by_staff"], json!([]));
    let gone = app.get(&format!("/metrics/channels?{since}"), &admin).await.body;
    assert_eq!(gone["clients"], json!([]));
}

#[tokio::test]
async fn adoption_counts_invitations_sign_ins_and_visits_but_never_view_as() {
    let (app, clock, sink) = app_on_a_clock(24).await;
    berlin_calendar(&app).await;
    let admin = app.admin().await;
    let client = app.create_client("Acme").await;
    let contact = app
        .post(&format!("/clients/{client}/contacts"), &admin, json!({"name": "Jo Bloggs", "email": "jo@acme.test"}))
        .await
        .assert(201)
        .id();
    // Invited on Monday 2 November at ten; accepted two days and three hours later.
    clock.set(at("2026-11-02T09:00:00Z"));
    app.post(&format!("/contacts/{contact}/invite"), &admin, json!({"role": "client"})).await.assert(201);
    let token = sink.wait_for("jo@acme.test").await.token("accept-invitation");
    clock.set(at("2026-11-04T12:00:00Z"));
    let accepted = app
        .send(
            reqwest::Method::POST,
            "/auth/invitations/accept",
            None,
            Some(&json!({"token": token, "password": "a fine new password"})),
        )
        .await;
    accepted.assert(200);
    // Signs in again the next week, three times: first half an hour into its Monday in Berlin
    // (still Sunday in UTC).
    for day in ["2026-11-08T23:30:00Z", "2026-11-10T08:00:00Z", "2026-11-12T08:00:00Z"] {
        clock.set(at(day));
        let session = app.login("jo@acme.test", "a fine new password").await;
        session.assert(200);
        app.get("/me", session.body["access_token"].as_str().unwrap()).await.assert(200);
    }
    // A colleague created with a password, never invited and never signed in.
    app.create_user("kim@acme.test", "client_viewer", Some(client)).await;
    // Staff viewing as Jo a week later is neither a sign-in nor a visit.
    clock.set(at("2026-11-19T10:00:00Z"));
    let jo = app.get("/users?limit=200", &admin).await.items();
    let jo = jo.iter().find(|u| u["email"] == "jo@acme.test").unwrap()["id"].as_str().unwrap().to_owned();
    let view = app.post("/auth/impersonate", &admin, json!({"user_id": jo})).await;
    view.assert(200);
    app.get("/portal/home", view.body["access_token"].as_str().unwrap()).await;

    let report = app
        .get(&format!("/metrics/adoption?client_id={client}&from=2026-11-02T00:00:00Z&to=2026-11-16T00:00:00Z"), &admin)
        .await;
    report.assert(200);
    let r = &report.body;
    let totals = &r["totals"];
    assert_eq!(totals["users"], 2, "{r}");
    assert_eq!(totals["invited"], 1);
    assert_eq!(totals["accepted"], 1);
    assert_eq!(totals["logins"], 4, "the acceptance and three sign-ins");
    assert_eq!(totals["median_seconds_to_first_login"], 2 * 86400 + 3 * 3600);
    assert_eq!(totals["last_visit_at"], "2026-11-12T08:00:00Z", "View-as is no visit");
    assert_eq!(totals["active_7_days"], 0, "last seen a week before now");
    assert_eq!(totals["active_30_days"], 1);
    // The period ends at 01:00 on Monday the 16th in Berlin: that week is in it, empty.
    assert_eq!(sign_in_weeks(r), [("2026-11-02", 1, 1), ("2026-11-09", 3, 1), ("2026-11-16", 0, 0)]);
    let jo_row = r["users"].as_array().unwrap().iter().find(|u| u["email"] == "jo@acme.test").unwrap();
    assert_eq!(jo_row["seconds_to_first_login"], 2 * 86400 + 3 * 3600);
    assert_eq!(jo_row["first_login_at"], "2026-11-04T12:00:00Z");
    let kim = r["users"].as_array().unwrap().iter().find(|u| u["email"] == "kim@acme.test").unwrap();
    assert!(kim["invited_at"].is_null() && kim["seconds_to_first_login"].is_null());
    assert_eq!(r["clients"][0]["client_name"], "Acme");
    assert_eq!(r["clients"][0]["logins"], 4);

    // The agency moves to New York (UTC-5): every sign-in is counted again into New York's
    // weeks, and Sunday evening's belongs to the week before.
    let new_york = json!({"time_zone": "America/New_York", "days": ["mon", "tue", "wed", "thu", "fri"], "starts": "09:00", "ends": "17:00", "holidays": []});
    app.patch("/settings/portal", &admin, json!({"working_calendar": new_york})).await.assert(200);
    let moved = app
        .get(&format!("/metrics/adoption?client_id={client}&from=2026-11-02T00:00:00Z&to=2026-11-16T00:00:00Z"), &admin)
        .await
        .body;
    assert_eq!(moved["from"], "2026-10-26T04:00:00Z", "the Monday before, in New York (still summer time)");
    assert_eq!(sign_in_weeks(&moved), [("2026-10-26", 0, 0), ("2026-11-02", 2, 1), ("2026-11-09", 2, 1)], "{moved}");
    assert_eq!(moved["totals"]["logins"], 4);
}

#[tokio::test]
async fn metrics_are_staff_only_and_refuse_what_makes_no_sense() {
    let app = spawn_app().await;
    let world = app.world().await;
    let paths = ["/metrics/adoption", "/metrics/responsiveness", "/metrics/awaiting-replies", "/metrics/channels"];
    for role in CLIENT_ROLES {
        let token = app.token(world.a.email(role)).await;
        for path in paths {
            app.get(path, &token).await.assert_problem(403);
        }
    }
    // A member has no `metrics.read`; a manager and the admin do.
    let member = app.token(&world.member).await;
    let manager = app.token(&world.manager).await;
    for path in paths {
        app.get(path, &member).await.assert_problem(403);
        app.get(path, &manager).await.assert(200);
    }
    let admin = app.admin().await;
    let nobody = uuid::Uuid::now_v7();
    for path in paths {
        app.get(&format!("{path}?client_id={nobody}"), &admin).await.assert_problem(404);
    }
    let other_project =
        format!("/metrics/responsiveness?client_id={}&project_id={}", world.a.client_id, world.b.project_id);
    app.get(&other_project, &admin).await.assert_problem(404);
    app.get("/metrics/adoption?from=2026-11-10T00:00:00Z&to=2026-11-01T00:00:00Z", &admin).await.assert_problem(422);
    app.get("/metrics/adoption?from=2020-01-01T00:00:00Z&to=2026-11-01T00:00:00Z", &admin).await.assert_problem(422);
    app.get("/metrics/adoption?from=yesterday", &admin).await.assert_problem(400);
    app.get("/metrics/channels?from=0001-01-01T00:00:00Z", &admin).await.assert_problem(422);
    app.get("/metrics/satisfaction?to=%2B99999-01-01T00:00:00Z", &admin).await.assert_problem(422);
    // A calendar that makes no sense is refused field by field, and nothing of it is kept.
    for (calendar, field) in [
        (
            json!({"time_zone": "Mars/Olympus", "days": ["mon"], "starts": "09:00", "ends": "17:00"}),
            "working_calendar.time_zone",
        ),
        (json!({"time_zone": "UTC", "days": [], "starts": "09:00", "ends": "17:00"}), "working_calendar.days"),
        (json!({"time_zone": "UTC", "days": ["mon"], "starts": "17:00", "ends": "09:00"}), "working_calendar.ends"),
        (json!({"time_zone": "UTC", "days": ["mon"], "starts": "9", "ends": "17:00"}), "working_calendar.starts"),
    ] {
        let refused = app.patch("/settings/portal", &admin, json!({"working_calendar": calendar})).await;
        refused.assert_problem(422);
        assert!(refused.body["errors"][field].is_array(), "{}", refused.body);
    }
    let kept = app.get("/settings/portal", &admin).await;
    assert_eq!(kept.body["working_calendar"]["time_zone"], "UTC");
}
