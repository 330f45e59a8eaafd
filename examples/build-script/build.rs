//! Generates the Notes API client into `OUT_DIR` at every build where `notes.yaml` changed.

fn main() {
    openapi_crate_gen::build_script::generate("notes.yaml");
}
