//! THE tenant scope. This is the only module that knows a client sees only its own account's
//! rows and never a Note; every read of tenant data starts from a scope built here.
//!
//! Rules (DESIGN.md, "The isolation invariant"):
//! - a client's select is filtered to its `client_id`, so another account's row is simply not
//!   found: 404, exactly like a missing one, whatever the caller's permissions;
//! - only once a row is known to be the caller's own does a missing permission answer 403;
//! - comments come from the `client_comments` view (Replies only) for anyone who may not read
//!   Notes, so a Note cannot reach a client through a forgotten filter.
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, Iterable, PrimaryKeyToColumn, QueryFilter, QuerySelect,
    QueryTrait, Select,
};
use uuid::Uuid;

use crate::{
    auth::{Actor, Perm},
    entities::{
        client, client_comment, comment, contact,
        enums::{InvoiceStatus, UserStatus},
        event, file, invoice, project, task, user,
    },
    error::{ApiError, ApiResult},
};

/// Restricts `col` (a `client_id` column) to the actor's account when the actor is a client.
fn tenant<C: ColumnTrait>(actor: &Actor, col: C) -> Condition {
    match (actor.is_client(), actor.client_id) {
        (false, _) => Condition::all(),
        (true, Some(id)) => Condition::all().add(col.eq(id)),
        // A client user without an account sees nothing rather than everything.
        (true, None) => Condition::all().add(col.is_null()).add(col.is_not_null()),
    }
}

/// Rows of `E` the actor may know exist, and the permission needed to read them.
pub struct Scope<'a, E: EntityTrait> {
    actor: &'a Actor,
    select: Select<E>,
    read: Perm,
}

impl<'a, E: EntityTrait> Scope<'a, E> {
    fn new(actor: &'a Actor, select: Select<E>, read: Perm) -> Self {
        Self { actor, select, read }
    }

    /// For lists: the role must hold the read permission (403 otherwise).
    pub fn list(self) -> ApiResult<Select<E>> {
        self.actor.require(self.read)?;
        Ok(self.select)
    }

    /// One row by id: 404 when missing or another account's; then 403 without the read permission.
    pub async fn get(self, db: &impl ConnectionTrait, id: Uuid) -> ApiResult<E::Model> {
        let model = find(db, self.select, id).await?;
        self.actor.require(self.read)?;
        Ok(model)
    }

    /// One row through a query of the caller's own (joins, projections) on the scoped select:
    /// 404 when it finds nothing; then 403 without the read permission.
    pub async fn one_with<T>(self, query: impl AsyncFnOnce(Select<E>) -> ApiResult<Option<T>>) -> ApiResult<T> {
        let found = query(self.select).await?.ok_or(ApiError::NotFound)?;
        self.actor.require(self.read)?;
        Ok(found)
    }

    /// One row the caller wants to change: as `get`, and 403 without `write`.
    pub async fn get_for(self, db: &impl ConnectionTrait, id: Uuid, write: Perm) -> ApiResult<E::Model> {
        let actor = self.actor;
        let model = self.get(db, id).await?;
        actor.require(write)?;
        Ok(model)
    }
}

async fn find<E: EntityTrait>(db: &impl ConnectionTrait, select: Select<E>, id: Uuid) -> ApiResult<E::Model> {
    let pk = E::PrimaryKey::iter().next().expect("entity has a primary key");
    select.filter(pk.into_column().eq(id)).one(db).await?.ok_or(ApiError::NotFound)
}

pub fn clients(actor: &Actor) -> Scope<'_, client::Entity> {
    Scope::new(actor, client::Entity::find().filter(tenant(actor, client::Column::Id)), Perm::ClientsRead)
}

/// Client accounts as billing sees them: a client user their own (with `invoices.read`), staff
/// with it every one.
pub fn billing_accounts(actor: &Actor) -> Scope<'_, client::Entity> {
    Scope::new(actor, client::Entity::find().filter(tenant(actor, client::Column::Id)), Perm::InvoicesRead)
}

pub fn contacts(actor: &Actor) -> Scope<'_, contact::Entity> {
    Scope::new(actor, contact::Entity::find().filter(tenant(actor, contact::Column::ClientId)), Perm::ClientsRead)
}

/// People: an API key's hidden user (`service`) is nobody's to list, change or find (404).
fn people() -> Select<user::Entity> {
    user::Entity::find().filter(user::Column::Status.ne(UserStatus::Service))
}

pub fn users(actor: &Actor) -> Scope<'_, user::Entity> {
    Scope::new(actor, people().filter(tenant(actor, user::Column::ClientId)), Perm::UsersManage)
}

/// Only the caller's own account, for a client; nothing at all for staff (who have no team).
fn own_account<C: ColumnTrait>(actor: &Actor, col: C) -> Condition {
    match (actor.is_client(), actor.client_id) {
        (true, Some(id)) => Condition::all().add(col.eq(id)),
        _ => Condition::all().add(col.is_null()).add(col.is_not_null()),
    }
}

/// A client account's people as its Client Admins see them (`team.manage`).
pub fn team(actor: &Actor) -> Scope<'_, user::Entity> {
    Scope::new(actor, people().filter(own_account(actor, user::Column::ClientId)), Perm::TeamManage)
}

/// A client account's contacts as its Client Admins see them (`team.manage`).
pub fn team_contacts(actor: &Actor) -> Scope<'_, contact::Entity> {
    Scope::new(actor, contact::Entity::find().filter(own_account(actor, contact::Column::ClientId)), Perm::TeamManage)
}

pub fn projects(actor: &Actor) -> Scope<'_, project::Entity> {
    Scope::new(actor, project::Entity::find().filter(tenant(actor, project::Column::ClientId)), Perm::ProjectsRead)
}

pub fn tasks(actor: &Actor) -> Scope<'_, task::Entity> {
    Scope::new(actor, task::Entity::find().filter(tenant(actor, task::Column::ClientId)), Perm::TasksRead)
}

/// Invoices; a client never sees one that was not sent to them (drafts, or voided unsent).
pub fn invoices(actor: &Actor) -> Scope<'_, invoice::Entity> {
    let mut select = invoice::Entity::find().filter(tenant(actor, invoice::Column::ClientId));
    if actor.is_client() {
        select = select
            .filter(invoice::Column::Status.ne(InvoiceStatus::Draft))
            .filter(invoice::Column::SentAt.is_not_null());
    }
    Scope::new(actor, select, Perm::InvoicesRead)
}

/// Files (and, through them, their versions and reviews). A file attached to a comment is
/// seen exactly where its comment is: for anyone who may not read Notes, only those of the
/// Files area and of Replies the client sees (the same Replies-only view as `comments`), so a
/// Note's attachment is as invisible as the Note.
pub fn files(actor: &Actor) -> Scope<'_, file::Entity> {
    let mut select = file::Entity::find().filter(tenant(actor, file::Column::ClientId));
    if actor.is_client() || !actor.has(Perm::CommentsNote) {
        let replies = client_comment::Entity::find().select_only().column(client_comment::Column::Id).into_query();
        select = select.filter(
            Condition::any().add(file::Column::CommentId.is_null()).add(file::Column::CommentId.in_subquery(replies)),
        );
    }
    Scope::new(actor, select, Perm::ProjectsRead)
}

/// Files of the projects' Files areas only: what versions, reviews, decisions and deletion act
/// on. A comment's attachment is part of its comment (a Note's is a Note) and is not found here,
/// by staff either, so nothing about it is ever changed or announced on its own.
pub fn area_files(actor: &Actor) -> Scope<'_, file::Entity> {
    let Scope { actor, select, read } = files(actor);
    Scope::new(actor, select.filter(file::Column::CommentId.is_null()), read)
}

/// Which comments an actor may know exist. Reading them needs `tasks.read` (checked by the
/// caller once the comment or its task is found).
pub enum Comments {
    /// Staff who may read Notes: the whole table, less deleted comments.
    All(Select<comment::Entity>),
    /// Everyone else, clients above all: the Replies-only view, within their tenant.
    RepliesOnly(Select<client_comment::Entity>),
}

pub fn comments(actor: &Actor) -> Comments {
    if !actor.is_client() && actor.has(Perm::CommentsNote) {
        Comments::All(comment::Entity::find().filter(comment::Column::DeletedAt.is_null()))
    } else {
        Comments::RepliesOnly(client_comment::Entity::find().filter(tenant(actor, client_comment::Column::ClientId)))
    }
}

/// Whether `actor` may receive a live event: a client only their own account's, nobody but
/// staff who read Notes a Note event, nobody but staff a staff event, and only with the permission to read the resource.
/// Used for the live fan-out and for replays alike.
pub fn may_receive(actor: &Actor, ev: &event::Model) -> bool {
    if actor.is_client() && (ev.client_id.is_none() || ev.client_id != actor.client_id) {
        return false;
    }
    match ev.audience.as_str() {
        event::AUDIENCE_ALL => {}
        event::AUDIENCE_STAFF if !actor.is_client() => {}
        _ if !actor.is_client() && actor.has(Perm::CommentsNote) && ev.audience == event::AUDIENCE_STAFF_NOTES => {}
        _ => return false,
    }
    let needed = match ev.kind.split('.').next() {
        // Personal: only ever to its recipient.
        Some("notification") => return ev.resource_id == actor.user_id,
        Some("task") | Some("comment") | Some("note") => Perm::TasksRead,
        Some("project") | Some("file") | Some("review") => Perm::ProjectsRead,
        Some("invoice") => Perm::InvoicesRead,
        _ => return !actor.is_client(),
    };
    actor.has(needed)
}

/// Events a reconnecting stream may replay, narrowed in SQL to the actor's tenant; each row
/// still goes through `may_receive`.
pub fn events(actor: &Actor) -> Select<event::Entity> {
    let select = event::Entity::find().filter(tenant(actor, event::Column::ClientId));
    if actor.is_client() { select.filter(event::Column::Audience.eq(event::AUDIENCE_ALL)) } else { select }
}
