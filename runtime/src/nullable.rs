//! [`Nullable`]: a field the request may leave out, set, or set to `null`.

use super::validate::Check;
use super::vocabulary::Constraints;

/// The value of an optional field that may also be `null`, in a type the client sends: left
/// out of the JSON ([`Nullable::Omitted`], the default), sent as `null` ([`Nullable::Null`],
/// which clears the field in a PATCH, say), or sent as a value. Read back from an answer, an
/// absent field is `Omitted` and a `null` one is `Null`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Nullable<T> {
    /// Not sent (and not received).
    #[default]
    Omitted,
    /// Sent (or received) as `null`.
    Null,
    /// Sent (or received) as this value.
    Value(T),
}

impl<T> Nullable<T> {
    /// Whether the field is left out; serde skips it then.
    pub fn is_omitted(&self) -> bool {
        matches!(self, Nullable::Omitted)
    }

    /// The value, if there is one (`Omitted` and `Null` both give `None`).
    pub fn as_ref(&self) -> Option<&T> {
        match self {
            Nullable::Value(value) => Some(value),
            Nullable::Omitted | Nullable::Null => None,
        }
    }

    /// The value, if there is one.
    pub fn into_option(self) -> Option<T> {
        match self {
            Nullable::Value(value) => Some(value),
            Nullable::Omitted | Nullable::Null => None,
        }
    }
}

/// `Some(v)` is the value, `None` is `null`: what an `Option` says for a field that is sent.
impl<T> From<Option<T>> for Nullable<T> {
    fn from(value: Option<T>) -> Self {
        match value {
            Some(value) => Nullable::Value(value),
            None => Nullable::Null,
        }
    }
}

impl<T: serde::Serialize> serde::Serialize for Nullable<T> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Nullable::Value(value) => value.serialize(serializer),
            // `Omitted` is skipped by the field's `skip_serializing_if`; written alone, it is null.
            Nullable::Null | Nullable::Omitted => serializer.serialize_none(),
        }
    }
}

/// Called only for a field that is present (an absent one takes the `Default`, `Omitted`).
impl<'de, T: serde::Deserialize<'de>> serde::Deserialize<'de> for Nullable<T> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(Option::<T>::deserialize(deserializer)?.into())
    }
}

impl<T: Check> Check for Nullable<T> {
    fn check(&self, constraints: &Constraints) -> Result<(), String> {
        match self {
            Nullable::Value(value) => value.check(constraints),
            Nullable::Omitted | Nullable::Null => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Nullable;

    #[derive(serde::Serialize, serde::Deserialize, Debug, PartialEq)]
    struct Patch {
        #[serde(default, skip_serializing_if = "Nullable::is_omitted")]
        note: Nullable<String>,
    }

    #[test]
    fn omitted_null_and_a_value_are_three_different_bodies() {
        let body = |note| serde_json::to_string(&Patch { note }).expect("encodes");
        assert_eq!(body(Nullable::Omitted), "{}");
        assert_eq!(body(Nullable::Null), r#"{"note":null}"#);
        assert_eq!(body(Nullable::Value("x".into())), r#"{"note":"x"}"#);
        let read = |json: &str| serde_json::from_str::<Patch>(json).expect("decodes").note;
        assert_eq!(read("{}"), Nullable::Omitted);
        assert_eq!(read(r#"{"note":null}"#), Nullable::Null);
        assert_eq!(read(r#"{"note":"x"}"#), Nullable::Value("x".to_owned()));
    }
}
