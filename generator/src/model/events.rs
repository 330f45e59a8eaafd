//! Answers that stream events: which media types are streams, how their events are framed,
//! and what each event's data decodes into.
//!
//! A document describes a stream's events in one of two ways, and both are read:
//! - the schema of each event's data (`text/event-stream: schema: $ref: Chunk`), the common
//!   way: the data decodes as that schema;
//! - the schema of the event itself, an object of the fields `event`, `data`, `id` and
//!   `retry` with `data` among them (as OpenAPI 3.2's `itemSchema` does): the data decodes as
//!   the `data` property's schema, and a string one is text.
//!
//! A JSON lines schema that is an array describes the whole stream: each line is an item.
//! Without a schema, server-sent events carry text and JSON lines `serde_json::Value`.
//! The end marker `[DONE]` is read where the operation or its answer mentions it.

use super::{Builder, EventData, EventFraming, Events};
use crate::error::Located;
use crate::pointer::Pointer;
use openapiv3::{ReferenceOr, Schema, SchemaKind, Type};

/// The fields of a server-sent event, as a schema of the event itself names them.
const EVENT_FIELDS: [&str; 4] = ["event", "data", "id", "retry"];

/// The data that ends many APIs' streams, read where the document mentions it.
const DONE: &str = "[DONE]";

/// How a media type's events are framed, if it is a stream.
pub(super) fn framing(media: &str) -> Option<EventFraming> {
    match super::operations::media_essence(media).as_str() {
        "text/event-stream" => Some(EventFraming::ServerSent),
        "application/x-ndjson"
        | "application/ndjson"
        | "application/jsonl"
        | "application/x-jsonl"
        | "application/jsonlines"
        | "application/x-jsonlines" => Some(EventFraming::JsonLines),
        "application/json-seq" => Some(EventFraming::JsonSeq),
        _ => None,
    }
}

impl Builder<'_> {
    /// The stream among `response`'s media types, if it has one: its framing and its events'
    /// data type (named after `hint`), read at `eptr`.
    pub(super) fn events(
        &mut self,
        op: &openapiv3::Operation,
        response: &openapiv3::Response,
        eptr: &Pointer,
        hint: &str,
    ) -> Result<Option<Events>, Located> {
        let Some((media, content, framing)) = response
            .content
            .iter()
            .find_map(|(media, content)| Some((media, content, framing(media)?)))
        else {
            return Ok(None);
        };
        let untyped = match framing {
            EventFraming::ServerSent => EventData::Text,
            EventFraming::JsonLines | EventFraming::JsonSeq => EventData::Untyped,
        };
        let data = match &content.schema {
            None => untyped,
            Some(schema) => {
                let sptr = eptr.join("content").join(media).join("schema");
                match self.data_schema(schema, &sptr, framing) {
                    None => untyped,
                    Some((schema, _)) if self.binary_schema(&schema) => untyped,
                    Some((schema, _)) if self.is_string(&schema) && framing == EventFraming::ServerSent => {
                        EventData::Text
                    }
                    Some((schema, at)) => EventData::Json(self.resolve(&schema, &format!("{hint}Event"), &at)?.ty),
                }
            }
        };
        let texts = [&op.summary, &op.description, &Some(response.description.clone())];
        let end = texts.iter().any(|t| t.as_deref().is_some_and(|t| t.contains(DONE)));
        Ok(Some(Events {
            framing,
            media: media.clone(),
            data,
            end: end.then(|| DONE.to_owned()),
        }))
    }

    /// The schema of each event's data, and where it is: `schema` itself, its `data`
    /// property when it describes the event, or its items when it describes a stream of
    /// JSON lines as an array. `None` when the event's data has no schema.
    fn data_schema(
        &self,
        schema: &ReferenceOr<Schema>,
        ptr: &Pointer,
        framing: EventFraming,
    ) -> Option<(ReferenceOr<Schema>, Pointer)> {
        let item = self.schema_item(schema)?;
        match &item.schema_kind {
            SchemaKind::Type(Type::Object(object))
                if framing == EventFraming::ServerSent
                    && object.properties.contains_key("data")
                    && object.properties.keys().all(|k| EVENT_FIELDS.contains(&k.as_str())) =>
            {
                let data = object.properties.get("data")?;
                let at = self.pointer_of(schema, ptr).join("properties").join("data");
                Some((data.clone().unbox(), at))
            }
            SchemaKind::Type(Type::Array(array)) if framing != EventFraming::ServerSent => {
                let items = array.items.as_ref()?;
                let at = self.pointer_of(schema, ptr).join("items");
                Some((items.clone().unbox(), at))
            }
            _ => Some((schema.clone(), ptr.clone())),
        }
    }

    /// Where `schema` is: the component it refers to, or `ptr`.
    fn pointer_of(&self, schema: &ReferenceOr<Schema>, ptr: &Pointer) -> Pointer {
        match schema {
            ReferenceOr::Reference { reference } => Pointer::parse(reference).unwrap_or_else(|| ptr.clone()),
            ReferenceOr::Item(_) => ptr.clone(),
        }
    }

    /// Whether `schema` is a plain string (of any format but binary).
    fn is_string(&self, schema: &ReferenceOr<Schema>) -> bool {
        self.schema_item(schema)
            .is_some_and(|s| matches!(s.schema_kind, SchemaKind::Type(Type::String(_))))
    }
}
