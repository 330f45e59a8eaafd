//! The open client, against a loopback server: the status and headers of a success
//! (`send_with_response`), the application's own `reqwest::Client`, and asynchronous hooks that
//! see every exchange and may stop it.

mod support;

use std::sync::{Arc, Mutex};
use std::time::Duration;
use support::{headers_of, install, install_json, requests};
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};
use wpengine_api::runtime::reqwest;
use wpengine_api::runtime::{Answered, BoxError, Call, Error, Hooks};
use wpengine_api::{Client, RetryPolicy};

fn quick_retries() -> RetryPolicy {
    RetryPolicy {
        max_attempts: 3,
        initial_backoff: Duration::from_millis(5),
        max_backoff: Duration::from_millis(10),
        max_total_delay: Duration::from_secs(5),
    }
}

#[tokio::test]
async fn a_success_keeps_its_status_headers_request_id_and_attempts() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(install_json("torquemag"))
                .insert_header("x-request-id", "req-42")
                .insert_header("x-ratelimit-remaining", "99"),
        )
        .mount(&server)
        .await;
    let client = Client::builder()
        .base_url(server.uri())
        .retry(quick_retries())
        .build()
        .expect("builds");
    let answer = client
        .get_install(install())
        .send_with_response()
        .await
        .expect("answers");
    assert_eq!(answer.status(), 200);
    assert_eq!(answer.request_id(), Some("req-42"));
    assert_eq!(answer.headers()["x-ratelimit-remaining"], "99");
    assert_eq!(answer.attempts(), 2, "one 503, then the answer");
    // The body is there too, by reference or by value.
    assert_eq!(answer.name, "torquemag");
    assert_eq!(answer.into_inner().name, "torquemag");
}

#[tokio::test]
async fn the_applications_own_http_client_is_used_with_the_clients_settings() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(format!("/installs/{}", install())))
        .respond_with(ResponseTemplate::new(200).set_body_json(install_json("torquemag")))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/installs"))
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_secs(3)))
        .mount(&server)
        .await;
    let mut defaults = reqwest::header::HeaderMap::new();
    defaults.insert("x-from-the-application", "yes".parse().expect("a header value"));
    let own = reqwest::Client::builder()
        .default_headers(defaults)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("reqwest builds");
    let client = Client::builder()
        .base_url(server.uri())
        .http_client(own)
        .basic_auth("user", "pass")
        .user_agent("my-app/1.0")
        .timeout(Some(Duration::from_millis(200)))
        .build()
        .expect("builds");

    client.get_install(install()).send().await.expect("answers");
    let sent = &requests(&server).await[0];
    assert_eq!(
        headers_of(sent, "x-from-the-application"),
        ["yes"],
        "the application's client sent it"
    );
    assert_eq!(
        headers_of(sent, "user-agent"),
        ["my-app/1.0"],
        "the client's own User-Agent, once"
    );
    assert_eq!(headers_of(sent, "authorization").len(), 1, "credentials still applied");

    // The client's timeout holds on the application's HTTP client too.
    match client.list_installs().send().await {
        Err(Error::Transport(e)) if e.is_timeout() => {}
        other => panic!("expected the client's timeout, got {other:?}"),
    }
}

/// Records what it sees; adds a header it has to wait for; refuses when told to.
#[derive(Default)]
struct Recorder {
    seen: Mutex<Vec<String>>,
    refuse_before: bool,
    refuse_after_status: Option<u16>,
}

impl Hooks for Recorder {
    fn before_send<'a>(
        &'a self,
        request: &'a mut reqwest::Request,
        call: &'a Call,
    ) -> futures::future::BoxFuture<'a, Result<(), BoxError>> {
        Box::pin(async move {
            // Something asynchronous, as fetching a signature would be.
            tokio::time::sleep(Duration::from_millis(1)).await;
            let auth = request.headers().contains_key("authorization");
            self.seen
                .lock()
                .expect("lock")
                .push(format!("before {} #{} auth={auth}", call.operation_id, call.attempt));
            if self.refuse_before {
                return Err("the signing service is down".into());
            }
            request
                .headers_mut()
                .insert("x-signature", reqwest::header::HeaderValue::from_static("signed"));
            Ok(())
        })
    }

    fn after_response<'a>(&'a self, answer: &'a Answered<'a>) -> futures::future::BoxFuture<'a, Result<(), BoxError>> {
        Box::pin(async move {
            self.seen.lock().expect("lock").push(format!(
                "after {} #{} {}",
                answer.call.operation_id, answer.call.attempt, answer.status
            ));
            match self.refuse_after_status {
                Some(status) if status == answer.status => Err(format!("refusing HTTP {status}").into()),
                _ => Ok(()),
            }
        })
    }
}

async fn flaky_then_ok() -> MockServer {
    flaky_then_ok_with(("x-signature", "signed")).await
}

/// A server whose first answer is a 502, and whose later ones are an install to requests that
/// carry the header `(name, value)`.
async fn flaky_then_ok_with((name, value): (&'static str, &'static str)) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(502))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(header(name, value))
        .respond_with(ResponseTemplate::new(200).set_body_json(install_json("torquemag")))
        .mount(&server)
        .await;
    server
}

fn hooked(server: &MockServer, hooks: Arc<Recorder>) -> Client {
    // Shared: the test reads what the hooks recorded.
    Client::builder()
        .base_url(server.uri())
        .basic_auth("user", "pass")
        .retry(quick_retries())
        .hooks(hooks)
        .build()
        .expect("builds")
}

#[tokio::test]
async fn hooks_see_every_attempt_with_credentials_set_and_can_change_the_request() {
    let server = flaky_then_ok().await;
    let recorder = Arc::new(Recorder::default());
    let install = hooked(&server, recorder.clone())
        .get_install(install())
        .send()
        .await
        .expect("the signed retry answers");
    assert_eq!(install.name, "torquemag");
    assert_eq!(
        *recorder.seen.lock().expect("lock"),
        [
            "before getInstall #1 auth=true",
            "after getInstall #1 502",
            "before getInstall #2 auth=true",
            "after getInstall #2 200",
        ]
    );
}

/// Notes, on each request it sees, whether the `on_request` function had marked it.
#[derive(Default)]
struct SeesTheMark(Mutex<Vec<bool>>);

impl Hooks for SeesTheMark {
    fn before_send<'a>(
        &'a self,
        request: &'a mut reqwest::Request,
        _call: &'a Call,
    ) -> futures::future::BoxFuture<'a, Result<(), BoxError>> {
        self.0
            .lock()
            .expect("lock")
            .push(request.headers().contains_key("x-marked"));
        Box::pin(std::future::ready(Ok(())))
    }
}

/// `on_request` and `hooks` are one chain around each attempt: the function first, so the
/// hooks see what it did, on every attempt, and both reach the server.
#[tokio::test]
async fn the_request_function_runs_first_in_the_one_chain_of_hooks() {
    let server = flaky_then_ok_with(("x-marked", "yes")).await;
    let sees = Arc::new(SeesTheMark::default());
    let client = Client::builder()
        .base_url(server.uri())
        .basic_auth("user", "pass")
        .retry(quick_retries())
        .on_request(|request| {
            request
                .headers_mut()
                .insert("x-marked", reqwest::header::HeaderValue::from_static("yes"));
        })
        .hooks(sees.clone())
        .build()
        .expect("builds");
    let install = client.get_install(install()).send().await.expect("the retry answers");
    assert_eq!(install.name, "torquemag");
    assert_eq!(*sees.0.lock().expect("lock"), [true, true]);
}

#[tokio::test]
async fn a_hook_that_fails_before_sending_stops_the_call_and_nothing_is_sent() {
    let server = flaky_then_ok().await;
    let recorder = Arc::new(Recorder {
        refuse_before: true,
        ..Recorder::default()
    });
    match hooked(&server, recorder).get_install(install()).send().await {
        Err(e @ Error::Hook(_)) => {
            assert!(e.to_string().contains("the signing service is down"), "{e}");
        }
        other => panic!("expected the hook's error, got {other:?}"),
    }
    assert!(requests(&server).await.is_empty(), "nothing was sent");
}

#[tokio::test]
async fn a_hook_that_fails_on_the_answer_stops_the_call_without_a_retry() {
    let server = flaky_then_ok().await;
    let recorder = Arc::new(Recorder {
        refuse_after_status: Some(502),
        ..Recorder::default()
    });
    match hooked(&server, recorder.clone()).get_install(install()).send().await {
        Err(Error::Hook(e)) => assert_eq!(e.to_string(), "refusing HTTP 502"),
        other => panic!("expected the hook's error, got {other:?}"),
    }
    assert_eq!(requests(&server).await.len(), 1, "a hook's refusal is not retried");
}

/// A client whose requests go through `stack`, with its own retries off (the stack retries).
fn through(server: &MockServer, stack: reqwest_middleware::ClientWithMiddleware) -> Client {
    Client::builder()
        .base_url(server.uri())
        .basic_auth("user", "pass")
        .retry(RetryPolicy::disabled())
        .middleware(stack)
        .build()
        .expect("builds")
}

#[tokio::test]
async fn a_middleware_stack_from_the_registry_sends_every_request() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(install_json("torquemag")))
        .mount(&server)
        .await;
    let policy = reqwest_retry::policies::ExponentialBackoff::builder()
        .retry_bounds(Duration::from_millis(1), Duration::from_millis(5))
        .build_with_max_retries(2);
    let stack = reqwest_middleware::ClientBuilder::new(reqwest::Client::new())
        .with(reqwest_retry::RetryTransientMiddleware::new_with_policy(policy))
        .build();
    let answer = through(&server, stack)
        .get_install(install())
        .send_with_response()
        .await
        .expect("the stack's retry answers");
    assert_eq!(answer.name, "torquemag");
    assert_eq!(
        answer.attempts(),
        1,
        "the client made one attempt; the stack retried it"
    );
    let sent = requests(&server).await;
    assert_eq!(sent.len(), 2);
    assert!(
        sent.iter().all(|r| headers_of(r, "authorization").len() == 1),
        "credentials pass through the stack"
    );
}

#[tokio::test]
async fn a_failing_middleware_is_a_typed_error_and_nothing_is_sent() {
    #[derive(Debug)]
    struct Closed;
    impl std::fmt::Display for Closed {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("the circuit is open")
        }
    }
    impl std::error::Error for Closed {}

    let server = MockServer::start().await;
    fn breaker<'a>(
        _: reqwest::Request,
        _: &'a mut http::Extensions,
        _: reqwest_middleware::Next<'a>,
    ) -> futures::future::BoxFuture<'a, reqwest_middleware::Result<reqwest::Response>> {
        Box::pin(async { Err(reqwest_middleware::Error::middleware(Closed)) })
    }
    let stack = reqwest_middleware::ClientBuilder::new(reqwest::Client::new())
        .with(breaker)
        .build();
    match through(&server, stack).get_install(install()).send().await {
        Err(e @ Error::Middleware(_)) => assert!(e.to_string().contains("the circuit is open"), "{e}"),
        other => panic!("expected the middleware's error, got {other:?}"),
    }
    assert!(requests(&server).await.is_empty());
}

#[tokio::test]
async fn an_optional_nullable_field_is_left_out_set_or_sent_as_null() {
    use wiremock::matchers::body_json;
    use wpengine_api::types::{UpdateInstallRequest, UpdateInstallRequestEnvironment};
    use wpengine_api::Nullable;

    let server = MockServer::start().await;
    for body in [
        serde_json::json!({}),
        serde_json::json!({ "environment": "staging" }),
        serde_json::json!({ "environment": null }),
    ] {
        Mock::given(method("PATCH"))
            .and(body_json(body))
            .respond_with(ResponseTemplate::new(200).set_body_json(install_json("torquemag")))
            .expect(1)
            .mount(&server)
            .await;
    }
    let client = support::client(&server);
    let left_out = UpdateInstallRequest::new();
    assert_eq!(left_out.environment, Nullable::Omitted);
    let set = UpdateInstallRequest::new().with_environment(UpdateInstallRequestEnvironment::Staging);
    let cleared = UpdateInstallRequest::new().with_environment_null();
    assert_eq!(cleared.environment, Nullable::Null);
    for body in [left_out, set, cleared] {
        client
            .update_install(install(), body)
            .send()
            .await
            .expect("each body matches its mock once");
    }
}

/// The `blocking` feature: a plain `#[test]`, no async runtime of its own, calling from
/// several threads at once; the mock server runs on a runtime of its own.
#[test]
fn send_blocking_needs_no_runtime_and_serves_several_threads() {
    let server_runtime = tokio::runtime::Runtime::new().expect("a runtime for the server");
    let server = server_runtime.block_on(async {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .respond_with(ResponseTemplate::new(200).set_body_json(install_json("torquemag")))
            .expect(4)
            .mount(&server)
            .await;
        server
    });
    let client = support::client(&server);
    let names: Vec<String> = std::thread::scope(|scope| {
        let calls: Vec<_> = (0..4)
            .map(|_| scope.spawn(|| client.get_install(install()).send_blocking().map(|i| i.name)))
            .collect();
        calls
            .into_iter()
            .map(|c| c.join().expect("no panic").expect("answers"))
            .collect()
    });
    assert_eq!(names, ["torquemag"; 4]);
    server_runtime.block_on(server.verify());
}

#[tokio::test]
async fn send_blocking_inside_async_code_is_an_error_not_a_stall() {
    let server = MockServer::start().await;
    let client = support::client(&server);
    match client.get_install(install()).send_blocking() {
        Err(Error::InvalidRequest(message)) => assert!(message.contains(".send().await"), "{message}"),
        other => panic!("expected an error saying to await, got {other:?}"),
    }
    assert!(requests(&server).await.is_empty());
}
