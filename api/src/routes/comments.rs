//! Comments on tasks: Replies (the client sees them) and Notes (internal). Which rows a caller
//! can reach is decided by `policy::comments`; for clients that is the Replies-only view.
use serde::Serialize;

use super::prelude::*;
use crate::{
    domain::comments::{self, CommentResponse, CreateCommentRequest, ListCommentsQuery, UpdateCommentRequest},
    entities::enums::Visibility,
};

/// The comments of a task, oldest first. Clients get Replies only.
#[utoipa::path(tag = "comments", params(("id" = Uuid, Path), ListCommentsQuery), responses((status = 200, body = Page<CommentResponse>)))]
#[get("/tasks/{id}/comments")]
pub async fn list_comments(
    state: State,
    actor: Actor,
    id: web::Path<Uuid>,
    query: web::Query<ListCommentsQuery>,
) -> ApiResult<web::Json<Page<CommentResponse>>> {
    Ok(web::Json(comments::list(&state.db, &actor, *id, &query).await?))
}

/// Comment on a task: a Reply (`comments.reply`) or an internal Note (`comments.note`).
#[utoipa::path(tag = "comments", params(("id" = Uuid, Path)), request_body = CreateCommentRequest, responses((status = 201, body = CommentResponse)))]
#[post("/tasks/{id}/comments")]
pub async fn create_comment(
    state: State,
    actor: Actor,
    id: web::Path<Uuid>,
    body: Body<CreateCommentRequest>,
) -> ApiResult<HttpResponse> {
    let needed = match body.visibility {
        Visibility::Reply => Perm::CommentsReply,
        Visibility::Note => Perm::CommentsNote,
    };
    let task = policy::tasks(&actor).get_for(&state.db, *id, needed).await?;
    body.validate()?;
    let comment =
        Change::run(&state, Some(&actor), async |c| comments::create(c, &task, body.into_inner()).await).await?;
    Ok(HttpResponse::Created().json(comments::find(&state.db, &actor, comment.id).await?))
}

/// A comment.
#[utoipa::path(tag = "comments", params(("id" = Uuid, Path)), responses((status = 200, body = CommentResponse)))]
#[get("/comments/{id}")]
pub async fn get_comment(state: State, actor: Actor, id: web::Path<Uuid>) -> ApiResult<web::Json<CommentResponse>> {
    Ok(web::Json(comments::find(&state.db, &actor, *id).await?))
}

/// Edit your own comment's text, or (staff) turn a Reply into a Note or back. A Reply turned
/// into a Note after it reached the client is withdrawn all the same, and `notice` says so.
#[utoipa::path(tag = "comments", params(("id" = Uuid, Path)), request_body = UpdateCommentRequest, responses((status = 200, body = UpdatedComment)))]
#[patch("/comments/{id}")]
pub async fn update_comment(
    state: State,
    actor: Actor,
    id: web::Path<Uuid>,
    if_match: IfMatch,
    body: Body<UpdateCommentRequest>,
) -> ApiResult<web::Json<UpdatedComment>> {
    body.validate()?;
    let visible = comments::find(&state.db, &actor, *id).await?;
    let edited = Change::run(&state, Some(&actor), async |c| {
        if_match.hold(c, "comments", visible.id, async |db| comments::find(db, &actor, visible.id).await).await?;
        comments::update(c, visible.id, body.into_inner()).await
    })
    .await?;
    let notice = edited
        .withdrawn_after_release
        .then(|| "It had already been sent to the client; it has now been withdrawn from their portal.".to_owned());
    Ok(web::Json(UpdatedComment { comment: comments::find(&state.db, &actor, visible.id).await?, notice }))
}

/// A comment after an edit.
#[derive(Serialize, ToSchema)]
pub struct UpdatedComment {
    #[serde(flatten)]
    pub comment: CommentResponse,
    /// Something the editor should know about what the edit did, to show them as it stands.
    pub notice: Option<String>,
}

/// Delete a comment (its author, or staff who moderate with `comments.note`).
#[utoipa::path(tag = "comments", params(("id" = Uuid, Path)), responses((status = 204, description = "Deleted")))]
#[delete("/comments/{id}")]
pub async fn delete_comment(state: State, actor: Actor, id: web::Path<Uuid>) -> ApiResult<HttpResponse> {
    let visible = comments::find(&state.db, &actor, *id).await?;
    Change::run(&state, Some(&actor), async |c| comments::delete(c, visible.id).await).await?;
    Ok(HttpResponse::NoContent().finish())
}

pub fn config(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_comments)
        .service(create_comment)
        .service(get_comment)
        .service(update_comment)
        .service(delete_comment);
}
