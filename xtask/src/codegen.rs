//! `cargo xtask codegen`: regenerate the checked-in clients, or generate a crate for any
//! document with `--spec PATH --out DIR` (the writing is `openapi-crate-gen`'s, shared with the
//! command-line tool).

use openapi_crate_gen::{conclude_warnings, finish, pending, report_warnings};
pub use openapi_crate_gen::{Failure, SpecJob};
use std::path::Path;

/// Each document the repository generates a client from, where the generated modules go
/// (paths relative to the workspace root), the prefix of its environment variables, and
/// whether its credentials also go where the document does not declare them.
pub const TARGETS: &[Target] = &[
    // WP Engine declares basic auth; `WPENGINE_API_TOKEN`, a bearer token sent in its place,
    // is read as it always was.
    Target::new(WPENGINE_SPEC, "generated-client/src/generated", "WPENGINE_API").fallback(),
    Target::new(
        "tests/fixtures/features.yaml",
        "tests/features-client/src/generated",
        "FEATURES",
    ),
    // The names the seed APIs' own guides use: `WP_ENGINE_API_KEY`, ...
    Target::new(
        "tests/fixtures/seeds/rpc-api-keys.yaml",
        "tests/seed-clients/rpc-api-keys/src/generated",
        "WP_ENGINE",
    ),
    Target::new(
        "tests/fixtures/seeds/bearer-idempotency.yaml",
        "tests/seed-clients/bearer-idempotency/src/generated",
        "WPADMIN",
    ),
    Target::new(
        "tests/fixtures/seeds/read-write-delete.yaml",
        "tests/seed-clients/read-write-delete/src/generated",
        "MAINWP",
    ),
];

/// A checked-in client: its document, where its modules go, and its settings.
#[derive(Debug, Clone, Copy)]
pub struct Target {
    pub spec: &'static str,
    pub out: &'static str,
    pub env_prefix: &'static str,
    pub fallback: bool,
}

impl Target {
    const fn new(spec: &'static str, out: &'static str, env_prefix: &'static str) -> Self {
        Target {
            spec,
            out,
            env_prefix,
            fallback: false,
        }
    }

    const fn fallback(mut self) -> Self {
        self.fallback = true;
        self
    }

    /// The generator's settings for this client.
    pub fn settings(&self) -> openapi_crate_gen_core::ClientSettings {
        openapi_crate_gen_core::ClientSettings {
            env_prefix: Some(self.env_prefix.to_owned()),
            fallback_credentials: self.fallback,
            ..openapi_crate_gen_core::ClientSettings::default()
        }
    }
}

/// The WP Engine document; its client is the published one.
pub const WPENGINE_SPEC: &str = "spec/wpengine-v1.10.0.yaml";

/// Regenerates every checked-in client (see [`TARGETS`]).
pub fn checked_in(root: &Path, check: bool) -> Result<(), String> {
    checked_in_failing(root, check).map_err(|e| e.to_string())
}

fn checked_in_failing(root: &Path, check: bool) -> Result<(), Failure> {
    let mut stale = Vec::new();
    let mut total = 0;
    let mut warnings = 0;
    for target in TARGETS {
        let (spec_rel, out_rel) = (&target.spec, &target.out);
        let spec = root.join(spec_rel);
        let bytes = std::fs::read(&spec).map_err(|e| Failure::Io(format!("{}: cannot read: {e}", spec.display())))?;
        let model =
            openapi_crate_gen_core::Document::read_from(spec_rel, &bytes, &openapi_crate_gen_core::Disk::beside(&spec))
                .map(|d| d.regenerated_by("`cargo xtask codegen`"))
                .and_then(openapi_crate_gen_core::Document::model)
                .and_then(|m| m.with_settings(target.settings()))
                .map_err(|e| Failure::Input(e.to_string()))?;
        warnings += report_warnings(&model, true);
        let files = model.files().map_err(|e| Failure::Input(e.to_string()))?;
        let out_dir = root.join(out_rel);
        total += files.len();
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
