//! [`OAuthSession`]: OAuth 2.0 tokens that renew themselves, shared by every clone of a client.

use super::auth::{BoxError, Secret, TokenProvider};
use super::oauth::OAuth;
use super::token_store::TokenStore;
use super::tokens::{OAuthError, Tokens};
use futures::future::BoxFuture;
use std::fmt;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

/// How a session gets tokens when it has none it can refresh.
#[derive(Clone)]
enum Grant {
    /// The client's own credentials (client-credentials grant).
    Client,
    /// A user's name and password (password grant).
    Password(String, Secret),
    /// Nothing but a refresh token: when that fails, the user must sign in again.
    None,
}

/// OAuth 2.0 tokens for an API client: a [`TokenProvider`] that hands out the access token,
/// renews it shortly before it expires (with the refresh token, or the client credentials or
/// password it was made with), keeps a rotated refresh token, and saves new tokens to its
/// [`TokenStore`]. One renewal runs at a time however many clones of the client ask at once;
/// a token the API rejected (401) is renewed once before the request is sent again.
///
/// A failure (the server refused the refresh token, say) fails the call with `Error::Auth`,
/// whose source is the [`OAuthError`]; the next call tries again. Cheap to clone: clones share
/// the tokens.
#[derive(Clone)]
pub struct OAuthSession {
    inner: Arc<Inner>,
}

struct Inner {
    oauth: std::sync::RwLock<OAuth>,
    grant: Grant,
    store: std::sync::OnceLock<Box<dyn TokenStore>>,
    state: tokio::sync::Mutex<State>,
    /// The API rejected the current access token.
    rejected: AtomicBool,
}

struct State {
    tokens: Option<Tokens>,
    /// The store has been read.
    loaded: bool,
}

impl fmt::Debug for OAuthSession {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OAuthSession")
            .field("oauth", &*self.oauth())
            .finish_non_exhaustive()
    }
}

impl OAuth {
    /// A session that obtains its tokens with the client credentials (client id and secret)
    /// when it first needs them, or that starts from a [`TokenStore`] given with
    /// [`OAuthSession::store`].
    pub fn session(self) -> OAuthSession {
        let grant = self.own_grant();
        OAuthSession::new(self, grant, None)
    }

    /// How a session of this client gets tokens without a user: the client credentials, if
    /// it can use them.
    fn own_grant(&self) -> Grant {
        match self.can_use_client_credentials() {
            true => Grant::Client,
            false => Grant::None,
        }
    }

    /// A session that starts with `tokens` (from [`OAuth::exchange`], say).
    pub fn session_with(self, tokens: Tokens) -> OAuthSession {
        let grant = self.own_grant();
        OAuthSession::new(self, grant, Some(tokens))
    }

    /// A session that trades `refresh_token` for access tokens.
    pub fn session_from_refresh_token(self, refresh_token: impl Into<String>) -> OAuthSession {
        self.session_with(Tokens::from_refresh_token(refresh_token))
    }

    /// A session that signs in with a user's name and password (the password grant).
    pub fn password_session(self, username: impl Into<String>, password: impl Into<String>) -> OAuthSession {
        OAuthSession::new(self, Grant::Password(username.into(), Secret::new(password)), None)
    }
}

impl OAuthSession {
    fn new(oauth: OAuth, grant: Grant, tokens: Option<Tokens>) -> Self {
        let loaded = tokens.is_some();
        OAuthSession {
            inner: Arc::new(Inner {
                oauth: std::sync::RwLock::new(oauth),
                grant,
                store: std::sync::OnceLock::new(),
                state: tokio::sync::Mutex::new(State { tokens, loaded }),
                rejected: AtomicBool::new(false),
            }),
        }
    }

    /// Keeps the tokens in `store`: loaded before the first request (unless the session was
    /// given tokens), saved whenever they change. A session has one store: the first set
    /// stays.
    pub fn store(self, store: impl TokenStore) -> Self {
        let _ = self.inner.store.set(Box::new(store));
        self
    }

    fn oauth(&self) -> std::sync::RwLockReadGuard<'_, OAuth> {
        self.inner
            .oauth
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The OAuth configuration, for a flow the session does not run itself.
    pub fn config(&self) -> OAuth {
        self.oauth().clone()
    }

    /// Gives the session the client's base URL and HTTP client, unless it has its own.
    pub(crate) fn adopt(&self, base_url: &str, http: &reqwest::Client) {
        let mut oauth = self
            .inner
            .oauth
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        oauth.adopt(base_url, http);
    }

    /// The current tokens, renewed first if they are due (from the store if not yet read);
    /// `None` when the session has none and cannot get any without the user.
    ///
    /// # Errors
    /// As the authorization server or the store fail.
    pub async fn tokens(&self) -> Result<Option<Tokens>, OAuthError> {
        let mut state = self.inner.state.lock().await;
        self.load(&mut state).await?;
        if state.tokens.is_none() && matches!(self.inner.grant, Grant::None) {
            return Ok(None);
        }
        self.current(&mut state).await.map(Some)
    }

    /// Revokes the tokens at the revocation endpoint and forgets them (in the store too).
    /// They are forgotten even when the revocation fails.
    ///
    /// # Errors
    /// As the endpoint answers, or [`OAuthError::Config`] without a revocation endpoint.
    pub async fn revoke(&self) -> Result<(), OAuthError> {
        let mut state = self.inner.state.lock().await;
        self.load(&mut state).await?;
        let tokens = state.tokens.take();
        if let Some(store) = self.inner.store.get() {
            store.clear().await.map_err(OAuthError::Store)?;
        }
        match tokens {
            Some(tokens) => {
                let oauth = self.config();
                oauth.revoke(&tokens).await
            }
            None => Ok(()),
        }
    }

    async fn load(&self, state: &mut State) -> Result<(), OAuthError> {
        if !state.loaded {
            if let Some(store) = self.inner.store.get() {
                state.tokens = store.load().await.map_err(OAuthError::Store)?;
            }
            state.loaded = true;
        }
        Ok(())
    }

    /// The access token to send: the one held, or a new one.
    async fn current(&self, state: &mut State) -> Result<Tokens, OAuthError> {
        let rejected = self.inner.rejected.swap(false, Ordering::SeqCst);
        if let Some(tokens) = &state.tokens {
            if !rejected && !tokens.needs_renewal() {
                return Ok(tokens.clone());
            }
        }
        let renewed = self.renew(state.tokens.as_ref()).await?;
        if let Some(store) = self.inner.store.get() {
            store.save(&renewed).await.map_err(OAuthError::Store)?;
        }
        state.tokens = Some(renewed.clone());
        Ok(renewed)
    }

    /// New tokens: refreshed when there is a refresh token (falling back to the session's
    /// grant if the server refuses it), else from the grant.
    async fn renew(&self, held: Option<&Tokens>) -> Result<Tokens, OAuthError> {
        let oauth = self.config();
        if let Some(refresh) = held.and_then(Tokens::refresh_token) {
            tracing::debug!(scheme = oauth.endpoints.scheme, "refreshing the OAuth access token");
            match oauth.refresh(refresh).await {
                Ok(tokens) => return Ok(tokens),
                Err(e) if matches!(self.inner.grant, Grant::None) || e.code() != Some("invalid_grant") => {
                    return Err(e)
                }
                Err(_) => {}
            }
        }
        tracing::debug!(scheme = oauth.endpoints.scheme, "obtaining an OAuth access token");
        match &self.inner.grant {
            Grant::Client => oauth.client_credentials().await,
            Grant::Password(user, pass) => oauth.password(user, pass.expose()).await,
            Grant::None => Err(OAuthError::Config(
                "no tokens: sign in first (the authorization-code flow), or give a refresh token".to_owned(),
            )),
        }
    }
}

impl TokenProvider for OAuthSession {
    fn token(&self) -> BoxFuture<'_, Result<String, BoxError>> {
        Box::pin(async move {
            let mut state = self.inner.state.lock().await;
            self.load(&mut state).await?;
            let tokens = self.current(&mut state).await?;
            Ok(tokens.access_token().to_owned())
        })
    }

    fn invalidate(&self) {
        self.inner.rejected.store(true, Ordering::SeqCst);
    }
}
