//! Typed mocks for the tests of code that uses the client (the crate's `mock` feature), on a
//! wiremock server: each operation is expected by name, matched by method and path (and the
//! path parameters and query values a test names), and answered with typed values.

use super::params::{path_segment, ToParam};
use super::vocabulary::HttpMethod;
use std::marker::PhantomData;
use wiremock::matchers::{method, path_regex, query_param};
use wiremock::{Mock, ResponseTemplate};

/// A mock server on a loopback port; point a client at [`Server::uri`]. Expectations with a
/// count are checked when the server is dropped (a test fails then if they were not met).
#[derive(Debug)]
pub struct Server {
    inner: wiremock::MockServer,
}

impl Server {
    /// Starts a server on a free loopback port.
    pub async fn start() -> Self {
        Server {
            inner: wiremock::MockServer::start().await,
        }
    }

    /// The server's address, for `ClientBuilder::base_url`.
    pub fn uri(&self) -> String {
        self.inner.uri()
    }

    /// How many requests the server has received.
    pub async fn received(&self) -> usize {
        self.inner.received_requests().await.map_or(0, |r| r.len())
    }

    /// An expectation of the operation sent as `method` to `template` (`/installs/{id}`);
    /// generated code names each operation.
    #[doc(hidden)]
    pub fn when<T, E>(&self, method: HttpMethod, template: &'static str) -> When<'_, T, E> {
        When {
            server: self,
            method,
            template,
            path_values: Vec::new(),
            query: Vec::new(),
            times: None,
            xml: None,
            events: None,
            answer: PhantomData,
        }
    }
}

/// What a test expects of one operation, and how the server answers it. `T` is the operation's
/// success type, `E` its typed error body.
#[must_use = "an expectation does nothing until it is answered: `.answers(..)` or `.fails(..)`"]
pub struct When<'a, T, E> {
    server: &'a Server,
    method: HttpMethod,
    template: &'static str,
    path_values: Vec<(&'static str, String)>,
    query: Vec<(String, String)>,
    times: Option<u64>,
    /// The root element and shape of an operation that answers XML.
    xml: Option<(&'static str, &'static super::xml::Shape)>,
    /// How an operation that answers a stream of events frames them.
    events: Option<super::Framing>,
    answer: PhantomData<fn() -> (T, E)>,
}

impl<T, E> When<'_, T, E> {
    /// Matches only requests whose path parameter `name` (as the document names it) is `value`.
    pub fn path_param(mut self, name: &'static str, value: &(impl ToParam + ?Sized)) -> Self {
        self.path_values.push((name, path_segment(value)));
        self
    }

    /// Matches only requests whose query has `name=value`.
    pub fn query(mut self, name: &str, value: &(impl ToParam + ?Sized)) -> Self {
        self.query.push((name.to_owned(), value.to_param()));
        self
    }

    /// Expects exactly `n` matching requests, checked when the server is dropped.
    pub fn times(mut self, n: u64) -> Self {
        self.times = Some(n);
        self
    }

    /// Answers `status` with no body, once; later requests fall through to the expectations
    /// mounted after it (so `fails_once(503)` then `answers(..)` is a retried call).
    pub async fn fails_once(self, status: u16) {
        let template = ResponseTemplate::new(status);
        self.mount(template, Some(1), 1).await;
    }

    /// Answers with an error `status` and a typed error body (one of the operation's declared
    /// error schemas, such as a `NotFoundErrorResponse`).
    pub async fn fails<B: serde::Serialize>(self, status: u16, body: &B) {
        let template = ResponseTemplate::new(status).set_body_json(body);
        self.mount(template, None, 5).await;
    }

    /// The path as a regular expression: each parameter any one segment, or the value a test
    /// named.
    fn path_pattern(&self) -> String {
        let mut pattern = String::from("^");
        let mut rest = self.template;
        while let Some(open) = rest.find('{') {
            pattern.push_str(&escape(&rest[..open]));
            let Some(close) = rest[open..].find('}') else { break };
            let name = &rest[open + 1..open + close];
            match self.path_values.iter().find(|(n, _)| *n == name) {
                Some((_, value)) => pattern.push_str(&escape(value)),
                None => pattern.push_str("[^/]+"),
            }
            rest = &rest[open + close + 1..];
        }
        pattern.push_str(&escape(rest));
        pattern.push('$');
        pattern
    }

    async fn mount(self, template: ResponseTemplate, up_to: Option<u64>, priority: u8) {
        let mut mock = Mock::given(method(self.method.as_str())).and(path_regex(self.path_pattern()));
        for (name, value) in &self.query {
            mock = mock.and(query_param(name.as_str(), value.as_str()));
        }
        let mut mock = mock.respond_with(template).with_priority(priority);
        if let Some(n) = up_to {
            mock = mock.up_to_n_times(n);
        }
        if let Some(n) = self.times {
            mock = mock.expect(n);
        }
        mock.mount(&self.server.inner).await;
    }
}

impl<T: serde::Serialize, E> When<'_, T, E> {
    /// Answers 200 with `value` as the JSON body.
    pub async fn answers(self, value: &T) {
        self.answers_with_status(200, value).await;
    }

    /// Answers `status` (a 2xx the operation declares) with `value` as the body: JSON, or
    /// XML for an operation that answers XML, or one event for one that streams them.
    pub async fn answers_with_status(self, status: u16, value: &T) {
        let template = match (self.xml, self.events) {
            (_, Some(framing)) => events_template(status, framing, [(None, None, value)]),
            (Some((root, shape)), None) => {
                let json = serde_json::to_value(value).unwrap_or_default();
                ResponseTemplate::new(status).set_body_raw(super::xml::write(root, shape, &json), "application/xml")
            }
            (None, None) => ResponseTemplate::new(status).set_body_json(value),
        };
        self.mount(template, None, 5).await;
    }

    /// Answers 200 with `events`, framed as the operation streams them (server-sent events,
    /// with their names and ids, or JSON lines); the stream ends after the last one.
    pub async fn answers_events(self, events: &[super::Event<T>]) {
        let framing = self.events.unwrap_or(super::Framing::ServerSent);
        let events = events.iter().map(|e| (e.event.as_deref(), e.id.as_deref(), &e.data));
        self.mount(events_template(200, framing, events), None, 5).await;
    }

    /// Answers as a stream of events framed as `framing` (generated code calls this for
    /// operations that stream events).
    #[doc(hidden)]
    pub fn events(mut self, framing: super::Framing) -> Self {
        self.events = Some(framing);
        self
    }

    /// Answers in XML, with `root` as the root element, as `shape` says (generated code calls
    /// this for operations that answer XML).
    #[doc(hidden)]
    pub fn xml(mut self, root: &'static str, shape: &'static super::xml::Shape) -> Self {
        self.xml = Some((root, shape));
        self
    }
}

/// An answer of `events` (name, id, data) framed as `framing`: data that is a JSON string is
/// a server-sent event's text as it is, any other data its JSON.
fn events_template<'v, T: serde::Serialize + 'v>(
    status: u16,
    framing: super::Framing,
    events: impl IntoIterator<Item = (Option<&'v str>, Option<&'v str>, &'v T)>,
) -> ResponseTemplate {
    let mut body = String::new();
    for (name, id, data) in events {
        let json = serde_json::to_value(data).unwrap_or_default();
        match framing {
            super::Framing::ServerSent => {
                if let Some(name) = name {
                    body.push_str(&format!("event: {name}\n"));
                }
                if let Some(id) = id {
                    body.push_str(&format!("id: {id}\n"));
                }
                let text = match &json {
                    serde_json::Value::String(text) => text.clone(),
                    other => other.to_string(),
                };
                for line in text.split('\n') {
                    body.push_str(&format!("data: {line}\n"));
                }
                body.push('\n');
            }
            super::Framing::JsonLines => body.push_str(&format!("{json}\n")),
            super::Framing::JsonSeq => body.push_str(&format!("\u{1e}{json}\n")),
        }
    }
    let media = match framing {
        super::Framing::ServerSent => "text/event-stream",
        super::Framing::JsonLines => "application/x-ndjson",
        super::Framing::JsonSeq => "application/json-seq",
    };
    ResponseTemplate::new(status).set_body_raw(body, media)
}

/// `text` with the characters a regular expression gives a meaning escaped.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if "\\.+*?()|[]{}^$#&-~".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}
