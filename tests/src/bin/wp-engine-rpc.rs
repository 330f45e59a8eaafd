//! `wp-engine-rpc`: the generated tool of `tests/fixtures/seeds/rpc-api-keys.yaml`, one line as
//! in a generated crate. The seed tests run it with only the variables the README names.

fn main() -> std::process::ExitCode {
    seed_rpc_api_keys::cli::main("wp-engine-rpc")
}
