//! Recurring work the agency switches on in the settings: overdue-invoice reminders (once per
//! invoice and stage), overdue-feedback reminders (once per review and stage, bundled into one
//! message per approver and day) and weekly summaries (once per client user and week). `plan` runs on
//! every scheduler tick and schedules them as jobs with a `dedupe_key`, a unique column, so
//! however many instances run and however often a tick repeats, each is sent once.
use chrono::{Datelike, Duration, NaiveDate, Timelike};
use serde_json::json;

use super::{
    money::Money,
    notify::{self, Notice},
    prelude::*,
    settings,
};
use crate::{
    entities::{
        client,
        enums::{InvoiceStatus, ReviewStatus, TaskStatus, UserStatus},
        file, invoice, review, task, user,
    },
    i18n::Text,
    services::jobs::{FEEDBACK_DIGEST, REMIND_FEEDBACK, REMIND_OVERDUE, SURVEY, WEEKLY_SUMMARY},
    text,
};

/// Schedules the reminders and summaries that are due now.
pub async fn plan(state: &AppState) -> ApiResult<()> {
    let now = Utc::now();
    let today = now.date_naive();
    let mut change = Change::begin(state, None).await?;
    let brand = settings::load(change.db()).await?;
    let stages: Vec<i64> = brand.invoice_reminders.0.iter().map(|s| i64::from(s.days)).collect();
    if let Some(first) = stages.iter().min() {
        let reached = invoice::Entity::find()
            .filter(invoice::Column::Status.eq(InvoiceStatus::Sent))
            .filter(invoice::Column::DueDate.lte(today - Duration::days(*first)))
            .all(change.db())
            .await?;
        for inv in reached {
            // Days past the due date: negative before it.
            let days = (today - inv.due_date).num_days();
            // Only the latest stage reached: a reminder plan catching up sends one, not several.
            let Some(stage) = stages.iter().copied().filter(|s| *s <= days).max() else { continue };
            // A stage before the due date that fell before the invoice was sent is not news
            // ("due in 3 days" the day after an invoice due in 2 was sent). Past the due date
            // an unpaid invoice is worth a reminder whenever it was sent.
            let sent = inv.sent_at.map(|t| t.date_naive()).unwrap_or(today);
            if stage > 0 || inv.due_date + Duration::days(stage) >= sent {
                let payload = json!({"invoice_id": inv.id, "stage": stage});
                // Stages after the due date keep the keys they had when they were the only kind.
                let key =
                    if stage > 0 { format!("overdue:{}:{stage}", inv.id) } else { format!("due:{}:{stage}", inv.id) };
                change.schedule(REMIND_OVERDUE, payload, now, Some(key)).await?;
            }
        }
    }
    let stages = &brand.feedback_reminder_days.0;
    if let Some(first) = stages.iter().min() {
        let waiting = review::Entity::find()
            .filter(review::Column::Status.eq(ReviewStatus::Pending))
            .filter(review::Column::DueDate.lte(today - Duration::days(i64::from(*first))))
            .all(change.db())
            .await?;
        for r in waiting {
            let Some(due) = r.due_date else { continue };
            let days = (today - due).num_days();
            if let Some(stage) = stages.iter().map(|s| i64::from(*s)).filter(|s| *s <= days).max() {
                let payload = json!({"review_id": r.id, "stage": stage});
                change.schedule(REMIND_FEEDBACK, payload, now, Some(format!("feedback:{}:{stage}", r.id))).await?;
            }
        }
    }
    let s = &state.settings;
    let week_start = today - Duration::days(now.weekday().num_days_from_monday() as i64);
    let due_day = week_start + Duration::days(s.weekly_summary_weekday.clamp(1, 7) as i64 - 1);
    if brand.weekly_summary && (today > due_day || (today == due_day && now.hour() >= s.weekly_summary_hour)) {
        let week = format!("{}-W{:02}", week_start.iso_week().year(), week_start.iso_week().week());
        let readers = user::Entity::find()
            .filter(user::Column::ClientId.is_not_null())
            .filter(user::Column::Status.eq(UserStatus::Active))
            .all(change.db())
            .await?;
        for u in readers {
            let key = format!("weekly:{}:{week}", u.id);
            change.schedule(WEEKLY_SUMMARY, json!({"user_id": u.id}), now, Some(key)).await?;
        }
    }
    if let Some(weeks) = brand.surveys.every_weeks.filter(|w| *w > 0) {
        // Periods of `weeks` weeks counted from the first Monday of the Unix epoch (5 January
        // 1970): everyone is asked at the start of each, once.
        let days = (today - NaiveDate::from_ymd_opt(1970, 1, 5).expect("a date")).num_days();
        let period = days.div_euclid(7 * i64::from(weeks));
        let readers = user::Entity::find()
            .filter(user::Column::ClientId.is_not_null())
            .filter(user::Column::Status.eq(UserStatus::Active))
            .all(change.db())
            .await?;
        for u in readers {
            let key = format!("survey:{}:{weeks}:{period}", u.id);
            change.schedule(SURVEY, json!({"user_id": u.id, "period": period}), now, Some(key)).await?;
        }
    }
    change.commit().await?;
    Ok(())
}

/// Reminds the account's billing readers of an unpaid invoice at `stage` days from its due date
/// (negative: before it), in the stage's words or Portico's.
pub async fn remind_invoice(state: &AppState, invoice_id: Uuid, stage: i64) -> ApiResult<()> {
    let mut change = Change::begin(state, None).await?;
    let Some(inv) = invoice::Entity::find_by_id(invoice_id).one(change.db()).await? else { return Ok(()) };
    if inv.status != InvoiceStatus::Sent || inv.paid_cents >= inv.total_cents {
        return Ok(()); // paid or voided meanwhile
    }
    let brand = settings::load(change.db()).await?;
    let account = client::Entity::find_by_id(inv.client_id).one(change.db()).await?;
    let today = Utc::now().date_naive();
    let days = (today - inv.due_date).num_days();
    // The balance and the day count in the reader's digits.
    let (balance, day_count) = {
        let numbers = settings::numbers(&brand, account.as_ref());
        (numbers.money(Money::new(inv.total_cents - inv.paid_cents, &inv.currency)), numbers.trimmed(days.abs(), 0))
    };
    let client = account.map(|c| c.name).unwrap_or_default();
    let number = &inv.number;
    let (kind, title, default) = match days {
        ..0 => (
            "invoice_due",
            text!("invoice-due-title", number = number, days = -days),
            text!("invoice-due-body", number = number, amount = &balance, due = inv.due_date, days = &day_count),
        ),
        0 => (
            "invoice_due",
            text!("invoice-due-today-title", number = number),
            text!("invoice-due-today-body", number = number, amount = &balance),
        ),
        _ => (
            "invoice_overdue",
            text!("invoice-overdue-title", number = number, days = days),
            text!("invoice-overdue-body", number = number, amount = &balance, due = inv.due_date, days = &day_count),
        ),
    };
    // The agency's own wording for a stage is said as it wrote it (its dates in its language).
    let wording = brand.invoice_reminders.0.iter().find(|s| i64::from(s.days) == stage && !s.message.is_empty());
    let body = match wording {
        None => default,
        Some(stage) => Text::verbatim(
            stage
                .message
                .replace("{number}", number)
                .replace("{amount}", &balance)
                .replace("{due_date}", &brand.language.long_date(inv.due_date))
                .replace("{days}", &day_count)
                .replace("{client}", &client),
        ),
    };
    let readers = notify::client_readers(change.db(), inv.client_id, Perm::InvoicesRead).await?;
    let notice = Notice {
        kind,
        title,
        body,
        link: format!("/billing/{}", inv.id),
        source: Source::invoice(inv.id),
        event_id: None,
    };
    notify::deliver(&mut change, &readers, &notice).await?;
    change.commit().await?;
    Ok(())
}

/// A review reached a reminder stage: each of its approvers gets today's digest of what awaits
/// them (scheduled once per person and day, a scheduler interval out (at most a minute), so
/// the reviews reaching a stage in the same tick share one message).
pub async fn remind_feedback(state: &AppState, review_id: Uuid) -> ApiResult<()> {
    let mut change = Change::begin(state, None).await?;
    let Some(r) = review::Entity::find_by_id(review_id).one(change.db()).await? else { return Ok(()) };
    if r.status != ReviewStatus::Pending {
        return Ok(()); // decided (or withdrawn) meanwhile
    }
    let approvers = notify::client_readers(change.db(), r.client_id, Perm::DeliverablesApprove).await?;
    let now = Utc::now();
    let day = now.date_naive();
    let gather = Duration::seconds(state.settings.scheduler_interval_secs.clamp(1, 60));
    for u in approvers {
        let key = format!("feedback-digest:{}:{day}", u.id);
        change.schedule(FEEDBACK_DIGEST, json!({"user_id": u.id}), now + gather, Some(key)).await?;
    }
    change.commit().await?;
    Ok(())
}

/// One message to an approver about every review of their account past its due date and still
/// waiting for a decision. Nothing waiting (all decided since), nothing sent.
pub async fn feedback_digest(state: &AppState, user_id: Uuid) -> ApiResult<()> {
    let mut change = Change::begin(state, None).await?;
    let Some(u) = user::Entity::find_by_id(user_id).one(change.db()).await? else { return Ok(()) };
    let Some(client_id) = u.client_id else { return Ok(()) };
    let holds = notify::client_readers(change.db(), client_id, Perm::DeliverablesApprove).await?;
    if !holds.iter().any(|h| h.id == u.id) {
        return Ok(()); // deactivated, or no longer an approver
    }
    let today = Utc::now().date_naive();
    let waiting = review::Entity::find()
        .filter(review::Column::ClientId.eq(client_id))
        .filter(review::Column::Status.eq(ReviewStatus::Pending))
        .filter(review::Column::DueDate.lt(today))
        .all(change.db())
        .await?;
    if waiting.is_empty() {
        return Ok(());
    }
    let ids: Vec<Uuid> = waiting.iter().map(|r| r.file_id).collect();
    // Reviews are of Files-area files only; a comment's attachment is never named here.
    let files = file::Entity::find()
        .filter(file::Column::Id.is_in(ids))
        .filter(file::Column::CommentId.is_null())
        .all(change.db())
        .await?;
    let waiting: Vec<review::Model> = waiting.into_iter().filter(|r| files.iter().any(|f| f.id == r.file_id)).collect();
    if waiting.is_empty() {
        return Ok(());
    }
    let mut due: Vec<(&str, NaiveDate)> = waiting
        .iter()
        .filter_map(|r| Some((files.iter().find(|f| f.id == r.file_id)?.name.as_str(), r.due_date?)))
        .collect();
    due.sort();
    let lines = due.into_iter().map(|(file, due)| text!("review-overdue-line", file = file, due = due)).collect();
    let (title, link) = match (waiting.len(), files.first()) {
        (1, Some(f)) => (text!("file-awaits-review", file = &f.name), format!("/files/{}", f.id)),
        (n, _) => (text!("files-await-review", count = n), "/".to_owned()),
    };
    let notice = Notice {
        kind: "review_overdue",
        title,
        body: text!("review-overdue-body", files = Text::Joined(lines, "; ")),
        link,
        source: Source::review(waiting[0].id),
        event_id: None,
    };
    notify::deliver(&mut change, std::slice::from_ref(&u), &notice).await?;
    change.commit().await?;
    Ok(())
}

/// What moved last week, what is due next week, what is unpaid — for one client user, as far
/// as their role may read. Nothing to say, nothing sent.
pub async fn weekly_summary(state: &AppState, user_id: Uuid) -> ApiResult<()> {
    let Some(u) = user::Entity::find_by_id(user_id).one(&state.db).await? else { return Ok(()) };
    let Some(client_id) = u.client_id else { return Ok(()) };
    if u.status != UserStatus::Active {
        return Ok(());
    }
    let actor = Actor::for_user(&state.authz, &state.db, u.id, None, None).await?;
    let now = Utc::now();
    let mut lines = Vec::new();
    let mut change = Change::begin(state, None).await?;
    if actor.has(Perm::TasksRead) {
        let tasks = task::Entity::find().filter(task::Column::ClientId.eq(client_id)).all(change.db()).await?;
        let week_ago = now - Duration::days(7);
        let moved = tasks.iter().filter(|t| t.updated_at > week_ago).count();
        let done = tasks.iter().filter(|t| t.updated_at > week_ago && t.status == TaskStatus::Done).count();
        let soon = now.date_naive() + Duration::days(7);
        let due: Vec<_> = tasks
            .iter()
            .filter(|t| t.status != TaskStatus::Done && t.due_date.is_some_and(|d| d <= soon))
            .map(|t| t.title.as_str())
            .collect();
        if moved > 0 {
            lines.push(text!("weekly-moved", moved = moved, done = done));
        }
        if !due.is_empty() {
            lines.push(text!("weekly-due", tasks = due.join(", ")));
        }
    }
    if actor.has(Perm::InvoicesRead) {
        let unpaid = invoice::Entity::find()
            .filter(invoice::Column::ClientId.eq(client_id))
            .filter(invoice::Column::Status.eq(InvoiceStatus::Sent))
            .all(change.db())
            .await?;
        if !unpaid.is_empty() {
            let account = client::Entity::find_by_id(client_id).one(change.db()).await?;
            let numbers = settings::numbers(&settings::load(change.db()).await?, account.as_ref());
            let listed: Vec<_> = unpaid
                .iter()
                .map(|i| {
                    let amount = numbers.money(Money::new(i.total_cents - i.paid_cents, &i.currency));
                    text!("weekly-unpaid-line", number = &i.number, amount = amount)
                })
                .collect();
            lines.push(text!("weekly-unpaid", invoices = Text::Joined(listed, ", ")));
        }
    }
    if lines.is_empty() {
        return Ok(());
    }
    let notice = Notice {
        kind: "weekly_summary",
        title: text!("weekly-title"),
        body: Text::Joined(lines, " "),
        link: "/".into(),
        source: Source::user(u.id),
        event_id: None,
    };
    notify::deliver(&mut change, &[u], &notice).await?;
    change.commit().await?;
    Ok(())
}
