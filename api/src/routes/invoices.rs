//! Invoices, their lines and payments. Clients read the invoices sent to their account
//! (`invoices.read`); staff with `invoices.write` draft, send, void and record payments.
use super::prelude::*;
use crate::domain::invoices::{
    self, CreateInvoiceRequest, CreatePaymentRequest, InvoiceDetailResponse, InvoiceResponse, ListInvoicesQuery,
    PaymentResponse, Transition, UpdateInvoiceRequest, Via,
};

/// List invoices (a client sees those sent to their account, never drafts).
#[utoipa::path(tag = "invoices", params(ListInvoicesQuery), responses((status = 200, body = Page<InvoiceResponse>)))]
#[get("/invoices")]
pub async fn list_invoices(
    state: State,
    actor: Actor,
    query: web::Query<ListInvoicesQuery>,
) -> ApiResult<web::Json<Page<InvoiceResponse>>> {
    Ok(web::Json(invoices::list(&state.db, &actor, &query).await?))
}

/// Draft an invoice; totals and the number are computed by the server.
#[utoipa::path(tag = "invoices", request_body = CreateInvoiceRequest, responses((status = 201, body = InvoiceDetailResponse)))]
#[post("/invoices")]
pub async fn create_invoice(state: State, actor: Actor, body: Body<CreateInvoiceRequest>) -> ApiResult<HttpResponse> {
    actor.require(Perm::InvoicesWrite)?;
    body.validate()?;
    let inv = Change::run(&state, Some(&actor), async |c| invoices::create_draft(c, body.into_inner()).await).await?;
    Ok(HttpResponse::Created().json(invoices::detail(&state.db, &actor, inv.id).await?))
}

/// An invoice with its lines and payments.
#[utoipa::path(tag = "invoices", params(("id" = Uuid, Path)), responses((status = 200, body = InvoiceDetailResponse)))]
#[get("/invoices/{id}")]
pub async fn get_invoice(
    state: State,
    actor: Actor,
    id: web::Path<Uuid>,
) -> ApiResult<web::Json<InvoiceDetailResponse>> {
    Ok(web::Json(invoices::detail(&state.db, &actor, *id).await?))
}

/// Edit a draft invoice (lines are replaced as a whole).
#[utoipa::path(tag = "invoices", params(("id" = Uuid, Path)), request_body = UpdateInvoiceRequest, responses((status = 200, body = InvoiceDetailResponse)))]
#[patch("/invoices/{id}")]
pub async fn update_invoice(
    state: State,
    actor: Actor,
    id: web::Path<Uuid>,
    if_match: IfMatch,
    body: Body<UpdateInvoiceRequest>,
) -> ApiResult<web::Json<InvoiceDetailResponse>> {
    let inv = policy::invoices(&actor).get_for(&state.db, *id, Perm::InvoicesWrite).await?;
    body.validate()?;
    let id = inv.id;
    Change::run(&state, Some(&actor), async |c| {
        if_match.hold(c, "invoices", id, async |db| invoices::detail(db, &actor, id).await).await?;
        invoices::update_draft(c, inv, body.into_inner()).await
    })
    .await?;
    Ok(web::Json(invoices::detail(&state.db, &actor, id).await?))
}

/// Delete a draft invoice.
#[utoipa::path(tag = "invoices", params(("id" = Uuid, Path)), responses((status = 204, description = "Deleted")))]
#[delete("/invoices/{id}")]
pub async fn delete_invoice(state: State, actor: Actor, id: web::Path<Uuid>) -> ApiResult<HttpResponse> {
    let inv = policy::invoices(&actor).get_for(&state.db, *id, Perm::InvoicesWrite).await?;
    Change::run(&state, Some(&actor), async |c| invoices::delete_draft(c, inv).await).await?;
    Ok(HttpResponse::NoContent().finish())
}

async fn transition(state: &AppState, actor: &Actor, id: Uuid, t: Transition) -> ApiResult<InvoiceDetailResponse> {
    let inv = policy::invoices(actor).get_for(&state.db, id, Perm::InvoicesWrite).await?;
    Change::run(state, Some(actor), async |c| invoices::transition(c, inv, t).await.map(drop)).await?;
    invoices::detail(&state.db, actor, id).await
}

/// Send a draft invoice to the client: from now on they see it.
#[utoipa::path(tag = "invoices", params(("id" = Uuid, Path)), responses((status = 200, body = InvoiceDetailResponse)))]
#[post("/invoices/{id}/send")]
pub async fn send_invoice(
    state: State,
    actor: Actor,
    id: web::Path<Uuid>,
) -> ApiResult<web::Json<InvoiceDetailResponse>> {
    Ok(web::Json(transition(&state, &actor, *id, Transition::Send).await?))
}

/// Void an invoice that has no payments.
#[utoipa::path(tag = "invoices", params(("id" = Uuid, Path)), responses((status = 200, body = InvoiceDetailResponse)))]
#[post("/invoices/{id}/void")]
pub async fn void_invoice(
    state: State,
    actor: Actor,
    id: web::Path<Uuid>,
) -> ApiResult<web::Json<InvoiceDetailResponse>> {
    Ok(web::Json(transition(&state, &actor, *id, Transition::Void).await?))
}

/// The payments recorded against an invoice.
#[utoipa::path(tag = "invoices", params(("id" = Uuid, Path)), responses((status = 200, body = Vec<PaymentResponse>)))]
#[get("/invoices/{id}/payments")]
pub async fn list_payments(
    state: State,
    actor: Actor,
    id: web::Path<Uuid>,
) -> ApiResult<web::Json<Vec<PaymentResponse>>> {
    Ok(web::Json(invoices::payments(&state.db, &actor, *id).await?))
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
    let id = inv.id;
    Change::run(&state, Some(&actor), async |c| invoices::record_payment(c, inv, body.into_inner()).await).await?;
    Ok(HttpResponse::Created().json(invoices::detail(&state.db, &actor, id).await?))
}

/// The invoice as a PDF: the agency's letterhead, the client's billing details, every line,
/// the totals, what is paid and due, how to pay; marked PAID, VOID or (staff's preview of a
/// draft) DRAFT. A client's download counts as a view of the invoice.
#[utoipa::path(
    tag = "invoices",
    params(("id" = Uuid, Path)),
    responses(
        (status = 200, description = "The PDF", content_type = "application/pdf", body = Vec<u8>),
    )
)]
#[get("/invoices/{id}/pdf")]
pub async fn invoice_pdf(state: State, actor: Actor, id: web::Path<Uuid>) -> ApiResult<HttpResponse> {
    let (inv, pdf) = invoices::pdf(&state.db, &state.storage, &actor, *id).await?;
    if invoices::counts_as_view(&actor, &inv) {
        Change::run(&state, Some(&actor), async |c| invoices::record_view(c, &inv, Via::Pdf).await).await?;
    }
    Ok(crate::headers::pdf(pdf.bytes, &pdf.filename))
}

/// Tell the agency that the caller has the invoice open (the portal's invoice page calls it
/// once when it shows the invoice). Recorded for a client's own people on a sent invoice; a
/// no-op for staff and for View-as, which never count.
#[utoipa::path(
    tag = "invoices",
    params(("id" = Uuid, Path)),
    responses(
        (status = 204, description = "Noted"),
    )
)]
#[post("/invoices/{id}/views")]
pub async fn record_view(
    state: State,
    crate::extract::Reader(actor): crate::extract::Reader,
    id: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    let inv = policy::invoices(&actor).get(&state.db, *id).await?;
    if invoices::counts_as_view(&actor, &inv) {
        Change::run(&state, Some(&actor), async |c| invoices::record_view(c, &inv, Via::Detail).await).await?;
    }
    Ok(HttpResponse::NoContent().finish())
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
        .service(create_payment)
        .service(invoice_pdf)
        .service(record_view);
}
