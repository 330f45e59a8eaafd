//! A typed client for the WP Engine Hosting Platform API (accounts, users, sites, installs,
//! domains, SSL certificates, backups, cache, usage, SSH keys).
//!
//! ```no_run
//! # async fn demo() -> Result<(), wpengine_api::Error> {
//! use wpengine_api::Client;
//!
//! let client = Client::builder().basic_auth("api-user", "api-password").build()?;
//! let page = client.list_installs().limit(50).send().await?;
//! for install in page.results.unwrap_or_default() {
//!     println!("{} {}", install.id, install.name);
//! }
//! # Ok(())
//! # }
//! ```
//!
//! Every operation of the API is a method on [`Client`] that returns a request builder (see
//! [`builders`]): required path parameters and bodies are arguments, optional parameters are
//! chained setters, and `.send().await` runs the request. Models live in [`types`].
//!
//! # Types and stability
//!
//! Every struct and enum of [`types`] is `#[non_exhaustive]`: build a struct with `new` (the
//! fields the API requires) and, on the types requests send, `with_<field>` for the optional
//! ones; `match` on an enum with a `_` arm. So a new optional field, parameter, enum value,
//! operation or status in the API is a minor release of this crate; a new required field or
//! parameter, or anything removed or retyped, is a major one.
//!
//! ```no_run
//! # async fn demo(client: wpengine_api::Client, install_id: uuid::Uuid) -> Result<(), wpengine_api::Error> {
//! use wpengine_api::types::CreateBackupRequest;
//!
//! let request = CreateBackupRequest::new("before the upgrade", vec!["ops@example.com".into()]);
//! let backup = client.create_backup(install_id, request).send().await?;
//! # let _ = backup;
//! # Ok(())
//! # }
//! ```
//!
//! # Testing code that uses the client
//!
//! With the `mock` feature, `mocks::MockServer` is a server that answers each operation with
//! typed values, so a test of your own code needs no network and no JSON by hand:
//!
//! ```
//! # #[cfg(feature = "mock")]
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() {
//! use wpengine_api::mocks::MockServer;
//! use wpengine_api::types::{ListInstallsResponse, NotFoundErrorResponse};
//!
//! let server = MockServer::start().await;
//! server.expect().list_installs().times(1).answers(&ListInstallsResponse::new()).await;
//! server.expect().get_install().fails(404, &NotFoundErrorResponse::new("Not Found")).await;
//!
//! let client = wpengine_api::Client::builder().base_url(server.uri()).basic_auth("u", "p").build().expect("a client");
//! let page = client.list_installs().send().await.expect("the mocked page");
//! assert!(page.results.is_none());
//! assert_eq!(client.get_install(uuid::Uuid::nil()).send().await.expect_err("a 404").status(), Some(404));
//! # }
//! # #[cfg(not(feature = "mock"))]
//! # fn main() {}
//! ```
//!
//! Each expectation can be narrowed (`path_param`, `query`), counted (`times`, checked when
//! the server is dropped), and answered: `answers`, `answers_with_status`, `fails` with a typed
//! error body, or `fails_once` before a later answer (a retried call).
//!
//! # Authentication
//!
//! WP Engine uses HTTP basic auth with the API user name and password from the User Portal's
//! API Access page: [`ClientBuilder::basic_auth`]. [`Client::from_env`] reads them from
//! `WPENGINE_API_USERNAME` and `WPENGINE_API_PASSWORD` (and the server from `WPENGINE_API_URL`).
//! An OAuth access token goes in [`ClientBuilder::bearer_token`] (or `WPENGINE_API_TOKEN`), or,
//! when tokens expire, comes from a [`TokenProvider`] ([`ClientBuilder::token_provider`]) that
//! the client asks before each request and tells when the server rejected a token. The
//! document declares basic auth only, so this client is generated to send a bearer token where
//! it declares basic auth ([`ClientBuilder::fallback_credentials`]); other generated clients
//! send a credential only where their document declares its scheme. Credentials never appear
//! in `Debug`, `Display`, errors or tracing output.
//!
//! # Errors
//!
//! Every operation fails with one type, [`Error`]:
//!
//! ```no_run
//! # async fn demo(client: wpengine_api::Client, id: uuid::Uuid) {
//! use wpengine_api::{runtime::Error, types::ErrorBody};
//!
//! match client.get_install(id).send().await {
//!     Ok(install) => println!("{}", install.name),
//!     Err(Error::Api(e)) if e.status() == 404 => println!("no such install"),
//!     Err(Error::Api(e)) => match e.body() {
//!         Some(ErrorBody::BadRequestErrorResponse(bad)) => println!("rejected: {:?}", bad.errors),
//!         _ => println!("HTTP {} (request id {:?})", e.status(), e.request_id()),
//!     },
//!     Err(Error::RateLimited { retry_after, .. }) => println!("slow down for {retry_after:?}"),
//!     Err(other) => println!("{other}"),
//! }
//! # }
//! ```
//!
//! [`Error::Api`](runtime::Error::Api) carries the status, headers, request id, raw body and
//! the body typed by what the operation declares for that status;
//! [`Decode`](runtime::Error::Decode) says where a 2xx body broke the declared type;
//! [`InvalidRequest`](runtime::Error::InvalidRequest) is raised before anything is sent when a
//! value breaks a declared constraint (such as `limit` above 100).
//!
//! # Retries and timeouts
//!
//! Requests are retried with exponential backoff and full jitter on 429, 502, 503, 504 and
//! connection failures, honouring `Retry-After`; POST and PATCH only on 429 or when they carry
//! an `Idempotency-Key`. Each request may take 30 s, connecting 10 s. Change this per client
//! with [`ClientBuilder::retry`] and [`ClientBuilder::timeout`], or per request:
//!
//! ```no_run
//! # async fn demo(client: wpengine_api::Client, id: uuid::Uuid) -> Result<(), wpengine_api::Error> {
//! use std::time::Duration;
//! use wpengine_api::{RequestOptions, RetryPolicy};
//!
//! let client = wpengine_api::Client::builder()
//!     .basic_auth("api-user", "api-password")
//!     .retry(RetryPolicy { max_attempts: 6, ..RetryPolicy::default() })
//!     .build()?;
//! let install = client
//!     .get_install(id)
//!     .with_options(RequestOptions::new().timeout(Duration::from_secs(5)).retry(RetryPolicy::disabled()))
//!     .send()
//!     .await?;
//! # let _ = install;
//! # Ok(())
//! # }
//! ```
//!
//! # Pagination
//!
//! List operations that page with `limit` and `offset`, and the usage metrics (each answer's
//! `next_page_token` sent back as `offset`), have `.items()`, a stream of every item that
//! fetches pages as it is read, and `.pages()`:
//!
//! ```no_run
//! # async fn demo(client: wpengine_api::Client) -> Result<(), wpengine_api::Error> {
//! use futures::TryStreamExt;
//!
//! let installs: Vec<_> = client.list_installs().limit(100).items().try_collect().await?;
//! # let _ = installs;
//! # Ok(())
//! # }
//! ```
//!
//! # Long-running work
//!
//! [`Client::backup_and_wait`], [`Client::wait_for_backup`] and
//! [`Client::check_domain_and_wait`] poll until the work is done, within a [`PollPolicy`].
//!
//! # Observability
//!
//! Each request runs in a `tracing` span named `request` with the operation id, method, path
//! template, status, attempts and duration; retries are logged as events. The `User-Agent` is
//! `wpengine-api/<version>`. [`ClientBuilder::on_request`] sees every request before it is sent.

// docs.rs documents every feature, and marks each item with the features it needs.
#![cfg_attr(docsrs, feature(doc_cfg))]

#[rustfmt::skip]
mod generated;
mod long_running;
pub use openapi_crate_gen_runtime as runtime;

pub use generated::*;
