//! The demo agency: three clients, a user of every role, projects, tasks in every status and
//! priority, Replies and Notes, invoices in every status with payments.
use chrono::{Duration, Utc};
use sea_orm::{ActiveModelTrait, ConnectionTrait, EntityTrait, PaginatorTrait, Set, TransactionTrait};
use secrecy::SecretString;
use uuid::Uuid;

use crate::{
    entities::{
        client, comment, contact,
        enums::{ClientStatus, InvoiceStatus, ProjectStatus, TaskPriority, TaskStatus, UserStatus, Visibility},
        invoice, invoice_line, payment, project, role, task, user,
    },
    services::billing,
    startup::AppState,
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
    if client::Entity::find().count(&state.db).await? > 0 {
        return Ok((false, logins));
    }

    let password = SecretString::from(DEMO_PASSWORD);
    let hash = state.passwords.hash(&password).await?;
    let txn = state.db.begin().await?;
    let now = Utc::now();
    let today = now.date_naive();
    let roles = role::Entity::find().all(&txn).await?;
    let role_id = |key: &str| roles.iter().find(|r| r.key == key).map(|r| r.id).expect("built-in role");

    let new_user = |email: String, name: String, role: &str, client_id: Option<Uuid>| user::ActiveModel {
        id: Set(Uuid::now_v7()),
        email: Set(email),
        name: Set(name),
        password_hash: Set(Some(hash.clone())),
        role_id: Set(role_id(role)),
        client_id: Set(client_id),
        status: Set(UserStatus::Active),
        last_login_at: Set(None),
        authz_version: Set(0),
        created_at: Set(now),
        updated_at: Set(now),
    };
    let mut staff_ids = Vec::new();
    for (r, name) in staff {
        let u = new_user(format!("{r}@demo.portico.test"), name.into(), r, None).insert(&txn).await?;
        staff_ids.push(u.id);
    }

    let statuses = [TaskStatus::Todo, TaskStatus::InProgress, TaskStatus::Done];
    let priorities = [TaskPriority::Low, TaskPriority::Medium, TaskPriority::High, TaskPriority::Urgent];
    for (ci, (name, slug)) in clients.iter().enumerate() {
        let c = client::ActiveModel {
            id: Set(Uuid::now_v7()),
            name: Set((*name).into()),
            status: Set(ClientStatus::Active),
            notes: Set(Some(format!("Demo account #{}. Internal: prefers e-mail on Fridays.", ci + 1))),
            created_at: Set(now),
            updated_at: Set(now),
        }
        .insert(&txn)
        .await?;
        let mut client_users = Vec::new();
        for (ri, r) in client_roles.iter().enumerate() {
            let person = ["Casey", "Alex", "Fran", "Vic"][ri];
            let email = format!("{}@{slug}.demo.portico.test", r.replace('_', "-"));
            let u = new_user(email.clone(), format!("{person} {name}"), r, Some(c.id)).insert(&txn).await?;
            contact::ActiveModel {
                id: Set(Uuid::now_v7()),
                client_id: Set(c.id),
                name: Set(format!("{person} {name}")),
                email: Set(email),
                phone: Set(Some(format!("+1 555 01{ci}{ri}"))),
                is_primary: Set(ri == 1),
                user_id: Set(Some(u.id)),
                created_at: Set(now),
                updated_at: Set(now),
            }
            .insert(&txn)
            .await?;
            client_users.push(u.id);
        }

        for (pi, (pname, pstatus)) in
            [("Website redesign", ProjectStatus::InProgress), ("Brand refresh", ProjectStatus::Planned)]
                .iter()
                .enumerate()
        {
            let p = project::ActiveModel {
                id: Set(Uuid::now_v7()),
                client_id: Set(c.id),
                name: Set(format!("{pname} — {name}")),
                description: Set(format!("{pname} for {name}: discovery, design, build and launch.")),
                status: Set(*pstatus),
                start_date: Set(Some(today - Duration::days(30 - pi as i64 * 10))),
                end_date: Set(Some(today + Duration::days(60 + pi as i64 * 30))),
                created_at: Set(now),
                updated_at: Set(now),
            }
            .insert(&txn)
            .await?;
            for ti in 0..6usize {
                let t = task::ActiveModel {
                    id: Set(Uuid::now_v7()),
                    client_id: Set(c.id),
                    project_id: Set(p.id),
                    title: Set([
                        "Kick-off workshop",
                        "Sitemap and wireframes",
                        "Visual design",
                        "Content migration",
                        "QA pass",
                        "Launch",
                    ][ti]
                        .into()),
                    description: Set("Details are in the project brief.".into()),
                    status: Set(statuses[ti % 3]),
                    priority: Set(priorities[ti % 4]),
                    assignee_id: Set(Some(staff_ids[ti % staff_ids.len()])),
                    due_date: Set(Some(today + Duration::days(ti as i64 * 5 - 7))),
                    position: Set((ti as i64 + 1) * 1024),
                    created_at: Set(now),
                    updated_at: Set(now),
                }
                .insert(&txn)
                .await?;
                if ti < 3 {
                    add_comment(&txn, &t, client_users[0], "Could we see a first draft by Friday?", Visibility::Reply)
                        .await?;
                    add_comment(&txn, &t, staff_ids[1], "Yes, we will share it on Thursday.", Visibility::Reply)
                        .await?;
                    add_comment(
                        &txn,
                        &t,
                        staff_ids[2],
                        "Internal: budget is tight on this one, keep scope small.",
                        Visibility::Note,
                    )
                    .await?;
                }
            }
        }

        // One invoice per status: draft, sent (not yet due), overdue, partially paid, paid, void.
        let plans: [(InvoiceStatus, i64, i64, bool); 6] = [
            (InvoiceStatus::Draft, 0, 30, false),
            (InvoiceStatus::Sent, -5, 25, false),
            (InvoiceStatus::Sent, -45, -15, false),
            (InvoiceStatus::Sent, -20, 10, true),
            (InvoiceStatus::Paid, -60, -30, true),
            (InvoiceStatus::Void, -90, -60, false),
        ];
        for (status, issued, due, paid) in plans {
            let issue_date = today + Duration::days(issued);
            let lines = [
                ("Design work", 12_500i64, 9_500i64),
                ("Development", 20_000, 11_000),
                ("Project management", 4_000, 8_000),
            ];
            let amounts: Vec<i64> = lines.iter().map(|(_, q, p)| billing::line_amount(*q, *p)).collect();
            let totals = billing::totals(amounts.iter().copied(), 2_000);
            let paid_cents = match (status, paid) {
                (InvoiceStatus::Paid, _) => totals.total_cents,
                (_, true) => totals.total_cents / 2,
                _ => 0,
            };
            let inv = invoice::ActiveModel {
                id: Set(Uuid::now_v7()),
                client_id: Set(c.id),
                number: Set(billing::next_number(&txn, issue_date).await?),
                issue_date: Set(issue_date),
                due_date: Set(today + Duration::days(due)),
                currency: Set("EUR".into()),
                status: Set(status),
                tax_rate_bp: Set(2_000),
                subtotal_cents: Set(totals.subtotal_cents),
                tax_cents: Set(totals.tax_cents),
                total_cents: Set(totals.total_cents),
                paid_cents: Set(paid_cents),
                payment_instructions: Set(
                    "Bank transfer to IBAN DE00 1234 5678 9000 0000 00, quoting the invoice number.".into(),
                ),
                sent_at: Set((status != InvoiceStatus::Draft).then_some(now)),
                created_at: Set(now),
                updated_at: Set(now),
            }
            .insert(&txn)
            .await?;
            for (li, ((desc, q, p), amount)) in lines.iter().zip(&amounts).enumerate() {
                invoice_line::ActiveModel {
                    id: Set(Uuid::now_v7()),
                    invoice_id: Set(inv.id),
                    client_id: Set(c.id),
                    position: Set(li as i32),
                    description: Set((*desc).into()),
                    quantity_milli: Set(*q),
                    unit_price_cents: Set(*p),
                    amount_cents: Set(*amount),
                }
                .insert(&txn)
                .await?;
            }
            if paid_cents > 0 {
                payment::ActiveModel {
                    id: Set(Uuid::now_v7()),
                    invoice_id: Set(inv.id),
                    client_id: Set(c.id),
                    paid_on: Set(issue_date + Duration::days(7)),
                    amount_cents: Set(paid_cents),
                    method: Set("bank_transfer".into()),
                    reference: Set(Some(format!("DEMO-{}", inv.number))),
                    recorded_by: Set(Some(staff_ids[0])),
                    created_at: Set(now),
                }
                .insert(&txn)
                .await?;
            }
        }
    }
    txn.commit().await?;
    Ok((true, logins))
}

async fn add_comment(
    db: &impl ConnectionTrait,
    t: &task::Model,
    author: Uuid,
    body: &str,
    visibility: Visibility,
) -> Result<(), sea_orm::DbErr> {
    comment::ActiveModel {
        id: Set(Uuid::now_v7()),
        client_id: Set(t.client_id),
        task_id: Set(t.id),
        author_id: Set(author),
        body: Set(body.into()),
        visibility: Set(visibility),
        edited_at: Set(None),
        deleted_at: Set(None),
        created_at: Set(Utc::now()),
        released_at: Set((visibility == Visibility::Reply).then(Utc::now)),
    }
    .insert(db)
    .await?;
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
