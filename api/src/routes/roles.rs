//! Roles: the built-in ones and custom roles made from the named permissions.
use serde::Deserialize;

use super::prelude::*;
use crate::{
    domain::roles::{self, CreateRoleRequest, PermissionInfo, RoleResponse, UpdateRoleRequest},
    entities::enums::RoleKind,
};

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ListRolesQuery {
    pub kind: Option<RoleKind>,
}

/// Every named permission: what it lets one do and who may hold it (client roles, staff roles,
/// API keys). For any signed-in caller: it describes the product, not anyone's data.
#[utoipa::path(tag = "users", responses((status = 200, body = Vec<PermissionInfo>)))]
#[get("/permissions")]
pub async fn list_permissions(_actor: Actor) -> web::Json<Vec<PermissionInfo>> {
    web::Json(roles::catalogue())
}

/// List roles with their permissions.
#[utoipa::path(tag = "users", params(ListRolesQuery), responses((status = 200, body = Vec<RoleResponse>)))]
#[get("/roles")]
pub async fn list_roles(
    state: State,
    actor: Actor,
    query: web::Query<ListRolesQuery>,
) -> ApiResult<web::Json<Vec<RoleResponse>>> {
    roles::require_reader(&actor)?;
    Ok(web::Json(roles::list(&state.db, query.kind).await?))
}

/// Create a custom role.
#[utoipa::path(tag = "users", request_body = CreateRoleRequest, responses((status = 201, body = RoleResponse)))]
#[post("/roles")]
pub async fn create_role(state: State, actor: Actor, body: Body<CreateRoleRequest>) -> ApiResult<HttpResponse> {
    actor.require(Perm::UsersManage)?;
    body.validate()?;
    let role = Change::run(&state, Some(&actor), async |c| roles::create(c, body.into_inner()).await).await?;
    Ok(HttpResponse::Created().json(role))
}

/// A role.
#[utoipa::path(tag = "users", params(("id" = Uuid, Path)), responses((status = 200, body = RoleResponse)))]
#[get("/roles/{id}")]
pub async fn get_role(state: State, actor: Actor, id: web::Path<Uuid>) -> ApiResult<web::Json<RoleResponse>> {
    roles::require_reader(&actor)?;
    let role = roles::find(&state.db, *id).await?;
    Ok(web::Json(roles::respond(&state.db, role).await?))
}

/// Rename a custom role or change its permissions; holders get them on their next request.
#[utoipa::path(tag = "users", params(("id" = Uuid, Path)), request_body = UpdateRoleRequest, responses((status = 200, body = RoleResponse)))]
#[patch("/roles/{id}")]
pub async fn update_role(
    state: State,
    actor: Actor,
    id: web::Path<Uuid>,
    if_match: IfMatch,
    body: Body<UpdateRoleRequest>,
) -> ApiResult<web::Json<RoleResponse>> {
    actor.require(Perm::UsersManage)?;
    body.validate()?;
    let role = roles::find(&state.db, *id).await?;
    Ok(web::Json(
        Change::run(&state, Some(&actor), async |c| {
            if_match
                .hold(c, "roles", role.id, async |db| roles::respond(db, roles::find(db, role.id).await?).await)
                .await?;
            roles::update(c, role, body.into_inner()).await
        })
        .await?,
    ))
}

/// Delete a custom role nobody holds.
#[utoipa::path(tag = "users", params(("id" = Uuid, Path)), responses((status = 204, description = "Deleted")))]
#[delete("/roles/{id}")]
pub async fn delete_role(state: State, actor: Actor, id: web::Path<Uuid>) -> ApiResult<HttpResponse> {
    actor.require(Perm::UsersManage)?;
    let role = roles::find(&state.db, *id).await?;
    Change::run(&state, Some(&actor), async |c| roles::delete(c, role).await).await?;
    Ok(HttpResponse::NoContent().finish())
}

pub fn config(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_permissions)
        .service(list_roles)
        .service(create_role)
        .service(get_role)
        .service(update_role)
        .service(delete_role);
}
