//! A client account's team, for its Client Admins (`team.manage`): client users only; another
//! account's people are not found (404), and staff, who manage users under `/users`, get 403.
use serde::Deserialize;

use super::prelude::*;
use crate::{
    domain::{
        contacts::{self, ContactResponse, ContactRow},
        invitations::UserInvitationResponse,
        team::{self, GrantableRole, InviteMemberRequest, MemberRow, TeamMember, UpdateMemberRequest},
    },
    entities::{contact, enums::UserStatus, user},
    pagination::{Key, Sort},
};

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ListMembersQuery {
    /// Only members with this status.
    pub status: Option<UserStatus>,
    /// `name` (default).
    #[param(pattern = "^(name)$")]
    pub sort: Option<String>,
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u64>,
    pub cursor: Option<String>,
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ListTeamContactsQuery {
    /// `name` (default).
    #[param(pattern = "^(name)$")]
    pub sort: Option<String>,
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u64>,
    pub cursor: Option<String>,
}

const SORTS: &[Sort<user::Entity, MemberRow>] =
    &[Sort { name: "name", col: user::Column::Name, desc: false, nullable: false, key: |m| Key::Text(m.name.clone()) }];

/// The people of the caller's account with portal access or an invitation to it.
#[utoipa::path(tag = "team", params(ListMembersQuery), responses((status = 200, body = Page<TeamMember>)))]
#[get("/team/members")]
pub async fn list_members(
    state: State,
    actor: Actor,
    query: web::Query<ListMembersQuery>,
) -> ApiResult<web::Json<Page<TeamMember>>> {
    let mut select = team::members(&actor)?;
    let limit = pagination::limit(query.limit)?;
    let sort = pagination::pick(SORTS, query.sort.as_deref())?;
    if let Some(status) = query.status {
        select = select.filter(user::Column::Status.eq(status));
    }
    let select = pagination::prepare(select, sort, user::Column::Id, query.cursor.as_deref(), limit)?;
    let rows = team::with_role(select).all(&state.db).await?;
    Ok(web::Json(pagination::finish(rows, limit, sort.name, sort.key, MemberRow::id).map(Into::into)))
}

/// Invite a colleague: one of the account's contacts (`contact_id`), or someone new (`email`
/// and `name`, who becomes a contact), with a client role holding nothing the caller does not.
/// They get the same single-use, expiring link as an invitation from the agency.
#[utoipa::path(tag = "team", request_body = InviteMemberRequest, responses((status = 201, body = TeamMember),
    (status = 404, description = "The contact is not one of the caller's account", content_type = "application/problem+json", body = crate::error::Problem),
    (status = 409, description = "They already have portal access, or the address cannot be invited here", content_type = "application/problem+json", body = crate::error::Problem)))]
#[post("/team/members")]
pub async fn invite_member(state: State, actor: Actor, body: Body<InviteMemberRequest>) -> ApiResult<HttpResponse> {
    body.validate()?;
    let id = Change::run(&state, Some(&actor), async |c| team::invite(c, &actor, body.into_inner()).await).await?;
    Ok(HttpResponse::Created().json(team::member(&state.db, &actor, id).await?))
}

/// A member of the caller's account.
#[utoipa::path(tag = "team", params(("id" = Uuid, Path)), responses((status = 200, body = TeamMember)))]
#[get("/team/members/{id}")]
pub async fn get_member(state: State, actor: Actor, id: web::Path<Uuid>) -> ApiResult<web::Json<TeamMember>> {
    Ok(web::Json(team::member(&state.db, &actor, *id).await?))
}

/// Change a colleague's client role (within the caller's own permissions) or deactivate and
/// reactivate them; never the caller themself (409).
#[utoipa::path(tag = "team", params(("id" = Uuid, Path)), request_body = UpdateMemberRequest, responses((status = 200, body = TeamMember)))]
#[patch("/team/members/{id}")]
pub async fn update_member(
    state: State,
    actor: Actor,
    id: web::Path<Uuid>,
    if_match: IfMatch,
    body: Body<UpdateMemberRequest>,
) -> ApiResult<web::Json<TeamMember>> {
    team::member(&state.db, &actor, *id).await?;
    body.validate()?;
    Change::run(&state, Some(&actor), async |c| {
        if_match.hold(c, "users", *id, async |db| team::member(db, &actor, *id).await).await?;
        team::update(c, &actor, *id, body.into_inner()).await
    })
    .await?;
    Ok(web::Json(team::member(&state.db, &actor, *id).await?))
}

/// Send a pending colleague a new invitation (the previous link stops working); 409 once they
/// have accepted, or while they are deactivated.
#[utoipa::path(tag = "team", params(("id" = Uuid, Path)), responses((status = 200, body = UserInvitationResponse)))]
#[post("/team/members/{id}/invitation")]
pub async fn resend_member_invitation(
    state: State,
    actor: Actor,
    id: web::Path<Uuid>,
) -> ApiResult<web::Json<UserInvitationResponse>> {
    team::member(&state.db, &actor, *id).await?;
    Ok(web::Json(Change::run(&state, Some(&actor), async |c| team::resend(c, &actor, *id).await).await?))
}

/// Revoke a pending colleague's invitation: its link stops working (409 when none is pending).
#[utoipa::path(tag = "team", params(("id" = Uuid, Path)), responses((status = 204, description = "Revoked"),
    (status = 409, description = "No invitation is pending", content_type = "application/problem+json", body = crate::error::Problem)))]
#[delete("/team/members/{id}/invitation")]
pub async fn revoke_member_invitation(state: State, actor: Actor, id: web::Path<Uuid>) -> ApiResult<HttpResponse> {
    team::member(&state.db, &actor, *id).await?;
    Change::run(&state, Some(&actor), async |c| team::revoke(c, &actor, *id).await).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// The contacts the agency keeps for the caller's account, each with where they stand with
/// the portal: whom a Client Admin can invite.
#[utoipa::path(tag = "team", params(ListTeamContactsQuery), responses((status = 200, body = Page<ContactResponse>)))]
#[get("/team/contacts")]
pub async fn list_team_contacts(
    state: State,
    actor: Actor,
    query: web::Query<ListTeamContactsQuery>,
) -> ApiResult<web::Json<Page<ContactResponse>>> {
    let select = team::contacts(&actor)?;
    let limit = pagination::limit(query.limit)?;
    let sort = pagination::pick(contacts::SORTS, query.sort.as_deref())?;
    let select = pagination::prepare(select, sort, contact::Column::Id, query.cursor.as_deref(), limit)?;
    let rows = contacts::with_access(select).all(&state.db).await?;
    Ok(web::Json(pagination::finish(rows, limit, sort.name, sort.key, ContactRow::id).map(Into::into)))
}

/// The client roles the caller may give a colleague.
#[utoipa::path(tag = "team", responses((status = 200, body = Vec<GrantableRole>)))]
#[get("/team/roles")]
pub async fn list_grantable_roles(state: State, actor: Actor) -> ApiResult<web::Json<Vec<GrantableRole>>> {
    Ok(web::Json(team::grantable_roles(&state.db, &actor).await?))
}

pub fn config(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_members)
        .service(invite_member)
        .service(get_member)
        .service(update_member)
        .service(resend_member_invitation)
        .service(revoke_member_invitation)
        .service(list_team_contacts)
        .service(list_grantable_roles);
}
