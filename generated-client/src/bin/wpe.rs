//! `wpe`: the WP Engine API from the command line. Credentials come from the same environment
//! variables as `Client::from_env` (`WPENGINE_API_USERNAME` and `WPENGINE_API_PASSWORD`, or
//! `WPENGINE_API_TOKEN`; `WPENGINE_API_URL` sets the server). `wpe --help` lists the commands.

fn main() -> std::process::ExitCode {
    wpengine_api::cli::main("wpe", "WPENGINE_API")
}
