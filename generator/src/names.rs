//! Rust-safe, readable, collision-free names.

use heck::{ToSnakeCase, ToUpperCamelCase};
use std::collections::BTreeSet;

const KEYWORDS: &[&str] = &[
    "as", "break", "const", "continue", "crate", "else", "enum", "extern", "false", "fn", "for", "if", "impl", "in",
    "let", "loop", "match", "mod", "move", "mut", "pub", "ref", "return", "self", "Self", "static", "struct", "super",
    "trait", "true", "type", "unsafe", "use", "where", "while", "async", "await", "dyn", "abstract", "become", "box",
    "do", "final", "macro", "override", "priv", "typeof", "unsized", "virtual", "yield", "try", "gen",
];

/// Type names the generated code itself uses; a schema with one of these names gets a suffix.
const RESERVED_TYPES: &[&str] = &[
    "Option",
    "Result",
    "Vec",
    "String",
    "Box",
    "Client",
    "ClientBuilder",
    "Error",
    "ErrorBody",
    "Value",
    "Uuid",
    "DateTime",
    "Utc",
    "NaiveDate",
    "HashMap",
    "BTreeMap",
    "Some",
    "None",
    "Ok",
    "Err",
    "Self",
    // Used unqualified by the impls of `runtime::string_enum!`.
    "From",
];

/// The methods every generated `Client` has besides one per operation (the runtime's, the
/// generated `builder`, and those of the traits it derives); an operation named like one of
/// them gets a numeric suffix.
pub const CLIENT_METHODS: &[&str] = &[
    "base_url",
    "builder",
    "request",
    "from_env",
    "oauth",
    "oauth_scheme",
    "clone",
    "fmt",
];

/// The `ClientBuilder`'s own methods; a method made for an API-key scheme avoids them.
pub const CLIENT_BUILDER_METHODS: &[&str] = &[
    "new",
    "from_env",
    "environment",
    "base_url",
    "basic_auth",
    "bearer_token",
    "token_provider",
    "api_key_for",
    "oauth",
    "client_credentials",
    "aws_credentials",
    "fallback_credentials",
    "rate_limit",
    "no_rate_limits",
    "rate_limit_headers",
    "http_client",
    "middleware",
    "hooks",
    "redirects",
    "timeout",
    "connect_timeout",
    "retry",
    "user_agent",
    "on_request",
    "max_response_body",
    "build",
    "clone",
    "fmt",
];

/// The names `builders.rs` imports (see `emit::operations_opening`); request builder types
/// avoid them.
pub const BUILDERS_MODULE_NAMES: &[&str] = &["Client", "Result", "HttpMethod", "OperationMeta", "StatusKey"];

/// What the generated root module re-exports from the runtime, beside its own `builders`,
/// `types`, `Error`, `Result`, `DEFAULT_BASE_URL`, `API_VERSION`, and the `Client` and
/// `ClientBuilder` that `api_client!` writes; a crate's `lib.rs` re-exports
/// the root module whole (`pub use generated::*;`), so every crate exposes the same names.
pub const RUNTIME_REEXPORTS: &[&str] = &[
    "ApiError",
    "AwsCredentials",
    "BuildError",
    "DecodeError",
    "Event",
    "EventStream",
    "FileTokenStore",
    "Nullable",
    "OAuth",
    "OAuthError",
    "OAuthSession",
    "PollPolicy",
    "RateLimit",
    "RedirectPolicy",
    "RequestOptions",
    "ResponseValue",
    "RetryPolicy",
    "TokenProvider",
    "TokenStore",
    "Tokens",
    "Upload",
];

/// The fields and methods every request builder has; a parameter named like one of them gets a
/// numeric suffix.
pub const BUILDER_MEMBERS: &[&str] = &[
    "client",
    "body",
    "options",
    "with_options",
    "send",
    "send_with_response",
    "send_blocking",
    "send_streaming",
    "send_events",
    "prepare",
    "pages",
    "items",
];

/// The variants of a generated `webhooks::Event` that are not an event's; an event named like
/// one gets a numeric suffix.
pub const WEBHOOK_EVENT_NAMES: &[&str] = &["Unknown"];

/// A scope whose `reserved` names are already taken.
pub fn scope(reserved: &[&str]) -> BTreeSet<String> {
    reserved.iter().map(|s| (*s).to_owned()).collect()
}

/// Replaces anything that is not alphanumeric with a word break, so heck can case it.
fn words(raw: &str) -> String {
    raw.chars().map(|c| if c.is_alphanumeric() { c } else { ' ' }).collect()
}

/// A `snake_case` identifier for a field, parameter or method.
pub fn snake(raw: &str) -> String {
    let mut s = words(raw).to_snake_case();
    s.retain(|c| c.is_ascii_alphanumeric() || c == '_');
    if s.is_empty() {
        s = "value".into();
    }
    if s.starts_with(|c: char| c.is_ascii_digit()) {
        s = format!("n{s}");
    }
    if KEYWORDS.contains(&s.as_str()) {
        s.push('_');
    }
    s
}

/// A `kebab-case` name for a command-line flag or subcommand, or a cargo feature: the
/// `snake_case` one without a keyword's escape.
pub fn kebab(raw: &str) -> String {
    snake(raw).trim_end_matches('_').replace('_', "-")
}

/// An `UpperCamelCase` identifier for a type or variant.
pub fn camel(raw: &str) -> String {
    let mut s = words(raw).to_upper_camel_case();
    s.retain(|c| c.is_ascii_alphanumeric());
    if s.is_empty() {
        s = "Value".into();
    }
    if s.starts_with(|c: char| c.is_ascii_digit()) {
        s = format!("N{s}");
    }
    if KEYWORDS.contains(&s.as_str()) {
        s.push('_');
    }
    s
}

/// Hands out unique names in a deterministic order: the first claimant keeps the name, later
/// ones get the lowest free numeric suffix.
#[derive(Debug, Default)]
pub struct Namer {
    used: BTreeSet<String>,
}

impl Namer {
    /// A namer for types, with the runtime's own names already taken.
    pub fn for_types() -> Self {
        Namer { used: BTreeSet::new() }
    }

    /// Claims `wanted` (already cased) or the first free variant of it.
    pub fn claim(&mut self, wanted: &str) -> String {
        let base = if RESERVED_TYPES.contains(&wanted) {
            format!("{wanted}Model")
        } else {
            wanted.to_owned()
        };
        if self.used.insert(base.clone()) {
            return base;
        }
        (2..)
            .map(|n| format!("{base}{n}"))
            .find(|candidate| self.used.insert(candidate.clone()))
            .unwrap_or(base)
    }
}

/// Unique names within one scope (fields of a struct, variants of an enum, methods).
pub fn unique(names: &mut BTreeSet<String>, wanted: String) -> String {
    if names.insert(wanted.clone()) {
        return wanted;
    }
    // `Self_` (an escaped keyword) continues as `Self2`: `Self_2` is not UpperCamelCase.
    let stem = wanted.strip_suffix('_').unwrap_or(&wanted);
    let sep = if stem.ends_with(|c: char| c.is_ascii_digit()) {
        "_"
    } else {
        ""
    };
    (2..)
        .map(|n| format!("{stem}{sep}{n}"))
        .find(|candidate| names.insert(candidate.clone()))
        .unwrap_or(wanted)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers_are_valid_rust() {
        assert_eq!(snake("type"), "type_");
        assert_eq!(snake("Host"), "host");
        assert_eq!(snake("2fa-enabled"), "n2fa_enabled");
        assert_eq!(snake("fooBar"), "foo_bar");
        assert_eq!(camel("self"), "Self_");
        assert_eq!(
            camel("TRAFFIC_METRICS_SOURCE_UNSPECIFIED"),
            "TrafficMetricsSourceUnspecified"
        );
        assert_eq!(camel("full,billing"), "FullBilling");
        assert_eq!(camel(""), "Value");
    }

    #[test]
    fn namer_resolves_collisions_in_order() {
        let mut n = Namer::for_types();
        assert_eq!(n.claim("FooBar"), "FooBar");
        assert_eq!(n.claim("FooBar"), "FooBar2");
        assert_eq!(n.claim("Error"), "ErrorModel");
        let mut s = BTreeSet::new();
        assert_eq!(unique(&mut s, "a".into()), "a");
        assert_eq!(unique(&mut s, "a".into()), "a2");
        assert_eq!(unique(&mut s, "Self_".into()), "Self_");
        assert_eq!(unique(&mut s, "Self_".into()), "Self2");
        assert_eq!(unique(&mut s, "v1".into()), "v1");
        assert_eq!(unique(&mut s, "v1".into()), "v1_2");
    }
}
