//! What a user may do right now: status, role, permissions. Looked up per request through a
//! small cache so a role change or a deactivation takes effect on the next request without a
//! query per request. Writes that change these invalidate the cache here and, on PostgreSQL,
//! in every other instance (`NOTIFY portico_authz`); the TTL is only a backstop.
use std::{
    collections::{BTreeSet, HashMap},
    sync::{
        Arc, Mutex,
        atomic::{AtomicU64, Ordering},
    },
    time::{Duration, Instant},
};

use sea_orm::{
    ConnectionTrait, DbErr,
    sea_query::{Alias, Expr, ExprTrait, JoinType, Query},
};
use uuid::Uuid;

use super::Perm;
use crate::entities::enums::{RoleKind, UserStatus};

#[derive(Debug)]
pub struct UserAuthz {
    pub status: UserStatus,
    pub name: String,
    pub role_key: String,
    pub kind: RoleKind,
    pub client_id: Option<Uuid>,
    pub perms: BTreeSet<Perm>,
    /// Access tokens issued in an earlier epoch are refused.
    pub session_epoch: i64,
    /// Whether they sign in with a second factor.
    pub two_factor_enrolled: bool,
    /// Whether their role says they must.
    pub two_factor_required: bool,
}

impl UserAuthz {
    /// A user whose role requires two-factor sign-in and who has not enrolled may do nothing
    /// but enrol (and see who they are).
    pub fn must_enrol(&self) -> bool {
        self.two_factor_required && !self.two_factor_enrolled
    }
}

pub struct AuthzCache {
    ttl: Duration,
    users: Mutex<HashMap<Uuid, (Instant, Arc<UserAuthz>)>>,
    /// Rises with every invalidation, so a long-lived reader (an event stream) can tell cheaply
    /// that someone's access may have changed and look again before its next event.
    generation: AtomicU64,
    /// When each API key's use was last written down here, so a busy key costs one write a
    /// minute rather than one per request.
    key_uses: Mutex<HashMap<Uuid, Instant>>,
}

/// How stale an API key's "last used" may be.
const KEY_USE_EVERY: Duration = Duration::from_secs(60);

impl AuthzCache {
    pub fn new(ttl: Duration) -> Self {
        Self {
            ttl,
            users: Mutex::new(HashMap::new()),
            generation: AtomicU64::new(0),
            key_uses: Mutex::new(HashMap::new()),
        }
    }

    /// Whether this use of `key` should be written down (at most once a minute per instance).
    pub fn key_use_due(&self, key: Uuid) -> bool {
        self.use_due(key, KEY_USE_EVERY)
    }

    /// Whether this use of the portal by a person should be written down (their visit; at most
    /// once per `every` per instance).
    pub fn visit_due(&self, user: Uuid, every: Duration) -> bool {
        self.use_due(user, every)
    }

    /// Keys and people share the map: their ids never collide.
    fn use_due(&self, id: Uuid, every: Duration) -> bool {
        let mut uses = self.key_uses.lock().expect("key use lock");
        let now = Instant::now();
        if uses.get(&id).is_some_and(|at| now.duration_since(*at) < every) {
            return false;
        }
        // Forgetting what was not used for a while keeps the map as small as what is in use.
        uses.retain(|_, at| now.duration_since(*at) < KEY_USE_EVERY.max(every));
        uses.insert(id, now);
        true
    }

    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::Acquire)
    }

    pub async fn get(&self, db: &impl ConnectionTrait, user_id: Uuid) -> Result<Option<Arc<UserAuthz>>, DbErr> {
        if let Some((at, authz)) = self.users.lock().expect("authz cache lock").get(&user_id)
            && at.elapsed() < self.ttl
        {
            return Ok(Some(authz.clone()));
        }
        let Some(authz) = load(db, user_id).await? else { return Ok(None) };
        let authz = Arc::new(authz);
        self.users.lock().expect("authz cache lock").insert(user_id, (Instant::now(), authz.clone()));
        Ok(Some(authz))
    }

    pub fn invalidate_user(&self, user_id: Uuid) {
        self.users.lock().expect("authz cache lock").remove(&user_id);
        self.generation.fetch_add(1, Ordering::AcqRel);
    }

    /// After a role's permissions change every holder is affected.
    pub fn invalidate_all(&self) {
        self.users.lock().expect("authz cache lock").clear();
        self.generation.fetch_add(1, Ordering::AcqRel);
    }
}

/// One statement: the user, their role and its permissions.
async fn load(db: &impl ConnectionTrait, user_id: Uuid) -> Result<Option<UserAuthz>, DbErr> {
    let (u, r, p, c) = (Alias::new("u"), Alias::new("r"), Alias::new("p"), Alias::new("c"));
    let stmt = Query::select()
        .expr_as(Expr::col((u.clone(), Alias::new("status"))), Alias::new("status"))
        .expr_as(Expr::col((u.clone(), Alias::new("name"))), Alias::new("name"))
        .expr_as(Expr::col((u.clone(), Alias::new("client_id"))), Alias::new("client_id"))
        .expr_as(Expr::col((u.clone(), Alias::new("session_epoch"))), Alias::new("session_epoch"))
        .expr_as(Expr::col((r.clone(), Alias::new("key"))), Alias::new("role_key"))
        .expr_as(Expr::col((r.clone(), Alias::new("kind"))), Alias::new("kind"))
        .expr_as(Expr::col((r.clone(), Alias::new("requires_two_factor"))), Alias::new("requires_two_factor"))
        .expr_as(Expr::col((u.clone(), Alias::new("totp_enabled_at"))).is_not_null(), Alias::new("two_factor_enrolled"))
        .expr_as(Expr::col((p.clone(), Alias::new("permission"))), Alias::new("permission"))
        .expr_as(Expr::col((c.clone(), Alias::new("team_self_service"))), Alias::new("team_self_service"))
        .from_as(Alias::new("users"), u.clone())
        .join_as(
            JoinType::InnerJoin,
            Alias::new("roles"),
            r.clone(),
            Expr::col((r.clone(), Alias::new("id"))).equals((u.clone(), Alias::new("role_id"))),
        )
        .join_as(
            JoinType::LeftJoin,
            Alias::new("role_permissions"),
            p.clone(),
            Expr::col((p.clone(), Alias::new("role_id"))).equals((r.clone(), Alias::new("id"))),
        )
        .join_as(
            JoinType::LeftJoin,
            Alias::new("clients"),
            c.clone(),
            Expr::col((c.clone(), Alias::new("id"))).equals((u.clone(), Alias::new("client_id"))),
        )
        .and_where(Expr::col((u.clone(), Alias::new("id"))).eq(user_id))
        .to_owned();
    let rows = db.query_all(&stmt).await?;
    let Some(first) = rows.first() else { return Ok(None) };
    let status: String = first.try_get("", "status")?;
    let kind: String = first.try_get("", "kind")?;
    // The agency can take a client account's team out of its Client Admins' hands.
    // A client user whose account row cannot be read gets no `team.manage` (fail closed).
    let team_self_service = first.try_get::<Option<bool>>("", "team_self_service")?.unwrap_or(false);
    let mut perms = BTreeSet::new();
    for row in &rows {
        if let Some(p) = row.try_get::<Option<String>>("", "permission")?.as_deref().and_then(Perm::parse) {
            // Belt and braces: even a tampered row cannot hand a client a staff-only permission.
            let staff = kind == "staff";
            if (staff || p.client_allowed()) && (staff || p != Perm::TeamManage || team_self_service) {
                perms.insert(p);
            }
        }
    }
    Ok(Some(UserAuthz {
        status: match status.as_str() {
            "active" => UserStatus::Active,
            "invited" => UserStatus::Invited,
            "service" => UserStatus::Service,
            _ => UserStatus::Deactivated,
        },
        name: first.try_get("", "name")?,
        role_key: first.try_get("", "role_key")?,
        kind: if kind == "staff" { RoleKind::Staff } else { RoleKind::Client },
        client_id: first.try_get("", "client_id")?,
        perms,
        session_epoch: first.try_get("", "session_epoch")?,
        two_factor_enrolled: first.try_get("", "two_factor_enrolled")?,
        two_factor_required: first.try_get("", "requires_two_factor")?,
    }))
}
