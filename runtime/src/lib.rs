//! The runtime of the API clients `openapi-crate-gen` generates: sending requests,
//! authentication, retries, timeouts, rate limits, tracing, error decoding, parameter
//! encoding, validation, pagination and polling. Written once by hand; generated code only
//! describes each operation, and every generated crate depends on this one, so two clients in
//! one application share its types and compile it once.
//!
//! Generated crates re-export what their users name ([`Error`], [`RetryPolicy`],
//! [`TokenProvider`], ...) and their own `Client` and `ClientBuilder`, which wrap this crate's.
//! Items marked hidden are the interface of generated code, not for hand-written code.
//!
//! The same files also make the `--runtime vendored` copy the generator writes into a crate
//! that does not depend on this one: so they must not depend on anything API-specific, they
//! reach each other as `super::` (the crate root here, the `runtime` module there), and their
//! macros reach the runtime as `$crate::` (which the copy rewrites).
//!
//! One concern per module:
//! - `api_client`: the generated crate's `Client` and `ClientBuilder`, which wrap
//!   [`Client`] and [`ClientBuilder`] (`api_client!`).
//! - `client`: [`Client`] and [`ClientBuilder`] (base URL, timeouts, retries, hooks, the
//!   application's own HTTP client or middleware stack).
//! - `auth`: credentials and which of them an operation's security requirements take.
//! - `environment`: credentials and the base URL from environment variables (`from_env`, the
//!   tool).
//! - `oauth`: an API's OAuth 2.0 endpoints and the requests of each flow ([`OAuth`]);
//!   `tokens`: the tokens and errors of the authorization server; `session`: tokens that renew
//!   themselves ([`OAuthSession`]); `token_store`: where they are kept between runs.
//! - `sigv4`: AWS Signature Version 4 ([`AwsCredentials`], with the `sigv4` feature).
//! - `ratelimit`: rate limits kept before a request is sent ([`RateLimit`]).
//! - `options`: per-request overrides ([`RequestOptions`]).
//! - `operation`: what generated code says of each operation ([`OperationMeta`]).
//! - `request`: one request, its parameters placed, sent, retried and traced; `body`: its
//!   body encoded (JSON, form, raw, upload, multipart); `attempt`: one attempt assembled
//!   (credentials, cookies), sent (hooks, signature, redirects) and read.
//! - `retry`: [`RetryPolicy`], backoff with jitter and `Retry-After`, and whether an attempt
//!   is tried again (a pure function of its outcome).
//! - `redirect`: [`RedirectPolicy`], which redirects are followed.
//! - `response`: reading and decoding 2xx bodies; [`ResponseValue`].
//! - `error`: [`Error`], [`ApiError`], [`DecodeError`].
//! - `params`: writing values into paths, queries and headers.
//! - `validate`: checking declared constraints before a request is sent.
//! - `vocabulary`: the terms generated code and the generator share (methods, status keys,
//!   parameter styles, constraints), one file both compile.
//! - `events`: an event stream's bytes framed into events (server-sent events, JSON lines,
//!   JSON text sequences); `event_stream`: [`EventStream`], those events typed as they
//!   arrive, resumed with `Last-Event-ID` after a dropped connection.
//! - `paging`: streams over paginated lists (by number, cursor or `Link` header).
//! - `poll`: waiting for long-running work with backoff.
//! - `codec`: serde helpers the generated types use.
//! - `hooks`: [`Hooks`], asynchronous code around every attempt.
//! - `nullable`: [`Nullable`], a field left out, set, or sent as `null`.
//! - `send`: the `async` half of every operation's `send_with_response` and `send`, and the
//!   methods every request builder has (`request_builder!`).
//! - `object`: `Deserialize` for the generated structs, written once (`deserialize_struct!`).
//! - `blocking`: `send_blocking`, with the `blocking` feature.
//! - `mock`: the typed mock server generated crates build on, with the `mock` feature.
//! - `cli`: the command-line tool generated crates offer, with the `cli` feature: its
//!   mechanics (clap, dispatch); `cli_args` reads its arguments as values, `cli_auth` its
//!   credentials and `auth` subcommands, and `cli_output` is its policy (output and exit
//!   statuses).
//! - `webhooks`: webhook deliveries' signatures verified; `webhook_events`: which event a
//!   verified delivery is, decoded into a generated crate's `webhooks::Event`.
//! - `upload`: [`Upload`] (bytes, a file or a stream) and the request body made of pieces.
//!
//! What well-kept crates do here, and what stays hand-written:
//! - `Retry-After` dates: `httpdate`, which reads all three forms HTTP requires (IMF-fixdate,
//!   RFC 850, asctime); chrono read only the first.
//! - Percent-encoding of path segments: `percent-encoding` (already built for `url`), with
//!   every byte but RFC 3986's unreserved characters encoded.
//! - `pattern`: `regress`, which implements ECMA-262, the dialect JSON Schema names, so
//!   look-around and back-references are enforced (the `regex` crate could not run them).
//! - OAuth 2.0: written here (see `oauth`); PKCE's SHA-256 by `sha2`, its base64url by
//!   `base64` and its randomness from the operating system by `getrandom`, all three already
//!   built for reqwest, uuid or rustls' neighbours.
//! - SigV4: `aws-sigv4`, AWS's own signer, behind the `sigv4` feature.
//! - Rate limits: written here (see `ratelimit`); `governor` keeps a token bucket, not the
//!   sliding windows APIs publish.
//! - Credentials: kept in the client's own wrapper, which keeps them out of `Debug`, `Display`,
//!   errors and logs and marks their headers sensitive. `secrecy` would add zeroing on drop,
//!   which the copies every HTTP request makes of its headers defeat anyway, for a dependency
//!   in every generated crate: not taken.
//! - Jitter: the standard library's randomly keyed hasher gives a uniform number per call;
//!   backoff needs spread, not unpredictability, so no random-number crate.
//! - Multipart bodies: written here, streamed through reqwest's own `Body::wrap_stream`.
//!   reqwest's `multipart::Form` is not `Clone` and sends as a one-shot stream, so a retry (or a
//!   redirect) could not send it again; the pieces here are shared bytes and file paths,
//!   rebuilt for each attempt, with the `Content-Length` known up front.
//! - Kept because no crate does them: OpenAPI's parameter styles, the retry policy with its
//!   idempotency rules, `Unknown` variants of string enums, and decode errors with their path.
#![warn(clippy::too_many_lines)]
// docs.rs documents every feature, and marks each item with the features it needs.
#![cfg_attr(docsrs, feature(doc_cfg))]

mod api_client;
mod attempt;
mod auth;
#[cfg(feature = "blocking")]
mod blocking;
mod body;
#[cfg(feature = "cli")]
pub mod cli;
#[cfg(feature = "cli")]
mod cli_args;
#[cfg(feature = "cli")]
mod cli_auth;
#[cfg(feature = "cli")]
mod cli_output;
mod client;
mod codec;
mod environment;
mod error;
mod event_stream;
mod events;
mod hooks;
#[cfg(feature = "mock")]
pub mod mock;
mod nullable;
mod oauth;
mod object;
mod operation;
mod options;
mod paging;
mod params;
mod poll;
mod ratelimit;
mod redirect;
mod request;
mod response;
mod retry;
mod send;
mod session;
mod sigv4;
mod text_values;
mod token_store;
mod tokens;
mod upload;
mod validate;
mod vocabulary;
pub mod webhook_events;
pub mod webhooks;
#[doc(hidden)]
pub mod xml;

/// The HTTP client underneath, for the types [`ClientBuilder::on_request`] hooks see.
pub use reqwest;
/// The middleware stack [`ClientBuilder::middleware`] takes.
#[cfg(feature = "middleware")]
pub use reqwest_middleware;
// What generated code names, so a generated crate needs no dependency of its own for them.
#[doc(hidden)]
pub use {bytes, chrono, futures, serde, serde_json, uuid};

/// Which generated code this runtime serves: the generator writes the number of the interface
/// it generates for into each crate, which fails to compile, with a message saying what to
/// do, under a runtime that does not serve it. Each interface adds to the one before (2: event
/// streams and webhook events), so code generated for an earlier one is served too.
#[doc(hidden)]
pub const fn serves_generated_code(interface: u32) -> bool {
    interface >= 1 && interface <= GENERATED_CODE_INTERFACE
}

/// The newest interface of generated code this runtime serves; see [`serves_generated_code`].
#[doc(hidden)]
pub const GENERATED_CODE_INTERFACE: u32 = 2;

pub use auth::{BoxError, KeyLocation, Requirement, Scheme, Security, TokenProvider};
#[cfg(feature = "blocking")]
pub use blocking::block_on;
pub use body::Multipart;
pub use client::{BuildError, Client, ClientBuilder, RequestHook, DEFAULT_CONNECT_TIMEOUT, DEFAULT_TIMEOUT};
pub use codec::{
    deserialize_str, discriminator, int64_string, integer_text, missing_discriminator, option_int64_string,
    option_integer_text,
};
pub use environment::{EnvRole, EnvVar, Environment};
pub use error::{ApiError, DecodeError, Error};
#[doc(hidden)]
pub use event_stream::{events_prepared, json_data, text_data, DataError, EventsMeta};
pub use event_stream::{Event, EventStream};
#[doc(hidden)]
pub use events::Framing;
pub use hooks::{Answered, Call, Hooks};
pub use nullable::Nullable;
pub use oauth::{Authorization, ClientAuth, OAuth, OAuthEndpoints};
pub use object::{
    next_field, required, skip_value, Int64String, IntegerText, Key, OptionInt64String, OptionIntegerText,
};
pub use operation::{Decoder, ErrorTable, OperationMeta};
pub use options::RequestOptions;
pub use paging::{cursor_pages, items, link_pages, numbered_pages};
pub use params::{path_segment, path_value, InvalidParam, ToParam};
pub use poll::{poll, PollPolicy};
pub use ratelimit::RateLimit;
pub use redirect::RedirectPolicy;
pub use request::Request;
pub use response::{ByteStream, Response, ResponseValue};
pub use retry::RetryPolicy;
pub use send::{body_only, send_prepared, stream_prepared};
pub use session::OAuthSession;
pub use sigv4::AwsCredentials;
pub use text_values::{Base64, Base64Url, GoogleDuration};
pub use token_store::{FileTokenStore, TokenStore};
pub use tokens::{OAuthError, Tokens};
pub use upload::Upload;
pub use validate::{check, Check};
#[doc(hidden)]
pub use vocabulary::{Constraints, HttpMethod, StatusKey, Style};
