//! The caller's own profile.
use super::prelude::*;
use crate::domain::{
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
pub async fn update_me(state: State, actor: Actor, body: Body<UpdateMeRequest>) -> ApiResult<web::Json<MeResponse>> {
    body.validate()?;
    passwords::update_me(&state, &actor, body.into_inner()).await?;
    Ok(web::Json(sessions::me(&state, &actor).await?))
}

pub fn config(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(get_me).service(update_me);
}
