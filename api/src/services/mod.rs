//! Logic that spans resources or deserves tests of its own.
pub mod access;
pub mod billing;
pub mod events;
pub mod jobs;
pub mod lease;
pub mod mail;
pub mod messages;
pub mod notify;
pub mod scheduler;
pub mod throttle;
pub mod webhooks;
