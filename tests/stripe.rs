//! A stand-in for Stripe on loopback, speaking the parts of its documented protocol Portico
//! uses: `POST /v1/checkout/sessions` (form-encoded, bearer secret key, `Idempotency-Key`
//! replays the first answer and refuses other parameters under the same key), a hosted
//! payment page (`/c/pay/{id}`, for the browser journey), and webhook events — Stripe's event
//! envelope, `checkout.session.*` and `charge.refunded` objects — signed with Stripe's scheme
//! (`Stripe-Signature: t=…,v1=HMAC-SHA256("{t}.{body}")`). Never the real service.
use std::{
    collections::HashMap,
    sync::{Arc, Mutex},
};

use actix_web::{App, HttpRequest, HttpResponse, HttpServer, web};
use hmac::{Hmac, KeyInit, Mac};
use serde_json::{Value, json};
use sha2::Sha256;

pub const SECRET_KEY: &str = "sk_test_standin_0123456789";
pub const WEBHOOK_SECRET: &str = "whsec_standin_0123456789";

/// One request to create a Checkout Session, as Stripe received it.
#[derive(Debug, Clone)]
pub struct Creation {
    pub idempotency_key: Option<String>,
    pub params: HashMap<String, String>,
}

#[derive(Default)]
struct Inner {
    webhook_url: Option<String>,
    sessions: HashMap<String, Value>,
    by_key: HashMap<String, (Vec<(String, String)>, Value)>,
    creations: Vec<Creation>,
    counter: u64,
}

#[derive(Clone)]
pub struct StripeStandIn {
    pub base: String,
    inner: Arc<Mutex<Inner>>,
    http: reqwest::Client,
}

fn error(status: u16, kind: &str, message: &str) -> HttpResponse {
    HttpResponse::build(actix_web::http::StatusCode::from_u16(status).unwrap())
        .json(json!({"error": {"type": kind, "message": message}}))
}

/// `Stripe-Signature` for `body` signed with `secret` at `t`.
pub fn signature(secret: &str, t: i64, body: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(format!("{t}.{body}").as_bytes());
    format!("t={t},v1={}", hex::encode(mac.finalize().into_bytes()))
}

impl StripeStandIn {
    pub async fn start() -> StripeStandIn {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let base = format!("http://127.0.0.1:{}", listener.local_addr().unwrap().port());
        // Started before any server, which is what installs the TLS provider otherwise.
        portico::startup::install_crypto_provider();
        let me = StripeStandIn { base, inner: Default::default(), http: reqwest::Client::new() };
        let data = web::Data::new(me.clone());
        let server = HttpServer::new(move || {
            App::new()
                .app_data(data.clone())
                .route("/v1/checkout/sessions", web::post().to(create_session))
                .route("/c/pay/{id}", web::get().to(payment_page))
                .route("/c/pay/{id}", web::post().to(pay))
        })
        .workers(1)
        // The process that runs the stand-in decides when it ends (actix would take SIGTERM
        // for a graceful stop of the server alone and leave the process running).
        .disable_signals()
        .listen(listener)
        .unwrap()
        .run();
        tokio::spawn(server);
        me
    }

    /// Where the stand-in delivers the events its payment page causes.
    pub fn deliver_to(&self, url: &str) {
        self.inner.lock().unwrap().webhook_url = Some(url.to_owned());
    }

    pub fn creations(&self) -> Vec<Creation> {
        self.inner.lock().unwrap().creations.clone()
    }

    pub fn session(&self, id: &str) -> Value {
        self.inner.lock().unwrap().sessions[id].clone()
    }

    fn next(&self, prefix: &str) -> String {
        let mut inner = self.inner.lock().unwrap();
        inner.counter += 1;
        format!("{prefix}_test_{:08}{}", inner.counter, uuid::Uuid::new_v4().simple())
    }

    /// An event in Stripe's envelope.
    pub fn event(&self, kind: &str, object: Value) -> Value {
        json!({
            "id": self.next("evt"), "object": "event", "api_version": "2025-01-27.acacia",
            "created": chrono::Utc::now().timestamp(), "livemode": false, "pending_webhooks": 1,
            "request": {"id": null, "idempotency_key": null}, "type": kind, "data": {"object": object},
        })
    }

    /// The session paid: its object as Stripe sends it in `checkout.session.completed`.
    pub fn complete(&self, session_id: &str) -> Value {
        let intent = self.next("pi");
        let mut inner = self.inner.lock().unwrap();
        let session = inner.sessions.get_mut(session_id).expect("a session the stand-in made");
        session["status"] = json!("complete");
        session["payment_status"] = json!("paid");
        session["payment_intent"] = json!(intent);
        session["url"] = Value::Null;
        session.clone()
    }

    /// `checkout.session.completed` for the session, paid.
    pub fn completed_event(&self, session_id: &str) -> Value {
        let session = self.complete(session_id);
        self.event("checkout.session.completed", session)
    }

    /// `charge.refunded` for the charge of `intent`, `amount_refunded` in all so far.
    pub fn refunded_event(&self, intent: &str, amount: i64, amount_refunded: i64, currency: &str) -> Value {
        let charge = json!({
            "id": format!("ch_{}", intent.trim_start_matches("pi_")), "object": "charge", "amount": amount,
            "amount_captured": amount, "amount_refunded": amount_refunded, "currency": currency,
            "payment_intent": intent, "refunded": amount_refunded == amount, "status": "succeeded",
        });
        self.event("charge.refunded", charge)
    }

    /// Delivers `event` to `url` as Stripe would, signed now; the status and body of the answer.
    pub async fn deliver(&self, url: &str, event: &Value) -> (u16, Value) {
        let body = event.to_string();
        let header = signature(WEBHOOK_SECRET, chrono::Utc::now().timestamp(), &body);
        self.deliver_raw(url, &body, Some(&header)).await
    }

    pub async fn deliver_raw(&self, url: &str, body: &str, header: Option<&str>) -> (u16, Value) {
        let mut req = self.http.post(url).header("content-type", "application/json").body(body.to_owned());
        if let Some(h) = header {
            req = req.header("Stripe-Signature", h);
        }
        let res = req.send().await.expect("the webhook was delivered");
        let status = res.status().as_u16();
        (status, res.json().await.unwrap_or(Value::Null))
    }
}

async fn create_session(
    me: web::Data<StripeStandIn>,
    req: HttpRequest,
    form: web::Form<Vec<(String, String)>>,
) -> HttpResponse {
    let auth = req.headers().get("authorization").and_then(|v| v.to_str().ok());
    if auth != Some(&format!("Bearer {SECRET_KEY}")) {
        return error(401, "invalid_request_error", "Invalid API Key provided.");
    }
    let params = form.into_inner();
    let key = req.headers().get("idempotency-key").and_then(|v| v.to_str().ok()).map(str::to_owned);
    let map: HashMap<String, String> = params.iter().cloned().collect();
    let mut inner = me.inner.lock().unwrap();
    inner.creations.push(Creation { idempotency_key: key.clone(), params: map.clone() });
    if let Some((seen, answer)) = key.as_ref().and_then(|k| inner.by_key.get(k)) {
        if *seen != params {
            return error(
                400,
                "idempotency_error",
                "Keys for idempotent requests can only be used with the same parameters they were first used with.",
            );
        }
        return HttpResponse::Ok().json(answer);
    }
    let (Some(amount), Some(currency)) = (
        map.get("line_items[0][price_data][unit_amount]").and_then(|a| a.parse::<i64>().ok()),
        map.get("line_items[0][price_data][currency]"),
    ) else {
        return error(400, "invalid_request_error", "Missing required param: line_items[0][price_data].");
    };
    inner.counter += 1;
    let id = format!("cs_test_{:08}{}", inner.counter, uuid::Uuid::new_v4().simple());
    let metadata: serde_json::Map<String, Value> = map
        .iter()
        .filter_map(|(k, v)| Some((k.strip_prefix("metadata[")?.strip_suffix(']')?.to_owned(), json!(v))))
        .collect();
    let session = json!({
        "id": id, "object": "checkout.session", "mode": map.get("mode"), "status": "open",
        "payment_status": "unpaid", "amount_subtotal": amount, "amount_total": amount, "currency": currency,
        "client_reference_id": map.get("client_reference_id"), "customer_email": map.get("customer_email"),
        "metadata": metadata, "payment_intent": null, "success_url": map.get("success_url"),
        "cancel_url": map.get("cancel_url"), "url": format!("{}/c/pay/{id}", me.base),
        "created": chrono::Utc::now().timestamp(), "expires_at": chrono::Utc::now().timestamp() + 86_400,
        "livemode": false,
    });
    inner.sessions.insert(id, session.clone());
    if let Some(k) = key {
        inner.by_key.insert(k, (params, session.clone()));
    }
    HttpResponse::Ok().json(session)
}

async fn payment_page(me: web::Data<StripeStandIn>, id: web::Path<String>) -> HttpResponse {
    let Some(session) = me.inner.lock().unwrap().sessions.get(id.as_str()).cloned() else {
        return HttpResponse::NotFound().body("No such checkout session");
    };
    let amount = session["amount_total"].as_i64().unwrap_or(0);
    let currency = session["currency"].as_str().unwrap_or("").to_uppercase();
    HttpResponse::Ok().content_type("text/html; charset=utf-8").body(format!(
        "<!doctype html><html lang=\"en\"><head><title>Pay (Stripe stand-in)</title></head><body><main>\
         <h1>Pay {amount} {currency}</h1><form method=\"post\"><button type=\"submit\">Pay</button></form>\
         <a href=\"{}\">Cancel</a></main></body></html>",
        session["cancel_url"].as_str().unwrap_or("/")
    ))
}

/// The hosted page's "Pay": completes the session, delivers the event, returns the browser.
async fn pay(me: web::Data<StripeStandIn>, id: web::Path<String>) -> HttpResponse {
    if !me.inner.lock().unwrap().sessions.contains_key(id.as_str()) {
        return HttpResponse::NotFound().body("No such checkout session");
    }
    let event = me.completed_event(&id);
    let url = me.inner.lock().unwrap().webhook_url.clone();
    if let Some(url) = url {
        let (status, body) = me.deliver(&url, &event).await;
        if status != 200 {
            return HttpResponse::BadGateway().body(format!("The merchant refused the event: {body}"));
        }
    }
    let back = event["data"]["object"]["success_url"].as_str().unwrap_or("/").replace("{CHECKOUT_SESSION_ID}", &id);
    HttpResponse::SeeOther().insert_header(("location", back)).finish()
}
