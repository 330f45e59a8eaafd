//! Webhooks: the requests an API sends its users, each an event with a typed payload, for the
//! generated `webhooks` module (behind the crate's `webhooks` feature).
//!
//! Sources, in this order (every one a path item of requests the API makes):
//! - `x-webhooks`, which also holds a 3.1 document's `webhooks` (the down-conversion moves them
//!   there): every operation of each entry is an event, keyed by the entry's name;
//! - operations' `callbacks` (3.0), inline or a `$ref` into `components/callbacks` (each
//!   component once, however many operations name it): every operation with a request body
//!   of each of the callback's path items, keyed by the callback's name.
//!
//! An event's payload is its request body's JSON schema: a component's type when it is a
//! `$ref`, an inline type named after the event (`{Variant}Payload`) otherwise, and
//! `serde_json::Value` without a schema (or without a JSON media type, with a warning).
//!
//! Its variant of the generated enum is named from the entry's key when the entry has one
//! event (GitHub's `branch-protection-rule-created` is `BranchProtectionRuleCreated`), else from
//! its `operationId` (else the key and the method), in document order, `Unknown` taken by the
//! enum's own variant. The names a delivery may give it are its key, its `operationId`, and
//! that id's part before its last `/` (GitHub's `branch-protection-rule/created` answers to
//! `X-GitHub-Event: branch_protection_rule`). Its marks are the payload's properties that have
//! one value (a one-value `enum`, or a 3.1 `const`): a struct's, or those every variant of a
//! union shares. The event header is a header parameter every event declares whose name ends
//! in `event` (or `event-type`, `event-name`): GitHub's `X-GitHub-Event`.
//!
//! Bad input degrades: a path item that does not read, or a payload whose schema does not
//! resolve, leaves the event out with a warning at its node.

use super::{non_empty, Builder, Ty, TypeDef, TypeIndex, TypeKind};
use crate::names::{camel, scope, unique, WEBHOOK_EVENT_NAMES};
use crate::pointer::Pointer;
use openapiv3::{Parameter, PathItem, ReferenceOr};
use serde_json::{Map, Value};

/// One event a document lists.
#[derive(Debug, Clone, PartialEq)]
pub struct Webhook {
    /// Its variant of the generated `Event` enum.
    pub variant: String,
    /// The key it is listed under: the `x-webhooks` (or 3.1 `webhooks`) entry's, or the
    /// callback's name.
    pub key: String,
    /// The other names a delivery may give it (its `operationId`, and that id's family).
    pub names: Vec<String>,
    /// The payload's type.
    pub payload: Ty,
    /// The payload's properties (JSON names) that have one value in every delivery.
    pub marks: Vec<(String, Mark)>,
    pub doc: Option<String>,
    /// The header parameters it declares (their names as written).
    pub headers: Vec<String>,
}

/// The one value a marking property has.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mark {
    Text(String),
    Integer(i64),
}

/// A path item of requests the API makes, as the document has it.
#[derive(Debug, Clone)]
pub(crate) struct Source {
    pointer: Pointer,
    key: String,
    /// A callback's: only its operations with a request body are events.
    callback: bool,
    item: Value,
}

/// Every path item of webhooks and callbacks in the (normalized) document, in the order of
/// the module docs.
pub(crate) fn sources(doc: &Value) -> Vec<Source> {
    let mut out = Vec::new();
    if let Some(hooks) = doc.get("x-webhooks").and_then(Value::as_object) {
        for (key, item) in hooks {
            out.push(Source {
                pointer: Pointer::at(&["x-webhooks"]).join(key),
                key: key.clone(),
                callback: false,
                item: item.clone(),
            });
        }
    }
    let mut components_seen: Vec<String> = Vec::new();
    let paths = doc.get("paths").and_then(Value::as_object).into_iter().flatten();
    for (path, item) in paths {
        let ops = item.as_object().into_iter().flatten();
        for (method, op) in ops {
            let callbacks = op.get("callbacks").and_then(Value::as_object).into_iter().flatten();
            for (name, callback) in callbacks {
                let mut at = Pointer::at(&["paths", path, method, "callbacks", name]);
                let mut callback = callback;
                if let Some(reference) = callback.get("$ref").and_then(Value::as_str) {
                    let Some(component) = Pointer::parse(reference).and_then(|p| p.component("callbacks")) else {
                        continue;
                    };
                    if components_seen.contains(&component) {
                        continue;
                    }
                    components_seen.push(component.clone());
                    at = Pointer::at(&["components", "callbacks"]).join(&component);
                    let target = doc.get("components").and_then(|c| c.get("callbacks")?.get(&component));
                    match target {
                        Some(target) => callback = target,
                        None => continue,
                    }
                }
                for (expression, item) in callback.as_object().into_iter().flatten() {
                    out.push(Source {
                        pointer: at.join(expression),
                        key: name.clone(),
                        callback: true,
                        item: item.clone(),
                    });
                }
            }
        }
    }
    out
}

/// An operation of an event's path item, read.
struct Declared<'a> {
    source: &'a Source,
    method: String,
    op: openapiv3::Operation,
    shared: Vec<ReferenceOr<Parameter>>,
}

impl Builder<'_> {
    /// The events of `sources` (see the module docs), named in `Event`'s scope.
    pub(super) fn webhooks(&mut self, sources: &[Source]) -> Vec<Webhook> {
        let declared: Vec<Declared<'_>> = sources.iter().flat_map(|s| self.declared(s)).collect();
        let mut variants = scope(WEBHOOK_EVENT_NAMES);
        let mut out = Vec::new();
        for d in &declared {
            let alone = declared.iter().filter(|o| o.source.key == d.source.key).count() == 1;
            let id = d.op.operation_id.as_deref().filter(|id| !id.trim().is_empty());
            let base = match (alone, id) {
                (true, _) => camel(&d.source.key),
                (false, Some(id)) => camel(id),
                (false, None) => camel(&format!("{} {}", d.source.key, d.method)),
            };
            let at = d.source.pointer.join(&d.method);
            let Some(payload) = self.payload(&d.op, &base, &at) else {
                continue;
            };
            let variant = unique(&mut variants, base.clone());
            if variant != base {
                self.warn(
                    &at,
                    format!("the event name `{base}` is taken: this event's variant is `{variant}`"),
                );
            }
            let mut names: Vec<String> = Vec::new();
            if let Some(id) = id {
                names.push(id.to_owned());
                if let Some((family, _)) = id.rsplit_once('/') {
                    names.push(family.to_owned());
                }
            }
            names.retain(|n| *n != d.source.key);
            names.dedup();
            let marks = marks(&self.types, &self.index, &payload, 0);
            out.push(Webhook {
                variant,
                key: d.source.key.clone(),
                names,
                payload,
                marks,
                doc: non_empty(&d.op.summary).or_else(|| non_empty(&d.op.description)),
                headers: self.header_names(d),
            });
        }
        out
    }

    /// The operations of one source that are events; a path item that does not read is
    /// warned of and left out.
    fn declared<'s>(&mut self, source: &'s Source) -> Vec<Declared<'s>> {
        let mut item = source.item.clone();
        // `responses` says what the API expects back, which the receiver does not need: a
        // missing one (optional in 3.1) is no reason to lose the event.
        for op in item.as_object_mut().into_iter().flat_map(Map::values_mut) {
            if let Some(op) = op.as_object_mut().filter(|op| !op.contains_key("responses")) {
                op.insert("responses".to_owned(), Value::Object(Map::new()));
            }
        }
        let item: PathItem = match serde_json::from_value(item) {
            Ok(item) => item,
            Err(e) => {
                self.warn(
                    &source.pointer,
                    format!("not a path item the generator reads ({e}): its events are left out of the webhooks"),
                );
                return Vec::new();
            }
        };
        item.iter()
            .filter(|(_, op)| !source.callback || op.request_body.is_some())
            .map(|(method, op)| Declared {
                source,
                method: method.to_owned(),
                op: op.clone(),
                shared: item.parameters.clone(),
            })
            .collect()
    }

    /// The payload's type, or `None` (warned of) when its schema does not resolve.
    fn payload(&mut self, op: &openapiv3::Operation, variant: &str, at: &Pointer) -> Option<Ty> {
        let Some(body) = &op.request_body else {
            return Some(Ty::Json);
        };
        let rb_at = at.join("requestBody");
        let bodies = self.doc.components.as_ref().map(|c| &c.request_bodies);
        let resolved = super::references::component(body, bodies, "requestBodies", "a request body", &rb_at)
            .map(|rb| rb.content.clone());
        let content = match resolved {
            Ok(content) => content,
            Err(e) => {
                self.warn(
                    &e.pointer,
                    format!("{}: the event is left out of the webhooks", e.message),
                );
                return None;
            }
        };
        let json = content.iter().find(|(m, _)| super::operations::is_json(m));
        let Some((media, mt)) = json else {
            if let Some((media, _)) = content.iter().next() {
                self.warn(
                    &rb_at.join("content").join(media),
                    format!("a webhook payload of `{media}`, not JSON: the event's payload is `serde_json::Value`, and only a JSON body decodes"),
                );
            }
            return Some(Ty::Json);
        };
        let Some(schema) = &mt.schema else {
            return Some(Ty::Json);
        };
        let schema_at = rb_at.join("content").join(media).join("schema");
        match self.resolve(schema, &format!("{variant}Payload"), &schema_at) {
            Ok(resolved) => Some(resolved.ty),
            Err(e) => {
                self.warn(
                    &e.pointer,
                    format!("{}: the event is left out of the webhooks", e.message),
                );
                None
            }
        }
    }

    /// The names of the header parameters an event declares, its path item's and its own.
    fn header_names(&self, d: &Declared<'_>) -> Vec<String> {
        let parameters = self.doc.components.as_ref().map(|c| &c.parameters);
        d.shared
            .iter()
            .chain(&d.op.parameters)
            .filter_map(|p| {
                super::references::component(p, parameters, "parameters", "a parameter", &Pointer::root()).ok()
            })
            .filter_map(|p| match p {
                Parameter::Header { parameter_data, .. } => Some(parameter_data.name.clone()),
                _ => None,
            })
            .collect()
    }
}

/// The header every event declares that names the event (see the module docs), lower-case.
pub(super) fn event_header(webhooks: &[Webhook]) -> Option<String> {
    let first = webhooks.first()?;
    first
        .headers
        .iter()
        .map(|h| h.to_ascii_lowercase())
        .filter(|h| ["event", "event-type", "event-name"].iter().any(|end| h.ends_with(end)))
        .find(|h| {
            webhooks
                .iter()
                .all(|w| w.headers.iter().any(|o| o.eq_ignore_ascii_case(h)))
        })
}

/// The properties of `ty` that have one value (see the module docs).
fn marks(types: &[TypeDef], index: &TypeIndex, ty: &Ty, depth: usize) -> Vec<(String, Mark)> {
    let Ty::Named(name) = ty else { return Vec::new() };
    // Through aliases; `depth` stops at unions that hold themselves.
    let Some(def) = super::api::definition(types, index, name).filter(|_| depth < 16) else {
        return Vec::new();
    };
    match &def.kind {
        TypeKind::Struct(fields) => fields
            .iter()
            .filter_map(|f| Some((f.wire.clone(), one_value(types, index, &f.ty)?)))
            .collect(),
        TypeKind::Union { variants, .. } => {
            let mut each = variants.iter().map(|v| marks(types, index, &v.ty, depth + 1));
            let first = each.next().unwrap_or_default();
            each.fold(first, |shared, next| {
                shared.into_iter().filter(|m| next.contains(m)).collect()
            })
        }
        // An alias of an unnamed type (a list, a map) has no properties.
        TypeKind::Enum(_) | TypeKind::IntEnum(_) | TypeKind::Alias(_) => Vec::new(),
    }
}

/// The one value of an enum of one value (through aliases).
fn one_value(types: &[TypeDef], index: &TypeIndex, ty: &Ty) -> Option<Mark> {
    let Ty::Named(name) = ty else { return None };
    match &super::api::definition(types, index, name)?.kind {
        TypeKind::Enum(values) => match values.as_slice() {
            [only] => Some(Mark::Text(only.wire.clone())),
            _ => None,
        },
        TypeKind::IntEnum(values) => match values.as_slice() {
            [only] => only.wire.parse().ok().map(Mark::Integer),
            _ => None,
        },
        _ => None,
    }
}
