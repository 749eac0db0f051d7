//! The audit trail: who did what to what, when, and on whose behalf.
use chrono::Utc;
use sea_orm::{ActiveModelTrait, ConnectionTrait, Set};
use uuid::Uuid;

use crate::{auth::Actor, entities::audit_event};

pub struct Entry<'a> {
    pub action: &'a str,
    pub target_type: &'a str,
    pub target_id: Option<Uuid>,
    pub client_id: Option<Uuid>,
    pub details: serde_json::Value,
}

/// Records `entry` as done by `actor` (or by nobody, for anonymous events such as a failed
/// login). Call it inside the transaction of the change it describes.
pub async fn record(db: &impl ConnectionTrait, actor: Option<&Actor>, entry: Entry<'_>) -> Result<(), sea_orm::DbErr> {
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
        action: Set(entry.action.to_owned()),
        target_type: Set(entry.target_type.to_owned()),
        target_id: Set(entry.target_id),
        client_id: Set(entry.client_id),
        details: Set(entry.details.to_string()),
    }
    .insert(db)
    .await?;
    Ok(())
}
