//! Operations: liveness, readiness and the Prometheus metrics.
use actix_web::{HttpRequest, HttpResponse, get, web};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter};
use secrecy::ExposeSecret;
use sha2::{Digest, Sha256};

use crate::{entities::outbox, error::ApiError, metrics::Gauges, state::AppState};

/// The process is up.
#[utoipa::path(tag = "ops", security(()), responses((status = 200, description = "Alive")))]
#[get("/api/healthz")]
pub async fn healthz() -> HttpResponse {
    HttpResponse::Ok().json(serde_json::json!({"status": "ok"}))
}

/// The database answers, the schema is migrated, and (on PostgreSQL) this instance listens for
/// other instances' events.
#[utoipa::path(tag = "ops", security(()), responses((status = 200, description = "Ready"), (status = 503, description = "Not ready")))]
#[get("/api/readyz")]
pub async fn readyz(state: web::Data<AppState>) -> HttpResponse {
    use migration::MigratorTrait;
    let db_ok = state.db.execute_unprepared("SELECT 1").await.is_ok();
    let pending = if db_ok {
        migration::Migrator::get_pending_migrations(&state.db).await.map(|p| p.len()).unwrap_or(1)
    } else {
        1
    };
    let events = state.events.ready();
    if db_ok && pending == 0 && events {
        HttpResponse::Ok().json(serde_json::json!({"status": "ready"}))
    } else {
        HttpResponse::ServiceUnavailable().json(
            serde_json::json!({"status": "not ready", "database": db_ok, "pending_migrations": pending, "events": events}),
        )
    }
}

#[derive(serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TlsAskQuery {
    /// The host name a TLS client asked the proxy for.
    #[param(
        min_length = 1,
        max_length = 253,
        pattern = r"^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.?$"
    )]
    pub domain: String,
}

/// For a proxy that obtains certificates when a host name is first asked for (Caddy's
/// on-demand TLS, `on_demand_tls { ask … }`): 200 when `domain` is the portal's own host name,
/// that of `PORTICO_PUBLIC_URL`; 404 for any other, so nobody can make the proxy request
/// certificates for names that are not the agency's (and spend its rate limit). Letters are
/// compared in any case and a final dot is ignored, as in DNS.
#[utoipa::path(tag = "ops", security(()), params(TlsAskQuery), responses(
    (status = 200, description = "The portal answers on this host name"),
    (status = 400, description = "No `domain`", content_type = "application/problem+json", body = crate::error::Problem),
    (status = 422, description = "`domain` is not a host name", content_type = "application/problem+json", body = crate::error::Problem),
    (status = 404, description = "Not a host name of this portal", content_type = "application/problem+json", body = crate::error::Problem),
))]
#[get("/api/tls/ask")]
pub async fn tls_ask(state: web::Data<AppState>, query: web::Query<TlsAskQuery>) -> Result<HttpResponse, ApiError> {
    let asked = query.domain.trim_end_matches('.').to_ascii_lowercase();
    let is_host_name = !asked.is_empty()
        && asked.len() <= 253
        && asked.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
        });
    if !is_host_name {
        return Err(ApiError::field("domain", crate::problem!("tls-ask-not-a-host")));
    }
    let ours = reqwest::Url::parse(&state.settings.public_url)
        .ok()
        .and_then(|u| u.host_str().map(|h| h.trim_end_matches('.').to_ascii_lowercase()));
    if ours.as_deref() == Some(asked.as_str()) {
        Ok(HttpResponse::Ok().json(serde_json::json!({"domain": asked})))
    } else {
        Err(ApiError::NotFound)
    }
}

/// Prometheus metrics (operators; `Authorization: Bearer <PORTICO_METRICS_TOKEN>`).
pub async fn metrics(req: HttpRequest, state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let Some(expected) = &state.settings.metrics_token else { return Err(ApiError::NotFound) };
    let given = req
        .headers()
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or("");
    // Comparing digests keeps the comparison's timing independent of the token's content.
    if Sha256::digest(given.as_bytes()) != Sha256::digest(expected.expose_secret().as_bytes()) {
        return Err(ApiError::Unauthorized(crate::problem!("http-metrics-token")));
    }
    let (size, idle) = match state.db.get_database_backend() {
        sea_orm::DbBackend::Postgres => {
            let pool = state.db.get_postgres_connection_pool();
            (pool.size(), pool.num_idle())
        }
        _ => {
            let pool = state.db.get_sqlite_connection_pool();
            (pool.size(), pool.num_idle())
        }
    };
    let outbox =
        |status: &'static str| outbox::Entity::find().filter(outbox::Column::Status.eq(status)).count(&state.db);
    let gauges = Gauges {
        open_streams: state.events.open_streams() as i64,
        pool_size: size as i64,
        pool_idle: idle as i64,
        outbox_pending: outbox(outbox::PENDING).await? as i64,
        outbox_failed: outbox(outbox::FAILED).await? as i64,
        password_runs: state.passwords.runs(),
    };
    let body = state.metrics.render(gauges)?;
    Ok(HttpResponse::Ok().content_type("text/plain; version=0.0.4").body(body))
}
