//! API keys for integrators (admins, `api_keys.manage`; only a person signed in, never a key).
//! Every client user — of any account and any role — gets 403 on every path here, as does staff
//! without the permission and any request made with a key: keys are the agency's, and a key
//! held to an account names nothing of it another account could find.
use serde::Deserialize;

use super::prelude::*;
use crate::domain::api_keys::{self, ApiKeyResponse, CreateApiKeyRequest, CreatedApiKey};

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ListApiKeysQuery {
    /// Newest first.
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u64>,
    pub cursor: Option<String>,
}

/// Every API key, newest first, revoked and expired ones too.
#[utoipa::path(tag = "api-keys", params(ListApiKeysQuery), responses((status = 200, body = Page<ApiKeyResponse>)))]
#[get("/api-keys")]
pub async fn list_api_keys(
    state: State,
    actor: Actor,
    query: web::Query<ListApiKeysQuery>,
) -> ApiResult<web::Json<Page<ApiKeyResponse>>> {
    Ok(web::Json(api_keys::list(&state.db, &actor, query.cursor.as_deref(), query.limit).await?))
}

/// Make a key. The answer carries its secret, shown this once.
#[utoipa::path(tag = "api-keys", request_body = CreateApiKeyRequest, responses((status = 201, body = CreatedApiKey)))]
#[post("/api-keys")]
pub async fn create_api_key(state: State, actor: Actor, body: Body<CreateApiKeyRequest>) -> ApiResult<HttpResponse> {
    api_keys::may_manage(&actor)?;
    body.validate()?;
    let created =
        Change::run(&state, Some(&actor), async |c| api_keys::create(c, &actor, body.into_inner()).await).await?;
    Ok(HttpResponse::Created().json(created))
}

/// One key.
#[utoipa::path(tag = "api-keys", params(("id" = Uuid, Path)), responses((status = 200, body = ApiKeyResponse)))]
#[get("/api-keys/{id}")]
pub async fn get_api_key(state: State, actor: Actor, id: web::Path<Uuid>) -> ApiResult<web::Json<ApiKeyResponse>> {
    let key = api_keys::find(&state.db, &actor, *id).await?;
    Ok(web::Json(api_keys::describe(&state.db, vec![key]).await?.remove(0)))
}

/// Revoke a key: refused from the next request on (401), everywhere; its event streams end.
#[utoipa::path(tag = "api-keys", params(("id" = Uuid, Path)), responses((status = 200, body = ApiKeyResponse)))]
#[post("/api-keys/{id}/revoke")]
pub async fn revoke_api_key(state: State, actor: Actor, id: web::Path<Uuid>) -> ApiResult<web::Json<ApiKeyResponse>> {
    let key = api_keys::find(&state.db, &actor, *id).await?;
    Ok(web::Json(Change::run(&state, Some(&actor), async |c| api_keys::revoke(c, key.id).await).await?))
}

pub fn config(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_api_keys).service(create_api_key).service(get_api_key).service(revoke_api_key);
}
