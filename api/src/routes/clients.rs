//! Client accounts (staff only).
use sea_orm::sea_query::{Expr, ExprTrait, Func};
use serde::{Deserialize, Serialize};

use super::prelude::*;
use crate::{
    domain::clients::{self, CreateClientRequest, UpdateClientRequest},
    entities::{client, enums::ClientStatus},
    pagination::{Key, Sort},
};

#[derive(Serialize, ToSchema)]
pub struct ClientResponse {
    pub id: Uuid,
    pub name: String,
    pub status: ClientStatus,
    /// Internal notes for staff.
    pub notes: Option<String>,
    pub billing_address: Option<String>,
    pub tax_id: Option<String>,
    /// The client's own locale for documents and e-mails; `null`: the agency's.
    pub locale: Option<String>,
    /// Whether the account's Client Admins manage their own team.
    pub team_self_service: bool,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub updated_at: chrono::DateTime<chrono::Utc>,
}

impl From<client::Model> for ClientResponse {
    fn from(m: client::Model) -> Self {
        Self {
            id: m.id,
            name: m.name,
            status: m.status,
            notes: m.notes,
            billing_address: m.billing_address,
            tax_id: m.tax_id,
            locale: m.locale,
            team_self_service: m.team_self_service,
            created_at: m.created_at,
            updated_at: m.updated_at,
        }
    }
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ListClientsQuery {
    pub status: Option<ClientStatus>,
    /// Case-insensitive substring of the company name.
    pub q: Option<String>,
    /// `name` (default), `-created_at`.
    #[param(pattern = "^(name|-created_at)$")]
    pub sort: Option<String>,
    /// 1..=200, default 50.
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u64>,
    pub cursor: Option<String>,
}

const SORTS: &[Sort<client::Entity>] = &[
    Sort { name: "name", col: client::Column::Name, desc: false, nullable: false, key: |m| Key::Text(m.name.clone()) },
    Sort {
        name: "-created_at",
        col: client::Column::CreatedAt,
        desc: true,
        nullable: false,
        key: |m| Key::Time(m.created_at),
    },
];

/// Escapes LIKE wildcards in user input so `%` and `_` match themselves.
fn escape_like(s: &str) -> String {
    s.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_")
}

/// List client accounts.
#[utoipa::path(tag = "clients", params(ListClientsQuery), responses((status = 200, body = Page<ClientResponse>)))]
#[get("/clients")]
pub async fn list_clients(
    state: State,
    actor: Actor,
    query: web::Query<ListClientsQuery>,
) -> ApiResult<web::Json<Page<ClientResponse>>> {
    let mut select = policy::clients(&actor).list()?;
    let limit = pagination::limit(query.limit)?;
    let sort = pagination::pick(SORTS, query.sort.as_deref())?;
    if let Some(status) = query.status {
        select = select.filter(client::Column::Status.eq(status));
    }
    if let Some(q) = query.q.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
        let name = Expr::expr(Func::lower(Expr::col(client::Column::Name)));
        select = select.filter(name.like(format!("%{}%", escape_like(&q.to_lowercase()))));
    }
    let page =
        pagination::fetch_page(&state.db, select, sort, client::Column::Id, query.cursor.as_deref(), limit).await?;
    Ok(web::Json(page.map(Into::into)))
}

/// Create a client account.
#[utoipa::path(tag = "clients", request_body = CreateClientRequest, responses((status = 201, body = ClientResponse)))]
#[post("/clients")]
pub async fn create_client(state: State, actor: Actor, body: Body<CreateClientRequest>) -> ApiResult<HttpResponse> {
    actor.require(Perm::ClientsWrite)?;
    body.validate()?;
    let client = Change::run(&state, Some(&actor), async |c| clients::create(c, body.into_inner()).await).await?;
    Ok(HttpResponse::Created().json(ClientResponse::from(client)))
}

/// A client account.
#[utoipa::path(tag = "clients", params(("id" = Uuid, Path)), responses((status = 200, body = ClientResponse)))]
#[get("/clients/{id}")]
pub async fn get_client(state: State, actor: Actor, id: web::Path<Uuid>) -> ApiResult<web::Json<ClientResponse>> {
    Ok(web::Json(policy::clients(&actor).get(&state.db, *id).await?.into()))
}

/// Edit a client account (name, status, notes).
#[utoipa::path(tag = "clients", params(("id" = Uuid, Path)), request_body = UpdateClientRequest, responses((status = 200, body = ClientResponse)))]
#[patch("/clients/{id}")]
pub async fn update_client(
    state: State,
    actor: Actor,
    id: web::Path<Uuid>,
    if_match: IfMatch,
    body: Body<UpdateClientRequest>,
) -> ApiResult<web::Json<ClientResponse>> {
    let client = policy::clients(&actor).get_for(&state.db, *id, Perm::ClientsWrite).await?;
    body.validate()?;
    let scope = policy::clients(&actor);
    let updated = Change::run(&state, Some(&actor), async |c| {
        let now = async |db: &sea_orm::DatabaseTransaction| Ok(ClientResponse::from(scope.get(db, client.id).await?));
        if_match.hold(c, "clients", client.id, now).await?;
        clients::update(c, client, body.into_inner()).await
    })
    .await?;
    Ok(web::Json(updated.into()))
}

/// Delete a client account that has no users, projects or invoices yet (otherwise set it
/// inactive: its history stays).
#[utoipa::path(tag = "clients", params(("id" = Uuid, Path)), responses((status = 204, description = "Deleted")))]
#[delete("/clients/{id}")]
pub async fn delete_client(state: State, actor: Actor, id: web::Path<Uuid>) -> ApiResult<HttpResponse> {
    let client = policy::clients(&actor).get_for(&state.db, *id, Perm::ClientsWrite).await?;
    Change::run(&state, Some(&actor), async |c| clients::delete(c, client).await).await?;
    Ok(HttpResponse::NoContent().finish())
}

pub fn config(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_clients).service(create_client).service(get_client).service(update_client).service(delete_client);
}
