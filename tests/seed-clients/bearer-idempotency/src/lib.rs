//! The client generated from `tests/fixtures/seeds/bearer-idempotency.yaml`. Only this file is hand-written;
//! it runs on the runtime crate, as `wpengine-api` does.

#[rustfmt::skip]
mod generated;
pub use openapi_crate_gen_runtime as runtime;

pub use generated::*;
