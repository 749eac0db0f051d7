//! Logic that spans resources or deserves tests of its own.
pub mod billing;
