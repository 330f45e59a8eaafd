//! Generates one corpus document in a process of its own, for `tests/tests/corpus.rs`: a
//! generator that crashes takes this process down, not the test (see `xtask::corpus::Generator`).

fn main() -> std::process::ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    xtask::corpus::generate_child(&args)
}
