//! A user's own notifications (read, unread) and their preferences per kind.
use sea_orm::sea_query::Expr;

use super::{notify::KINDS, prelude::*};
use crate::{
    entities::{notification, notification_preference},
    problem,
};

#[derive(Serialize, Deserialize, ToSchema, Clone)]
#[serde(deny_unknown_fields)]
pub struct NotificationPreference {
    pub kind: String,
    pub in_app: bool,
    pub email: bool,
}

/// The caller's notifications.
pub fn mine(actor: &Actor) -> sea_orm::Select<notification::Entity> {
    notification::Entity::find().filter(notification::Column::UserId.eq(actor.user_id))
}

/// Marks one of the caller's notifications read (404 when it is not theirs).
pub async fn mark_read(change: &mut Change<'_>, actor: &Actor, id: Uuid) -> ApiResult<()> {
    let n = mine(actor).filter(notification::Column::Id.eq(id)).one(change.db()).await?.ok_or(ApiError::NotFound)?;
    if n.read_at.is_none() {
        let mut active = n.into_active_model();
        active.read_at = Set(Some(Utc::now()));
        active.update(change.db()).await?;
    }
    Ok(())
}

/// Marks all of the caller's notifications read.
pub async fn mark_all_read(change: &mut Change<'_>, actor: &Actor) -> ApiResult<()> {
    notification::Entity::update_many()
        .col_expr(notification::Column::ReadAt, Expr::value(Utc::now()))
        .filter(notification::Column::UserId.eq(actor.user_id))
        .filter(notification::Column::ReadAt.is_null())
        .exec(change.db())
        .await?;
    Ok(())
}

/// Each kind's preference for `user`: in the app and by e-mail, both on unless switched off.
pub async fn preferences(db: &impl ConnectionTrait, user: Uuid) -> ApiResult<Vec<NotificationPreference>> {
    let stored = notification_preference::Entity::find()
        .filter(notification_preference::Column::UserId.eq(user))
        .all(db)
        .await?;
    Ok(KINDS
        .iter()
        .map(|k| match stored.iter().find(|p| p.kind == *k) {
            Some(p) => NotificationPreference { kind: p.kind.clone(), in_app: p.in_app, email: p.email },
            None => NotificationPreference { kind: (*k).into(), in_app: true, email: true },
        })
        .collect())
}

/// Sets the caller's preferences for the kinds listed (the others stay as they are).
pub async fn set_preferences(
    change: &mut Change<'_>,
    actor: &Actor,
    prefs: Vec<NotificationPreference>,
) -> ApiResult<()> {
    // One row per kind at most: a long list would be as many statements in one transaction.
    if prefs.len() > KINDS.len() {
        return Err(ApiError::field("body", problem!("notification-preferences-at-most", max = KINDS.len())));
    }
    for (i, p) in prefs.iter().enumerate() {
        if !KINDS.contains(&p.kind.as_str()) {
            let kinds = KINDS.join(", ");
            return Err(ApiError::field(
                &format!("[{i}].kind"),
                problem!("notification-kind-unknown", kind = &p.kind, kinds = kinds),
            ));
        }
        if prefs[..i].iter().any(|earlier| earlier.kind == p.kind) {
            return Err(ApiError::field(&format!("[{i}].kind"), problem!("notification-kind-twice", kind = &p.kind)));
        }
    }
    for p in prefs {
        notification_preference::Entity::delete_many()
            .filter(notification_preference::Column::UserId.eq(actor.user_id))
            .filter(notification_preference::Column::Kind.eq(p.kind.as_str()))
            .exec(change.db())
            .await?;
        notification_preference::ActiveModel {
            user_id: Set(actor.user_id),
            kind: Set(p.kind),
            in_app: Set(p.in_app),
            email: Set(p.email),
        }
        .insert(change.db())
        .await?;
    }
    Ok(())
}
