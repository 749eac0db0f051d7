//! Named permissions and the built-in roles. A permission is either client-allowed or
//! staff-only; a client-kind role can never hold a staff-only one.
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::entities::enums::RoleKind;

macro_rules! perms {
    ($($variant:ident = $s:tt, client: $client:tt, $doc:tt;)+) => {
        /// A named permission.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ToSchema)]
        pub enum Perm { $(#[doc = $doc] #[serde(rename = $s)] $variant),+ }

        impl Perm {
            pub const ALL: &'static [Perm] = &[$(Perm::$variant),+];
            pub fn as_str(self) -> &'static str { match self { $(Perm::$variant => $s),+ } }
            /// Its key as a message id (`api_keys.manage` → `api-keys-manage`, the catalogue's
            /// `permission-api-keys-manage`).
            pub fn message_id(self) -> String { self.as_str().replace(['.', '_'], "-") }
            pub fn parse(s: &str) -> Option<Perm> { match s { $($s => Some(Perm::$variant),)+ _ => None } }
            /// Whether a client-kind role may hold this permission.
            pub fn client_allowed(self) -> bool { match self { $(Perm::$variant => $client),+ } }
        }
    };
}

perms! {
    ProjectsRead = "projects.read", client: true, "Read projects (clients: their own account's).";
    TasksRead = "tasks.read", client: true, "Read tasks and their Replies (staff also see Notes).";
    CommentsReply = "comments.reply", client: true, "Post Replies, which clients see.";
    InvoicesRead = "invoices.read", client: true, "Read invoices and payments (clients: sent ones of their account).";
    FilesUpload = "files.upload", client: true, "Upload files and new versions to projects (clients: their own account's).";
    DeliverablesApprove = "deliverables.approve", client: true, "Approve a file put up for review, or ask for changes.";
    TeamManage = "team.manage", client: true, "Client Admins: invite colleagues of their own account, change their client roles (never beyond their own) and deactivate them, while the agency lets the account do so. Staff manage users with `users.manage` instead.";
    ProjectsWrite = "projects.write", client: false, "Create, edit and delete projects.";
    TasksWrite = "tasks.write", client: false, "Create, edit, move and delete tasks.";
    CommentsNote = "comments.note", client: false, "Post and read internal Notes; turn Replies into Notes and back.";
    InvoicesWrite = "invoices.write", client: false, "Create, send, void invoices and record payments.";
    ClientsRead = "clients.read", client: false, "Read client accounts and contacts.";
    ClientsWrite = "clients.write", client: false, "Create and edit client accounts and contacts.";
    UsersManage = "users.manage", client: false, "Manage users and custom roles.";
    SettingsManage = "settings.manage", client: false, "Edit portal settings.";
    Impersonate = "impersonate", client: false, "View the portal as a client user (read-only).";
    AuditRead = "audit.read", client: false, "Read the audit log.";
    ApiKeysManage = "api_keys.manage", client: false, "Create and revoke API keys, each with no more permissions than its maker holds.";
    MetricsRead = "metrics.read", client: false, "Read the portal metrics: adoption, response times, channels and satisfaction.";
}

pub struct BuiltinRole {
    pub key: &'static str,
    pub name: &'static str,
    pub kind: RoleKind,
    pub perms: &'static [Perm],
}

use Perm::*;

const CLIENT_ALL: &[Perm] = &[ProjectsRead, TasksRead, CommentsReply, InvoicesRead, FilesUpload, DeliverablesApprove];

pub const BUILTIN_ROLES: &[BuiltinRole] = &[
    BuiltinRole { key: "admin", name: "Admin", kind: RoleKind::Staff, perms: Perm::ALL },
    BuiltinRole {
        key: "manager",
        name: "Manager",
        kind: RoleKind::Staff,
        perms: &[
            ProjectsRead,
            TasksRead,
            CommentsReply,
            InvoicesRead,
            FilesUpload,
            ProjectsWrite,
            TasksWrite,
            CommentsNote,
            InvoicesWrite,
            ClientsRead,
            ClientsWrite,
            Impersonate,
            MetricsRead,
        ],
    },
    BuiltinRole {
        key: "member",
        name: "Member",
        kind: RoleKind::Staff,
        perms: &[
            ProjectsRead,
            TasksRead,
            CommentsReply,
            FilesUpload,
            CommentsNote,
            ProjectsWrite,
            TasksWrite,
            ClientsRead,
        ],
    },
    BuiltinRole { key: "client", name: "Client", kind: RoleKind::Client, perms: CLIENT_ALL },
    BuiltinRole {
        key: "client_admin",
        name: "Client Admin",
        kind: RoleKind::Client,
        perms: &[ProjectsRead, TasksRead, CommentsReply, InvoicesRead, FilesUpload, DeliverablesApprove, TeamManage],
    },
    BuiltinRole { key: "client_finance", name: "Client Finance", kind: RoleKind::Client, perms: &[InvoicesRead] },
    BuiltinRole {
        key: "client_viewer",
        name: "Client Viewer",
        kind: RoleKind::Client,
        perms: &[ProjectsRead, TasksRead],
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_builtin_client_role_holds_a_staff_only_permission() {
        for role in BUILTIN_ROLES.iter().filter(|r| r.kind == RoleKind::Client) {
            assert!(role.perms.iter().all(|p| p.client_allowed()), "{}", role.key);
        }
    }

    #[test]
    fn every_permission_round_trips_through_its_name() {
        for p in Perm::ALL {
            assert_eq!(Perm::parse(p.as_str()), Some(*p));
        }
    }
}
