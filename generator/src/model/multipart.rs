//! How a `multipart/form-data` body is written: an object field by field (its binary fields as
//! file parts), and any other value (bytes, text, a list) as one part, so that no schema makes
//! an operation that cannot be sent.

use super::api::{kind_of, struct_fields};
use super::{BodyEncoding, Builder, Ty, TypeKind};
use crate::pointer::Pointer;
use indexmap::IndexMap;
use openapiv3::Encoding;

/// The name of the one part a body that is not an object is sent as, when the media type's
/// `encoding` does not name it.
pub const DEFAULT_PART: &str = "file";

impl Builder<'_> {
    /// How a multipart body of type `ty` is written, and the type the caller gives it: an
    /// object's fields each as a part; a value that is not an object as one part (bytes as a
    /// file, `runtime::Upload`; a list as one part per item), named by the one entry of the
    /// media type's `encoding` (`ptr`), or else [`DEFAULT_PART`], with a warning.
    pub(super) fn multipart(
        &mut self,
        ty: Ty,
        encoding: &IndexMap<String, Encoding>,
        ptr: &Pointer,
    ) -> (BodyEncoding, Ty) {
        let content_types = part_content_types(encoding);
        let Some(value) = self.one_part(&ty) else {
            let files = self.file_fields(&ty);
            return (BodyEncoding::Multipart { files, content_types }, ty);
        };
        let name = match encoding.keys().collect::<Vec<_>>().as_slice() {
            [only] => (*only).clone(),
            _ => {
                self.warn(
                    ptr,
                    format!("a multipart body whose schema is not an object: sent as one part named `{DEFAULT_PART}`"),
                );
                DEFAULT_PART.to_owned()
            }
        };
        let content_type = content_types
            .into_iter()
            .find(|(part, _)| *part == name)
            .map(|(_, ct)| ct);
        (BodyEncoding::MultipartPart { name, content_type }, value)
    }

    /// The type of a multipart body sent as one part, aliases followed and bytes made uploads
    /// (in a list too); `None` for what may be an object, written field by field: a struct, a
    /// map, a union, any JSON.
    fn one_part(&self, ty: &Ty) -> Option<Ty> {
        let upload = |ty: Ty| match self.unaliased(&ty) {
            Ty::Bytes | Ty::Upload => Ty::Upload,
            _ => ty,
        };
        match self.unaliased(ty) {
            Ty::Json | Ty::Map(_) | Ty::Nullable(_) => None,
            Ty::Named(name) => match kind_of(&self.types, &self.index, &name) {
                Some(TypeKind::Enum(_) | TypeKind::IntEnum(_)) => Some(Ty::Named(name)),
                _ => None,
            },
            Ty::Vec(item) => Some(Ty::Vec(Box::new(upload(*item)))),
            other => Some(upload(other)),
        }
    }

    /// `ty` with named aliases replaced by what they name (at most 16 deep: a cycle of
    /// aliases stays a name).
    fn unaliased(&self, ty: &Ty) -> Ty {
        let mut ty = ty.clone();
        for _ in 0..16 {
            match &ty {
                Ty::Named(name) => match kind_of(&self.types, &self.index, name) {
                    Some(TypeKind::Alias(inner)) => ty = inner.clone(),
                    _ => break,
                },
                _ => break,
            }
        }
        ty
    }

    /// The binary fields of a multipart body's struct: each is sent as a file part.
    pub(super) fn file_fields(&self, ty: &Ty) -> Vec<String> {
        struct_fields(&self.types, &self.index, ty)
            .unwrap_or_default()
            .iter()
            .filter(|f| is_binary(&f.ty) || matches!(&f.ty, Ty::Vec(inner) if is_binary(inner)))
            .map(|f| f.wire.clone())
            .collect()
    }
}

/// The media type each multipart part's `encoding` names: of a list (`image/png, image/jpeg`),
/// the first; a range (`image/*`) names none, so the part keeps the default.
fn part_content_types(encoding: &IndexMap<String, Encoding>) -> Vec<(String, String)> {
    encoding
        .iter()
        .filter_map(|(field, e)| {
            let first = e.content_type.as_deref()?.split(',').next()?.trim();
            let valid = !first.is_empty()
                && !first.contains('*')
                && first.contains('/')
                && first.bytes().all(|b| b.is_ascii_graphic() || b == b' ');
            valid.then(|| (field.clone(), first.to_owned()))
        })
        .collect()
}

fn is_binary(ty: &Ty) -> bool {
    matches!(ty, Ty::Bytes | Ty::Upload)
}
