//! The runtime a generated client runs on: the `openapi-crate-gen-runtime` crate (from the
//! registry, a path or git), or a copy of its source inside the generated crate
//! (`--runtime vendored`).
//!
//! The copy is the runtime crate's own files with three mechanical changes, so one source
//! serves both: `lib.rs` becomes the module's `mod.rs`; its macros are not exported from the
//! crate that holds the copy (two copies in one crate, from two `build.rs` clients, would
//! clash) but re-exported within it; and their `$crate::` paths, the runtime crate's root,
//! become `super::runtime::`, where generated code holds the copy.

use crate::render::GeneratedFile;

/// The runtime crate's package name.
pub const RUNTIME_PACKAGE: &str = "openapi-crate-gen-runtime";

/// The runtime version generated crates ask for: this generator's, as the two are released
/// together (a test checks it against the runtime's `Cargo.toml`).
pub const RUNTIME_VERSION: &str = env!("CARGO_PKG_VERSION");

/// The interface of the generated code this generator writes, which each generated crate
/// checks the runtime serves (`serves_generated_code`); the runtime's own constant of the
/// same name must match (a test checks it).
pub const GENERATED_CODE_INTERFACE: u32 = 2;

/// The runtime crate's source files: each file's name in its `src/` folder and its text, read
/// through `generator/runtime`, a link to that folder, so the generator's package carries them.
pub const RUNTIME_FILES: &[(&str, &str)] = &[
    ("lib.rs", include_str!("../runtime/lib.rs")),
    ("api_client.rs", include_str!("../runtime/api_client.rs")),
    ("attempt.rs", include_str!("../runtime/attempt.rs")),
    ("auth.rs", include_str!("../runtime/auth.rs")),
    ("environment.rs", include_str!("../runtime/environment.rs")),
    ("oauth.rs", include_str!("../runtime/oauth.rs")),
    ("ratelimit.rs", include_str!("../runtime/ratelimit.rs")),
    ("session.rs", include_str!("../runtime/session.rs")),
    ("sigv4.rs", include_str!("../runtime/sigv4.rs")),
    ("token_store.rs", include_str!("../runtime/token_store.rs")),
    ("tokens.rs", include_str!("../runtime/tokens.rs")),
    ("cli.rs", include_str!("../runtime/cli.rs")),
    ("cli_args.rs", include_str!("../runtime/cli_args.rs")),
    ("cli_auth.rs", include_str!("../runtime/cli_auth.rs")),
    ("cli_output.rs", include_str!("../runtime/cli_output.rs")),
    ("blocking.rs", include_str!("../runtime/blocking.rs")),
    ("body.rs", include_str!("../runtime/body.rs")),
    ("client.rs", include_str!("../runtime/client.rs")),
    ("codec.rs", include_str!("../runtime/codec.rs")),
    ("error.rs", include_str!("../runtime/error.rs")),
    ("event_stream.rs", include_str!("../runtime/event_stream.rs")),
    ("events.rs", include_str!("../runtime/events.rs")),
    ("hooks.rs", include_str!("../runtime/hooks.rs")),
    ("mock.rs", include_str!("../runtime/mock.rs")),
    ("nullable.rs", include_str!("../runtime/nullable.rs")),
    ("object.rs", include_str!("../runtime/object.rs")),
    ("operation.rs", include_str!("../runtime/operation.rs")),
    ("options.rs", include_str!("../runtime/options.rs")),
    ("paging.rs", include_str!("../runtime/paging.rs")),
    ("params.rs", include_str!("../runtime/params.rs")),
    ("poll.rs", include_str!("../runtime/poll.rs")),
    ("redirect.rs", include_str!("../runtime/redirect.rs")),
    ("request.rs", include_str!("../runtime/request.rs")),
    ("response.rs", include_str!("../runtime/response.rs")),
    ("retry.rs", include_str!("../runtime/retry.rs")),
    ("send.rs", include_str!("../runtime/send.rs")),
    ("upload.rs", include_str!("../runtime/upload.rs")),
    ("text_values.rs", include_str!("../runtime/text_values.rs")),
    ("validate.rs", include_str!("../runtime/validate.rs")),
    ("vocabulary.rs", include_str!("../runtime/vocabulary.rs")),
    ("webhook_events.rs", include_str!("../runtime/webhook_events.rs")),
    ("webhooks.rs", include_str!("../runtime/webhooks.rs")),
    ("xml.rs", include_str!("../runtime/xml.rs")),
];

/// Where a generated crate gets its runtime.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RuntimeSource {
    /// A copy of the runtime's source in the crate (`src/runtime/`): the crate builds with
    /// nothing but the registry's crates.
    Vendored,
    /// `openapi-crate-gen-runtime` from crates.io, at [`RUNTIME_VERSION`].
    Registry,
    /// The runtime crate at this path: relative to the generated crate's folder, or absolute.
    Path(String),
    /// The runtime crate from this git repository (the one that holds this generator).
    Git(String),
}

impl RuntimeSource {
    /// The source for a crate generated without a choice: a copy, while the runtime crate is
    /// not on crates.io. Once it is, this line becomes `RuntimeSource::Registry`.
    pub const DEFAULT: RuntimeSource = RuntimeSource::Vendored;

    /// Reads a choice as the command line writes it: `vendored`, `registry`, `path:DIR` or
    /// `git:URL`.
    ///
    /// # Errors
    /// Any other text, or an empty path or URL.
    pub fn parse(text: &str) -> Result<Self, String> {
        let source = match text.split_once(':') {
            None if text == "vendored" => RuntimeSource::Vendored,
            None if text == "registry" => RuntimeSource::Registry,
            Some(("path", dir)) if !dir.is_empty() => RuntimeSource::Path(dir.to_owned()),
            Some(("git", url)) if !url.is_empty() => RuntimeSource::Git(url.to_owned()),
            _ => {
                return Err(format!(
                    "runtime `{text}` is not one of vendored, registry, path:DIR or git:URL"
                ))
            }
        };
        Ok(source)
    }

    /// The `[dependencies]` line naming the runtime crate with `features` on, or none for a
    /// copy.
    pub(crate) fn dependency(&self, features: &[&str]) -> Option<String> {
        let place = match self {
            RuntimeSource::Vendored => return None,
            RuntimeSource::Registry => String::new(),
            RuntimeSource::Path(dir) => format!(", path = {}", toml_string(dir)),
            RuntimeSource::Git(url) => format!(", git = {}", toml_string(url)),
        };
        let features = match features {
            [] => String::new(),
            some => format!(
                ", features = [{}]",
                some.iter().map(|f| toml_string(f)).collect::<Vec<_>>().join(", ")
            ),
        };
        Some(format!(
            "{RUNTIME_PACKAGE} = {{ version = \"{RUNTIME_VERSION}\"{place}{features} }}"
        ))
    }
}

impl Default for RuntimeSource {
    fn default() -> Self {
        RuntimeSource::DEFAULT
    }
}

/// The choice as the command line writes it, which [`RuntimeSource::parse`] reads back.
impl std::fmt::Display for RuntimeSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RuntimeSource::Vendored => f.write_str("vendored"),
            RuntimeSource::Registry => f.write_str("registry"),
            RuntimeSource::Path(dir) => write!(f, "path:{dir}"),
            RuntimeSource::Git(url) => write!(f, "git:{url}"),
        }
    }
}

/// A TOML basic string of `text`.
fn toml_string(text: &str) -> String {
    format!("\"{}\"", crate::package::toml_text(text))
}

/// The copy of the runtime a vendored crate carries, each file after `header` (a comment),
/// paths relative to the runtime's folder (`mod.rs` first).
pub(crate) fn vendored_files(header: &str) -> Vec<GeneratedFile> {
    let mut exported = Vec::new();
    let mut files: Vec<GeneratedFile> = RUNTIME_FILES
        .iter()
        .filter(|(name, _)| *name != "lib.rs")
        .map(|(name, text)| {
            let module = name.trim_end_matches(".rs");
            let (text, macros) = unexport_macros(text);
            exported.extend(macros.into_iter().map(|m| format!("{module}::{m}")));
            GeneratedFile {
                path: (*name).to_owned(),
                contents: format!("{header}\n{text}"),
            }
        })
        .collect();
    let root = RUNTIME_FILES
        .iter()
        .find(|(name, _)| *name == "lib.rs")
        .map_or("", |(_, text)| text);
    let (mut root, _) = unexport_macros(root);
    root.push_str("\n// The macros, exported from the runtime crate, are the copy's own.\n");
    for path in &exported {
        root.push_str(&format!("#[allow(unused_imports)]\npub(crate) use {path};\n"));
    }
    files.insert(
        0,
        GeneratedFile {
            path: "mod.rs".to_owned(),
            contents: format!("{header}\n{root}"),
        },
    );
    files
}

/// `text` without the crate-level `docsrs` attribute, with its `#[macro_export]` attributes
/// made `#[allow(unused_macros)]`, `$crate::` made `super::runtime::`,
/// and each macro that was exported re-exported within the crate at the end; the names of
/// those macros.
fn unexport_macros(text: &str) -> (String, Vec<String>) {
    let mut out = String::with_capacity(text.len());
    let mut names = Vec::new();
    let mut exporting = false;
    for line in text.lines() {
        // A crate's attribute: the including crate's `lib.rs` has its own.
        if line.starts_with("#![cfg_attr(docsrs") {
            continue;
        }
        if line.trim() == "#[macro_export]" {
            // Generated code may not invoke every macro (an API without string enums).
            out.push_str(&line.replace("#[macro_export]", "#[allow(unused_macros)]"));
            out.push('\n');
            exporting = true;
            continue;
        }
        if exporting {
            if let Some(rest) = line.trim().strip_prefix("macro_rules! ") {
                names.push(rest.trim_end_matches(['{', ' ']).to_owned());
                exporting = false;
            }
        }
        // Most lines name no macro path: copied as they are, without a new string each.
        if line.contains("$crate::") {
            out.push_str(&line.replace("$crate::", "super::runtime::"));
        } else {
            out.push_str(line);
        }
        out.push('\n');
    }
    for name in &names {
        out.push_str(&format!("#[allow(unused_imports)]\npub(crate) use {name};\n"));
    }
    (out, names)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn choices_read_as_the_command_line_writes_them() {
        assert_eq!(RuntimeSource::parse("vendored"), Ok(RuntimeSource::Vendored));
        assert_eq!(RuntimeSource::parse("registry"), Ok(RuntimeSource::Registry));
        assert_eq!(
            RuntimeSource::parse("path:../runtime"),
            Ok(RuntimeSource::Path("../runtime".into()))
        );
        assert_eq!(
            RuntimeSource::parse("git:https://example.com/r.git"),
            Ok(RuntimeSource::Git("https://example.com/r.git".into()))
        );
        assert!(RuntimeSource::parse("path:").is_err());
        assert!(RuntimeSource::parse("crate").is_err());
        for text in ["vendored", "registry", "path:../a b", "git:https://example.com/r.git"] {
            let parsed = RuntimeSource::parse(text).expect("a choice");
            assert_eq!(parsed.to_string(), text, "written as it is read");
        }
    }

    #[test]
    fn the_dependency_line_names_version_place_and_features() {
        assert_eq!(RuntimeSource::Vendored.dependency(&["cli"]), None);
        assert_eq!(
            RuntimeSource::Path("../a \"b\"".into()).dependency(&[]),
            Some(format!(
                "{RUNTIME_PACKAGE} = {{ version = \"{RUNTIME_VERSION}\", path = \"../a \\\"b\\\"\" }}"
            ))
        );
        assert_eq!(
            RuntimeSource::Registry.dependency(&["mock", "cli"]),
            Some(format!(
                "{RUNTIME_PACKAGE} = {{ version = \"{RUNTIME_VERSION}\", features = [\"mock\", \"cli\"] }}"
            ))
        );
    }

    #[test]
    fn a_copy_exports_no_macro_and_reaches_itself_through_its_module() {
        let files = vendored_files("// header");
        assert_eq!(files[0].path, "mod.rs");
        assert_eq!(files.len(), RUNTIME_FILES.len());
        for file in &files {
            assert!(!file.contents.contains("#[macro_export]"), "{}", file.path);
            assert!(!file.contents.contains("$crate"), "{}", file.path);
            assert!(!file.contents.contains("#![cfg_attr(docsrs"), "{}", file.path);
        }
        let root = &files[0].contents;
        for name in [
            "codec::string_enum",
            "object::deserialize_struct",
            "send::request_builder",
            "api_client::api_client",
        ] {
            assert!(root.contains(&format!("pub(crate) use {name};")), "{name}");
        }
    }

    #[test]
    fn the_runtime_serves_the_interface_and_version_generated_code_asks_for() {
        let lib = RUNTIME_FILES[0].1;
        assert!(lib.contains(&format!(
            "pub const GENERATED_CODE_INTERFACE: u32 = {GENERATED_CODE_INTERFACE};"
        )));
        let manifest = include_str!("../../runtime/Cargo.toml");
        assert!(manifest.contains(&format!("\nversion = \"{RUNTIME_VERSION}\"\n")));
    }
}
