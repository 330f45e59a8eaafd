//! The library side of the maintenance commands, for the tests that run them.

pub mod codegen;
pub mod corpus;

/// The cargo that runs this command (`CARGO`, set by `cargo run`), or `cargo` from `PATH`.
pub fn cargo() -> String {
    std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned())
}
