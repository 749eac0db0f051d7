//! Portal invitations: staff invite a client's contact by e-mail with a client role; the
//! contact accepts by choosing a password, which activates their account and logs them in.
use chrono::Duration;
use sea_orm::QuerySelect;
use secrecy::SecretString;

use super::{
    contacts,
    prelude::*,
    sessions::{self, TokenResponse},
    settings, users,
};
use crate::{
    auth::password,
    entities::{
        contact,
        enums::{RoleKind, UserStatus},
        one_time_token::INVITATION,
        role, user,
    },
    services::{access, messages},
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
    #[schema(value_type = String, format = Password, min_length = 8, max_length = 128)]
    pub password: SecretString,
    /// Optionally correct the name the agency entered.
    #[schema(min_length = 1, max_length = 200)]
    #[validate(length(min = 1, max = 200))]
    pub name: Option<String>,
}

fn invalid_invitation() -> ApiError {
    ApiError::BadRequest(crate::problem!("invitation-link-invalid"))
}

/// The contact's portal user, created (status `invited`) or reused with `role`; another
/// account's or staff's e-mail, an active or a deactivated user is a conflict.
async fn portal_user_for(change: &Change<'_>, contact: &contact::Model, role: &role::Model) -> ApiResult<user::Model> {
    let existing = match contact.user_id {
        Some(uid) => user::Entity::find_by_id(uid).one(change.db()).await?,
        None => user::Entity::find().filter(user::Column::Email.eq(&contact.email)).one(change.db()).await?,
    };
    match existing {
        Some(u) if u.client_id != Some(contact.client_id) => {
            Err(ApiError::Conflict(crate::problem!("invitation-email-elsewhere")))
        }
        Some(u) if u.status == UserStatus::Active => {
            Err(ApiError::Conflict(crate::problem!("invitation-contact-has-access")))
        }
        // An API key's hidden user is no contact's, whatever address a contact is given.
        Some(u) if u.status == UserStatus::Service => {
            Err(ApiError::Conflict(crate::problem!("invitation-email-elsewhere")))
        }
        Some(u) if u.status == UserStatus::Deactivated => {
            Err(ApiError::Conflict(crate::problem!("invitation-contact-deactivated")))
        }
        Some(u) => {
            let mut active = u.into_active_model();
            active.role_id = Set(role.id);
            active.updated_at = Set(Utc::now());
            Ok(active.update(change.db()).await?)
        }
        None => Ok(user::ActiveModel::new_user(
            &contact.email,
            &contact.name,
            role.id,
            Some(contact.client_id),
            None,
            UserStatus::Invited,
        )
        .insert(change.db())
        .await
        .map_err(ApiError::conflict_on_unique("invitation-email-taken"))?),
    }
}

/// Invites `contact` with the client role `role_key`, or resends the invitation (the previous
/// link stops working); e-mails the link and audits it.
pub async fn invite(change: &mut Change<'_>, contact: contact::Model, role_key: &str) -> ApiResult<InvitationResponse> {
    let role = users::role_by_key(change.db(), role_key).await?;
    if role.kind != RoleKind::Client {
        return Err(ApiError::field("role", crate::problem!("invitation-role-not-client")));
    }
    let user = portal_user_for(change, &contact, &role).await?;
    if contact.user_id != Some(user.id) {
        contacts::link_user(change, &contact, user.id).await?;
    }
    let (expires_at, resent) = send(change, &user, &role, Some(contact.id)).await?;
    change.authz_changed(Some(user.id));
    Ok(InvitationResponse {
        contact_id: contact.id,
        user_id: user.id,
        email: user.email,
        role: role.key,
        expires_at,
        resent,
    })
}

/// E-mails `user` a new invitation link, the previous one ending (`true` when one was out),
/// and audits it: to the team for a staff role, to the portal for a client one.
async fn send(
    change: &mut Change<'_>,
    user: &user::Model,
    role: &role::Model,
    contact_id: Option<Uuid>,
) -> ApiResult<(chrono::DateTime<Utc>, bool)> {
    let resent = access::revoke_open(change.db(), INVITATION, user.id).await? > 0;
    let ttl = Duration::hours(change.settings().invitation_ttl_hours);
    let invited_by = change.actor().map(|a| a.user_id);
    let issued = access::issue(change.db(), INVITATION, user.id, contact_id, invited_by, ttl).await?;
    super::adoption::invited(change, user.id).await?;
    let brand = settings::load(change.db()).await?;
    let link =
        format!("{}/accept-invitation#token={}", change.settings().public_url.trim_end_matches('/'), issued.token);
    let email = match role.kind {
        RoleKind::Staff => {
            messages::staff_invitation(&brand, &messages::To::user(&brand, user), &role.name, &link, issued.expires_at)
        }
        RoleKind::Client => messages::invitation(&brand, &messages::To::user(&brand, user), &link, issued.expires_at),
    };
    change.mail(email, Source::user(user.id), None).await?;
    let action = if resent { "invitation.resent" } else { "invitation.sent" };
    let details = serde_json::json!({"contact_id": contact_id, "email": user.email, "role": role.key});
    change.audit(Entry::new(action, "user", Some(user.id), user.client_id).details(details)).await?;
    Ok((issued.expires_at, resent))
}

/// An invitation to a user added without a password (staff, or a client user added under
/// Users rather than from a contact).
#[derive(Serialize, ToSchema)]
pub struct UserInvitationResponse {
    pub user_id: Uuid,
    pub email: String,
    /// When the link in the e-mail stops working.
    pub expires_at: chrono::DateTime<Utc>,
    /// Whether this replaced an earlier invitation (whose link no longer works).
    pub resent: bool,
}

/// E-mails `user` (status `invited`) a new invitation link, the previous one ending; audited.
/// Staff get an invitation to the team, client users one to the portal.
pub async fn invite_user(change: &mut Change<'_>, user: &user::Model) -> ApiResult<UserInvitationResponse> {
    // Locked, so an acceptance at the same moment is either seen here or sees this link.
    let user = user::Entity::find_by_id(user.id).lock_exclusive().one(change.db()).await?.ok_or(ApiError::NotFound)?;
    if user.status != UserStatus::Invited {
        let why = match user.status {
            UserStatus::Active => crate::problem!("invitation-user-active"),
            _ => crate::problem!("invitation-user-deactivated"),
        };
        return Err(ApiError::Conflict(why));
    }
    let role = role::Entity::find_by_id(user.role_id).one(change.db()).await?.ok_or(ApiError::NotFound)?;
    // A client user invited through a contact stays that contact's invitation.
    let contact = contact::Entity::find().filter(contact::Column::UserId.eq(user.id)).one(change.db()).await?;
    let (expires_at, resent) = send(change, &user, &role, contact.map(|c| c.id)).await?;
    Ok(UserInvitationResponse { user_id: user.id, email: user.email, expires_at, resent })
}

/// Revokes `user`'s pending invitation, whoever sent it: its link stops working (409 when none
/// is pending).
pub async fn revoke_user(change: &mut Change<'_>, user: &user::Model) -> ApiResult<()> {
    if user.status != UserStatus::Invited || access::revoke_open(change.db(), INVITATION, user.id).await? == 0 {
        return Err(ApiError::Conflict(crate::problem!("invitation-user-none-pending")));
    }
    change.audit(Entry::new("invitation.revoked", "user", Some(user.id), user.client_id)).await?;
    Ok(())
}

/// Revokes the contact's pending invitation: its link stops working.
pub async fn revoke(change: &mut Change<'_>, contact: &contact::Model) -> ApiResult<()> {
    let none_pending = || ApiError::Conflict(crate::problem!("invitation-contact-none-pending"));
    let user_id = contact.user_id.ok_or_else(none_pending)?;
    if access::revoke_open(change.db(), INVITATION, user_id).await? == 0 {
        return Err(none_pending());
    }
    let entry = Entry::new("invitation.revoked", "user", Some(user_id), Some(contact.client_id));
    change.audit(entry.details(serde_json::json!({"contact_id": contact.id}))).await?;
    Ok(())
}

/// Accepts an invitation: sets the password, activates the account and logs in.
pub async fn accept(
    state: &AppState,
    body: AcceptInvitationRequest,
    device: &sessions::Device,
) -> ApiResult<TokenResponse> {
    password::check_policy(&body.password).map_err(|m| ApiError::field("password", m))?;
    // A token that could not be spent costs no argon2 work.
    access::live(&state.db, INVITATION, &body.token, invalid_invitation).await?;
    let hash = state.passwords.hash(&body.password).await?;
    let mut change = Change::begin(state, None).await?;
    let token = access::redeem(change.db(), INVITATION, &body.token, invalid_invitation).await?;
    let user = user::Entity::find_by_id(token.user_id).one(change.db()).await?.ok_or_else(invalid_invitation)?;
    if user.status != UserStatus::Invited {
        return Err(invalid_invitation());
    }
    let now = change.now();
    let mut active = user.into_active_model();
    active.password_hash = Set(Some(hash));
    active.status = Set(UserStatus::Active);
    active.last_login_at = Set(Some(now));
    if let Some(name) = body.name {
        active.name = Set(name.trim().to_owned());
    }
    active.updated_at = Set(now);
    let user = active.update(change.db()).await?;
    if let Some(contact_id) = token.contact_id
        && let Some(c) = contact::Entity::find_by_id(contact_id).one(change.db()).await?
    {
        contacts::link_user(&change, &c, user.id).await?;
    }
    let entry = Entry::new("invitation.accepted", "user", Some(user.id), user.client_id);
    change.audit(entry.details(serde_json::json!({"email": user.email}))).await?;
    change.authz_changed(Some(user.id));
    super::adoption::signed_in(&change, &user).await?;
    let session = sessions::issue(&mut change, &user, Uuid::now_v7(), Utc::now(), device).await?;
    change.commit().await?;
    Ok(session)
}
