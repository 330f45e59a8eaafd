//! Serde helpers the generated types use.

use std::borrow::Cow;
use std::fmt;

/// Deserializes a string without copying when the input allows it.
#[doc(hidden)]
pub fn deserialize_str<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Cow<'de, str>, D::Error> {
    struct Visitor;
    impl<'de> serde::de::Visitor<'de> for Visitor {
        type Value = Cow<'de, str>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a string")
        }
        fn visit_borrowed_str<E: serde::de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
            Ok(Cow::Borrowed(v))
        }
        fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Self::Value, E> {
            Ok(Cow::Owned(v.to_owned()))
        }
        fn visit_string<E: serde::de::Error>(self, v: String) -> Result<Self::Value, E> {
            Ok(Cow::Owned(v))
        }
    }
    deserializer.deserialize_str(Visitor)
}

struct Int64Visitor;

impl serde::de::Visitor<'_> for Int64Visitor {
    type Value = i64;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an int64 as a string or a number")
    }
    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<i64, E> {
        v.trim()
            .parse()
            .map_err(|_| E::invalid_value(serde::de::Unexpected::Str(v), &self))
    }
    fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<i64, E> {
        Ok(v)
    }
    fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<i64, E> {
        i64::try_from(v).map_err(|_| E::invalid_value(serde::de::Unexpected::Unsigned(v), &self))
    }
}

/// Serde adapter for an int64 carried as a JSON string (`"type": "string", "format": "int64"`).
/// Reads a string or a number; writes a string.
#[doc(hidden)]
pub mod int64_string {
    pub fn serialize<S: serde::Serializer>(value: &i64, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(value)
    }

    pub fn deserialize<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<i64, D::Error> {
        deserializer.deserialize_any(super::Int64Visitor)
    }
}

/// [`int64_string`] for optional and nullable fields.
#[doc(hidden)]
pub mod option_int64_string {
    pub fn serialize<S: serde::Serializer>(value: &Option<i64>, serializer: S) -> Result<S::Ok, S::Error> {
        match value {
            Some(v) => serializer.collect_str(v),
            None => serializer.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Option<i64>, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = Option<i64>;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("null or an int64 as a string or a number")
            }
            fn visit_none<E: serde::de::Error>(self) -> Result<Self::Value, E> {
                Ok(None)
            }
            fn visit_unit<E: serde::de::Error>(self) -> Result<Self::Value, E> {
                Ok(None)
            }
            fn visit_some<D: serde::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
                super::int64_string::deserialize(d).map(Some)
            }
        }
        deserializer.deserialize_option(Visitor)
    }
}

/// The impls of a string enum of the API, whose last variant is `Unknown(String)`: `as_str`,
/// `From<&str>` (unlisted values become `Unknown`), `Display`, serde as a string, and
/// [`ToParam`](super::ToParam). Generated types invoke it with each variant's wire value, so the
/// shared logic is written once here. An API without string enums leaves it unused.
///
/// The runtime's items are reached through `$crate::`, so the expansion works wherever it is
/// invoked; a vendored copy of the runtime names them `super::runtime` instead (the generator
/// rewrites the paths when it copies the runtime into a crate).
#[doc(hidden)]
#[macro_export]
macro_rules! string_enum {
    ($name:ident { $($variant:ident = $wire:literal),* $(,)? }) => {
        impl $name {
            /// The value as it appears on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    $(Self::$variant => $wire,)*
                    Self::Unknown(value) => value,
                }
            }
        }

        impl From<&str> for $name {
            fn from(value: &str) -> Self {
                match value {
                    $($wire => Self::$variant,)*
                    other => Self::Unknown(other.to_owned()),
                }
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl $crate::serde::Serialize for $name {
            fn serialize<S: $crate::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> $crate::serde::Deserialize<'de> for $name {
            fn deserialize<D: $crate::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                $crate::deserialize_str(deserializer).map(|value| Self::from(value.as_ref()))
            }
        }

        impl $crate::ToParam for $name {
            fn to_param(&self) -> String {
                self.as_str().to_owned()
            }
        }
    };
}

/// The value of a union's discriminator property, when the value is an object that has it as
/// a string.
#[doc(hidden)]
pub fn discriminator<'a>(value: &'a serde_json::Value, property: &str) -> Option<&'a str> {
    value.get(property)?.as_str()
}

/// The error for a union value without its discriminator property (or with one that is not a
/// string). A value whose discriminator is a string the document does not list is kept by the
/// union's `Unknown` variant instead.
#[doc(hidden)]
pub fn missing_discriminator<E: serde::de::Error>(property: &str, expected: &str) -> E {
    E::custom(format_args!(
        "`{property}` is missing or not a string, expected one of {expected}"
    ))
}
