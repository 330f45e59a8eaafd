//! `mainwp`: the generated tool of `tests/fixtures/seeds/read-write-delete.yaml`, one line as in
//! a generated crate. The seed tests run it with only the variables the README names.

fn main() -> std::process::ExitCode {
    seed_read_write_delete::cli::main("mainwp")
}
