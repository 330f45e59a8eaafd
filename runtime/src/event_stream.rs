//! [`EventStream`]: the typed events of an answer that streams them (server-sent events,
//! JSON lines, JSON text sequences), read as they arrive, each one's data decoded as the
//! operation declares it.
//!
//! A `GET` stream whose events carry ids is resumed after a dropped connection: the request
//! is sent again with `Last-Event-ID`, after the wait the client's [`RetryPolicy`] gives (at
//! least the reconnection time the server asked for), so no event is lost or repeated by a
//! server that honours the header. The attempts count from the last event received. Other
//! streams end with the transport error.

use super::error::{snippet, DecodeError, Error};
use super::events::{Framer, Framing, RawEvent, TooLarge};
use super::request::Request;
use super::retry::RetryPolicy;
use super::vocabulary::HttpMethod;
use super::ResponseValue;
use std::collections::VecDeque;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

/// One event of a stream.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event<T> {
    /// The event's name (a server-sent event's `event` field); `None` for unnamed events,
    /// which the standard calls `message`, and for JSON lines, which have no names.
    pub event: Option<String>,
    /// The last event id the server gave, which the stream resumes from.
    pub id: Option<String>,
    /// The reconnection time the server asked for in this event, if it did.
    pub retry: Option<Duration>,
    /// The event's data, decoded as the operation declares it: a generated type for JSON, a
    /// `String` for data the document does not type.
    pub data: T,
}

/// Why an event's data could not be decoded: where in the JSON, and what serde said.
#[doc(hidden)]
#[derive(Debug)]
pub struct DataError {
    path: Option<String>,
    message: String,
}

/// An event's data decoded as JSON of type `T`.
///
/// # Errors
/// Where and why the data is not a `T`.
#[doc(hidden)]
pub fn json_data<T: serde::de::DeserializeOwned>(data: &str) -> Result<T, DataError> {
    super::response::json_with_path(data.as_bytes()).map_err(|(path, e)| DataError {
        path,
        message: e.to_string(),
    })
}

/// An event's data as text, as it came.
///
/// # Errors
/// None: any text is a `String`.
#[doc(hidden)]
pub fn text_data(data: &str) -> Result<String, DataError> {
    Ok(data.to_owned())
}

/// What generated code says of an operation's events.
#[doc(hidden)]
#[derive(Debug, Clone, Copy)]
pub struct EventsMeta<T> {
    pub framing: Framing,
    pub decode: fn(&str) -> Result<T, DataError>,
    /// The data that ends the stream (`[DONE]`), where the document names one.
    pub end: Option<&'static str>,
}

/// Sends a request prepared by `prepare` whose answer is a stream of events, and gives the
/// events as they arrive, with the answer's status and headers.
///
/// # Errors
/// As [`Request::send_streaming`], until the status and headers arrive.
#[doc(hidden)]
pub async fn events_prepared<T: Send + 'static, B: Send + Sync + 'static>(
    prepare: impl FnOnce() -> Result<Request<B>, Error<B>>,
    meta: EventsMeta<T>,
) -> Result<ResponseValue<EventStream<T, B>>, Error<B>> {
    let mut request = prepare()?;
    request.open_ended = true;
    let again = (request.meta.method == HttpMethod::Get).then(|| request.clone());
    let policy = request.retry_policy();
    let limit = request.client.inner.max_body;
    let silence = request.options.timeout.or(request.client.inner.timeout);
    let mut response = request.send_streaming().await?;
    let live = response.live.take();
    response.value(|answer| {
        let content_type = answer
            .headers
            .get(reqwest::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        Ok(EventStream::new(State {
            live,
            framer: Framer::new(meta.framing, limit, None),
            pending: VecDeque::new(),
            meta,
            ending: None,
            done: false,
            again,
            policy,
            resumes: 0,
            waited: Duration::ZERO,
            reconnect: None,
            silence,
            limit,
            status: answer.status,
            content_type,
        }))
    })
}

type Running<T, B> = Pin<Box<dyn futures::Stream<Item = Result<Event<T>, Error<B>>> + Send + 'static>>;

/// The events of an answer, as they arrive: a `Stream` of [`Event`]s (with
/// `futures::TryStreamExt::try_next`, a loop of three lines).
///
/// A line or an event longer than the client's
/// [`max_response_body`](super::ClientBuilder::max_response_body) (or
/// [`max_event_size`](Self::max_event_size)) ends the stream with
/// [`Error::EventTooLarge`]; so does a silence longer than the timeout, with
/// [`Error::Silent`]. An event whose data does not decode is an [`Error::Decode`] item naming
/// the event, and the stream goes on after it. Comments and keep-alives are skipped.
pub struct EventStream<T, B: 'static> {
    /// The stream's state until it is first polled, so its settings can still change.
    waiting: Option<State<T, B>>,
    running: Option<Running<T, B>>,
}

impl<T: Send + 'static, B: Send + Sync + 'static> EventStream<T, B> {
    fn new(state: State<T, B>) -> Self {
        EventStream {
            waiting: Some(state),
            running: None,
        }
    }

    /// Refuses lines and events longer than `bytes` (by default the client's
    /// [`max_response_body`](super::ClientBuilder::max_response_body)). Settings apply until
    /// the stream is first polled.
    #[must_use]
    pub fn max_event_size(mut self, bytes: usize) -> Self {
        if let Some(state) = &mut self.waiting {
            state.limit = bytes;
            state.framer = Framer::new(state.meta.framing, bytes, None);
        }
        self
    }

    /// Ends the stream at the event whose data is `marker` (`[DONE]`, say), which is not
    /// handed over; where the API description names one, it is already set.
    #[must_use]
    pub fn end_at(mut self, marker: &'static str) -> Self {
        if let Some(state) = &mut self.waiting {
            state.meta.end = Some(marker);
        }
        self
    }

    /// Whether a dropped connection is resumed with `Last-Event-ID` (by default it is, for a
    /// `GET` whose events carry ids).
    #[must_use]
    pub fn resume(mut self, resume: bool) -> Self {
        if let (Some(state), false) = (&mut self.waiting, resume) {
            state.again = None;
        }
        self
    }
}

impl<T, B: 'static> std::fmt::Debug for EventStream<T, B> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EventStream")
            .field("started", &self.running.is_some())
            .finish_non_exhaustive()
    }
}

impl<T: Send + 'static, B: Send + Sync + 'static> futures::Stream for EventStream<T, B> {
    type Item = Result<Event<T>, Error<B>>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        if let Some(state) = this.waiting.take() {
            this.running = Some(Box::pin(futures::stream::unfold(state, State::next)));
        }
        match &mut this.running {
            Some(running) => running.as_mut().poll_next(cx),
            None => Poll::Ready(None),
        }
    }
}

/// A stream's state between events.
struct State<T, B: 'static> {
    live: Option<reqwest::Response>,
    framer: Framer,
    /// Events read but not yet handed over.
    pending: VecDeque<RawEvent>,
    meta: EventsMeta<T>,
    /// The error that ends the stream once `pending` is handed over.
    ending: Option<Error<B>>,
    done: bool,
    /// The request to send again with `Last-Event-ID`, for a stream that can be resumed.
    again: Option<Request<B>>,
    policy: RetryPolicy,
    /// Resumptions since the last event received, and the time waited for them.
    resumes: u32,
    waited: Duration,
    /// The last reconnection time the server asked for.
    reconnect: Option<Duration>,
    /// The longest silence allowed.
    silence: Option<Duration>,
    limit: usize,
    status: u16,
    content_type: Option<String>,
}

impl<T: Send + 'static, B: Send + Sync + 'static> State<T, B> {
    /// The next event (or error) and the state after it; `None` at the end.
    async fn next(mut self) -> Option<(Result<Event<T>, Error<B>>, Self)> {
        loop {
            if let Some(raw) = self.pending.pop_front() {
                if self.meta.end == Some(raw.data.as_str()) {
                    return None;
                }
                self.resumes = 0;
                self.waited = Duration::ZERO;
                let item = self.decoded(raw);
                return Some((item, self));
            }
            if let Some(error) = self.ending.take() {
                self.done = true;
                return Some((Err(error), self));
            }
            if self.done {
                return None;
            }
            match self.chunk().await {
                Ok(Some(chunk)) => {
                    let read = self.framer.feed(&chunk, &mut self.pending);
                    self.reconnect = self.framer.reconnect().or(self.reconnect);
                    self.end_if_too_large(read);
                }
                Ok(None) => {
                    let read = self.framer.finish(&mut self.pending);
                    self.end_if_too_large(read);
                    self.done = true;
                }
                Err(error) => {
                    if let Err(error) = self.resumed(error).await {
                        self.ending = Some(error);
                    }
                }
            }
        }
    }

    fn end_if_too_large(&mut self, read: Result<(), TooLarge>) {
        if let Err(TooLarge { limit }) = read {
            self.ending = Some(Error::EventTooLarge { limit });
            self.live = None;
        }
    }

    /// The next chunk of the body; `None` at its end.
    async fn chunk(&mut self) -> Result<Option<bytes::Bytes>, Error<B>> {
        let Some(live) = &mut self.live else {
            return Ok(None);
        };
        let read = match self.silence {
            Some(limit) => tokio::time::timeout(limit, live.chunk())
                .await
                .map_err(|_| Error::Silent { after: limit })?,
            None => live.chunk().await,
        };
        // The URL may carry a credential in its query: it is left out.
        read.map_err(|e| Error::Transport(e.without_url()))
    }

    /// The stream resumed after `error` broke it off, when it can be: a `GET` whose events
    /// carried an id, within the retry policy. Otherwise `error`, or the new request's.
    async fn resumed(&mut self, error: Error<B>) -> Result<(), Error<B>> {
        self.live = None;
        let (Some(request), Some(id)) = (&self.again, self.framer.last_id()) else {
            return Err(error);
        };
        if !matches!(error, Error::Transport(_) | Error::Silent { .. }) {
            return Err(error);
        }
        self.resumes += 1;
        let Some(delay) = self.policy.delay(self.resumes, self.reconnect, self.waited) else {
            return Err(error);
        };
        let id = id.to_owned();
        tracing::info!(last_event_id = %id, delay_ms = delay.as_millis() as u64, "resuming the event stream");
        tokio::time::sleep(delay).await;
        self.waited += delay;
        let mut request = request.clone();
        request
            .headers
            .retain(|(name, _)| !name.eq_ignore_ascii_case("last-event-id"));
        request.headers.push(("last-event-id", id.clone()));
        let mut response = request.send_streaming().await?;
        // 204 No Content: the server has nothing more to send.
        self.live = response.live.take().filter(|_| response.status != 204);
        self.framer = Framer::new(self.meta.framing, self.limit, Some(id));
        Ok(())
    }

    /// `raw` with its data decoded, or the error naming the event.
    fn decoded(&self, raw: RawEvent) -> Result<Event<T>, Error<B>> {
        match (self.meta.decode)(&raw.data) {
            Ok(data) => Ok(Event {
                event: raw.name,
                id: raw.id,
                retry: raw.retry,
                data,
            }),
            Err(DataError { path, message }) => {
                let which = match (&raw.name, &raw.id) {
                    (Some(name), Some(id)) => format!("event `{name}` (id {id})"),
                    (Some(name), None) => format!("event `{name}`"),
                    (None, Some(id)) => format!("the event of id {id}"),
                    (None, None) => "an event".to_owned(),
                };
                Err(Error::Decode(DecodeError {
                    status: self.status,
                    content_type: self.content_type.clone(),
                    path,
                    message: format!("{which}: {message}"),
                    body: snippet(raw.data.as_bytes()),
                }))
            }
        }
    }
}

/// What an [`EventStream`] answers with, for code that takes one in tests: `events`
/// already decoded, as if a server had sent them.
impl<T: Send + 'static, B: Send + Sync + 'static> FromIterator<Event<T>> for EventStream<T, B> {
    fn from_iter<I: IntoIterator<Item = Event<T>>>(events: I) -> Self {
        use futures::StreamExt;
        let items: Vec<Result<Event<T>, Error<B>>> = events.into_iter().map(Ok).collect();
        EventStream {
            waiting: None,
            running: Some(futures::stream::iter(items).boxed()),
        }
    }
}
