//! JSON pointers (RFC 6901) into the document, written as URI fragments: `#/paths/~1installs/get`.
//!
//! Every location the generator reports, and every place a stage records where a node came from,
//! is a [`Pointer`]. Tokens are escaped once, here, when they are appended, so a path such as
//! `/installs/{id}` or a media type such as `application/json` can never be mistaken for two
//! tokens.

use std::fmt;

/// A JSON pointer into a document, as a URI fragment (`#` for the whole document).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Pointer(String);

impl Pointer {
    /// The whole document: `#`.
    #[must_use]
    pub fn root() -> Self {
        Pointer("#".to_owned())
    }

    /// The pointer made of `tokens` below the root, each escaped: `at(&["paths", "/a"])` is
    /// `#/paths/~1a`.
    #[must_use]
    pub fn at(tokens: &[&str]) -> Self {
        tokens.iter().fold(Pointer::root(), |p, t| p.join(t))
    }

    /// Reads a pointer written as a URI fragment (a `$ref` within the document); `None` unless it
    /// is `#` or starts with `#/`.
    #[must_use]
    pub fn parse(fragment: &str) -> Option<Self> {
        (fragment == "#" || fragment.starts_with("#/")).then(|| Pointer(fragment.to_owned()))
    }

    /// This pointer with one more token, escaped.
    #[must_use]
    pub fn join(&self, token: impl fmt::Display) -> Self {
        use fmt::Write;
        // One allocation unless the token has a character to escape: pointers are made for
        // every node the model visits.
        let mut s = String::with_capacity(self.0.len() + 24);
        s.push_str(&self.0);
        s.push('/');
        let start = s.len();
        // Writing to a String cannot fail.
        let _ = write!(s, "{token}");
        if s[start..].contains(['~', '/']) {
            let escaped = escape_token(&s[start..]);
            s.truncate(start);
            s.push_str(&escaped);
        }
        Pointer(s)
    }

    /// The pointer as written, `#/...`.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The unescaped tokens below the root.
    pub fn tokens(&self) -> impl Iterator<Item = String> + '_ {
        self.0.split('/').skip(1).map(unescape_token)
    }

    /// The name in `#/components/{section}/NAME` when this pointer is exactly that.
    #[must_use]
    pub fn component(&self, section: &str) -> Option<String> {
        let mut tokens = self.tokens();
        let found = (tokens.next()? == "components" && tokens.next()? == section).then(|| tokens.next())??;
        tokens.next().is_none().then_some(found)
    }

    /// Whether `self` is `ancestor` or lies below it.
    #[must_use]
    pub fn is_within(&self, ancestor: &Pointer) -> bool {
        self.0
            .strip_prefix(&ancestor.0)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
    }

    /// `self` with its `ancestor` part replaced by `with`; `None` unless [`Pointer::is_within`].
    #[must_use]
    pub fn rebase(&self, ancestor: &Pointer, with: &Pointer) -> Option<Self> {
        self.is_within(ancestor)
            .then(|| Pointer(format!("{}{}", with.0, &self.0[ancestor.0.len()..])))
    }

    /// The number of bytes in the written form (the longest of several matches wins).
    pub(crate) fn len(&self) -> usize {
        self.0.len()
    }
}

impl fmt::Display for Pointer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<&Pointer> for Pointer {
    fn from(p: &Pointer) -> Self {
        p.clone()
    }
}

impl PartialEq<str> for Pointer {
    fn eq(&self, other: &str) -> bool {
        self.0 == other
    }
}

impl PartialEq<&str> for Pointer {
    fn eq(&self, other: &&str) -> bool {
        self.0 == *other
    }
}

/// Escapes one reference token (`~` to `~0`, `/` to `~1`).
pub(crate) fn escape_token(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// Reverses [`escape_token`].
pub(crate) fn unescape_token(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}

#[cfg(test)]
mod tests {
    use super::Pointer;

    #[test]
    fn tokens_are_escaped_once_and_read_back() {
        let p = Pointer::at(&["paths", "/a/{b}", "get"]).join("x~y");
        assert_eq!(p, "#/paths/~1a~1{b}/get/x~0y");
        assert_eq!(p.tokens().collect::<Vec<_>>(), ["paths", "/a/{b}", "get", "x~y"]);
    }

    #[test]
    fn component_names_are_read_only_from_exact_component_pointers() {
        let named = |s: &str| Pointer::parse(s).and_then(|p| p.component("schemas"));
        assert_eq!(named("#/components/schemas/A~1B").as_deref(), Some("A/B"));
        assert_eq!(named("#/components/schemas/A/properties/b"), None);
        assert_eq!(named("#/components/responses/A"), None);
        assert_eq!(named("other.yaml#/components/schemas/A"), None);
    }

    #[test]
    fn rebase_moves_only_whole_tokens() {
        let from = Pointer::at(&["components", "schemas", "A"]);
        let to = Pointer::at(&["definitions", "A"]);
        let inside = from.join("properties").join("x");
        assert_eq!(
            inside.rebase(&from, &to).expect("inside"),
            "#/definitions/A/properties/x"
        );
        assert_eq!(Pointer::at(&["components", "schemas", "AB"]).rebase(&from, &to), None);
    }
}
