//! The `Client` and `ClientBuilder` of a generated crate, written once (`api_client!`).
//!
//! A generated crate's operations are inherent methods of its `Client`, and a crate can add
//! methods only to its own types: so each generated crate owns a `Client` wrapping this crate's
//! [`Client`](super::Client), and a `ClientBuilder` wrapping [`ClientBuilder`](super::ClientBuilder),
//! whose methods forward to it. The macro writes both, so a runtime release that adds a builder
//! setting reaches every generated crate with `cargo update`.

/// The generated crate's `Client` and `ClientBuilder`, in the module that invokes it. That
/// module holds the generated code's `runtime` (this crate, or a copy of it), which the
/// expansion's documentation links name; the user agent is the invoking crate's name and
/// version.
#[doc(hidden)]
#[macro_export]
macro_rules! api_client {
    () => {
        /// A client of the API: each operation is a method that returns its request builder.
        /// Cheap to clone: clones share the connection pool, the credentials and the rate
        /// limits.
        #[derive(Clone)]
        pub struct Client($crate::Client);

        impl ::std::fmt::Debug for Client {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                ::std::fmt::Debug::fmt(&self.0, f)
            }
        }

        impl ::std::convert::From<$crate::Client> for Client {
            fn from(client: $crate::Client) -> Self {
                Client(client)
            }
        }

        impl ::std::convert::AsRef<$crate::Client> for Client {
            fn as_ref(&self) -> &$crate::Client {
                &self.0
            }
        }

        impl Client {
            /// The base URL requests go to.
            pub fn base_url(&self) -> &str {
                self.0.base_url()
            }
        }

        /// Builds a [`Client`]: start from [`Client::builder`] (the document's server and
        /// rate limits) or [`Client::from_env`]. Each setting is described in full on the
        /// runtime's [`ClientBuilder`](runtime::ClientBuilder), which this one wraps.
        #[derive(Clone, Debug)]
        pub struct ClientBuilder($crate::ClientBuilder);

        impl ::std::convert::From<ClientBuilder> for $crate::ClientBuilder {
            fn from(builder: ClientBuilder) -> Self {
                builder.0
            }
        }

        impl ::std::convert::From<$crate::ClientBuilder> for ClientBuilder {
            fn from(builder: $crate::ClientBuilder) -> Self {
                ClientBuilder(builder)
            }
        }

        impl ClientBuilder {
            /// A builder pointed at `base_url`, with default timeouts and retries, no
            /// credentials, and this crate's name and version as the `User-Agent`.
            pub fn new(base_url: impl ::std::convert::Into<::std::string::String>) -> Self {
                ClientBuilder(
                    $crate::ClientBuilder::new(base_url)
                        .user_agent(::std::concat!(::std::env!("CARGO_PKG_NAME"), "/", ::std::env!("CARGO_PKG_VERSION"))),
                )
            }

            /// Builds the client.
            ///
            /// # Errors
            /// When the base URL is not `http` or `https`, a rate limit is empty, the user
            /// agent is not a valid header value, or the HTTP client cannot be set up.
            pub fn build(self) -> ::std::result::Result<Client, $crate::BuildError> {
                self.0.build().map(Client)
            }

            /// Configures the builder from the variables `env` names (the generated
            /// `from_env` passes the crate's own).
            ///
            /// # Errors
            /// As [`Client::from_env`].
            #[doc(hidden)]
            pub fn environment(self, env: &'static $crate::Environment) -> ::std::result::Result<Self, $crate::BuildError> {
                self.0.environment(env).map(ClientBuilder)
            }

            $crate::forward_settings! {
                /// Sends requests to `url` instead of the server the API description names.
                base_url(url: impl ::std::convert::Into<::std::string::String>);
                /// Authenticates with HTTP basic auth where an operation asks for it.
                basic_auth(username: impl ::std::convert::Into<::std::string::String>, password: impl ::std::convert::Into<::std::string::String>);
                /// Authenticates with a fixed bearer token (an HTTP bearer key or an OAuth 2.0
                /// access token) where an operation asks for one.
                bearer_token(token: impl ::std::convert::Into<::std::string::String>);
                /// Authenticates with bearer tokens from `provider`, which may refresh them
                /// ([`TokenProvider`](runtime::TokenProvider)).
                token_provider(provider: impl $crate::TokenProvider);
                #[doc(hidden)]
                api_key_for(scheme: &str, key: impl ::std::convert::Into<::std::string::String>);
                /// Authenticates with OAuth 2.0 tokens from `session`, which renews them
                /// ([`ClientBuilder::oauth`](runtime::ClientBuilder::oauth)).
                oauth(session: $crate::OAuthSession);
                /// Signs requests with AWS Signature Version 4 where an operation's scheme says
                /// so (the `sigv4` feature).
                aws_credentials(credentials: $crate::AwsCredentials);
                /// Sends the bearer token, or else the basic credentials, also to operations
                /// whose declared credentials the client does not hold
                /// ([`ClientBuilder::fallback_credentials`](runtime::ClientBuilder::fallback_credentials)).
                fallback_credentials(fallback: bool);
                /// Sends at most `limit.requests()` requests in any period of `limit.period()`
                /// ([`ClientBuilder::rate_limit`](runtime::ClientBuilder::rate_limit)).
                rate_limit(limit: $crate::RateLimit);
                /// Removes the rate limits set so far and those the document declares.
                no_rate_limits();
                /// Whether to pause when the server says its quota is spent (on by default;
                /// [`ClientBuilder::rate_limit_headers`](runtime::ClientBuilder::rate_limit_headers)).
                rate_limit_headers(follow: bool);
                /// Limits each request, from connecting to reading the whole body; `None` waits
                /// forever.
                timeout(timeout: ::std::option::Option<::std::time::Duration>);
                /// Limits connection set-up; `None` waits forever.
                connect_timeout(timeout: ::std::option::Option<::std::time::Duration>);
                /// Sets when failed requests are retried
                /// ([`RetryPolicy::disabled`](runtime::RetryPolicy::disabled) switches retries off).
                retry(policy: $crate::RetryPolicy);
                /// The retries the API description declares (the generated `builder` sets them).
                #[doc(hidden)]
                declared_retry(policy: $crate::RetryPolicy);
                /// Replaces the `User-Agent` header.
                user_agent(user_agent: impl ::std::convert::Into<::std::string::String>);
                /// Calls `hook` with every request just before it is sent, retries and
                /// redirects included.
                on_request(hook: impl ::std::ops::Fn(&mut $crate::reqwest::Request) + ::std::marker::Send + ::std::marker::Sync + 'static);
                /// Runs `hooks` around every attempt of every call ([`Hooks`](runtime::Hooks)).
                hooks(hooks: impl $crate::Hooks);
                /// Sends through `client`, an HTTP client the application built
                /// ([`ClientBuilder::http_client`](runtime::ClientBuilder::http_client) says
                /// what it decides and what this client still does).
                http_client(client: $crate::reqwest::Client);
                /// Fails a response whose body is larger than `bytes` instead of reading it
                /// into memory (default 64 MiB).
                max_response_body(bytes: usize);
                /// Which redirects to follow ([`RedirectPolicy`](runtime::RedirectPolicy)).
                redirects(policy: $crate::RedirectPolicy);
            }

            /// Sends every request through `client`, a reqwest-middleware stack the
            /// application built (the `middleware` feature;
            /// [`ClientBuilder::middleware`](runtime::ClientBuilder::middleware)).
            #[cfg(feature = "middleware")]
            pub fn middleware(self, client: $crate::reqwest_middleware::ClientWithMiddleware) -> Self {
                ClientBuilder(self.0.middleware(client))
            }
        }
    };
}

/// Builder methods that take `self` and settings and hand them to the wrapped builder.
#[doc(hidden)]
#[macro_export]
macro_rules! forward_settings {
    ($($(#[$doc:meta])* $name:ident($($arg:ident: $ty:ty),*);)*) => {
        $(
            $(#[$doc])*
            #[must_use]
            pub fn $name(self, $($arg: $ty),*) -> Self {
                ClientBuilder(self.0.$name($($arg),*))
            }
        )*
    };
}
