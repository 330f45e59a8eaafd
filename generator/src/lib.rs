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
        "redirect.rs",
        include_str!("../../generated-client/src/runtime/redirect.rs"),
    ),
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

/// Type definitions or request builders per piece of work: small enough to spread a large
/// API over every core, large enough that the per-piece cost stays negligible.
const ITEMS_PER_PIECE: usize = 24;

fn modules(file_name: &str, api: &model::Api, header: &render::Header) -> Result<Vec<GeneratedFile>, Error> {
    modules_in_pieces(file_name, api, header, ITEMS_PER_PIECE)
}

fn modules_in_pieces(
    file_name: &str,
    api: &model::Api,
    header: &render::Header,
    items_per_piece: usize,
) -> Result<Vec<GeneratedFile>, Error> {
    // Every module is cut into pieces (opening, runs of items, closing) that are emitted and
    // rendered independently, on as many threads as there are cores; token streams cannot cross
    // threads, so each piece is emitted where it is rendered. The pieces of a module are joined
    // in order, so the output does not depend on the number of threads.
    let mut jobs: Vec<(usize, emit::Piece)> = Vec::new();
    for (m, module) in emit::Module::ALL.into_iter().enumerate() {
        jobs.push((m, emit::Piece::Opening));
        let count = emit::item_count(api, module);
        for start in (0..count).step_by(items_per_piece.max(1)) {
            jobs.push((
                m,
                emit::Piece::Items(start..count.min(start.saturating_add(items_per_piece))),
            ));
        }
        jobs.push((m, emit::Piece::Closing));
    }
    let rendered = in_parallel(jobs.len(), |i| {
        let (m, piece) = &jobs[i];
        let module = emit::Module::ALL[*m];
        render::piece(module.file_name(), emit::piece(api, module, piece))
    })
    .map_err(|e| e.in_file(file_name))?;
    let mut pieces: Vec<Vec<String>> = vec![Vec::new(); emit::Module::ALL.len()];
    for ((m, _), text) in jobs.iter().zip(rendered) {
        pieces[*m].push(text.map_err(|e| e.in_file(file_name))?);
    }
    Ok(emit::Module::ALL
        .iter()
        .zip(&pieces)
        .map(|(module, pieces)| render::file(header, module.file_name(), pieces))
        .collect())
}

/// `f(0) .. f(count - 1)` on a pool of one thread per core, returned in index order.
fn in_parallel<T: Send>(count: usize, f: impl Fn(usize) -> T + Sync) -> Result<Vec<T>, error::Located> {
    let threads = std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get);
    let next = std::sync::atomic::AtomicUsize::new(0);
    let done: Vec<std::thread::Result<Vec<(usize, T)>>> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads.clamp(1, count.max(1)))
            .map(|_| {
                scope.spawn(|| {
                    let mut out = Vec::new();
                    loop {
                        let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        if i >= count {
                            return out;
                        }
                        out.push((i, f(i)));
                    }
                })
            })
            .collect();
        workers.into_iter().map(|w| w.join()).collect()
    });
    let mut results: Vec<(usize, T)> = Vec::with_capacity(count);
    for worker in done {
        results.extend(worker.map_err(|_| error::Located::new("#", "internal error: code generation panicked"))?);
    }
    results.sort_by_key(|(i, _)| *i);
    Ok(results.into_iter().map(|(_, t)| t).collect())
}

/// Loads and models a document, for callers that want to inspect the model.
pub fn build_model(file_name: &str, bytes: &[u8]) -> Result<model::Api, Error> {
    let loaded = load::load(bytes).map_err(|e| e.in_file(file_name))?;
    model::build(&loaded.api).map_err(|e| loaded.origins.locate(e).in_file(file_name))
}

/// The OpenAPI 3.0 document the generator works from (after upgrading 2.0 or down-converting
/// 3.1, and hoisting deep references into `components`), as pretty JSON.
pub fn normalized_openapi(file_name: &str, bytes: &[u8]) -> Result<String, Error> {
    let doc = load::load(bytes).map_err(|e| e.in_file(file_name))?.doc;
    serde_json::to_string_pretty(&doc).map_err(|e| error::Located::new("#", e.to_string()).in_file(file_name))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The pieces of a module concatenate to the module: cutting it finer or not at all gives
    /// the same bytes.
    #[test]
    fn output_does_not_depend_on_how_modules_are_cut() {
        let name = "wpengine-v1.10.0.yaml";
        let bytes = include_bytes!("../../spec/wpengine-v1.10.0.yaml");
        let api = build_model(name, bytes).expect("the WP Engine document models");
        let header = render::Header::new(name, bytes);
        let whole = modules_in_pieces(name, &api, &header, usize::MAX).expect("renders whole");
        let fine = modules_in_pieces(name, &api, &header, 1).expect("renders one item a piece");
        let usual = modules(name, &api, &header).expect("renders");
        assert_eq!(whole, fine);
        assert_eq!(whole, usual);
    }
}
