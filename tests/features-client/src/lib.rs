//! The client generated from `tests/fixtures/features.yaml`. Only this file is hand-written; it runs
//! on the runtime crate, as `wpengine-api` does.

#[rustfmt::skip]
mod generated;
pub use openapi_crate_gen_runtime as runtime;

pub use generated::*;
