//! Statements of account: what a client owes (every open invoice, per currency), how long it
//! has been owed (aging by days past the due date: 0–30, 31–60, 61–90, over 90 — an invoice
//! not yet due is in 0–30), and what they paid in a period. Staff also see every client's
//! balance and aging on one screen.
use std::collections::BTreeMap;

use sea_orm::{
    QueryOrder, QuerySelect,
    sea_query::{Expr, ExprTrait},
};

use super::{invoices, prelude::*, settings};
use crate::{
    domain::documents::{self, Addressee, StatementDocument},
    entities::{client, enums::InvoiceStatus, invoice, payment},
};

/// Money owed, by how many days past its due date.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, ToSchema)]
pub struct Aging {
    /// Not yet due, or up to 30 days past due.
    pub days_0_30: i64,
    pub days_31_60: i64,
    pub days_61_90: i64,
    pub days_over_90: i64,
}

impl Aging {
    fn add(&mut self, days_overdue: i64, amount: i64) {
        match days_overdue {
            ..=30 => self.days_0_30 += amount,
            31..=60 => self.days_31_60 += amount,
            61..=90 => self.days_61_90 += amount,
            _ => self.days_over_90 += amount,
        }
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct OpenInvoice {
    pub id: Uuid,
    pub number: String,
    #[serde(serialize_with = "crate::timefmt::date")]
    pub issue_date: NaiveDate,
    #[serde(serialize_with = "crate::timefmt::date")]
    pub due_date: NaiveDate,
    pub total_cents: i64,
    pub paid_cents: i64,
    pub balance_cents: i64,
    /// Days past the due date (0 when not yet due).
    pub days_overdue: i64,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct StatementPayment {
    pub id: Uuid,
    pub invoice_id: Uuid,
    pub invoice_number: String,
    #[serde(serialize_with = "crate::timefmt::date")]
    pub paid_on: NaiveDate,
    /// Negative for a refund.
    pub amount_cents: i64,
    pub method: String,
}

/// One currency's part of a statement.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CurrencyStatement {
    pub currency: String,
    pub balance_cents: i64,
    pub overdue_cents: i64,
    pub aging: Aging,
    /// Open invoices, oldest due first.
    pub open_invoices: Vec<OpenInvoice>,
    /// Payments and refunds in the period, oldest first.
    pub payments: Vec<StatementPayment>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct StatementResponse {
    pub client_id: Uuid,
    pub client_name: String,
    #[serde(serialize_with = "crate::timefmt::date")]
    pub as_of: NaiveDate,
    /// The period whose payments are listed.
    #[serde(serialize_with = "crate::timefmt::date")]
    pub from: NaiveDate,
    #[serde(serialize_with = "crate::timefmt::date")]
    pub to: NaiveDate,
    pub currencies: Vec<CurrencyStatement>,
}

#[derive(Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct StatementQuery {
    /// First day whose payments are listed (default: 90 days before `to`).
    pub from: Option<NaiveDate>,
    /// Last day (default: today).
    pub to: Option<NaiveDate>,
}

/// The most invoices one statement lists per currency (older open ones are summed still).
const MAX_LISTED: usize = 500;

fn days_overdue(due: NaiveDate, today: NaiveDate) -> i64 {
    Ord::max((today - due).num_days(), 0)
}

fn slot<'a>(map: &'a mut BTreeMap<String, CurrencyStatement>, currency: &str) -> &'a mut CurrencyStatement {
    map.entry(currency.to_owned()).or_insert_with(|| CurrencyStatement {
        currency: currency.to_owned(),
        balance_cents: 0,
        overdue_cents: 0,
        aging: Aging::default(),
        open_invoices: Vec::new(),
        payments: Vec::new(),
    })
}

/// The statement of account `client_id` (the caller's scope: a client only their own, with
/// `invoices.read`; staff with it any).
pub async fn statement(
    db: &impl ConnectionTrait,
    actor: &Actor,
    client_id: Uuid,
    query: &StatementQuery,
) -> ApiResult<(client::Model, StatementResponse)> {
    let client = policy::billing_accounts(actor).get(db, client_id).await?;
    let today = invoices::today();
    let to = query.to.unwrap_or(today);
    let from = match query.from {
        Some(from) => from,
        None => to
            .checked_sub_days(chrono::Days::new(90))
            .ok_or_else(|| ApiError::field("to", crate::problem!("statement-to-too-early")))?,
    };
    if from > to {
        return Err(ApiError::field("from", crate::problem!("statement-from-after-to")));
    }
    let open = invoice::Entity::find()
        .filter(invoice::Column::ClientId.eq(client.id))
        .filter(invoice::Column::Status.eq(InvoiceStatus::Sent))
        .filter(Expr::col(invoice::Column::TotalCents).gt(Expr::col(invoice::Column::PaidCents)))
        .order_by_asc(invoice::Column::DueDate)
        .order_by_asc(invoice::Column::Number)
        .all(db)
        .await?;
    let paid: Vec<(payment::Model, Option<invoice::Model>)> = payment::Entity::find()
        .filter(payment::Column::ClientId.eq(client.id))
        .filter(payment::Column::PaidOn.gte(from))
        .filter(payment::Column::PaidOn.lte(to))
        .find_also_related(invoice::Entity)
        .order_by_asc(payment::Column::PaidOn)
        .order_by_asc(payment::Column::CreatedAt)
        .all(db)
        .await?;
    let mut by_currency: BTreeMap<String, CurrencyStatement> = BTreeMap::new();
    for inv in open {
        let s = slot(&mut by_currency, &inv.currency);
        let balance = inv.total_cents - inv.paid_cents;
        let late = days_overdue(inv.due_date, today);
        s.balance_cents += balance;
        if inv.due_date < today {
            s.overdue_cents += balance;
        }
        s.aging.add(late, balance);
        if s.open_invoices.len() < MAX_LISTED {
            s.open_invoices.push(OpenInvoice {
                id: inv.id,
                number: inv.number,
                issue_date: inv.issue_date,
                due_date: inv.due_date,
                total_cents: inv.total_cents,
                paid_cents: inv.paid_cents,
                balance_cents: balance,
                days_overdue: late,
            });
        }
    }
    for (p, inv) in paid {
        // A client never sees payments on invoices they cannot see (none exist on drafts).
        let Some(inv) = inv.filter(|i| i.status != InvoiceStatus::Draft) else { continue };
        slot(&mut by_currency, &inv.currency).payments.push(StatementPayment {
            id: p.id,
            invoice_id: inv.id,
            invoice_number: inv.number,
            paid_on: p.paid_on,
            amount_cents: p.amount_cents,
            method: p.method,
        });
    }
    let response = StatementResponse {
        client_id: client.id,
        client_name: client.name.clone(),
        as_of: today,
        from,
        to,
        currencies: by_currency.into_values().collect(),
    };
    Ok((client, response))
}

/// The statement as a PDF.
pub async fn statement_pdf(
    db: &impl ConnectionTrait,
    storage: &crate::services::storage::Storage,
    actor: &Actor,
    client_id: Uuid,
    query: &StatementQuery,
) -> ApiResult<invoices::Pdf> {
    let (client, s) = statement(db, actor, client_id, query).await?;
    let settings = settings::load(db).await?;
    let logo = settings::logo_picture(storage, &settings).await;
    // The client's name as a file name: no paths, quotes or control characters.
    let filename =
        super::files::sanitize_name(&format!("Statement {} {}.pdf", client.name, s.as_of.format("%Y-%m-%d")));
    let bytes = tokio::task::spawn_blocking(move || {
        let doc = StatementDocument {
            letterhead: invoices::letterhead(&settings, logo),
            client: Addressee {
                name: &client.name,
                address: client.billing_address.as_deref(),
                tax_id: client.tax_id.as_deref(),
            },
            statement: &s,
            numbers: &settings::numbers(&settings, Some(&client)),
            language: settings::document_language(&settings, Some(&client)),
        };
        documents::statement_pdf(&doc)
    })
    .await
    .map_err(|e| ApiError::Internal(e.into()))?
    .map_err(|e| ApiError::Internal(anyhow::anyhow!("rendering a statement PDF: {e}")))?;
    Ok(invoices::Pdf { bytes, filename })
}

/// One client's line of the agency's receivables.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ClientBalance {
    pub client_id: Uuid,
    pub client_name: String,
    pub currency: String,
    pub balance_cents: i64,
    pub overdue_cents: i64,
    pub open_invoices: i64,
    pub aging: Aging,
    /// The oldest unpaid invoice's due date.
    #[serde(serialize_with = "crate::timefmt::date")]
    pub oldest_due: NaiveDate,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AgingResponse {
    #[serde(serialize_with = "crate::timefmt::date")]
    pub as_of: NaiveDate,
    /// Every client with something owed, largest balance first (per currency).
    pub clients: Vec<ClientBalance>,
    /// The sums over all clients, per currency.
    pub totals: Vec<CurrencyTotal>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CurrencyTotal {
    pub currency: String,
    pub balance_cents: i64,
    pub overdue_cents: i64,
    pub aging: Aging,
}

/// Every client's balance and aging (staff with `invoices.read`).
pub async fn aging(db: &impl ConnectionTrait, actor: &Actor) -> ApiResult<AgingResponse> {
    if actor.is_client() {
        return Err(ApiError::Forbidden(crate::problem!("statement-receivables-staff-only")));
    }
    actor.require(Perm::InvoicesRead)?;
    let today = invoices::today();
    let rows: Vec<(Uuid, String, NaiveDate, i64, i64)> = invoice::Entity::find()
        .select_only()
        .columns([
            invoice::Column::ClientId,
            invoice::Column::Currency,
            invoice::Column::DueDate,
            invoice::Column::TotalCents,
            invoice::Column::PaidCents,
        ])
        .filter(invoice::Column::Status.eq(InvoiceStatus::Sent))
        .filter(Expr::col(invoice::Column::TotalCents).gt(Expr::col(invoice::Column::PaidCents)))
        .into_tuple()
        .all(db)
        .await?;
    let names: BTreeMap<Uuid, String> = client::Entity::find()
        .select_only()
        .columns([client::Column::Id, client::Column::Name])
        .filter(client::Column::Id.is_in(rows.iter().map(|r| r.0).collect::<Vec<_>>()))
        .into_tuple::<(Uuid, String)>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    let mut balances: BTreeMap<(Uuid, String), ClientBalance> = BTreeMap::new();
    let mut totals: BTreeMap<String, CurrencyTotal> = BTreeMap::new();
    for (client_id, currency, due, total, paid) in rows {
        let balance = total - paid;
        let late = days_overdue(due, today);
        let overdue = if due < today { balance } else { 0 };
        let b = balances.entry((client_id, currency.clone())).or_insert_with(|| ClientBalance {
            client_id,
            client_name: names.get(&client_id).cloned().unwrap_or_default(),
            currency: currency.clone(),
            balance_cents: 0,
            overdue_cents: 0,
            open_invoices: 0,
            aging: Aging::default(),
            oldest_due: due,
        });
        b.balance_cents += balance;
        b.overdue_cents += overdue;
        b.open_invoices += 1;
        b.aging.add(late, balance);
        b.oldest_due = Ord::min(b.oldest_due, due);
        let t = totals.entry(currency.clone()).or_insert_with(|| CurrencyTotal {
            currency,
            balance_cents: 0,
            overdue_cents: 0,
            aging: Aging::default(),
        });
        t.balance_cents += balance;
        t.overdue_cents += overdue;
        t.aging.add(late, balance);
    }
    let mut clients: Vec<ClientBalance> = balances.into_values().collect();
    clients.sort_by(|a, b| b.balance_cents.cmp(&a.balance_cents).then_with(|| a.client_name.cmp(&b.client_name)));
    Ok(AgingResponse { as_of: today, clients, totals: totals.into_values().collect() })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_fall_into_buckets_by_days_past_due() {
        let mut a = Aging::default();
        for (days, amount) in [(0, 1), (30, 2), (31, 4), (60, 8), (61, 16), (90, 32), (91, 64), (400, 128)] {
            a.add(days, amount);
        }
        assert_eq!(a, Aging { days_0_30: 3, days_31_60: 12, days_61_90: 48, days_over_90: 192 });
        let today = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        assert_eq!(days_overdue(NaiveDate::from_ymd_opt(2026, 12, 5).unwrap(), today), 0);
        assert_eq!(days_overdue(NaiveDate::from_ymd_opt(2026, 10, 31).unwrap(), today), 31);
    }
}
