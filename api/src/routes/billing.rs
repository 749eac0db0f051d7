//! Statements of account and the agency's receivables.
use super::prelude::*;
use crate::domain::statements::{self, AgingResponse, StatementQuery, StatementResponse};

/// A client's statement of account: per currency, the balance due and its aging (days past
/// due: 0–30, 31–60, 61–90, over 90), every open invoice and the payments of a period. A
/// client reads their own account's (404 for another's); staff any.
#[utoipa::path(tag = "invoices", params(("id" = Uuid, Path), StatementQuery), responses((status = 200, body = StatementResponse)))]
#[get("/clients/{id}/statement")]
pub async fn get_statement(
    state: State,
    actor: Actor,
    id: web::Path<Uuid>,
    query: web::Query<StatementQuery>,
) -> ApiResult<web::Json<StatementResponse>> {
    Ok(web::Json(statements::statement(&state.db, &actor, *id, &query).await?.1))
}

/// The statement of account as a PDF.
#[utoipa::path(
    tag = "invoices",
    params(("id" = Uuid, Path), StatementQuery),
    responses((status = 200, description = "The PDF", content_type = "application/pdf", body = Vec<u8>))
)]
#[get("/clients/{id}/statement/pdf")]
pub async fn get_statement_pdf(
    state: State,
    actor: Actor,
    id: web::Path<Uuid>,
    query: web::Query<StatementQuery>,
) -> ApiResult<HttpResponse> {
    let pdf = statements::statement_pdf(&state.db, &state.storage, &actor, *id, &query).await?;
    Ok(crate::headers::pdf(pdf.bytes, &pdf.filename))
}

/// Every client's balance and aging on one screen, largest balance first, with the totals
/// (staff with `invoices.read`).
#[utoipa::path(tag = "invoices", responses((status = 200, body = AgingResponse)))]
#[get("/billing/aging")]
pub async fn get_aging(state: State, actor: Actor) -> ApiResult<web::Json<AgingResponse>> {
    Ok(web::Json(statements::aging(&state.db, &actor).await?))
}

pub fn config(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(get_statement).service(get_statement_pdf).service(get_aging);
}
