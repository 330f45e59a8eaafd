//! Every small document under `../shared/specs` generates a crate that passes `cargo check`, or
//! is refused with the error `tests/corpus/expectations.txt` lists for it. The large real-world
//! documents run with `cargo xtask corpus --large` (see `tests/corpus/RESULTS.md`).

use std::path::Path;
use xtask::corpus::{self, Scope};

#[test]
fn small_documents_compile_or_are_refused_as_expected() {
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let outcomes = corpus::run(&workspace, Scope::Small).unwrap_or_else(|e| panic!("{e}"));
    assert!(outcomes.len() >= 60, "only {} documents found", outcomes.len());
    println!("{}", corpus::report(&outcomes));
    if let Err(message) = corpus::verdict(&outcomes) {
        panic!("{message}");
    }
}
