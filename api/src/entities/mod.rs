//! sea-orm models, one module per table. Behaviour lives elsewhere (policy, routes, services);
//! these only describe rows.
pub mod audit_event;
pub mod client;
pub mod client_comment;
pub mod comment;
pub mod contact;
pub mod enums;
pub mod invoice;
pub mod invoice_counter;
pub mod invoice_line;
pub mod payment;
pub mod portal_settings;
pub mod project;
pub mod refresh_token;
pub mod role;
pub mod role_permission;
pub mod task;
pub mod user;
