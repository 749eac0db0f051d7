//! Authentication: who is calling. Authorization (what they may see) lives in `policy`.
pub mod actor;
pub mod authz;
pub mod jwt;
pub mod password;
pub mod permissions;
pub mod tokens;

pub use actor::Actor;
pub use permissions::Perm;
