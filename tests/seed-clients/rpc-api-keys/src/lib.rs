//! The client generated from `tests/fixtures/seeds/rpc-api-keys.yaml`. Only this file is hand-written;
//! the runtime is the one `wpengine-api` uses, included from its single source.

#[rustfmt::skip]
mod generated;
#[path = "../../../../generator/runtime/mod.rs"]
pub mod runtime;

pub use generated::*;
