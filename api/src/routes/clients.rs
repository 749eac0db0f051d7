//! Client accounts (staff only).
use sea_orm::{PaginatorTrait, sea_query::ExprTrait};

use super::prelude::*;
use crate::entities::{client, enums::ClientStatus, invoice, project, user};

#[derive(Serialize, ToSchema)]
pub struct ClientResponse {
    pub id: Uuid,
    pub name: String,
    pub status: ClientStatus,
    /// Internal notes for staff.
    pub notes: Option<String>,
    pub created_at: chrono::DateTime<Utc>,
    pub updated_at: chrono::DateTime<Utc>,
}

impl From<client::Model> for ClientResponse {
    fn from(m: client::Model) -> Self {
        Self {
            id: m.id,
            name: m.name,
            status: m.status,
            notes: m.notes,
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
    pub sort: Option<String>,
    /// 1..=200, default 50.
    pub limit: Option<u64>,
    pub cursor: Option<String>,
}

#[derive(Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct CreateClientRequest {
    #[validate(length(min = 1, max = 200))]
    pub name: String,
    pub status: Option<ClientStatus>,
    #[validate(length(max = 10000))]
    pub notes: Option<String>,
}

#[derive(Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct UpdateClientRequest {
    #[validate(length(min = 1, max = 200))]
    pub name: Option<String>,
    pub status: Option<ClientStatus>,
    #[serde(default, deserialize_with = "patch_field")]
    #[schema(value_type = Option<String>)]
    #[validate(length(max = 10000))]
    pub notes: Option<Option<String>>,
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
        select = select.filter(
            sea_orm::sea_query::Expr::expr(sea_orm::sea_query::Func::lower(sea_orm::sea_query::Expr::col(
                client::Column::Name,
            )))
            .like(format!("%{}%", escape_like(&q.to_lowercase()))),
        );
    }
    let page =
        pagination::fetch_page(&state.db, select, sort, client::Column::Id, query.cursor.as_deref(), limit).await?;
    Ok(web::Json(page.map(Into::into)))
}

/// Escapes LIKE wildcards in user input so `%` and `_` match themselves.
pub fn escape_like(s: &str) -> String {
    s.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_")
}

/// Create a client account.
#[utoipa::path(tag = "clients", request_body = CreateClientRequest, responses((status = 201, body = ClientResponse)))]
#[post("/clients")]
pub async fn create_client(state: State, actor: Actor, body: Body<CreateClientRequest>) -> ApiResult<HttpResponse> {
    actor.require(Perm::ClientsWrite)?;
    body.validate()?;
    let body = body.into_inner();
    let now = Utc::now();
    let model = client::ActiveModel {
        id: Set(Uuid::now_v7()),
        name: Set(body.name.trim().to_owned()),
        status: Set(body.status.unwrap_or(ClientStatus::Active)),
        notes: Set(body.notes),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&state.db)
    .await?;
    Ok(HttpResponse::Created().json(ClientResponse::from(model)))
}

/// A client account.
#[utoipa::path(tag = "clients", params(("id" = Uuid, Path)), responses((status = 200, body = ClientResponse)))]
#[get("/clients/{id}")]
pub async fn get_client(state: State, actor: Actor, id: web::Path<Uuid>) -> ApiResult<web::Json<ClientResponse>> {
    let model = policy::clients(&actor).get(&state.db, *id).await?;
    Ok(web::Json(model.into()))
}

/// Edit a client account (name, status, notes).
#[utoipa::path(tag = "clients", params(("id" = Uuid, Path)), request_body = UpdateClientRequest, responses((status = 200, body = ClientResponse)))]
#[patch("/clients/{id}")]
pub async fn update_client(
    state: State,
    actor: Actor,
    id: web::Path<Uuid>,
    body: Body<UpdateClientRequest>,
) -> ApiResult<web::Json<ClientResponse>> {
    let model = policy::clients(&actor).get_for(&state.db, *id, Perm::ClientsWrite).await?;
    body.validate()?;
    let body = body.into_inner();
    let mut active = model.into_active_model();
    if let Some(name) = body.name {
        active.name = Set(name.trim().to_owned());
    }
    if let Some(status) = body.status {
        active.status = Set(status);
    }
    if let Some(notes) = body.notes {
        active.notes = Set(notes);
    }
    active.updated_at = Set(Utc::now());
    Ok(web::Json(active.update(&state.db).await?.into()))
}

/// Delete a client account that has no users, projects or invoices yet (otherwise set it
/// inactive: its history stays).
#[utoipa::path(tag = "clients", params(("id" = Uuid, Path)), responses((status = 204, description = "Deleted")))]
#[delete("/clients/{id}")]
pub async fn delete_client(state: State, actor: Actor, id: web::Path<Uuid>) -> ApiResult<HttpResponse> {
    let model = policy::clients(&actor).get_for(&state.db, *id, Perm::ClientsWrite).await?;
    let in_use = user::Entity::find().filter(user::Column::ClientId.eq(model.id)).count(&state.db).await? > 0
        || project::Entity::find().filter(project::Column::ClientId.eq(model.id)).count(&state.db).await? > 0
        || invoice::Entity::find().filter(invoice::Column::ClientId.eq(model.id)).count(&state.db).await? > 0;
    if in_use {
        return Err(ApiError::Conflict("This client has users, projects or invoices; set it inactive instead.".into()));
    }
    client::Entity::delete_by_id(model.id).exec(&state.db).await?;
    Ok(HttpResponse::NoContent().finish())
}

pub fn config(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_clients).service(create_client).service(get_client).service(update_client).service(delete_client);
}
