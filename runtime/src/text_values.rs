//! Values JSON carries as text that have a Rust type of their own: bytes in base64 (`format:
//! byte`) or base64url (`format: base64url`), and Google's durations (`format:
//! google-duration`, `"3.5s"`). Generated types use them as field types; each writes the text
//! the API expects and reads it leniently (either alphabet, with or without padding).

use std::fmt;

/// Bytes carried as standard base64 text (`format: byte`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Base64(pub Vec<u8>);

/// Bytes carried as URL-safe base64 text without padding (`format: base64url`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Base64Url(pub Vec<u8>);

/// A signed span of time carried as Google's duration text: seconds with up to nine
/// fractional digits and an `s` (`"3.5s"`, `"-0.000000001s"`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct GoogleDuration(pub chrono::TimeDelta);

/// Decodes base64 in either alphabet, padded or not.
fn decode(text: &str) -> Result<Vec<u8>, String> {
    use base64::Engine as _;
    let trimmed = text.trim().trim_end_matches('=');
    let url = trimmed.contains(['-', '_']);
    let engine = if url {
        base64::engine::general_purpose::URL_SAFE_NO_PAD
    } else {
        base64::engine::general_purpose::STANDARD_NO_PAD
    };
    engine.decode(trimmed).map_err(|e| format!("not base64: {e}"))
}

impl fmt::Display for Base64 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use base64::Engine as _;
        f.write_str(&base64::engine::general_purpose::STANDARD.encode(&self.0))
    }
}

impl fmt::Display for Base64Url {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use base64::Engine as _;
        f.write_str(&base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(&self.0))
    }
}

impl fmt::Display for GoogleDuration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let total =
            self.0.num_nanoseconds().map(i128::from).unwrap_or_else(|| {
                i128::from(self.0.num_seconds()) * 1_000_000_000 + i128::from(self.0.subsec_nanos())
            });
        let (sign, total) = if total < 0 { ("-", -total) } else { ("", total) };
        let (secs, nanos) = (total / 1_000_000_000, total % 1_000_000_000);
        if nanos == 0 {
            write!(f, "{sign}{secs}s")
        } else {
            let fraction = format!("{nanos:09}");
            write!(f, "{sign}{secs}.{}s", fraction.trim_end_matches('0'))
        }
    }
}

impl std::str::FromStr for Base64 {
    type Err = String;
    fn from_str(text: &str) -> Result<Self, String> {
        decode(text).map(Base64)
    }
}

impl std::str::FromStr for Base64Url {
    type Err = String;
    fn from_str(text: &str) -> Result<Self, String> {
        decode(text).map(Base64Url)
    }
}

impl std::str::FromStr for GoogleDuration {
    type Err = String;
    fn from_str(text: &str) -> Result<Self, String> {
        let bad = || format!("`{text}` is not a duration such as `3.5s`");
        let number = text.trim().strip_suffix('s').ok_or_else(bad)?;
        let (negative, number) = match number.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, number),
        };
        let (whole, fraction) = number.split_once('.').unwrap_or((number, ""));
        let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        if whole.is_empty() || fraction.len() > 9 || !digits(whole) || !digits(fraction) {
            return Err(bad());
        }
        let secs: i64 = whole.parse().map_err(|_| bad())?;
        let nanos: i64 = format!("{fraction:0<9}").parse().map_err(|_| bad())?;
        let delta = chrono::TimeDelta::try_seconds(secs)
            .and_then(|s| s.checked_add(&chrono::TimeDelta::nanoseconds(nanos)))
            .ok_or_else(bad)?;
        Ok(GoogleDuration(if negative { -delta } else { delta }))
    }
}

/// Serde as text through `Display` and `FromStr`, and a query or path value as that text.
macro_rules! as_text {
    ($($t:ty),*) => {$(
        impl serde::Serialize for $t {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.collect_str(self)
            }
        }

        impl<'de> serde::Deserialize<'de> for $t {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let text = super::deserialize_str(deserializer)?;
                text.parse().map_err(serde::de::Error::custom)
            }
        }

        impl super::ToParam for $t {
            fn to_param(&self) -> String {
                self.to_string()
            }
        }
    )*};
}

as_text!(Base64, Base64Url, GoogleDuration);

#[cfg(test)]
mod tests {
    use super::{Base64, Base64Url, GoogleDuration};

    #[test]
    fn bytes_are_written_in_their_alphabet_and_read_in_either() {
        let bytes = vec![0xfb, 0xff, 0x3e];
        assert_eq!(Base64(bytes.clone()).to_string(), "+/8+");
        assert_eq!(Base64Url(bytes.clone()).to_string(), "-_8-");
        for text in ["+/8+", "-_8-", " +/8+ "] {
            assert_eq!(text.parse::<Base64>(), Ok(Base64(bytes.clone())), "{text}");
        }
        assert_eq!("aGk=".parse::<Base64Url>(), Ok(Base64Url(b"hi".to_vec())));
        assert!("not base64!".parse::<Base64>().is_err());
    }

    #[test]
    fn durations_keep_their_sign_and_nanoseconds() {
        for (text, written) in [
            ("3.5s", "3.5s"),
            ("-0.000000001s", "-0.000000001s"),
            ("60s", "60s"),
            ("1.500s", "1.5s"),
        ] {
            let d: GoogleDuration = text.parse().expect(text);
            assert_eq!(d.to_string(), written);
        }
        let json: GoogleDuration = serde_json::from_str("\"-2.25s\"").expect("JSON");
        assert_eq!(json.0, -chrono::TimeDelta::milliseconds(2250));
        for bad in ["3.5", "s", "1.0000000001s", "x1s", "--1s"] {
            assert!(bad.parse::<GoogleDuration>().is_err(), "{bad}");
        }
    }
}
