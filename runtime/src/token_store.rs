//! Where an [`OAuthSession`](super::OAuthSession) keeps its tokens between runs: any
//! [`TokenStore`], or a file only its user can read ([`FileTokenStore`]).

use super::auth::BoxError;
use super::tokens::Tokens;
use futures::future::BoxFuture;
use std::path::{Path, PathBuf};

/// Keeps tokens between runs of a program: a session loads them before it first needs a token
/// and saves them each time it gets new ones (a rotated refresh token included).
pub trait TokenStore: Send + Sync + 'static {
    /// The tokens saved last, if any.
    fn load(&self) -> BoxFuture<'_, Result<Option<Tokens>, BoxError>>;
    /// Saves `tokens`, replacing those saved before.
    fn save<'a>(&'a self, tokens: &'a Tokens) -> BoxFuture<'a, Result<(), BoxError>>;
    /// Forgets the tokens (after signing out).
    fn clear(&self) -> BoxFuture<'_, Result<(), BoxError>>;
}

/// Tokens in a JSON file that only its user may read: written with mode 0600 (in a folder
/// made with mode 0700), replaced whole on each save, and refused when other users can read it.
#[derive(Debug, Clone)]
pub struct FileTokenStore {
    path: PathBuf,
}

impl FileTokenStore {
    /// The store at `path`.
    pub fn new(path: impl Into<PathBuf>) -> Self {
        FileTokenStore { path: path.into() }
    }

    /// The file's path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn load_now(&self) -> Result<Option<Tokens>, BoxError> {
        let file = self.path.display();
        let text = match std::fs::read(&self.path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(format!("the token file {file} cannot be read: {e}").into()),
        };
        private(&self.path)?;
        let tokens = serde_json::from_slice(&text).map_err(|e| {
            format!("the token file {file} is not one this client wrote ({e}); remove it and sign in again")
        })?;
        Ok(Some(tokens))
    }

    fn save_now(&self, tokens: &Tokens) -> Result<(), BoxError> {
        let file = self.path.display();
        let json = serde_json::to_vec_pretty(tokens).map_err(|e| format!("the tokens could not be written: {e}"))?;
        if let Some(dir) = self.path.parent().filter(|d| !d.as_os_str().is_empty()) {
            create_private_dir(dir).map_err(|e| format!("the folder of {file} cannot be made: {e}"))?;
        }
        let mut temporary = self.path.clone().into_os_string();
        temporary.push(format!(".{}.tmp", std::process::id()));
        let temporary = PathBuf::from(temporary);
        let written = write_private(&temporary, &json).and_then(|()| std::fs::rename(&temporary, &self.path));
        if let Err(e) = written {
            let _ = std::fs::remove_file(&temporary);
            return Err(format!("the token file {file} cannot be written: {e}").into());
        }
        Ok(())
    }

    fn clear_now(&self) -> Result<(), BoxError> {
        match std::fs::remove_file(&self.path) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                Err(format!("the token file {} cannot be removed: {e}", self.path.display()).into())
            }
            _ => Ok(()),
        }
    }
}

impl TokenStore for FileTokenStore {
    fn load(&self) -> BoxFuture<'_, Result<Option<Tokens>, BoxError>> {
        Box::pin(async move { self.load_now() })
    }

    fn save<'a>(&'a self, tokens: &'a Tokens) -> BoxFuture<'a, Result<(), BoxError>> {
        Box::pin(async move { self.save_now(tokens) })
    }

    fn clear(&self) -> BoxFuture<'_, Result<(), BoxError>> {
        Box::pin(async move { self.clear_now() })
    }
}

/// Fails when users other than the owner may read or write `path`.
#[cfg(unix)]
fn private(path: &Path) -> Result<(), BoxError> {
    use std::os::unix::fs::PermissionsExt as _;
    let mode = std::fs::metadata(path)
        .map_err(|e| format!("the token file {} cannot be read: {e}", path.display()))?
        .permissions()
        .mode();
    if mode & 0o077 != 0 {
        return Err(format!(
            "the token file {} can be read or written by other users (mode {:o}); remove it and sign in again, or make it private (chmod 600)",
            path.display(),
            mode & 0o777
        )
        .into());
    }
    Ok(())
}

#[cfg(not(unix))]
fn private(_: &Path) -> Result<(), BoxError> {
    Ok(())
}

#[cfg(unix)]
fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write as _;
    use std::os::unix::fs::OpenOptionsExt as _;
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)?;
    file.write_all(bytes)?;
    file.sync_all()
}

#[cfg(not(unix))]
fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    std::fs::write(path, bytes)
}

#[cfg(unix)]
fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::DirBuilderExt as _;
    std::fs::DirBuilder::new().recursive(true).mode(0o700).create(dir)
}

#[cfg(not(unix))]
fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)
}
