//! Invoices and their state machine: a draft is edited freely, then sent (the client sees it
//! from then on), paid in one or more payments, or voided while nothing is paid. Amounts are
//! integers in the currency's minor unit, computed by the server (`services::billing`).
use sea_orm::{
    QueryOrder, QuerySelect,
    sea_query::{Expr, ExprTrait},
};

use super::{
    clients,
    documents::{self, Addressee, InvoiceDocument, Letterhead, Mark},
    money, notify,
    prelude::*,
    settings,
};
use crate::{
    entities::{
        client,
        enums::InvoiceStatus,
        event::{AUDIENCE_ALL, AUDIENCE_STAFF},
        invoice, invoice_line, invoice_view, payment, portal_settings,
    },
    rows::positional_row,
    services::{
        billing::{self, DisplayStatus},
        mail,
        pdf::{Color, Picture},
        storage::Storage,
    },
};

#[derive(Serialize, ToSchema)]
pub struct InvoiceResponse {
    pub id: Uuid,
    pub client_id: Uuid,
    /// Human number, e.g. `INV-2026-0042`.
    pub number: String,
    #[serde(serialize_with = "crate::timefmt::date")]
    pub issue_date: NaiveDate,
    #[serde(serialize_with = "crate::timefmt::date")]
    pub due_date: NaiveDate,
    /// ISO 4217 code; all amounts are integers in its minor unit.
    pub currency: String,
    pub status: DisplayStatus,
    /// Tax rate in basis points (20 % = 2000).
    pub tax_rate_bp: i32,
    pub subtotal_cents: i64,
    pub tax_cents: i64,
    pub total_cents: i64,
    pub paid_cents: i64,
    pub balance_cents: i64,
    pub payment_instructions: String,
    #[serde(serialize_with = "crate::timefmt::opt_utc")]
    pub sent_at: Option<chrono::DateTime<Utc>>,
    #[serde(serialize_with = "crate::timefmt::utc")]
    pub created_at: chrono::DateTime<Utc>,
    #[serde(serialize_with = "crate::timefmt::utc")]
    pub updated_at: chrono::DateTime<Utc>,
    /// When one of the client's people first opened it (the page or the PDF); View-as
    /// never counts. Staff only: always absent for a client.
    #[serde(serialize_with = "crate::timefmt::opt_utc")]
    pub viewed_at: Option<chrono::DateTime<Utc>>,
    /// When they last opened it.
    #[serde(serialize_with = "crate::timefmt::opt_utc")]
    pub last_viewed_at: Option<chrono::DateTime<Utc>>,
}

impl InvoiceResponse {
    /// When the client opened it is the agency's to know, not the client's.
    fn for_reader(mut self, actor: &Actor) -> Self {
        if actor.is_client() {
            self.viewed_at = None;
            self.last_viewed_at = None;
        }
        self
    }

    pub fn new(m: invoice::Model, today: NaiveDate) -> Self {
        Self {
            status: billing::display_status(&m, today),
            balance_cents: m.total_cents - m.paid_cents,
            id: m.id,
            client_id: m.client_id,
            number: m.number,
            issue_date: m.issue_date,
            due_date: m.due_date,
            currency: m.currency,
            tax_rate_bp: m.tax_rate_bp,
            subtotal_cents: m.subtotal_cents,
            tax_cents: m.tax_cents,
            total_cents: m.total_cents,
            paid_cents: m.paid_cents,
            payment_instructions: m.payment_instructions,
            sent_at: m.sent_at,
            created_at: m.created_at,
            updated_at: m.updated_at,
            viewed_at: m.first_viewed_at,
            last_viewed_at: m.last_viewed_at,
        }
    }
}

positional_row! {
    /// An invoice row of the hot list, read by position.
    pub struct InvoiceRow {
        id: Uuid = invoice::Column::Id,
        client_id: Uuid = invoice::Column::ClientId,
        number: String = invoice::Column::Number,
        issue_date: NaiveDate = invoice::Column::IssueDate,
        due_date: NaiveDate = invoice::Column::DueDate,
        currency: String = invoice::Column::Currency,
        status: InvoiceStatus = invoice::Column::Status,
        tax_rate_bp: i32 = invoice::Column::TaxRateBp,
        subtotal_cents: i64 = invoice::Column::SubtotalCents,
        tax_cents: i64 = invoice::Column::TaxCents,
        total_cents: i64 = invoice::Column::TotalCents,
        paid_cents: i64 = invoice::Column::PaidCents,
        payment_instructions: String = invoice::Column::PaymentInstructions,
        sent_at: Option<chrono::DateTime<Utc>> = invoice::Column::SentAt,
        created_at: chrono::DateTime<Utc> = invoice::Column::CreatedAt,
        updated_at: chrono::DateTime<Utc> = invoice::Column::UpdatedAt,
        first_viewed_at: Option<chrono::DateTime<Utc>> = invoice::Column::FirstViewedAt,
        last_viewed_at: Option<chrono::DateTime<Utc>> = invoice::Column::LastViewedAt,
    }
}

impl From<InvoiceRow> for invoice::Model {
    fn from(r: InvoiceRow) -> Self {
        Self {
            id: r.id,
            client_id: r.client_id,
            number: r.number,
            issue_date: r.issue_date,
            due_date: r.due_date,
            currency: r.currency,
            status: r.status,
            tax_rate_bp: r.tax_rate_bp,
            subtotal_cents: r.subtotal_cents,
            tax_cents: r.tax_cents,
            total_cents: r.total_cents,
            paid_cents: r.paid_cents,
            payment_instructions: r.payment_instructions,
            sent_at: r.sent_at,
            created_at: r.created_at,
            updated_at: r.updated_at,
            first_viewed_at: r.first_viewed_at,
            last_viewed_at: r.last_viewed_at,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct InvoiceLineResponse {
    pub id: Uuid,
    pub position: i32,
    pub description: String,
    /// Up to three decimals (e.g. 7.5 hours).
    pub quantity: f64,
    pub unit_price_cents: i64,
    pub amount_cents: i64,
}

impl From<invoice_line::Model> for InvoiceLineResponse {
    fn from(l: invoice_line::Model) -> Self {
        Self {
            id: l.id,
            position: l.position,
            description: l.description,
            quantity: l.quantity_milli as f64 / billing::QUANTITY_SCALE as f64,
            unit_price_cents: l.unit_price_cents,
            amount_cents: l.amount_cents,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct PaymentResponse {
    pub id: Uuid,
    pub invoice_id: Uuid,
    pub paid_on: NaiveDate,
    pub amount_cents: i64,
    pub method: String,
    pub reference: Option<String>,
    pub created_at: chrono::DateTime<Utc>,
}

impl From<payment::Model> for PaymentResponse {
    fn from(p: payment::Model) -> Self {
        Self {
            id: p.id,
            invoice_id: p.invoice_id,
            paid_on: p.paid_on,
            amount_cents: p.amount_cents,
            method: p.method,
            reference: p.reference,
            created_at: p.created_at,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct InvoiceDetailResponse {
    #[serde(flatten)]
    pub invoice: InvoiceResponse,
    pub lines: Vec<InvoiceLineResponse>,
    pub payments: Vec<PaymentResponse>,
}

#[derive(Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ListInvoicesQuery {
    /// `draft`, `sent` (not yet due), `overdue`, `paid`, `void`.
    pub status: Option<DisplayStatus>,
    /// Sent and not fully paid, overdue or not.
    pub unpaid: Option<bool>,
    /// Staff only in effect: a client always sees just their own account.
    pub client_id: Option<Uuid>,
    pub due_before: Option<NaiveDate>,
    /// `-issue_date` (default), `due_date`, `number`.
    #[param(pattern = "^(-issue_date|due_date|number)$")]
    pub sort: Option<String>,
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u64>,
    pub cursor: Option<String>,
}

#[derive(Serialize, Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct LineRequest {
    #[schema(min_length = 1, max_length = 1000)]
    #[validate(length(min = 1, max = 1000))]
    pub description: String,
    /// Positive, at most three decimals.
    pub quantity: f64,
    #[schema(minimum = 0, maximum = 10_000_000_000f64)]
    #[validate(range(min = 0, max = 10_000_000_000i64))]
    pub unit_price_cents: i64,
}

#[derive(Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct CreateInvoiceRequest {
    pub client_id: Uuid,
    /// Defaults to today.
    pub issue_date: Option<NaiveDate>,
    pub due_date: NaiveDate,
    /// ISO 4217, e.g. `EUR`.
    pub currency: String,
    #[schema(minimum = 0, maximum = 10000)]
    #[validate(range(min = 0, max = 10000))]
    #[serde(default)]
    pub tax_rate_bp: i32,
    #[schema(max_length = 5000)]
    #[validate(length(max = 5000))]
    #[serde(default)]
    pub payment_instructions: String,
    #[schema(min_items = 1, max_items = 200)]
    #[validate(length(min = 1, max = 200), nested)]
    pub lines: Vec<LineRequest>,
}

#[derive(Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct UpdateInvoiceRequest {
    pub issue_date: Option<NaiveDate>,
    pub due_date: Option<NaiveDate>,
    pub currency: Option<String>,
    #[schema(minimum = 0, maximum = 10000)]
    #[validate(range(min = 0, max = 10000))]
    pub tax_rate_bp: Option<i32>,
    #[schema(max_length = 5000)]
    #[validate(length(max = 5000))]
    pub payment_instructions: Option<String>,
    /// Replaces all lines.
    #[schema(min_items = 1, max_items = 200)]
    #[validate(length(min = 1, max = 200), nested)]
    pub lines: Option<Vec<LineRequest>>,
}

#[derive(Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct CreatePaymentRequest {
    /// Defaults to today.
    pub paid_on: Option<NaiveDate>,
    #[schema(minimum = 1)]
    #[validate(range(min = 1))]
    pub amount_cents: i64,
    /// E.g. `bank_transfer`, `card`.
    #[schema(min_length = 1, max_length = 50)]
    #[validate(length(min = 1, max = 50))]
    pub method: String,
    #[schema(max_length = 200)]
    #[validate(length(max = 200))]
    pub reference: Option<String>,
}

const SORTS: &[Sort<invoice::Entity, InvoiceRow>] = &[
    Sort {
        name: "-issue_date",
        col: invoice::Column::IssueDate,
        desc: true,
        nullable: false,
        key: |m| Key::Date(Some(m.issue_date)),
    },
    Sort {
        name: "due_date",
        col: invoice::Column::DueDate,
        desc: false,
        nullable: false,
        key: |m| Key::Date(Some(m.due_date)),
    },
    Sort {
        name: "number",
        col: invoice::Column::Number,
        desc: false,
        nullable: false,
        key: |m| Key::Text(m.number.clone()),
    },
];

pub fn today() -> NaiveDate {
    Utc::now().date_naive()
}

/// A page of the invoices the caller may see (a client: those sent to their account).
pub async fn list(
    db: &impl ConnectionTrait,
    actor: &Actor,
    query: &ListInvoicesQuery,
) -> ApiResult<Page<InvoiceResponse>> {
    let mut select = policy::invoices(actor).list()?;
    let limit = pagination::limit(query.limit)?;
    let sort = pagination::pick(SORTS, query.sort.as_deref())?;
    let today = today();
    let sent = invoice::Column::Status.eq(InvoiceStatus::Sent);
    select = match query.status {
        None => select,
        Some(DisplayStatus::Draft) => select.filter(invoice::Column::Status.eq(InvoiceStatus::Draft)),
        Some(DisplayStatus::Sent) => select.filter(sent.clone()).filter(invoice::Column::DueDate.gte(today)),
        Some(DisplayStatus::Overdue) => select.filter(sent.clone()).filter(invoice::Column::DueDate.lt(today)),
        Some(DisplayStatus::Paid) => select.filter(invoice::Column::Status.eq(InvoiceStatus::Paid)),
        Some(DisplayStatus::Void) => select.filter(invoice::Column::Status.eq(InvoiceStatus::Void)),
    };
    if query.unpaid == Some(true) {
        select = select.filter(sent);
    }
    if let Some(id) = query.client_id {
        select = select.filter(invoice::Column::ClientId.eq(id));
    }
    if let Some(d) = query.due_before {
        select = select.filter(invoice::Column::DueDate.lt(d));
    }
    let select = pagination::prepare(select, sort, invoice::Column::Id, query.cursor.as_deref(), limit)?;
    let rows = InvoiceRow::select(select.select_only()).into_model::<InvoiceRow>().all(db).await?;
    let page = pagination::finish(rows, limit, sort.name, sort.key, |m| m.id);
    Ok(page.map(|r| InvoiceResponse::new(r.into(), today).for_reader(actor)))
}

/// The caller's overdue invoices, soonest due first (at most `limit`).
pub async fn overdue(db: &impl ConnectionTrait, actor: &Actor, limit: u64) -> ApiResult<Vec<InvoiceResponse>> {
    let today = today();
    let select = policy::invoices(actor)
        .list()?
        .filter(invoice::Column::Status.eq(InvoiceStatus::Sent))
        .filter(invoice::Column::DueDate.lt(today))
        .order_by_asc(invoice::Column::DueDate)
        .limit(limit);
    let rows = InvoiceRow::select(select.select_only()).into_model::<InvoiceRow>().all(db).await?;
    Ok(rows.into_iter().map(|r| InvoiceResponse::new(r.into(), today).for_reader(actor)).collect())
}

/// Invoice `id` of `select` with its lines in order, in one joined statement.
async fn with_lines(
    db: &impl ConnectionTrait,
    select: sea_orm::Select<invoice::Entity>,
    id: Uuid,
) -> Result<Option<(invoice::Model, Vec<invoice_line::Model>)>, sea_orm::DbErr> {
    let mut found = select
        .filter(invoice::Column::Id.eq(id))
        .find_with_related(invoice_line::Entity)
        .order_by_asc(invoice_line::Column::Position)
        .all(db)
        .await?;
    Ok(found.pop())
}

/// Invoice, lines (one joined statement) and payments (a second), through the caller's scope.
pub async fn detail(db: &impl ConnectionTrait, actor: &Actor, id: Uuid) -> ApiResult<InvoiceDetailResponse> {
    let (inv, lines) = policy::invoices(actor).one_with(async |s| Ok(with_lines(db, s, id).await?)).await?;
    let payments = payments_of(db, inv.id).await?;
    Ok(InvoiceDetailResponse {
        invoice: InvoiceResponse::new(inv, today()).for_reader(actor),
        lines: lines.into_iter().map(Into::into).collect(),
        payments,
    })
}

/// The payments of an invoice the caller may read, oldest first (404 for another account's
/// invoice, 403 without `invoices.read`; payments carry their invoice's tenant).
pub async fn payments(db: &impl ConnectionTrait, actor: &Actor, id: Uuid) -> ApiResult<Vec<PaymentResponse>> {
    let inv = policy::invoices(actor).get(db, id).await?;
    payments_of(db, inv.id).await
}

/// The payments of an invoice already found through the caller's scope.
async fn payments_of(db: &impl ConnectionTrait, invoice_id: Uuid) -> ApiResult<Vec<PaymentResponse>> {
    let rows = payment::Entity::find()
        .filter(payment::Column::InvoiceId.eq(invoice_id))
        .order_by_asc(payment::Column::PaidOn)
        .order_by_asc(payment::Column::Id)
        .all(db)
        .await?;
    Ok(rows.into_iter().map(Into::into).collect())
}

/// A validated line with its computed amount.
struct Line {
    description: String,
    quantity_milli: i64,
    unit_price_cents: i64,
    amount_cents: i64,
}

fn build_lines(lines: &[LineRequest]) -> ApiResult<Vec<Line>> {
    lines
        .iter()
        .enumerate()
        .map(|(i, l)| {
            let q =
                billing::quantity_milli(l.quantity).map_err(|m| ApiError::field(&format!("lines[{i}].quantity"), m))?;
            Ok(Line {
                description: l.description.clone(),
                quantity_milli: q,
                unit_price_cents: l.unit_price_cents,
                amount_cents: billing::line_amount(q, l.unit_price_cents),
            })
        })
        .collect()
}

async fn write_lines(db: &impl ConnectionTrait, inv: &invoice::Model, lines: &[Line]) -> Result<(), sea_orm::DbErr> {
    invoice_line::Entity::delete_many().filter(invoice_line::Column::InvoiceId.eq(inv.id)).exec(db).await?;
    invoice_line::Entity::insert_many(lines.iter().enumerate().map(|(i, l)| invoice_line::ActiveModel {
        id: Set(Uuid::now_v7()),
        invoice_id: Set(inv.id),
        client_id: Set(inv.client_id),
        position: Set(i as i32),
        description: Set(l.description.clone()),
        quantity_milli: Set(l.quantity_milli),
        unit_price_cents: Set(l.unit_price_cents),
        amount_cents: Set(l.amount_cents),
    }))
    .exec(db)
    .await?;
    Ok(())
}

fn check_dates(issue: NaiveDate, due: NaiveDate) -> ApiResult<()> {
    if due < issue { Err(ApiError::field("due_date", crate::problem!("invoice-due-before-issue"))) } else { Ok(()) }
}

fn editable(inv: &invoice::Model) -> ApiResult<()> {
    if inv.status == InvoiceStatus::Draft {
        Ok(())
    } else {
        Err(ApiError::Conflict(crate::problem!("invoice-only-draft-changes")))
    }
}

pub fn event(kind: &'static str, inv: &invoice::Model) -> NewEvent {
    NewEvent {
        client_id: Some(inv.client_id),
        audience: AUDIENCE_ALL,
        kind,
        resource_id: inv.id,
        payload: serde_json::json!({"invoice_id": inv.id}),
        source: Source::invoice(inv.id),
    }
}

/// Drafts an invoice: totals and the number (the issue year's next) are the server's.
pub async fn create_draft(change: &mut Change<'_>, body: CreateInvoiceRequest) -> ApiResult<invoice::Model> {
    let currency = money::currency("currency", &body.currency)?;
    let lines = build_lines(&body.lines)?;
    let issue_date = body.issue_date.unwrap_or_else(today);
    check_dates(issue_date, body.due_date)?;
    clients::known(change.db(), body.client_id).await?;
    let totals = billing::totals(lines.iter().map(|l| l.amount_cents), body.tax_rate_bp);
    let now = Utc::now();
    let inv = invoice::ActiveModel {
        id: Set(Uuid::now_v7()),
        client_id: Set(body.client_id),
        number: Set(billing::next_number(change.db(), issue_date).await?),
        issue_date: Set(issue_date),
        due_date: Set(body.due_date),
        currency: Set(currency),
        status: Set(InvoiceStatus::Draft),
        tax_rate_bp: Set(body.tax_rate_bp),
        subtotal_cents: Set(totals.subtotal_cents),
        tax_cents: Set(totals.tax_cents),
        total_cents: Set(totals.total_cents),
        paid_cents: Set(0),
        payment_instructions: Set(body.payment_instructions),
        sent_at: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        first_viewed_at: Set(None),
        last_viewed_at: Set(None),
    }
    .insert(change.db())
    .await?;
    write_lines(change.db(), &inv, &lines).await?;
    let entry = Entry::new("invoice.drafted", "invoice", Some(inv.id), Some(inv.client_id));
    change.audit(entry.details(serde_json::json!({"number": inv.number}))).await?;
    Ok(inv)
}

/// Edits a draft (lines are replaced as a whole); totals are computed again.
pub async fn update_draft(change: &mut Change<'_>, inv: invoice::Model, body: UpdateInvoiceRequest) -> ApiResult<()> {
    editable(&inv)?;
    let issue_date = body.issue_date.unwrap_or(inv.issue_date);
    let due_date = body.due_date.unwrap_or(inv.due_date);
    check_dates(issue_date, due_date)?;
    let tax_rate_bp = body.tax_rate_bp.unwrap_or(inv.tax_rate_bp);
    let amounts: Vec<i64> = match &body.lines {
        Some(lines) => {
            let lines = build_lines(lines)?;
            write_lines(change.db(), &inv, &lines).await?;
            lines.iter().map(|l| l.amount_cents).collect()
        }
        None => invoice_line::Entity::find()
            .filter(invoice_line::Column::InvoiceId.eq(inv.id))
            .all(change.db())
            .await?
            .iter()
            .map(|l| l.amount_cents)
            .collect(),
    };
    let totals = billing::totals(amounts, tax_rate_bp);
    let mut active = inv.into_active_model();
    active.issue_date = Set(issue_date);
    active.due_date = Set(due_date);
    active.tax_rate_bp = Set(tax_rate_bp);
    if let Some(c) = &body.currency {
        active.currency = Set(money::currency("currency", c)?);
    }
    if let Some(p) = body.payment_instructions {
        active.payment_instructions = Set(p);
    }
    active.subtotal_cents = Set(totals.subtotal_cents);
    active.tax_cents = Set(totals.tax_cents);
    active.total_cents = Set(totals.total_cents);
    active.updated_at = Set(Utc::now());
    active.update(change.db()).await?;
    Ok(())
}

/// Deletes a draft.
pub async fn delete_draft(change: &mut Change<'_>, inv: invoice::Model) -> ApiResult<()> {
    editable(&inv)?;
    invoice::Entity::delete_by_id(inv.id).exec(change.db()).await?;
    let entry = Entry::new("invoice.deleted", "invoice", Some(inv.id), Some(inv.client_id));
    change.audit(entry.details(serde_json::json!({"number": inv.number}))).await?;
    Ok(())
}

/// The moves of the state machine that staff make by hand.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Transition {
    /// A draft goes to the client: from now on they see it and are told.
    Send,
    /// A draft or a sent invoice without payments stops counting.
    Void,
}

impl Transition {
    fn from(self) -> &'static [InvoiceStatus] {
        match self {
            Transition::Send => &[InvoiceStatus::Draft],
            Transition::Void => &[InvoiceStatus::Draft, InvoiceStatus::Sent],
        }
    }

    fn to(self) -> InvoiceStatus {
        match self {
            Transition::Send => InvoiceStatus::Sent,
            Transition::Void => InvoiceStatus::Void,
        }
    }

    fn action(self) -> &'static str {
        match self {
            Transition::Send => "invoice.sent",
            Transition::Void => "invoice.voided",
        }
    }

    fn refused(self) -> ApiError {
        ApiError::Conflict(match self {
            Transition::Send => crate::problem!("invoice-only-draft-sent"),
            Transition::Void => crate::problem!("invoice-void-refused"),
        })
    }
}

/// Moves `inv` along `t`, atomically: a concurrent change makes this a 409. Returns the
/// invoice as it now is.
pub async fn transition(change: &mut Change<'_>, inv: invoice::Model, t: Transition) -> ApiResult<invoice::Model> {
    let now = Utc::now();
    let mut update = invoice::Entity::update_many()
        .col_expr(invoice::Column::Status, Expr::value(t.to()))
        .col_expr(invoice::Column::UpdatedAt, Expr::value(now))
        .filter(invoice::Column::Id.eq(inv.id))
        .filter(invoice::Column::Status.is_in(t.from().iter().copied()));
    match t {
        Transition::Send => update = update.col_expr(invoice::Column::SentAt, Expr::value(now)),
        Transition::Void => update = update.filter(invoice::Column::PaidCents.eq(0)),
    }
    if update.exec(change.db()).await?.rows_affected != 1 {
        return Err(t.refused());
    }
    let entry = Entry::new(t.action(), "invoice", Some(inv.id), Some(inv.client_id));
    change.audit(entry.details(serde_json::json!({"number": inv.number}))).await?;
    match t {
        Transition::Send => {
            let event_id = change.event(event("invoice.sent", &inv)).await?;
            notify::invoice_sent(change, &inv, event_id).await?;
        }
        // Clients never see drafts, so voiding one is nobody's news but staff's.
        Transition::Void if inv.status != InvoiceStatus::Draft => {
            change.event(event("invoice.updated", &inv)).await?;
        }
        Transition::Void => {}
    }
    invoice::Entity::find_by_id(inv.id).one(change.db()).await?.ok_or(ApiError::NotFound)
}

/// Records a (possibly partial) payment on a sent invoice; it becomes `paid` when nothing is
/// left due.
pub async fn record_payment(change: &mut Change<'_>, inv: invoice::Model, body: CreatePaymentRequest) -> ApiResult<()> {
    if inv.status != InvoiceStatus::Sent {
        return Err(ApiError::Conflict(crate::problem!("invoice-payment-not-open")));
    }
    let balance = inv.total_cents - inv.paid_cents;
    if body.amount_cents > balance {
        return Err(ApiError::field(
            "amount_cents",
            crate::problem!("invoice-payment-over-balance", balance = balance),
        ));
    }
    let movement = Movement {
        amount_cents: body.amount_cents,
        paid_on: body.paid_on.unwrap_or_else(today),
        method: body.method,
        reference: body.reference,
        external_id: None,
    };
    apply(change, &inv, movement).await.map(drop)
}

/// Money moving on an invoice: a payment (positive) or a refund (negative).
pub struct Movement {
    pub amount_cents: i64,
    pub paid_on: NaiveDate,
    pub method: String,
    pub reference: Option<String>,
    /// The payment provider's id of it, unique: the same one is never recorded twice.
    pub external_id: Option<String>,
}

/// Applies a checked movement to `inv` (sent or paid, and `0 <= paid + amount <= total`):
/// the payment row, the invoice's paid amount and status (`paid` when nothing is left due,
/// `sent` again after a refund), the audit entry and the event. Returns the invoice's status.
pub async fn apply(change: &mut Change<'_>, inv: &invoice::Model, m: Movement) -> ApiResult<InvoiceStatus> {
    let paid = inv.paid_cents + m.amount_cents;
    debug_assert!((0..=inv.total_cents).contains(&paid));
    let now = Utc::now();
    let status = if paid == inv.total_cents { InvoiceStatus::Paid } else { InvoiceStatus::Sent };
    // Optimistic: if another payment landed meanwhile, `paid_cents` moved and this matches nothing.
    let updated = invoice::Entity::update_many()
        .col_expr(invoice::Column::PaidCents, Expr::value(paid))
        .col_expr(invoice::Column::Status, Expr::value(status))
        .col_expr(invoice::Column::UpdatedAt, Expr::value(now))
        .filter(invoice::Column::Id.eq(inv.id))
        .filter(invoice::Column::PaidCents.eq(inv.paid_cents))
        .filter(invoice::Column::Status.is_in([InvoiceStatus::Sent, InvoiceStatus::Paid]))
        .exec(change.db())
        .await?;
    if updated.rows_affected != 1 {
        return Err(ApiError::Conflict(crate::problem!("invoice-changed-during-payment")));
    }
    let p = payment::ActiveModel {
        id: Set(Uuid::now_v7()),
        invoice_id: Set(inv.id),
        client_id: Set(inv.client_id),
        paid_on: Set(m.paid_on),
        amount_cents: Set(m.amount_cents),
        method: Set(m.method),
        reference: Set(m.reference),
        recorded_by: Set(change.actor().map(|a| a.user_id)),
        created_at: Set(now),
        external_id: Set(m.external_id),
    }
    .insert(change.db())
    .await
    .map_err(ApiError::conflict_on_unique("invoice-payment-already-recorded"))?;
    let action = if p.amount_cents < 0 { "invoice.refund_recorded" } else { "invoice.payment_recorded" };
    let entry = Entry::new(action, "invoice", Some(inv.id), Some(inv.client_id));
    change.audit(entry.details(serde_json::json!({"payment_id": p.id, "amount_cents": p.amount_cents}))).await?;
    let kind = if status == InvoiceStatus::Paid { "invoice.paid" } else { "invoice.updated" };
    change.event(event(kind, inv)).await?;
    Ok(status)
}

/// The invoice, locked for the rest of `change` (PostgreSQL; SQLite has one writer), so
/// payments arriving together are applied one after the other.
pub async fn locked(change: &Change<'_>, id: Uuid) -> ApiResult<invoice::Model> {
    invoice::Entity::find_by_id(id).lock_exclusive().one(change.db()).await?.ok_or(ApiError::NotFound)
}

/// An invoice as a PDF file.
pub struct Pdf {
    pub bytes: Vec<u8>,
    pub filename: String,
}

/// How a client's person looked at an invoice.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Via {
    Detail,
    Pdf,
}

/// Whether `actor` looking at `inv` is a view to record: one of the client's own people, not
/// staff viewing as them, and an invoice they were sent.
pub fn counts_as_view(actor: &Actor, inv: &invoice::Model) -> bool {
    actor.is_client() && actor.viewed_by.is_none() && inv.status != InvoiceStatus::Draft
}

/// Records a look at a sent invoice by one of the client's people: the view itself, the
/// invoice's first and latest view, and a staff-only live event (lists showing "Viewed").
pub async fn record_view(change: &mut Change<'_>, inv: &invoice::Model, via: Via) -> ApiResult<()> {
    let Some(actor) = change.actor() else { return Ok(()) };
    let now = Utc::now();
    invoice_view::ActiveModel {
        id: Set(Uuid::now_v7()),
        invoice_id: Set(inv.id),
        client_id: Set(inv.client_id),
        user_id: Set(actor.user_id),
        via: Set(match via {
            Via::Detail => "detail",
            Via::Pdf => "pdf",
        }
        .into()),
        viewed_at: Set(now),
    }
    .insert(change.db())
    .await?;
    // `updated_at` stays: a look is not a change of the invoice.
    invoice::Entity::update_many()
        .col_expr(invoice::Column::FirstViewedAt, Expr::col(invoice::Column::FirstViewedAt).if_null(Expr::value(now)))
        .col_expr(invoice::Column::LastViewedAt, Expr::value(now))
        .filter(invoice::Column::Id.eq(inv.id))
        .exec(change.db())
        .await?;
    change
        .event(NewEvent {
            client_id: Some(inv.client_id),
            audience: AUDIENCE_STAFF,
            kind: "invoice.viewed",
            resource_id: inv.id,
            payload: serde_json::json!({"invoice_id": inv.id}),
            source: Source::invoice(inv.id),
        })
        .await?;
    Ok(())
}

/// What the agency's documents are headed with.
pub fn letterhead(s: &portal_settings::Model, logo: Option<Picture>) -> Letterhead<'_> {
    Letterhead {
        agency_name: &s.agency_name,
        agency_address: &s.agency_address,
        primary: Color::hex(&s.primary_color),
        paper: settings::Paper::from_db(&s.invoice_paper),
        logo,
    }
}

/// Renders an invoice the caller may read as a PDF (drafts too, for staff, marked DRAFT).
pub async fn pdf(
    db: &impl ConnectionTrait,
    storage: &Storage,
    actor: &Actor,
    id: Uuid,
) -> ApiResult<(invoice::Model, Pdf)> {
    let (inv, lines) = policy::invoices(actor).one_with(async |s| Ok(with_lines(db, s, id).await?)).await?;
    let client = client::Entity::find_by_id(inv.client_id).one(db).await?.ok_or(ApiError::NotFound)?;
    let settings = settings::load(db).await?;
    let logo = settings::logo_picture(storage, &settings).await;
    let filename = format!("{}.pdf", inv.number);
    // Some milliseconds of CPU for a long invoice: off the request threads.
    let (inv, bytes) = tokio::task::spawn_blocking(move || {
        let bytes = render_pdf(&settings, logo, &client, &inv, &lines);
        (inv, bytes)
    })
    .await
    .map_err(|e| ApiError::Internal(e.into()))?;
    Ok((inv, Pdf { bytes: bytes?, filename }))
}

/// The mails about an invoice that carry its PDF: the invoice itself and its reminders.
pub const WITH_PDF: &[&str] = &["invoice_sent", "invoice_overdue", "invoice_due"];

/// What the mailer attaches: an invoice mail carries the invoice's PDF, rendered as the
/// invoice stands when the mail leaves. Only the database being away is an error (try again);
/// a PDF that cannot be made is logged and the message goes without it.
pub fn mail_attachments(storage: std::sync::Arc<Storage>) -> mail::Attach {
    std::sync::Arc::new(move |db, msg| {
        let storage = storage.clone();
        Box::pin(async move {
            let id = match (msg.source_type.as_deref(), msg.source_id) {
                (Some("invoice"), Some(id)) if WITH_PDF.contains(&msg.kind.as_str()) => id,
                _ => return Ok(Vec::new()),
            };
            match pdf_for_mail(&db, &storage, id).await {
                Ok(Some(pdf)) => Ok(vec![mail::MailFile {
                    name: pdf.filename,
                    content_type: "application/pdf".into(),
                    bytes: pdf.bytes,
                }]),
                Ok(None) => Ok(Vec::new()),
                Err(ApiError::Db(e)) => Err(format!("the invoice's PDF could not be made: {e}")),
                Err(e) => {
                    tracing::warn!(error = %e, id = %msg.id, "an invoice e-mail goes without its PDF");
                    Ok(Vec::new())
                }
            }
        })
    })
}

/// The PDF an e-mail about invoice `id` carries (`None` if the invoice is gone or a draft).
/// Read as the agency, by the mail worker: the recipient was chosen when the mail was made.
pub async fn pdf_for_mail(db: &impl ConnectionTrait, storage: &Storage, id: Uuid) -> ApiResult<Option<Pdf>> {
    let Some((inv, lines)) = with_lines(db, invoice::Entity::find(), id).await? else { return Ok(None) };
    if inv.status == InvoiceStatus::Draft {
        return Ok(None);
    }
    let client = client::Entity::find_by_id(inv.client_id).one(db).await?.ok_or(ApiError::NotFound)?;
    let settings = settings::load(db).await?;
    let logo = settings::logo_picture(storage, &settings).await;
    let filename = format!("{}.pdf", inv.number);
    let bytes = tokio::task::spawn_blocking(move || render_pdf(&settings, logo, &client, &inv, &lines))
        .await
        .map_err(|e| ApiError::Internal(e.into()))??;
    Ok(Some(Pdf { bytes, filename }))
}

/// The PDF of `inv` (for the caller that already loaded its rows).
pub fn render_pdf(
    settings: &portal_settings::Model,
    logo: Option<Picture>,
    client: &client::Model,
    inv: &invoice::Model,
    lines: &[invoice_line::Model],
) -> ApiResult<Vec<u8>> {
    let doc = InvoiceDocument {
        letterhead: letterhead(settings, logo),
        client: Addressee {
            name: &client.name,
            address: client.billing_address.as_deref(),
            tax_id: client.tax_id.as_deref(),
        },
        number: &inv.number,
        issue_date: inv.issue_date,
        due_date: inv.due_date,
        currency: &inv.currency,
        lines: lines
            .iter()
            .map(|l| documents::Line {
                description: &l.description,
                quantity_milli: l.quantity_milli,
                unit_price_cents: l.unit_price_cents,
                amount_cents: l.amount_cents,
            })
            .collect(),
        tax_rate_bp: inv.tax_rate_bp,
        subtotal_cents: inv.subtotal_cents,
        tax_cents: inv.tax_cents,
        total_cents: inv.total_cents,
        paid_cents: inv.paid_cents,
        payment_instructions: &inv.payment_instructions,
        mark: match inv.status {
            InvoiceStatus::Paid => Some(Mark::Paid),
            InvoiceStatus::Void => Some(Mark::Void),
            InvoiceStatus::Draft => Some(Mark::Draft),
            InvoiceStatus::Sent => None,
        },
        numbers: &settings::numbers(settings, Some(client)),
        language: settings::document_language(settings, Some(client)),
    };
    match documents::invoice_pdf(&doc) {
        Ok(bytes) => Ok(bytes),
        // A logo that cannot be drawn must not cost the client their invoice.
        Err(e) if doc.letterhead.logo.is_some() => {
            tracing::warn!(error = %e, "the logo could not be drawn; the invoice is rendered without it");
            let doc = InvoiceDocument { letterhead: letterhead(settings, None), ..doc };
            documents::invoice_pdf(&doc).map_err(|e| ApiError::Internal(anyhow::anyhow!("rendering invoice PDF: {e}")))
        }
        Err(e) => Err(ApiError::Internal(anyhow::anyhow!("rendering invoice PDF: {e}"))),
    }
}
