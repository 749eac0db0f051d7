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
