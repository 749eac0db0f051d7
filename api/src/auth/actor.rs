//! The `Actor` extractor: a verified caller with their current role and permissions.
use std::{collections::BTreeSet, future::Future, pin::Pin, sync::Arc};

use actix_web::{FromRequest, HttpRequest, dev::Payload, http::Method, web};
use uuid::Uuid;

use super::{Perm, authz::UserAuthz};
use crate::{
    entities::enums::{RoleKind, UserStatus},
    error::{ApiError, ApiResult},
    startup::AppState,
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

    fn from_authz(user_id: Uuid, authz: &UserAuthz, viewed_by: Option<Uuid>) -> Self {
        Actor {
            user_id,
            name: authz.name.clone(),
            kind: authz.kind,
            role: authz.role_key.clone(),
            client_id: authz.client_id,
            perms: Arc::new(authz.perms.clone()),
            viewed_by,
        }
    }
}

fn bearer(req: &HttpRequest) -> Option<&str> {
    let value = req.headers().get(actix_web::http::header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then_some(token.trim())
}

async fn authenticate(req: HttpRequest) -> ApiResult<Actor> {
    let state = req.app_data::<web::Data<AppState>>().expect("AppState registered").clone();
    let token = bearer(&req)
        .ok_or_else(|| ApiError::Unauthorized("Send an access token as `Authorization: Bearer <token>`.".into()))?;
    let claims = state
        .jwt
        .verify(token)
        .map_err(|why| ApiError::Unauthorized(format!("The access token was refused: {why}.")))?;
    let viewing = claims.act.as_ref().map(|a| a.sub);
    if viewing.is_some()
        && !matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS)
        && req.path() != "/api/v1/events/ticket"
    {
        // Checked before anything else: a View-as session never changes anything.
        Actor::for_user(&state, claims.sub, viewing).await?;
        return Err(ApiError::Forbidden(
            "You are viewing the portal as this user, which is read-only. Stop viewing as them to make changes.".into(),
        ));
    }
    Actor::for_user(&state, claims.sub, viewing).await
}

impl Actor {
    /// The actor for `user_id` as they are now (401 unless active); with `viewed_by`, a View-as
    /// session of that staff member, who must still be active and hold `impersonate`.
    pub async fn for_user(state: &AppState, user_id: Uuid, viewed_by: Option<Uuid>) -> ApiResult<Actor> {
        let refused = || ApiError::Unauthorized("This account is not active.".into());
        let authz = state.authz.get(&state.db, user_id).await?.ok_or_else(refused)?;
        if authz.status != UserStatus::Active {
            return Err(refused());
        }
        if let Some(staff_id) = viewed_by {
            let staff = state.authz.get(&state.db, staff_id).await?.ok_or_else(refused)?;
            if staff.status != UserStatus::Active
                || staff.kind != RoleKind::Staff
                || !staff.perms.contains(&Perm::Impersonate)
            {
                return Err(refused());
            }
        }
        Ok(Actor::from_authz(user_id, &authz, viewed_by))
    }
}

impl FromRequest for Actor {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        Box::pin(authenticate(req.clone()))
    }
}
