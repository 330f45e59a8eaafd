//! Stage 7, with `package`: the `README.md` of a generated crate, made from the model: which
//! API and version, how to build a client and authenticate, how a call and its errors look,
//! and how to regenerate.

use crate::emit::Settings;
use crate::model::{self, Api, Operation, SchemeKind};
use std::fmt::Write as _;

/// The README of the crate `name`, whose files carry `header`.
/// The crate's cargo features: its own, and one per tag of the document.
fn features(name: &str, lib: &str, api: &Api, settings: &Settings) -> String {
    let mut out = "## Features\n\n\
         - `blocking`: `send_blocking()` on every request builder, for code without an async runtime.\n\
         - `middleware`: send through a reqwest-middleware stack (`ClientBuilder::middleware`).\n"
        .to_owned();
    if settings.mocks {
        out.push_str(&format!(
            "- `mock`: `{lib}::mocks::MockServer`, typed mocks of every operation for your tests.\n"
        ));
    }
    if settings.tool {
        out.push_str(&format!(
            "- `cli`: the command-line tool, the binary `{name}` (`cargo install --path . --features cli`; \
             credentials from the environment variables above; `{name} --help`).\n"
        ));
    }
    out.push_str(
        "- `sigv4`: requests signed with AWS Signature Version 4 where a scheme says so (on by default \
         when the document declares one).\n",
    );
    if let Some(first) = api.webhooks.first() {
        let named = match &api.event_header {
            Some(h) => format!("named by its `{h}` header and "),
            None => String::new(),
        };
        out.push_str(&format!(
            "- `webhooks`: `{lib}::webhooks::Event`, the {} events the document lists, each with its payload \
             typed (and `Unknown` for the rest): `Event::parse(&verifier, &headers, &body)` verifies a \
             delivery's signature (`webhooks::Verifier`), then decodes it as the event it is, {named}told \
             apart by its payload (`Event::{}(..)`, ...). Off by default.\n",
            api.webhooks.len(),
            first.variant
        ));
    }
    if !api.features.is_empty() {
        let list = api
            .features
            .iter()
            .map(|f| format!("`{f}`"))
            .collect::<Vec<_>>()
            .join(", ");
        let first = api.features.first().map_or("", String::as_str);
        out.push_str(&format!(
            "\nOne feature per tag of the document, all on by default: {list}. With \
             `default-features = false` and the tags you call, only their operations compile, with \
             the types they reach:\n\n```toml\n{name} = {{ path = \"...\", default-features = false, \
             features = [\"{first}\"] }}\n```\n"
        ));
    }
    out.push('\n');
    out
}

pub(crate) fn readme(name: &str, header: &str, api: &Api, settings: &Settings) -> String {
    let lib = name.replace('-', "_");
    let mut out = String::new();
    for line in header.lines() {
        let _ = writeln!(out, "<!-- {line} -->");
    }
    let _ = writeln!(out, "\n# {name}\n");
    let _ = writeln!(
        out,
        "A typed Rust client for **{}** (API version {}), generated from its OpenAPI description.",
        one_line(&api.title),
        one_line(&api.version)
    );
    if let Some(first) = api.description.as_deref().and_then(|d| d.split("\n\n").next()) {
        let _ = writeln!(out, "\n> {}", one_line(first));
    }
    let _ = writeln!(
        out,
        "\nEach operation of the API is a method on `Client` that returns a request builder: required \
         parameters are arguments, optional ones are setters, and `.send().await` sends it. Types are \
         generated from the document's schemas (`{lib}::types`).\n"
    );
    let _ = writeln!(
        out,
        "## Build a client\n\n```rust,ignore\nlet client = {lib}::Client::builder()"
    );
    // The schemes an operation takes together are set together; other schemes are
    // alternatives, shown as such.
    let together: Vec<&str> = api
        .operations
        .iter()
        .flat_map(|op| &op.security)
        .find(|set| set.len() > 1)
        .map(|set| set.iter().map(|r| r.scheme.as_str()).collect())
        .unwrap_or_default();
    for (i, (scheme, line)) in auth_lines(api).into_iter().enumerate() {
        let or = if i == 0 || together.contains(&scheme.as_str()) {
            ""
        } else {
            "// or "
        };
        let _ = writeln!(out, "    {or}{line}");
    }
    let _ = writeln!(out, "    .build()?;");
    if let Some(op) = example(api) {
        let _ = writeln!(
            out,
            "let answer = client.{}({}).send().await?;",
            op.method_name,
            arguments(op)
        );
    }
    let _ = writeln!(out, "```\n");
    let _ = writeln!(
        out,
        "The client talks to `{}` unless `ClientBuilder::base_url` says otherwise.\n",
        api.base_url
    );
    out.push_str(&environment(lib.as_str(), api, settings));
    out.push_str(&event_streams(api));
    let _ = writeln!(
        out,
        "## Errors, retries and timeouts\n\n\
         Every call returns `{lib}::Result<T>`. `Error::Api` is an answer with an error status, its \
         body typed by the schema the document declares for that status; `Error::Decode` a success \
         whose body does not match its type; `Error::Transport` a failure to connect or a timeout; \
         `Error::InvalidRequest` a value that breaks a declared constraint (nothing is sent). \
         429, 502, 503 and 504 answers and dropped connections are retried with backoff, honouring \
         `Retry-After`; requests time out after 30 s. `ClientBuilder::retry`, `timeout` and \
         per-request `RequestOptions` change that.\n"
    );
    out.push_str(&features(name, &lib, api, settings));
    out.push_str(STABILITY);
    let _ = writeln!(
        out,
        "## Regenerate\n\nEvery file of this crate starts with an `@generated` header: do not edit \
         them; change the document and run the command the header names."
    );
    out
}

/// The semver policy of every generated crate, as its README states it.
pub(crate) const STABILITY: &str = "## Stability\n\n\
Built so that the document can grow without breaking code that uses the crate. Every struct is \
`#[non_exhaustive]`: make one with `Type::new(..)`, which takes the fields the document requires; \
the optional ones start as `None`, and types that requests send have a `with_<field>` method for \
each (the others have public fields to assign). Every enum is `#[non_exhaustive]` too, so a \
`match` has a `_` arm, and a value the client does not know decodes as `Unknown`.\n\n\
Not breaking (a minor release): adding to the document an optional request field, an optional \
parameter, a response field, an enum value, an operation, an error or success status, or a \
security alternative. Breaking (a major release): adding a required parameter or request field, \
and removing, renaming or retyping anything.\n\n";

/// How the client reads its credentials from the environment: the variables, and the
/// OAuth 2.0 flows the document declares.
fn environment(lib: &str, api: &Api, settings: &Settings) -> String {
    let vars = model::variables(api, &settings.env_prefix, settings.fallback);
    let mut out = format!(
        "## Credentials from the environment\n\n`{lib}::Client::from_env()` and the tool read these \
         variables:\n\n{}\n\n",
        crate::emit::variables_list(&vars)
    );
    if let Some((scheme, flows)) = model::env_oauth(api) {
        let _ = write!(
            out,
            "The `{}` scheme is OAuth 2.0: `{lib}::Client::oauth()` has its endpoints. ",
            scheme.name
        );
        if flows.client_credentials.is_some() {
            out.push_str(
                "With the client id and secret set, the client fetches its own access tokens and renews \
                 them before they expire (`ClientBuilder::client_credentials` in code). ",
            );
        }
        if flows.authorization_code.is_some() {
            out.push_str(
                "A user signs in with the tool's `auth login` (authorization code with PKCE, through a \
                 loopback redirect), which keeps the tokens in a file only they can read; `auth status` \
                 and `auth logout` (which revokes them) go with it. In code, `OAuth::authorize` and \
                 `OAuth::exchange` run the same flow, and an `OAuthSession` refreshes the tokens.",
            );
        }
        out.push_str("\n\n");
    }
    out
}

/// The builder calls that set the credentials the API's security schemes take, each with the
/// first scheme it is for.
fn auth_lines(api: &Api) -> Vec<(String, String)> {
    let mut lines: Vec<(String, String)> = Vec::new();
    for scheme in &api.security_schemes {
        let line = match &scheme.kind {
            SchemeKind::Basic => ".basic_auth(\"username\", \"password\")".to_owned(),
            SchemeKind::Bearer => ".bearer_token(\"token\")".to_owned(),
            SchemeKind::ApiKey { method, .. } => format!(".{method}(\"key\")"),
            SchemeKind::OAuth2(flows) if flows.client_credentials.is_some() => {
                ".client_credentials(\"client id\", \"client secret\")".to_owned()
            }
            SchemeKind::OAuth2(_) => ".oauth(session)".to_owned(),
            SchemeKind::SigV4 => ".aws_credentials(AwsCredentials::new(\"access key id\", \"secret\"))".to_owned(),
        };
        if !lines.iter().any(|(_, l)| *l == line) {
            lines.push((scheme.name.clone(), line));
        }
    }
    lines
}

/// How to read a stream of events, shown with the first operation that answers one; empty
/// when none does.
fn event_streams(api: &Api) -> String {
    let Some((op, send)) = api.operations.iter().find_map(|op| match (&op.success, &op.events) {
        (crate::model::Success::Events(_), _) => Some((op, "send")),
        (_, Some(_)) => Some((op, "send_events")),
        _ => None,
    }) else {
        return String::new();
    };
    // `send_events` keeps the status and headers, as `send_with_response` does.
    let inner = if send == "send" { "" } else { ".into_inner()" };
    format!(
        "## Event streams\n\n`{method}` answers a stream of events: `.{send}()` gives them as they \
         arrive, each one's data typed, resumed with `Last-Event-ID` after a dropped connection where \
         the events carry ids.\n\n```rust,ignore\nuse futures::TryStreamExt;\n\
         let mut events = client.{method}({args}).{send}().await?{inner};\n\
         while let Some(event) = events.try_next().await? {{\n    println!(\"{{:?}}\", event.data);\n}}\n```\n\n",
        method = op.method_name,
        args = match op.body.as_ref().is_some_and(|b| b.required) {
            true => [arguments(op), "body".to_owned()]
                .join(", ")
                .trim_start_matches(", ")
                .to_owned(),
            false => arguments(op),
        },
    )
}

/// The first operation whose arguments are all text or numbers, for the example.
fn example(api: &Api) -> Option<&Operation> {
    api.operations
        .iter()
        .find(|op| op.body.as_ref().is_none_or(|b| !b.required))
}

/// Placeholder arguments for an operation's required parameters.
fn arguments(op: &Operation) -> String {
    op.params
        .iter()
        .filter(|p| p.required)
        .map(|p| p.name.clone())
        .collect::<Vec<_>>()
        .join(", ")
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}
