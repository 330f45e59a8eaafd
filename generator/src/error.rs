//! The one error type of the generator: what went wrong, in which file, at which JSON pointer.

use std::fmt;

/// A problem with the input document, located by file and JSON pointer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    /// The file name the caller gave for the document.
    pub file: String,
    /// JSON pointer (RFC 6901, as a URI fragment) of the offending node, e.g. `#/paths/~1installs/post`.
    pub pointer: String,
    /// What was found and what was expected.
    pub message: String,
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: at {}: {}", self.file, self.pointer, self.message)
    }
}

impl std::error::Error for Error {}

/// Errors before the file name is attached; [`crate::generate`] adds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Located {
    pub pointer: String,
    pub message: String,
}

impl Located {
    pub fn new(pointer: impl Into<String>, message: impl Into<String>) -> Self {
        Located {
            pointer: pointer.into(),
            message: message.into(),
        }
    }

    pub fn in_file(self, file: &str) -> Error {
        Error {
            file: file.to_owned(),
            pointer: self.pointer,
            message: self.message,
        }
    }
}

/// Escapes one reference token for a JSON pointer (`~` to `~0`, `/` to `~1`).
pub(crate) fn escape_token(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// Reverses [`escape_token`].
pub(crate) fn unescape_token(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}

/// Appends one token to a pointer.
pub(crate) fn join(pointer: &str, token: &str) -> String {
    format!("{pointer}/{}", escape_token(token))
}
