//! `cargo xtask codegen`: regenerate the checked-in clients, or generate a crate for any
//! document with `--spec PATH --out DIR` (the writing is `openapi-crate-gen`'s, shared with the
//! command-line tool).

use openapi_crate_gen::{conclude_warnings, finish, pending, report_warnings};
pub use openapi_crate_gen::{Failure, SpecJob};
use std::path::Path;

/// Each document the repository generates a client from, and where the generated modules go
/// (paths relative to the workspace root).
pub const TARGETS: &[(&str, &str)] = &[
    (WPENGINE_SPEC, "generated-client/src/generated"),
    ("tests/fixtures/features.yaml", "tests/features-client/src/generated"),
    (
        "tests/fixtures/seeds/rpc-api-keys.yaml",
        "tests/seed-clients/rpc-api-keys/src/generated",
    ),
    (
        "tests/fixtures/seeds/bearer-idempotency.yaml",
        "tests/seed-clients/bearer-idempotency/src/generated",
    ),
    (
        "tests/fixtures/seeds/read-write-delete.yaml",
        "tests/seed-clients/read-write-delete/src/generated",
    ),
];

/// The WP Engine document; its client is the published one.
pub const WPENGINE_SPEC: &str = "spec/wpengine-v1.10.0.yaml";

/// Where the published client carries its copy of the runtime (the other clients in the
/// repository include the runtime's source from the generator package instead).
const WPENGINE_RUNTIME: &str = "generated-client/src/runtime";

/// Regenerates every checked-in client (see [`TARGETS`]).
pub fn checked_in(root: &Path, check: bool) -> Result<(), String> {
    checked_in_failing(root, check).map_err(|e| e.to_string())
}

fn checked_in_failing(root: &Path, check: bool) -> Result<(), Failure> {
    let mut stale = Vec::new();
    let mut total = 0;
    let mut warnings = 0;
    for (spec_rel, out_rel) in TARGETS {
        let spec = root.join(spec_rel);
        let bytes = std::fs::read(&spec).map_err(|e| Failure::Io(format!("{}: cannot read: {e}", spec.display())))?;
        let model = openapi_crate_gen_core::Document::read(spec_rel, &bytes)
            .map(|d| d.regenerated_by("`cargo xtask codegen`"))
            .and_then(openapi_crate_gen_core::Document::model)
            .map_err(|e| Failure::Input(e.to_string()))?;
        warnings += report_warnings(&model);
        let files = model.files().map_err(|e| Failure::Input(e.to_string()))?;
        let out_dir = root.join(out_rel);
        total += files.len();
        if *spec_rel == WPENGINE_SPEC {
            let runtime = model.runtime_files();
            total += runtime.len();
            let dir = root.join(WPENGINE_RUNTIME);
            stale.extend(
                runtime
                    .into_iter()
                    .filter_map(|f| pending(dir.join(&f.path), f.contents)),
            );
        }
        stale.extend(
            files
                .into_iter()
                .filter_map(|f| pending(out_dir.join(&f.path), f.contents)),
        );
    }
    conclude_warnings(warnings, false)?;
    finish(stale, Vec::new(), total, check)
}

/// Generates a crate (and/or the normalised document) for any document; the error as the
/// command prints it.
pub fn spec(job: &SpecJob) -> Result<(), String> {
    openapi_crate_gen::spec(job).map_err(|e| e.to_string())
}
