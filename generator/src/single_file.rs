//! The whole client as one Rust file, for a `build.rs` to write to `OUT_DIR` and a crate to
//! `include!`: `pub mod NAME { mod generated { .. } pub mod runtime { .. } pub use generated::*; }`,
//! the same tree a generated crate has under its `lib.rs`.
//!
//! The generated modules and the runtime are the files a crate gets, with each `mod x;`
//! declaration replaced by the file it names, inline. Nothing else changes: the generated code
//! reaches the runtime as its sibling `super::runtime`, which holds in both layouts.

use crate::render::GeneratedFile;

/// Lints that fire on a client inside another crate and not in a crate of its own: items the
/// including crate does not use (a binary uses a few operations of many), the runtime's
/// `feature = "middleware"` when the including crate declares no such feature, and the
/// including crate's own lint levels (`missing_docs`, clippy's groups) applied to code it did
/// not write.
const ALLOWED: &str =
    "dead_code, unused_imports, missing_docs, deprecated, unexpected_cfgs, clippy::all, clippy::pedantic";

/// One file holding the module `name`: `header` (commented, with its blank line), the generated `modules`
/// (`mod.rs`, `types.rs`, `builders.rs`, as [`crate::Model::files`] gives them) and the
/// `runtime` files (`mod.rs` and the files it declares, as [`crate::Model::runtime_files`]),
/// or, without them, the runtime crate under the name `runtime`.
pub(crate) fn single_file(
    header: &str,
    name: &str,
    title: &str,
    modules: &[GeneratedFile],
    runtime: Option<&[GeneratedFile]>,
) -> String {
    let title = title.replace(['\r', '\n'], " ");
    let mut out = format!(
        "{header}/// Typed client for {title}, generated at build time; see [`{name}::Client`].\n\
         pub mod {name} {{\n#![allow({ALLOWED})]\n\n"
    );
    out.push_str("mod generated {\n");
    out.push_str(&inline("mod.rs", modules, ""));
    match runtime {
        Some(files) => {
            out.push_str("}\n\npub mod runtime {\n");
            out.push_str(&inline("mod.rs", files, ""));
            out.push_str("}\n");
        }
        None => out.push_str("}\n\npub use ::openapi_crate_gen_runtime as runtime;\n"),
    }
    out.push_str("\npub use generated::*;\n}\n");
    out
}

/// The text of the file `path` among `files` (its `@generated` header left out), with each
/// `mod x;` declaration in it replaced by `mod x { .. }` holding the file it names (`x.rs`
/// beside it, or `x/mod.rs`), recursively. `dir` is the folder of `path` within `files`.
fn inline(path: &str, files: &[GeneratedFile], dir: &str) -> String {
    let Some(file) = files.iter().find(|f| f.path == format!("{dir}{path}")) else {
        return String::new();
    };
    let mut out = String::with_capacity(file.contents.len());
    for line in body(&file.contents).lines() {
        if let Some(module) = declared_module(line) {
            // `x.rs` sits beside `mod.rs`; a module of its own folder would be `x/mod.rs`.
            let beside = format!("{module}.rs");
            let text = if files.iter().any(|f| f.path == format!("{dir}{beside}")) {
                inline(&beside, files, dir)
            } else {
                inline("mod.rs", files, &format!("{dir}{module}/"))
            };
            out.push_str(line.trim_end().trim_end_matches(';'));
            out.push_str(" {\n");
            out.push_str(&text);
            out.push_str("}\n");
        } else {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

/// The name in a line that declares a module held in a file of its own: `mod x;`,
/// `pub mod x;` or `pub(crate) mod x;`, at the start of the line.
fn declared_module(line: &str) -> Option<&str> {
    let rest = line
        .strip_prefix("pub(crate) ")
        .or_else(|| line.strip_prefix("pub "))
        .unwrap_or(line);
    let name = rest.strip_prefix("mod ")?.strip_suffix(';')?;
    name.chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '_')
        .then_some(name)
}

/// A generated file's text after its `@generated` header (the leading `//` lines and the blank
/// line that ends them).
fn body(contents: &str) -> &str {
    let mut rest = contents;
    while rest.starts_with("// ") || rest.starts_with("//\n") {
        rest = rest.split_once('\n').map_or("", |(_, after)| after);
    }
    rest.strip_prefix('\n').unwrap_or(rest)
}

#[cfg(test)]
mod tests {
    use super::{declared_module, inline};
    use crate::render::GeneratedFile;

    fn file(path: &str, contents: &str) -> GeneratedFile {
        GeneratedFile {
            path: path.to_owned(),
            contents: contents.to_owned(),
        }
    }

    #[test]
    fn module_declarations_are_read_only_when_they_name_a_file() {
        assert_eq!(declared_module("pub mod types;"), Some("types"));
        assert_eq!(declared_module("mod auth;"), Some("auth"));
        assert_eq!(declared_module("pub(crate) mod a_b2;"), Some("a_b2"));
        assert_eq!(declared_module("mod tests {"), None);
        assert_eq!(declared_module("    mod nested;"), None);
        assert_eq!(declared_module("// mod auth;"), None);
    }

    #[test]
    fn declared_files_are_inlined_recursively_without_their_headers() {
        let files = [
            file("mod.rs", "// @generated\n\n//! Root.\npub mod a;\nmod b;\n"),
            file("a.rs", "// @generated\n\npub fn a() {}\n"),
            file("b/mod.rs", "mod c;\n"),
            file("b/c.rs", "fn c() {}\n"),
        ];
        assert_eq!(
            inline("mod.rs", &files, ""),
            "//! Root.\npub mod a {\npub fn a() {}\n}\nmod b {\nmod c {\nfn c() {}\n}\n}\n"
        );
    }
}
