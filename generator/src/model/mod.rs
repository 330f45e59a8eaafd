//! Stage 3: the OpenAPI document as plain data the emitters read.
//!
//! Every `$ref` is resolved, every inline schema that needs a Rust type gets a stable name
//! (`Parent` + `Property`, `Operation` + `Request`/`Response`), names are made Rust-safe and
//! collisions are settled in document order, and operations are normalised: parameters merged
//! and typed, the body chosen, responses split into the success type and typed error cases.
//!
//! Fallbacks (documented in the generator's README): `not` and schemas without a type become
//! `serde_json::Value`; integer enums become plain integers.

mod api;
mod choices;
mod composition;
mod constraints;
mod declared_paging;
mod declared_retries;
mod environment;
mod events;
mod features;
mod multipart;
mod operations;
mod paging;
mod rate_limits;
mod reach;
mod recursion;
mod references;
mod responses;
mod schemas;
mod security;
mod selected;
mod shapes;
mod webhooks;

pub use crate::error::Warning;
pub use api::*;
pub use choices::RUNTIME_CRATES;
pub(crate) use choices::{apply as apply_choices, Choices};
pub use constraints::Constraints;
pub use declared_retries::DeclaredRetry;
pub use environment::{env_oauth, env_prefix_from, valid_env_prefix, variables, EnvRole, EnvVar};
pub use features::{STANDALONE, UNTAGGED, WEBHOOKS};
pub use multipart::DEFAULT_PART;
pub use paging::{CursorPaging, FieldPath, NextCursor, OffsetPaging, PageEnd, PageItems, PageNumberPaging, Paging};
pub use rate_limits::RateLimit;
pub use security::{OAuthFlow, OAuthFlows, Requirement, SchemeKind, SecurityScheme};
pub(crate) use webhooks::{sources as webhook_sources, Source as WebhookSource};
pub use webhooks::{Mark, Webhook};

use crate::error::Located;
use crate::names::{self, camel, Namer};
use crate::pointer::Pointer;
use api::{scalar_in, TypeIndex};
use openapiv3::{OpenAPI, ReferenceOr};
use recursion::box_recursive_fields;
use references::reference_cycle;
use std::collections::{BTreeMap, BTreeSet};

struct Builder<'a> {
    doc: &'a OpenAPI,
    namer: Namer,
    /// Component schema name to Rust type name.
    components: BTreeMap<String, String>,
    types: Vec<TypeDef>,
    index: TypeIndex,
    /// The supported security schemes.
    schemes: Vec<SecurityScheme>,
    /// The type defined for each inline schema, by its JSON pointer.
    inline_types: std::collections::HashMap<Pointer, String>,
    /// The lossy or surprising choices made so far.
    warnings: Vec<Warning>,
}

impl Builder<'_> {
    /// Records a lossy or surprising choice made at `ptr`.
    fn warn(&mut self, ptr: &Pointer, message: impl Into<String>) {
        self.warnings.push(Warning {
            file: None,
            pointer: ptr.to_owned(),
            message: message.into(),
        });
    }
}

/// A schema after resolution: its type, whether it may be null, and its description.
struct Resolved {
    ty: Ty,
    nullable: bool,
    doc: Option<String>,
}

/// Builds the model of a loaded document, of the operations `selection` keeps, with the path
/// items of its webhooks and callbacks (which openapiv3 does not read: see `webhooks.rs`);
/// returns it with the nodes of the document only left-out parts use (warnings at them are
/// not the selected client's).
pub(crate) fn build(
    doc: &OpenAPI,
    hooks: &[WebhookSource],
    selection: &crate::select::Selection,
) -> Result<(Api, Vec<Pointer>), Located> {
    let mut b = Builder {
        doc,
        namer: Namer::for_types(),
        components: BTreeMap::new(),
        types: Vec::new(),
        index: TypeIndex::default(),
        schemes: Vec::new(),
        inline_types: std::collections::HashMap::new(),
        warnings: Vec::new(),
    };
    (b.schemes, b.warnings) = security::schemes(doc)?;
    let rate_limits = rate_limits::declared(&doc.extensions, &Pointer::root(), &mut b.warnings);
    let retry = declared_retries::declared(&doc.extensions, &Pointer::root(), &mut b.warnings);
    b.components()?;
    let mut operations = b.operations()?;
    let left_out = selected::keep(&mut b, &mut operations, selection)?;
    // A selection keeps operations: the webhooks, which no operation reaches, come with the
    // whole document only.
    let webhooks = match selection.is_everything() {
        true => b.webhooks(hooks),
        false => Vec::new(),
    };
    let components: BTreeSet<&str> = b.components.values().map(String::as_str).collect();
    shapes::merge_identical(&mut b.types, &components);
    box_recursive_fields(&mut b.types, &b.index);
    reach::mark(&mut b.types, &b.index, &operations);
    let payloads: Vec<Ty> = webhooks.iter().map(|w| w.payload.clone()).collect();
    let features = features::assign(&mut b.types, &b.index, &mut operations, &payloads);
    let error_tables = responses::share_error_tables(&mut operations);

    let mut error_bodies = BTreeSet::new();
    for op in &operations {
        for e in &op.errors {
            if let Some(body) = &e.body {
                error_bodies.insert(body.clone());
            }
        }
    }

    let api = Api {
        title: prose(&doc.info.title),
        version: doc.info.version.clone(),
        description: non_empty(&doc.info.description),
        base_url: base_url(doc),
        types: b.types,
        index: b.index,
        operations,
        error_bodies: error_bodies.into_iter().collect(),
        error_tables,
        security_schemes: b.schemes,
        rate_limits,
        warnings: b.warnings,
        features,
        retry,
        crates: Vec::new(),
        left_out: left_out.types,
        event_header: webhooks::event_header(&webhooks),
        webhooks,
    };
    Ok((api, left_out.nodes))
}

fn base_url(doc: &OpenAPI) -> String {
    let Some(server) = doc.servers.first() else {
        return "/".into();
    };
    let mut url = server.url.clone();
    if let Some(vars) = &server.variables {
        for (name, var) in vars {
            url = url.replace(&format!("{{{name}}}"), &var.default);
        }
    }
    url.trim_end_matches('/').to_owned()
}

/// Text the document gives (a description, a summary), trimmed, with every line break as `\n`;
/// `None` when there is none.
fn non_empty(s: &Option<String>) -> Option<String> {
    s.as_deref().map(prose).filter(|s| !s.is_empty())
}

/// Document text as generated code carries it: line breaks written `\r\n`, `\n\r` or a lone
/// `\r` become `\n` (rustc refuses a carriage return in a doc comment), and the ends trimmed.
pub(crate) fn prose(text: &str) -> String {
    if !text.contains('\r') {
        return text.trim().to_owned();
    }
    text.replace("\r\n", "\n")
        .replace("\n\r", "\n")
        .replace('\r', "\n")
        .trim()
        .to_owned()
}

impl Builder<'_> {
    /// Defines a type for every component schema, in document order. Every component's name is
    /// claimed first, so inline types never take a component's name.
    fn components(&mut self) -> Result<(), Located> {
        let Some(schemas) = self.doc.components.as_ref().map(|c| &c.schemas) else {
            return Ok(());
        };
        for name in schemas.keys() {
            let rust = self.namer.claim(&camel(name));
            self.components.insert(name.clone(), rust);
        }
        if let Some((name, chain)) = reference_cycle(schemas) {
            return Err(Located::new(
                Pointer::at(&["components", "schemas"]).join(name).join("$ref"),
                format!(
                    "the schema is only a reference, and the chain {chain} comes back to it; give one of them a definition"
                ),
            ));
        }
        for (name, schema) in schemas {
            let ptr = Pointer::at(&["components", "schemas"]).join(name);
            let rust = self.components[name].clone();
            match schema {
                ReferenceOr::Reference { reference } => {
                    let target = self.reference(reference, &ptr)?;
                    self.push_type(TypeDef::new(rust, target.doc, TypeKind::Alias(target.ty)));
                }
                ReferenceOr::Item(s) => self.define_named(&rust, s, &ptr)?,
            }
        }
        Ok(())
    }

    /// Every operation, in document order, named within the scopes of `Client` methods and
    /// of `builders.rs`.
    fn operations(&mut self) -> Result<Vec<Operation>, Located> {
        let doc = self.doc;
        let mut operations = Vec::new();
        let mut method_names = names::scope(names::CLIENT_METHODS);
        let mut builder_names = names::scope(names::BUILDERS_MODULE_NAMES);
        for (path, item) in &doc.paths.paths {
            let ptr = Pointer::at(&["paths"]).join(path);
            let item = match item {
                ReferenceOr::Item(i) => i,
                ReferenceOr::Reference { .. } => {
                    return Err(Located::new(
                        ptr,
                        "path item references are not supported; inline the path item",
                    ))
                }
            };
            for (key, op) in item.iter() {
                let op_ptr = ptr.join(key);
                let Some(method) = HttpMethod::from_key(key) else {
                    return Err(Located::new(op_ptr, format!("`{key}` is not an HTTP method")));
                };
                operations.push(self.operation(
                    path,
                    method,
                    op,
                    &item.parameters,
                    &op_ptr,
                    &mut method_names,
                    &mut builder_names,
                )?);
            }
        }

        Ok(operations)
    }
}
