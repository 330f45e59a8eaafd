//! `wpadmin`: the generated tool of `tests/fixtures/seeds/bearer-idempotency.yaml`, one line as
//! in a generated crate. The seed tests run it with only the variables the README names.

fn main() -> std::process::ExitCode {
    seed_bearer_idempotency::cli::main("wpadmin")
}
