//! The demo agency: three clients, a user of every role, projects, tasks in every status and
//! priority, Replies and Notes, files in review, invoices in every status with payments — made through the
//! domain's own operations, in one change.
use chrono::{Duration, NaiveDate, Utc};
use secrecy::SecretString;
use uuid::Uuid;

use crate::{
    domain::{
        Change,
        clients::{self, CreateClientRequest},
        comments,
        contacts::{self, CreateContactRequest},
        files::{self, Imported, ImportedReview, NewFile, NewVersion},
        invoices::{self, CreateInvoiceRequest, CreatePaymentRequest, LineRequest, Transition},
        projects::{self, CreateProjectRequest},
        tasks::{self, CreateTaskRequest},
        users,
    },
    entities::{
        client,
        enums::{ProjectStatus, ReviewStatus, TaskPriority, TaskStatus, Visibility},
        project, task,
    },
    error::ApiResult,
    services::storage::{self, Stored},
    state::AppState,
};

pub const DEMO_PASSWORD: &str = "portico-demo";

pub struct Login {
    pub email: String,
    pub role: &'static str,
    pub client: Option<&'static str>,
}

/// Seeds the demo data unless the database already has clients; returns the logins either way.
pub async fn seed(state: &AppState) -> anyhow::Result<(bool, Vec<Login>)> {
    let staff = [("admin", "Ada Admin"), ("manager", "Max Manager"), ("member", "Mia Member")];
    let client_roles = ["client", "client_admin", "client_finance", "client_viewer"];
    let clients = [("Acme Corp", "acme"), ("Globex", "globex"), ("Initech", "initech")];
    let mut logins: Vec<Login> =
        staff.iter().map(|(r, _)| Login { email: format!("{r}@demo.portico.test"), role: r, client: None }).collect();
    for (name, slug) in clients {
        for r in client_roles {
            logins.push(Login {
                email: format!("{}@{slug}.demo.portico.test", r.replace('_', "-")),
                role: r,
                client: Some(name),
            });
        }
    }
    if clients::any(&state.db).await? {
        return Ok((false, logins));
    }

    let hash = state.passwords.hash(&SecretString::from(DEMO_PASSWORD)).await?;
    let mut change = Change::begin(state, None).await?;
    let c = &mut change;
    let today = Utc::now().date_naive();
    let mut staff_ids = Vec::new();
    for (r, name) in staff {
        let role = users::role_by_key(c.db(), r).await?;
        let u = users::add(c, &format!("{r}@demo.portico.test"), name, &role, None, Some(hash.clone())).await?;
        staff_ids.push(u.id);
    }
    for (ci, (name, slug)) in clients.iter().enumerate() {
        let notes = Some(format!("Demo account #{}. Internal: prefers e-mail on Fridays.", ci + 1));
        let client = clients::create(
            c,
            CreateClientRequest {
                name: (*name).into(),
                status: None,
                notes,
                billing_address: Some(format!("{name}\n{} Market Street\nSpringfield", 10 + ci)),
                tax_id: None,
                // One account reads numbers the German way, to show documents following it.
                locale: (*slug == "globex").then(|| "de-DE".into()),
                team_self_service: None,
            },
        )
        .await?;
        let (website, tasks) = seed_projects(c, &client, &staff_ids, today).await?;
        // Invoices before the account has users: seeding history sends nobody an e-mail.
        seed_invoices(c, client.id, today).await?;
        let mut client_users = Vec::new();
        let mut people = Vec::new();
        for (ri, r) in client_roles.iter().enumerate() {
            let person = format!("{} {name}", ["Casey", "Alex", "Fran", "Vic"][ri]);
            let email = format!("{}@{slug}.demo.portico.test", r.replace('_', "-"));
            let role = users::role_by_key(c.db(), r).await?;
            let u = users::add(c, &email, &person, &role, Some(client.id), Some(hash.clone())).await?;
            let phone = Some(format!("+1 555 01{ci}{ri}"));
            let contact = CreateContactRequest { name: person, email, phone, is_primary: ri == 1 };
            let contact = contacts::create(c, client.id, contact).await?;
            contacts::link_user(c, &contact, u.id).await?;
            client_users.push(u.id);
            people.push(u);
        }
        seed_files(c, &website, &tasks, &staff_ids, &client_users, today).await?;
        seed_history(c, ci, &tasks, &staff_ids, &people).await?;
        let now = c.now();
        for task in tasks.iter().filter(|(i, _)| *i < 3).map(|(_, t)| t) {
            let ask = "Could we see a first draft by Friday?";
            comments::import(c, task, client_users[0], ask, Visibility::Reply, now - Duration::hours(2)).await?;
            let answer = "Yes, we will share it on Thursday.";
            comments::import(c, task, staff_ids[1], answer, Visibility::Reply, now - Duration::hours(1)).await?;
            let note = "Internal: budget is tight on this one, keep scope small.";
            comments::import(c, task, staff_ids[2], note, Visibility::Note, now).await?;
        }
    }
    change.commit().await?;
    Ok((true, logins))
}

/// Four months of the account using the portal, so every chart of the metrics has something
/// to show on first start: each person invited and signing in a few times a week (the viewer
/// less, finance rarely), a conversation or two a week with the agency answering within an
/// hour to a couple of days of business time (and the client answering back), one question
/// still waiting past the commitment, and surveys answered along the way. Deterministic: the
/// same every time, from the account's and the week's numbers.
async fn seed_history(
    c: &mut Change<'_>,
    ci: usize,
    tasks: &[(usize, task::Model)],
    staff_ids: &[Uuid],
    people: &[crate::entities::user::Model],
) -> ApiResult<()> {
    use crate::domain::{adoption, calendar::Calendar, settings, surveys};
    let client_users: Vec<Uuid> = people.iter().map(|p| p.id).collect();
    let now = c.now();
    let calendar = Calendar::of(&settings::load(c.db()).await?.working_calendar);
    const WEEKS: i64 = 17;
    let start = calendar.week_of(now) - Duration::weeks(WEEKS);
    let at = |week: i64, weekday: i64, hour: i64| {
        calendar.start_of(start + Duration::weeks(week) + Duration::days(weekday)) + Duration::hours(hour)
    };
    // Sign-ins: everyone invited in the first week, accepting hours to days later.
    for (ri, person) in people.iter().enumerate() {
        let invited = at(0, ri as i64 % 5, 9);
        let mut sign_ins = vec![invited + Duration::hours([3, 26, 50, 100][ri % 4] + ci as i64 * 5)];
        let per_week = [3, 2, 1, 1][ri % 4];
        for week in 1..=WEEKS {
            // Finance signs in around invoices, every fourth week; the others most weeks.
            if ri == 2 && week % 4 != ci as i64 % 4 {
                continue;
            }
            for n in 0..per_week {
                if (week + n + ci as i64) % 5 == 4 {
                    continue;
                }
                let when = at(week, (n * 2 + ci as i64) % 5, 9 + (week + ri as i64) % 8);
                if when < now {
                    sign_ins.push(when);
                }
            }
        }
        sign_ins.sort();
        adoption::imported(c, person, Some(invited), &sign_ins).await?;
    }
    // Conversations: the Client asks, staff answer after some business hours, and now and
    // then the client answers back.
    let asks = [
        "Could you send the latest version before our Monday meeting?",
        "We have feedback from the board on the colours — can we talk it through?",
        "Is the launch date still on track?",
        "Can we add one more page for the careers section?",
        "The staging link asks for a password, which one should we use?",
    ];
    let answers = [
        "Here it is — see the attached notes in the project files.",
        "Of course, I have put a slot in the calendar for Thursday.",
        "Yes, we are on track; QA starts next week.",
        "We can: it adds about two days, I will update the plan.",
        "Sent separately by e-mail; it is the same as last time.",
    ];
    let waits_hours = [1, 3, 6, 12, 20, 30, 2, 4, 9, 26, 5, 14, 7, 2, 40, 3];
    let open: Vec<&task::Model> = tasks.iter().filter(|(_, t)| t.status != TaskStatus::Done).map(|(_, t)| t).collect();
    for week in 1..WEEKS {
        let task = open[(week as usize + ci) % open.len()];
        let asked = at(week, (week + ci as i64) % 5, 10 + week % 5);
        if asked >= now {
            continue;
        }
        let n = (week as usize + ci * 3) % asks.len();
        comments::import(c, task, client_users[(week as usize) % 2], asks[n], Visibility::Reply, asked).await?;
        let hours = waits_hours[(week as usize + ci * 5) % waits_hours.len()] + ci as i64;
        let answered = calendar.after_business_seconds(asked, hours * 3600);
        if answered >= now {
            continue;
        }
        let staff = staff_ids[(week as usize + ci) % staff_ids.len()];
        comments::import(c, task, staff, answers[n], Visibility::Reply, answered).await?;
        if week % 3 == 0 {
            let back = calendar.after_business_seconds(answered, (4 + week % 7) * 3600);
            if back < now {
                comments::import(c, task, client_users[0], "Thanks, that works for us.", Visibility::Reply, back)
                    .await?;
                // A thank-you waits for an answer like any client Reply: the agency closes it.
                let closed = calendar.after_business_seconds(back, 3600);
                if closed < now {
                    comments::import(c, task, staff, "Glad it helps!", Visibility::Reply, closed).await?;
                }
            }
        }
    }
    // One question from a week ago still waits, past the commitment, on a task nobody answers
    // below.
    let late = calendar.after_business_seconds(now - Duration::days(7), 3600);
    let quiet: Vec<&task::Model> =
        tasks.iter().filter(|(i, t)| *i >= 3 && t.status != TaskStatus::Done).map(|(_, t)| t).collect();
    if late < now && !quiet.is_empty() {
        let task = quiet[ci % quiet.len()];
        let ask = "Just checking in — did you get our copy changes?";
        comments::import(c, task, client_users[1], ask, Visibility::Reply, late).await?;
    }
    // Surveys: the done tasks and a periodic one, mostly good, one poor.
    let scores: [(i16, Option<&str>); 4] = [
        (5, Some("Great work, thank you!")),
        (4, None),
        (2, Some("The last round took longer than promised.")),
        (4, Some("Good communication.")),
    ];
    let done: Vec<&task::Model> = tasks.iter().filter(|(_, t)| t.status == TaskStatus::Done).map(|(_, t)| t).collect();
    for (i, task) in done.iter().enumerate() {
        let sent = at(WEEKS - 6 + i as i64 * 2, 2, 11);
        let person = &people[i % 2];
        let (score, comment) = scores[(i + ci) % scores.len()];
        let answer = surveys::ImportedAnswer {
            person,
            task: Some(task),
            sent_at: sent,
            answered_at: sent + Duration::hours(5),
            score,
            comment,
        };
        surveys::imported(c, task.client_id, answer).await?;
    }
    if let Some(person) = people.get(1) {
        let sent = at(WEEKS - 3, 0, 9);
        let (score, comment) = scores[(ci + 1) % scores.len()];
        let answer = surveys::ImportedAnswer {
            person,
            task: None,
            sent_at: sent,
            answered_at: sent + Duration::days(1),
            score,
            comment,
        };
        surveys::imported(c, person.client_id.unwrap_or_default(), answer).await?;
    }
    Ok(())
}

/// Two projects with six tasks each, in every status and priority; returns the first project
/// and each task with its place in its project.
async fn seed_projects(
    c: &mut Change<'_>,
    client: &client::Model,
    staff_ids: &[Uuid],
    today: NaiveDate,
) -> ApiResult<(project::Model, Vec<(usize, task::Model)>)> {
    let statuses = [TaskStatus::Todo, TaskStatus::InProgress, TaskStatus::Done];
    let priorities = [TaskPriority::Low, TaskPriority::Medium, TaskPriority::High, TaskPriority::Urgent];
    let titles =
        ["Kick-off workshop", "Sitemap and wireframes", "Visual design", "Content migration", "QA pass", "Launch"];
    let plans = [("Website redesign", ProjectStatus::InProgress), ("Brand refresh", ProjectStatus::Planned)];
    let mut tasks = Vec::new();
    let mut first = None;
    for (pi, (pname, status)) in plans.iter().enumerate() {
        let project = CreateProjectRequest {
            client_id: client.id,
            name: format!("{pname} — {}", client.name),
            description: format!("{pname} for {}: discovery, design, build and launch.", client.name),
            status: Some(*status),
            start_date: Some(today - Duration::days(30 - pi as i64 * 10)),
            end_date: Some(today + Duration::days(60 + pi as i64 * 30)),
        };
        let project = projects::create(c, project).await?;
        first.get_or_insert(project.clone());
        for (ti, title) in titles.iter().enumerate() {
            let task = CreateTaskRequest {
                title: (*title).into(),
                description: "Details are in the project brief.".into(),
                status: Some(statuses[ti % 3]),
                priority: Some(priorities[ti % 4]),
                assignee_id: Some(staff_ids[ti % staff_ids.len()]),
                due_date: Some(today + Duration::days(ti as i64 * 5 - 7)),
                position: Some((ti as i64 + 1) * 1024),
            };
            tasks.push((ti, tasks::create(c, &project, task).await?));
        }
    }
    Ok((first.expect("two projects"), tasks))
}

/// A 64×40 PNG in the demo's primary colour.
const DEMO_PNG: &str = "iVBORw0KGgoAAAANSUhEUgAAAEAAAAAoCAIAAADBrGu+AAAAPUlEQVR42u3PQQkAAAgEsGtiI/vY3gw+hcEKLNXzWgQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQELhY6bPx5cVp/NAAAAABJRU5ErkJggg==";

/// A one-page PDF saying `text`.
fn demo_pdf(text: &str) -> Vec<u8> {
    let stream = format!("BT /F1 18 Tf 72 720 Td ({text}) Tj ET");
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_owned(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_owned(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>"
            .to_owned(),
        format!("<< /Length {} >>\nstream\n{stream}\nendstream", stream.len()),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_owned(),
    ];
    let mut pdf = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, o) in objects.iter().enumerate() {
        offsets.push(pdf.len());
        pdf.extend_from_slice(format!("{} 0 obj\n{o}\nendobj\n", i + 1).as_bytes());
    }
    let xref = pdf.len();
    pdf.extend_from_slice(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes());
    for off in offsets {
        pdf.extend_from_slice(format!("{off:010} 00000 n \n").as_bytes());
    }
    let trailer = format!("trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n", objects.len() + 1);
    pdf.extend_from_slice(trailer.as_bytes());
    pdf
}

/// Stores `bytes` as a new version of the file `file_id` of `project`.
async fn demo_version(
    c: &Change<'_>,
    project: &project::Model,
    file_id: Uuid,
    name: &str,
    bytes: Vec<u8>,
) -> ApiResult<NewVersion> {
    use sha2::Digest;
    let version_id = Uuid::now_v7();
    let key = files::storage_key(project.id, file_id, version_id);
    let stored = Stored {
        size: bytes.len() as u64,
        sha256: hex::encode(sha2::Sha256::digest(&bytes)),
        content_type: storage::sniff(&bytes[..bytes.len().min(8192)]),
    };
    c.state().storage.put(&key, bytes.into()).await.map_err(|e| anyhow::anyhow!("demo files: {e}"))?;
    Ok(NewVersion { file_id, version_id, storage_key: key, original_name: name.into(), stored })
}

/// A demo file: name, folder, the contents of each version, and the latest review's state
/// with the approver's comment.
type DemoFile = (&'static str, Option<&'static str>, Vec<Vec<u8>>, Option<(ReviewStatus, Option<&'static str>)>);

/// The Files area of the website project: one review waiting (version 2), one approved, one
/// with changes requested, and a file in a folder with no review.
async fn seed_files(
    c: &mut Change<'_>,
    project: &project::Model,
    tasks: &[(usize, task::Model)],
    staff: &[Uuid],
    clients: &[Uuid],
    today: NaiveDate,
) -> ApiResult<()> {
    use base64::Engine;
    let png = base64::engine::general_purpose::STANDARD.decode(DEMO_PNG).expect("the demo PNG");
    let design = tasks.iter().find(|(i, _)| *i == 2).map(|(_, t)| t.id);
    let plans: [DemoFile; 4] = [
        ("Homepage mock-up.png", None, vec![png.clone(), png.clone()], Some((ReviewStatus::Pending, None))),
        ("Logo concepts.pdf", None, vec![demo_pdf("Logo concepts")], Some((ReviewStatus::Approved, None))),
        (
            "Sitemap.pdf",
            None,
            vec![demo_pdf("Sitemap, first draft")],
            Some((ReviewStatus::ChangesRequested, Some("Please add a Careers page under About."))),
        ),
        ("Brand guidelines.pdf", Some("Brand"), vec![demo_pdf("Brand guidelines")], None),
    ];
    for (name, folder, contents, review) in plans {
        let file_id = Uuid::now_v7();
        let mut versions = Vec::new();
        for bytes in contents {
            versions.push(demo_version(c, project, file_id, name, bytes).await?);
        }
        let review = review.map(|(status, comment)| ImportedReview {
            status,
            message: Some("Please have a look and approve, or tell us what to change.".into()),
            due_date: Some(today + Duration::days(if status == ReviewStatus::Pending { 3 } else { -5 })),
            requested_by: staff[1],
            decided_by: (status != ReviewStatus::Pending).then_some(clients[0]),
            comment: comment.map(str::to_owned),
        });
        let file = NewFile { name: name.into(), folder: folder.map(str::to_owned), task_id: design };
        files::import(c, project, Imported { file, uploader: staff[1], versions, review }).await?;
    }
    Ok(())
}

/// What becomes of a demo invoice after it is drafted.
enum Then {
    Stay,
    Send,
    PayHalf,
    PayAll,
    Void,
}

/// One invoice per status: draft, sent (not yet due), overdue, partially paid, paid, void.
async fn seed_invoices(c: &mut Change<'_>, client_id: Uuid, today: NaiveDate) -> ApiResult<()> {
    let plans = [
        (Then::Stay, 0, 30),
        (Then::Send, -5, 25),
        (Then::Send, -45, -15),
        (Then::PayHalf, -20, 10),
        (Then::PayAll, -60, -30),
        (Then::Void, -90, -60),
    ];
    let lines = [("Design work", 12.5, 9_500), ("Development", 20.0, 11_000), ("Project management", 4.0, 8_000)];
    for (then, issued, due) in plans {
        let issue_date = today + Duration::days(issued);
        let draft = CreateInvoiceRequest {
            client_id,
            issue_date: Some(issue_date),
            due_date: today + Duration::days(due),
            currency: "EUR".into(),
            tax_rate_bp: 2_000,
            payment_instructions: "Bank transfer to IBAN DE00 1234 5678 9000 0000 00, quoting the invoice number."
                .into(),
            lines: lines
                .iter()
                .map(|(d, q, p)| LineRequest { description: (*d).into(), quantity: *q, unit_price_cents: *p })
                .collect(),
        };
        let inv = invoices::create_draft(c, draft).await?;
        if matches!(then, Then::Stay) {
            continue;
        }
        let sent = invoices::transition(c, inv, Transition::Send).await?;
        let amount = match then {
            Then::PayHalf => sent.total_cents / 2,
            Then::PayAll => sent.total_cents,
            Then::Void => {
                invoices::transition(c, sent, Transition::Void).await?;
                continue;
            }
            Then::Stay | Then::Send => continue,
        };
        let payment = CreatePaymentRequest {
            paid_on: Some(issue_date + Duration::days(7)),
            amount_cents: amount,
            method: "bank_transfer".into(),
            reference: Some(format!("DEMO-{}", sent.number)),
        };
        invoices::record_payment(c, sent, payment).await?;
    }
    Ok(())
}

pub async fn seed_and_print(state: &AppState) -> anyhow::Result<()> {
    let (created, logins) = seed(state).await?;
    println!(
        "{}",
        if created { "Seeded the demo agency." } else { "Demo data already present (the database has clients)." }
    );
    println!("Demo logins (password for all: {DEMO_PASSWORD}):");
    for l in &logins {
        println!("  {:<16} {:<40} {}", l.role, l.email, l.client.unwrap_or("staff"));
    }
    Ok(())
}
