//! Portal invitations: staff invite a client's contact by e-mail; the contact accepts by
//! choosing a password, which activates their account and logs them in.
use chrono::Duration;
use secrecy::SecretString;

use super::{auth::TokenResponse, prelude::*};
use crate::{
    entities::{
        contact,
        enums::{RoleKind, UserStatus},
        one_time_token::INVITATION,
        user,
    },
    services::{
        access, mail, messages,
        throttle::{self, Limit},
    },
};

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InviteRequest {
    /// A client role key: `client`, `client_admin`, `client_finance`, `client_viewer` or a custom one.
    pub role: String,
}

#[derive(Serialize, ToSchema)]
pub struct InvitationResponse {
    pub contact_id: Uuid,
    pub user_id: Uuid,
    pub email: String,
    pub role: String,
    /// When the link in the e-mail stops working.
    pub expires_at: chrono::DateTime<Utc>,
    /// Whether this replaced an earlier invitation (whose link no longer works).
    pub resent: bool,
}

#[derive(Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct AcceptInvitationRequest {
    /// The token from the invitation link.
    pub token: String,
    #[schema(value_type = String, format = Password)]
    pub password: SecretString,
    /// Optionally correct the name the agency entered.
    #[validate(length(min = 1, max = 200))]
    pub name: Option<String>,
}

fn invalid_invitation() -> ApiError {
    ApiError::BadRequest(
        "This invitation link is no longer valid: it has expired, was already used, or was replaced by a newer one. \
         Ask your contact at the agency for a new invitation."
            .into(),
    )
}

/// Invite a contact to the portal with a client role, or resend their invitation (the
/// previous link stops working). Creates or reuses the contact's portal user.
#[utoipa::path(tag = "clients", params(("id" = Uuid, Path)), request_body = InviteRequest, responses((status = 201, body = InvitationResponse)))]
#[post("/contacts/{id}/invite")]
pub async fn invite_contact(
    state: State,
    actor: Actor,
    id: web::Path<Uuid>,
    body: Body<InviteRequest>,
) -> ApiResult<HttpResponse> {
    let contact = policy::contacts(&actor).get_for(&state.db, *id, Perm::ClientsWrite).await?;
    let role = super::users::role_by_key(&state.db, &body.role).await?;
    if role.kind != RoleKind::Client {
        return Err(ApiError::field("role", "must be a client role"));
    }
    let txn = state.db.begin().await?;
    let existing = match contact.user_id {
        Some(uid) => user::Entity::find_by_id(uid).one(&txn).await?,
        None => user::Entity::find().filter(user::Column::Email.eq(&contact.email)).one(&txn).await?,
    };
    let now = Utc::now();
    let user = match existing {
        Some(u) if u.client_id != Some(contact.client_id) => {
            return Err(ApiError::Conflict(
                "That e-mail address belongs to a user of another account or to staff.".into(),
            ));
        }
        Some(u) if u.status == UserStatus::Active => {
            return Err(ApiError::Conflict("This contact already has portal access.".into()));
        }
        Some(u) if u.status == UserStatus::Deactivated => {
            return Err(ApiError::Conflict(
                "This contact's portal user is deactivated; reactivate them under Users.".into(),
            ));
        }
        Some(u) => {
            let mut active = u.into_active_model();
            active.role_id = Set(role.id);
            active.updated_at = Set(now);
            active.update(&txn).await?
        }
        None => user::ActiveModel::new_user(
            &contact.email,
            &contact.name,
            role.id,
            Some(contact.client_id),
            None,
            UserStatus::Invited,
        )
        .insert(&txn)
        .await
        .map_err(ApiError::conflict_on_unique("A user with that e-mail already exists."))?,
    };
    if contact.user_id != Some(user.id) {
        let mut c = contact.clone().into_active_model();
        c.user_id = Set(Some(user.id));
        c.updated_at = Set(now);
        c.update(&txn).await?;
    }
    let resent = access::revoke_open(&txn, INVITATION, user.id).await? > 0;
    let ttl = Duration::hours(state.settings.invitation_ttl_hours);
    let issued = access::issue(&txn, INVITATION, user.id, Some(contact.id), Some(actor.user_id), ttl).await?;
    let settings = super::settings::load(&txn).await?;
    let link = format!("{}/accept-invitation#token={}", state.settings.public_url.trim_end_matches('/'), issued.token);
    mail::enqueue(&txn, messages::invitation(&settings, &user.name, &user.email, &link, issued.expires_at)).await?;
    audit::record(
        &txn,
        Some(&actor),
        audit::Entry {
            action: if resent { "invitation.resent" } else { "invitation.sent" },
            target_type: "user",
            target_id: Some(user.id),
            client_id: user.client_id,
            details: serde_json::json!({"contact_id": contact.id, "email": user.email, "role": role.key}),
        },
    )
    .await?;
    txn.commit().await?;
    state.mailer.wake();
    state.authz_changed(Some(user.id)).await?;
    Ok(HttpResponse::Created().json(InvitationResponse {
        contact_id: contact.id,
        user_id: user.id,
        email: user.email,
        role: role.key,
        expires_at: issued.expires_at,
        resent,
    }))
}

/// Revoke a contact's pending invitation: its link stops working.
#[utoipa::path(tag = "clients", params(("id" = Uuid, Path)), responses((status = 204, description = "Revoked")))]
#[post("/contacts/{id}/invite/revoke")]
pub async fn revoke_invitation(state: State, actor: Actor, id: web::Path<Uuid>) -> ApiResult<HttpResponse> {
    let contact = policy::contacts(&actor).get_for(&state.db, *id, Perm::ClientsWrite).await?;
    let Some(user_id) = contact.user_id else {
        return Err(ApiError::Conflict("This contact has no pending invitation.".into()));
    };
    let txn = state.db.begin().await?;
    if access::revoke_open(&txn, INVITATION, user_id).await? == 0 {
        return Err(ApiError::Conflict("This contact has no pending invitation.".into()));
    }
    audit::record(
        &txn,
        Some(&actor),
        audit::Entry {
            action: "invitation.revoked",
            target_type: "user",
            target_id: Some(user_id),
            client_id: Some(contact.client_id),
            details: serde_json::json!({"contact_id": contact.id}),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Accept an invitation: set a password, activate the account, and log in.
#[utoipa::path(tag = "auth", security(()), request_body = AcceptInvitationRequest,
    responses((status = 200, body = TokenResponse), (status = 429, body = crate::error::Problem)))]
#[post("/auth/invitations/accept")]
pub async fn accept_invitation(
    state: State,
    addr: ClientAddr,
    body: Body<AcceptInvitationRequest>,
) -> ApiResult<web::Json<TokenResponse>> {
    let limit = Limit {
        max: state.settings.public_max_requests_per_address,
        window: Duration::seconds(state.settings.throttle_window_secs),
    };
    let key = format!("public:addr:{}", addr.0);
    throttle::check(&state.db, &key, limit).await?;
    throttle::hit(&state.db, &key, limit).await?;
    body.validate()?;
    let body = body.into_inner();
    crate::auth::password::check_policy(&body.password).map_err(|m| ApiError::field("password", m))?;
    let hash = state.passwords.hash(&body.password).await?;
    let txn = state.db.begin().await?;
    let token = access::redeem(&txn, INVITATION, &body.token, invalid_invitation).await?;
    let user = user::Entity::find_by_id(token.user_id).one(&txn).await?.ok_or_else(invalid_invitation)?;
    if user.status != UserStatus::Invited {
        return Err(invalid_invitation());
    }
    let mut active = user.into_active_model();
    active.password_hash = Set(Some(hash));
    active.status = Set(UserStatus::Active);
    active.last_login_at = Set(Some(Utc::now()));
    if let Some(name) = body.name {
        active.name = Set(name.trim().to_owned());
    }
    active.updated_at = Set(Utc::now());
    let user = active.update(&txn).await?;
    if let Some(contact_id) = token.contact_id
        && let Some(c) = contact::Entity::find_by_id(contact_id).one(&txn).await?
    {
        let mut c = c.into_active_model();
        c.user_id = Set(Some(user.id));
        c.update(&txn).await?;
    }
    audit::record(
        &txn,
        None,
        audit::Entry {
            action: "invitation.accepted",
            target_type: "user",
            target_id: Some(user.id),
            client_id: user.client_id,
            details: serde_json::json!({"email": user.email}),
        },
    )
    .await?;
    let session = super::auth::issue_session(&state, &txn, &user, Uuid::now_v7()).await?;
    txn.commit().await?;
    Ok(web::Json(session))
}

pub fn config(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(invite_contact).service(revoke_invitation).service(accept_invitation);
}
