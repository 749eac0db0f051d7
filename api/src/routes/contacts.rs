//! Contacts: the people at a client account (staff only).
use serde::Deserialize;

use super::prelude::*;
use crate::{
    domain::contacts::{self, ContactResponse, ContactRow, CreateContactRequest, UpdateContactRequest},
    entities::contact,
};

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ListContactsQuery {
    /// `name` (default).
    #[param(pattern = "^(name)$")]
    pub sort: Option<String>,
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u64>,
    pub cursor: Option<String>,
}

/// The contacts of a client account.
#[utoipa::path(tag = "clients", params(("id" = Uuid, Path), ListContactsQuery), responses((status = 200, body = Page<ContactResponse>)))]
#[get("/clients/{id}/contacts")]
pub async fn list_contacts(
    state: State,
    actor: Actor,
    id: web::Path<Uuid>,
    query: web::Query<ListContactsQuery>,
) -> ApiResult<web::Json<Page<ContactResponse>>> {
    let client = policy::clients(&actor).get(&state.db, *id).await?;
    let limit = pagination::limit(query.limit)?;
    let sort = pagination::pick(contacts::SORTS, query.sort.as_deref())?;
    let select = policy::contacts(&actor).list()?.filter(contact::Column::ClientId.eq(client.id));
    let select = pagination::prepare(select, sort, contact::Column::Id, query.cursor.as_deref(), limit)?;
    let rows = contacts::with_access(select).all(&state.db).await?;
    Ok(web::Json(pagination::finish(rows, limit, sort.name, sort.key, ContactRow::id).map(Into::into)))
}

/// Add a contact to a client account.
#[utoipa::path(tag = "clients", params(("id" = Uuid, Path)), request_body = CreateContactRequest, responses((status = 201, body = ContactResponse)))]
#[post("/clients/{id}/contacts")]
pub async fn create_contact(
    state: State,
    actor: Actor,
    id: web::Path<Uuid>,
    body: Body<CreateContactRequest>,
) -> ApiResult<HttpResponse> {
    let client = policy::clients(&actor).get_for(&state.db, *id, Perm::ClientsWrite).await?;
    body.validate()?;
    let contact =
        Change::run(&state, Some(&actor), async |c| contacts::create(c, client.id, body.into_inner()).await).await?;
    Ok(HttpResponse::Created().json(contacts::fetch_one(&state.db, &actor, contact.id).await?))
}

/// A contact.
#[utoipa::path(tag = "clients", params(("id" = Uuid, Path)), responses((status = 200, body = ContactResponse)))]
#[get("/contacts/{id}")]
pub async fn get_contact(state: State, actor: Actor, id: web::Path<Uuid>) -> ApiResult<web::Json<ContactResponse>> {
    Ok(web::Json(contacts::fetch_one(&state.db, &actor, *id).await?))
}

/// Edit a contact; making one primary makes the others not.
#[utoipa::path(tag = "clients", params(("id" = Uuid, Path)), request_body = UpdateContactRequest, responses((status = 200, body = ContactResponse)))]
#[patch("/contacts/{id}")]
pub async fn update_contact(
    state: State,
    actor: Actor,
    id: web::Path<Uuid>,
    if_match: IfMatch,
    body: Body<UpdateContactRequest>,
) -> ApiResult<web::Json<ContactResponse>> {
    let contact = policy::contacts(&actor).get_for(&state.db, *id, Perm::ClientsWrite).await?;
    body.validate()?;
    let contact = Change::run(&state, Some(&actor), async |c| {
        // The account's row first, as for any conditional contact write: making one contact
        // primary touches them all, and two such writers must queue rather than deadlock.
        if if_match.present() {
            c.hold_row("clients", contact.client_id).await?;
        }
        if_match.hold(c, "contacts", contact.id, async |db| contacts::fetch_one(db, &actor, contact.id).await).await?;
        contacts::update(c, contact, body.into_inner()).await
    })
    .await?;
    Ok(web::Json(contacts::fetch_one(&state.db, &actor, contact.id).await?))
}

/// Remove a contact (a linked portal user stays; deactivate them separately).
#[utoipa::path(tag = "clients", params(("id" = Uuid, Path)), responses((status = 204, description = "Deleted")))]
#[delete("/contacts/{id}")]
pub async fn delete_contact(state: State, actor: Actor, id: web::Path<Uuid>) -> ApiResult<HttpResponse> {
    let contact = policy::contacts(&actor).get_for(&state.db, *id, Perm::ClientsWrite).await?;
    Change::run(&state, Some(&actor), async |c| contacts::delete(c, contact).await).await?;
    Ok(HttpResponse::NoContent().finish())
}

pub fn config(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_contacts)
        .service(create_contact)
        .service(get_contact)
        .service(update_contact)
        .service(delete_contact);
}
