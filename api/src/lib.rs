//! Portico: an agency's client portal. This crate is the API server; `main.rs` is the
//! `portico` binary around it.
pub mod auth;
pub mod clock;
pub mod conditional;
pub mod config;
pub mod db;
pub mod demo;
pub mod domain;
pub mod entities;
pub mod error;
pub mod extract;
pub mod headers;
pub mod i18n;
pub mod idempotency;
pub mod metrics;
pub mod openapi;
pub mod pagination;
pub mod policy;
pub mod routes;
pub mod rows;
pub mod services;
pub mod session_cookie;
pub mod startup;
pub mod state;
pub mod tenant;
pub mod timefmt;
pub mod workers;
