//! The caller's own notifications and their preferences.
use sea_orm::{PaginatorTrait, sea_query::Expr};

use super::prelude::*;
use crate::{
    entities::{notification, notification_preference},
    services::notify::KINDS,
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
    pub read_at: Option<chrono::DateTime<Utc>>,
    pub created_at: chrono::DateTime<Utc>,
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
    pub limit: Option<u64>,
    pub cursor: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct UnreadCount {
    pub unread: u64,
}

#[derive(Serialize, Deserialize, ToSchema, Clone)]
#[serde(deny_unknown_fields)]
pub struct NotificationPreference {
    pub kind: String,
    pub in_app: bool,
    pub email: bool,
}

const SORT: Sort<notification::Entity> = Sort {
    name: "-created_at",
    col: notification::Column::CreatedAt,
    desc: true,
    nullable: false,
    key: |n| Key::Time(n.created_at),
};

fn mine(actor: &Actor) -> sea_orm::Select<notification::Entity> {
    notification::Entity::find().filter(notification::Column::UserId.eq(actor.user_id))
}

/// The caller's notifications, newest first.
#[utoipa::path(tag = "me", params(ListNotificationsQuery), responses((status = 200, body = Page<NotificationResponse>)))]
#[get("/notifications")]
pub async fn list_notifications(
    state: State,
    actor: Actor,
    query: web::Query<ListNotificationsQuery>,
) -> ApiResult<web::Json<Page<NotificationResponse>>> {
    let limit = pagination::limit(query.limit)?;
    let mut select = mine(&actor);
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
    let unread = mine(&actor).filter(notification::Column::ReadAt.is_null()).count(&state.db).await?;
    Ok(web::Json(UnreadCount { unread }))
}

/// Mark one notification read.
#[utoipa::path(tag = "me", params(("id" = Uuid, Path)), responses((status = 204, description = "Read")))]
#[post("/notifications/{id}/read")]
pub async fn mark_read(state: State, actor: Actor, id: web::Path<Uuid>) -> ApiResult<HttpResponse> {
    let n = mine(&actor).filter(notification::Column::Id.eq(*id)).one(&state.db).await?.ok_or(ApiError::NotFound)?;
    if n.read_at.is_none() {
        let mut active = n.into_active_model();
        active.read_at = Set(Some(Utc::now()));
        active.update(&state.db).await?;
    }
    Ok(HttpResponse::NoContent().finish())
}

/// Mark all of the caller's notifications read.
#[utoipa::path(tag = "me", responses((status = 204, description = "All read")))]
#[post("/notifications/read-all")]
pub async fn mark_all_read(state: State, actor: Actor) -> ApiResult<HttpResponse> {
    notification::Entity::update_many()
        .col_expr(notification::Column::ReadAt, Expr::value(Utc::now()))
        .filter(notification::Column::UserId.eq(actor.user_id))
        .filter(notification::Column::ReadAt.is_null())
        .exec(&state.db)
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

async fn preferences(state: &AppState, user: Uuid) -> ApiResult<Vec<NotificationPreference>> {
    let stored = notification_preference::Entity::find()
        .filter(notification_preference::Column::UserId.eq(user))
        .all(&state.db)
        .await?;
    Ok(KINDS
        .iter()
        .map(|k| match stored.iter().find(|p| p.kind == *k) {
            Some(p) => NotificationPreference { kind: p.kind.clone(), in_app: p.in_app, email: p.email },
            None => NotificationPreference { kind: (*k).into(), in_app: true, email: true },
        })
        .collect())
}

/// The caller's notification preferences: each kind, in the app and by e-mail.
#[utoipa::path(tag = "me", responses((status = 200, body = Vec<NotificationPreference>)))]
#[get("/me/notification-preferences")]
pub async fn get_preferences(state: State, actor: Actor) -> ApiResult<web::Json<Vec<NotificationPreference>>> {
    Ok(web::Json(preferences(&state, actor.user_id).await?))
}

/// Change the caller's notification preferences (kinds not listed stay as they are).
#[utoipa::path(tag = "me", request_body = Vec<NotificationPreference>, responses((status = 200, body = Vec<NotificationPreference>)))]
#[put("/me/notification-preferences")]
pub async fn put_preferences(
    state: State,
    actor: Actor,
    body: Body<Vec<NotificationPreference>>,
) -> ApiResult<web::Json<Vec<NotificationPreference>>> {
    let body = body.into_inner();
    if let Some((i, p)) = body.iter().enumerate().find(|(_, p)| !KINDS.contains(&p.kind.as_str())) {
        return Err(ApiError::field(
            &format!("[{i}].kind"),
            format!("`{}` is not one of: {}", p.kind, KINDS.join(", ")),
        ));
    }
    let txn = state.db.begin().await?;
    for p in &body {
        notification_preference::Entity::delete_many()
            .filter(notification_preference::Column::UserId.eq(actor.user_id))
            .filter(notification_preference::Column::Kind.eq(p.kind.as_str()))
            .exec(&txn)
            .await?;
        notification_preference::ActiveModel {
            user_id: Set(actor.user_id),
            kind: Set(p.kind.clone()),
            in_app: Set(p.in_app),
            email: Set(p.email),
        }
        .insert(&txn)
        .await?;
    }
    txn.commit().await?;
    Ok(web::Json(preferences(&state, actor.user_id).await?))
}

pub fn config(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_notifications)
        .service(unread_count)
        .service(mark_read)
        .service(mark_all_read)
        .service(get_preferences)
        .service(put_preferences);
}
