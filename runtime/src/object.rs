//! Decoding the generated structs from JSON objects: `Deserialize` written once, here, for
//! every struct of the API, in place of serde's derive.
//!
//! serde's derive reads a struct from a map or from a sequence, and matches field names as
//! strings, bytes or indices through an identifier enum of its own; a JSON API sends only
//! objects with string keys. [`deserialize_struct!`] expands to the map form alone and matches
//! keys as they are, which halves the code rustc checks per struct (measured in BENCHMARKS.md).
//! What is read is the same: unknown keys are skipped, a key given twice is an error, a required
//! field that is missing is an error naming it, and an optional one is `None` (or
//! [`Nullable::Omitted`](super::Nullable::Omitted)).

use std::borrow::Cow;

/// Reads an object's key, borrowed from the input when it can be.
#[doc(hidden)]
pub struct Key;

impl<'de> serde::de::DeserializeSeed<'de> for Key {
    type Value = Cow<'de, str>;

    fn deserialize<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        super::deserialize_str(deserializer)
    }
}

/// Reads the value of the key just read into its field's slot; a second value for the same
/// key is an error, as it is with serde's derive.
#[doc(hidden)]
pub fn next_field<'de, A, T>(map: &mut A, slot: &mut Option<T>, wire: &'static str) -> Result<(), A::Error>
where
    A: serde::de::MapAccess<'de>,
    T: serde::Deserialize<'de>,
{
    if slot.is_some() {
        return Err(serde::de::Error::duplicate_field(wire));
    }
    *slot = Some(map.next_value()?);
    Ok(())
}

/// Skips the value of a key the struct does not have.
#[doc(hidden)]
pub fn skip_value<'de, A: serde::de::MapAccess<'de>>(map: &mut A) -> Result<(), A::Error> {
    map.next_value::<serde::de::IgnoredAny>().map(|_| ())
}

/// The value of a required field, or the error that names it.
#[doc(hidden)]
pub fn required<T, E: serde::de::Error>(slot: Option<T>, wire: &'static str) -> Result<T, E> {
    slot.ok_or_else(|| E::missing_field(wire))
}

/// An integer carried as a JSON string (or a number), read into a required field.
#[doc(hidden)]
pub struct IntegerText<T>(pub T);

impl<'de, T: std::str::FromStr + TryFrom<i64> + TryFrom<u64>> serde::Deserialize<'de> for IntegerText<T> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        super::integer_text::deserialize(deserializer).map(IntegerText)
    }
}

/// [`IntegerText`] for optional and nullable fields.
#[doc(hidden)]
pub struct OptionIntegerText<T>(pub Option<T>);

impl<'de, T: std::str::FromStr + TryFrom<i64> + TryFrom<u64>> serde::Deserialize<'de> for OptionIntegerText<T> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        super::option_integer_text::deserialize(deserializer).map(OptionIntegerText)
    }
}

/// An int64 carried as a JSON string (or a number), read into a required field.
#[doc(hidden)]
pub struct Int64String(pub i64);

impl<'de> serde::Deserialize<'de> for Int64String {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        super::int64_string::deserialize(deserializer).map(Int64String)
    }
}

/// [`Int64String`] for optional and nullable fields.
#[doc(hidden)]
pub struct OptionInt64String(pub Option<i64>);

impl<'de> serde::Deserialize<'de> for OptionInt64String {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        super::option_int64_string::deserialize(deserializer).map(OptionInt64String)
    }
}

/// `Deserialize` for a generated struct, from its fields' names, wire names and kinds:
/// `required`, `optional` (an `Option` or a `Nullable`: absent is its default), `int64` and
/// `option_int64` (an int64 sent as a string), `integer_text` and `option_integer_text` (any
/// integer type sent as a string: the field's type says which).
///
/// ```ignore
/// runtime::deserialize_struct!(Backup { id: "id" required, description: "description" optional });
/// ```
///
/// The runtime's items are reached as for `string_enum!`. The fields'
/// names are the caller's, so they cannot clash with the expansion's own variables; its type
/// parameters and its visitor begin with `__`, which no generated type name does.
#[doc(hidden)]
#[macro_export]
macro_rules! deserialize_struct {
    ($name:ident { $($field:ident: $wire:literal $kind:ident),* $(,)? }) => {
        impl<'de> $crate::serde::Deserialize<'de> for $name {
            fn deserialize<__D: $crate::serde::Deserializer<'de>>(deserializer: __D) -> Result<Self, __D::Error> {
                struct __Visitor;

                impl<'de> $crate::serde::de::Visitor<'de> for __Visitor {
                    type Value = $name;

                    fn expecting(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        f.write_str(concat!("struct ", stringify!($name)))
                    }

                    #[allow(deprecated)]
                    fn visit_map<__A: $crate::serde::de::MapAccess<'de>>(self, mut map: __A) -> Result<$name, __A::Error> {
                        $( $crate::deserialize_struct!(@slot $field $kind); )*
                        while let Some(key) = $crate::serde::de::MapAccess::next_key_seed(&mut map, $crate::Key)? {
                            match key.as_ref() {
                                $( $wire => $crate::next_field(&mut map, &mut $field, $wire)?, )*
                                _ => $crate::skip_value(&mut map)?,
                            }
                        }
                        Ok($name {
                            $( $field: $crate::deserialize_struct!(@finish $field $wire $kind), )*
                        })
                    }
                }

                deserializer.deserialize_map(__Visitor)
            }
        }
    };
    (@slot $field:ident int64) => {
        let mut $field: Option<$crate::Int64String> = None;
    };
    (@slot $field:ident option_int64) => {
        let mut $field: Option<$crate::OptionInt64String> = None;
    };
    (@slot $field:ident integer_text) => {
        let mut $field: Option<$crate::IntegerText<_>> = None;
    };
    (@slot $field:ident option_integer_text) => {
        let mut $field: Option<$crate::OptionIntegerText<_>> = None;
    };
    (@slot $field:ident $kind:ident) => {
        let mut $field = None;
    };
    (@finish $field:ident $wire:literal required) => {
        $crate::required($field, $wire)?
    };
    (@finish $field:ident $wire:literal optional) => {
        $field.unwrap_or_default()
    };
    (@finish $field:ident $wire:literal int64) => {
        $crate::required($field, $wire)?.0
    };
    (@finish $field:ident $wire:literal option_int64) => {
        $field.and_then(|value| value.0)
    };
    (@finish $field:ident $wire:literal integer_text) => {
        $crate::required($field, $wire)?.0
    };
    (@finish $field:ident $wire:literal option_integer_text) => {
        $field.and_then(|value| value.0)
    };
}
