//! The library side of the maintenance commands, for the tests that run them.

pub mod codegen;
pub mod corpus;
