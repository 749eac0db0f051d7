//! API keys for integrators. An admin (`api_keys.manage`) makes a key with a name, permissions
//! (never more than they hold), an optional client account it is held to and an optional
//! expiry; the secret is shown once and stored only as its SHA-256. A key acts as its maker,
//! with the key's permissions that the maker still holds; a key held to one client account
//! acts as a hidden user of that account with the Client Admin role (status `service`: never
//! listed, notified or signed in with a password), so it sees exactly what that account's
//! Client Admin would. Keys are read afresh on every request (`auth::actor::live_key`), so a
//! revocation or an expiry holds at once on every instance.
use std::collections::{BTreeSet, HashMap};

use super::{clients, prelude::*, roles, users};
use crate::{
    auth::{
        actor::{NEVER_BY_KEY, PersonOnly},
        tokens,
    },
    entities::{
        api_key::{self, KeyPermissions, SECRET_PREFIX},
        client,
        enums::UserStatus,
        user,
    },
    services::throttle::{self, Limit, Quota},
};

#[derive(Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct CreateApiKeyRequest {
    /// What the key is for, e.g. "Accounting sync".
    #[validate(length(min = 1, max = 100))]
    #[schema(min_length = 1, max_length = 100)]
    pub name: String,
    /// What the key may do: each one held by its maker; for a key held to a client account,
    /// only permissions that account's Client Admin role holds. Never `impersonate` or
    /// `api_keys.manage`.
    #[validate(length(min = 1, max = 40))]
    #[schema(min_items = 1, max_items = 40)]
    pub permissions: Vec<Perm>,
    /// Holds the key to this client account: it sees exactly what the account's Client Admin
    /// would, and another account's ids are not found (404).
    pub client_id: Option<Uuid>,
    /// After this instant the key is refused (401); it must be in the future.
    pub expires_at: Option<chrono::DateTime<Utc>>,
    /// Requests a minute the key may make (429 past it); by default
    /// `PORTICO_API_KEY_REQUESTS_PER_MINUTE`.
    #[validate(range(min = 1, max = 100000))]
    #[schema(minimum = 1, maximum = 100000)]
    pub rate_limit_per_minute: Option<i32>,
}

/// `active`, `expired` or `revoked`.
#[derive(Serialize, ToSchema, Clone, Copy, PartialEq, Eq, Debug)]
#[serde(rename_all = "snake_case")]
pub enum ApiKeyStatus {
    Active,
    Expired,
    Revoked,
}

#[derive(Serialize, ToSchema)]
pub struct ApiKeyResponse {
    pub id: Uuid,
    pub name: String,
    /// The start of the secret (`pk_live_…`), to tell keys apart; the rest is never shown again.
    pub prefix: String,
    pub permissions: Vec<Perm>,
    pub client_id: Option<Uuid>,
    pub client_name: Option<String>,
    pub created_by: Uuid,
    pub created_by_name: Option<String>,
    pub created_at: chrono::DateTime<Utc>,
    pub expires_at: Option<chrono::DateTime<Utc>>,
    /// Within a minute or so: a busy key's use is written down once a minute.
    pub last_used_at: Option<chrono::DateTime<Utc>>,
    pub last_used_address: Option<String>,
    pub revoked_at: Option<chrono::DateTime<Utc>>,
    pub status: ApiKeyStatus,
    /// The key's own rate, requests a minute; none: the installation's default.
    pub rate_limit_per_minute: Option<i32>,
}

/// A key just made: its record and its secret, shown this once.
#[derive(Serialize, ToSchema)]
pub struct CreatedApiKey {
    #[serde(flatten)]
    pub key: ApiKeyResponse,
    /// Send as `Authorization: Bearer <secret>`. It is not stored and cannot be shown again.
    pub secret: String,
}

fn status(m: &api_key::Model, now: chrono::DateTime<Utc>) -> ApiKeyStatus {
    match (m.revoked_at, m.expires_at) {
        (Some(_), _) => ApiKeyStatus::Revoked,
        (None, Some(at)) if at <= now => ApiKeyStatus::Expired,
        _ => ApiKeyStatus::Active,
    }
}

/// The keys' records with the names of their makers and accounts.
pub async fn describe(db: &impl ConnectionTrait, keys: Vec<api_key::Model>) -> ApiResult<Vec<ApiKeyResponse>> {
    let makers: BTreeSet<Uuid> = keys.iter().map(|k| k.created_by).collect();
    let accounts: BTreeSet<Uuid> = keys.iter().filter_map(|k| k.client_id).collect();
    let makers: HashMap<Uuid, String> = user::Entity::find()
        .filter(user::Column::Id.is_in(makers))
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u.name))
        .collect();
    let accounts: HashMap<Uuid, String> = client::Entity::find()
        .filter(client::Column::Id.is_in(accounts))
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.id, c.name))
        .collect();
    let now = Utc::now();
    Ok(keys
        .into_iter()
        .map(|k| ApiKeyResponse {
            status: status(&k, now),
            id: k.id,
            name: k.name,
            prefix: k.prefix,
            permissions: k.permissions.0.iter().filter_map(|p| Perm::parse(p)).collect(),
            client_name: k.client_id.and_then(|c| accounts.get(&c).cloned()),
            client_id: k.client_id,
            created_by_name: makers.get(&k.created_by).cloned(),
            created_by: k.created_by,
            created_at: k.created_at,
            expires_at: k.expires_at,
            last_used_at: k.last_used_at,
            last_used_address: k.last_used_address,
            revoked_at: k.revoked_at,
            rate_limit_per_minute: k.rate_limit_per_minute,
        })
        .collect())
}

/// Only a person holding `api_keys.manage` manages keys: 403 for anyone else, and for any
/// request made with a key.
pub fn may_manage(actor: &Actor) -> ApiResult<()> {
    actor.require(Perm::ApiKeysManage)?;
    actor.require_person(PersonOnly::ManageApiKeys)
}

/// Every key, newest first (403 without `api_keys.manage`).
pub async fn list(
    db: &impl ConnectionTrait,
    actor: &Actor,
    cursor: Option<&str>,
    limit: Option<u64>,
) -> ApiResult<Page<ApiKeyResponse>> {
    may_manage(actor)?;
    let limit = pagination::limit(limit)?;
    let sort = Sort::<api_key::Entity> {
        name: "-created_at",
        col: api_key::Column::CreatedAt,
        desc: true,
        nullable: false,
        key: |k| Key::Time(k.created_at),
    };
    let page = pagination::fetch_page(db, api_key::Entity::find(), &sort, api_key::Column::Id, cursor, limit).await?;
    let items = describe(db, page.items).await?;
    Ok(Page { items, next_cursor: page.next_cursor })
}

/// One key (403 without `api_keys.manage`, 404 when unknown).
pub async fn find(db: &impl ConnectionTrait, actor: &Actor, id: Uuid) -> ApiResult<api_key::Model> {
    may_manage(actor)?;
    api_key::Entity::find_by_id(id).one(db).await?.ok_or(ApiError::NotFound)
}

/// What the key may be given, checked against its maker and, for a client-scoped key, against
/// the account's Client Admin role: 422 naming the first permission that cannot be.
async fn check_permissions(
    db: &impl ConnectionTrait,
    actor: &Actor,
    asked: &[Perm],
    client_admin: Option<&crate::entities::role::Model>,
) -> ApiResult<BTreeSet<Perm>> {
    let bound = match client_admin {
        Some(role) => Some(roles::permissions_of(db, role).await?),
        None => None,
    };
    for p in asked {
        let name = p.as_str();
        if NEVER_BY_KEY.contains(p) {
            return Err(ApiError::field("permissions", crate::problem!("key-permission-never", permission = name)));
        }
        if !actor.has(*p) {
            return Err(ApiError::field("permissions", crate::problem!("key-permission-not-held", permission = name)));
        }
        if bound.as_ref().is_some_and(|b| !b.contains(p)) {
            return Err(ApiError::field(
                "permissions",
                crate::problem!("key-permission-beyond-client-admin", permission = name),
            ));
        }
    }
    Ok(asked.iter().copied().collect())
}

/// Makes a key; the answer carries its secret, which is not kept. Audited.
pub async fn create(change: &mut Change<'_>, actor: &Actor, body: CreateApiKeyRequest) -> ApiResult<CreatedApiKey> {
    may_manage(actor)?;
    let name = body.name.trim();
    if name.is_empty() {
        return Err(ApiError::field("name", crate::problem!("key-name-blank")));
    }
    let now = Utc::now();
    if body.expires_at.is_some_and(|at| at <= now) {
        return Err(ApiError::field("expires_at", crate::problem!("key-expiry-past")));
    }
    let account = match body.client_id {
        Some(id) => Some(clients::known(change.db(), id).await?),
        None => None,
    };
    let client_admin = match &account {
        Some(_) => Some(users::role_by_key(change.db(), "client_admin").await?),
        None => None,
    };
    let perms = check_permissions(change.db(), actor, &body.permissions, client_admin.as_ref()).await?;
    let id = Uuid::now_v7();
    let principal = match (&account, &client_admin) {
        (Some(account), Some(role)) => {
            // The address is in `.invalid` (RFC 2606): nothing is ever sent to it.
            let email = format!("api-key-{id}@keys.invalid");
            let display = format!("{name} (API key)");
            let row =
                user::ActiveModel::new_user(&email, &display, role.id, Some(account.id), None, UserStatus::Service);
            row.insert(change.db()).await?.id
        }
        _ => actor.user_id,
    };
    let secret = format!("{SECRET_PREFIX}{}", tokens::generate());
    let model = api_key::ActiveModel {
        id: Set(id),
        name: Set(name.to_owned()),
        prefix: Set(secret[..SECRET_PREFIX.len() + 6].to_owned()),
        secret_hash: Set(tokens::hash(&secret)),
        permissions: Set(KeyPermissions(perms.iter().map(|p| p.as_str().to_owned()).collect())),
        client_id: Set(body.client_id),
        principal_id: Set(principal),
        created_by: Set(actor.user_id),
        created_at: Set(now),
        expires_at: Set(body.expires_at),
        last_used_at: Set(None),
        last_used_address: Set(None),
        revoked_at: Set(None),
        revoked_by: Set(None),
        rate_limit_per_minute: Set(body.rate_limit_per_minute),
    }
    .insert(change.db())
    .await?;
    let entry = Entry::new("api_key.created", "api_key", Some(model.id), model.client_id);
    let perms: Vec<&str> = perms.iter().map(|p| p.as_str()).collect();
    change
        .audit(
            entry
                .details(serde_json::json!({"name": model.name, "permissions": perms, "expires_at": model.expires_at})),
        )
        .await?;
    let key = describe(change.db(), vec![model]).await?.remove(0);
    Ok(CreatedApiKey { key, secret })
}

/// Revokes a key: from the next request on, on every instance, it is refused (401), and event
/// streams opened with it end. Revoking a revoked key changes nothing. Audited.
pub async fn revoke(change: &mut Change<'_>, id: Uuid) -> ApiResult<ApiKeyResponse> {
    // Only an unrevoked key is revoked: of two revocations at once, the second finds it done
    // and neither overwrites who revoked it, nor is it audited twice.
    let revoked = api_key::Entity::update_many()
        .col_expr(api_key::Column::RevokedAt, sea_orm::sea_query::Expr::value(Utc::now()))
        .col_expr(api_key::Column::RevokedBy, sea_orm::sea_query::Expr::value(change.actor().map(|a| a.user_id)))
        .filter(api_key::Column::Id.eq(id))
        .filter(api_key::Column::RevokedAt.is_null())
        .exec(change.db())
        .await?;
    let model = api_key::Entity::find_by_id(id).one(change.db()).await?.ok_or(ApiError::NotFound)?;
    if revoked.rows_affected == 0 {
        return Ok(describe(change.db(), vec![model]).await?.remove(0));
    }
    let principal = model.principal_id;
    let entry = Entry::new("api_key.revoked", "api_key", Some(model.id), model.client_id);
    change.audit(entry.details(serde_json::json!({"name": model.name}))).await?;
    // Bumps the permission cache's generation here and on every instance, which makes a
    // stream opened with the key look again, and end.
    change.authz_changed(Some(principal));
    Ok(describe(change.db(), vec![model]).await?.remove(0))
}

/// Counts one request with the key against its rate (its own, or
/// `PORTICO_API_KEY_REQUESTS_PER_MINUTE`), on every instance alike: where it stands, and
/// whether this one is within it.
pub async fn spend(state: &crate::state::AppState, key: &api_key::Model) -> ApiResult<(Quota, bool)> {
    let per_minute = key.rate_limit_per_minute.unwrap_or(state.settings.api_key_requests_per_minute);
    let limit = Limit { max: per_minute, window: chrono::Duration::minutes(1) };
    let name = format!("api_key:{}", key.id);
    Change::run(state, None, async |c| throttle::spend(c.db(), &name, limit).await).await
}

/// Writes down that the key was just used, and from where.
pub async fn record_use(state: &crate::state::AppState, id: Uuid, address: Option<String>) -> ApiResult<()> {
    Change::run(state, None, async |c| {
        api_key::Entity::update_many()
            .col_expr(api_key::Column::LastUsedAt, sea_orm::sea_query::Expr::value(Utc::now()))
            .col_expr(api_key::Column::LastUsedAddress, sea_orm::sea_query::Expr::value(address))
            .filter(api_key::Column::Id.eq(id))
            .exec(c.db())
            .await?;
        Ok(())
    })
    .await
}
