//! Paying invoices online through Stripe Checkout.
//!
//! "Pay now" records an attempt (the amount due, the currency) and asks Stripe for a Checkout
//! Session for exactly that, with the attempt's id as the idempotency key; the client pays on
//! Stripe's page and comes back to the invoice. What was paid is learnt only from Stripe's
//! signed webhooks, never from the browser's return: each event is stored under Stripe's event
//! id in the same transaction as what it does, so a redelivery — even a concurrent one —
//! changes nothing. A payment that does not match its attempt or the invoice (another amount,
//! another currency, more than is due, a void invoice) is not recorded: staff are told.
use sea_orm::{
    QueryOrder, QuerySelect,
    sea_query::{Expr, OnConflict},
};
use serde_json::Value;

use super::{
    invoices::{self, Movement},
    money::{Money, Numbers},
    notify::{self, Notice},
    prelude::*,
};
use crate::{
    entities::{checkout_session, enums::InvoiceStatus, payment, stripe_event, user},
    services::stripe::{CheckoutRequest, StripeError},
};

#[derive(Serialize, ToSchema)]
pub struct CheckoutResponse {
    /// The attempt's id.
    pub id: Uuid,
    /// Stripe's payment page: send the browser there.
    pub url: String,
    /// What it asks for: the balance due when it was made.
    pub amount_cents: i64,
    pub currency: String,
}

/// Starts paying `id` online: the caller must be one of the client's own people (staff and
/// View-as cannot pay for them), the invoice sent and something due.
pub async fn checkout(state: &AppState, actor: &Actor, id: Uuid) -> ApiResult<CheckoutResponse> {
    // The caller's scope first: another account's invoice is not found, configured or not.
    let inv = policy::invoices(actor).get(&state.db, id).await?;
    let Some(stripe) = state.stripe.as_deref() else {
        return Err(ApiError::NotFound);
    };
    if !actor.is_client() {
        return Err(ApiError::Forbidden(crate::problem!("payment-only-client-people")));
    }
    actor.require_person(crate::auth::actor::PersonOnly::PayOnline)?;
    let balance = inv.total_cents - inv.paid_cents;
    if inv.status != InvoiceStatus::Sent || balance <= 0 {
        return Err(ApiError::Conflict(crate::problem!("payment-nothing-due")));
    }
    let email = user::Entity::find_by_id(actor.user_id).one(&state.db).await?.map(|u| u.email).unwrap_or_default();
    let attempt = Change::run(state, Some(actor), async |c| {
        let attempt = checkout_session::ActiveModel {
            id: Set(Uuid::now_v7()),
            invoice_id: Set(inv.id),
            client_id: Set(inv.client_id),
            provider_id: Set(None),
            amount_cents: Set(balance),
            currency: Set(inv.currency.clone()),
            status: Set(checkout_session::OPEN.into()),
            url: Set(None),
            created_by: Set(Some(actor.user_id)),
            created_at: Set(Utc::now()),
            completed_at: Set(None),
        }
        .insert(c.db())
        .await?;
        let entry = Entry::new("invoice.checkout_started", "invoice", Some(inv.id), Some(inv.client_id));
        c.audit(entry.details(serde_json::json!({"attempt_id": attempt.id, "amount_cents": balance}))).await?;
        Ok(attempt)
    })
    .await?;
    let back = format!("{}/billing/{}", state.settings.public_url.trim_end_matches('/'), inv.id);
    let request = CheckoutRequest {
        attempt_id: attempt.id,
        invoice_id: inv.id,
        invoice_number: &inv.number,
        amount_minor: balance,
        currency: &inv.currency,
        customer_email: &email,
        success_url: format!("{back}?payment=done"),
        cancel_url: format!("{back}?payment=cancelled"),
    };
    let session = match stripe.create_checkout(&request).await {
        Ok(s) => s,
        Err(e) => {
            let failed = checkout_session::ActiveModel {
                status: Set(checkout_session::FAILED.into()),
                ..attempt.into_active_model()
            };
            Change::run(state, Some(actor), async |c| Ok(failed.update(c.db()).await.map(drop)?)).await?;
            return Err(match e {
                // Stripe judged the request (an amount under its minimum, a currency it does
                // not take, a revoked key): trying again will not help, the agency must look.
                StripeError::Refused { status, message } if status < 500 => {
                    tracing::error!(invoice = %inv.id, status, message, "Stripe refused a Checkout Session");
                    ApiError::Conflict(crate::problem!("payment-provider-refused", message = message))
                }
                e => {
                    tracing::warn!(error = %e, invoice = %inv.id, "creating a Stripe Checkout Session failed");
                    ApiError::Unavailable(crate::problem!("payment-provider-away"))
                }
            });
        }
    };
    let url = session.url.clone().unwrap_or_default();
    let mut opened = attempt.into_active_model();
    opened.provider_id = Set(Some(session.id));
    opened.url = Set(Some(url.clone()));
    let opened = Change::run(state, Some(actor), async |c| Ok(opened.update(c.db()).await?)).await?;
    Ok(CheckoutResponse { id: opened.id, url, amount_cents: balance, currency: opened.currency })
}

/// What became of a webhook event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Recorded,
    Ignored,
    Rejected,
    /// Seen before: nothing was done again.
    Duplicate,
}

/// Acts on one verified Stripe event, exactly once per event id.
pub async fn handle_event(state: &AppState, event: &Value) -> ApiResult<Outcome> {
    let (Some(id), Some(kind)) = (event["id"].as_str(), event["type"].as_str()) else {
        return Err(ApiError::BadRequest(crate::problem!("payment-stripe-event-incomplete")));
    };
    let object = &event["data"]["object"];
    Change::run(state, None, async |c| {
        // The event's row first: a second delivery (even one racing this) finds it and stops.
        let inserted = stripe_event::Entity::insert(stripe_event::ActiveModel {
            id: Set(id.to_owned()),
            kind: Set(kind.to_owned()),
            invoice_id: Set(None),
            outcome: Set(stripe_event::RECORDED.into()),
            detail: Set(None),
            received_at: Set(Utc::now()),
        })
        .on_conflict(OnConflict::column(stripe_event::Column::Id).do_nothing().to_owned())
        .exec_without_returning(c.db())
        .await?;
        if inserted == 0 {
            return Ok(Outcome::Duplicate);
        }
        let (outcome, invoice_id, detail) = match kind {
            "checkout.session.completed" | "checkout.session.async_payment_succeeded" => {
                session_paid(c, object).await?
            }
            "checkout.session.expired" => session_expired(c, object).await?,
            "charge.refunded" => refunded(c, object).await?,
            _ => (Outcome::Ignored, None, Some(format!("Portico does not act on {kind}"))),
        };
        stripe_event::Entity::update_many()
            .col_expr(
                stripe_event::Column::Outcome,
                Expr::value(match outcome {
                    Outcome::Rejected => stripe_event::REJECTED,
                    Outcome::Ignored => stripe_event::IGNORED,
                    _ => stripe_event::RECORDED,
                }),
            )
            .col_expr(stripe_event::Column::InvoiceId, Expr::value(invoice_id))
            .col_expr(stripe_event::Column::Detail, Expr::value(detail))
            .filter(stripe_event::Column::Id.eq(id))
            .exec(c.db())
            .await?;
        Ok(outcome)
    })
    .await
}

type Handled = (Outcome, Option<Uuid>, Option<String>);

/// How the agency's own staff read numbers.
async fn agency_numbers(c: &Change<'_>) -> ApiResult<Numbers> {
    Ok(super::settings::numbers(&super::settings::load(c.db()).await?, None))
}

/// A session whose money arrived: the payment of its attempt, if it matches.
async fn session_paid(c: &mut Change<'_>, session: &Value) -> ApiResult<Handled> {
    if session["payment_status"].as_str() != Some("paid") {
        // Paid later (a bank debit): `checkout.session.async_payment_succeeded` will say so.
        return Ok((Outcome::Ignored, None, Some("not paid yet".into())));
    }
    let provider_id = session["id"].as_str().unwrap_or_default();
    let Some(attempt) = checkout_session::Entity::find()
        .filter(checkout_session::Column::ProviderId.eq(provider_id))
        .one(c.db())
        .await?
    else {
        return Ok((Outcome::Ignored, None, Some(format!("no checkout of ours is {provider_id}"))));
    };
    let inv = invoices::locked(c, attempt.invoice_id).await?;
    let amount = session["amount_total"].as_i64().unwrap_or(-1);
    let currency = session["currency"].as_str().unwrap_or_default();
    let balance = inv.total_cents - inv.paid_cents;
    // Told twice: in English for the audit trail, in the agency's numbers for its staff.
    let numbers = agency_numbers(c).await?;
    let problem_in = |money: &dyn Fn(i64) -> String| {
        if !currency.eq_ignore_ascii_case(&inv.currency) {
            Some(format!("paid in {} but the invoice is in {}", currency.to_uppercase(), inv.currency))
        } else if amount != attempt.amount_cents {
            Some(format!("paid {} but the checkout asked for {}", money(amount), money(attempt.amount_cents)))
        } else if inv.status != InvoiceStatus::Sent {
            Some(format!("the invoice is {} (nothing was due)", status_word(inv.status)))
        } else if amount > balance {
            Some(format!("paid {} but only {} is due", money(amount), money(balance)))
        } else {
            None
        }
    };
    let problem = problem_in(&|m| Money::new(m, &inv.currency).to_string());
    let told = problem_in(&|m| numbers.money(Money::new(m, &inv.currency)));
    let mut done = attempt.clone().into_active_model();
    done.status = Set(checkout_session::COMPLETED.into());
    done.completed_at = Set(Some(Utc::now()));
    done.update(c.db()).await?;
    if let Some(problem) = problem {
        let entry = Entry::new("invoice.payment_rejected", "invoice", Some(inv.id), Some(inv.client_id));
        c.audit(entry.details(serde_json::json!({"provider": "stripe", "session": provider_id, "problem": problem})))
            .await?;
        let notice = Notice {
            kind: "payment_problem",
            title: crate::text!("payment-needs-look-title", number = &inv.number),
            body: crate::text!("payment-needs-look-body", problem = told.unwrap_or_default()),
            link: format!("/staff/invoices/{}", inv.id),
            source: Source::invoice(inv.id),
            event_id: None,
        };
        notify::deliver(c, &notify::billing_staff(c.db()).await?, &notice).await?;
        return Ok((Outcome::Rejected, Some(inv.id), Some(problem)));
    }
    let intent = session["payment_intent"].as_str().map(str::to_owned);
    let external = intent.clone().unwrap_or_else(|| provider_id.to_owned());
    // The same payment told by another event (under the invoice's lock, so this sees them all).
    if payment::Entity::find().filter(payment::Column::ExternalId.eq(&external)).one(c.db()).await?.is_some() {
        return Ok((Outcome::Ignored, Some(inv.id), Some(format!("{external} is already recorded"))));
    }
    let movement = Movement {
        amount_cents: amount,
        paid_on: Utc::now().date_naive(),
        method: "card".into(),
        reference: intent.clone().or_else(|| Some(provider_id.to_owned())),
        external_id: Some(external),
    };
    let status = invoices::apply(c, &inv, movement).await?;
    // For the agency's staff: in the agency's locale.
    let numbers = agency_numbers(c).await?;
    let money = |minor: i64| numbers.money(Money::new(minor, &inv.currency));
    let notice = Notice {
        kind: "payment_received",
        title: crate::text!("paid-online-title", number = &inv.number, amount = money(amount)),
        body: if status == InvoiceStatus::Paid {
            crate::text!("paid-in-full")
        } else {
            crate::text!("still-due", amount = money(balance - amount))
        },
        link: format!("/staff/invoices/{}", inv.id),
        source: Source::invoice(inv.id),
        event_id: None,
    };
    notify::deliver(c, &notify::billing_staff(c.db()).await?, &notice).await?;
    Ok((Outcome::Recorded, Some(inv.id), None))
}

async fn session_expired(c: &mut Change<'_>, session: &Value) -> ApiResult<Handled> {
    let provider_id = session["id"].as_str().unwrap_or_default();
    let expired = checkout_session::Entity::update_many()
        .col_expr(checkout_session::Column::Status, Expr::value(checkout_session::EXPIRED))
        .filter(checkout_session::Column::ProviderId.eq(provider_id))
        .filter(checkout_session::Column::Status.eq(checkout_session::OPEN))
        .exec(c.db())
        .await?;
    Ok(if expired.rows_affected == 1 {
        (Outcome::Recorded, None, None)
    } else {
        (Outcome::Ignored, None, Some(format!("no open checkout of ours is {provider_id}")))
    })
}

/// A charge refunded in Stripe (in part or whole; `amount_refunded` is the charge's running
/// total): the part not yet recorded becomes a negative payment.
async fn refunded(c: &mut Change<'_>, charge: &Value) -> ApiResult<Handled> {
    let charge_id = charge["id"].as_str().unwrap_or_default();
    let Some(intent) = charge["payment_intent"].as_str() else {
        return Ok((Outcome::Ignored, None, Some("a charge without a payment intent".into())));
    };
    let Some(paid) = payment::Entity::find().filter(payment::Column::ExternalId.eq(intent)).one(c.db()).await? else {
        return Ok((Outcome::Ignored, None, Some(format!("no payment of ours is {intent}"))));
    };
    let inv = invoices::locked(c, paid.invoice_id).await?;
    let refunds: Vec<i64> = payment::Entity::find()
        .select_only()
        .column(payment::Column::AmountCents)
        .filter(payment::Column::InvoiceId.eq(inv.id))
        .filter(payment::Column::Reference.eq(charge_id))
        .filter(payment::Column::AmountCents.lt(0))
        .order_by_asc(payment::Column::CreatedAt)
        .into_tuple()
        .all(c.db())
        .await?;
    let recorded: i64 = -refunds.iter().sum::<i64>();
    let total = charge["amount_refunded"].as_i64().unwrap_or(0);
    let new = total - recorded;
    if new <= 0 {
        return Ok((Outcome::Ignored, Some(inv.id), Some("no refund beyond what is recorded".into())));
    }
    if new > inv.paid_cents || !matches!(inv.status, InvoiceStatus::Sent | InvoiceStatus::Paid) {
        let numbers = agency_numbers(c).await?;
        let problem_in = |money: &dyn Fn(i64) -> String| {
            format!("a refund of {} but {} is recorded as paid", money(new), money(inv.paid_cents))
        };
        let problem = problem_in(&|m| Money::new(m, &inv.currency).to_string());
        let told = problem_in(&|m| numbers.money(Money::new(m, &inv.currency)));
        let entry = Entry::new("invoice.payment_rejected", "invoice", Some(inv.id), Some(inv.client_id));
        c.audit(entry.details(serde_json::json!({"provider": "stripe", "charge": charge_id, "problem": problem})))
            .await?;
        let notice = Notice {
            kind: "payment_problem",
            title: crate::text!("refund-needs-look-title", number = &inv.number),
            body: crate::text!("refund-needs-look-body", problem = told),
            link: format!("/staff/invoices/{}", inv.id),
            source: Source::invoice(inv.id),
            event_id: None,
        };
        notify::deliver(c, &notify::billing_staff(c.db()).await?, &notice).await?;
        return Ok((Outcome::Rejected, Some(inv.id), Some(problem)));
    }
    let movement = Movement {
        amount_cents: -new,
        paid_on: Utc::now().date_naive(),
        method: "refund".into(),
        reference: Some(charge_id.to_owned()),
        // The running total makes each partial refund its own, once.
        external_id: Some(format!("{charge_id}:refunded:{total}")),
    };
    invoices::apply(c, &inv, movement).await?;
    Ok((Outcome::Recorded, Some(inv.id), None))
}

fn status_word(s: InvoiceStatus) -> &'static str {
    match s {
        InvoiceStatus::Draft => "a draft",
        InvoiceStatus::Sent => "sent",
        InvoiceStatus::Paid => "already paid",
        InvoiceStatus::Void => "void",
    }
}
