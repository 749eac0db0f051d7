//! Paying invoices online through Stripe Checkout, against a stand-in of Stripe on loopback
//! that speaks its protocol and signs its webhooks as Stripe does.
use portico_blackbox::{
    stripe::{SECRET_KEY, StripeStandIn, WEBHOOK_SECRET, signature},
    *,
};
use serde_json::{Value, json};

const WEBHOOK: &str = "/payments/stripe/webhook";

async fn paying_app() -> (TestApp, StripeStandIn) {
    let stripe = StripeStandIn::start().await;
    let base = stripe.base.clone();
    let app = spawn_app_with(move |s| {
        s.stripe_secret_key = Some(SECRET_KEY.into());
        s.stripe_webhook_secret = Some(WEBHOOK_SECRET.into());
        s.stripe_api_base = base;
    })
    .await;
    stripe.deliver_to(&app.url(WEBHOOK));
    (app, stripe)
}

/// The client starts paying `invoice`; the Checkout Session the stand-in made for it.
async fn pay_now(app: &TestApp, stripe: &StripeStandIn, token: &str, invoice: uuid::Uuid) -> Value {
    let res = app.post(&format!("/invoices/{invoice}/checkout"), token, json!({})).await;
    res.assert(201);
    let url = res.body["url"].as_str().unwrap();
    let id = url.rsplit('/').next().unwrap();
    assert!(url.starts_with(&stripe.base), "{url}");
    stripe.session(id)
}

async fn invoice(app: &TestApp, id: uuid::Uuid) -> Value {
    app.get(&format!("/invoices/{id}"), &app.admin().await).await.assert(200).body.clone()
}

#[tokio::test]
async fn without_stripe_configured_there_is_no_pay_now_and_no_webhook() {
    let app = spawn_app().await;
    let world = app.world().await;
    let token = app.token(world.a.email("client")).await;
    assert_eq!(app.get("/branding", &token).await.body["online_payments"], false);
    app.post(&format!("/invoices/{}/checkout", world.a.invoice_id), &token, json!({})).await.assert_problem(404);
    let event = json!({"id": "evt_1", "type": "checkout.session.completed", "data": {"object": {}}});
    app.post(WEBHOOK, &token, event).await.assert_problem(404);
}

#[tokio::test]
async fn a_client_pays_the_balance_through_checkout_and_the_webhook_records_it_once() {
    let (app, stripe) = paying_app().await;
    let world = app.world().await;
    let a = &world.a;
    let token = app.token(a.email("client_finance")).await;
    assert_eq!(app.get("/branding", &token).await.body["online_payments"], true);
    let before = invoice(&app, a.invoice_id).await;
    assert_eq!(before["balance_cents"], 118_000);
    let session = pay_now(&app, &stripe, &token, a.invoice_id).await;
    // Stripe was asked for exactly the balance, in the invoice's currency, with the invoice's id.
    let made = stripe.creations().pop().unwrap();
    assert_eq!(made.params["line_items[0][price_data][unit_amount]"], "118000");
    assert_eq!(made.params["line_items[0][price_data][currency]"], "eur");
    assert_eq!(made.params["metadata[invoice_id]"], a.invoice_id.to_string());
    assert_eq!(made.params["mode"], "payment");
    assert!(made.params["success_url"].ends_with(&format!("/billing/{}?payment=done", a.invoice_id)));
    assert!(made.params["cancel_url"].ends_with(&format!("/billing/{}?payment=cancelled", a.invoice_id)));
    assert_eq!(made.idempotency_key.as_deref(), made.params.get("metadata[attempt_id]").map(String::as_str));
    // Coming back from Stripe changes nothing: only its webhook does.
    assert_eq!(invoice(&app, a.invoice_id).await["status"], "sent");
    let event = stripe.completed_event(session["id"].as_str().unwrap());
    let (status, body) = stripe.deliver(&app.url(WEBHOOK), &event).await;
    assert_eq!((status, body["outcome"].as_str()), (200, Some("recorded")), "{body}");
    let paid = invoice(&app, a.invoice_id).await;
    assert_eq!(paid["status"], "paid");
    assert_eq!(paid["balance_cents"], 0);
    let intent = stripe.session(session["id"].as_str().unwrap())["payment_intent"].clone();
    let online: Vec<&Value> = paid["payments"].as_array().unwrap().iter().filter(|p| p["method"] == "card").collect();
    assert_eq!(online.len(), 2, "the fixture's card payment and Stripe's: {paid}");
    assert!(online.iter().any(|p| p["reference"] == intent && p["amount_cents"] == 118_000));
    // A redelivery, and another after a while: nothing more.
    for _ in 0..2 {
        let (status, body) = stripe.deliver(&app.url(WEBHOOK), &event).await;
        assert_eq!((status, body["outcome"].as_str()), (200, Some("duplicate")));
    }
    assert_eq!(invoice(&app, a.invoice_id).await["payments"], paid["payments"]);
    // The usual: the client's page hears the invoice is paid; staff are told.
    let frames = app.replay_all(&token).await;
    assert!(frames.iter().any(|f| f.event.as_deref() == Some("invoice.paid")));
    let notes = app.get("/notifications", &app.admin().await).await.items();
    assert!(notes.iter().any(|n| n["kind"] == "payment_received"), "{notes:?}");
    // Paid: nothing left to pay.
    app.post(&format!("/invoices/{}/checkout", a.invoice_id), &token, json!({})).await.assert_problem(409);
}

#[tokio::test]
async fn concurrent_redeliveries_of_one_event_pay_exactly_once() {
    let (app, stripe) = paying_app().await;
    let world = app.world().await;
    let token = app.token(world.a.email("client")).await;
    let session = pay_now(&app, &stripe, &token, world.a.invoice_id).await;
    let event = stripe.completed_event(session["id"].as_str().unwrap());
    let url = app.url(WEBHOOK);
    let answers = join_all((0..8).map(|_| stripe.deliver(&url, &event))).await;
    assert!(answers.iter().all(|(status, _)| *status == 200), "{answers:?}");
    let recorded = answers.iter().filter(|(_, b)| b["outcome"] == "recorded").count();
    assert_eq!(recorded, 1, "{answers:?}");
    let paid = invoice(&app, world.a.invoice_id).await;
    assert_eq!(paid["paid_cents"], paid["total_cents"]);
    assert_eq!(paid["payments"].as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn a_webhook_with_a_bad_stale_or_missing_signature_is_400_and_changes_nothing() {
    let (app, stripe) = paying_app().await;
    let world = app.world().await;
    let token = app.token(world.a.email("client")).await;
    let session = pay_now(&app, &stripe, &token, world.a.invoice_id).await;
    let event = stripe.completed_event(session["id"].as_str().unwrap()).to_string();
    let url = app.url(WEBHOOK);
    let now = chrono::Utc::now().timestamp();
    let tampered = event.replace("118000", "1");
    for header in [
        Some(signature("whsec_somebody_else", now, &event)),
        Some(signature(WEBHOOK_SECRET, now - 600, &event)),
        Some(signature(WEBHOOK_SECRET, now + 600, &event)),
        Some(format!("t={now},v1=00")),
        Some("nonsense".to_owned()),
        None,
    ] {
        let (status, body) = stripe.deliver_raw(&url, &event, header.as_deref()).await;
        assert_eq!(status, 400, "{header:?}: {body}");
        assert_eq!(body["status"], 400);
    }
    let signed_other_body = signature(WEBHOOK_SECRET, now, &event);
    let (status, _) = stripe.deliver_raw(&url, &tampered, Some(&signed_other_body)).await;
    assert_eq!(status, 400);
    let (status, _) = stripe.deliver_raw(&url, "not json", Some(&signature(WEBHOOK_SECRET, now, "not json"))).await;
    assert_eq!(status, 400);
    assert_eq!(invoice(&app, world.a.invoice_id).await["status"], "sent");
    // The same event, rightly signed, still counts: the refusals recorded nothing.
    let (status, body) = stripe.deliver_raw(&url, &event, Some(&signature(WEBHOOK_SECRET, now, &event))).await;
    assert_eq!((status, body["outcome"].as_str()), (200, Some("recorded")));
}

#[tokio::test]
async fn refunds_in_stripe_reduce_what_is_paid_once_each() {
    let (app, stripe) = paying_app().await;
    let world = app.world().await;
    let token = app.token(world.a.email("client")).await;
    let session = pay_now(&app, &stripe, &token, world.a.invoice_id).await;
    let paid = stripe.completed_event(session["id"].as_str().unwrap());
    stripe.deliver(&app.url(WEBHOOK), &paid).await;
    let intent = paid["data"]["object"]["payment_intent"].as_str().unwrap().to_owned();
    let url = app.url(WEBHOOK);
    // A partial refund: the invoice is due again for that much.
    let first = stripe.refunded_event(&intent, 118_000, 5_000, "eur");
    assert_eq!(stripe.deliver(&url, &first).await.1["outcome"], "recorded");
    let inv = invoice(&app, world.a.invoice_id).await;
    assert_eq!((inv["status"].as_str(), inv["balance_cents"].as_i64()), (Some("sent"), Some(5_000)));
    // Another event for the same refund total (Stripe sends one per change): nothing more.
    let same_total = stripe.refunded_event(&intent, 118_000, 5_000, "eur");
    assert_eq!(stripe.deliver(&url, &same_total).await.1["outcome"], "ignored");
    // A second refund: 8,000 in all, so 3,000 more.
    let second = stripe.refunded_event(&intent, 118_000, 8_000, "eur");
    assert_eq!(stripe.deliver(&url, &second).await.1["outcome"], "recorded");
    let inv = invoice(&app, world.a.invoice_id).await;
    assert_eq!(inv["balance_cents"], 8_000);
    let refunds: Vec<i64> = inv["payments"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["method"] == "refund")
        .map(|p| p["amount_cents"].as_i64().unwrap())
        .collect();
    assert_eq!(refunds, vec![-5_000, -3_000]);
    // The client can pay what is due again.
    app.post(&format!("/invoices/{}/checkout", world.a.invoice_id), &token, json!({})).await.assert(201);
}

#[tokio::test]
async fn a_payment_that_does_not_match_is_reported_to_staff_not_recorded() {
    let (app, stripe) = paying_app().await;
    let world = app.world().await;
    let token = app.token(world.a.email("client")).await;
    let url = app.url(WEBHOOK);
    for (field, value) in [("amount_total", json!(1)), ("currency", json!("usd"))] {
        let session = pay_now(&app, &stripe, &token, world.a.invoice_id).await;
        let mut event = stripe.completed_event(session["id"].as_str().unwrap());
        event["data"]["object"][field] = value;
        let (status, body) = stripe.deliver(&url, &event).await;
        assert_eq!((status, body["outcome"].as_str()), (200, Some("rejected")), "{field}: {body}");
    }
    let inv = invoice(&app, world.a.invoice_id).await;
    assert_eq!((inv["status"].as_str(), inv["balance_cents"].as_i64()), (Some("sent"), Some(118_000)));
    let admin = app.admin().await;
    let rejected = app.get("/audit-log?action=invoice.payment_rejected", &admin).await.items();
    assert_eq!(rejected.len(), 2, "{rejected:?}");
    let problems: Vec<Value> = app
        .get("/notifications", &admin)
        .await
        .items()
        .into_iter()
        .filter(|n| n["kind"] == "payment_problem")
        .collect();
    assert_eq!(problems.len(), 2);
    // The client is told nothing of the agency's bookkeeping.
    let theirs = app.get("/notifications", &token).await.items();
    assert!(theirs.iter().all(|n| n["kind"] != "payment_problem"));
}

#[tokio::test]
async fn only_the_clients_own_people_pay_and_only_what_is_due() {
    let (app, stripe) = paying_app().await;
    let world = app.world().await;
    let a = &world.a;
    let checkout = |id: uuid::Uuid| format!("/invoices/{id}/checkout");
    let client = app.token(a.email("client")).await;
    let manager = app.token(&world.manager).await;
    app.post(&checkout(a.invoice_id), &manager, json!({})).await.assert_problem(403);
    let viewer = app.token(a.email("client_viewer")).await;
    app.post(&checkout(a.invoice_id), &viewer, json!({})).await.assert_problem(403);
    app.post(&checkout(a.draft_invoice_id), &client, json!({})).await.assert_problem(404);
    app.post(&checkout(world.b.invoice_id), &client, json!({})).await.assert_problem(404);
    let view_as = app.post("/auth/impersonate", &manager, json!({"user_id": a.user_ids["client"]})).await;
    let view_as = view_as.body["access_token"].as_str().unwrap().to_owned();
    app.post(&checkout(a.invoice_id), &view_as, json!({})).await.assert_problem(403);
    // Paying is a person's: an API key held to the account reads the invoice but does not pay it.
    let key = app.client_key(a.client_id).await;
    app.get(&format!("/invoices/{}", a.invoice_id), &key).await.assert(200);
    app.post(&checkout(a.invoice_id), &key, json!({})).await.assert_problem(403);
    // A void invoice has nothing to pay.
    let admin = app.admin().await;
    app.post(&format!("/invoices/{}/send", a.draft_invoice_id), &admin, json!({})).await.assert(200);
    app.post(&format!("/invoices/{}/void", a.draft_invoice_id), &admin, json!({})).await.assert(200);
    app.post(&checkout(a.draft_invoice_id), &client, json!({})).await.assert_problem(409);
    // Each attempt is its own: a second "Pay now" is a new session under a new key.
    pay_now(&app, &stripe, &client, a.invoice_id).await;
    pay_now(&app, &stripe, &client, a.invoice_id).await;
    let keys: Vec<_> = stripe.creations().into_iter().map(|c| c.idempotency_key.unwrap()).collect();
    assert_eq!(keys.len(), 2);
    assert_ne!(keys[0], keys[1]);
}

#[tokio::test]
async fn stripe_out_of_reach_is_a_503_the_client_can_retry() {
    let app = spawn_app_with(|s| {
        s.stripe_secret_key = Some(SECRET_KEY.into());
        s.stripe_webhook_secret = Some(WEBHOOK_SECRET.into());
        // Nothing listens on port 9 (discard) here.
        s.stripe_api_base = "http://127.0.0.1:9".into();
    })
    .await;
    let world = app.world().await;
    let token = app.token(world.a.email("client")).await;
    let res = app.post(&format!("/invoices/{}/checkout", world.a.invoice_id), &token, json!({})).await;
    res.assert_problem(503);
    assert!(!res.text.contains("127.0.0.1"), "{}", res.text);
    assert_eq!(invoice(&app, world.a.invoice_id).await["status"], "sent");
}
