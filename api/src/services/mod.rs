//! Infrastructure the domain builds on, knowing nothing of the domain itself: the event log
//! and its bus, the e-mail outbox and its transport, webhook fan-out and delivery, durable
//! jobs and leases, object storage, throttling, single-use tokens, invoice arithmetic, message layouts.
pub mod access;
pub mod billing;
pub mod events;
pub mod idempotency;
pub mod jobs;
pub mod lease;
pub mod mail;
pub mod mailbox;
pub mod messages;
pub mod pdf;
pub mod storage;
pub mod stripe;
pub mod targets;
pub mod throttle;
pub mod webhooks;
