//! Roles: the built-in ones and custom roles made from the named permissions.
use std::collections::BTreeSet;

use sea_orm::{ConnectionTrait, PaginatorTrait, QueryOrder};

use super::prelude::*;
use crate::entities::{enums::RoleKind, role, role_permission, user};

#[derive(Serialize, ToSchema)]
pub struct RoleResponse {
    pub id: Uuid,
    /// Stable identifier used when assigning the role.
    pub key: String,
    pub name: String,
    pub kind: RoleKind,
    /// Built-in roles cannot be changed or deleted.
    pub builtin: bool,
    pub permissions: Vec<Perm>,
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ListRolesQuery {
    pub kind: Option<RoleKind>,
}

#[derive(Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct CreateRoleRequest {
    /// Lower-case letters, digits and `_`, e.g. `client_pm`.
    #[validate(length(min = 2, max = 50))]
    pub key: String,
    #[validate(length(min = 1, max = 100))]
    pub name: String,
    pub kind: RoleKind,
    pub permissions: Vec<Perm>,
}

#[derive(Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct UpdateRoleRequest {
    #[validate(length(min = 1, max = 100))]
    pub name: Option<String>,
    pub permissions: Option<Vec<Perm>>,
}

fn require_role_reader(actor: &Actor) -> ApiResult<()> {
    // Whoever invites or manages users needs to pick a role.
    if actor.has(Perm::UsersManage) || actor.has(Perm::ClientsWrite) {
        Ok(())
    } else {
        Err(ApiError::forbidden_missing(Perm::UsersManage.as_str()))
    }
}

async fn respond(db: &impl ConnectionTrait, role: role::Model) -> ApiResult<RoleResponse> {
    let perms = role_permission::Entity::find().filter(role_permission::Column::RoleId.eq(role.id)).all(db).await?;
    Ok(RoleResponse {
        id: role.id,
        key: role.key,
        name: role.name,
        kind: role.kind,
        builtin: role.builtin,
        permissions: perms.iter().filter_map(|p| Perm::parse(&p.permission)).collect(),
    })
}

fn check_permissions(kind: RoleKind, perms: &[Perm]) -> ApiResult<BTreeSet<Perm>> {
    if kind == RoleKind::Client {
        let staff_only: Vec<_> = perms.iter().filter(|p| !p.client_allowed()).map(|p| p.as_str()).collect();
        if !staff_only.is_empty() {
            return Err(ApiError::field(
                "permissions",
                format!("a client role cannot hold staff-only permissions: {}", staff_only.join(", ")),
            ));
        }
    }
    Ok(perms.iter().copied().collect())
}

async fn write_permissions(
    db: &impl ConnectionTrait,
    role_id: Uuid,
    perms: &BTreeSet<Perm>,
) -> Result<(), sea_orm::DbErr> {
    role_permission::Entity::delete_many().filter(role_permission::Column::RoleId.eq(role_id)).exec(db).await?;
    if !perms.is_empty() {
        role_permission::Entity::insert_many(
            perms.iter().map(|p| role_permission::ActiveModel {
                role_id: Set(role_id),
                permission: Set(p.as_str().to_owned()),
            }),
        )
        .exec(db)
        .await?;
    }
    Ok(())
}

/// List roles with their permissions.
#[utoipa::path(tag = "users", params(ListRolesQuery), responses((status = 200, body = Vec<RoleResponse>)))]
#[get("/roles")]
pub async fn list_roles(
    state: State,
    actor: Actor,
    query: web::Query<ListRolesQuery>,
) -> ApiResult<web::Json<Vec<RoleResponse>>> {
    require_role_reader(&actor)?;
    let mut select = role::Entity::find().order_by_asc(role::Column::Kind).order_by_asc(role::Column::Name);
    if let Some(kind) = query.kind {
        select = select.filter(role::Column::Kind.eq(kind));
    }
    let roles = select.all(&state.db).await?;
    // Roles are few (built-ins plus a handful of custom ones): one query for all permissions.
    let perms = role_permission::Entity::find().all(&state.db).await?;
    Ok(web::Json(
        roles
            .into_iter()
            .map(|r| RoleResponse {
                permissions: perms
                    .iter()
                    .filter(|p| p.role_id == r.id)
                    .filter_map(|p| Perm::parse(&p.permission))
                    .collect(),
                id: r.id,
                key: r.key,
                name: r.name,
                kind: r.kind,
                builtin: r.builtin,
            })
            .collect(),
    ))
}

/// Create a custom role.
#[utoipa::path(tag = "users", request_body = CreateRoleRequest, responses((status = 201, body = RoleResponse)))]
#[post("/roles")]
pub async fn create_role(state: State, actor: Actor, body: Body<CreateRoleRequest>) -> ApiResult<HttpResponse> {
    actor.require(Perm::UsersManage)?;
    body.validate()?;
    let body = body.into_inner();
    if !body.key.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_') {
        return Err(ApiError::field("key", "may hold only lower-case letters, digits and `_`"));
    }
    let perms = check_permissions(body.kind, &body.permissions)?;
    let now = Utc::now();
    let txn = state.db.begin().await?;
    let model = role::ActiveModel {
        id: Set(Uuid::now_v7()),
        key: Set(body.key),
        name: Set(body.name),
        kind: Set(body.kind),
        builtin: Set(false),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&txn)
    .await
    .map_err(ApiError::conflict_on_unique("A role with that key already exists."))?;
    write_permissions(&txn, model.id, &perms).await?;
    audit::record(
        &txn,
        Some(&actor),
        audit::Entry {
            action: "role.created",
            target_type: "role",
            target_id: Some(model.id),
            client_id: None,
            details: serde_json::json!({"key": model.key, "permissions": perms}),
        },
    )
    .await?;
    let response = respond(&txn, model).await?;
    txn.commit().await?;
    Ok(HttpResponse::Created().json(response))
}

/// A role.
#[utoipa::path(tag = "users", params(("id" = Uuid, Path)), responses((status = 200, body = RoleResponse)))]
#[get("/roles/{id}")]
pub async fn get_role(state: State, actor: Actor, id: web::Path<Uuid>) -> ApiResult<web::Json<RoleResponse>> {
    require_role_reader(&actor)?;
    let model = role::Entity::find_by_id(*id).one(&state.db).await?.ok_or(ApiError::NotFound)?;
    Ok(web::Json(respond(&state.db, model).await?))
}

/// Rename a custom role or change its permissions; holders get them on their next request.
#[utoipa::path(tag = "users", params(("id" = Uuid, Path)), request_body = UpdateRoleRequest, responses((status = 200, body = RoleResponse)))]
#[patch("/roles/{id}")]
pub async fn update_role(
    state: State,
    actor: Actor,
    id: web::Path<Uuid>,
    body: Body<UpdateRoleRequest>,
) -> ApiResult<web::Json<RoleResponse>> {
    actor.require(Perm::UsersManage)?;
    body.validate()?;
    let body = body.into_inner();
    let model = role::Entity::find_by_id(*id).one(&state.db).await?.ok_or(ApiError::NotFound)?;
    if model.builtin {
        return Err(ApiError::Conflict("Built-in roles cannot be changed; create a custom role instead.".into()));
    }
    let txn = state.db.begin().await?;
    let mut active = model.clone().into_active_model();
    if let Some(name) = body.name {
        active.name = Set(name);
    }
    if let Some(perms) = &body.permissions {
        let perms = check_permissions(model.kind, perms)?;
        write_permissions(&txn, model.id, &perms).await?;
        audit::record(
            &txn,
            Some(&actor),
            audit::Entry {
                action: "role.permissions_changed",
                target_type: "role",
                target_id: Some(model.id),
                client_id: None,
                details: serde_json::json!({"key": model.key, "permissions": perms}),
            },
        )
        .await?;
    }
    active.updated_at = Set(Utc::now());
    let model = active.update(&txn).await?;
    let response = respond(&txn, model).await?;
    txn.commit().await?;
    state.authz_changed(None).await?;
    Ok(web::Json(response))
}

/// Delete a custom role nobody holds.
#[utoipa::path(tag = "users", params(("id" = Uuid, Path)), responses((status = 204, description = "Deleted")))]
#[delete("/roles/{id}")]
pub async fn delete_role(state: State, actor: Actor, id: web::Path<Uuid>) -> ApiResult<HttpResponse> {
    actor.require(Perm::UsersManage)?;
    let model = role::Entity::find_by_id(*id).one(&state.db).await?.ok_or(ApiError::NotFound)?;
    if model.builtin {
        return Err(ApiError::Conflict("Built-in roles cannot be deleted.".into()));
    }
    if user::Entity::find().filter(user::Column::RoleId.eq(model.id)).count(&state.db).await? > 0 {
        return Err(ApiError::Conflict("Users still hold this role; give them another role first.".into()));
    }
    role::Entity::delete_by_id(model.id).exec(&state.db).await?;
    Ok(HttpResponse::NoContent().finish())
}

pub fn config(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_roles).service(create_role).service(get_role).service(update_role).service(delete_role);
}
