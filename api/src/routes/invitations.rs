//! Portal invitations: staff invite a client's contact by e-mail; the contact accepts by
//! choosing a password, which activates their account and logs them in.
use super::prelude::*;
use crate::domain::{
    invitations::{self, AcceptInvitationRequest, InvitationResponse, InviteRequest},
    passwords,
    sessions::TokenResponse,
};

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
    let invited =
        Change::run(&state, Some(&actor), async |c| invitations::invite(c, contact, &body.role).await).await?;
    Ok(HttpResponse::Created().json(invited))
}

/// Revoke a contact's pending invitation: its link stops working.
#[utoipa::path(tag = "clients", params(("id" = Uuid, Path)), responses((status = 204, description = "Revoked")))]
#[post("/contacts/{id}/invite/revoke")]
pub async fn revoke_invitation(state: State, actor: Actor, id: web::Path<Uuid>) -> ApiResult<HttpResponse> {
    let contact = policy::contacts(&actor).get_for(&state.db, *id, Perm::ClientsWrite).await?;
    Change::run(&state, Some(&actor), async |c| invitations::revoke(c, &contact).await).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Accept an invitation: set a password, activate the account, and log in.
#[utoipa::path(tag = "auth", security(()), request_body = AcceptInvitationRequest, params(crate::session_cookie::SessionHeader),
    responses((status = 200, body = TokenResponse), (status = 429, body = crate::error::Problem)))]
#[post("/auth/invitations/accept")]
pub async fn accept_invitation(
    req: actix_web::HttpRequest,
    state: State,
    addr: ClientAddr,
    device: crate::domain::sessions::Device,
    body: Body<AcceptInvitationRequest>,
) -> ApiResult<HttpResponse> {
    passwords::throttle_public(&state, &addr.0).await?;
    body.validate()?;
    let tokens = invitations::accept(&state, body.into_inner(), &device).await?;
    Ok(crate::session_cookie::respond(&req, &state.settings, tokens))
}

pub fn config(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(invite_contact).service(revoke_invitation).service(accept_invitation);
}
