//! Paying invoices online (Stripe Checkout): "Pay now", and the webhook Stripe tells
//! Portico of payments through.
use actix_web::HttpRequest;

use super::prelude::*;
use crate::{
    domain::payments::{self, CheckoutResponse, Outcome},
    services::stripe::SignatureError,
};

/// Start paying an invoice online: a Stripe Checkout Session for the balance due; send the
/// browser to `url`. Stripe returns it to the invoice (`?payment=done` or `?payment=cancelled`);
/// the payment itself is recorded when Stripe's webhook says so. For the client's own people
/// (staff get 403); 404 when online payment is not configured.
#[utoipa::path(
    tag = "invoices",
    params(("id" = Uuid, Path)),
    responses(
        (status = 201, body = CheckoutResponse),
        (status = 409, description = "The invoice is paid, void or has nothing due", body = crate::error::Problem),
        (status = 503, description = "Stripe could not be reached; try again", body = crate::error::Problem),
    )
)]
#[post("/invoices/{id}/checkout")]
pub async fn create_checkout(state: State, actor: Actor, id: web::Path<Uuid>) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Created().json(payments::checkout(&state, &actor, *id).await?))
}

#[derive(serde::Serialize, ToSchema)]
pub struct WebhookReceived {
    pub received: bool,
    pub outcome: Outcome,
}

/// Stripe's webhook endpoint (configure it in Stripe for `checkout.session.completed`,
/// `checkout.session.async_payment_succeeded`, `checkout.session.expired` and
/// `charge.refunded`). The `Stripe-Signature` header must verify against the raw body and be
/// recent; each event is acted on once.
#[utoipa::path(
    tag = "invoices",
    security(()),
    request_body(content = Object, content_type = "application/json", description = "A Stripe event"),
    responses(
        (status = 200, body = WebhookReceived),
        (status = 400, description = "Bad or stale signature, or not an event: nothing changed", body = crate::error::Problem),
        (status = 404, description = "Online payment is not configured", body = crate::error::Problem),
    )
)]
#[post("/payments/stripe/webhook")]
pub async fn stripe_webhook(state: State, req: HttpRequest, body: web::Bytes) -> ApiResult<web::Json<WebhookReceived>> {
    let Some(stripe) = state.stripe.as_deref() else { return Err(ApiError::NotFound) };
    let signature = req.headers().get("stripe-signature").and_then(|v| v.to_str().ok());
    stripe
        .verify(signature, &body, chrono::Utc::now().timestamp())
        .map_err(|e| ApiError::BadRequest(refused_signature(e)))?;
    let event: serde_json::Value =
        serde_json::from_slice(&body).map_err(|_| ApiError::BadRequest(crate::problem!("http-not-stripe-event")))?;
    let outcome = payments::handle_event(&state, &event).await?;
    Ok(web::Json(WebhookReceived { received: true, outcome }))
}

/// A refused signature, one message per reason: word order differs between languages.
fn refused_signature(e: SignatureError) -> String {
    match e {
        SignatureError::Missing => crate::problem!("http-stripe-signature-missing"),
        SignatureError::Malformed => crate::problem!("http-stripe-signature-malformed"),
        SignatureError::Stale => crate::problem!("http-stripe-signature-stale"),
        SignatureError::Mismatch => crate::problem!("http-stripe-signature-mismatch"),
    }
}

pub fn config(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(create_checkout).service(stripe_webhook);
}
