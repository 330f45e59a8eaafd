//! Every small document under `../shared/specs`, and every regression fixture under
//! `tests/fixtures/regressions`, generates a crate that passes `cargo check` without a warning,
//! or is refused with the error `tests/corpus/expectations.txt` lists for it. Each document is
//! generated in a process of its own (`src/bin/corpus_generate.rs`), so a crash is reported. The large real-world
//! documents run with `cargo xtask corpus --large` (see `tests/corpus/RESULTS.md`).

use std::path::Path;
use xtask::corpus::{self, Scope};

#[test]
fn small_documents_compile_or_are_refused_as_expected() {
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let generator = corpus::Generator {
        program: env!("CARGO_BIN_EXE_corpus_generate").into(),
        args: Vec::new(),
    };
    let outcomes = corpus::run(&workspace, Scope::Small, &generator).unwrap_or_else(|e| panic!("{e}"));
    assert!(outcomes.len() >= 60, "only {} documents found", outcomes.len());
    println!("{}", corpus::report(&outcomes));
    if let Err(message) = corpus::verdict(&outcomes) {
        panic!("{message}");
    }
}
