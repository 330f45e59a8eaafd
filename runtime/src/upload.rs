//! What a request uploads: bytes, a file, or a stream, with the file name and media type a
//! multipart part carries; and the body made of such pieces that each attempt sends.
//!
//! Nothing is copied into one buffer: bytes are shared (a retry sends the same `Bytes` again),
//! a file is opened and read anew by each attempt, in chunks, and a stream is sent as it
//! comes. A stream cannot be read twice, so a request uploading one is sent once: neither
//! retried nor redirected.

use std::fmt;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::sync::{Arc, Mutex};

use super::auth::BoxError;

/// The chunks of an upload's stream.
type Chunks = Pin<Box<dyn futures::Stream<Item = Result<bytes::Bytes, BoxError>> + Send + 'static>>;

/// Bytes, a file or a stream to upload, as a raw request body or as a multipart file part,
/// with the part's file name and media type when they are not the document's defaults.
///
/// ```ignore
/// // (`ignore`: this runtime is part of every generated crate, each with its own name.)
/// let from_memory = Upload::from(b"hello".to_vec()).with_file_name("hello.txt");
/// let from_disk = Upload::file("backup.tar.gz")?.with_content_type("application/gzip");
/// ```
///
/// A retried request sends the same bytes again, or reads the file again from its start; a
/// request with a [stream](Upload::stream) is sent once (give bytes or a file to have it
/// retried).
#[derive(Clone)]
pub struct Upload {
    piece: Piece,
    file_name: Option<String>,
    content_type: Option<String>,
}

impl Upload {
    /// Bytes held in memory (shared, not copied, when the request is retried).
    pub fn bytes(data: impl Into<bytes::Bytes>) -> Self {
        Upload {
            piece: Piece::Bytes(data.into()),
            file_name: None,
            content_type: None,
        }
    }

    /// The file at `path`, read when the request is sent (and again by each retry); its file
    /// name is the part's file name unless [`Upload::with_file_name`] says another.
    ///
    /// # Errors
    /// When `path` is not a file that can be read.
    pub fn file(path: impl AsRef<Path>) -> std::io::Result<Self> {
        let path = path.as_ref();
        let meta = std::fs::metadata(path)?;
        if !meta.is_file() {
            return Err(std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                format!("{} is not a file", path.display()),
            ));
        }
        Ok(Upload {
            file_name: path.file_name().map(|n| n.to_string_lossy().into_owned()),
            piece: Piece::File(path.to_path_buf()),
            content_type: None,
        })
    }

    /// The chunks of `stream`, sent as they come; `len`, when known, is sent as the
    /// `Content-Length`. The request is sent once: a stream cannot be replayed.
    pub fn stream<S, E>(stream: S, len: Option<u64>) -> Self
    where
        S: futures::Stream<Item = Result<bytes::Bytes, E>> + Send + 'static,
        E: Into<BoxError> + 'static,
    {
        use futures::TryStreamExt;
        let chunks: Chunks = Box::pin(stream.map_err(Into::into));
        Upload {
            piece: Piece::Stream {
                chunks: Arc::new(Mutex::new(Some(chunks))),
                len,
            },
            file_name: None,
            content_type: None,
        }
    }

    /// The file name a multipart part gives (by default the file's own, or the field's name).
    #[must_use]
    pub fn with_file_name(mut self, name: impl Into<String>) -> Self {
        self.file_name = Some(name.into());
        self
    }

    /// The media type a multipart part gives (by default the document's, or
    /// `application/octet-stream`). A raw body keeps the operation's declared media type.
    #[must_use]
    pub fn with_content_type(mut self, content_type: impl Into<String>) -> Self {
        self.content_type = Some(content_type.into());
        self
    }

    /// The file name set for the part, if any.
    pub fn file_name(&self) -> Option<&str> {
        self.file_name.as_deref()
    }

    /// The media type set for the part, if any.
    pub fn content_type(&self) -> Option<&str> {
        self.content_type.as_deref()
    }

    /// The bytes, when the upload is held in memory.
    pub fn as_bytes(&self) -> Option<&[u8]> {
        match &self.piece {
            Piece::Bytes(b) => Some(b),
            _ => None,
        }
    }

    pub(crate) fn into_parts(self) -> (Piece, Option<String>, Option<String>) {
        (self.piece, self.file_name, self.content_type)
    }
}

impl Default for Upload {
    /// No bytes.
    fn default() -> Self {
        Upload::bytes(bytes::Bytes::new())
    }
}

impl fmt::Debug for Upload {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut out = f.debug_struct("Upload");
        match &self.piece {
            Piece::Bytes(b) => out.field("bytes", &b.len()),
            Piece::File(path) => out.field("file", path),
            Piece::Stream { len, .. } => out.field("stream", len),
        };
        out.field("file_name", &self.file_name)
            .field("content_type", &self.content_type)
            .finish()
    }
}

/// The same bytes, the same file, or the very same stream; and the same name and media type.
impl PartialEq for Upload {
    fn eq(&self, other: &Self) -> bool {
        let same = match (&self.piece, &other.piece) {
            (Piece::Bytes(a), Piece::Bytes(b)) => a == b,
            (Piece::File(a), Piece::File(b)) => a == b,
            (Piece::Stream { chunks: a, .. }, Piece::Stream { chunks: b, .. }) => Arc::ptr_eq(a, b),
            _ => false,
        };
        same && self.file_name == other.file_name && self.content_type == other.content_type
    }
}

impl From<Vec<u8>> for Upload {
    fn from(data: Vec<u8>) -> Self {
        Upload::bytes(data)
    }
}

impl From<bytes::Bytes> for Upload {
    fn from(data: bytes::Bytes) -> Self {
        Upload::bytes(data)
    }
}

impl From<&'static [u8]> for Upload {
    fn from(data: &'static [u8]) -> Self {
        Upload::bytes(data)
    }
}

impl From<String> for Upload {
    fn from(text: String) -> Self {
        Upload::bytes(text)
    }
}

impl From<&'static str> for Upload {
    fn from(text: &'static str) -> Self {
        Upload::bytes(text)
    }
}

/// As `Vec<u8>` would be (a list of numbers in JSON); a file or a stream cannot be written so.
impl serde::Serialize for Upload {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match &self.piece {
            Piece::Bytes(b) => serializer.collect_seq(b.iter()),
            _ => Err(serde::ser::Error::custom(
                "a file or stream upload can only be sent as a multipart part or a raw body",
            )),
        }
    }
}

impl<'de> serde::Deserialize<'de> for Upload {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Vec::<u8>::deserialize(deserializer).map(Upload::bytes)
    }
}

/// One piece of a request body; the last kind is taken by the first attempt that sends it.
#[derive(Clone)]
pub(crate) enum Piece {
    Bytes(bytes::Bytes),
    File(PathBuf),
    Stream {
        chunks: Arc<Mutex<Option<Chunks>>>,
        len: Option<u64>,
    },
}

/// A request body: pieces sent one after the other.
#[derive(Clone)]
pub(crate) struct Payload(Vec<Piece>);

impl Payload {
    pub(crate) fn new(pieces: Vec<Piece>) -> Self {
        Payload(pieces)
    }

    /// Bytes in memory, as one piece.
    pub(crate) fn bytes(bytes: Vec<u8>) -> Self {
        Payload(vec![Piece::Bytes(bytes.into())])
    }

    /// Whether a second attempt can send the body again (no stream among its pieces).
    pub(crate) fn replayable(&self) -> bool {
        !self.0.iter().any(|p| matches!(p, Piece::Stream { .. }))
    }

    /// The body for one attempt and its length when known. One piece of bytes is sent as it is
    /// (so a redirect can send it again); other bodies are streamed, files read in chunks.
    pub(crate) async fn body(&self) -> Result<(reqwest::Body, Option<u64>), BoxError> {
        if let [Piece::Bytes(bytes)] = self.0.as_slice() {
            return Ok((reqwest::Body::from(bytes.clone()), Some(bytes.len() as u64)));
        }
        let mut len = Some(0u64);
        let mut streams: Vec<Chunks> = Vec::with_capacity(self.0.len());
        for piece in &self.0 {
            let (stream, piece_len): (Chunks, Option<u64>) = match piece {
                Piece::Bytes(b) => (Box::pin(futures::stream::iter([Ok(b.clone())])), Some(b.len() as u64)),
                Piece::File(path) => {
                    let file = tokio::fs::File::open(path)
                        .await
                        .map_err(|e| format!("{}: {e}", path.display()))?;
                    let size = file
                        .metadata()
                        .await
                        .map_err(|e| format!("{}: {e}", path.display()))?
                        .len();
                    (file_chunks(file), Some(size))
                }
                Piece::Stream { chunks, len } => {
                    let taken = chunks
                        .lock()
                        .map_err(|_| "an upload stream's lock was poisoned")?
                        .take();
                    let stream = taken.ok_or("the upload's stream was already sent; a stream can be sent once")?;
                    (stream, *len)
                }
            };
            len = len.zip(piece_len).map(|(a, b)| a + b);
            streams.push(stream);
        }
        use futures::StreamExt;
        let body = futures::stream::iter(streams).flatten();
        Ok((reqwest::Body::wrap_stream(body), len))
    }
}

/// A file's bytes, 64 KiB at a time.
fn file_chunks(file: tokio::fs::File) -> Chunks {
    use tokio::io::AsyncReadExt;
    Box::pin(futures::stream::try_unfold(file, |mut file| async move {
        let mut buf = bytes::BytesMut::zeroed(64 * 1024);
        let n = file.read(&mut buf).await?;
        if n == 0 {
            return Ok(None);
        }
        buf.truncate(n);
        Ok(Some((buf.freeze(), file)))
    }))
}
