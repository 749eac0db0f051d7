//! Staff views that span resources: the people who can be assigned work, and what needs
//! attention today.
use sea_orm::{FromQueryResult, JoinType, QueryOrder, QuerySelect, RelationTrait};

use super::{
    invoices::InvoiceResponse,
    prelude::*,
    tasks::{ListTasksQuery, TaskResponse},
};
use crate::entities::{
    client, comment,
    enums::{InvoiceStatus, RoleKind, UserStatus, Visibility},
    invoice, role, task, user,
};

#[derive(Serialize, ToSchema, FromQueryResult)]
pub struct StaffMember {
    pub id: Uuid,
    pub name: String,
    pub email: String,
}

fn require_staff(actor: &Actor) -> ApiResult<()> {
    if actor.is_client() { Err(ApiError::Forbidden("Only staff can see this.".into())) } else { Ok(()) }
}

/// Active staff, e.g. to pick a task's assignee.
#[utoipa::path(tag = "users", responses((status = 200, body = Vec<StaffMember>)))]
#[get("/staff")]
pub async fn list_staff(state: State, actor: Actor) -> ApiResult<web::Json<Vec<StaffMember>>> {
    require_staff(&actor)?;
    let staff = user::Entity::find()
        .select_only()
        .columns([user::Column::Id, user::Column::Name, user::Column::Email])
        .join(
            JoinType::InnerJoin,
            user::Entity::belongs_to(role::Entity).from(user::Column::RoleId).to(role::Column::Id).into(),
        )
        .filter(role::Column::Kind.eq(RoleKind::Staff))
        .filter(user::Column::Status.eq(UserStatus::Active))
        .order_by_asc(user::Column::Name)
        .into_model::<StaffMember>()
        .all(&state.db)
        .await?;
    Ok(web::Json(staff))
}

#[derive(Serialize, ToSchema, FromQueryResult)]
pub struct RecentReply {
    pub comment_id: Uuid,
    pub task_id: Uuid,
    pub task_title: String,
    pub client_id: Uuid,
    pub client_name: String,
    pub author_name: String,
    pub body: String,
    pub created_at: chrono::DateTime<Utc>,
}

#[derive(Serialize, ToSchema)]
pub struct DashboardResponse {
    /// The latest Replies written by client users.
    pub client_replies: Vec<RecentReply>,
    /// Sent invoices past their due date (needs `invoices.read`).
    pub overdue_invoices: Vec<InvoiceResponse>,
    /// Open tasks due within a week, or already late.
    pub tasks_due: Vec<TaskResponse>,
}

const SECTION: u64 = 10;

/// What needs attention: new client Replies, overdue invoices, tasks due.
#[utoipa::path(tag = "portal", responses((status = 200, body = DashboardResponse)))]
#[get("/dashboard")]
pub async fn get_dashboard(state: State, actor: Actor) -> ApiResult<web::Json<DashboardResponse>> {
    require_staff(&actor)?;
    let today = Utc::now().date_naive();
    // Staff only (checked above), and Replies only: nothing here a Note could reach.
    let client_replies = if actor.has(Perm::TasksRead) {
        comment::Entity::find()
            .select_only()
            .column_as(comment::Column::Id, "comment_id")
            .column(comment::Column::TaskId)
            .column_as(task::Column::Title, "task_title")
            .column(comment::Column::ClientId)
            .column_as(client::Column::Name, "client_name")
            .column_as(user::Column::Name, "author_name")
            .column(comment::Column::Body)
            .column(comment::Column::CreatedAt)
            .join(JoinType::InnerJoin, comment::Relation::Author.def())
            .join(
                JoinType::InnerJoin,
                comment::Entity::belongs_to(task::Entity).from(comment::Column::TaskId).to(task::Column::Id).into(),
            )
            .join(
                JoinType::InnerJoin,
                comment::Entity::belongs_to(client::Entity)
                    .from(comment::Column::ClientId)
                    .to(client::Column::Id)
                    .into(),
            )
            .filter(user::Column::ClientId.is_not_null())
            .filter(comment::Column::Visibility.eq(Visibility::Reply))
            .filter(comment::Column::DeletedAt.is_null())
            .order_by_desc(comment::Column::CreatedAt)
            .limit(SECTION)
            .into_model::<RecentReply>()
            .all(&state.db)
            .await?
    } else {
        Vec::new()
    };
    let overdue_invoices = if actor.has(Perm::InvoicesRead) {
        policy::invoices(&actor)
            .list()?
            .filter(invoice::Column::Status.eq(InvoiceStatus::Sent))
            .filter(invoice::Column::DueDate.lt(today))
            .order_by_asc(invoice::Column::DueDate)
            .limit(SECTION)
            .all(&state.db)
            .await?
            .into_iter()
            .map(|i| InvoiceResponse::new(i, today))
            .collect()
    } else {
        Vec::new()
    };
    let tasks_due = if actor.has(Perm::TasksRead) {
        let query = ListTasksQuery {
            status: None,
            open: Some(true),
            priority: None,
            project_id: None,
            client_id: None,
            assignee_id: None,
            due_before: Some(today + chrono::Duration::days(8)),
            sort: None,
            limit: Some(SECTION),
            cursor: None,
        };
        super::tasks::list_page(&state.db, policy::tasks(&actor).list()?, &query, "due_date").await?.items
    } else {
        Vec::new()
    };
    Ok(web::Json(DashboardResponse { client_replies, overdue_invoices, tasks_due }))
}

pub fn config(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_staff).service(get_dashboard);
}
