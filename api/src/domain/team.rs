//! A client account's own team, run by its Client Admins (`team.manage`, held only while the
//! agency lets the account look after itself): the account's portal users and contacts;
//! inviting a colleague with a client role no stronger than one's own, resending or revoking
//! that invitation, changing a colleague's role within the same bound, deactivating and
//! reactivating them. Another account's people are not found (404); every change is audited
//! and announced to the agency's staff who look after client accounts.
use sea_orm::{FromQueryResult, JoinType, QuerySelect, Select};

use crate::{i18n::Text, problem, text};

use super::{
    contacts::{self, CreateContactRequest},
    invitations::{self, UserInvitationResponse},
    notify,
    prelude::*,
    roles,
    users::{self, UpdateUserRequest},
};
use crate::entities::{
    client, contact,
    enums::{RoleKind, UserStatus},
    role, user,
};

/// A person of the caller's account with portal access (or an invitation to it).
#[derive(Serialize, ToSchema)]
pub struct TeamMember {
    pub id: Uuid,
    pub name: String,
    pub email: String,
    /// The client role's key.
    pub role: String,
    pub role_name: String,
    pub status: UserStatus,
    /// While `invited`: when the link last sent stops working (`null` once it has expired or
    /// was revoked: resend it).
    pub invitation_expires_at: Option<chrono::DateTime<Utc>>,
    pub last_login_at: Option<chrono::DateTime<Utc>>,
    pub created_at: chrono::DateTime<Utc>,
}

#[derive(FromQueryResult)]
pub struct MemberRow {
    id: Uuid,
    pub name: String,
    email: String,
    role_key: String,
    role_name: String,
    status: UserStatus,
    invitation_expires_at: Option<chrono::DateTime<Utc>>,
    last_login_at: Option<chrono::DateTime<Utc>>,
    created_at: chrono::DateTime<Utc>,
}

impl MemberRow {
    pub fn id(&self) -> Uuid {
        self.id
    }
}

impl From<MemberRow> for TeamMember {
    fn from(m: MemberRow) -> Self {
        Self {
            id: m.id,
            name: m.name,
            email: m.email,
            role: m.role_key,
            role_name: m.role_name,
            status: m.status,
            invitation_expires_at: m.invitation_expires_at.filter(|at| *at > Utc::now()),
            last_login_at: m.last_login_at,
            created_at: m.created_at,
        }
    }
}

/// The users of `select` with their role and open invitation, in one statement.
pub fn with_role(select: Select<user::Entity>) -> sea_orm::Selector<sea_orm::SelectModel<MemberRow>> {
    let role = user::Entity::belongs_to(role::Entity).from(user::Column::RoleId).to(role::Column::Id).into();
    select
        .join(JoinType::InnerJoin, role)
        .column_as(role::Column::Key, "role_key")
        .column_as(role::Column::Name, "role_name")
        .column_as(contacts::open_invitation_expiry("t.user_id = users.id"), "invitation_expires_at")
        .into_model::<MemberRow>()
}

#[derive(Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct InviteMemberRequest {
    /// A contact of the account to invite; or leave it out and give `email` and `name` for
    /// someone new, who becomes one of the account's contacts too.
    pub contact_id: Option<Uuid>,
    #[validate(email, length(max = 254))]
    #[schema(format = IdnEmail, max_length = 254)]
    pub email: Option<String>,
    #[validate(length(min = 1, max = 200))]
    #[schema(min_length = 1, max_length = 200)]
    pub name: Option<String>,
    /// A client role (its key) holding no permission the inviter does not hold.
    pub role: String,
}

#[derive(Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct UpdateMemberRequest {
    /// Another client role, within the same bound as an invitation.
    pub role: Option<String>,
    /// `deactivated` signs them out everywhere at once; `active` lets them back in.
    pub status: Option<UserStatus>,
}

/// A client role the caller may hand out.
#[derive(Serialize, ToSchema)]
pub struct GrantableRole {
    pub key: String,
    pub name: String,
    pub permissions: Vec<Perm>,
}

/// The caller's own account: the team is a client account's (staff look after users under
/// Users, with `users.manage`).
fn own_account(actor: &Actor) -> ApiResult<Uuid> {
    match (actor.is_client(), actor.client_id) {
        (true, Some(id)) => Ok(id),
        _ => Err(ApiError::Forbidden(problem!("team-staff-have-no-team"))),
    }
}

/// One member of the caller's account: 404 for anyone else's, then 403 without `team.manage`.
pub async fn member(db: &impl ConnectionTrait, actor: &Actor, id: Uuid) -> ApiResult<TeamMember> {
    own_account(actor)?;
    policy::team(actor)
        .one_with(async |s| Ok(with_role(s.filter(user::Column::Id.eq(id))).one(db).await?))
        .await
        .map(Into::into)
}

/// The users of the caller's account to page through (403 without `team.manage`).
pub fn members(actor: &Actor) -> ApiResult<Select<user::Entity>> {
    own_account(actor)?;
    policy::team(actor).list()
}

/// The contacts of the caller's account to page through (403 without `team.manage`).
pub fn contacts(actor: &Actor) -> ApiResult<Select<contact::Entity>> {
    own_account(actor)?;
    policy::team_contacts(actor).list()
}

/// The client roles the caller may hand out: those holding nothing the caller does not.
pub async fn grantable_roles(db: &impl ConnectionTrait, actor: &Actor) -> ApiResult<Vec<GrantableRole>> {
    own_account(actor)?;
    actor.require(Perm::TeamManage)?;
    Ok(roles::list(db, Some(RoleKind::Client))
        .await?
        .into_iter()
        .filter(|r| r.permissions.iter().all(|p| actor.has(*p)))
        .map(|r| GrantableRole { key: r.key, name: r.name, permissions: r.permissions })
        .collect())
}

/// A client role the caller may give: a client role (422 otherwise) holding nothing beyond
/// the caller's own permissions (403).
async fn grantable(change: &Change<'_>, key: &str) -> ApiResult<role::Model> {
    let role = users::role_by_key(change.db(), key).await?;
    if role.kind != RoleKind::Client {
        return Err(ApiError::field("role", problem!("team-role-not-client")));
    }
    roles::check_grantable(change.actor(), role.kind, &roles::permissions_of(change.db(), &role).await?)?;
    Ok(role)
}

/// The member `id` of the caller's account whose current role holds
/// nothing beyond the caller's (a stronger colleague is not theirs to manage: 403).
async fn manageable(change: &Change<'_>, actor: &Actor, id: Uuid) -> ApiResult<user::Model> {
    own_account(actor)?;
    let user = policy::team(actor).get(change.db(), id).await?;
    let role = roles::find(change.db(), user.role_id).await?;
    roles::check_grantable(Some(actor), role.kind, &roles::permissions_of(change.db(), &role).await?)?;
    Ok(user)
}

/// The one answer for an address known elsewhere, whoever holds it: it must not say where.
fn not_here() -> ApiError {
    ApiError::Conflict(problem!("team-not-here"))
}

/// Invites a colleague into the caller's own account: an existing contact of it, or someone
/// new (who becomes a contact). Someone already with portal access is a conflict; an e-mail
/// address known elsewhere (staff, another account) is refused without saying where.
pub async fn invite(change: &mut Change<'_>, actor: &Actor, body: InviteMemberRequest) -> ApiResult<Uuid> {
    let client_id = own_account(actor)?;
    let existing = match body.contact_id {
        Some(id) => Some(policy::team_contacts(actor).get(change.db(), id).await?),
        None => None,
    };
    actor.require(Perm::TeamManage)?;
    let role = grantable(change, &body.role).await?;
    let contact = match existing {
        Some(_) if body.email.is_some() || body.name.is_some() => {
            return Err(ApiError::field("contact_id", problem!("team-contact-has-details")));
        }
        Some(c) => c,
        None => {
            let (Some(email), Some(name)) = (body.email, body.name) else {
                return Err(ApiError::field("email", problem!("team-email-name-required")));
            };
            let email = email.trim().to_lowercase();
            let found = contact::Entity::find()
                .filter(contact::Column::ClientId.eq(client_id))
                .filter(contact::Column::Email.eq(&email))
                .one(change.db())
                .await?;
            match found {
                Some(c) => c,
                None => {
                    let new = CreateContactRequest { name, email, phone: None, is_primary: false };
                    contacts::create(change, client_id, new).await?
                }
            }
        }
    };
    // Whoever the invitation would reach — the contact's linked user, and whoever holds its
    // e-mail — must be a colleague the caller may manage, still waiting to join: re-inviting
    // someone pending gives them the new role.
    let linked = match contact.user_id {
        Some(id) => user::Entity::find_by_id(id).one(change.db()).await?,
        None => None,
    };
    let holder = user::Entity::find().filter(user::Column::Email.eq(&contact.email)).one(change.db()).await?;
    for u in [linked, holder].into_iter().flatten() {
        if u.client_id != Some(client_id) {
            return Err(not_here());
        }
        match u.status {
            UserStatus::Active => {
                return Err(ApiError::Conflict(problem!("team-member-active", name = &u.name)));
            }
            UserStatus::Deactivated => {
                return Err(ApiError::Conflict(problem!("team-member-deactivated", name = &u.name)));
            }
            UserStatus::Invited => drop(manageable(change, actor, u.id).await?),
            // An API key's hidden user holds no contact's address (it is in `.invalid`).
            UserStatus::Service => return Err(not_here()),
        }
    }
    // What is left to clash is someone the caller cannot see (another account's, which the
    // database's row-level security hides): the same answer as for anyone known elsewhere.
    let name = contact.name.clone();
    let sent = invitations::invite(change, contact, &role.key).await.map_err(|e| match e {
        ApiError::Conflict(_) => not_here(),
        other => other,
    })?;
    let what = text!("team-invited", name = name, email = &sent.email, role = &role.name);
    announce(change, actor, client_id, sent.user_id, what).await?;
    Ok(sent.user_id)
}

/// Changes a colleague's role or status within the caller's bound; never the caller's own.
pub async fn update(change: &mut Change<'_>, actor: &Actor, id: Uuid, body: UpdateMemberRequest) -> ApiResult<()> {
    let client_id = own_account(actor)?;
    let user = manageable(change, actor, id).await?;
    if let Some(key) = &body.role {
        grantable(change, key).await?;
    }
    if body.status == Some(UserStatus::Active) && user.status == UserStatus::Deactivated {
        agency_let_go(change, &user).await?;
    }
    let (name, email, from, was) = (user.name.clone(), user.email.clone(), user.status, user.role_id);
    let request = UpdateUserRequest { name: None, role: body.role.clone(), status: body.status };
    let (updated, role) = users::update(change, user, request).await?;
    let mut said = Vec::new();
    if updated.role_id != was {
        said.push(text!("team-role-changed", name = &name, email = &email, role = &role.name));
    }
    match (from, updated.status) {
        (a, b) if a == b => {}
        (_, UserStatus::Deactivated) => said.push(text!("team-deactivated", name = &name, email = &email)),
        _ => said.push(text!("team-reactivated", name = &name, email = &email)),
    }
    let mut said = said.into_iter();
    let what = match (said.next(), said.next()) {
        (Some(first), Some(second)) => Some(text!("team-both", first = first, second = second)),
        (first, _) => first,
    };
    if let Some(what) = what {
        announce(change, actor, client_id, updated.id, what).await?;
    }
    Ok(())
}

/// Someone the agency deactivated stays the agency's to bring back (403): a Client Admin
/// reactivates only colleagues deactivated from their own account. Users deactivated before
/// this was recorded could only have been deactivated by staff.
async fn agency_let_go(change: &Change<'_>, user: &user::Model) -> ApiResult<()> {
    let by = match user.deactivated_by {
        Some(id) => user::Entity::find_by_id(id).one(change.db()).await?,
        None => None,
    };
    if by.is_some_and(|b| b.client_id.is_some() && b.client_id == user.client_id) {
        return Ok(());
    }
    Err(ApiError::Forbidden(problem!("team-agency-deactivated", name = &user.name)))
}

/// Sends a pending colleague a new invitation link (the old one stops working).
pub async fn resend(change: &mut Change<'_>, actor: &Actor, id: Uuid) -> ApiResult<UserInvitationResponse> {
    let client_id = own_account(actor)?;
    let user = manageable(change, actor, id).await?;
    let sent = invitations::invite_user(change, &user).await?;
    announce(change, actor, client_id, user.id, text!("team-resent", name = &user.name, email = &user.email)).await?;
    Ok(sent)
}

/// Revokes a pending colleague's invitation: its link stops working.
pub async fn revoke(change: &mut Change<'_>, actor: &Actor, id: Uuid) -> ApiResult<()> {
    let client_id = own_account(actor)?;
    let user = manageable(change, actor, id).await?;
    invitations::revoke_user(change, &user).await?;
    announce(change, actor, client_id, user.id, text!("team-revoked", name = &user.name, email = &user.email)).await
}

/// Tells the agency's staff who look after client accounts what the Client Admin did.
async fn announce(change: &mut Change<'_>, actor: &Actor, client_id: Uuid, user_id: Uuid, what: Text) -> ApiResult<()> {
    let account = client::Entity::find_by_id(client_id).one(change.db()).await?.ok_or(ApiError::NotFound)?;
    notify::team_changed(change, &account, &actor.name, what, user_id).await
}
