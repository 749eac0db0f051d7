//! Recurring work on the durable job table: overdue-invoice reminders (once per invoice and
//! stage) and weekly summaries (once per user and week). A `schedule.tick` job plans them and
//! the next tick; every plan carries a `dedupe_key`, a unique column, so however many
//! instances run and however often a tick repeats, each reminder and digest is sent once.
use chrono::{Datelike, Duration, Timelike, Utc};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::json;
use uuid::Uuid;

use crate::{
    auth::Perm,
    entities::{
        enums::{InvoiceStatus, TaskStatus, UserStatus},
        invoice, task, user,
    },
    services::{
        jobs::{self, REMIND_OVERDUE, TICK, WEEKLY_SUMMARY},
        notify::{self, Notice},
    },
    startup::AppState,
};

/// Plans the first tick of the current slot (a no-op if another instance already did).
pub async fn start(state: &AppState) -> anyhow::Result<()> {
    let interval = state.settings.scheduler_interval_secs.max(1);
    let slot = Utc::now().timestamp() / interval;
    jobs::schedule(&state.db, TICK, json!({}), Utc::now(), Some(format!("tick:{slot}"))).await?;
    Ok(())
}

pub async fn tick(state: &AppState) -> anyhow::Result<()> {
    let now = Utc::now();
    // Plan the next tick first, so a failure below cannot stop the schedule.
    let interval = state.settings.scheduler_interval_secs.max(1);
    let next_slot = now.timestamp() / interval + 1;
    jobs::schedule(
        &state.db,
        TICK,
        json!({}),
        chrono::DateTime::from_timestamp(next_slot * interval, 0).unwrap_or(now),
        Some(format!("tick:{next_slot}")),
    )
    .await?;
    let settings = crate::routes::settings::load(&state.db).await?;
    let today = now.date_naive();

    let stages: Vec<i64> = serde_json::from_str(&settings.overdue_reminder_days).unwrap_or_default();
    if let Some(first) = stages.iter().min() {
        let overdue = invoice::Entity::find()
            .filter(invoice::Column::Status.eq(InvoiceStatus::Sent))
            .filter(invoice::Column::DueDate.lte(today - Duration::days(*first)))
            .all(&state.db)
            .await?;
        for inv in overdue {
            let days = (today - inv.due_date).num_days();
            // Only the latest stage reached: a reminder plan catching up sends one, not several.
            if let Some(stage) = stages.iter().copied().filter(|s| *s <= days).max() {
                jobs::schedule(
                    &state.db,
                    REMIND_OVERDUE,
                    json!({"invoice_id": inv.id, "stage": stage}),
                    now,
                    Some(format!("overdue:{}:{stage}", inv.id)),
                )
                .await?;
            }
        }
    }

    let week_start = now.date_naive() - Duration::days(now.weekday().num_days_from_monday() as i64);
    let due_day = week_start + Duration::days(state.settings.weekly_summary_weekday.clamp(1, 7) as i64 - 1);
    if settings.weekly_summary
        && (today > due_day || (today == due_day && now.hour() >= state.settings.weekly_summary_hour))
    {
        let week = format!("{}-W{:02}", week_start.iso_week().year(), week_start.iso_week().week());
        let readers = user::Entity::find()
            .filter(user::Column::ClientId.is_not_null())
            .filter(user::Column::Status.eq(UserStatus::Active))
            .all(&state.db)
            .await?;
        for u in readers {
            jobs::schedule(
                &state.db,
                WEEKLY_SUMMARY,
                json!({"user_id": u.id}),
                now,
                Some(format!("weekly:{}:{week}", u.id)),
            )
            .await?;
        }
    }
    Ok(())
}

pub async fn remind_overdue(state: &AppState, invoice_id: Uuid, _stage: i64) -> anyhow::Result<()> {
    let Some(inv) = invoice::Entity::find_by_id(invoice_id).one(&state.db).await? else { return Ok(()) };
    if inv.status != InvoiceStatus::Sent || inv.due_date >= Utc::now().date_naive() {
        return Ok(()); // paid or voided meanwhile
    }
    let readers = notify::client_readers(&state.db, inv.client_id, Perm::InvoicesRead).await?;
    let balance = inv.total_cents - inv.paid_cents;
    let late = (Utc::now().date_naive() - inv.due_date).num_days();
    let notice = Notice {
        kind: "invoice_overdue",
        title: format!("Reminder: invoice {} is overdue", inv.number),
        body: format!(
            "Invoice {} was due on {} ({late} days ago); {}.{:02} {} is still open.",
            inv.number,
            inv.due_date.format("%-d %B %Y"),
            balance / 100,
            balance % 100,
            inv.currency
        ),
        link: format!("/billing/{}", inv.id),
    };
    notify::deliver(state, &readers, &notice).await
}

/// What moved last week, what is due next week, what is unpaid — for one client user, as far
/// as their role may read. Nothing to say, nothing sent.
pub async fn weekly_summary(state: &AppState, user_id: Uuid) -> anyhow::Result<()> {
    let Some(u) = user::Entity::find_by_id(user_id).one(&state.db).await? else { return Ok(()) };
    let Some(client_id) = u.client_id else { return Ok(()) };
    if u.status != UserStatus::Active {
        return Ok(());
    }
    let actor = crate::auth::Actor::for_user(state, u.id, None).await.map_err(|e| anyhow::anyhow!("{e}"))?;
    let now = Utc::now();
    let mut lines = Vec::new();
    if actor.has(Perm::TasksRead) {
        let tasks = task::Entity::find().filter(task::Column::ClientId.eq(client_id)).all(&state.db).await?;
        let moved = tasks.iter().filter(|t| t.updated_at > now - Duration::days(7)).count();
        let done =
            tasks.iter().filter(|t| t.updated_at > now - Duration::days(7) && t.status == TaskStatus::Done).count();
        let due: Vec<_> = tasks
            .iter()
            .filter(|t| {
                t.status != TaskStatus::Done && t.due_date.is_some_and(|d| d <= now.date_naive() + Duration::days(7))
            })
            .map(|t| t.title.as_str())
            .collect();
        if moved > 0 {
            lines.push(format!("{moved} task(s) moved this week, {done} of them to Done."));
        }
        if !due.is_empty() {
            lines.push(format!("Due in the next 7 days: {}.", due.join(", ")));
        }
    }
    if actor.has(Perm::InvoicesRead) {
        let unpaid = invoice::Entity::find()
            .filter(invoice::Column::ClientId.eq(client_id))
            .filter(invoice::Column::Status.eq(InvoiceStatus::Sent))
            .all(&state.db)
            .await?;
        if !unpaid.is_empty() {
            let numbers: Vec<_> = unpaid.iter().map(|i| i.number.as_str()).collect();
            lines.push(format!("Unpaid invoices: {}.", numbers.join(", ")));
        }
    }
    if lines.is_empty() {
        return Ok(());
    }
    let notice = Notice { kind: "weekly_summary", title: "Your week".into(), body: lines.join(" "), link: "/".into() };
    notify::deliver(state, &[u], &notice).await
}
