//! The `Actor`: a verified caller with their current role and permissions (extracted from the
//! request in `extract.rs`).
use std::{collections::BTreeSet, sync::Arc};

use sea_orm::ConnectionTrait;
use uuid::Uuid;

use super::{
    Perm,
    authz::{AuthzCache, UserAuthz},
};
use crate::{
    entities::enums::{RoleKind, UserStatus},
    error::{ApiError, ApiResult},
};

#[derive(Debug, Clone)]
pub struct Actor {
    pub user_id: Uuid,
    pub name: String,
    pub kind: RoleKind,
    pub role: String,
    /// Set for client users (always) and absent for staff.
    pub client_id: Option<Uuid>,
    pub perms: Arc<BTreeSet<Perm>>,
    /// The staff member behind a View-as session; such sessions are read-only.
    pub viewed_by: Option<Uuid>,
    /// The session epochs this actor is in now.
    pub epochs: Epochs,
    /// The login this request's access token belongs to (none for View-as).
    pub session_id: Option<Uuid>,
}

/// Session epochs: the user's and, in a View-as session, the staff member's. An access token
/// carries those it was issued in; once either has moved on, the token is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Epochs {
    pub user: i64,
    pub viewer: Option<i64>,
}

impl Actor {
    pub fn has(&self, perm: Perm) -> bool {
        self.perms.contains(&perm)
    }

    pub fn require(&self, perm: Perm) -> ApiResult<()> {
        if self.has(perm) { Ok(()) } else { Err(ApiError::forbidden_missing(perm.as_str())) }
    }

    pub fn is_client(&self) -> bool {
        self.kind == RoleKind::Client
    }

    fn from_authz(user_id: Uuid, authz: &UserAuthz, viewed_by: Option<Uuid>, epochs: Epochs) -> Self {
        Actor {
            user_id,
            name: authz.name.clone(),
            kind: authz.kind,
            role: authz.role_key.clone(),
            client_id: authz.client_id,
            perms: Arc::new(authz.perms.clone()),
            viewed_by,
            epochs,
            session_id: None,
        }
    }
}

impl Actor {
    /// The actor for `user_id` as they are now (401 unless active); with `viewed_by`, a View-as
    /// session of that staff member, who must still be active and hold `impersonate`; with
    /// `issued_in`, a session that must not have ended since (401 once an epoch has moved on).
    pub async fn for_user(
        authz: &AuthzCache,
        db: &impl ConnectionTrait,
        user_id: Uuid,
        viewed_by: Option<Uuid>,
        issued_in: Option<Epochs>,
    ) -> ApiResult<Actor> {
        let refused = || ApiError::Unauthorized("This account is not active.".into());
        let found = authz.get(db, user_id).await?.ok_or_else(refused)?;
        if found.status != UserStatus::Active {
            return Err(refused());
        }
        let mut epochs = Epochs { user: found.session_epoch, viewer: None };
        if let Some(staff_id) = viewed_by {
            let staff = authz.get(db, staff_id).await?.ok_or_else(refused)?;
            if staff.status != UserStatus::Active
                || staff.kind != RoleKind::Staff
                || !staff.perms.contains(&Perm::Impersonate)
            {
                return Err(refused());
            }
            epochs.viewer = Some(staff.session_epoch);
        }
        if issued_in.is_some_and(|issued| issued != epochs) {
            return Err(ApiError::Unauthorized("This session has ended; sign in again.".into()));
        }
        Ok(Actor::from_authz(user_id, &found, viewed_by, epochs))
    }
}
