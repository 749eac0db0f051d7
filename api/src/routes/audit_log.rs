//! The audit log (admins): logins, failed logins, View-as sessions, invitations, role changes,
//! deactivations, visibility changes, invoice events.
use super::prelude::*;
use crate::domain::audit::{self, AuditEventResponse, ListAuditQuery};

/// The audit log, newest first.
#[utoipa::path(tag = "users", params(ListAuditQuery), responses((status = 200, body = Page<AuditEventResponse>)))]
#[get("/audit-log")]
pub async fn list_audit_log(
    state: State,
    actor: Actor,
    query: web::Query<ListAuditQuery>,
) -> ApiResult<web::Json<Page<AuditEventResponse>>> {
    actor.require(Perm::AuditRead)?;
    Ok(web::Json(audit::list(&state.db, &query).await?))
}

pub fn config(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_audit_log);
}
