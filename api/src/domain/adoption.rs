//! Whether clients use the portal: when each person was first invited, each sign-in (a
//! password, or accepting an invitation), and the first. View-as signs nobody in, and a refresh
//! continues a sign-in, so neither is recorded; visits (`last_seen_at`) come from
//! `activity::seen`, which View-as never touches either.
use sea_orm::sea_query::{Expr, ExprTrait};

use super::prelude::*;
use crate::entities::{login, user};

/// `user` has signed in now.
pub async fn signed_in(change: &Change<'_>, user: &user::Model) -> ApiResult<()> {
    let now = change.now();
    login::ActiveModel { id: Set(Uuid::now_v7()), user_id: Set(user.id), client_id: Set(user.client_id), at: Set(now) }
        .insert(change.db())
        .await?;
    if let Some(client) = user.client_id {
        super::response_stats::count_sign_ins(change.db(), user.id, client, &[now]).await?;
    }
    user::Entity::update_many()
        .col_expr(user::Column::FirstLoginAt, Expr::col(user::Column::FirstLoginAt).if_null(now))
        .filter(user::Column::Id.eq(user.id))
        .exec(change.db())
        .await?;
    Ok(())
}

/// `user_id` has been sent an invitation now (the first counts).
pub async fn invited(change: &Change<'_>, user_id: Uuid) -> ApiResult<()> {
    user::Entity::update_many()
        .col_expr(user::Column::InvitedAt, Expr::col(user::Column::InvitedAt).if_null(change.now()))
        .filter(user::Column::Id.eq(user_id))
        .exec(change.db())
        .await?;
    Ok(())
}

/// Records how `user` came to the portal as it already happened (the demo agency, an import):
/// first invited `invited_at`, signed in at each of `sign_ins` (in order), and last seen at the
/// last of them.
pub async fn imported(
    change: &Change<'_>,
    user: &user::Model,
    invited_at: Option<chrono::DateTime<Utc>>,
    sign_ins: &[chrono::DateTime<Utc>],
) -> ApiResult<()> {
    for at in sign_ins {
        login::ActiveModel {
            id: Set(Uuid::now_v7()),
            user_id: Set(user.id),
            client_id: Set(user.client_id),
            at: Set(*at),
        }
        .insert(change.db())
        .await?;
    }
    if let Some(client) = user.client_id {
        super::response_stats::count_sign_ins(change.db(), user.id, client, sign_ins).await?;
    }
    let mut active = user.clone().into_active_model();
    active.invited_at = Set(invited_at);
    active.first_login_at = Set(sign_ins.first().copied());
    active.last_login_at = Set(sign_ins.last().copied());
    active.last_seen_at = Set(sign_ins.last().copied());
    active.update(change.db()).await?;
    Ok(())
}
