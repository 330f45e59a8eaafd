//! Generating a client from a `build.rs`: the document lives in the crate's own tree, the client
//! is written to `OUT_DIR` at build time, and the crate includes it as a module.
//!
//! ```no_run
//! // build.rs
//! fn main() {
//!     openapi_crate_gen::build_script::generate("petstore.yaml");
//! }
//! ```
//!
//! ```ignore
//! // src/lib.rs (or main.rs): declares `pub mod petstore`, named after the document.
//! include!(concat!(env!("OUT_DIR"), "/petstore.rs"));
//!
//! async fn names(client: &petstore::Client) -> Result<Vec<String>, petstore::Error> { .. }
//! ```
//!
//! By default the module holds the generated code and its own copy of the runtime (the same
//! tree a generated crate has under its `lib.rs`), so the crate depends on no crate of this
//! project at run time; it needs the runtime's dependencies (`reqwest`, `serde`, ...: the
//! README lists them) in its `[dependencies]`. With [`Generate::runtime_crate`] the module
//! uses the runtime crate instead, and `openapi-crate-gen-runtime` is the one dependency.

// The example is a whole build script, so it has a `main`.
#![allow(clippy::needless_doctest_main)]

use crate::Failure;
use std::path::{Path, PathBuf};

/// A client to generate from a build script: the document, and the module it becomes.
#[derive(Debug, Clone)]
pub struct Generate {
    spec: PathBuf,
    module: Option<String>,
    deny_warnings: bool,
    client: openapi_crate_gen_core::ClientSettings,
    runtime: openapi_crate_gen_core::RuntimeSource,
    selection: openapi_crate_gen_core::Selection,
}

/// Generates the client for `spec` (a path relative to the crate's root, where `build.rs`
/// runs) as the module named after the document's file name, and stops the build with the
/// error (file, JSON pointer, what was wrong) when the document cannot be used. For other
/// module names or warnings as errors, use [`Generate`].
pub fn generate(spec: impl Into<PathBuf>) {
    if let Err(e) = Generate::new(spec).run() {
        eprintln!("{e}");
        std::process::exit(1);
    }
}

impl Generate {
    /// The client for the document at `spec` (JSON or YAML; Swagger 2.0, OpenAPI 3.0 or 3.1).
    pub fn new(spec: impl Into<PathBuf>) -> Self {
        Generate {
            spec: spec.into(),
            module: None,
            deny_warnings: false,
            client: openapi_crate_gen_core::ClientSettings::default(),
            runtime: openapi_crate_gen_core::RuntimeSource::DEFAULT,
            selection: openapi_crate_gen_core::Selection::default(),
        }
    }

    /// Generates only the operations with one of these tags (globs: `*` any run of characters,
    /// `?` one; a tag as the document writes it or as its cargo feature, `pull-requests`), and
    /// the types they reach. A pattern that matches no tag fails the build, naming the tags
    /// the document has.
    #[must_use]
    pub fn tags<S: Into<String>>(mut self, patterns: impl IntoIterator<Item = S>) -> Self {
        self.selection.tags.extend(patterns.into_iter().map(Into::into));
        self
    }

    /// Leaves out the operations with one of these tags (globs), and the types only they reach.
    #[must_use]
    pub fn exclude_tags<S: Into<String>>(mut self, patterns: impl IntoIterator<Item = S>) -> Self {
        self.selection.exclude_tags.extend(patterns.into_iter().map(Into::into));
        self
    }

    /// Generates only the operations whose `operationId` (`repos/get`) or method name
    /// (`repos_get`) matches one of these globs; with [`Generate::tags`], those of either.
    #[must_use]
    pub fn operations<S: Into<String>>(mut self, patterns: impl IntoIterator<Item = S>) -> Self {
        self.selection.operations.extend(patterns.into_iter().map(Into::into));
        self
    }

    /// Leaves out the operations whose `operationId` or method name matches one of these globs.
    #[must_use]
    pub fn exclude_operations<S: Into<String>>(mut self, patterns: impl IntoIterator<Item = S>) -> Self {
        self.selection
            .exclude_operations
            .extend(patterns.into_iter().map(Into::into));
        self
    }

    /// Leaves out the command-line tool (the `cli` module), which is otherwise generated
    /// behind the including crate's `cli` feature.
    #[must_use]
    pub fn without_tool(mut self) -> Self {
        self.client.without_tool = true;
        self
    }

    /// Leaves out the typed mocks (the `mocks` module), which are otherwise generated behind
    /// the including crate's `mock` feature.
    #[must_use]
    pub fn without_mocks(mut self) -> Self {
        self.client.without_mocks = true;
        self
    }

    /// Uses the runtime crate, which the including crate lists among its dependencies as
    /// `openapi-crate-gen-runtime` (the default copies the runtime's source into the module,
    /// and the including crate lists the runtime's own dependencies instead).
    #[must_use]
    pub fn runtime_crate(mut self) -> Self {
        self.runtime = openapi_crate_gen_core::RuntimeSource::Registry;
        self
    }

    /// The prefix of the environment variables the client reads (`Client::from_env`): by
    /// default the module's name in upper case (`petstore` reads `PETSTORE_TOKEN`).
    #[must_use]
    pub fn env_prefix(mut self, prefix: impl Into<String>) -> Self {
        self.client.env_prefix = Some(prefix.into());
        self
    }

    /// Uses the Rust type at `path` (`my_crate::Money`) for the schema `schema` (its name in the
    /// document or in Rust) instead of generating one; `types::Schema` is an alias of it.
    #[must_use]
    pub fn replace(mut self, schema: impl Into<String>, path: impl Into<String>) -> Self {
        self.client.replacements.push((schema.into(), path.into()));
        self
    }

    /// Adds derives (`["Eq", "Hash"]`) to the type generated for `schema`.
    #[must_use]
    pub fn derive(mut self, schema: impl Into<String>, derives: &[&str]) -> Self {
        let derives = derives.iter().map(|d| (*d).to_owned()).collect();
        self.client.derives.push((schema.into(), derives));
        self
    }

    /// Lets the document's `x-rust-type` put types of `krate` in place of schemas (the
    /// including crate must depend on it); `chrono`, `uuid`, `serde_json` and `bytes` always may.
    #[must_use]
    pub fn rust_type_crate(mut self, krate: impl Into<String>) -> Self {
        self.client.rust_type_crates.push(krate.into());
        self
    }

    /// The module's name (by default the document's file stem in snake case: `pet-store.yaml`
    /// gives `pet_store`); the file in `OUT_DIR` is `{name}.rs`.
    #[must_use]
    pub fn module_name(mut self, name: impl Into<String>) -> Self {
        self.module = Some(name.into());
        self
    }

    /// Fails the build when the generator warns of a lossy or surprising choice (by default the
    /// warnings are shown by cargo and the build goes on).
    #[must_use]
    pub fn deny_warnings(mut self, deny: bool) -> Self {
        self.deny_warnings = deny;
        self
    }

    /// Generates the module into `OUT_DIR` (rewriting the file only when it changes) and tells
    /// cargo to run the build script again when the document, or a file it refers to,
    /// changes; returns the file's path.
    ///
    /// # Errors
    /// When `OUT_DIR` is not set (not run by cargo as a build script), the document cannot be
    /// read or used, the module name is not an identifier, a warning is denied, or the file
    /// cannot be written.
    pub fn run(&self) -> Result<PathBuf, Failure> {
        let out_dir = std::env::var_os("OUT_DIR")
            .map(PathBuf::from)
            .ok_or_else(|| Failure::Usage("OUT_DIR is not set: run this from a build script".to_owned()))?;
        println!("cargo:rerun-if-changed={}", self.spec.display());
        self.generate_into(&out_dir, true)
    }

    /// As [`Generate::run`], into `dir` instead of `OUT_DIR` and without the cargo directive.
    ///
    /// # Errors
    /// As [`Generate::run`].
    pub fn write_to(&self, dir: &Path) -> Result<PathBuf, Failure> {
        self.generate_into(dir, false)
    }

    /// Generates the module into `dir`; with `rerun`, tells cargo to run the build script
    /// again when a file the document refers to changes.
    fn generate_into(&self, dir: &Path, rerun: bool) -> Result<PathBuf, Failure> {
        let bytes =
            std::fs::read(&self.spec).map_err(|e| Failure::Io(format!("{}: cannot read: {e}", self.spec.display())))?;
        let file_name = self.spec.to_string_lossy();
        let files = openapi_crate_gen_core::Disk::beside(&self.spec);
        let document = openapi_crate_gen_core::Document::read_from(&file_name, &bytes, &files)
            .map_err(|e| Failure::Input(e.to_string()))?;
        if rerun {
            for file in document.referenced_files() {
                println!("cargo:rerun-if-changed={}", files.path_of(&file.path).display());
            }
        }
        let document = document
            .regenerated_by("the crate's build script runs at each build")
            .select(self.selection.clone());
        let model = Ok(document)
            .and_then(openapi_crate_gen_core::Document::model)
            .and_then(|m| m.with_settings(self.client.clone()))
            .map_err(|e| Failure::Input(e.to_string()))?;
        // Cargo shows these lines to whoever builds the crate: grouped by kind, so a large
        // document's do not flood the build.
        for line in model.warning_report(false) {
            println!("cargo:warning={line}");
        }
        if self.deny_warnings && !model.warnings().is_empty() {
            return Err(Failure::Input(format!(
                "{}: {} warning(s) denied",
                model.file_name(),
                model.warnings().len()
            )));
        }
        let module = self
            .module
            .clone()
            .unwrap_or_else(|| openapi_crate_gen_core::module_name_from(&file_name));
        let file = model
            .single_file(&module, &self.runtime)
            .map_err(|e| Failure::Input(e.to_string()))?;
        let path = dir.join(&file.path);
        // Written only when it changes, so cargo does not rebuild the crate for nothing.
        if let Some(changed) = crate::pending(path.clone(), file.contents) {
            changed.write()?;
        }
        Ok(path)
    }
}
