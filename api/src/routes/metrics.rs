//! The portal metrics (`metrics.read`, staff only: a client role is refused with 403, as it
//! can never hold the permission): adoption, responsiveness in business hours, the Replies
//! awaiting the agency, and the channel client questions arrive by.
use super::prelude::*;
use crate::domain::metrics::{
    self, AdoptionReport, AwaitingReply, ChannelsReport, MetricsQuery, ResponsivenessQuery, ResponsivenessReport,
    SatisfactionReport,
};

const UNKNOWN_CLIENT: &str = "`client_id` (or `project_id`) names no client account or project";

/// Invitations, sign-ins and visits of client users: per account, per week and per person.
#[utoipa::path(tag = "metrics", params(MetricsQuery), responses(
    (status = 200, body = AdoptionReport),
    (status = 404, description = UNKNOWN_CLIENT, content_type = "application/problem+json", body = crate::error::Problem),
))]
#[get("/metrics/adoption")]
pub async fn get_adoption(
    state: State,
    actor: Actor,
    query: web::Query<MetricsQuery>,
) -> ApiResult<web::Json<AdoptionReport>> {
    actor.require(Perm::MetricsRead)?;
    Ok(web::Json(metrics::adoption(&state.db, &query, state.settings.clock.now()).await?))
}

/// How long Replies wait for the other side's answer, in business hours of the working
/// calendar: in all, per client, project, staff member and week.
#[utoipa::path(tag = "metrics", params(ResponsivenessQuery), responses(
    (status = 200, body = ResponsivenessReport),
    (status = 404, description = UNKNOWN_CLIENT, content_type = "application/problem+json", body = crate::error::Problem),
))]
#[get("/metrics/responsiveness")]
pub async fn get_responsiveness(
    state: State,
    actor: Actor,
    query: web::Query<ResponsivenessQuery>,
) -> ApiResult<web::Json<ResponsivenessReport>> {
    actor.require(Perm::MetricsRead)?;
    let s = &state.settings;
    Ok(web::Json(metrics::responsiveness(&state.db, &query, s.clock.now(), s.response_target_hours).await?))
}

#[derive(Debug, serde::Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AwaitingQuery {
    /// Only this client account (404 when there is none).
    pub client_id: Option<Uuid>,
    /// Every unanswered client Reply, not only those past the commitment.
    #[serde(default)]
    pub all: bool,
}

/// The most one answer lists.
const AWAITING_LIMIT: usize = 500;

/// Client Replies the agency has not answered, longest wait first: by default those past the
/// commitment (`PORTICO_RESPONSE_TARGET_HOURS` business hours), at most 500.
#[utoipa::path(tag = "metrics", params(AwaitingQuery), responses(
    (status = 200, body = Vec<AwaitingReply>),
    (status = 404, description = UNKNOWN_CLIENT, content_type = "application/problem+json", body = crate::error::Problem),
))]
#[get("/metrics/awaiting-replies")]
pub async fn list_awaiting_replies(
    state: State,
    actor: Actor,
    query: web::Query<AwaitingQuery>,
) -> ApiResult<web::Json<Vec<AwaitingReply>>> {
    actor.require(Perm::MetricsRead)?;
    if let Some(id) = query.client_id {
        metrics::require_client(&state.db, id).await?;
    }
    let s = &state.settings;
    let rows = metrics::awaiting(
        &state.db,
        query.client_id,
        !query.all,
        s.clock.now(),
        s.response_target_hours,
        AWAITING_LIMIT,
    )
    .await?;
    Ok(web::Json(rows))
}

/// Client questions per week by how they came: in the portal or as an answer to an e-mail.
#[utoipa::path(tag = "metrics", params(MetricsQuery), responses(
    (status = 200, body = ChannelsReport),
    (status = 404, description = UNKNOWN_CLIENT, content_type = "application/problem+json", body = crate::error::Problem),
))]
#[get("/metrics/channels")]
pub async fn get_channels(
    state: State,
    actor: Actor,
    query: web::Query<MetricsQuery>,
) -> ApiResult<web::Json<ChannelsReport>> {
    actor.require(Perm::MetricsRead)?;
    Ok(web::Json(metrics::channels(&state.db, &query, state.settings.clock.now()).await?))
}

/// Satisfaction scores of the surveys sent in the period: in all, per client, project, staff
/// member (whom a survey was about) and week, with the answers and their comments.
#[utoipa::path(tag = "metrics", params(MetricsQuery), responses(
    (status = 200, body = SatisfactionReport),
    (status = 404, description = UNKNOWN_CLIENT, content_type = "application/problem+json", body = crate::error::Problem),
))]
#[get("/metrics/satisfaction")]
pub async fn get_satisfaction(
    state: State,
    actor: Actor,
    query: web::Query<MetricsQuery>,
) -> ApiResult<web::Json<SatisfactionReport>> {
    actor.require(Perm::MetricsRead)?;
    Ok(web::Json(metrics::satisfaction(&state.db, &query, state.settings.clock.now()).await?))
}

pub fn config(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(get_adoption)
        .service(get_responsiveness)
        .service(list_awaiting_replies)
        .service(get_channels)
        .service(get_satisfaction);
}
