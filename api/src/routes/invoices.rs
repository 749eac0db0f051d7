//! Invoices, their lines and payments. Clients read the invoices sent to their account
//! (`invoices.read`); staff with `invoices.write` draft, send, void and record payments.
use sea_orm::{ConnectionTrait, QueryOrder, QuerySelect, sea_query::Expr};

use super::prelude::*;
use crate::{entities::event::AUDIENCE_ALL, services::events::NewEvent};

fn invoice_event(kind: &'static str, inv: &invoice::Model) -> NewEvent {
    NewEvent {
        client_id: Some(inv.client_id),
        audience: AUDIENCE_ALL,
        kind,
        resource_id: inv.id,
        payload: serde_json::json!({"invoice_id": inv.id}),
    }
}
use crate::{
    entities::{client, enums::InvoiceStatus, invoice, invoice_line, payment},
    services::billing::{self, DisplayStatus},
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
}

impl InvoiceResponse {
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

#[derive(Deserialize, IntoParams)]
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
    pub sort: Option<String>,
    pub limit: Option<u64>,
    pub cursor: Option<String>,
}

#[derive(Serialize, Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct LineRequest {
    #[validate(length(min = 1, max = 1000))]
    pub description: String,
    /// Positive, at most three decimals.
    pub quantity: f64,
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
    #[validate(range(min = 0, max = 10000))]
    #[serde(default)]
    pub tax_rate_bp: i32,
    #[validate(length(max = 5000))]
    #[serde(default)]
    pub payment_instructions: String,
    #[validate(length(min = 1, max = 200), nested)]
    pub lines: Vec<LineRequest>,
}

#[derive(Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct UpdateInvoiceRequest {
    pub issue_date: Option<NaiveDate>,
    pub due_date: Option<NaiveDate>,
    pub currency: Option<String>,
    #[validate(range(min = 0, max = 10000))]
    pub tax_rate_bp: Option<i32>,
    #[validate(length(max = 5000))]
    pub payment_instructions: Option<String>,
    /// Replaces all lines.
    #[validate(length(min = 1, max = 200), nested)]
    pub lines: Option<Vec<LineRequest>>,
}

#[derive(Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct CreatePaymentRequest {
    /// Defaults to today.
    pub paid_on: Option<NaiveDate>,
    #[validate(range(min = 1))]
    pub amount_cents: i64,
    /// E.g. `bank_transfer`, `card`.
    #[validate(length(min = 1, max = 50))]
    pub method: String,
    #[validate(length(max = 200))]
    pub reference: Option<String>,
}

const SORTS: &[Sort<invoice::Entity>] = &[
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

fn today() -> NaiveDate {
    Utc::now().date_naive()
}

fn check_currency(c: &str) -> ApiResult<String> {
    let c = c.trim().to_uppercase();
    if c.len() == 3 && c.chars().all(|ch| ch.is_ascii_uppercase()) {
        Ok(c)
    } else {
        Err(ApiError::field("currency", "must be a three-letter ISO 4217 code"))
    }
}

/// Validated lines with their computed amounts.
fn build_lines(lines: &[LineRequest]) -> ApiResult<Vec<(String, i64, i64, i64)>> {
    lines
        .iter()
        .enumerate()
        .map(|(i, l)| {
            let q =
                billing::quantity_milli(l.quantity).map_err(|m| ApiError::field(&format!("lines[{i}].quantity"), m))?;
            Ok((l.description.clone(), q, l.unit_price_cents, billing::line_amount(q, l.unit_price_cents)))
        })
        .collect()
}

async fn write_lines(
    db: &impl ConnectionTrait,
    inv: &invoice::Model,
    lines: &[(String, i64, i64, i64)],
) -> Result<(), sea_orm::DbErr> {
    invoice_line::Entity::delete_many().filter(invoice_line::Column::InvoiceId.eq(inv.id)).exec(db).await?;
    invoice_line::Entity::insert_many(lines.iter().enumerate().map(|(i, (desc, q, price, amount))| {
        invoice_line::ActiveModel {
            id: Set(Uuid::now_v7()),
            invoice_id: Set(inv.id),
            client_id: Set(inv.client_id),
            position: Set(i as i32),
            description: Set(desc.clone()),
            quantity_milli: Set(*q),
            unit_price_cents: Set(*price),
            amount_cents: Set(*amount),
        }
    }))
    .exec(db)
    .await?;
    Ok(())
}

/// Invoice, lines (one joined statement) and payments (a second), through the caller's scope.
async fn detail(db: &impl ConnectionTrait, actor: &Actor, id: Uuid) -> ApiResult<InvoiceDetailResponse> {
    let (inv, lines) = policy::invoices(actor)
        .one_with(async |s| {
            let mut found = s
                .filter(invoice::Column::Id.eq(id))
                .find_with_related(invoice_line::Entity)
                .order_by_asc(invoice_line::Column::Position)
                .all(db)
                .await?;
            Ok(found.pop())
        })
        .await?;
    let payments = payment::Entity::find()
        .filter(payment::Column::InvoiceId.eq(inv.id))
        .order_by_asc(payment::Column::PaidOn)
        .order_by_asc(payment::Column::Id)
        .all(db)
        .await?;
    Ok(InvoiceDetailResponse {
        invoice: InvoiceResponse::new(inv, today()),
        lines: lines.into_iter().map(Into::into).collect(),
        payments: payments.into_iter().map(Into::into).collect(),
    })
}

/// List invoices (a client sees those sent to their account, never drafts).
#[utoipa::path(tag = "invoices", params(ListInvoicesQuery), responses((status = 200, body = Page<InvoiceResponse>)))]
#[get("/invoices")]
pub async fn list_invoices(
    state: State,
    actor: Actor,
    query: web::Query<ListInvoicesQuery>,
) -> ApiResult<web::Json<Page<InvoiceResponse>>> {
    let mut select = policy::invoices(&actor).list()?;
    let limit = pagination::limit(query.limit)?;
    let sort = pagination::pick(SORTS, query.sort.as_deref())?;
    let today = today();
    select = match query.status {
        None => select,
        Some(DisplayStatus::Draft) => select.filter(invoice::Column::Status.eq(InvoiceStatus::Draft)),
        Some(DisplayStatus::Sent) => {
            select.filter(invoice::Column::Status.eq(InvoiceStatus::Sent)).filter(invoice::Column::DueDate.gte(today))
        }
        Some(DisplayStatus::Overdue) => {
            select.filter(invoice::Column::Status.eq(InvoiceStatus::Sent)).filter(invoice::Column::DueDate.lt(today))
        }
        Some(DisplayStatus::Paid) => select.filter(invoice::Column::Status.eq(InvoiceStatus::Paid)),
        Some(DisplayStatus::Void) => select.filter(invoice::Column::Status.eq(InvoiceStatus::Void)),
    };
    if query.unpaid == Some(true) {
        select = select.filter(invoice::Column::Status.eq(InvoiceStatus::Sent));
    }
    if let Some(id) = query.client_id {
        select = select.filter(invoice::Column::ClientId.eq(id));
    }
    if let Some(d) = query.due_before {
        select = select.filter(invoice::Column::DueDate.lt(d));
    }
    let rows = pagination::prepare(
        select.select_only().columns(invoice::COLUMNS),
        sort,
        invoice::Column::Id,
        query.cursor.as_deref(),
        limit,
    )?
    .into_model::<invoice::ByPosition>()
    .all(&state.db)
    .await?;
    let page = pagination::finish(rows.into_iter().map(|r| r.0).collect(), limit, sort.name, sort.key, |m| m.id);
    Ok(web::Json(page.map(|m| InvoiceResponse::new(m, today))))
}

/// Draft an invoice; totals and the number are computed by the server.
#[utoipa::path(tag = "invoices", request_body = CreateInvoiceRequest, responses((status = 201, body = InvoiceDetailResponse)))]
#[post("/invoices")]
pub async fn create_invoice(state: State, actor: Actor, body: Body<CreateInvoiceRequest>) -> ApiResult<HttpResponse> {
    actor.require(Perm::InvoicesWrite)?;
    body.validate()?;
    let body = body.into_inner();
    let currency = check_currency(&body.currency)?;
    let lines = build_lines(&body.lines)?;
    let issue_date = body.issue_date.unwrap_or_else(today);
    if body.due_date < issue_date {
        return Err(ApiError::field("due_date", "must not be before issue_date"));
    }
    client::Entity::find_by_id(body.client_id)
        .one(&state.db)
        .await?
        .ok_or_else(|| ApiError::field("client_id", "is not a known client"))?;
    let totals = billing::totals(lines.iter().map(|l| l.3), body.tax_rate_bp);
    let now = Utc::now();
    let txn = state.db.begin().await?;
    let number = billing::next_number(&txn, issue_date).await?;
    let inv = invoice::ActiveModel {
        id: Set(Uuid::now_v7()),
        client_id: Set(body.client_id),
        number: Set(number),
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
    }
    .insert(&txn)
    .await?;
    write_lines(&txn, &inv, &lines).await?;
    txn.commit().await?;
    Ok(HttpResponse::Created().json(detail(&state.db, &actor, inv.id).await?))
}

/// An invoice with its lines and payments.
#[utoipa::path(tag = "invoices", params(("id" = Uuid, Path)), responses((status = 200, body = InvoiceDetailResponse)))]
#[get("/invoices/{id}")]
pub async fn get_invoice(
    state: State,
    actor: Actor,
    id: web::Path<Uuid>,
) -> ApiResult<web::Json<InvoiceDetailResponse>> {
    Ok(web::Json(detail(&state.db, &actor, *id).await?))
}

fn editable(inv: &invoice::Model) -> ApiResult<()> {
    if inv.status == InvoiceStatus::Draft {
        Ok(())
    } else {
        Err(ApiError::Conflict("Only draft invoices can be changed; void it and draft a new one.".into()))
    }
}

/// Edit a draft invoice (lines are replaced as a whole).
#[utoipa::path(tag = "invoices", params(("id" = Uuid, Path)), request_body = UpdateInvoiceRequest, responses((status = 200, body = InvoiceDetailResponse)))]
#[patch("/invoices/{id}")]
pub async fn update_invoice(
    state: State,
    actor: Actor,
    id: web::Path<Uuid>,
    body: Body<UpdateInvoiceRequest>,
) -> ApiResult<web::Json<InvoiceDetailResponse>> {
    let inv = policy::invoices(&actor).get_for(&state.db, *id, Perm::InvoicesWrite).await?;
    body.validate()?;
    let body = body.into_inner();
    editable(&inv)?;
    let issue_date = body.issue_date.unwrap_or(inv.issue_date);
    let due_date = body.due_date.unwrap_or(inv.due_date);
    if due_date < issue_date {
        return Err(ApiError::field("due_date", "must not be before issue_date"));
    }
    let tax_rate_bp = body.tax_rate_bp.unwrap_or(inv.tax_rate_bp);
    let txn = state.db.begin().await?;
    let amounts: Vec<i64> = match &body.lines {
        Some(lines) => {
            let lines = build_lines(lines)?;
            write_lines(&txn, &inv, &lines).await?;
            lines.iter().map(|l| l.3).collect()
        }
        None => invoice_line::Entity::find()
            .filter(invoice_line::Column::InvoiceId.eq(inv.id))
            .all(&txn)
            .await?
            .iter()
            .map(|l| l.amount_cents)
            .collect(),
    };
    let totals = billing::totals(amounts, tax_rate_bp);
    let mut active = inv.clone().into_active_model();
    active.issue_date = Set(issue_date);
    active.due_date = Set(due_date);
    active.tax_rate_bp = Set(tax_rate_bp);
    if let Some(c) = &body.currency {
        active.currency = Set(check_currency(c)?);
    }
    if let Some(p) = body.payment_instructions {
        active.payment_instructions = Set(p);
    }
    active.subtotal_cents = Set(totals.subtotal_cents);
    active.tax_cents = Set(totals.tax_cents);
    active.total_cents = Set(totals.total_cents);
    active.updated_at = Set(Utc::now());
    active.update(&txn).await?;
    txn.commit().await?;
    Ok(web::Json(detail(&state.db, &actor, inv.id).await?))
}

/// Delete a draft invoice.
#[utoipa::path(tag = "invoices", params(("id" = Uuid, Path)), responses((status = 204, description = "Deleted")))]
#[delete("/invoices/{id}")]
pub async fn delete_invoice(state: State, actor: Actor, id: web::Path<Uuid>) -> ApiResult<HttpResponse> {
    let inv = policy::invoices(&actor).get_for(&state.db, *id, Perm::InvoicesWrite).await?;
    editable(&inv)?;
    invoice::Entity::delete_by_id(inv.id).exec(&state.db).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Moves an invoice from one of `from` to `to`, atomically: a concurrent change makes this 409.
async fn transition(
    state: &AppState,
    actor: &Actor,
    id: Uuid,
    from: &[InvoiceStatus],
    to: InvoiceStatus,
    action: &str,
    conflict: &str,
) -> ApiResult<InvoiceDetailResponse> {
    let inv = policy::invoices(actor).get_for(&state.db, id, Perm::InvoicesWrite).await?;
    let now = Utc::now();
    let txn = state.db.begin().await?;
    let mut update = invoice::Entity::update_many()
        .col_expr(invoice::Column::Status, Expr::value(to))
        .col_expr(invoice::Column::UpdatedAt, Expr::value(now))
        .filter(invoice::Column::Id.eq(inv.id))
        .filter(invoice::Column::Status.is_in(from.iter().copied()));
    if to == InvoiceStatus::Sent {
        update = update.col_expr(invoice::Column::SentAt, Expr::value(now));
    }
    if to == InvoiceStatus::Void {
        update = update.filter(invoice::Column::PaidCents.eq(0));
    }
    if update.exec(&txn).await?.rows_affected != 1 {
        return Err(ApiError::Conflict(conflict.into()));
    }
    audit::record(
        &txn,
        Some(actor),
        audit::Entry {
            action,
            target_type: "invoice",
            target_id: Some(inv.id),
            client_id: Some(inv.client_id),
            details: serde_json::json!({"number": inv.number}),
        },
    )
    .await?;
    txn.commit().await?;
    // Clients never see drafts, so voiding one is nobody's news but staff's.
    if to == InvoiceStatus::Sent || inv.status != InvoiceStatus::Draft {
        state
            .publish(invoice_event(if to == InvoiceStatus::Sent { "invoice.sent" } else { "invoice.updated" }, &inv))
            .await?;
    }
    if to == InvoiceStatus::Sent
        && let Err(e) = crate::services::notify::invoice_sent(state, &inv).await
    {
        tracing::error!(error = %e, "could not notify the client of a sent invoice");
    }
    detail(&state.db, actor, inv.id).await
}

/// Send a draft invoice to the client: from now on they see it.
#[utoipa::path(tag = "invoices", params(("id" = Uuid, Path)), responses((status = 200, body = InvoiceDetailResponse)))]
#[post("/invoices/{id}/send")]
pub async fn send_invoice(
    state: State,
    actor: Actor,
    id: web::Path<Uuid>,
) -> ApiResult<web::Json<InvoiceDetailResponse>> {
    Ok(web::Json(
        transition(
            &state,
            &actor,
            *id,
            &[InvoiceStatus::Draft],
            InvoiceStatus::Sent,
            "invoice.sent",
            "Only a draft invoice can be sent.",
        )
        .await?,
    ))
}

/// Void an invoice that has no payments.
#[utoipa::path(tag = "invoices", params(("id" = Uuid, Path)), responses((status = 200, body = InvoiceDetailResponse)))]
#[post("/invoices/{id}/void")]
pub async fn void_invoice(
    state: State,
    actor: Actor,
    id: web::Path<Uuid>,
) -> ApiResult<web::Json<InvoiceDetailResponse>> {
    Ok(web::Json(
        transition(
            &state,
            &actor,
            *id,
            &[InvoiceStatus::Draft, InvoiceStatus::Sent],
            InvoiceStatus::Void,
            "invoice.voided",
            "Only a draft or sent invoice without payments can be voided.",
        )
        .await?,
    ))
}

/// The payments recorded against an invoice.
#[utoipa::path(tag = "invoices", params(("id" = Uuid, Path)), responses((status = 200, body = Vec<PaymentResponse>)))]
#[get("/invoices/{id}/payments")]
pub async fn list_payments(
    state: State,
    actor: Actor,
    id: web::Path<Uuid>,
) -> ApiResult<web::Json<Vec<PaymentResponse>>> {
    let inv = policy::invoices(&actor).get(&state.db, *id).await?;
    let payments = policy::payments(&actor)
        .list()?
        .filter(payment::Column::InvoiceId.eq(inv.id))
        .order_by_asc(payment::Column::PaidOn)
        .order_by_asc(payment::Column::Id)
        .all(&state.db)
        .await?;
    Ok(web::Json(payments.into_iter().map(Into::into).collect()))
}

/// Record a (possibly partial) payment; the invoice becomes `paid` when nothing is left due.
#[utoipa::path(tag = "invoices", params(("id" = Uuid, Path)), request_body = CreatePaymentRequest, responses((status = 201, body = InvoiceDetailResponse)))]
#[post("/invoices/{id}/payments")]
pub async fn create_payment(
    state: State,
    actor: Actor,
    id: web::Path<Uuid>,
    body: Body<CreatePaymentRequest>,
) -> ApiResult<HttpResponse> {
    let inv = policy::invoices(&actor).get_for(&state.db, *id, Perm::InvoicesWrite).await?;
    body.validate()?;
    let body = body.into_inner();
    if inv.status != InvoiceStatus::Sent {
        return Err(ApiError::Conflict(
            "Payments can be recorded only on a sent invoice that is not fully paid.".into(),
        ));
    }
    let balance = inv.total_cents - inv.paid_cents;
    if body.amount_cents > balance {
        return Err(ApiError::field("amount_cents", format!("is more than the balance due ({balance})")));
    }
    let paid = inv.paid_cents + body.amount_cents;
    let now = Utc::now();
    let txn = state.db.begin().await?;
    // Optimistic: if another payment landed meanwhile, `paid_cents` moved and this matches nothing.
    let updated = invoice::Entity::update_many()
        .col_expr(invoice::Column::PaidCents, Expr::value(paid))
        .col_expr(
            invoice::Column::Status,
            Expr::value(if paid == inv.total_cents { InvoiceStatus::Paid } else { InvoiceStatus::Sent }),
        )
        .col_expr(invoice::Column::UpdatedAt, Expr::value(now))
        .filter(invoice::Column::Id.eq(inv.id))
        .filter(invoice::Column::PaidCents.eq(inv.paid_cents))
        .filter(invoice::Column::Status.eq(InvoiceStatus::Sent))
        .exec(&txn)
        .await?;
    if updated.rows_affected != 1 {
        return Err(ApiError::Conflict(
            "The invoice changed while recording this payment; reload and try again.".into(),
        ));
    }
    let p = payment::ActiveModel {
        id: Set(Uuid::now_v7()),
        invoice_id: Set(inv.id),
        client_id: Set(inv.client_id),
        paid_on: Set(body.paid_on.unwrap_or_else(today)),
        amount_cents: Set(body.amount_cents),
        method: Set(body.method),
        reference: Set(body.reference),
        recorded_by: Set(Some(actor.user_id)),
        created_at: Set(now),
    }
    .insert(&txn)
    .await?;
    audit::record(
        &txn,
        Some(&actor),
        audit::Entry {
            action: "invoice.payment_recorded",
            target_type: "invoice",
            target_id: Some(inv.id),
            client_id: Some(inv.client_id),
            details: serde_json::json!({"payment_id": p.id, "amount_cents": p.amount_cents}),
        },
    )
    .await?;
    txn.commit().await?;
    state
        .publish(invoice_event(if paid == inv.total_cents { "invoice.paid" } else { "invoice.updated" }, &inv))
        .await?;
    Ok(HttpResponse::Created().json(detail(&state.db, &actor, inv.id).await?))
}

pub fn config(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_invoices)
        .service(create_invoice)
        .service(get_invoice)
        .service(update_invoice)
        .service(delete_invoice)
        .service(send_invoice)
        .service(void_invoice)
        .service(list_payments)
        .service(create_payment);
}
