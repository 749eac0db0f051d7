//! The demo agency: three clients, a user of every role, projects, tasks in every status and
//! priority, Replies and Notes, invoices in every status with payments — made through the
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
        invoices::{self, CreateInvoiceRequest, CreatePaymentRequest, LineRequest, Transition},
        projects::{self, CreateProjectRequest},
        tasks::{self, CreateTaskRequest},
        users,
    },
    entities::{
        client,
        enums::{ProjectStatus, TaskPriority, TaskStatus, Visibility},
        task,
    },
    error::ApiResult,
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
        let client = clients::create(c, CreateClientRequest { name: (*name).into(), status: None, notes }).await?;
        let tasks = seed_projects(c, &client, &staff_ids, today).await?;
        // Invoices before the account has users: seeding history sends nobody an e-mail.
        seed_invoices(c, client.id, today).await?;
        let mut client_users = Vec::new();
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
        }
        for task in tasks.iter().filter(|(i, _)| *i < 3).map(|(_, t)| t) {
            comments::import(c, task, client_users[0], "Could we see a first draft by Friday?", Visibility::Reply)
                .await?;
            comments::import(c, task, staff_ids[1], "Yes, we will share it on Thursday.", Visibility::Reply).await?;
            let note = "Internal: budget is tight on this one, keep scope small.";
            comments::import(c, task, staff_ids[2], note, Visibility::Note).await?;
        }
    }
    change.commit().await?;
    Ok((true, logins))
}

/// Two projects with six tasks each, in every status and priority; returns each task with its
/// place in its project.
async fn seed_projects(
    c: &mut Change<'_>,
    client: &client::Model,
    staff_ids: &[Uuid],
    today: NaiveDate,
) -> ApiResult<Vec<(usize, task::Model)>> {
    let statuses = [TaskStatus::Todo, TaskStatus::InProgress, TaskStatus::Done];
    let priorities = [TaskPriority::Low, TaskPriority::Medium, TaskPriority::High, TaskPriority::Urgent];
    let titles =
        ["Kick-off workshop", "Sitemap and wireframes", "Visual design", "Content migration", "QA pass", "Launch"];
    let plans = [("Website redesign", ProjectStatus::InProgress), ("Brand refresh", ProjectStatus::Planned)];
    let mut tasks = Vec::new();
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
    Ok(tasks)
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
