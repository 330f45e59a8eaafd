//! Stages 5 and 6 together: each generated module is cut into pieces (its opening, runs of
//! the methods of its large impl block, runs of items, its closing) that are emitted and
//! rendered on one thread per core, then joined in order, so the output does not depend on the
//! number of threads. Token streams cannot cross
//! threads, so each piece is emitted on the thread that renders it.

use crate::error::Located;
use crate::pointer::Pointer;
use crate::render::{self, GeneratedFile, Header};
use crate::{emit, model};

/// Type definitions or request builders per piece of work: small enough to spread a large
/// API over every core, large enough that the per-piece cost stays negligible.
const ITEMS_PER_PIECE: usize = 24;

/// The generated modules of `api`, each a file.
pub(crate) fn modules(
    api: &model::Api,
    settings: &emit::Settings,
    header: &Header,
) -> Result<Vec<GeneratedFile>, Located> {
    modules_in_pieces(api, settings, header, ITEMS_PER_PIECE)
}

fn modules_in_pieces(
    api: &model::Api,
    settings: &emit::Settings,
    header: &Header,
    items_per_piece: usize,
) -> Result<Vec<GeneratedFile>, Located> {
    // Every module is cut into pieces (opening, runs of methods and items, closing) that are
    // emitted and rendered independently, on as many threads as there are cores; token streams cannot cross
    // threads, so each piece is emitted where it is rendered. The pieces of a module are joined
    // in order, so the output does not depend on the number of threads.
    let mut jobs: Vec<(usize, emit::Piece)> = Vec::new();
    for (m, module) in emit::Module::ALL.into_iter().enumerate() {
        if !module.wanted(api, settings) {
            continue;
        }
        jobs.push((m, emit::Piece::Opening));
        let methods = runs(emit::method_count(api, module), items_per_piece);
        jobs.extend(methods.map(|run| (m, emit::Piece::Methods(run))));
        let items = runs(emit::item_count(api, module), items_per_piece);
        jobs.extend(items.map(|run| (m, emit::Piece::Items(run))));
        jobs.push((m, emit::Piece::Closing));
    }
    let shared = emit::Shared::new(api, settings);
    let rendered = in_parallel(jobs.len(), |i| {
        let (m, piece) = &jobs[i];
        let module = emit::Module::ALL[*m];
        let text = render::piece(module.file_name(), emit::piece(api, settings, &shared, module, piece))?;
        match piece {
            emit::Piece::Methods(run) => render::within_block(
                module.file_name(),
                text,
                run.start == 0,
                run.end == emit::method_count(api, module),
            ),
            _ => Ok(text),
        }
    })?;
    let mut pieces: Vec<Vec<String>> = vec![Vec::new(); emit::Module::ALL.len()];
    for ((m, _), text) in jobs.iter().zip(rendered) {
        pieces[*m].push(text?);
    }
    Ok(emit::Module::ALL
        .iter()
        .zip(&pieces)
        .filter(|(module, _)| module.wanted(api, settings))
        .map(|(module, pieces)| render::file(header, module.file_name(), pieces))
        .collect())
}

/// `0..count` cut into runs of at most `per_piece`, in order.
fn runs(count: usize, per_piece: usize) -> impl Iterator<Item = std::ops::Range<usize>> {
    let per_piece = per_piece.max(1);
    (0..count)
        .step_by(per_piece)
        .map(move |start| start..count.min(start.saturating_add(per_piece)))
}

/// `f(0) .. f(count - 1)` on a pool of one thread per core, returned in index order.
fn in_parallel<T: Send>(count: usize, f: impl Fn(usize) -> T + Sync) -> Result<Vec<T>, Located> {
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
        results.extend(worker.map_err(|_| Located::new(Pointer::root(), "internal error: code generation panicked"))?);
    }
    results.sort_by_key(|(i, _)| *i);
    Ok(results.into_iter().map(|(_, t)| t).collect())
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
        let model = crate::Document::read(name, bytes)
            .expect("the WP Engine document reads")
            .model()
            .expect("and models");
        let header = Header::new(name, bytes);
        let settings = emit::Settings {
            env_prefix: "API".to_owned(),
            fallback: false,
            tool: true,
            mocks: true,
        };
        let whole = modules_in_pieces(model.api(), &settings, &header, usize::MAX).expect("renders whole");
        let fine = modules_in_pieces(model.api(), &settings, &header, 1).expect("renders one item a piece");
        let usual = modules(model.api(), &settings, &header).expect("renders");
        assert_eq!(whole, fine);
        assert_eq!(whole, usual);
    }
}
