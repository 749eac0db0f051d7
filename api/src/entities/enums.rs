//! Closed sets of values stored as text. One Rust type per set, shared by the database model and
//! the API schema, so the two cannot drift apart.
use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

macro_rules! text_enum {
    ($(#[$m:meta])* $name:ident { $($variant:ident = $s:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize, ToSchema)]
        #[sea_orm(rs_type = "String", db_type = "Text")]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $(#[sea_orm(string_value = $s)] $variant),+ }

        impl $name {
            pub fn as_str(&self) -> &'static str { match self { $(Self::$variant => $s),+ } }
        }
    };
}

text_enum!(
    /// Whether a client account is current.
    ClientStatus { Active = "active", Inactive = "inactive" });
text_enum!(
    /// Staff or client: which side of the portal a role (and its users) belongs to.
    RoleKind { Staff = "staff", Client = "client" });
text_enum!(
    /// Lifecycle of a user account. `service` is the hidden user a client-scoped API key acts
    /// as: never listed, never notified, never signed in with a password.
    UserStatus { Invited = "invited", Active = "active", Deactivated = "deactivated", Service = "service" });
text_enum!(
    /// A language the portal, its e-mails and its documents are written in.
    Language { En = "en", De = "de", Fr = "fr" });
text_enum!(
    /// Project status.
    ProjectStatus { Planned = "planned", InProgress = "in_progress", OnHold = "on_hold", Completed = "completed" });
text_enum!(
    /// Which side of a conversation: the client's people or the agency's staff.
    Side { Client = "client", Agency = "agency" });
text_enum!(
    /// What a satisfaction survey asks about.
    SurveySubject { Task = "task", Project = "project", Period = "period" });
text_enum!(
    /// How a client's message reached the agency.
    Channel { Portal = "portal", Email = "email" });
text_enum!(
    /// Task status (the board's columns).
    TaskStatus { Todo = "todo", InProgress = "in_progress", Done = "done" });
text_enum!(
    /// Task priority.
    TaskPriority { Low = "low", Medium = "medium", High = "high", Urgent = "urgent" });
text_enum!(
    /// `reply` is visible to the client; `note` is internal and never reaches a client.
    Visibility { Reply = "reply", Note = "note" });
text_enum!(
    /// Stored invoice status. `overdue` is not stored: it is derived (sent and past due).
    InvoiceStatus { Draft = "draft", Sent = "sent", Paid = "paid", Void = "void" });
text_enum!(
/// Where a review of a file version stands. `superseded`: a newer version came before a
/// decision; `cancelled`: staff withdrew the request.
ReviewStatus {
    Pending = "pending",
    Approved = "approved",
    ChangesRequested = "changes_requested",
    Superseded = "superseded",
    Cancelled = "cancelled",
});
text_enum!(
    /// A client approver's answer to a review.
    Decision { Approved = "approved", ChangesRequested = "changes_requested" });
