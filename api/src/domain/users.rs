//! Users: staff and client portal accounts. Creating one, renaming, changing the role, and the
//! status machine (invited → active ⇄ deactivated).
use secrecy::SecretString;

use super::{clients, prelude::*, roles, sessions};
use crate::{
    auth::password,
    entities::{
        enums::{RoleKind, UserStatus},
        role, user,
    },
    problem,
};

#[derive(Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct CreateUserRequest {
    #[schema(max_length = 254, format = IdnEmail)]
    #[validate(email, length(max = 254))]
    pub email: String,
    #[schema(min_length = 1, max_length = 200)]
    #[validate(length(min = 1, max = 200))]
    pub name: String,
    /// Role key, e.g. `member` or `client_finance`.
    pub role: String,
    /// Required for client roles, absent for staff.
    pub client_id: Option<Uuid>,
    /// An initial password makes the account active at once; without one the user is
    /// `invited` and gets an invitation e-mail (a single-use link that expires) to choose one.
    #[schema(value_type = Option<String>, format = Password, min_length = 8, max_length = 128)]
    pub password: Option<SecretString>,
}

#[derive(Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct UpdateUserRequest {
    #[schema(min_length = 1, max_length = 200)]
    #[validate(length(min = 1, max = 200))]
    pub name: Option<String>,
    /// Role key; a client user keeps a client role and a staff user a staff role.
    pub role: Option<String>,
    /// `active` or `deactivated`. Deactivation signs the user out everywhere at once.
    pub status: Option<UserStatus>,
}

/// The role with this key (422 naming `role` when there is none).
pub async fn role_by_key(db: &impl ConnectionTrait, key: &str) -> ApiResult<role::Model> {
    role::Entity::find()
        .filter(role::Column::Key.eq(key))
        .one(db)
        .await?
        .ok_or_else(|| ApiError::field("role", problem!("user-role-unknown")))
}

/// Checks that a role and an account fit together: client roles need an existing client,
/// staff roles must have none.
async fn check_role_fits(db: &impl ConnectionTrait, role: &role::Model, client_id: Option<Uuid>) -> ApiResult<()> {
    match (role.kind, client_id) {
        (RoleKind::Client, None) => Err(ApiError::field("client_id", problem!("user-client-required"))),
        (RoleKind::Staff, Some(_)) => Err(ApiError::field("client_id", problem!("user-client-absent"))),
        (RoleKind::Client, Some(id)) => clients::known(db, id).await.map(drop),
        (RoleKind::Staff, None) => Ok(()),
    }
}

/// Creates a user (`users.manage`, checked by the caller); audited.
pub async fn create(state: &AppState, actor: &Actor, body: CreateUserRequest) -> ApiResult<(user::Model, role::Model)> {
    let role = role_by_key(&state.db, &body.role).await?;
    check_role_fits(&state.db, &role, body.client_id).await?;
    roles::check_grantable(Some(actor), role.kind, &roles::permissions_of(&state.db, &role).await?)?;
    let password_hash = match &body.password {
        Some(pw) => {
            password::check_policy(pw).map_err(|m| ApiError::field("password", m))?;
            Some(state.passwords.hash(pw).await?)
        }
        None => None,
    };
    let mut change = Change::begin(state, Some(actor)).await?;
    let invite = password_hash.is_none();
    let model = add(&mut change, &body.email, &body.name, &role, body.client_id, password_hash).await?;
    // Without a password, the way in is the invitation: sent with the user, in one commit.
    if invite {
        super::invitations::invite_user(&mut change, &model).await?;
    }
    change.commit().await?;
    Ok((model, role))
}

/// Adds a user with `role`: active with a password hash, `invited` without one; audited.
pub async fn add(
    change: &mut Change<'_>,
    email: &str,
    name: &str,
    role: &role::Model,
    client_id: Option<Uuid>,
    password_hash: Option<String>,
) -> ApiResult<user::Model> {
    let status = if password_hash.is_some() { UserStatus::Active } else { UserStatus::Invited };
    let model = user::ActiveModel::new_user(email, name, role.id, client_id, password_hash, status)
        .insert(change.db())
        .await
        .map_err(ApiError::conflict_on_unique("user-email-taken"))?;
    let entry = Entry::new("user.created", "user", Some(model.id), model.client_id);
    change.audit(entry.details(serde_json::json!({"role": role.key}))).await?;
    Ok(model)
}

/// Renames a user, changes their role (same kind, never one's own) or their status; every
/// change is audited and takes effect on their next request.
pub async fn update(
    change: &mut Change<'_>,
    model: user::Model,
    body: UpdateUserRequest,
) -> ApiResult<(user::Model, role::Model)> {
    let actor_id = change.actor().map(|a| a.user_id);
    let old_role = role::Entity::find_by_id(model.role_id).one(change.db()).await?.ok_or(ApiError::NotFound)?;
    let mut role = old_role.clone();
    if body.role.is_some() || body.status.is_some() {
        let held = roles::permissions_of(change.db(), &old_role).await?;
        roles::check_grantable(change.actor(), old_role.kind, &held)?;
    }
    let mut active = model.clone().into_active_model();
    if let Some(name) = body.name {
        active.name = Set(name.trim().to_owned());
    }
    if let Some(key) = &body.role {
        role = role_by_key(change.db(), key).await?;
        if role.kind != old_role.kind {
            return Err(ApiError::field("role", problem!("user-role-same-kind")));
        }
        if role.id != old_role.id {
            if Some(model.id) == actor_id {
                return Err(ApiError::Conflict(problem!("user-own-role")));
            }
            roles::check_grantable(change.actor(), role.kind, &roles::permissions_of(change.db(), &role).await?)?;
            active.role_id = Set(role.id);
            let entry = Entry::new("user.role_changed", "user", Some(model.id), model.client_id);
            change.audit(entry.details(serde_json::json!({"from": old_role.key, "to": role.key}))).await?;
        }
    }
    if let Some(status) = body.status {
        change_status(change, &model, status, &mut active).await?;
    }
    active.authz_version = Set(model.authz_version + 1);
    active.updated_at = Set(Utc::now());
    let model = active.update(change.db()).await?;
    change.authz_changed(Some(model.id));
    Ok((model, role))
}

/// The status machine: deactivation signs the user out everywhere; reactivating someone who
/// never set a password takes them back to `invited`, not `active`.
async fn change_status(
    change: &mut Change<'_>,
    model: &user::Model,
    to: UserStatus,
    active: &mut user::ActiveModel,
) -> ApiResult<()> {
    let action = match (model.status, to) {
        (from, to) if from == to => return Ok(()),
        (_, UserStatus::Deactivated) => {
            if change.actor().is_some_and(|a| a.user_id == model.id) {
                return Err(ApiError::Conflict(problem!("user-deactivate-self")));
            }
            active.status = Set(UserStatus::Deactivated);
            active.deactivated_by = Set(change.actor().map(|a| a.user_id));
            sessions::end_all_for_user(change, model.id).await?;
            // A pending invitation goes too: reactivating must not bring an old link back.
            crate::services::access::revoke_open(change.db(), crate::entities::one_time_token::INVITATION, model.id)
                .await?;
            "user.deactivated"
        }
        (UserStatus::Deactivated, UserStatus::Active) => {
            active.status = Set(if model.password_hash.is_some() { UserStatus::Active } else { UserStatus::Invited });
            active.deactivated_by = Set(None);
            "user.reactivated"
        }
        _ => return Err(ApiError::field("status", problem!("user-status-invalid"))),
    };
    change.audit(Entry::new(action, "user", Some(model.id), model.client_id)).await?;
    Ok(())
}

/// A user an admin may look after: 404 for one the caller may not know of (another account's,
/// to a client), then 403 without `users.manage` (which only staff roles hold), and 403 for a
/// staff member holding permissions the caller does not (as for demoting or deactivating).
pub async fn managed(db: &impl ConnectionTrait, actor: &Actor, user_id: Uuid) -> ApiResult<user::Model> {
    let user = policy::users(actor).get(db, user_id).await?;
    let role = role::Entity::find_by_id(user.role_id).one(db).await?.ok_or(ApiError::NotFound)?;
    roles::check_grantable(Some(actor), role.kind, &roles::permissions_of(db, &role).await?)?;
    Ok(user)
}

/// A staff member, e.g. to pick a task's assignee.
#[derive(Serialize, ToSchema, sea_orm::FromQueryResult)]
pub struct StaffMember {
    pub id: Uuid,
    pub name: String,
    pub email: String,
}

/// Active staff, by name.
pub async fn active_staff(db: &impl ConnectionTrait) -> ApiResult<Vec<StaffMember>> {
    use sea_orm::{JoinType, QueryOrder, QuerySelect};
    let with_role = user::Entity::belongs_to(role::Entity).from(user::Column::RoleId).to(role::Column::Id).into();
    Ok(user::Entity::find()
        .select_only()
        .columns([user::Column::Id, user::Column::Name, user::Column::Email])
        .join(JoinType::InnerJoin, with_role)
        .filter(role::Column::Kind.eq(RoleKind::Staff))
        .filter(user::Column::Status.eq(UserStatus::Active))
        .order_by_asc(user::Column::Name)
        .into_model::<StaffMember>()
        .all(db)
        .await?)
}
