//! A typed client for the WP Engine Hosting Platform API.
//!
//! ```no_run
//! # async fn demo() -> Result<(), wpengine_api::Error> {
//! use wpengine_api::Client;
//!
//! let client = Client::builder().basic_auth("api-user", "api-password").build()?;
//! let status = client.status().send().await?;
//! let page = client.list_installs().limit(50).send().await?;
//! for install in page.results.unwrap_or_default() {
//!     println!("{} {}", install.id, install.name);
//! }
//! # let _ = status;
//! # Ok(())
//! # }
//! ```
//!
//! Every operation of the API is a method on [`Client`] that returns a request builder
//! (see [`builders`]): required path parameters and bodies are arguments, optional parameters
//! are chained setters, and `.send().await` runs the request. Models live in [`types`].
//!
//! Errors are one type, [`Error`]: a non-2xx answer is [`Error::Api`], whose
//! [`body`](runtime::ApiError::body) is the schema the operation declares for that status
//! (for example [`types::ErrorBody::NotFoundErrorResponse`]).

#[rustfmt::skip]
mod generated;
pub mod runtime;

pub use generated::{builders, types, Error, Result, API_VERSION, DEFAULT_BASE_URL};
pub use runtime::{ApiError, BuildError, Client, ClientBuilder, Credentials, DecodeError, RetryPolicy};

impl Client {
    /// A client configured from the environment: `WPENGINE_API_USERNAME` and
    /// `WPENGINE_API_PASSWORD` (basic auth, from the User Portal's API Access page) or
    /// `WPENGINE_API_TOKEN` (a bearer token), and optionally `WPENGINE_API_URL`.
    ///
    /// Fails with an error naming the variable that is missing.
    pub fn from_env() -> std::result::Result<Client, BuildError> {
        Client::builder().credentials_from_env("WPENGINE_API")?.build()
    }
}
