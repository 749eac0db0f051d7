//! The rows every installation needs, made (or brought up to date) on every start in one
//! change: the built-in roles with exactly their defined permissions, the portal settings, and
//! on an empty users table the first admin from configuration.
use sea_orm::{PaginatorTrait, sea_query::OnConflict};

use super::{prelude::*, settings, users};
use crate::{
    auth::{password, permissions::BUILTIN_ROLES},
    entities::{role, role_permission, user},
};

/// An arbitrary, fixed key for the transaction-scoped lock that serialises installations.
const INSTALLATION_LOCK: i64 = 0x0070_6f72_7469_6364;

pub async fn prepare(state: &AppState) -> anyhow::Result<()> {
    let s = &state.settings;
    // Hashed before the change begins: no transaction waits on argon2.
    let admin = match (&s.admin_email, &s.admin_password) {
        (Some(email), Some(pw)) if user::Entity::find().count(&state.db).await? == 0 => {
            password::check_policy(pw).map_err(|m| anyhow::anyhow!("configuration: PORTICO_ADMIN_PASSWORD {m}"))?;
            Some((email, state.passwords.hash(pw).await?))
        }
        _ => None,
    };
    let mut change = Change::begin(state, None).await?;
    if change.db().get_database_backend() == sea_orm::DbBackend::Postgres {
        // Instances starting together each saw no users above; the first to take this lock
        // makes the admin, the others wait for its commit and then find one.
        change.db().execute_unprepared(&format!("SELECT pg_advisory_xact_lock({INSTALLATION_LOCK})")).await?;
    }
    sync_builtin_roles(change.db()).await?;
    settings::ensure_defaults(change.db()).await?;
    let admin = match admin {
        Some(admin) if user::Entity::find().count(change.db()).await? == 0 => Some(admin),
        _ => None,
    };
    if let Some((email, hash)) = admin {
        let role = users::role_by_key(change.db(), "admin").await?;
        users::add(&mut change, email, "Administrator", &role, None, Some(hash)).await?;
        tracing::info!(%email, "created the first admin");
    }
    change.commit().await?;
    Ok(())
}

/// Makes the built-in roles exist with exactly their defined permissions (also for a database
/// the benchmarks seed without a server).
pub async fn sync_builtin_roles(db: &impl ConnectionTrait) -> ApiResult<()> {
    let now = Utc::now();
    for def in BUILTIN_ROLES {
        let row = role::ActiveModel {
            id: Set(Uuid::now_v7()),
            key: Set(def.key.into()),
            name: Set(def.name.into()),
            kind: Set(def.kind),
            builtin: Set(true),
            requires_two_factor: Set(false),
            created_at: Set(now),
            updated_at: Set(now),
        };
        role::Entity::insert(row)
            .on_conflict(OnConflict::column(role::Column::Key).do_nothing().to_owned())
            .exec_without_returning(db)
            .await?;
        let id = users::role_by_key(db, def.key).await?.id;
        role_permission::Entity::delete_many().filter(role_permission::Column::RoleId.eq(id)).exec(db).await?;
        let perms = def
            .perms
            .iter()
            .map(|p| role_permission::ActiveModel { role_id: Set(id), permission: Set(p.as_str().into()) });
        role_permission::Entity::insert_many(perms).exec(db).await?;
    }
    Ok(())
}
