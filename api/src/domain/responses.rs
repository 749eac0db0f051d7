//! Who is waiting for whose answer. A Reply that reaches the client's side of a task opens a
//! wait for the other side and answers the other side's open waits on the same task: a client's
//! question is answered by the agency's first Reply after it (whoever on the staff writes it),
//! and a staff member's by the client's. The wait is measured in the agency's business hours
//! when it ends. Notes never open or answer one: the client never sees them. A Reply withdrawn
//! (deleted, or made a Note) takes its wait with it, and what it answered is open again.
use sea_orm::{QueryOrder, QuerySelect};

use super::{calendar::Calendar, prelude::*, settings};
use crate::entities::{
    comment,
    enums::{Channel, Side},
    reply_wait, task, user,
};

/// `c` has just reached the client's side (posted by a client, or a staff Reply released).
pub async fn reached_client(change: &mut Change<'_>, c: &comment::Model) -> ApiResult<()> {
    let at = c.released_at.unwrap_or(c.created_at);
    let author: Option<Option<Uuid>> = user::Entity::find_by_id(c.author_id)
        .select_only()
        .column(user::Column::ClientId)
        .into_tuple()
        .one(change.db())
        .await?;
    let Some(author_client) = author else { return Ok(()) };
    let side = if author_client.is_some() { Side::Client } else { Side::Agency };
    let Some(project_id) = task::Entity::find_by_id(c.task_id)
        .select_only()
        .column(task::Column::ProjectId)
        .into_tuple::<Uuid>()
        .one(change.db())
        .await?
    else {
        return Ok(());
    };
    let other = match side {
        Side::Client => Side::Agency,
        Side::Agency => Side::Client,
    };
    let open = reply_wait::Entity::find()
        .filter(reply_wait::Column::TaskId.eq(c.task_id))
        .filter(reply_wait::Column::Side.eq(other))
        .filter(reply_wait::Column::AnsweredAt.is_null())
        .filter(reply_wait::Column::AskedAt.lte(at))
        .all(change.db())
        .await?;
    if !open.is_empty() {
        let calendar = Calendar::of(&settings::load(change.db()).await?.working_calendar);
        for wait in open {
            let seconds = calendar.business_seconds(wait.asked_at, at);
            change.tally().remove(&wait);
            let mut active = wait.into_active_model();
            active.answer_id = Set(Some(c.id));
            active.answered_by = Set(Some(c.author_id));
            active.answered_at = Set(Some(at));
            active.business_seconds = Set(Some(seconds));
            let answered = active.update(change.db()).await?;
            change.tally().add(&answered);
        }
    }
    let asked = reply_wait::ActiveModel {
        comment_id: Set(c.id),
        task_id: Set(c.task_id),
        project_id: Set(project_id),
        client_id: Set(c.client_id),
        side: Set(side),
        asked_by: Set(c.author_id),
        asked_at: Set(at),
        channel: Set(Channel::Portal),
        answer_id: Set(None),
        answered_by: Set(None),
        answered_at: Set(None),
        business_seconds: Set(None),
    }
    .insert(change.db())
    .await?;
    change.tally().add(&asked);
    Ok(())
}

/// `c` no longer reaches the client (deleted, or made a Note): it asked nothing, and what it
/// answered is answered by the other side's next Reply that still stands, or open again.
pub async fn withdrawn(change: &mut Change<'_>, c: &comment::Model) -> ApiResult<()> {
    if let Some(own) = reply_wait::Entity::find_by_id(c.id).one(change.db()).await? {
        reply_wait::Entity::delete_by_id(c.id).exec(change.db()).await?;
        change.tally().remove(&own);
    }
    let answered = reply_wait::Entity::find().filter(reply_wait::Column::AnswerId.eq(c.id)).all(change.db()).await?;
    if answered.is_empty() {
        return Ok(());
    }
    let calendar = Calendar::of(&settings::load(change.db()).await?.working_calendar);
    for wait in answered {
        // The next Reply from the answering side, which opened a wait of its own.
        let answering = match wait.side {
            Side::Client => Side::Agency,
            Side::Agency => Side::Client,
        };
        let next = reply_wait::Entity::find()
            .filter(reply_wait::Column::TaskId.eq(wait.task_id))
            .filter(reply_wait::Column::Side.eq(answering))
            .filter(reply_wait::Column::AskedAt.gte(wait.asked_at))
            .filter(reply_wait::Column::CommentId.ne(c.id))
            .order_by_asc(reply_wait::Column::AskedAt)
            .one(change.db())
            .await?;
        change.tally().remove(&wait);
        let mut active = wait.clone().into_active_model();
        match next {
            Some(n) => {
                active.answer_id = Set(Some(n.comment_id));
                active.answered_by = Set(Some(n.asked_by));
                active.answered_at = Set(Some(n.asked_at));
                active.business_seconds = Set(Some(calendar.business_seconds(wait.asked_at, n.asked_at)));
            }
            None => {
                active.answer_id = Set(None);
                active.answered_by = Set(None);
                active.answered_at = Set(None);
                active.business_seconds = Set(None);
            }
        }
        let now = active.update(change.db()).await?;
        change.tally().add(&now);
    }
    Ok(())
}

/// The wait `comment_id` opened came by e-mail (a reply to a notification), not the portal.
pub async fn came_by_email(change: &mut Change<'_>, comment_id: Uuid) -> ApiResult<()> {
    let Some(wait) = reply_wait::Entity::find_by_id(comment_id).one(change.db()).await? else { return Ok(()) };
    change.tally().remove(&wait);
    let mut active = wait.into_active_model();
    active.channel = Set(Channel::Email);
    let now = active.update(change.db()).await?;
    change.tally().add(&now);
    Ok(())
}

/// The waits of a task or project about to be deleted (their Replies go with it) no longer count.
pub async fn forget(change: &mut Change<'_>, task_id: Option<Uuid>, project_id: Option<Uuid>) -> ApiResult<()> {
    let mut find = reply_wait::Entity::find();
    if let Some(id) = task_id {
        find = find.filter(reply_wait::Column::TaskId.eq(id));
    }
    if let Some(id) = project_id {
        find = find.filter(reply_wait::Column::ProjectId.eq(id));
    }
    for wait in find.all(change.db()).await? {
        change.tally().remove(&wait);
    }
    Ok(())
}
