//! Roles: the built-in ones and custom roles made from the named permissions. A client-kind
//! role never holds a staff-only permission.
use std::collections::BTreeSet;

use sea_orm::{PaginatorTrait, QueryOrder};

use super::prelude::*;
use crate::{
    entities::{enums::RoleKind, role, role_permission, user},
    i18n, problem,
};

/// One permission as the screens that grant it describe it.
#[derive(Serialize, ToSchema)]
pub struct PermissionInfo {
    pub key: Perm,
    /// What it lets one do, in a few words, in the request's language.
    pub summary: String,
    /// What it lets one do, in full.
    pub description: String,
    /// Whether a client role (or a key held to a client account) may hold it.
    pub client_roles: bool,
    /// Whether it means anything in a staff role (`team.manage` is a client account's own:
    /// staff look after people with `users.manage`).
    pub staff_roles: bool,
    /// Whether an API key may be given it (never `impersonate` nor `api_keys.manage`).
    pub api_keys: bool,
}

/// Every permission there is, in the order screens list them.
pub fn catalogue() -> Vec<PermissionInfo> {
    Perm::ALL
        .iter()
        .map(|&p| PermissionInfo {
            key: p,
            summary: i18n::say(i18n::current(), &format!("permission-{}", p.message_id()), &[]),
            description: i18n::say(i18n::current(), &format!("permission-{}-description", p.message_id()), &[]),
            client_roles: p.client_allowed(),
            staff_roles: p != Perm::TeamManage,
            api_keys: !crate::auth::actor::NEVER_BY_KEY.contains(&p),
        })
        .collect()
}

#[derive(Serialize, ToSchema)]
pub struct RoleResponse {
    pub id: Uuid,
    /// Stable identifier used when assigning the role.
    pub key: String,
    pub name: String,
    pub kind: RoleKind,
    /// Built-in roles cannot be renamed, given other permissions or deleted.
    pub builtin: bool,
    /// Holders must sign in with a second factor (and enrol before anything else).
    pub requires_two_factor: bool,
    pub permissions: Vec<Perm>,
}

impl RoleResponse {
    fn new(r: role::Model, perms: &[role_permission::Model]) -> Self {
        Self {
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
            requires_two_factor: r.requires_two_factor,
        }
    }
}

#[derive(Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct CreateRoleRequest {
    /// Lower-case letters, digits and `_`, e.g. `client_pm`.
    #[schema(min_length = 2, max_length = 50)]
    #[validate(length(min = 2, max = 50))]
    pub key: String,
    #[schema(min_length = 1, max_length = 100)]
    #[validate(length(min = 1, max = 100))]
    pub name: String,
    pub kind: RoleKind,
    pub permissions: Vec<Perm>,
    /// Whether holders must sign in with a second factor; off unless given.
    #[serde(default)]
    pub requires_two_factor: bool,
}

#[derive(Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct UpdateRoleRequest {
    #[schema(min_length = 1, max_length = 100)]
    #[validate(length(min = 1, max = 100))]
    pub name: Option<String>,
    pub permissions: Option<Vec<Perm>>,
    /// Whether holders must sign in with a second factor; the one thing a built-in role's
    /// may change. Turned on, a holder without it can do nothing but enrol until they have.
    pub requires_two_factor: Option<bool>,
}

/// Whoever invites or manages users needs to pick a role.
pub fn require_reader(actor: &Actor) -> ApiResult<()> {
    if actor.has(Perm::UsersManage) || actor.has(Perm::ClientsWrite) {
        Ok(())
    } else {
        Err(ApiError::forbidden_missing(Perm::UsersManage.as_str()))
    }
}

/// Every role of `kind` (or all), with its permissions: two statements, roles being few.
pub async fn list(db: &impl ConnectionTrait, kind: Option<RoleKind>) -> ApiResult<Vec<RoleResponse>> {
    let mut select = role::Entity::find().order_by_asc(role::Column::Kind).order_by_asc(role::Column::Name);
    if let Some(kind) = kind {
        select = select.filter(role::Column::Kind.eq(kind));
    }
    let roles = select.all(db).await?;
    let perms = role_permission::Entity::find().all(db).await?;
    Ok(roles.into_iter().map(|r| RoleResponse::new(r, &perms)).collect())
}

/// One role (404 when unknown).
pub async fn find(db: &impl ConnectionTrait, id: Uuid) -> ApiResult<role::Model> {
    role::Entity::find_by_id(id).one(db).await?.ok_or(ApiError::NotFound)
}

/// A role with its permissions.
pub async fn respond(db: &impl ConnectionTrait, role: role::Model) -> ApiResult<RoleResponse> {
    let perms = role_permission::Entity::find().filter(role_permission::Column::RoleId.eq(role.id)).all(db).await?;
    Ok(RoleResponse::new(role, &perms))
}

fn check_permissions(kind: RoleKind, perms: &[Perm]) -> ApiResult<BTreeSet<Perm>> {
    if kind == RoleKind::Client {
        let staff_only: Vec<_> = perms.iter().filter(|p| !p.client_allowed()).map(|p| p.as_str()).collect();
        if !staff_only.is_empty() {
            let permissions = staff_only.join(", ");
            return Err(ApiError::field(
                "permissions",
                problem!("role-staff-only-permissions", permissions = permissions),
            ));
        }
    }
    Ok(perms.iter().copied().collect())
}

/// Nobody hands out more than they hold: a staff role may carry only permissions the one
/// granting it has (otherwise `users.manage` alone would be a way to become admin), and a
/// staff member holding more than them is not theirs to demote or deactivate. A client role's
/// permissions are no power over the agency, so staff who manage roles may grant any; a Client
/// Admin running their team only client roles within their own permissions.
pub fn check_grantable(actor: Option<&Actor>, kind: RoleKind, perms: &BTreeSet<Perm>) -> ApiResult<()> {
    let Some(actor) = actor else { return Ok(()) };
    match (actor.is_client(), kind) {
        (true, RoleKind::Staff) => {
            return Err(ApiError::Forbidden(problem!("role-client-roles-only")));
        }
        (false, RoleKind::Client) => return Ok(()),
        _ => {}
    }
    let missing: Vec<&str> = perms.iter().filter(|p| !actor.has(**p)).map(|p| p.as_str()).collect();
    if missing.is_empty() {
        Ok(())
    } else {
        Err(ApiError::Forbidden(problem!("role-permissions-not-held", permissions = missing.join(", "))))
    }
}

/// The permissions `role` carries.
pub async fn permissions_of(db: &impl ConnectionTrait, role: &role::Model) -> ApiResult<BTreeSet<Perm>> {
    let rows = role_permission::Entity::find().filter(role_permission::Column::RoleId.eq(role.id)).all(db).await?;
    Ok(rows.iter().filter_map(|p| Perm::parse(&p.permission)).collect())
}

async fn write_permissions(
    db: &impl ConnectionTrait,
    role_id: Uuid,
    perms: &BTreeSet<Perm>,
) -> Result<(), sea_orm::DbErr> {
    role_permission::Entity::delete_many().filter(role_permission::Column::RoleId.eq(role_id)).exec(db).await?;
    if !perms.is_empty() {
        let rows = perms
            .iter()
            .map(|p| role_permission::ActiveModel { role_id: Set(role_id), permission: Set(p.as_str().to_owned()) });
        role_permission::Entity::insert_many(rows).exec(db).await?;
    }
    Ok(())
}

/// Creates a custom role; audited.
pub async fn create(change: &mut Change<'_>, body: CreateRoleRequest) -> ApiResult<RoleResponse> {
    if !body.key.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_') {
        return Err(ApiError::field("key", problem!("role-key-invalid")));
    }
    let perms = check_permissions(body.kind, &body.permissions)?;
    check_grantable(change.actor(), body.kind, &perms)?;
    let now = Utc::now();
    let model = role::ActiveModel {
        id: Set(Uuid::now_v7()),
        key: Set(body.key),
        name: Set(body.name),
        kind: Set(body.kind),
        builtin: Set(false),
        requires_two_factor: Set(body.requires_two_factor),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(change.db())
    .await
    .map_err(ApiError::conflict_on_unique("role-key-taken"))?;
    write_permissions(change.db(), model.id, &perms).await?;
    let entry = Entry::new("role.created", "role", Some(model.id), None);
    change.audit(entry.details(serde_json::json!({"key": model.key, "permissions": perms}))).await?;
    respond(change.db(), model).await
}

/// Renames a custom role or replaces its permissions, or says whether any role's holders must
/// sign in with a second factor; its holders are held to it from their next request.
pub async fn update(change: &mut Change<'_>, model: role::Model, body: UpdateRoleRequest) -> ApiResult<RoleResponse> {
    if model.builtin && (body.name.is_some() || body.permissions.is_some()) {
        return Err(ApiError::Conflict(problem!("role-builtin-fixed")));
    }
    let mut active = model.clone().into_active_model();
    if let Some(required) = body.requires_two_factor.filter(|r| *r != model.requires_two_factor) {
        // A role's safeguard is for those who hold at least what it holds.
        check_grantable(change.actor(), model.kind, &permissions_of(change.db(), &model).await?)?;
        active.requires_two_factor = Set(required);
        let entry = Entry::new("role.two_factor_changed", "role", Some(model.id), None);
        change.audit(entry.details(serde_json::json!({"key": model.key, "requires_two_factor": required}))).await?;
    }
    if let Some(name) = body.name {
        active.name = Set(name);
    }
    if let Some(perms) = &body.permissions {
        let perms = check_permissions(model.kind, perms)?;
        check_grantable(change.actor(), model.kind, &perms)?;
        write_permissions(change.db(), model.id, &perms).await?;
        let entry = Entry::new("role.permissions_changed", "role", Some(model.id), None);
        change.audit(entry.details(serde_json::json!({"key": model.key, "permissions": perms}))).await?;
    }
    active.updated_at = Set(Utc::now());
    let model = active.update(change.db()).await?;
    change.authz_changed(None);
    respond(change.db(), model).await
}

/// Deletes a custom role nobody holds; audited.
pub async fn delete(change: &mut Change<'_>, model: role::Model) -> ApiResult<()> {
    if model.builtin {
        return Err(ApiError::Conflict(problem!("role-builtin-kept")));
    }
    if user::Entity::find().filter(user::Column::RoleId.eq(model.id)).count(change.db()).await? > 0 {
        return Err(ApiError::Conflict(problem!("role-in-use")));
    }
    role::Entity::delete_by_id(model.id).exec(change.db()).await?;
    change
        .audit(Entry::new("role.deleted", "role", Some(model.id), None).details(serde_json::json!({"key": model.key})))
        .await?;
    Ok(())
}
