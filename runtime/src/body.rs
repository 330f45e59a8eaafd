//! The request body, encoded as the operation's media type says: JSON, a form, raw bytes or
//! an upload, or `multipart/form-data` written part by part ([`Multipart`]).

use super::error::Error;
use super::params::{path_segment, query_pairs};
use super::request::Request;
use super::upload::{Payload, Piece, Upload};
use super::vocabulary::Style;
use std::borrow::Cow;

impl<B> Request<B> {
    /// Sets a JSON body.
    pub fn json<T: serde::Serialize + ?Sized>(&mut self, body: &T) -> Result<(), Error<B>> {
        let bytes = serde_json::to_vec(body)
            .map_err(|e| Error::InvalidRequest(format!("the request body could not be encoded as JSON: {e}")))?;
        self.body = Some((Payload::bytes(bytes), Cow::Borrowed("application/json")));
        Ok(())
    }

    /// Sets an XML body of media type `media`: `body`'s JSON form written under the root
    /// element `root`, as `shape` says (see [`xml`](super::xml)).
    pub fn xml<T: serde::Serialize + ?Sized>(
        &mut self,
        body: &T,
        root: &str,
        shape: &'static super::xml::Shape,
        media: &'static str,
    ) -> Result<(), Error<B>> {
        let value = serde_json::to_value(body)
            .map_err(|e| Error::InvalidRequest(format!("the request body could not be encoded: {e}")))?;
        let text = super::xml::write(root, shape, &value);
        self.body = Some((Payload::bytes(text.into_bytes()), Cow::Borrowed(media)));
        Ok(())
    }

    /// Sets an `application/x-www-form-urlencoded` body from a flat JSON object.
    ///
    /// An array field is written as its `encoding` says, like a query parameter: by default
    /// (`form`, exploded) one pair per item (`ids=1&ids=2`); `styles` lists the fields written
    /// otherwise, with their style and `explode` (`ids=1,2` for `form` not exploded, `|` or a
    /// space for the delimited styles). Objects are sent as JSON text.
    pub fn form<T: serde::Serialize + ?Sized>(
        &mut self,
        body: &T,
        styles: &[(&str, Style, bool)],
    ) -> Result<(), Error<B>> {
        let fields = fields_of(body, "form")?;
        let mut pairs: Vec<(String, String)> = Vec::new();
        for (k, v) in fields {
            match v {
                serde_json::Value::Null => continue,
                serde_json::Value::String(s) => pairs.push((k, s)),
                items @ serde_json::Value::Array(_) => {
                    let (style, explode) = styles
                        .iter()
                        .find(|(name, _, _)| *name == k)
                        .map_or((Style::Form, true), |(_, style, explode)| (*style, *explode));
                    pairs.extend(query_pairs(&k, style, explode, &items)?);
                }
                other => pairs.push((k, other.to_string())),
            }
        }
        let mut encoded = String::new();
        for (k, v) in pairs {
            if !encoded.is_empty() {
                encoded.push('&');
            }
            encoded.push_str(&path_segment(k.as_str()));
            encoded.push('=');
            encoded.push_str(&path_segment(v.as_str()));
        }
        self.body = Some((
            Payload::bytes(encoded.into_bytes()),
            Cow::Borrowed("application/x-www-form-urlencoded"),
        ));
        Ok(())
    }

    /// Sets a body of bytes or text as it is, with its media type.
    pub fn raw<T: AsRef<[u8]> + ?Sized>(&mut self, body: &T, content_type: &'static str) {
        self.body = Some((Payload::bytes(body.as_ref().to_vec()), Cow::Borrowed(content_type)));
    }

    /// Sets a body of bytes, a file or a stream (see [`Upload`]), with the operation's media
    /// type.
    pub fn upload(&mut self, body: Upload, content_type: &'static str) {
        let (piece, _, _) = body.into_parts();
        self.body = Some((Payload::new(vec![piece]), Cow::Borrowed(content_type)));
    }

    /// Sets a `multipart/form-data` body: one part per field of the object. Fields named in
    /// `files` hold bytes and are sent as file parts (a list of them as several parts); arrays
    /// are sent as one part per item, objects as JSON text, and absent fields not at all.
    pub fn multipart<T: serde::Serialize + ?Sized>(&mut self, body: &T, files: &[&str]) -> Result<(), Error<B>> {
        let mut form = Multipart::new();
        for (name, value) in fields_of(body, "multipart")? {
            let is_file = files.contains(&name.as_str());
            form.value(&name, value, is_file, None).map_err(Error::InvalidRequest)?;
        }
        self.multipart_form(form);
        Ok(())
    }

    /// A `multipart/form-data` body written part by part (see [`Multipart`]).
    pub fn multipart_form(&mut self, form: Multipart) {
        let (body, content_type) = form.finish();
        self.body = Some((body, Cow::Owned(content_type)));
    }
}

/// A `multipart/form-data` body, written part by part: a file's bytes go in as they are
/// (shared, or read from the file when sent), other values as text, or as JSON when they are
/// objects; arrays give one part per item.
#[doc(hidden)]
pub struct Multipart {
    boundary: String,
    pieces: Vec<Piece>,
    /// Part headers and text not yet cut into a piece.
    text: Vec<u8>,
}

impl Default for Multipart {
    fn default() -> Self {
        Self::new()
    }
}

impl Multipart {
    /// An empty form with a fresh boundary.
    pub fn new() -> Self {
        Multipart {
            boundary: format!("----client-boundary-{}", uuid::Uuid::new_v4().simple()),
            pieces: Vec::new(),
            text: Vec::new(),
        }
    }

    /// A file part named `name`: the upload's bytes as they are, with its file name (or
    /// `name`) and its media type (or `content_type`, the document's, or
    /// `application/octet-stream`).
    pub fn file(&mut self, name: &str, upload: impl Into<Upload>, content_type: Option<&str>) {
        let (piece, file_name, own_type) = upload.into().into_parts();
        let file_name = file_name.as_deref().unwrap_or(name);
        let content_type = own_type
            .as_deref()
            .or(content_type)
            .unwrap_or("application/octet-stream");
        self.text.extend_from_slice(
            format!(
                "--{}\r\nContent-Disposition: form-data; name=\"{}\"; filename=\"{}\"\r\n\
                 Content-Type: {}\r\n\r\n",
                self.boundary,
                quoted(name),
                quoted(file_name),
                one_line(content_type),
            )
            .as_bytes(),
        );
        self.pieces.push(Piece::Bytes(std::mem::take(&mut self.text).into()));
        self.pieces.push(piece);
        self.text.extend_from_slice(b"\r\n");
    }

    /// The parts of a field that is not a file: none for `None`, one per item of an array;
    /// `content_type` is the document's for the part, if it names one.
    ///
    /// # Errors
    /// When the value cannot be encoded as JSON.
    pub fn field<T: serde::Serialize + ?Sized, B>(
        &mut self,
        name: &str,
        value: &T,
        content_type: Option<&str>,
    ) -> Result<(), Error<B>> {
        let value = serde_json::to_value(value)
            .map_err(|e| Error::InvalidRequest(format!("field `{name}` could not be encoded: {e}")))?;
        self.value(name, value, false, content_type)
            .map_err(Error::InvalidRequest)
    }

    /// The parts of one field as a JSON value; a file field is an array of byte values (or an
    /// array of them, for several files).
    fn value(
        &mut self,
        name: &str,
        value: serde_json::Value,
        is_file: bool,
        content_type: Option<&str>,
    ) -> Result<(), String> {
        let items = match value {
            serde_json::Value::Null => return Ok(()),
            serde_json::Value::Array(items) if !is_file || items.iter().all(|i| i.is_array()) => items,
            other => vec![other],
        };
        for item in items {
            match item {
                serde_json::Value::Array(bytes) if is_file => {
                    let data: Option<Vec<u8>> = bytes
                        .iter()
                        .map(|b| b.as_u64().and_then(|b| u8::try_from(b).ok()))
                        .collect();
                    let data = data.ok_or_else(|| format!("file field `{name}` is not bytes"))?;
                    self.file(name, data, content_type);
                }
                other => self.text(name, other, content_type),
            }
        }
        Ok(())
    }

    /// A part holding `value` as text (a string as it is, an object or array as JSON).
    fn text(&mut self, name: &str, value: serde_json::Value, content_type: Option<&str>) {
        let (text, default_type) = match value {
            serde_json::Value::String(s) => (s, None),
            v @ (serde_json::Value::Object(_) | serde_json::Value::Array(_)) => {
                (v.to_string(), Some("application/json"))
            }
            v => (v.to_string(), None),
        };
        self.text.extend_from_slice(
            format!(
                "--{}\r\nContent-Disposition: form-data; name=\"{}\"\r\n",
                self.boundary,
                quoted(name)
            )
            .as_bytes(),
        );
        if let Some(ct) = content_type.or(default_type) {
            self.text
                .extend_from_slice(format!("Content-Type: {}\r\n", one_line(ct)).as_bytes());
        }
        self.text.extend_from_slice(b"\r\n");
        self.text.extend_from_slice(text.as_bytes());
        self.text.extend_from_slice(b"\r\n");
    }

    /// The body and its `Content-Type`.
    fn finish(mut self) -> (Payload, String) {
        self.text
            .extend_from_slice(format!("--{}--\r\n", self.boundary).as_bytes());
        self.pieces.push(Piece::Bytes(self.text.into()));
        (
            Payload::new(self.pieces),
            format!("multipart/form-data; boundary={}", self.boundary),
        )
    }
}

/// A name inside a quoted `Content-Disposition` parameter: quotes and line breaks escaped
/// (as browsers do), so a name cannot end the header.
fn quoted(name: &str) -> String {
    name.replace('"', "%22").replace('\r', "%0D").replace('\n', "%0A")
}

/// A header value on one line.
fn one_line(value: &str) -> String {
    value.replace(['\r', '\n'], " ")
}

/// The fields of a body that is encoded field by field (a form, a multipart body): it must
/// encode as a JSON object.
fn fields_of<T: serde::Serialize + ?Sized, B>(
    body: &T,
    kind: &str,
) -> Result<serde_json::Map<String, serde_json::Value>, Error<B>> {
    match serde_json::to_value(body) {
        Ok(serde_json::Value::Object(fields)) => Ok(fields),
        Ok(_) => Err(Error::InvalidRequest(format!("a {kind} body must be an object"))),
        Err(e) => Err(Error::InvalidRequest(format!(
            "the request body could not be encoded: {e}"
        ))),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_multipart_boundary_names_no_api() {
        let form = super::Multipart::new();
        assert!(form.boundary.starts_with("----client-boundary-"), "{}", form.boundary);
        assert_eq!(form.boundary.len(), "----client-boundary-".len() + 32);
    }
}
