//! The audit log (admins): logins, failed logins, View-as sessions, invitations, role changes,
//! deactivations, visibility changes, invoice events.
use sea_orm::{FromQueryResult, JoinType, QuerySelect, RelationTrait};

use super::prelude::*;
use crate::entities::{audit_event, user};

#[derive(Serialize, ToSchema)]
pub struct AuditEventResponse {
    pub id: Uuid,
    pub at: chrono::DateTime<Utc>,
    /// Who did it; for a View-as session, the staff member.
    pub actor_id: Option<Uuid>,
    pub actor_name: Option<String>,
    /// The client user a staff member was viewing as.
    pub acting_as_id: Option<Uuid>,
    /// E.g. `login`, `login.failed`, `impersonation.started`, `invitation.sent`, `user.role_changed`.
    pub action: String,
    pub target_type: String,
    pub target_id: Option<Uuid>,
    pub client_id: Option<Uuid>,
    #[schema(value_type = Object)]
    pub details: serde_json::Value,
}

#[derive(FromQueryResult)]
struct AuditRow {
    id: Uuid,
    at: chrono::DateTime<Utc>,
    actor_id: Option<Uuid>,
    actor_name: Option<String>,
    acting_as_id: Option<Uuid>,
    action: String,
    target_type: String,
    target_id: Option<Uuid>,
    client_id: Option<Uuid>,
    details: String,
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ListAuditQuery {
    /// Exact action, e.g. `login.failed`.
    pub action: Option<String>,
    pub actor_id: Option<Uuid>,
    pub target_id: Option<Uuid>,
    pub client_id: Option<Uuid>,
    /// Only events at or after this instant.
    pub since: Option<chrono::DateTime<Utc>>,
    /// Newest first.
    pub limit: Option<u64>,
    pub cursor: Option<String>,
}

/// The audit log, newest first.
#[utoipa::path(tag = "users", params(ListAuditQuery), responses((status = 200, body = Page<AuditEventResponse>)))]
#[get("/audit-log")]
pub async fn list_audit_log(
    state: State,
    actor: Actor,
    query: web::Query<ListAuditQuery>,
) -> ApiResult<web::Json<Page<AuditEventResponse>>> {
    actor.require(Perm::AuditRead)?;
    let limit = pagination::limit(query.limit)?;
    let mut select = audit_event::Entity::find();
    if let Some(a) = &query.action {
        select = select.filter(audit_event::Column::Action.eq(a.as_str()));
    }
    if let Some(id) = query.actor_id {
        select = select.filter(audit_event::Column::ActorId.eq(id));
    }
    if let Some(id) = query.target_id {
        select = select.filter(audit_event::Column::TargetId.eq(id));
    }
    if let Some(id) = query.client_id {
        select = select.filter(audit_event::Column::ClientId.eq(id));
    }
    if let Some(t) = query.since {
        select = select.filter(audit_event::Column::At.gte(t));
    }
    let sort = Sort::<audit_event::Entity, AuditRow> {
        name: "-at",
        col: audit_event::Column::At,
        desc: true,
        nullable: false,
        key: |r| Key::Time(r.at),
    };
    let rows = pagination::prepare(select, &sort, audit_event::Column::Id, query.cursor.as_deref(), limit)?
        .join(JoinType::LeftJoin, audit_event::Relation::Actor.def())
        .column_as(user::Column::Name, "actor_name")
        .into_model::<AuditRow>()
        .all(&state.db)
        .await?;
    let page = pagination::finish(rows, limit, sort.name, sort.key, |r| r.id);
    Ok(web::Json(page.map(|r| AuditEventResponse {
        id: r.id,
        at: r.at,
        actor_id: r.actor_id,
        actor_name: r.actor_name,
        acting_as_id: r.acting_as_id,
        action: r.action,
        target_type: r.target_type,
        target_id: r.target_id,
        client_id: r.client_id,
        details: serde_json::from_str(&r.details).unwrap_or(serde_json::Value::Null),
    })))
}

pub fn config(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_audit_log);
}
