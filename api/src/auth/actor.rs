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
    entities::{
        api_key,
        enums::{RoleKind, UserStatus},
    },
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
    /// The API key the request was made with; `perms` is then already what the key allows.
    pub key: Option<KeyGrant>,
    /// Their role requires two-factor sign-in and they have not enrolled: they may enrol
    /// and nothing else (`extract.rs` refuses every other request).
    pub must_enrol: bool,
}

/// The API key behind a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyGrant {
    pub id: Uuid,
    pub name: String,
}

/// What no API key can hold, whatever it was given: a key never views the portal as someone
/// (that mints sessions) and never makes or revokes keys (a leaked key must not outlive its
/// revocation by having made another).
pub const NEVER_BY_KEY: &[Perm] = &[Perm::Impersonate, Perm::ApiKeysManage];

/// What only a person signed in may do (`Actor::require_person`). Each has a refusal of its
/// own: German and French do not put the words of what is refused where English does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PersonOnly {
    ManageApiKeys,
    ChangeProfile,
    SeeDevices,
    PayOnline,
}

/// What is a person's own even to the agency (`Actor::require_own`), each with a refusal of
/// its own like `PersonOnly`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Personal {
    Devices,
    SecondFactor,
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

    /// For what only a person signed in may do (their password, their devices, API keys):
    /// 403 for a request made with an API key.
    pub fn require_person(&self, what: PersonOnly) -> ApiResult<()> {
        if self.key.is_none() {
            return Ok(());
        }
        Err(ApiError::Forbidden(match what {
            PersonOnly::ManageApiKeys => crate::problem!("actor-key-cannot-manage-api-keys"),
            PersonOnly::ChangeProfile => crate::problem!("actor-key-cannot-change-profile"),
            PersonOnly::SeeDevices => crate::problem!("actor-key-cannot-see-devices"),
            PersonOnly::PayOnline => crate::problem!("actor-key-cannot-pay-online"),
        }))
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
            key: None,
            must_enrol: false,
        }
    }

    /// For what is a person's own even to the agency (their devices, their second factor): 403
    /// for an API key, and for a View-as session of them.
    pub fn require_own(&self, what: Personal) -> ApiResult<()> {
        let refusal = match (&self.key, self.viewed_by, what) {
            (None, None, _) => return Ok(()),
            (Some(_), _, Personal::Devices) => crate::problem!("actor-own-by-key-devices"),
            (Some(_), _, Personal::SecondFactor) => crate::problem!("actor-own-by-key-second-factor"),
            (None, Some(_), Personal::Devices) => crate::problem!("actor-own-view-as-devices"),
            (None, Some(_), Personal::SecondFactor) => crate::problem!("actor-own-view-as-second-factor"),
        };
        Err(ApiError::Forbidden(refusal))
    }

    /// For what needs the caller's second factor in place when their role requires one (the
    /// requests `extract.rs` lets through while they enrol do not).
    pub fn require_enrolled(&self) -> ApiResult<()> {
        if self.must_enrol { Err(ApiError::TwoFactorEnrolmentRequired) } else { Ok(()) }
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
        let refused = || ApiError::Unauthorized(crate::problem!("actor-account-inactive"));
        let found = authz.get(db, user_id).await?.ok_or_else(refused)?;
        // A key's hidden user is `service`, and only a key acts as it (`for_key`).
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
            // View-as ends the moment the viewer's role requires a second factor they lack.
            if staff.must_enrol() {
                return Err(ApiError::TwoFactorEnrolmentRequired);
            }
            epochs.viewer = Some(staff.session_epoch);
            if !view_as_stands(db, user_id, staff_id).await? {
                return Err(ApiError::Unauthorized(crate::problem!("actor-view-as-ended")));
            }
        }
        if issued_in.is_some_and(|issued| issued != epochs) {
            return Err(ApiError::Unauthorized(crate::problem!("actor-session-ended")));
        }
        let mut actor = Actor::from_authz(user_id, &found, viewed_by, epochs);
        // A View-as session is the viewer's doing: the viewed user's own enrolment is theirs.
        actor.must_enrol = viewed_by.is_none() && found.must_enrol();
        Ok(actor)
    }
}

impl Actor {
    /// The actor for a live API key (`key`, as just read): its user as they are now, with the
    /// permissions the key was given that both that user and the key's maker still hold. 401
    /// once the maker is no longer active staff, or the key's user is gone.
    pub async fn for_key(authz: &AuthzCache, db: &impl ConnectionTrait, key: &api_key::Model) -> ApiResult<Actor> {
        let refused = || ApiError::Unauthorized(crate::problem!("actor-key-invalid"));
        let principal = authz.get(db, key.principal_id).await?.ok_or_else(refused)?;
        // A client-scoped key acts as its hidden user; any other key as its maker, who must be
        // active like anyone signing in.
        let principal_ok = match key.client_id {
            Some(client) => principal.status == UserStatus::Service && principal.client_id == Some(client),
            None => principal.status == UserStatus::Active && principal.kind == RoleKind::Staff,
        };
        let maker = authz.get(db, key.created_by).await?.ok_or_else(refused)?;
        if !principal_ok || maker.status != UserStatus::Active || maker.kind != RoleKind::Staff {
            return Err(refused());
        }
        let given: BTreeSet<Perm> = key.permissions.0.iter().filter_map(|p| Perm::parse(p)).collect();
        let perms = given
            .into_iter()
            .filter(|p| principal.perms.contains(p) && maker.perms.contains(p) && !NEVER_BY_KEY.contains(p))
            .collect();
        let epochs = Epochs { user: principal.session_epoch, viewer: None };
        let mut actor = Actor::from_authz(key.principal_id, &principal, None, epochs);
        actor.perms = Arc::new(perms);
        actor.key = Some(KeyGrant { id: key.id, name: key.name.clone() });
        Ok(actor)
    }

    /// This actor as they are now, for a reader that lives on (an event stream): 401 once
    /// their session or key has ended, or they may no longer sign in.
    pub async fn current(&self, authz: &AuthzCache, db: &impl ConnectionTrait) -> ApiResult<Actor> {
        match &self.key {
            Some(key) => Actor::for_key(authz, db, &live_key_by_id(db, key.id).await?).await,
            None => {
                let mut actor = Actor::for_user(authz, db, self.user_id, self.viewed_by, Some(self.epochs)).await?;
                actor.require_enrolled()?;
                actor.session_id = self.session_id;
                Ok(actor)
            }
        }
    }
}

/// Whether `staff_id`'s View-as of `user_id` is still on: started, not stopped, not expired.
async fn view_as_stands(db: &impl ConnectionTrait, user_id: Uuid, staff_id: Uuid) -> Result<bool, sea_orm::DbErr> {
    use crate::entities::one_time_token::{self, VIEW_AS};
    use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
    let standing = one_time_token::Entity::find()
        .filter(one_time_token::Column::UserId.eq(user_id))
        .filter(one_time_token::Column::Purpose.eq(VIEW_AS))
        .filter(one_time_token::Column::CreatedBy.eq(staff_id))
        .filter(one_time_token::Column::RevokedAt.is_null())
        .filter(one_time_token::Column::ExpiresAt.gt(chrono::Utc::now()))
        .count(db)
        .await?;
    Ok(standing > 0)
}

/// Keys that work now: not revoked, not past their expiry.
fn live_keys() -> sea_orm::Select<api_key::Entity> {
    use sea_orm::{ColumnTrait, Condition, EntityTrait, QueryFilter};
    api_key::Entity::find().filter(api_key::Column::RevokedAt.is_null()).filter(
        Condition::any()
            .add(api_key::Column::ExpiresAt.is_null())
            .add(api_key::Column::ExpiresAt.gt(chrono::Utc::now())),
    )
}

/// The live key whose secret this is. Read afresh on every request, so a revocation or an
/// expiry holds at once on every instance.
pub async fn live_key(db: &impl ConnectionTrait, secret: &str) -> Result<Option<api_key::Model>, sea_orm::DbErr> {
    use sea_orm::{ColumnTrait, QueryFilter};
    live_keys().filter(api_key::Column::SecretHash.eq(super::tokens::hash(secret))).one(db).await
}

/// The live key a stream ticket, a download link or a long-lived reader was made with: 401
/// once it has been revoked or has expired.
pub async fn live_key_by_id(db: &impl ConnectionTrait, id: Uuid) -> ApiResult<api_key::Model> {
    use sea_orm::{ColumnTrait, QueryFilter};
    live_keys()
        .filter(api_key::Column::Id.eq(id))
        .one(db)
        .await?
        .ok_or_else(|| ApiError::Unauthorized(crate::problem!("actor-key-of-grant-invalid")))
}
