//! Portal settings: the agency's branding, welcome text and the portal home's quick actions.
use super::prelude::*;
use crate::domain::settings::{self, BrandingResponse, PortalSettingsResponse, UpdatePortalSettingsRequest};

/// The agency's name, logo and colours (any signed-in user: the SPA dresses itself with them).
#[utoipa::path(tag = "settings", responses((status = 200, body = BrandingResponse)))]
#[get("/branding")]
pub async fn get_branding(state: State, _actor: Actor) -> ApiResult<web::Json<BrandingResponse>> {
    let mut branding = BrandingResponse::from(settings::load(&state.db).await?);
    branding.online_payments = state.stripe.is_some();
    Ok(web::Json(branding))
}

/// The portal settings, automations included (staff only: clients get `/branding` and `/portal`).
#[utoipa::path(tag = "settings", responses((status = 200, body = PortalSettingsResponse)))]
#[get("/settings/portal")]
pub async fn get_portal_settings(state: State, actor: Actor) -> ApiResult<web::Json<PortalSettingsResponse>> {
    if actor.is_client() {
        return Err(ApiError::Forbidden("The portal settings are the agency's; clients see them on /portal.".into()));
    }
    Ok(web::Json(settings::load(&state.db).await?.into()))
}

/// Change the portal settings.
#[utoipa::path(tag = "settings", request_body = UpdatePortalSettingsRequest, responses((status = 200, body = PortalSettingsResponse)))]
#[patch("/settings/portal")]
pub async fn update_portal_settings(
    state: State,
    actor: Actor,
    body: Body<UpdatePortalSettingsRequest>,
) -> ApiResult<web::Json<PortalSettingsResponse>> {
    actor.require(Perm::SettingsManage)?;
    body.validate()?;
    let updated = Change::run(&state, Some(&actor), async |c| settings::update(c, body.into_inner()).await).await?;
    Ok(web::Json(updated.into()))
}

pub fn config(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(get_branding).service(get_portal_settings).service(update_portal_settings);
}
