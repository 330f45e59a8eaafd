//! Webhook deliveries checked before they are read: a delivery is its headers and its body,
//! from any HTTP framework (axum, actix, hyper: the `http` crate's `HeaderMap`), and nothing of
//! it is handed over until its signature verifies.
//!
//! Two schemes:
//! - [Standard Webhooks](https://www.standardwebhooks.com/) (the default): `webhook-id`,
//!   `webhook-timestamp` and `webhook-signature` headers (or their `svix-` spellings), an
//!   HMAC-SHA256 over `{id}.{timestamp}.{body}` in base64, `v1,` before it; a timestamp outside
//!   the tolerance window (five minutes by default) is refused, so a captured delivery cannot
//!   be replayed later.
//! - An HMAC-SHA256 of the body alone in one header, as APIs that sign their own way do:
//!   GitHub's `X-Hub-Signature-256: sha256=<hex>` ([`Verifier::github`]), or any header, prefix
//!   and encoding ([`Verifier::hmac_sha256`]).
//!
//! Several secrets may be given at once, so a secret can be rotated without refusing
//! deliveries signed with the old one. Signatures are compared in constant time.

use hmac::{Hmac, KeyInit, Mac};
use reqwest::header::HeaderMap;
use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

type HmacSha256 = Hmac<sha2::Sha256>;

/// Why a delivery was refused. Nothing here repeats a secret.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum WebhookError {
    /// A header the scheme needs is missing (or not text).
    MissingHeader(String),
    /// A header is not written as the scheme says.
    Malformed(String),
    /// The delivery's timestamp is further from now than the tolerance allows.
    Stale { timestamp: i64 },
    /// No signature of the delivery is one a known secret makes.
    NoMatch,
    /// A secret given to the verifier is not one the scheme reads.
    BadSecret(String),
    /// The signature verified, but the body is not the type asked for.
    Decode(String),
}

impl fmt::Display for WebhookError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WebhookError::MissingHeader(h) => write!(f, "the delivery has no `{h}` header"),
            WebhookError::Malformed(what) => write!(f, "the delivery's signature headers are malformed: {what}"),
            WebhookError::Stale { timestamp } => {
                write!(
                    f,
                    "the delivery's timestamp {timestamp} is outside the tolerance window"
                )
            }
            WebhookError::NoMatch => f.write_str("no signature of the delivery matches a known secret"),
            WebhookError::BadSecret(why) => write!(f, "a webhook secret is not usable: {why}"),
            WebhookError::Decode(why) => write!(f, "the verified delivery's body does not decode: {why}"),
        }
    }
}

impl std::error::Error for WebhookError {}

/// How the signature is written in an HMAC scheme's header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Hex,
    Base64,
}

#[derive(Clone)]
enum Scheme {
    Standard {
        tolerance: Duration,
    },
    Hmac {
        header: String,
        prefix: String,
        encoding: Encoding,
    },
}

/// Verifies webhook deliveries with one or more secrets (see the module docs).
#[derive(Clone)]
pub struct Verifier {
    scheme: Scheme,
    secrets: Vec<Vec<u8>>,
}

impl fmt::Debug for Verifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let scheme = match &self.scheme {
            Scheme::Standard { .. } => "Standard Webhooks".to_owned(),
            Scheme::Hmac { header, .. } => format!("HMAC-SHA256 in `{header}`"),
        };
        f.debug_struct("Verifier")
            .field("scheme", &scheme)
            .field("secrets", &format_args!("<{} redacted>", self.secrets.len()))
            .finish()
    }
}

impl Verifier {
    /// The Standard Webhooks scheme with `secret`, as the sender gives it (`whsec_` and base64).
    ///
    /// # Errors
    /// When the secret is not base64 after its `whsec_` prefix.
    pub fn standard(secret: &str) -> Result<Self, WebhookError> {
        Ok(Verifier {
            scheme: Scheme::Standard {
                tolerance: Duration::from_secs(300),
            },
            secrets: vec![standard_secret(secret)?],
        })
    }

    /// GitHub's scheme: `X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the body>`.
    pub fn github(secret: impl AsRef<[u8]>) -> Self {
        Verifier::hmac_sha256("x-hub-signature-256", "sha256=", Encoding::Hex, secret)
    }

    /// An HMAC-SHA256 of the body in `header`, after `prefix`, in `encoding`.
    pub fn hmac_sha256(header: &str, prefix: &str, encoding: Encoding, secret: impl AsRef<[u8]>) -> Self {
        Verifier {
            scheme: Scheme::Hmac {
                header: header.to_ascii_lowercase(),
                prefix: prefix.to_owned(),
                encoding,
            },
            secrets: vec![secret.as_ref().to_vec()],
        }
    }

    /// Accepts deliveries signed with `secret` too (written as the scheme's first one was),
    /// for rotating secrets.
    ///
    /// # Errors
    /// As the scheme's constructor.
    pub fn and_secret(mut self, secret: &str) -> Result<Self, WebhookError> {
        let secret = match self.scheme {
            Scheme::Standard { .. } => standard_secret(secret)?,
            Scheme::Hmac { .. } => secret.as_bytes().to_vec(),
        };
        self.secrets.push(secret);
        Ok(self)
    }

    /// How far a Standard Webhooks timestamp may be from now, either way.
    #[must_use]
    pub fn tolerance(mut self, tolerance: Duration) -> Self {
        if let Scheme::Standard { tolerance: t } = &mut self.scheme {
            *t = tolerance;
        }
        self
    }

    /// Checks a delivery's signature, now.
    ///
    /// # Errors
    /// When a header is missing or malformed, the timestamp is stale, or no signature matches.
    pub fn verify(&self, headers: &HeaderMap, body: &[u8]) -> Result<(), WebhookError> {
        self.verify_at(headers, body, SystemTime::now())
    }

    /// [`verify`](Self::verify), then the body decoded as JSON of type `T`.
    ///
    /// # Errors
    /// As `verify`, and when the body is not a `T`.
    pub fn parse<T: serde::de::DeserializeOwned>(&self, headers: &HeaderMap, body: &[u8]) -> Result<T, WebhookError> {
        self.verify(headers, body)?;
        serde_json::from_slice(body).map_err(|e| WebhookError::Decode(e.to_string()))
    }

    /// [`verify`](Self::verify) as of `now` (for a delivery checked later, or for tests).
    ///
    /// # Errors
    /// As `verify`.
    pub fn verify_at(&self, headers: &HeaderMap, body: &[u8], now: SystemTime) -> Result<(), WebhookError> {
        match &self.scheme {
            Scheme::Standard { tolerance } => self.standard_at(headers, body, now, *tolerance),
            Scheme::Hmac {
                header,
                prefix,
                encoding,
            } => {
                let value = header_text(headers, &[header])?;
                let signature = value
                    .trim()
                    .strip_prefix(prefix.as_str())
                    .ok_or_else(|| WebhookError::Malformed(format!("`{header}` does not start with `{prefix}`")))?;
                let signature = decode(signature, *encoding)?;
                self.matches(&[body], &[signature])
            }
        }
    }

    fn standard_at(
        &self,
        headers: &HeaderMap,
        body: &[u8],
        now: SystemTime,
        tolerance: Duration,
    ) -> Result<(), WebhookError> {
        let id = header_text(headers, &["webhook-id", "svix-id"])?;
        let timestamp = header_text(headers, &["webhook-timestamp", "svix-timestamp"])?;
        let signatures = header_text(headers, &["webhook-signature", "svix-signature"])?;
        let seconds: i64 = timestamp
            .trim()
            .parse()
            .map_err(|_| WebhookError::Malformed("the timestamp is not a number of seconds".to_owned()))?;
        let now = now
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX));
        if now.saturating_sub(seconds).unsigned_abs() > tolerance.as_secs() {
            return Err(WebhookError::Stale { timestamp: seconds });
        }
        let mut candidates = Vec::new();
        for entry in signatures.split_whitespace() {
            let (version, signature) = entry
                .split_once(',')
                .ok_or_else(|| WebhookError::Malformed("a signature is not `version,signature`".to_owned()))?;
            // Other versions (asymmetric `v1a`) are not this verifier's to check.
            if version == "v1" {
                candidates.push(decode(signature, Encoding::Base64)?);
            }
        }
        if candidates.is_empty() {
            return Err(WebhookError::Malformed("no `v1` signature".to_owned()));
        }
        let prefix = format!("{id}.{}.", timestamp.trim());
        self.matches(&[prefix.as_bytes(), body], &candidates)
    }

    /// Whether any secret signs `parts` (concatenated) as one of `candidates`.
    fn matches(&self, parts: &[&[u8]], candidates: &[Vec<u8>]) -> Result<(), WebhookError> {
        for secret in &self.secrets {
            for candidate in candidates {
                let mut mac = HmacSha256::new_from_slice(secret).map_err(|e| WebhookError::BadSecret(e.to_string()))?;
                parts.iter().for_each(|p| mac.update(p));
                // Constant-time comparison.
                if mac.verify_slice(candidate).is_ok() {
                    return Ok(());
                }
            }
        }
        Err(WebhookError::NoMatch)
    }
}

fn standard_secret(secret: &str) -> Result<Vec<u8>, WebhookError> {
    let encoded = secret.trim().strip_prefix("whsec_").unwrap_or(secret.trim());
    decode(encoded, Encoding::Base64).map_err(|_| WebhookError::BadSecret("not base64 after `whsec_`".to_owned()))
}

fn header_text<'a>(headers: &'a HeaderMap, names: &[&str]) -> Result<&'a str, WebhookError> {
    let found = names.iter().find_map(|name| headers.get(*name));
    let first = names.first().copied().unwrap_or_default();
    found
        .ok_or_else(|| WebhookError::MissingHeader(first.to_owned()))?
        .to_str()
        .map_err(|_| WebhookError::MissingHeader(first.to_owned()))
}

fn decode(text: &str, encoding: Encoding) -> Result<Vec<u8>, WebhookError> {
    use base64::Engine as _;
    let bad = |what: &str| WebhookError::Malformed(format!("a signature is not {what}"));
    match encoding {
        Encoding::Base64 => base64::engine::general_purpose::STANDARD
            .decode(text.trim())
            .map_err(|_| bad("base64")),
        Encoding::Hex => {
            let text = text.trim();
            if !text.len().is_multiple_of(2) || !text.is_ascii() {
                return Err(bad("hex"));
            }
            (0..text.len())
                .step_by(2)
                .map(|i| u8::from_str_radix(&text[i..i + 2], 16).map_err(|_| bad("hex")))
                .collect()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{Verifier, WebhookError};
    use reqwest::header::{HeaderMap, HeaderValue};
    use std::time::{Duration, UNIX_EPOCH};

    /// The Standard Webhooks specification's published example.
    const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    const BODY: &[u8] = br#"{"test": 2432232314}"#;
    const SENT: u64 = 1_614_265_330;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(*name, HeaderValue::from_str(value).expect("a header value"));
        }
        map
    }

    fn standard(signature: &str) -> HeaderMap {
        headers(&[
            ("webhook-id", "msg_p5jXN8AQM9LWM0D4loKWxJek"),
            ("webhook-timestamp", "1614265330"),
            ("webhook-signature", signature),
        ])
    }

    const GOOD: &str = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

    #[test]
    fn the_standard_webhooks_example_verifies_and_tampering_does_not() {
        let at = UNIX_EPOCH + Duration::from_secs(SENT + 10);
        let verifier = Verifier::standard(SECRET).expect("a secret");
        assert_eq!(verifier.verify_at(&standard(GOOD), BODY, at), Ok(()));
        // Several signatures, one good; an unknown version beside it is skipped.
        assert_eq!(
            verifier.verify_at(&standard(&format!("v1a,xyz= v1,AAAA {GOOD}")), BODY, at),
            Ok(())
        );
        assert_eq!(
            verifier.verify_at(&standard(GOOD), br#"{"test": 2432232315}"#, at),
            Err(WebhookError::NoMatch)
        );
        let wrong = Verifier::standard("whsec_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA").expect("a secret");
        assert_eq!(wrong.verify_at(&standard(GOOD), BODY, at), Err(WebhookError::NoMatch));
        // Rotation: the old secret beside a new one.
        let rotated = wrong.and_secret(SECRET).expect("a secret");
        assert_eq!(rotated.verify_at(&standard(GOOD), BODY, at), Ok(()));
        let late = UNIX_EPOCH + Duration::from_secs(SENT + 301);
        assert_eq!(
            verifier.verify_at(&standard(GOOD), BODY, late),
            Err(WebhookError::Stale {
                timestamp: 1_614_265_330
            })
        );
        assert!(format!("{verifier:?}").contains("redacted") && !format!("{verifier:?}").contains("MfKQ"));
    }

    #[test]
    fn missing_and_malformed_headers_are_typed_errors() {
        let at = UNIX_EPOCH + Duration::from_secs(SENT);
        let verifier = Verifier::standard(SECRET).expect("a secret");
        let none = headers(&[("webhook-id", "x"), ("webhook-timestamp", "1614265330")]);
        assert_eq!(
            verifier.verify_at(&none, BODY, at),
            Err(WebhookError::MissingHeader("webhook-signature".into()))
        );
        assert!(matches!(
            verifier.verify_at(&standard("v1"), BODY, at),
            Err(WebhookError::Malformed(_))
        ));
        assert!(matches!(
            verifier.verify_at(&standard("v2,abcd"), BODY, at),
            Err(WebhookError::Malformed(_))
        ));
        assert!(matches!(
            verifier.verify_at(&standard("v1,not base64!"), BODY, at),
            Err(WebhookError::Malformed(_))
        ));
        assert!(matches!(
            Verifier::standard("whsec_???"),
            Err(WebhookError::BadSecret(_))
        ));
    }

    #[test]
    fn githubs_documented_example_verifies() {
        let verifier = Verifier::github("It's a Secret to Everybody");
        let signed = headers(&[(
            "x-hub-signature-256",
            "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17",
        )]);
        assert_eq!(verifier.verify(&signed, b"Hello, World!"), Ok(()));
        assert_eq!(verifier.verify(&signed, b"Hello, World?"), Err(WebhookError::NoMatch));
        let bare = headers(&[("x-hub-signature-256", "757107ea")]);
        assert!(matches!(
            verifier.verify(&bare, b"Hello, World!"),
            Err(WebhookError::Malformed(_))
        ));
        let odd = headers(&[("x-hub-signature-256", "sha256=abc")]);
        assert!(matches!(verifier.verify(&odd, b"x"), Err(WebhookError::Malformed(_))));
        let value: Result<serde_json::Value, _> = verifier.parse(&signed, b"Hello, World!");
        assert!(matches!(value, Err(WebhookError::Decode(_))), "verified, but not JSON");
    }
}
