//! Turns an OpenAPI document (Swagger 2.0, OpenAPI 3.0 or 3.1, JSON or YAML) into Rust source files
//! for a typed client.
//!
//! The stages are separate modules that talk through plain data:
//! [`load`] (bytes to a document, upgrading Swagger 2.0 through [`upgrade`]), [`model`]
//! (refs resolved, names assigned), [`emit`] (token streams) and [`render`] (formatted files).
//! No stage does I/O: callers pass bytes in and get file contents back.

mod downgrade;
mod emit;
mod error;
mod hoist;
mod load;
pub mod model;
mod names;
mod package;
mod render;
mod upgrade;

pub use error::Error;
pub use load::SpecVersion;
pub use package::crate_name_from;

/// The hand-written runtime that every generated crate needs, kept once in
/// `generated-client/src/runtime/`: each file's name in that folder and its text.
pub const RUNTIME_FILES: &[(&str, &str)] = &[
    ("mod.rs", include_str!("../../generated-client/src/runtime/mod.rs")),
    ("auth.rs", include_str!("../../generated-client/src/runtime/auth.rs")),
    (
        "client.rs",
        include_str!("../../generated-client/src/runtime/client.rs"),
    ),
    ("codec.rs", include_str!("../../generated-client/src/runtime/codec.rs")),
    ("error.rs", include_str!("../../generated-client/src/runtime/error.rs")),
    (
        "options.rs",
        include_str!("../../generated-client/src/runtime/options.rs"),
    ),
    (
        "paging.rs",
        include_str!("../../generated-client/src/runtime/paging.rs"),
    ),
    (
        "params.rs",
        include_str!("../../generated-client/src/runtime/params.rs"),
    ),
    ("poll.rs", include_str!("../../generated-client/src/runtime/poll.rs")),
    (
        "request.rs",
        include_str!("../../generated-client/src/runtime/request.rs"),
    ),
    (
        "response.rs",
        include_str!("../../generated-client/src/runtime/response.rs"),
    ),
    ("retry.rs", include_str!("../../generated-client/src/runtime/retry.rs")),
    (
        "validate.rs",
        include_str!("../../generated-client/src/runtime/validate.rs"),
    ),
];

/// One generated file: a path relative to the crate's `src/` and its contents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneratedFile {
    pub path: String,
    pub contents: String,
}

/// Generates the client's files from one document.
///
/// `file_name` is used in error messages and in the `@generated` header.
pub fn generate(file_name: &str, bytes: &[u8]) -> Result<Vec<GeneratedFile>, Error> {
    let api = build_model(file_name, bytes)?;
    let header = render::Header::new(file_name, bytes);
    modules(file_name, &api, &header)
}

/// Generates a standalone crate from one document: `Cargo.toml`, `src/lib.rs`, the runtime
/// under `src/runtime/` and the generated modules under `src/generated/` (paths relative to the
/// crate root). Without `crate_name`, the name is made from the API's title.
pub fn generate_crate(file_name: &str, bytes: &[u8], crate_name: Option<&str>) -> Result<Vec<GeneratedFile>, Error> {
    let api = build_model(file_name, bytes)?;
    crate_from_model(file_name, bytes, &api, crate_name)
}

/// [`generate_crate`] for a model the caller already built from the same `bytes` with
/// [`build_model`].
pub fn crate_from_model(
    file_name: &str,
    bytes: &[u8],
    api: &model::Api,
    crate_name: Option<&str>,
) -> Result<Vec<GeneratedFile>, Error> {
    let name = match crate_name {
        Some(name) => {
            package::check_crate_name(name).map_err(|e| error::Located::new("#", e).in_file(file_name))?;
            name.to_owned()
        }
        None => crate_name_from(&api.title),
    };
    let header = render::Header::new(file_name, bytes);
    let modules = modules(file_name, api, &header)?;
    Ok(package::files(&name, header.message(), &api.title, modules))
}

fn modules(file_name: &str, api: &model::Api, header: &render::Header) -> Result<Vec<GeneratedFile>, Error> {
    // Each module is emitted and rendered on a thread of its own (token streams cannot cross
    // threads); the files come back in the fixed order of `emit::MODULES`.
    let results: Vec<Result<GeneratedFile, error::Located>> = std::thread::scope(|scope| {
        let handles: Vec<_> = emit::MODULES
            .iter()
            .map(|name| scope.spawn(|| render::file(header, name, emit::module(api, name))))
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join()
                    .unwrap_or_else(|_| Err(error::Located::new("#", "internal error: code generation panicked")))
            })
            .collect()
    });
    results
        .into_iter()
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| e.in_file(file_name))
}

/// Loads and models a document, for callers that want to inspect the model.
pub fn build_model(file_name: &str, bytes: &[u8]) -> Result<model::Api, Error> {
    let (doc, _) = load::load(bytes).map_err(|e| e.in_file(file_name))?;
    model::build(&doc).map_err(|e| e.in_file(file_name))
}

/// The OpenAPI 3.0 document the generator works from (after upgrading 2.0 or down-converting
/// 3.1, and hoisting deep references into `components`), as pretty JSON.
pub fn normalized_openapi(file_name: &str, bytes: &[u8]) -> Result<String, Error> {
    let (_, doc) = load::load(bytes).map_err(|e| e.in_file(file_name))?;
    serde_json::to_string_pretty(&doc).map_err(|e| error::Located::new("#", e.to_string()).in_file(file_name))
}
