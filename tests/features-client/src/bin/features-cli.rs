//! The command-line tool generated for `tests/fixtures/features.yaml`, for `tests/cli.rs`.

fn main() -> std::process::ExitCode {
    features_client::cli::main("features-cli")
}
