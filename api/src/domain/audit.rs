//! The audit trail: who did what to what, when, and on whose behalf. Rows are written by
//! `Change::audit`, in the transaction of the change they describe.
use chrono::Utc;
use sea_orm::{ActiveModelTrait, ConnectionTrait, Set};
use uuid::Uuid;

use crate::{auth::Actor, entities::audit_event};

pub struct Entry {
    pub action: &'static str,
    pub target_type: &'static str,
    pub target_id: Option<Uuid>,
    pub client_id: Option<Uuid>,
    pub details: serde_json::Value,
}

impl Entry {
    /// `action` done to the `target_type` row `target_id`, of the account `client_id`.
    pub fn new(
        action: &'static str,
        target_type: &'static str,
        target_id: Option<Uuid>,
        client_id: Option<Uuid>,
    ) -> Self {
        Self { action, target_type, target_id, client_id, details: serde_json::json!({}) }
    }

    pub fn details(mut self, details: serde_json::Value) -> Self {
        self.details = details;
        self
    }
}

/// Records `entry` as done by `actor` (or by nobody, for anonymous events such as a failed
/// login).
pub(super) async fn record(
    db: &impl ConnectionTrait,
    actor: Option<&Actor>,
    entry: Entry,
) -> Result<(), sea_orm::DbErr> {
    let (actor_id, acting_as_id) = match actor {
        // Viewing as someone: the staff member acted, on the client user's behalf.
        Some(a) => match a.viewed_by {
            Some(staff) => (Some(staff), Some(a.user_id)),
            None => (Some(a.user_id), None),
        },
        None => (None, None),
    };
    audit_event::ActiveModel {
        id: Set(Uuid::now_v7()),
        at: Set(Utc::now()),
        actor_id: Set(actor_id),
        acting_as_id: Set(acting_as_id),
        api_key_id: Set(actor.and_then(|a| a.key.as_ref()).map(|k| k.id)),
        action: Set(entry.action.to_owned()),
        target_type: Set(entry.target_type.to_owned()),
        target_id: Set(entry.target_id),
        client_id: Set(entry.client_id),
        details: Set(entry.details),
    }
    .insert(db)
    .await?;
    Ok(())
}

/// One entry of the audit log, as staff read it.
#[derive(serde::Serialize, utoipa::ToSchema, sea_orm::FromQueryResult)]
pub struct AuditEventResponse {
    pub id: Uuid,
    pub at: chrono::DateTime<Utc>,
    /// Who did it; for a View-as session, the staff member.
    pub actor_id: Option<Uuid>,
    pub actor_name: Option<String>,
    /// The client user a staff member was viewing as.
    pub acting_as_id: Option<Uuid>,
    /// The API key it was done with; `actor_id` is then the key's maker, or for a key held to
    /// one client account, the key's own user.
    pub api_key_id: Option<Uuid>,
    pub api_key_name: Option<String>,
    /// E.g. `login`, `login.failed`, `impersonation.started`, `invitation.sent`, `user.role_changed`.
    pub action: String,
    pub target_type: String,
    pub target_id: Option<Uuid>,
    pub client_id: Option<Uuid>,
    #[schema(value_type = Object)]
    pub details: serde_json::Value,
}

#[derive(serde::Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ListAuditQuery {
    /// Exact action, e.g. `login.failed`.
    pub action: Option<String>,
    pub actor_id: Option<Uuid>,
    /// Only what was done with this API key.
    pub api_key_id: Option<Uuid>,
    pub target_id: Option<Uuid>,
    pub client_id: Option<Uuid>,
    /// Only events at or after this instant.
    pub since: Option<chrono::DateTime<Utc>>,
    /// Only events before this instant (with `since`, a period).
    pub until: Option<chrono::DateTime<Utc>>,
    /// Newest first.
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u64>,
    pub cursor: Option<String>,
}

/// A page of the audit log, newest first, with each actor's name.
pub async fn list(
    db: &impl ConnectionTrait,
    query: &ListAuditQuery,
) -> crate::error::ApiResult<crate::pagination::Page<AuditEventResponse>> {
    use sea_orm::{ColumnTrait, EntityTrait, JoinType, QueryFilter, QuerySelect, RelationTrait};

    use crate::{
        entities::{api_key, user},
        pagination::{self, Key, Sort},
    };
    let limit = pagination::limit(query.limit)?;
    let mut select = audit_event::Entity::find();
    if let Some(a) = &query.action {
        select = select.filter(audit_event::Column::Action.eq(a.as_str()));
    }
    if let Some(id) = query.actor_id {
        select = select.filter(audit_event::Column::ActorId.eq(id));
    }
    if let Some(id) = query.api_key_id {
        select = select.filter(audit_event::Column::ApiKeyId.eq(id));
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
    if let Some(t) = query.until {
        select = select.filter(audit_event::Column::At.lt(t));
    }
    let sort = Sort::<audit_event::Entity, AuditEventResponse> {
        name: "-at",
        col: audit_event::Column::At,
        desc: true,
        nullable: false,
        key: |r| Key::Time(r.at),
    };
    let rows = pagination::prepare(select, &sort, audit_event::Column::Id, query.cursor.as_deref(), limit)?
        .join(JoinType::LeftJoin, audit_event::Relation::Actor.def())
        .column_as(user::Column::Name, "actor_name")
        .join(JoinType::LeftJoin, audit_event::Relation::ApiKey.def())
        .column_as(api_key::Column::Name, "api_key_name")
        .into_model::<AuditEventResponse>()
        .all(db)
        .await?;
    Ok(pagination::finish(rows, limit, sort.name, sort.key, |r| r.id))
}
