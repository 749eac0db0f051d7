//! Satisfaction surveys, as the people asked answer them: in the portal (their own open
//! surveys), or through the single-use link of the e-mail without signing in.
use super::prelude::*;
use crate::domain::surveys::{self, AnswerByLinkRequest, AnswerSurveyRequest, SurveyResponse};

/// The caller's own surveys still open, newest first (the portal home's prompt). Nobody sees
/// anyone else's; staff are never asked, so theirs is empty.
#[utoipa::path(tag = "surveys", responses((status = 200, body = Vec<SurveyResponse>)))]
#[get("/surveys")]
pub async fn list_open_surveys(state: State, actor: Actor) -> ApiResult<web::Json<Vec<SurveyResponse>>> {
    Ok(web::Json(surveys::open_for(&state.db, actor.user_id, state.settings.clock.now()).await?))
}

/// Answer one of the caller's own surveys (404 for anyone else's): 409 once answered, 422 once
/// expired. A score of 2 or less tells the account's staff at once.
#[utoipa::path(tag = "surveys", request_body = AnswerSurveyRequest, responses(
    (status = 200, body = SurveyResponse),
    (status = 409, description = "Already answered", body = crate::error::Problem),
))]
#[post("/surveys/{id}/answer")]
pub async fn answer_survey(
    state: State,
    actor: Actor,
    id: web::Path<Uuid>,
    body: Body<AnswerSurveyRequest>,
) -> ApiResult<web::Json<SurveyResponse>> {
    body.validate()?;
    let id = id.into_inner();
    let body = body.into_inner();
    Ok(web::Json(Change::run(&state, Some(&actor), async |c| surveys::answer(c, id, body).await).await?))
}

/// Answer a survey through the e-mail's single-use link, signed in or not: 404 for a token
/// that names no survey, 409 once answered, 422 once expired, and 403 when the caller is
/// signed in as someone else than the person it was sent to.
#[utoipa::path(tag = "surveys", security(()), request_body = AnswerByLinkRequest, responses(
    (status = 200, body = SurveyResponse),
    (status = 403, description = "The link was sent to someone else than the signed-in caller", content_type = "application/problem+json", body = crate::error::Problem),
    (status = 404, description = "No survey has this token", content_type = "application/problem+json", body = crate::error::Problem),
    (status = 409, description = "Already answered", body = crate::error::Problem),
))]
#[post("/surveys/answer-by-link")]
pub async fn answer_survey_by_link(
    req: actix_web::HttpRequest,
    state: State,
    body: Body<AnswerByLinkRequest>,
) -> ApiResult<web::Json<SurveyResponse>> {
    body.validate()?;
    // Who is signed in, from the token alone: the link's survey may be another account's,
    // which the caller's own tenant scope would not even find.
    let caller = req
        .headers()
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .and_then(|t| state.jwt.verify(t).ok())
        .map(|c| c.sub);
    let body = body.into_inner();
    Ok(web::Json(Change::run(&state, None, async |c| surveys::answer_by_link(c, caller, body).await).await?))
}

pub fn config(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_open_surveys).service(answer_survey).service(answer_survey_by_link);
}
