use actix_web::{HttpResponse, get, web};
use sea_orm::ConnectionTrait;

use crate::startup::AppState;

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
        HttpResponse::ServiceUnavailable()
            .json(serde_json::json!({"status": "not ready", "database": db_ok, "pending_migrations": pending, "events": events}))
    }
}
