//! Search: one box for staff and clients, answered through the caller's policy scopes.
use super::prelude::*;
use crate::domain::search::{self as find, SearchHit, SearchQuery};

/// What the caller may find for `q`, best match first: staff find clients, projects, tasks,
/// invoices, files and comments (Notes only with `comments.note`); a client finds their own
/// account's projects, tasks, Replies, sent invoices and files, never a Note. Kinds the role may
/// not read are left out; 403 only when it may read none of them.
#[utoipa::path(tag = "search", params(SearchQuery), responses((status = 200, body = Page<SearchHit>)))]
#[get("/search")]
pub async fn search(
    state: State,
    actor: Actor,
    query: web::Query<SearchQuery>,
) -> ApiResult<web::Json<Page<SearchHit>>> {
    Ok(web::Json(find::search(&state.db, &actor, &query).await?))
}

pub fn config(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(search);
}
