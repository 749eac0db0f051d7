//! The caller's own profile.
use super::prelude::*;
use crate::domain::{
    devices::{self, ListSessionsQuery, SessionResponse},
    passwords::{self, UpdateMeRequest},
    sessions::{self, MeResponse},
};

/// The caller's profile, role and permissions.
#[utoipa::path(tag = "me", responses((status = 200, body = MeResponse)))]
#[get("/me")]
pub async fn get_me(state: State, actor: Actor) -> ApiResult<web::Json<MeResponse>> {
    Ok(web::Json(sessions::me(&state, &actor).await?))
}

/// Change the caller's name or password (a new password needs the current one and signs out
/// every other session).
#[utoipa::path(tag = "me", request_body = UpdateMeRequest, responses((status = 200, body = MeResponse)))]
#[patch("/me")]
pub async fn update_me(
    state: State,
    actor: Actor,
    if_match: IfMatch,
    body: Body<UpdateMeRequest>,
) -> ApiResult<web::Json<MeResponse>> {
    body.validate()?;
    let first = async |c: &mut Change<'_>| {
        if_match.hold(c, "users", actor.user_id, async |db| sessions::me_on(db, &state, &actor).await).await
    };
    passwords::update_me(&state, &actor, body.into_inner(), first).await?;
    Ok(web::Json(sessions::me(&state, &actor).await?))
}

/// The caller's signed-in devices: every login that stands, most recently used first, the
/// one this request comes from marked `current`. Not shown in a View-as session (403).
#[utoipa::path(tag = "me", params(ListSessionsQuery), responses((status = 200, body = Page<SessionResponse>)))]
#[get("/me/sessions")]
pub async fn list_my_sessions(
    state: State,
    actor: Actor,
    query: web::Query<ListSessionsQuery>,
) -> ApiResult<web::Json<Page<SessionResponse>>> {
    let limit = pagination::limit(query.limit)?;
    Ok(web::Json(devices::mine(&state.db, &actor, query.cursor.as_deref(), limit).await?))
}

/// Sign one of the caller's devices out (this one too, if it is `current`): its login ends and
/// access tokens already out stop at once; the caller's other devices carry on. 404 for a
/// login that is not the caller's or has ended.
#[utoipa::path(tag = "me", params(("id" = Uuid, Path)), responses((status = 204, description = "Signed out")))]
#[delete("/me/sessions/{id}")]
pub async fn end_my_session(state: State, actor: Actor, id: web::Path<Uuid>) -> ApiResult<HttpResponse> {
    Change::run(&state, Some(&actor), async |c| devices::end_mine(c, &actor, *id).await).await?;
    Ok(HttpResponse::NoContent().finish())
}

#[derive(serde::Serialize, ToSchema)]
pub struct EndedSessions {
    /// How many logins were ended.
    pub ended: u64,
}

/// Sign out every device but this one.
#[utoipa::path(tag = "me", responses((status = 200, body = EndedSessions)))]
#[delete("/me/sessions")]
pub async fn end_my_other_sessions(state: State, actor: Actor) -> ApiResult<web::Json<EndedSessions>> {
    let ended = Change::run(&state, Some(&actor), async |c| devices::end_my_others(c, &actor).await).await?;
    Ok(web::Json(EndedSessions { ended }))
}

pub fn config(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(get_me)
        .service(update_me)
        .service(list_my_sessions)
        .service(end_my_other_sessions)
        .service(end_my_session);
}
