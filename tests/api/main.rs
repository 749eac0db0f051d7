//! Black-box tests: each starts the real server on a random port with a fresh database
//! (SQLite, or PostgreSQL when PORTICO_TEST_DATABASE_URL is set) and talks HTTP to it.
mod access;
mod auth;
mod changes;
mod clients;
mod comments;
mod delivery;
mod demo;
mod errors;
mod faults;
mod files;
mod invoice_documents;
mod invoices;
mod isolation;
mod live;
mod notifications;
mod openapi;
mod operations;
mod portal;
mod projects_and_tasks;
mod scheduler;
mod security;
mod spa;
mod statements;
mod tokens;
mod users_and_roles;
mod webhooks;
