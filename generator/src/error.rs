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
    /// The file the node is in, when it is one of the files the document refers to (a path
    /// relative to the document's folder); `None` for the document itself.
    pub file: Option<String>,
    /// The node the choice was made for.
    pub pointer: Pointer,
    /// What was done.
    pub message: String,
}

/// Errors before the document's file name is attached; [`crate::generate`] adds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Located {
    pub pointer: Pointer,
    pub message: String,
    /// The file the node is in, when it is one the document refers to (relative to the
    /// document's folder); `None` for the document itself.
    pub file: Option<String>,
}

impl Located {
    pub fn new(pointer: impl Into<Pointer>, message: impl Into<String>) -> Self {
        Located {
            pointer: pointer.into(),
            message: message.into(),
            file: None,
        }
    }

    /// The error in the document `file` (as the caller named it), or in the file beside it
    /// that this error names.
    pub fn in_file(self, file: &str) -> Error {
        Error {
            file: crate::sources::file_of(file, self.file.as_deref()),
            pointer: self.pointer,
            message: self.message,
        }
    }

    /// The warning this is about.
    pub fn into_warning(self) -> Warning {
        Warning {
            file: self.file,
            pointer: self.pointer,
            message: self.message,
        }
    }
}

impl From<Warning> for Located {
    fn from(w: Warning) -> Self {
        Located {
            pointer: w.pointer,
            message: w.message,
            file: w.file,
        }
    }
}

/// Where nodes of the document a stage made came from in the document before it: pairs of a
/// pointer in the new document and the pointer of the node it was made from. Errors found later
/// are moved back with [`Origins::locate`], so they point into the user's document.
#[derive(Debug, Clone, Default)]
pub(crate) struct Origins {
    moved: Vec<Moved>,
    /// The origins of the stage before, applied after these.
    earlier: Option<Box<Origins>>,
}

/// One node a stage made, and where it came from.
#[derive(Debug, Clone)]
struct Moved {
    made: Pointer,
    original: Pointer,
    /// The file `original` is in, when it is not the document (see [`Located::file`]).
    file: Option<String>,
}

impl Origins {
    /// Records that the node at `made` (and everything below it) came from `original`.
    pub(crate) fn add(&mut self, made: Pointer, original: Pointer) {
        if made != original {
            self.moved.push(Moved {
                made,
                original,
                file: None,
            });
        }
    }

    /// Records that the node at `made` (and everything below it) came from `original` in
    /// another `file`.
    pub(crate) fn add_in(&mut self, made: Pointer, original: Pointer, file: &str) {
        self.moved.push(Moved {
            made,
            original,
            file: Some(file.to_owned()),
        });
    }

    /// `error` with a pointer into a made node (and any mention of one in its message) moved to
    /// the node it was made from; the longest matching pointer wins.
    pub(crate) fn locate(&self, mut error: Located) -> Located {
        // A node already placed in another file has left the nodes these origins know of.
        if error.file.is_some() {
            return error;
        }
        let best = self
            .moved
            .iter()
            .filter(|m| error.pointer.is_within(&m.made))
            .max_by_key(|m| m.made.len());
        if let Some(m) = best {
            if let Some(moved) = error.pointer.rebase(&m.made, &m.original) {
                error.pointer = moved;
                error.file.clone_from(&m.file);
            }
        }
        for m in &self.moved {
            let original = match &m.file {
                Some(file) => format!("{file}{}", m.original),
                None => m.original.to_string(),
            };
            error.message = replace_pointer(&error.message, m.made.as_str(), &original);
        }
        match &self.earlier {
            Some(earlier) => earlier.locate(error),
            None => error,
        }
    }

    /// One list that moves a pointer back through these origins, then through `earlier`'s
    /// (those of the stage that made the document this stage started from, and the stages
    /// before it).
    pub(crate) fn followed_by(mut self, earlier: Origins) -> Origins {
        self.earlier = Some(Box::new(match self.earlier.take() {
            Some(between) => between.followed_by(earlier),
            None => earlier,
        }));
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
