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

/// Reads an integer of type `T` from a JSON string or number.
struct IntegerVisitor<T>(std::marker::PhantomData<T>);

impl<T: std::str::FromStr + TryFrom<i64> + TryFrom<u64>> serde::de::Visitor<'_> for IntegerVisitor<T> {
    type Value = T;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = match std::any::type_name::<T>() {
            "i64" => "an int64",
            "i32" => "an int32",
            "u64" => "a uint64",
            "u32" => "a uint32",
            _ => "an integer",
        };
        write!(f, "{what} as a string or a number")
    }
    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<T, E> {
        v.trim()
            .parse()
            .map_err(|_| E::invalid_value(serde::de::Unexpected::Str(v), &self))
    }
    fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<T, E> {
        T::try_from(v).map_err(|_| E::invalid_value(serde::de::Unexpected::Signed(v), &self))
    }
    fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<T, E> {
        T::try_from(v).map_err(|_| E::invalid_value(serde::de::Unexpected::Unsigned(v), &self))
    }
}

/// Serde adapter for an integer carried as a JSON string (`"type": "string", "format":
/// "uint64"`, proto3's JSON mapping). Reads a string or a number; writes a string.
#[doc(hidden)]
pub mod integer_text {
    pub fn serialize<T: std::fmt::Display, S: serde::Serializer>(value: &T, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(value)
    }

    pub fn deserialize<'de, T, D>(deserializer: D) -> Result<T, D::Error>
    where
        T: std::str::FromStr + TryFrom<i64> + TryFrom<u64>,
        D: serde::Deserializer<'de>,
    {
        deserializer.deserialize_any(super::IntegerVisitor(std::marker::PhantomData))
    }
}

/// [`integer_text`] for optional and nullable fields.
#[doc(hidden)]
pub mod option_integer_text {
    pub fn serialize<T: std::fmt::Display, S: serde::Serializer>(
        value: &Option<T>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        match value {
            Some(v) => serializer.collect_str(v),
            None => serializer.serialize_none(),
        }
    }

    pub fn deserialize<'de, T, D>(deserializer: D) -> Result<Option<T>, D::Error>
    where
        T: std::str::FromStr + TryFrom<i64> + TryFrom<u64>,
        D: serde::Deserializer<'de>,
    {
        struct Visitor<T>(std::marker::PhantomData<T>);
        impl<'de, T: std::str::FromStr + TryFrom<i64> + TryFrom<u64>> serde::de::Visitor<'de> for Visitor<T> {
            type Value = Option<T>;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("null or an integer as a string or a number")
            }
            fn visit_none<E: serde::de::Error>(self) -> Result<Self::Value, E> {
                Ok(None)
            }
            fn visit_unit<E: serde::de::Error>(self) -> Result<Self::Value, E> {
                Ok(None)
            }
            fn visit_some<D: serde::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
                super::integer_text::deserialize(d).map(Some)
            }
        }
        deserializer.deserialize_option(Visitor(std::marker::PhantomData))
    }
}

/// Serde adapter for an int64 carried as a JSON string (`"type": "string", "format": "int64"`):
/// [`integer_text`] for `i64`.
#[doc(hidden)]
pub mod int64_string {
    pub fn serialize<S: serde::Serializer>(value: &i64, serializer: S) -> Result<S::Ok, S::Error> {
        super::integer_text::serialize(value, serializer)
    }

    pub fn deserialize<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<i64, D::Error> {
        super::integer_text::deserialize(deserializer)
    }
}

/// [`int64_string`] for optional and nullable fields: [`option_integer_text`] for `i64`.
#[doc(hidden)]
pub mod option_int64_string {
    pub fn serialize<S: serde::Serializer>(value: &Option<i64>, serializer: S) -> Result<S::Ok, S::Error> {
        super::option_integer_text::serialize(value, serializer)
    }

    pub fn deserialize<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Option<i64>, D::Error> {
        super::option_integer_text::deserialize(deserializer)
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

/// The impls of an integer enum of the API, whose last variant is `Unknown(i64)`: `value`,
/// `From<i64>` (unlisted values become `Unknown`), `FromStr`, `Display`, serde as a number (read
/// from a number or a string of digits), and [`ToParam`](super::ToParam). Reached as for
/// [`string_enum!`].
#[doc(hidden)]
#[macro_export]
macro_rules! integer_enum {
    ($name:ident { $($variant:ident = $value:literal),* $(,)? }) => {
        impl $name {
            /// The value as the API writes it.
            pub fn value(&self) -> i64 {
                match self {
                    $(Self::$variant => $value,)*
                    Self::Unknown(value) => *value,
                }
            }
        }

        impl From<i64> for $name {
            fn from(value: i64) -> Self {
                match value {
                    $($value => Self::$variant,)*
                    other => Self::Unknown(other),
                }
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = ::std::num::ParseIntError;

            fn from_str(text: &str) -> Result<Self, Self::Err> {
                text.trim().parse::<i64>().map(Self::from)
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                ::std::fmt::Display::fmt(&self.value(), f)
            }
        }

        impl $crate::serde::Serialize for $name {
            fn serialize<S: $crate::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_i64(self.value())
            }
        }

        impl<'de> $crate::serde::Deserialize<'de> for $name {
            fn deserialize<D: $crate::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                $crate::integer_text::deserialize::<i64, D>(deserializer).map(Self::from)
            }
        }

        impl $crate::ToParam for $name {
            fn to_param(&self) -> String {
                self.value().to_string()
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
