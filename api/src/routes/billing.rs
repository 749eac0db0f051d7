//! Statements of account and the agency's receivables.
use actix_web::http::header::{self, ContentDisposition, DispositionParam, DispositionType};

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
    let ascii: String =
        pdf.filename.chars().map(|c| if c.is_ascii_alphanumeric() || " .-_".contains(c) { c } else { '_' }).collect();
    let mut parameters = vec![DispositionParam::Filename(ascii)];
    if !pdf.filename.is_ascii() {
        parameters.push(DispositionParam::FilenameExt(header::ExtendedValue {
            charset: header::Charset::Ext("UTF-8".into()),
            language_tag: None,
            value: pdf.filename.into_bytes(),
        }));
    }
    Ok(HttpResponse::Ok()
        .content_type("application/pdf")
        .insert_header(ContentDisposition { disposition: DispositionType::Attachment, parameters })
        .insert_header((header::CACHE_CONTROL, "private, no-store"))
        .body(pdf.bytes))
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
