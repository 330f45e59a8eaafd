//! Responses: the success type (one body, or an enum of outcomes) and the typed error cases.

use super::events::framing;
use super::operations::{is_json, is_xml, media_essence};
use super::references::component;
use super::{prose, Builder, ErrorCase, Operation, Outcome, StatusKey, Success, Ty, TypeDef, TypeKind};
use crate::error::Located;
use crate::names::unique;
use crate::pointer::Pointer;
use openapiv3::{ReferenceOr, Schema, StatusCode};
use std::collections::BTreeSet;

/// What an operation answers, from its responses.
pub(super) struct Answers {
    pub(super) success: Success,
    pub(super) errors: Vec<ErrorCase>,
    pub(super) accept: Option<String>,
    /// A 2xx answer declares a `Link` header (RFC 8288), which may point at the next page.
    pub(super) link_header: bool,
    /// The typed success body is XML, not JSON.
    pub(super) xml: bool,
    /// The stream of events a 2xx answers (the first one that does).
    pub(super) events: Option<super::Events>,
}

impl Builder<'_> {
    /// Whether a 2xx answer among `entries` declares a `Link` header (RFC 8288).
    fn declares_link(&self, entries: &[(StatusKey, &ReferenceOr<openapiv3::Response>, Pointer)]) -> bool {
        entries.iter().any(|(key, r, ptr)| {
            matches!(key, StatusKey::Code(200..=299) | StatusKey::Range(2))
                && self
                    .response(r, ptr)
                    .is_ok_and(|response| response.headers.keys().any(|h| h.eq_ignore_ascii_case("link")))
        })
    }

    /// What the operation answers: the success type, the typed error cases (sorted by status)
    /// and the `Accept` header when not all successful answers are JSON.
    pub(super) fn responses(
        &mut self,
        op: &openapiv3::Operation,
        ptr: &Pointer,
        hint: &str,
    ) -> Result<Answers, Located> {
        let entries = entries(op, ptr);
        let mut successes: Vec<(StatusKey, Success, String)> = Vec::new();
        let mut success_media: Vec<String> = Vec::new();
        let mut errors = Vec::new();
        let mut xml = false;
        let mut events = None;
        let link_header = self.declares_link(&entries);
        for (key, r, eptr) in entries {
            let response = self.response(r, &eptr)?;
            let json = response
                .content
                .iter()
                .find(|(m, _)| is_json(m))
                .and_then(|(m, mt)| mt.schema.as_ref().map(|s| (m.clone(), s.clone())));
            let is_success = matches!(key, StatusKey::Code(200..=299) | StatusKey::Range(2));
            // A success answered in XML only is typed too, read as XML (an error's stays raw).
            let json = json.or_else(|| {
                let (m, mt) = response
                    .content
                    .iter()
                    .find(|(m, _)| is_xml(m))
                    .filter(|_| is_success)?;
                let typed = mt.schema.as_ref().filter(|s| !self.binary_schema(s))?;
                xml = true;
                Some((m.clone(), typed.clone()))
            });
            if is_success {
                // A stream is asked for by its own method (or is the only answer).
                let stream = self.events(op, &response, &eptr, hint)?;
                for media in response.content.keys() {
                    if framing(media).is_none() && !success_media.contains(media) {
                        success_media.push(media.clone());
                    }
                }
                let only = stream.clone().filter(|_| json.is_none());
                if events.is_none() {
                    events = stream;
                }
                let body = match only {
                    Some(only) => Success::Events(only),
                    None => self.success_body(json, &response, key, &eptr, &hint_of(hint, key, &successes))?,
                };
                successes.push((key, body, prose(&response.description)));
            } else {
                errors.push(ErrorCase {
                    status: key,
                    body: self.error_body(json, key, &eptr, hint)?,
                    description: prose(&response.description),
                });
            }
        }
        // An operation that streams events answers that way whatever its status.
        let stream = successes.iter().find(|(_, body, _)| matches!(body, Success::Events(_)));
        let success = match stream {
            Some((_, only, _)) => only.clone(),
            None => self.success(hint, successes),
        };
        // The client asks for JSON unless the operation also answers in other media types.
        let accept = match &success {
            Success::Events(only) => {
                events = None;
                Some(only.media.clone())
            }
            _ => (!success_media.iter().all(|m| is_json(m))).then(|| success_media.join(", ")),
        };
        Ok(Answers {
            success,
            errors,
            accept,
            link_header,
            xml,
            events,
        })
    }

    /// What a 2xx answer carries, from its JSON (or XML) media type and schema, `json`: raw
    /// bytes for a binary schema, the type `hint` names, or a body without a schema.
    fn success_body(
        &mut self,
        json: Option<(String, ReferenceOr<Schema>)>,
        response: &openapiv3::Response,
        key: StatusKey,
        eptr: &Pointer,
        hint: &str,
    ) -> Result<Success, Located> {
        Ok(match json {
            // Raw bytes are raw bytes whatever the media type says (a binary schema under
            // `application/json` is not a JSON list of numbers).
            Some((_, s)) if self.binary_schema(&s) => Success::Bytes,
            Some((media, s)) => {
                let sptr = eptr.join("content").join(media).join("schema");
                Success::Json(self.resolve(&s, hint, &sptr)?.ty)
            }
            None => {
                let binary = response
                    .content
                    .values()
                    .any(|mt| mt.schema.as_ref().is_some_and(|s| self.binary_schema(s)));
                raw_body(response, key, binary)
            }
        })
    }

    /// The type an error status's JSON body (`json`: its media type and schema) decodes into,
    /// named after the operation (`hint`) and the status; `None` without one, and for a binary
    /// schema, whose body is kept as it came (`raw_body`), not decoded as JSON.
    fn error_body(
        &mut self,
        json: Option<(String, ReferenceOr<Schema>)>,
        key: StatusKey,
        eptr: &Pointer,
        hint: &str,
    ) -> Result<Option<String>, Located> {
        let Some((media, s)) = json.filter(|(_, s)| !self.binary_schema(s)) else {
            return Ok(None);
        };
        let sptr = eptr.join("content").join(media).join("schema");
        let suffix = status_suffix(key);
        let resolved = self.resolve(&s, &format!("{hint}Response{suffix}"), &sptr)?;
        Ok(Some(match resolved.ty {
            Ty::Named(n) => n,
            other => {
                let name = self.namer.claim(&format!("{hint}Response{suffix}"));
                self.push_type(TypeDef::new(name.clone(), resolved.doc, TypeKind::Alias(other)));
                name
            }
        }))
    }

    /// What a call returns, from its documented 2xx statuses: the one body they share, or an
    /// enum of outcomes when they differ (`200` with a body beside `204` without, say).
    pub(super) fn success(&mut self, hint: &str, mut cases: Vec<(StatusKey, Success, String)>) -> Success {
        // An undeclared body next to declared ones is the same body, documented once.
        let declared: Vec<&Success> = cases
            .iter()
            .map(|(_, body, _)| body)
            .filter(|b| !matches!(b, Success::Untyped))
            .collect();
        if let [first, rest @ ..] = declared.as_slice() {
            if rest.iter().all(|b| b == first) && !matches!(first, Success::Unit) {
                let first = (*first).clone();
                for case in &mut cases {
                    if case.1 == Success::Untyped {
                        case.1 = first.clone();
                    }
                }
            }
        }
        match cases.as_slice() {
            [] => return Success::Unit,
            [(_, only, _)] => return only.clone(),
            [(_, first, _), rest @ ..] if rest.iter().all(|(_, b, _)| b == first) => return first.clone(),
            _ => {}
        }
        let name = self.namer.claim(&format!("{hint}Outcome"));
        let mut taken = BTreeSet::new();
        let cases = cases
            .into_iter()
            .map(|(status, body, description)| Outcome {
                variant: unique(&mut taken, outcome_name(status)),
                status,
                body,
                description,
            })
            .collect();
        Success::Outcomes { name, cases }
    }

    pub(super) fn response(
        &self,
        r: &ReferenceOr<openapiv3::Response>,
        ptr: &Pointer,
    ) -> Result<openapiv3::Response, Located> {
        let responses = self.doc.components.as_ref().map(|c| &c.responses);
        component(r, responses, "responses", "a response", ptr).cloned()
    }
}

/// An operation's responses with their status keys and pointers, sorted by status.
fn entries<'o>(
    op: &'o openapiv3::Operation,
    ptr: &Pointer,
) -> Vec<(StatusKey, &'o ReferenceOr<openapiv3::Response>, Pointer)> {
    let rptr = ptr.join("responses");
    let mut entries: Vec<_> = op
        .responses
        .responses
        .iter()
        .map(|(code, r)| match code {
            StatusCode::Code(c) => (StatusKey::Code(*c), r, rptr.join(c.to_string())),
            StatusCode::Range(n) => (StatusKey::Range(*n), r, rptr.join(format!("{n}XX"))),
        })
        .collect();
    if let Some(d) = &op.responses.default {
        entries.push((StatusKey::Default, d, rptr.join("default")));
    }
    entries.sort_by_key(|(k, _, _)| *k);
    entries
}

/// The name of a 2xx body's type: the first 2xx keeps the plain name, so one-outcome
/// operations read as before; later ones add their status.
fn hint_of(hint: &str, key: StatusKey, earlier: &[(StatusKey, Success, String)]) -> String {
    match earlier.is_empty() {
        true => format!("{hint}Response"),
        false => format!("{hint}Response{}", status_suffix(key)),
    }
}

pub(super) fn status_suffix(key: StatusKey) -> String {
    match key {
        StatusKey::Code(c) => c.to_string(),
        StatusKey::Range(r) => format!("{r}xx"),
        StatusKey::Default => "Default".into(),
    }
}

/// An outcome variant's name: the status's reason phrase.
pub(super) fn outcome_name(key: StatusKey) -> String {
    match key {
        StatusKey::Code(200) => "Ok".into(),
        StatusKey::Code(201) => "Created".into(),
        StatusKey::Code(202) => "Accepted".into(),
        StatusKey::Code(203) => "NonAuthoritative".into(),
        StatusKey::Code(204) => "NoContent".into(),
        StatusKey::Code(205) => "ResetContent".into(),
        StatusKey::Code(206) => "PartialContent".into(),
        StatusKey::Code(207) => "MultiStatus".into(),
        StatusKey::Code(c) => format!("Status{c}"),
        StatusKey::Range(_) | StatusKey::Default => "OtherSuccess".into(),
    }
}

/// A 2xx body without a JSON schema: binary data (`binary`: a media type's schema is
/// `format: binary`, directly or through references, whatever the media type), text, empty
/// (204, 205 or no content), or JSON of no declared shape.
pub(super) fn raw_body(response: &openapiv3::Response, key: StatusKey, binary: bool) -> Success {
    let media: Vec<String> = response.content.keys().map(|m| media_essence(m)).collect();
    if binary {
        Success::Bytes
    } else if media.iter().any(|m| is_json(m)) {
        Success::Untyped
    } else if media.iter().any(|m| m.starts_with("text/")) {
        Success::Text
    } else if !media.is_empty() {
        Success::Bytes
    } else if matches!(key, StatusKey::Code(204 | 205)) {
        Success::Unit
    } else {
        Success::Untyped
    }
}

/// The distinct lists of error cases of `operations`, in order of first use; each operation is
/// told which one is its own.
pub(super) fn share_error_tables(operations: &mut [Operation]) -> Vec<Vec<(StatusKey, Option<String>)>> {
    let mut tables: Vec<Vec<(StatusKey, Option<String>)>> = Vec::new();
    let mut positions: std::collections::BTreeMap<Vec<(StatusKey, Option<String>)>, usize> =
        std::collections::BTreeMap::new();
    for op in operations {
        let table: Vec<(StatusKey, Option<String>)> = op.errors.iter().map(|e| (e.status, e.body.clone())).collect();
        op.error_table = *positions.entry(table).or_insert_with_key(|table| {
            tables.push(table.clone());
            tables.len() - 1
        });
    }
    tables
}
