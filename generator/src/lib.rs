//! Turns an OpenAPI document (Swagger 2.0, OpenAPI 3.0 or 3.1, JSON or YAML) into Rust source files
//! for a typed client. No stage does I/O: callers pass bytes in and get file contents back.
//!
//! The pipeline, in the order [`Document::read`], [`Document::model`] and [`Model::files`] run it:
//!
//! 1. `parse`: bytes to a JSON value, and which OpenAPI version it is; `bundle`: the files its
//!    `$ref`s name (read through [`Files`]) made one document with it;
//! 2. `normalize`: Swagger 2.0 upgraded, 3.1 down-converted, deep references hoisted, to the
//!    one OpenAPI 3.0 shape the rest reads;
//! 3. `deserialize`: JSON to [`openapiv3::OpenAPI`], failures located by JSON pointer;
//! 4. [`model`]: plain data, references resolved, names assigned, operations normalised;
//!    `select`: of the operations a [`Selection`] keeps, with the types they reach;
//! 5. `emit`: token streams for the generated modules;
//! 6. `render`: formatted files with the `@generated` header (`pieces` runs 5 and 6 on every
//!    core);
//! 7. `package`: a standalone crate around the modules, on the runtime crate or with a copy of
//!    it (`runtime`).
//!
//! Errors found at any stage name the file and a JSON pointer into the user's document (each
//! normalizing step records where the nodes it moved came from).

#![warn(clippy::too_many_lines)]

mod bundle;
pub mod changelog;
mod deserialize;
mod emit;
mod error;
mod grammar;
pub mod model;
mod names;
mod normalize;
mod package;
mod parse;
mod pieces;
mod pointer;
mod readme;
mod render;
pub mod report;
pub mod runtime;
mod select;
mod single_file;
mod sources;
// The terms the generator and the runtime share, from the runtime's own file.
#[path = "../runtime/vocabulary.rs"]
mod vocabulary;

pub use error::Error;
pub use package::crate_name_from;
pub use parse::SpecVersion;
pub use pointer::Pointer;
pub use render::GeneratedFile;
pub use runtime::{RuntimeSource, RUNTIME_FILES};
pub use select::Selection;
pub use sources::{Disk, Files, NoFiles, SourceFile};

use error::{Located, Origins};

/// A document read and normalized to OpenAPI 3.0: stages 1 to 3.
pub struct Document {
    file_name: String,
    header: render::Header,
    /// The normalized document as JSON, for [`Document::normalized`].
    json: serde_json::Value,
    openapi: openapiv3::OpenAPI,
    /// Where the nodes the normalizing steps made came from.
    origins: Origins,
    /// The lossy choices the normalizing steps made.
    warnings: Vec<model::Warning>,
    /// The other files the document refers to, as read.
    referenced: Vec<SourceFile>,
    /// The operations the model is of.
    selection: Selection,
}

/// How [`Model::crate_files`] lays out a crate, and what its manifest says.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CrateOptions {
    /// The package name; by default one made from the API's title.
    pub name: Option<String>,
    /// The package version; by default `0.1.0`.
    pub version: Option<String>,
    /// The package description; by default "Typed client for" the API's title.
    pub description: Option<String>,
    /// An SPDX license expression (`MIT OR Apache-2.0`); none by default.
    pub license: Option<String>,
    /// The repository's URL; none by default.
    pub repository: Option<String>,
    /// Whether the crate may be published; by default not (`publish = false`).
    pub publish: bool,
    /// Lay the crate out as a member of an enclosing workspace. By default it is a workspace
    /// of its own (an empty `[workspace]` table), so it builds wherever it is put, even inside
    /// another workspace that does not list it.
    pub workspace_member: bool,
    /// Where the crate gets its runtime: by default [`RuntimeSource::DEFAULT`].
    pub runtime: RuntimeSource,
}

/// Choices about the generated client that the document does not make.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ClientSettings {
    /// The prefix of the environment variables the client and its tool read
    /// (`{prefix}_TOKEN`, `{prefix}_API_KEY`, `{prefix}_URL`, ...): `A`-`Z`, digits and `_`. By
    /// default it is made from the crate's name ([`Model::crate_files`]), the module's
    /// ([`Model::single_file`]) or the API's title ([`Model::files`]): `my-api` reads `MY_API_*`.
    pub env_prefix: Option<String>,
    /// Send the bearer token, or else the basic credentials, also to operations whose declared
    /// security the client holds no credential for, and read `{prefix}_TOKEN`, `_USERNAME` and
    /// `_PASSWORD` whatever the document declares: for an API that takes a kind of credential its
    /// description does not declare. Off by default: credentials go only where the document
    /// asks for them.
    pub fallback_credentials: bool,
    /// Security schemes (by their name in the document) whose requests are signed with AWS
    /// Signature Version 4, whatever the document says of them: for an API gateway's document
    /// exported without its `x-amazon-apigateway-authtype`.
    pub sigv4_schemes: Vec<String>,
    /// Schemas replaced by existing Rust types: `(schema, path)`, the schema by its name in the
    /// document or its Rust name, the path to a type (`my_crate::Money`). Generated code uses
    /// the type, and `types::Schema` is an alias of it (progenitor's `with_replacement`).
    pub replacements: Vec<(String, String)>,
    /// Derives added to generated types: `(schema, derives)` (`("Pet", vec!["Eq", "Hash"])`,
    /// progenitor's `with_patch`).
    pub derives: Vec<(String, Vec<String>)>,
    /// Crates whose types the document may put in place of schemas with `x-rust-type`; a
    /// generated crate depends on the version the document names. The crates the runtime
    /// re-exports (`chrono`, `uuid`, `serde_json`, `bytes`) are always allowed, any other
    /// only when listed here, so a document alone cannot add a dependency.
    pub rust_type_crates: Vec<String>,
    /// Leave out the command-line tool (the `cli` module, the crate's binary and its `cli`
    /// feature), which is otherwise generated behind that feature.
    pub without_tool: bool,
    /// Leave out the typed mocks (the `mocks` module and the `mock` feature), which are
    /// otherwise generated behind that feature.
    pub without_mocks: bool,
}

/// A document's model, ready for generation: stage 4, and the way to stages 5 to 7.
pub struct Model {
    file_name: String,
    header: render::Header,
    api: model::Api,
    settings: ClientSettings,
}

impl Document {
    /// Reads a document given as bytes alone. `file_name` names it in errors and in the
    /// `@generated` header. A reference to another file is an error: read a document split
    /// across files with [`Document::read_from`].
    ///
    /// # Errors
    /// When the bytes are not JSON or YAML, not a Swagger 2.0, OpenAPI 3.0 or 3.1 document, or
    /// not a valid one: the error names the file and the JSON pointer of the offending node.
    pub fn read(file_name: &str, bytes: &[u8]) -> Result<Document, Error> {
        Document::read_from(file_name, bytes, &NoFiles)
    }

    /// Reads a document and the files its `$ref`s name (`./schemas.yaml#/Pet`), which `files`
    /// gives by their paths relative to the document's folder ([`Disk::beside`] the document's
    /// path reads them from disk). `file_name` names the document in errors and in the
    /// `@generated` header, which lists every file read with its sha256.
    ///
    /// # Errors
    /// As [`Document::read`], and when a referenced file cannot be read or has no node where a
    /// reference points, or a reference is remote: the error names the file the offending node
    /// is in (beside `file_name`) and its JSON pointer there.
    pub fn read_from(file_name: &str, bytes: &[u8], files: &dyn Files) -> Result<Document, Error> {
        let at = |e: Located| e.in_file(file_name);
        let raw = parse::parse(bytes).map_err(at)?;
        let version = parse::detect(&raw).map_err(at)?;
        let bundled = bundle::bundle(raw, version, &sources::base_name(file_name), files).map_err(at)?;
        let normalize::Normalized {
            doc: mut json,
            origins,
            warnings,
        } = normalize::normalize(bundled.doc, version).map_err(|e| at(bundled.origins.locate(e)))?;
        // The normalizing steps' warnings point into the bundled document.
        let warnings = warnings
            .into_iter()
            .map(|w| bundled.origins.locate(w.into()).into_warning())
            .collect();
        let origins = origins.followed_by(bundled.origins);
        let openapi = deserialize::openapi(&mut json).map_err(|e| at(origins.locate(e)))?;
        let mut header = render::Header::new(file_name, bytes);
        header.add_files(&bundled.files);
        Ok(Document {
            file_name: file_name.to_owned(),
            header,
            json,
            openapi,
            origins,
            warnings,
            referenced: bundled.files,
            selection: Selection::default(),
        })
    }

    /// The document's model will be of the operations `selection` keeps, and of the types they
    /// reach; the `@generated` header records the selection. Names stay those the whole
    /// document gives, so code written against the selected client compiles against the whole.
    #[must_use]
    pub fn select(mut self, selection: Selection) -> Self {
        self.header.set_selection(selection.describe());
        self.selection = selection;
        self
    }

    /// The other files the document refers to, as they were read: for a build script to
    /// rerun when one changes.
    #[must_use]
    pub fn referenced_files(&self) -> &[SourceFile] {
        &self.referenced
    }

    /// The command the `@generated` header of every file tells readers to run to regenerate
    /// them (by default it says to run the generator on the document again).
    #[must_use]
    pub fn regenerated_by(mut self, command: &str) -> Self {
        self.header.set_command(command);
        self
    }

    /// The OpenAPI 3.0 document the generator works from (after upgrading 2.0 or
    /// down-converting 3.1, and hoisting deep references into `components`), as pretty JSON.
    #[must_use]
    pub fn normalized(&self) -> String {
        // A JSON value always serializes.
        serde_json::to_string_pretty(&self.json).unwrap_or_default()
    }

    /// Builds the model: references resolved, names assigned, operations normalised. The
    /// document's JSON is let go first, so a large document is not held twice while the rest
    /// of the pipeline runs; take [`Document::normalized`] before, if it is wanted.
    ///
    /// # Errors
    /// When a reference does not resolve or a construct cannot be modelled (a schema that
    /// includes itself, say), with the JSON pointer in the user's document.
    pub fn model(self) -> Result<Model, Error> {
        let Document {
            file_name,
            header,
            json,
            openapi,
            origins,
            warnings,
            referenced: _,
            selection,
        } = self;
        let hooks = model::webhook_sources(&json);
        drop(json);
        let (mut api, left_out) =
            model::build(&openapi, &hooks, &selection).map_err(|e| origins.locate(e).in_file(&file_name))?;
        // Types of the crates the runtime re-exports, where `x-rust-type` names them.
        model::apply_choices(&mut api, &model::Choices::NONE).map_err(|e| e.in_file(&file_name))?;
        // Warnings point into the user's document too; the normalizing steps' (which already
        // do) come first.
        for warning in &mut api.warnings {
            *warning = origins.locate(warning.clone().into()).into_warning();
        }
        api.warnings.splice(0..0, warnings);
        // Those at what a selection left out are not the client's.
        let left_out: Vec<Located> = left_out
            .into_iter()
            .map(|node| origins.locate(Located::new(node, String::new())))
            .collect();
        api.warnings.retain(|w| {
            !left_out
                .iter()
                .any(|l| l.file == w.file && w.pointer.is_within(&l.pointer))
        });
        // A node reached by two routes (a schema inlined twice) is warned of once.
        let mut seen = std::collections::HashSet::new();
        api.warnings
            .retain(|w| seen.insert((w.file.clone(), w.pointer.clone(), w.message.clone())));
        Ok(Model {
            file_name,
            header,
            api,
            settings: ClientSettings::default(),
        })
    }
}

impl Model {
    /// The model with `settings` for the client it generates.
    ///
    /// # Errors
    /// When the environment prefix is not one (see [`ClientSettings::env_prefix`]).
    pub fn with_settings(mut self, settings: ClientSettings) -> Result<Self, Error> {
        if let Some(prefix) = settings.env_prefix.as_deref().filter(|p| !model::valid_env_prefix(p)) {
            return Err(Located::new(
                Pointer::root(),
                format!(
                    "`{prefix}` cannot start environment variable names: use A-Z, digits and _ (`{}`, say)",
                    model::env_prefix_from(prefix)
                ),
            )
            .in_file(&self.file_name));
        }
        for name in &settings.sigv4_schemes {
            let declared: Vec<String> = self.api.security_schemes.iter().map(|s| s.name.clone()).collect();
            let scheme = self.api.security_schemes.iter_mut().find(|s| &s.name == name);
            let Some(scheme) = scheme else {
                return Err(Located::new(
                    Pointer::at(&["components", "securitySchemes"]),
                    format!(
                        "no security scheme `{name}` to sign with SigV4; the document declares {}",
                        if declared.is_empty() {
                            "none".to_owned()
                        } else {
                            declared.join(", ")
                        }
                    ),
                )
                .in_file(&self.file_name));
            };
            scheme.kind = model::SchemeKind::SigV4;
        }
        let choices = model::Choices {
            replacements: &settings.replacements,
            derives: &settings.derives,
            rust_type_crates: &settings.rust_type_crates,
        };
        model::apply_choices(&mut self.api, &choices).map_err(|e| e.in_file(&self.file_name))?;
        self.header.set_left_out(settings.without_tool, settings.without_mocks);
        self.settings = settings;
        Ok(self)
    }

    /// The settings the emitters read, the environment prefix made from `name` unless chosen.
    fn emit_settings(&self, name: &str) -> emit::Settings {
        emit::Settings {
            env_prefix: self
                .settings
                .env_prefix
                .clone()
                .unwrap_or_else(|| model::env_prefix_from(name)),
            fallback: self.settings.fallback_credentials,
            tool: !self.settings.without_tool,
            mocks: !self.settings.without_mocks,
        }
    }

    /// The environment variables the generated client reads, with the prefix it would have
    /// in a crate named `crate_name` (unless one was chosen): for docs and tools.
    #[must_use]
    pub fn environment_variables(&self, crate_name: &str) -> Vec<model::EnvVar> {
        let settings = self.emit_settings(crate_name);
        model::variables(&self.api, &settings.env_prefix, settings.fallback)
    }

    /// The model, for callers that inspect it.
    #[must_use]
    pub fn api(&self) -> &model::Api {
        &self.api
    }

    /// The model, for callers that keep it (to compare two, say).
    #[must_use]
    pub fn into_api(self) -> model::Api {
        self.api
    }

    /// Every lossy or surprising choice the generator made for this document (a type it did
    /// not know, a method name it had to change, a pattern it cannot check, ...), each with
    /// the JSON pointer of the node in the document.
    #[must_use]
    pub fn warnings(&self) -> &[model::Warning] {
        &self.api.warnings
    }

    /// The warnings as people read them ([`report::lines`]): grouped by kind with a count and
    /// the first few places, or every place when `all`.
    #[must_use]
    pub fn warning_report(&self, all: bool) -> Vec<String> {
        report::lines(&self.api.warnings, all, &|w| self.file_of(w))
    }

    /// The file a warning's node is in, as a path beside the document (the document's own
    /// name when the node is in it), for messages.
    #[must_use]
    pub fn file_of(&self, warning: &model::Warning) -> String {
        sources::file_of(&self.file_name, warning.file.as_deref())
    }

    /// The file name the document was read as, for messages.
    #[must_use]
    pub fn file_name(&self) -> &str {
        &self.file_name
    }

    /// The generated modules (`mod.rs`, `types.rs`, `builders.rs`), paths relative to the folder
    /// they go in.
    ///
    /// # Errors
    /// Only on an internal failure (generated code that does not parse), reported as such.
    pub fn files(&self) -> Result<Vec<GeneratedFile>, Error> {
        self.files_named(&crate_name_from(&self.api.title))
    }

    /// [`Model::files`] for a crate or module called `name`, which names the environment
    /// variables unless the settings do.
    fn files_named(&self, name: &str) -> Result<Vec<GeneratedFile>, Error> {
        pieces::modules(&self.api, &self.emit_settings(name), &self.header).map_err(|e| e.in_file(&self.file_name))
    }

    /// A copy of the runtime as the generated modules expect it beside them (a module named
    /// `runtime`, the sibling of theirs), for a crate that does not depend on the runtime
    /// crate; each file with the `@generated` header, paths relative to the runtime's folder.
    #[must_use]
    pub fn runtime_files(&self) -> Vec<GeneratedFile> {
        package::runtime_files(&self.header.message())
    }

    /// The whole client as one Rust file, for a `build.rs` to write to `OUT_DIR` and a crate to
    /// `include!`: the module `pub mod {module_name} { .. }` holding the generated modules and the
    /// runtime (a copy of it, or the runtime crate under the name `runtime`), laid out as a
    /// generated crate lays them out under its `lib.rs`. The including crate needs the
    /// dependencies a generated crate's `Cargo.toml` lists for the same `runtime`.
    ///
    /// # Errors
    /// When `module_name` is not a plain Rust identifier (see [`module_name_from`]), and as
    /// [`Model::files`].
    pub fn single_file(&self, module_name: &str, runtime: &RuntimeSource) -> Result<GeneratedFile, Error> {
        if names::snake(module_name) != module_name {
            return Err(Located::new(
                Pointer::root(),
                format!(
                    "module name `{module_name}` is not a snake_case Rust identifier (`{}` is)",
                    names::snake(module_name)
                ),
            )
            .in_file(&self.file_name));
        }
        let header = self.header.text();
        Ok(GeneratedFile {
            path: format!("{module_name}.rs"),
            contents: single_file::single_file(
                &header,
                module_name,
                &self.api.title,
                &self.files_named(module_name)?,
                (*runtime == RuntimeSource::Vendored)
                    .then(|| self.runtime_files())
                    .as_deref(),
            ),
        })
    }

    /// A standalone crate: `Cargo.toml`, `src/lib.rs`, the generated modules under
    /// `src/generated/` and, for a vendored runtime, its copy under `src/runtime/` (paths
    /// relative to the crate root), every file with the `@generated` header.
    ///
    /// # Errors
    /// When the crate name is not a valid one, and as [`Model::files`].
    pub fn crate_files(&self, options: &CrateOptions) -> Result<Vec<GeneratedFile>, Error> {
        let name = match &options.name {
            Some(name) => {
                package::check_crate_name(name)
                    .map_err(|e| Located::new(Pointer::root(), e).in_file(&self.file_name))?;
                name.clone()
            }
            None => crate_name_from(&self.api.title),
        };
        let package = package::Package {
            name: &name,
            version: options.version.as_deref().unwrap_or("0.1.0"),
            description: options
                .description
                .clone()
                .unwrap_or_else(|| format!("Typed client for {}", self.api.title)),
            license: options.license.as_deref(),
            repository: options.repository.as_deref(),
            publish: options.publish,
            own_workspace: !options.workspace_member,
            runtime: &options.runtime,
        };
        let settings = self.emit_settings(&name);
        Ok(package::files(
            &package,
            &self.header.message(),
            &self.api,
            &settings,
            self.files_named(&name)?,
        ))
    }
}

/// A module name made from a document's file name: its stem in snake case (`pet-store.yaml`
/// gives `pet_store`), a Rust keyword given a trailing `_`.
#[must_use]
pub fn module_name_from(file_name: &str) -> String {
    names::snake(&sources::stem(file_name))
}

/// Generates the client's modules from one document: [`Document::read`], [`Document::model`],
/// [`Model::files`].
///
/// # Errors
/// As [`Document::read`] and the later stages it runs.
pub fn generate(file_name: &str, bytes: &[u8]) -> Result<Vec<GeneratedFile>, Error> {
    Document::read(file_name, bytes)?.model()?.files()
}

/// Generates a standalone crate from one document (see [`Model::crate_files`]).
///
/// # Errors
/// As [`Document::read`] and the later stages it runs.
pub fn generate_crate(file_name: &str, bytes: &[u8], crate_name: Option<&str>) -> Result<Vec<GeneratedFile>, Error> {
    let options = CrateOptions {
        name: crate_name.map(str::to_owned),
        ..CrateOptions::default()
    };
    Document::read(file_name, bytes)?.model()?.crate_files(&options)
}

/// Reads and models a document, for callers that want to inspect the model.
///
/// # Errors
/// As [`Document::read`] and the later stages it runs.
pub fn build_model(file_name: &str, bytes: &[u8]) -> Result<model::Api, Error> {
    Ok(Document::read(file_name, bytes)?.model()?.api)
}

/// The normalized OpenAPI 3.0 document as pretty JSON (see [`Document::normalized`]).
///
/// # Errors
/// As [`Document::read`] and the later stages it runs.
pub fn normalized_openapi(file_name: &str, bytes: &[u8]) -> Result<String, Error> {
    Ok(Document::read(file_name, bytes)?.normalized())
}
