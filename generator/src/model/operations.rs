//! Operations: names, parameters (path-level ones merged in), the request body and how it is
//! written, security, and offset pagination.

use super::paging;
use super::references::component;
use super::{
    names, non_empty, scalar_in, security, Body, BodyEncoding, Builder, Constraints, HttpMethod, Location, Operation,
    Param, PathSegment, Style, Ty,
};
use crate::error::Located;
use crate::names::{camel, snake, unique};
use crate::pointer::Pointer;
use openapiv3::{Parameter, ParameterSchemaOrContent, ReferenceOr};
use std::collections::BTreeSet;

impl Builder<'_> {
    /// One operation, named (its `operationId` in snake case, or its method and path) within
    /// `method_names` and `builder_names`.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn operation(
        &mut self,
        path: &str,
        method: HttpMethod,
        op: &openapiv3::Operation,
        shared: &[ReferenceOr<Parameter>],
        ptr: &Pointer,
        method_names: &mut BTreeSet<String>,
        builder_names: &mut BTreeSet<String>,
    ) -> Result<Operation, Located> {
        // A name the document gives in another generator's vocabulary wins over the id.
        let named = ["x-speakeasy-name-override", "x-fern-sdk-method-name"]
            .iter()
            .find_map(|key| op.extensions.get(*key)?.as_str().filter(|n| !n.trim().is_empty()));
        let base = match named.or(op.operation_id.as_deref()) {
            Some(id) if !id.trim().is_empty() => snake(id),
            _ => {
                let statics: Vec<&str> = path
                    .split('/')
                    .filter(|s| !s.is_empty() && !s.starts_with('{'))
                    .collect();
                snake(&format!("{method} {}", statics.join(" ")))
            }
        };
        let method_name = unique(method_names, base.clone());
        if method_name != base {
            self.warn(
                ptr,
                format!(
                    "the method name `{base}` is taken (by another operation or by the client itself): this operation's method is `{method_name}`"
                ),
            );
        }
        let builder_name = unique(builder_names, camel(&method_name));
        let hint = camel(&method_name);

        let params = self.parameters(path, op, shared, ptr, &hint)?;
        let body = self.request_body(op, ptr, &hint)?;
        let answers = self.responses(op, ptr, &hint)?;
        let (success, errors, accept, events) = (answers.success, answers.errors, answers.accept, answers.events);
        let stated = op.security.as_ref().or(self.doc.security.as_ref());
        let security = security::requirements(stated, &self.schemes);
        let rate_limits = super::rate_limits::declared(&op.extensions, ptr, &mut self.warnings);
        let retry = super::declared_retries::declared(&op.extensions, ptr, &mut self.warnings);

        let types = paging::Types {
            types: &self.types,
            index: &self.index,
        };
        let paging = match super::declared_paging::declared(&types, &op.extensions, &params, &success) {
            Some((_, Ok(declared))) => Some(declared),
            Some((key, Err(why))) => {
                let shaped = types.paging(method, &params, &success, answers.link_header);
                self.warn(&ptr.join(key), format!("{why}: paging is read from the shape"));
                shaped
            }
            None => types.paging(method, &params, &success, answers.link_header),
        };

        Ok(Operation {
            method_name,
            builder_name,
            operation_id: op.operation_id.clone(),
            method,
            path_segments: path_segments(path, &params),
            path: path.to_owned(),
            summary: non_empty(&op.summary),
            description: non_empty(&op.description),
            tags: op.tags.clone(),
            // Set once every operation is known (see `features.rs`).
            features: Vec::new(),
            params,
            body,
            success,
            errors,
            // Set once every operation is known (see `share_error_tables`).
            error_table: 0,
            security,
            rate_limits,
            deprecated: op.deprecated,
            paging,
            answers_xml: answers.xml,
            retry,
            accept,
            events,
        })
    }

    /// The operation's parameters: the path item's first, replaced by the operation's own of
    /// the same name and location, then any name of the path template that none declares.
    fn parameters(
        &mut self,
        path: &str,
        op: &openapiv3::Operation,
        shared: &[ReferenceOr<Parameter>],
        ptr: &Pointer,
        hint: &str,
    ) -> Result<Vec<Param>, Located> {
        let mut raw: Vec<(Parameter, Pointer)> = Vec::new();
        let path_ptr = Pointer::at(&["paths"]).join(path);
        for (i, p) in shared.iter().enumerate() {
            let pptr = path_ptr.join("parameters").join(i);
            raw.push((self.parameter(p, &pptr)?, pptr));
        }
        for (i, p) in op.parameters.iter().enumerate() {
            let pptr = ptr.join("parameters").join(i);
            let p = self.parameter(p, &pptr)?;
            raw.retain(|(q, _)| !(q.parameter_data_ref().name == p.parameter_data_ref().name && same_location(q, &p)));
            raw.push((p, pptr));
        }
        let mut names = names::scope(names::BUILDER_MEMBERS);
        let mut params = Vec::new();
        for (p, pptr) in &raw {
            let location = match p {
                Parameter::Path { .. } => Location::Path,
                Parameter::Query { .. } => Location::Query,
                Parameter::Header { .. } => Location::Header,
                Parameter::Cookie { .. } => Location::Cookie,
            };
            let data = p.parameter_data_ref();
            // OpenAPI 3: header parameters named Accept, Content-Type or Authorization are ignored;
            // the client sets those itself (Authorization from the security scheme).
            if location == Location::Header
                && ["authorization", "accept", "content-type"].contains(&data.name.to_ascii_lowercase().as_str())
            {
                continue;
            }
            let (ty, constraints, default) = match &data.format {
                ParameterSchemaOrContent::Schema(s) => {
                    let ty = match self
                        .resolve(s, &format!("{hint}{}", camel(&data.name)), &pptr.join("schema"))?
                        .ty
                    {
                        // Raw bytes cannot travel in a URL or header; the caller gives the text.
                        Ty::Bytes => Ty::String,
                        ty => ty,
                    };
                    let constraints = Constraints::of(s, &ty, |r| self.schema_at(r));
                    self.check_pattern(constraints.as_ref(), &pptr.join("schema"));
                    // The schema's own default (not a referenced one's), as the text a user types.
                    let default = match s {
                        ReferenceOr::Item(schema) => schema.schema_data.default.as_ref().map(|v| match v {
                            serde_json::Value::String(text) => text.clone(),
                            other => other.to_string(),
                        }),
                        ReferenceOr::Reference { .. } => None,
                    };
                    (ty, constraints, default)
                }
                ParameterSchemaOrContent::Content(_) => (Ty::String, None, None),
            };
            let style = param_style(p);
            let explode = data.explode.unwrap_or(style == Style::Form);
            let structured = !scalar_in(&self.types, &self.index, &ty);
            params.push(Param {
                name: unique(&mut names, snake(&data.name)),
                wire: data.name.clone(),
                location,
                ty,
                required: data.required || location == Location::Path,
                doc: non_empty(&data.description),
                constraints,
                default,
                style,
                explode,
                structured,
                paging_role: match &data.format {
                    ParameterSchemaOrContent::Schema(ReferenceOr::Item(s)) => super::schemas::paging_role(s),
                    _ => None,
                },
            });
        }

        self.undeclared_path_parameters(path, ptr, &mut params, &mut names);
        Ok(params)
    }

    /// A name the path template has but no parameter declares is still part of the URL: the
    /// caller gives it as text.
    fn undeclared_path_parameters(
        &mut self,
        path: &str,
        ptr: &Pointer,
        params: &mut Vec<Param>,
        names: &mut BTreeSet<String>,
    ) {
        for wire in template_names(path) {
            if !params.iter().any(|p| p.location == Location::Path && p.wire == wire) {
                self.warn(
                    ptr,
                    format!("the path names `{{{wire}}}`, which no parameter declares: a String argument"),
                );
                params.push(Param {
                    name: unique(names, snake(wire)),
                    wire: wire.to_owned(),
                    location: Location::Path,
                    ty: Ty::String,
                    required: true,
                    doc: Some(format!(
                        "The `{{{wire}}}` segment of the path. The API description names it in the path but declares no parameter for it, so it is taken as text."
                    )),
                    constraints: None,
                    default: None,
                    style: Style::Simple,
                    explode: false,
                    structured: false,
                    paging_role: None,
                });
            }
        }
    }

    /// The request body, in the first JSON media type or else the first one declared.
    fn request_body(&mut self, op: &openapiv3::Operation, ptr: &Pointer, hint: &str) -> Result<Option<Body>, Located> {
        Ok(match &op.request_body {
            None => None,
            Some(rb) => {
                let rb_ptr = ptr.join("requestBody");
                let bodies = self.doc.components.as_ref().map(|c| &c.request_bodies);
                let rb = component(rb, bodies, "requestBodies", "a request body", &rb_ptr)?;
                let chosen = rb
                    .content
                    .iter()
                    .find(|(m, _)| is_json(m))
                    .or_else(|| rb.content.iter().next());
                match chosen {
                    None => None,
                    Some((media, mt)) => {
                        let mptr = rb_ptr.join("content").join(media);
                        let ty = match &mt.schema {
                            Some(s) => self.resolve(s, &format!("{hint}Request"), &mptr.join("schema"))?.ty,
                            None => Ty::Json,
                        };
                        let (encoding, ty) = self.body_encoding(media, mt, ty, &mptr);
                        Some(Body {
                            ty,
                            required: rb.required,
                            doc: non_empty(&rb.description),
                            media_type: media.clone(),
                            encoding,
                        })
                    }
                }
            }
        })
    }

    /// How a body of media type `media` (at `mptr`) is written, and the type the caller gives
    /// it (`ty` is the schema's).
    fn body_encoding(&mut self, media: &str, mt: &openapiv3::MediaType, ty: Ty, mptr: &Pointer) -> (BodyEncoding, Ty) {
        let essence = media_essence(media);
        let encoding = if is_json(&essence) {
            BodyEncoding::Json
        } else if essence == "application/x-www-form-urlencoded" {
            BodyEncoding::Form {
                styled: form_styles(&mt.encoding),
            }
        } else if essence.starts_with("multipart/") {
            return self.multipart(ty, &mt.encoding, mptr);
        } else if matches!(ty, Ty::Bytes | Ty::String) || mt.schema.is_none() {
            // Bytes or text as they are; without a schema, any bytes (typed below).
            BodyEncoding::Raw
        } else if is_xml(&essence) && super::api::struct_fields(&self.types, &self.index, &ty).is_some() {
            BodyEncoding::Xml
        } else {
            // XML, YAML, ...: the server reads that, never JSON; the caller writes it.
            self.warn(
                mptr,
                format!("a body of `{media}` with a structured schema, which the client does not write: the caller gives its bytes"),
            );
            return (BodyEncoding::Raw, Ty::Upload);
        };
        let ty = match (&encoding, ty) {
            // Raw bytes a caller sends: from memory, a file or a stream.
            (BodyEncoding::Raw, Ty::Json | Ty::Bytes) => Ty::Upload,
            (_, ty) => ty,
        };
        (encoding, ty)
    }

    pub(super) fn parameter(&self, p: &ReferenceOr<Parameter>, ptr: &Pointer) -> Result<Parameter, Located> {
        let parameters = self.doc.components.as_ref().map(|c| &c.parameters);
        component(p, parameters, "parameters", "a parameter", ptr).cloned()
    }
}

/// A query parameter's (or a form field's) style.
fn query_style(style: &openapiv3::QueryStyle) -> Style {
    use openapiv3::QueryStyle;
    match style {
        QueryStyle::Form => Style::Form,
        QueryStyle::SpaceDelimited => Style::SpaceDelimited,
        QueryStyle::PipeDelimited => Style::PipeDelimited,
        QueryStyle::DeepObject => Style::DeepObject,
    }
}

pub(super) fn param_style(p: &Parameter) -> Style {
    use openapiv3::{CookieStyle, HeaderStyle, PathStyle};
    match p {
        Parameter::Query { style, .. } => query_style(style),
        Parameter::Path { style, .. } => match style {
            PathStyle::Simple => Style::Simple,
            PathStyle::Label => Style::Label,
            PathStyle::Matrix => Style::Matrix,
        },
        Parameter::Header { style, .. } => match style {
            HeaderStyle::Simple => Style::Simple,
        },
        Parameter::Cookie { style, .. } => match style {
            CookieStyle::Form => Style::Form,
        },
    }
}

/// A piece of a path template as written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TemplatePiece<'a> {
    Literal(&'a str),
    /// The name between braces.
    Name(&'a str),
}

/// A path template taken apart: `/a/{b}/c` is `/a/`, `b`, `/c`. A `{` without its `}` is text.
fn template(path: &str) -> Vec<TemplatePiece<'_>> {
    let mut pieces = Vec::new();
    let mut rest = path;
    while let Some(start) = rest.find('{') {
        let Some(len) = rest[start..].find('}') else { break };
        if start > 0 {
            pieces.push(TemplatePiece::Literal(&rest[..start]));
        }
        pieces.push(TemplatePiece::Name(&rest[start + 1..start + len]));
        rest = &rest[start + len + 1..];
    }
    if !rest.is_empty() {
        pieces.push(TemplatePiece::Literal(rest));
    }
    pieces
}

/// The names between braces in a path template, in order: `/a/{b}/{c}` gives `b`, `c`.
fn template_names(path: &str) -> impl Iterator<Item = &str> {
    template(path).into_iter().filter_map(|piece| match piece {
        TemplatePiece::Name(name) => Some(name),
        TemplatePiece::Literal(_) => None,
    })
}

/// The path template with each name replaced by the index of its parameter in `params`.
fn path_segments(path: &str, params: &[Param]) -> Vec<PathSegment> {
    template(path)
        .into_iter()
        .map(|piece| match piece {
            TemplatePiece::Literal(text) => PathSegment::Literal(text.to_owned()),
            TemplatePiece::Name(name) => params
                .iter()
                .position(|p| p.location == Location::Path && p.wire == name)
                .map_or_else(|| PathSegment::Literal(format!("{{{name}}}")), PathSegment::Param),
        })
        .collect()
}

/// The fields of a form whose `encoding` writes them in another style than `form`, exploded.
pub(super) fn form_styles(encoding: &indexmap::IndexMap<String, openapiv3::Encoding>) -> Vec<(String, Style, bool)> {
    encoding
        .iter()
        .filter_map(|(field, e)| {
            // openapiv3 reads an absent `explode` as false, so without a `style` the field
            // keeps the defaults (`form`, exploded) whatever `explode` says.
            let style = query_style(e.style.as_ref()?);
            (style != Style::Form || !e.explode).then(|| (field.clone(), style, e.explode))
        })
        .collect()
}

pub(super) fn same_location(a: &Parameter, b: &Parameter) -> bool {
    std::mem::discriminant(a) == std::mem::discriminant(b)
}

/// A media type without its parameters, lower-cased: `Text/Plain; charset=utf-8` is `text/plain`.
pub(super) fn media_essence(media: &str) -> String {
    media.split(';').next().unwrap_or("").trim().to_ascii_lowercase()
}

/// Whether a media type is XML (`application/xml`, `text/xml`, `application/atom+xml`).
pub(super) fn is_xml(media: &str) -> bool {
    let m = media_essence(media);
    m == "application/xml" || m == "text/xml" || m.ends_with("+xml")
}

pub(super) fn is_json(media: &str) -> bool {
    let m = media_essence(media);
    m == "application/json" || m.ends_with("+json") || m == "*/*"
}
