//! Lays the generated modules out as a standalone crate: `Cargo.toml`, `src/lib.rs`, the
//! generated modules under `src/generated/`, and the runtime: a dependency on the runtime crate,
//! or its copy under `src/runtime/` (see [`crate::runtime`]).
//!
//! The crate runs on the same runtime as the WP Engine client, so every generated client gets
//! the same retries, pagination, auth and errors.

use crate::model::Api;
use crate::render::GeneratedFile;
use crate::runtime::{RuntimeSource, RUNTIME_PACKAGE};

/// The dependencies of a crate that carries a copy of the runtime: the runtime's and the
/// generated code's, with the versions and features the workspace builds them with.
const VENDORED_DEPENDENCIES: &str = r#"[dependencies]
aws-credential-types = { version = "1.2", default-features = false, optional = true }
aws-sigv4 = { version = "1.3", default-features = false, features = ["sign-http", "http1"], optional = true }
base64 = "0.23"
bytes = "1"
clap = { version = "4.6", default-features = false, features = ["std", "help", "usage", "error-context", "suggestions"], optional = true }
clap_complete = { version = "4.6", optional = true }
chrono = { version = "0.4", default-features = false, features = ["serde", "std", "clock"] }
futures = "0.3"
getrandom = "0.4"
hmac = "0.13"
httpdate = "1"
percent-encoding = "2"
quick-xml = "0.42"
regress = "0.12"
reqwest = { version = "0.13", default-features = false, features = ["json", "query", "rustls", "gzip", "deflate", "brotli", "stream"] }
reqwest-middleware = { version = "0.5", optional = true }
wiremock = { version = "0.6", optional = true }
serde = { version = "1", features = ["derive"] }
serde_json = "1"
serde_path_to_error = "0.1"
sha2 = "0.11"
tokio = { version = "1", features = ["fs", "io-util", "macros", "net", "rt-multi-thread", "sync", "time"] }
tracing = "0.1"
uuid = { version = "1", features = ["serde", "v4"] }

[features]
# Send through a reqwest-middleware stack (`ClientBuilder::middleware`).
middleware = ["dep:reqwest-middleware"]
# `send_blocking()` on every request builder, for code without an async runtime.
blocking = []
# `mocks::MockServer`, typed mocks of every operation for the tests of code that uses the client.
mock = ["dep:wiremock"]
# The command-line tool (`cli::main`, and the crate's binary): one subcommand per operation.
cli = ["dep:clap", "dep:clap_complete"]
# Requests signed with AWS Signature Version 4, for schemes an API gateway marks `awsSigv4`
# (on by default where the document declares one).
sigv4 = ["dep:aws-sigv4", "dep:aws-credential-types"]
"#;

/// The feature of the `webhooks` module, for a document that lists webhooks: off by default,
/// as a document may list hundreds of events (GitHub's 218) that most users never receive.
pub(crate) const WEBHOOKS_FEATURE: &str =
    "# `webhooks::Event`: deliveries of the document's webhooks, verified, then typed.\nwebhooks = []\n";

/// The dependencies of a crate on the runtime crate (`{runtime}`): only that, as generated code
/// names the crates it uses through the runtime's re-exports; the runtime's features are the
/// crate's own.
const CRATE_DEPENDENCIES: &str = r#"[dependencies]
{runtime}

[features]
# Send through a reqwest-middleware stack (`ClientBuilder::middleware`).
middleware = ["{package}/middleware"]
# `send_blocking()` on every request builder, for code without an async runtime.
blocking = ["{package}/blocking"]
# `mocks::MockServer`, typed mocks of every operation for the tests of code that uses the client.
mock = ["{package}/mock"]
# The command-line tool (`cli::main`, and the crate's binary): one subcommand per operation.
cli = ["{package}/cli"]
# Requests signed with AWS Signature Version 4, for schemes an API gateway marks `awsSigv4`
# (on by default where the document declares one).
sigv4 = ["{package}/sigv4"]
"#;

/// The `[dependencies]` and `[features]` tables of a crate on `runtime`, with the crates whose
/// types it uses in place of schemas (`crates`: names and version requirements).
fn dependencies(runtime: &RuntimeSource, crates: &[(String, String)]) -> String {
    let tables = match runtime.dependency(&[]) {
        None => VENDORED_DEPENDENCIES.to_owned(),
        Some(line) => CRATE_DEPENDENCIES
            .replace("{runtime}", &line)
            .replace("{package}", RUNTIME_PACKAGE),
    };
    if crates.is_empty() {
        return tables;
    }
    let lines: String = crates
        .iter()
        .map(|(name, version)| format!("{name} = \"{}\"\n", toml_text(version)))
        .collect();
    tables.replacen(
        "[dependencies]\n",
        &format!("[dependencies]\n# Types the document's `x-rust-type` names in place of its schemas.\n{lines}"),
        1,
    )
}

/// Checks a crate name given by the user: ASCII letters, digits, `-` and `_`, starting with a
/// letter, as Cargo requires.
pub(crate) fn check_crate_name(name: &str) -> Result<(), String> {
    let mut chars = name.chars();
    match chars.next() {
        Some(c) if c.is_ascii_alphabetic() => {}
        _ => return Err(format!("crate name `{name}` must start with an ASCII letter")),
    }
    if let Some(bad) = chars.find(|c| !(c.is_ascii_alphanumeric() || *c == '-' || *c == '_')) {
        return Err(format!("crate name `{name}` may not contain `{bad}`"));
    }
    Ok(())
}

/// A crate name made from any text (a directory name, an API title): lower-case words joined by
/// `-`, with a leading letter.
pub fn crate_name_from(text: &str) -> String {
    let words: Vec<String> = text
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_ascii_lowercase)
        .collect();
    let joined = words.join("-");
    match joined.chars().next() {
        Some(c) if c.is_ascii_alphabetic() => joined,
        Some(_) => format!("api-{joined}"),
        None => "api-client".to_owned(),
    }
}

/// What a generated crate's manifest says about the package.
#[derive(Debug, Clone)]
pub(crate) struct Package<'a> {
    pub name: &'a str,
    pub version: &'a str,
    pub description: String,
    pub license: Option<&'a str>,
    pub repository: Option<&'a str>,
    pub publish: bool,
    /// An empty `[workspace]` table: the crate builds wherever it is put.
    pub own_workspace: bool,
    pub runtime: &'a RuntimeSource,
}

/// The crate's files, paths relative to the crate root, in a fixed order. Every one starts with
/// the `@generated` header, so a later run can tell its own files from the user's.
pub(crate) fn files(
    package: &Package<'_>,
    header: &str,
    api: &Api,
    settings: &crate::emit::Settings,
    modules: Vec<GeneratedFile>,
) -> Vec<GeneratedFile> {
    let mut out = Vec::with_capacity(modules.len() + crate::runtime::RUNTIME_FILES.len() + 4);
    out.push(GeneratedFile {
        path: "Cargo.toml".to_owned(),
        contents: left_out_modules(
            cargo_toml(
                package,
                header,
                &default_features(api),
                &api.crates,
                !api.webhooks.is_empty(),
            ),
            settings,
            *package.runtime == RuntimeSource::Vendored,
        ),
    });
    out.push(GeneratedFile {
        path: "README.md".to_owned(),
        contents: crate::readme::readme(package.name, header, api, settings),
    });
    out.push(GeneratedFile {
        path: "src/lib.rs".to_owned(),
        contents: lib_rs(header, &api.title, package.runtime),
    });
    if settings.tool {
        out.push(GeneratedFile {
            path: "src/main.rs".to_owned(),
            contents: main_rs(header, package.name),
        });
    }
    if *package.runtime == RuntimeSource::Vendored {
        out.extend(runtime_files(header).into_iter().map(|f| GeneratedFile {
            path: format!("src/runtime/{}", f.path),
            contents: f.contents,
        }));
    }
    out.extend(modules.into_iter().map(|f| GeneratedFile {
        path: format!("src/generated/{}", f.path),
        contents: f.contents,
    }));
    out
}

/// The runtime's files as a vendored crate carries them, after the header; paths relative to
/// the runtime's folder.
pub(crate) fn runtime_files(header: &str) -> Vec<GeneratedFile> {
    let runtime_header = comment_lines(
        "//",
        &format!("{header}\nThis file is a copy of the runtime crate's, made to be a module of this crate."),
    );
    crate::runtime::vendored_files(&runtime_header)
}

/// The binary of the `cli` feature: the generated tool, its credentials read from the
/// environment variables of the crate's `ENVIRONMENT` (`my-api` reads `MY_API_TOKEN`).
fn main_rs(header: &str, name: &str) -> String {
    format!(
        "{}\n//! `{name}`: the API from the command line (`{name} --help`).\n\n\
         fn main() -> std::process::ExitCode {{\n    {}::cli::main(\"{name}\")\n}}\n",
        comment_lines("//", header),
        name.replace('-', "_"),
    )
}

fn comment_lines(prefix: &str, text: &str) -> String {
    text.lines().map(|l| format!("{prefix} {l}\n")).collect()
}

fn cargo_toml(
    package: &Package<'_>,
    header: &str,
    defaults: &[(String, bool)],
    crates: &[(String, String)],
    webhooks: bool,
) -> String {
    let mut toml = comment_lines("#", header);
    toml.push_str(&format!(
        "\n[package]\nname = \"{}\"\nversion = \"{}\"\nedition = \"2021\"\nrust-version = \"1.89\"\n\
         description = \"{}\"\nreadme = \"README.md\"\n",
        package.name,
        toml_text(package.version),
        toml_text(&package.description.replace(['\r', '\n'], " ")),
    ));
    if let Some(license) = package.license {
        toml.push_str(&format!("license = \"{}\"\n", toml_text(license)));
    }
    if let Some(repository) = package.repository {
        toml.push_str(&format!("repository = \"{}\"\n", toml_text(repository)));
    }
    if !package.publish {
        toml.push_str("publish = false\n");
    }
    toml.push_str("\n# Every feature documented, each item marked with the ones it needs.\n[package.metadata.docs.rs]\nall-features = true\n");
    toml.push_str(&format!(
        "\n[lib]\nname = \"{}\"\n\n# The command-line tool: `cargo install --path . --features cli`.\n[[bin]]\nname = \"{}\"\n\
         path = \"src/main.rs\"\nrequired-features = [\"cli\"]\n\n{}",
        package.name.replace('-', "_"),
        package.name,
        dependencies(package.runtime, crates),
    ));
    if webhooks {
        toml.push_str(WEBHOOKS_FEATURE);
    }
    toml.push_str(&tag_features(defaults));
    if package.own_workspace {
        toml.push_str(
            "\n# Its own workspace, so the crate builds inside another one too; to make it a member\n\
             # of an enclosing workspace instead, remove this table and list the crate there.\n[workspace]\n",
        );
    }
    toml
}

/// The manifest without what the tool and the mocks need when they are left out at generation:
/// their features, the binary and (for a copy of the runtime) their dependencies. The copy's
/// parts for them stay behind the features' names, which the lint table declares, so rustc
/// does not warn of a feature the crate does not have.
fn left_out_modules(toml: String, settings: &crate::emit::Settings, vendored: bool) -> String {
    let mut lines: Vec<&str> = toml.lines().collect();
    let mut names = Vec::new();
    for (wanted, feature, marks) in [
        (
            settings.tool,
            "cli",
            &["clap", "clap_complete", "# The command-line tool", "cli = "][..],
        ),
        (
            settings.mocks,
            "mock",
            &["wiremock", "# `mocks::MockServer`", "mock = "][..],
        ),
    ] {
        if wanted {
            continue;
        }
        names.push(format!("\"{feature}\""));
        lines.retain(|l| !marks.iter().any(|m| l.starts_with(m)));
    }
    if names.is_empty() {
        return toml;
    }
    let mut text = lines.join("\n") + "\n";
    if !settings.tool {
        // The binary's table: from its comment to `required-features`.
        let bin = "[[bin]]\n";
        if let (Some(start), Some(end)) = (text.find(bin), text.find("required-features = [\"cli\"]\n")) {
            text.replace_range(start..end + "required-features = [\"cli\"]\n".len(), "");
            text = text.replace("\n\n\n", "\n\n");
        }
    }
    if !vendored {
        return text;
    }
    text.push_str(&format!(
        "\n# The runtime's parts for the modules left out at generation stay behind these names.\n\
         [lints.rust]\nunexpected_cfgs = {{ level = \"warn\", check-cfg = ['cfg(feature, values({}))'] }}\n",
        names.join(", ")
    ));
    text
}

/// The features on by default: `sigv4` where the document declares a signed scheme, then the
/// tags' (the `(name, declared)` pairs `tag_features` writes: the tags are declared there).
fn default_features(api: &Api) -> Vec<(String, bool)> {
    let signed = api
        .security_schemes
        .iter()
        .any(|s| matches!(s.kind, crate::model::SchemeKind::SigV4));
    let sigv4 = signed.then(|| ("sigv4".to_owned(), false));
    sigv4
        .into_iter()
        .chain(api.features.iter().map(|t| (t.clone(), true)))
        .collect()
}

/// The default features, and one feature per tag of the document, all on by default
/// (`default-features = false` and the ones wanted compile only those operations, and the
/// types they reach). `defaults` pairs each default feature with whether it is declared here
/// (a tag's) or above (`sigv4`).
pub(crate) fn tag_features(defaults: &[(String, bool)]) -> String {
    if defaults.is_empty() {
        return String::new();
    }
    let list = defaults
        .iter()
        .map(|(f, _)| format!("\"{f}\""))
        .collect::<Vec<_>>()
        .join(", ");
    let tags: Vec<&String> = defaults.iter().filter(|(_, tag)| *tag).map(|(f, _)| f).collect();
    let mut out = String::new();
    if defaults.iter().any(|(f, tag)| !tag && f == "sigv4") {
        out.push_str("# The document declares a scheme whose requests are signed: `sigv4` is on.\n");
    }
    if !tags.is_empty() {
        out.push_str(
            "# The operations of each tag of the document (and the types they reach): all by default;\n\
             # with `default-features = false`, only those of the tags named.\n",
        );
    }
    out.push_str(&format!("default = [{list}]\n"));
    for tag in tags {
        out.push_str(&format!("{tag} = []\n"));
    }
    out
}

/// The inside of a TOML basic string: backslashes, quotes and control characters escaped.
pub(crate) fn toml_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", u32::from(c))),
            c => out.push(c),
        }
    }
    out
}

fn lib_rs(header: &str, title: &str, runtime: &RuntimeSource) -> String {
    let title = title.replace(['\r', '\n'], " ");
    let runtime = match runtime {
        RuntimeSource::Vendored => "pub mod runtime;",
        _ => "pub use openapi_crate_gen_runtime as runtime;",
    };
    format!(
        "{}\n//! Typed client for {title}.\n//!\n\
         //! Build a [`Client`] with [`Client::builder`], then call an operation's method on it: each\n\
         //! returns a builder that takes the optional parameters and is sent with `.send().await`.\n\
         //! [`runtime`] holds the client's options, credentials and errors.\n\n\
         // docs.rs documents every feature, and marks each item with the features it needs.\n\
         #![cfg_attr(docsrs, feature(doc_cfg))]\n\n\
         #[rustfmt::skip]\n\
         #[allow(clippy::all, deprecated)]\n\
         mod generated;\n\
         {runtime}\n\n\
         pub use generated::*;\n",
        comment_lines("//", header),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_file_of_the_runtime_crate_is_embedded() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../runtime/src");
        let mut on_disk: Vec<String> = std::fs::read_dir(&dir)
            .expect("the runtime's folder")
            .filter_map(|e| e.ok()?.file_name().into_string().ok())
            .filter(|n| n.ends_with(".rs"))
            .collect();
        on_disk.sort();
        let mut embedded: Vec<String> = crate::runtime::RUNTIME_FILES
            .iter()
            .map(|(n, _)| (*n).to_owned())
            .collect();
        embedded.sort();
        assert_eq!(embedded, on_disk);
    }

    #[test]
    fn crate_names_from_any_text() {
        assert_eq!(crate_name_from("Swagger Petstore"), "swagger-petstore");
        assert_eq!(crate_name_from("  2nd API!! "), "api-2nd-api");
        assert_eq!(crate_name_from("日本"), "api-client");
        assert!(check_crate_name("my-api_2").is_ok());
        assert!(check_crate_name("2api").is_err());
        assert!(check_crate_name("my api").is_err());
    }
}
