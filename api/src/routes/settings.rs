//! Portal settings: the agency's branding, welcome text and the portal home's quick actions.
use actix_multipart::Multipart;
use actix_web::{HttpRequest, http::header};
use futures_util::StreamExt;

use super::prelude::*;
use crate::{
    domain::settings::{self, BrandingResponse, PortalSettingsResponse, UpdatePortalSettingsRequest},
    services::pdf::Picture,
};

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
        return Err(ApiError::Forbidden(crate::problem!("http-portal-settings-staff-only")));
    }
    Ok(web::Json(settings::load(&state.db).await?.into()))
}

/// Change the portal settings.
#[utoipa::path(tag = "settings", request_body = UpdatePortalSettingsRequest, responses((status = 200, body = PortalSettingsResponse)))]
#[patch("/settings/portal")]
pub async fn update_portal_settings(
    state: State,
    actor: Actor,
    if_match: IfMatch,
    body: Body<UpdatePortalSettingsRequest>,
) -> ApiResult<web::Json<PortalSettingsResponse>> {
    actor.require(Perm::SettingsManage)?;
    body.validate()?;
    let updated = Change::run(&state, Some(&actor), async |c| {
        let id = settings::load(c.db()).await?.id;
        let now = async |db: &sea_orm::DatabaseTransaction| Ok(PortalSettingsResponse::from(settings::load(db).await?));
        if_match.hold(c, "portal_settings", id, now).await?;
        settings::update(c, body.into_inner()).await
    })
    .await?;
    Ok(web::Json(updated.into()))
}

/// The form of a logo upload, for the OpenAPI document.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct LogoForm {
    /// A PNG or JPEG of at most 1 MiB.
    #[schema(value_type = String, format = Binary)]
    file: Vec<u8>,
}

fn malformed(_: actix_multipart::MultipartError) -> ApiError {
    ApiError::BadRequest(crate::problem!("upload-logo-not-multipart"))
}

/// The one `file` field of a logo upload, at most `MAX_LOGO_BYTES` (413 beyond, before more
/// is read).
async fn logo_bytes(req: &HttpRequest, mut form: Multipart) -> ApiResult<Vec<u8>> {
    let declared = req.headers().get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()?.parse::<usize>().ok());
    // The form's boundaries and headers are a few hundred bytes beside the image.
    if declared.is_some_and(|n| n > settings::MAX_LOGO_BYTES + 16 * 1024) {
        return Err(ApiError::PayloadTooLarge);
    }
    let mut bytes: Option<Vec<u8>> = None;
    while let Some(field) = form.next().await {
        let mut field = field.map_err(malformed)?;
        if field.name() != Some("file") || bytes.is_some() {
            return Err(ApiError::field("file", crate::problem!("upload-logo-one-field")));
        }
        let mut buf = Vec::new();
        while let Some(chunk) = field.next().await {
            let chunk = chunk.map_err(malformed)?;
            if buf.len() + chunk.len() > settings::MAX_LOGO_BYTES {
                return Err(ApiError::PayloadTooLarge);
            }
            buf.extend_from_slice(&chunk);
        }
        bytes = Some(buf);
    }
    bytes.ok_or_else(|| ApiError::field("file", crate::problem!("upload-logo-required")))
}

/// Upload the agency's logo (PNG or JPEG, at most 1 MiB; `settings.manage`): shown in the
/// portal (`logo_url` becomes `/api/v1/branding/logo?v=…`) and on invoice and statement PDFs.
#[utoipa::path(
    tag = "settings",
    request_body(content = LogoForm, content_type = "multipart/form-data"),
    responses(
        (status = 200, body = PortalSettingsResponse),
        (status = 413, description = "Larger than 1 MiB: nothing was stored", body = crate::error::Problem),
        (status = 422, description = "Not a PNG or JPEG image", body = crate::error::Problem),
    )
)]
#[put("/settings/logo")]
pub async fn upload_logo(
    state: State,
    actor: Actor,
    req: HttpRequest,
    form: Multipart,
) -> ApiResult<web::Json<PortalSettingsResponse>> {
    actor.require(Perm::SettingsManage)?;
    let bytes = logo_bytes(&req, form).await?;
    let extension = match Picture::from_bytes(bytes.clone()) {
        Some(p) if !p.draws() => return Err(ApiError::field("file", crate::problem!("upload-logo-damaged"))),
        Some(_) if bytes.starts_with(b"\x89PNG") => "png",
        Some(_) => "jpg",
        None => return Err(ApiError::field("file", crate::problem!("upload-logo-not-image"))),
    };
    let key = settings::logo_key(extension);
    state.storage.put(&key, bytes.into()).await?;
    match Change::run(&state, Some(&actor), async |c| settings::set_logo(c, key.clone()).await).await {
        Ok(s) => Ok(web::Json(s.into())),
        Err(e) => {
            if let Err(gone) = state.storage.delete(&key).await {
                tracing::warn!(error = %gone, key, "could not remove the object of a refused logo");
            }
            Err(e)
        }
    }
}

/// Remove the uploaded logo (`settings.manage`).
#[utoipa::path(tag = "settings", responses((status = 200, body = PortalSettingsResponse)))]
#[delete("/settings/logo")]
pub async fn remove_logo(state: State, actor: Actor) -> ApiResult<web::Json<PortalSettingsResponse>> {
    actor.require(Perm::SettingsManage)?;
    let s = Change::run(&state, Some(&actor), async |c| settings::remove_logo(c).await).await?;
    Ok(web::Json(s.into()))
}

/// The agency's uploaded logo (no sign-in needed: the sign-in page and e-mails show it).
#[utoipa::path(
    tag = "settings",
    security(()),
    params(("v" = Option<String>, Query, description = "The version `logo_url` names (for caches)")),
    responses((status = 200, description = "The image", content_type = "image/png", body = Vec<u8>),
        (status = 404, description = "No logo has been uploaded", content_type = "application/problem+json", body = crate::error::Problem))
)]
#[get("/branding/logo")]
pub async fn get_logo(state: State) -> ApiResult<HttpResponse> {
    let s = settings::load(&state.db).await?;
    let Some(key) = s.logo_key else { return Err(ApiError::NotFound) };
    let content_type = if key.ends_with(".png") { "image/png" } else { "image/jpeg" };
    let body = state.storage.read(&key, None).await?;
    Ok(HttpResponse::Ok()
        .content_type(content_type)
        .insert_header((header::CACHE_CONTROL, "public, max-age=3600"))
        .insert_header((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .streaming(body.map(|chunk| chunk.map_err(std::io::Error::other))))
}

pub fn config(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(get_branding)
        .service(get_portal_settings)
        .service(update_portal_settings)
        .service(upload_logo)
        .service(remove_logo)
        .service(get_logo);
}
