//! The caller's own notifications and their preferences.
use sea_orm::PaginatorTrait;
use serde::{Deserialize, Serialize};

use super::prelude::*;
use crate::{
    domain::notifications::{self, NotificationPreference},
    entities::notification,
    pagination::{Key, Sort},
};

#[derive(Serialize, ToSchema)]
pub struct NotificationResponse {
    pub id: Uuid,
    /// `reply`, `client_reply`, `task_done`, `invoice_sent`, `invoice_overdue`, `weekly_summary`.
    pub kind: String,
    pub title: String,
    pub body: String,
    /// Where it leads in the app.
    pub link: String,
    pub read_at: Option<chrono::DateTime<chrono::Utc>>,
    pub created_at: chrono::DateTime<chrono::Utc>,
}

impl From<notification::Model> for NotificationResponse {
    fn from(n: notification::Model) -> Self {
        Self {
            id: n.id,
            kind: n.kind,
            title: n.title,
            body: n.body,
            link: n.link,
            read_at: n.read_at,
            created_at: n.created_at,
        }
    }
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ListNotificationsQuery {
    /// Only unread ones.
    pub unread: Option<bool>,
    /// Newest first.
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u64>,
    pub cursor: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct UnreadCount {
    pub unread: u64,
}

const SORT: Sort<notification::Entity> = Sort {
    name: "-created_at",
    col: notification::Column::CreatedAt,
    desc: true,
    nullable: false,
    key: |n| Key::Time(n.created_at),
};

/// The caller's notifications, newest first.
#[utoipa::path(tag = "me", params(ListNotificationsQuery), responses((status = 200, body = Page<NotificationResponse>)))]
#[get("/notifications")]
pub async fn list_notifications(
    state: State,
    actor: Actor,
    query: web::Query<ListNotificationsQuery>,
) -> ApiResult<web::Json<Page<NotificationResponse>>> {
    let limit = pagination::limit(query.limit)?;
    let mut select = notifications::mine(&actor);
    if query.unread == Some(true) {
        select = select.filter(notification::Column::ReadAt.is_null());
    }
    let page =
        pagination::fetch_page(&state.db, select, &SORT, notification::Column::Id, query.cursor.as_deref(), limit)
            .await?;
    Ok(web::Json(page.map(Into::into)))
}

/// How many of the caller's notifications are unread.
#[utoipa::path(tag = "me", responses((status = 200, body = UnreadCount)))]
#[get("/notifications/unread-count")]
pub async fn unread_count(state: State, actor: Actor) -> ApiResult<web::Json<UnreadCount>> {
    let unread = notifications::mine(&actor).filter(notification::Column::ReadAt.is_null()).count(&state.db).await?;
    Ok(web::Json(UnreadCount { unread }))
}

/// Mark one notification read.
#[utoipa::path(tag = "me", params(("id" = Uuid, Path)), responses((status = 204, description = "Read")))]
#[post("/notifications/{id}/read")]
pub async fn mark_read(state: State, actor: Actor, id: web::Path<Uuid>) -> ApiResult<HttpResponse> {
    Change::run(&state, Some(&actor), async |c| notifications::mark_read(c, &actor, *id).await).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Mark all of the caller's notifications read.
#[utoipa::path(tag = "me", responses((status = 204, description = "All read")))]
#[post("/notifications/read-all")]
pub async fn mark_all_read(state: State, actor: Actor) -> ApiResult<HttpResponse> {
    Change::run(&state, Some(&actor), async |c| notifications::mark_all_read(c, &actor).await).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// The caller's notification preferences: each kind, in the app and by e-mail.
#[utoipa::path(tag = "me", responses((status = 200, body = Vec<NotificationPreference>)))]
#[get("/me/notification-preferences")]
pub async fn get_preferences(state: State, actor: Actor) -> ApiResult<web::Json<Vec<NotificationPreference>>> {
    Ok(web::Json(notifications::preferences(&state.db, actor.user_id).await?))
}

/// Change the caller's notification preferences (kinds not listed stay as they are).
#[utoipa::path(tag = "me", request_body(content = Vec<NotificationPreference>, description = "At most one entry per kind (six in all); kinds not listed stay as they are."), responses((status = 200, body = Vec<NotificationPreference>)))]
#[put("/me/notification-preferences")]
pub async fn put_preferences(
    state: State,
    actor: Actor,
    body: Body<Vec<NotificationPreference>>,
) -> ApiResult<web::Json<Vec<NotificationPreference>>> {
    Change::run(&state, Some(&actor), async |c| notifications::set_preferences(c, &actor, body.into_inner()).await)
        .await?;
    Ok(web::Json(notifications::preferences(&state.db, actor.user_id).await?))
}

pub fn config(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_notifications)
        .service(unread_count)
        .service(mark_read)
        .service(mark_all_read)
        .service(get_preferences)
        .service(put_preferences);
}
