//! The terms the generator and the runtime share about an operation: its HTTP method, the
//! statuses its responses are declared for, the styles of its parameters and the constraints
//! on its values. Defined once: the runtime holds this file as a module, and the generator
//! includes the same file (it needs nothing but the standard library), so what the generator
//! writes and what the runtime reads cannot drift apart. Each side adds the methods it needs
//! where it uses them.

use std::fmt;

/// An HTTP method an operation can have.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HttpMethod {
    Get,
    Put,
    Post,
    Delete,
    Options,
    Head,
    Patch,
    Trace,
}

impl HttpMethod {
    /// The method as HTTP writes it: `GET`, `POST`, ...
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            HttpMethod::Get => "GET",
            HttpMethod::Put => "PUT",
            HttpMethod::Post => "POST",
            HttpMethod::Delete => "DELETE",
            HttpMethod::Options => "OPTIONS",
            HttpMethod::Head => "HEAD",
            HttpMethod::Patch => "PATCH",
            HttpMethod::Trace => "TRACE",
        }
    }
}

impl fmt::Display for HttpMethod {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Which response statuses a declared response covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum StatusKey {
    Code(u16),
    /// `4XX` is `Range(4)`.
    Range(u16),
    Default,
}

/// How a structured parameter (an array or an object) is written, as OpenAPI's `style` names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// `id=3,4,5` (query and cookie default).
    Form,
    /// `3,4,5` (path and header default).
    Simple,
    /// `.3.4.5` in a path.
    Label,
    /// `;id=3;id=4` in a path.
    Matrix,
    /// `id=3 4 5` in a query.
    SpaceDelimited,
    /// `id=3|4|5` in a query.
    PipeDelimited,
    /// `id[role]=admin` in a query; nested objects and arrays in bracket form at any depth
    /// (`id[team][name]=ops`, `id[tags][]=a`, `id[windows][0][from]=1`).
    DeepObject,
}

/// The declared constraints of one value: bounds, lengths, a pattern, item counts. `P` holds
/// the pattern: `&'static str` in the constants generated code writes, `String` in the
/// generator's model of a document.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Constraints<P = &'static str> {
    pub minimum: Option<f64>,
    pub exclusive_minimum: bool,
    pub maximum: Option<f64>,
    pub exclusive_maximum: bool,
    pub min_length: Option<usize>,
    pub max_length: Option<usize>,
    pub pattern: Option<P>,
    pub min_items: Option<usize>,
    pub max_items: Option<usize>,
}
