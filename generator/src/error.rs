//! The one error type of the generator: what went wrong, in which file, at which JSON pointer.

use crate::pointer::Pointer;
use std::fmt;

/// A problem with the input document, located by file and JSON pointer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    /// The file name the caller gave for the document.
    pub file: String,
    /// The offending node, e.g. `#/paths/~1installs/post`.
    pub pointer: Pointer,
    /// What was found and what was expected.
    pub message: String,
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: at {}: {}", self.file, self.pointer, self.message)
    }
}

impl std::error::Error for Error {}

/// A choice the generator made that loses something the document says, or that may surprise:
/// where (a JSON pointer into the document) and what was done.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    /// The node the choice was made for.
    pub pointer: Pointer,
    /// What was done.
    pub message: String,
}

/// Errors before the file name is attached; [`crate::generate`] adds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Located {
    pub pointer: Pointer,
    pub message: String,
}

impl Located {
    pub fn new(pointer: impl Into<Pointer>, message: impl Into<String>) -> Self {
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

/// Where nodes of the document a stage made came from in the document before it: pairs of a
/// pointer in the new document and the pointer of the node it was made from. Errors found later
/// are moved back with [`Origins::locate`], so they point into the user's document.
#[derive(Debug, Clone, Default)]
pub(crate) struct Origins {
    moved: Vec<(Pointer, Pointer)>,
    /// The origins of the stage before, applied after these.
    earlier: Option<Box<Origins>>,
}

impl Origins {
    /// Records that the node at `made` (and everything below it) came from `original`.
    pub(crate) fn add(&mut self, made: Pointer, original: Pointer) {
        if made != original {
            self.moved.push((made, original));
        }
    }

    /// `error` with a pointer into a made node (and any mention of one in its message) moved to
    /// the node it was made from; the longest matching pointer wins.
    pub(crate) fn locate(&self, mut error: Located) -> Located {
        let best = self
            .moved
            .iter()
            .filter(|(made, _)| error.pointer.is_within(made))
            .max_by_key(|(made, _)| made.len());
        if let Some(moved) = best.and_then(|(made, original)| error.pointer.rebase(made, original)) {
            error.pointer = moved;
        }
        for (made, original) in &self.moved {
            error.message = replace_pointer(&error.message, made.as_str(), original.as_str());
        }
        match &self.earlier {
            Some(earlier) => earlier.locate(error),
            None => error,
        }
    }

    /// One list that moves a pointer back through these origins, then through `earlier`'s
    /// (those of the stage that made the document this stage started from).
    pub(crate) fn followed_by(mut self, earlier: Origins) -> Origins {
        self.earlier = Some(Box::new(earlier));
        self
    }
}

/// `text` with each whole mention of the pointer `from` (not followed by more of a pointer)
/// written as `to`.
fn replace_pointer(text: &str, from: &str, to: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(from) {
        let after = &rest[at + from.len()..];
        let whole = !after.starts_with(|c: char| c.is_alphanumeric() || matches!(c, '_' | '-' | '.' | '~' | '%'));
        out.push_str(&rest[..at]);
        out.push_str(if whole { to } else { from });
        rest = after;
    }
    out.push_str(rest);
    out
}
