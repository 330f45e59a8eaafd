//! The tool generated for the feature fixture (an untagged document: its subcommands are the
//! tool's own), built and run against a loopback server: answers of several kinds (JSON, text,
//! one of several outcomes), a list paged by cursor with `--all`, a number checked before
//! anything is sent, and a form body from a file.

use std::process::{Command, Output};
use wiremock::matchers::{body_string_contains, method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, ResponseTemplate};

async fn tool(server: &MockServer, args: &[&str]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_features-cli"));
    command
        .args(args)
        .env_clear()
        .env("FEATURES_TOKEN", "t0ken")
        .env("FEATURES_URL", server.uri());
    tokio::task::spawn_blocking(move || command.output().expect("runs"))
        .await
        .expect("joins")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[tokio::test(flavor = "multi_thread")]
async fn each_kind_of_answer_prints_as_it_should() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/health"))
        .respond_with(ResponseTemplate::new(200).set_body_raw("all good", "text/plain"))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/exports/running"))
        .respond_with(ResponseTemplate::new(202).set_body_raw("40% done", "text/plain"))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/exports/empty"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let out = tool(&server, &["health"]).await;
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout), "all good\n");
    // One of several outcomes: the 202's text, then the 204's nothing.
    let out = tool(&server, &["get-export", "running"]).await;
    assert_eq!(text(&out.stdout), "40% done\n");
    let out = tool(&server, &["get-export", "empty"]).await;
    assert!(out.status.success());
    assert_eq!(text(&out.stdout), "");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_cursor_paged_list_prints_every_item_with_all() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/feed"))
        .and(query_param_is_missing("cursor"))
        .and(query_param("topic", "rust"))
        .respond_with(ResponseTemplate::new(200).set_body_json(
            serde_json::json!({ "entries": [{ "id": "a" }, { "id": "b" }], "meta": { "next_cursor": "c2" } }),
        ))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/feed"))
        .and(query_param("cursor", "c2"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({ "entries": [{ "id": "c" }] })))
        .mount(&server)
        .await;
    let out = tool(&server, &["list-feed", "--topic", "rust", "--all"]).await;
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout), "{\"id\":\"a\"}\n{\"id\":\"b\"}\n{\"id\":\"c\"}\n");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_form_body_comes_from_a_json_file_and_values_are_checked_before_sending() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/pets"))
        .and(body_string_contains("name=Rex"))
        .respond_with(ResponseTemplate::new(201).set_body_json(serde_json::json!({ "id": 7, "kind": "dog" })))
        .mount(&server)
        .await;
    let file = std::env::temp_dir().join(format!("features-cli-pet-{}.json", std::process::id()));
    std::fs::write(&file, r#"{"name": "Rex", "kind": "dog"}"#).expect("writes");
    let file_arg = file.display().to_string();
    let out = tool(
        &server,
        &["create-pet", "--body", &file_arg, "--idempotency-key", "k-1"],
    )
    .await;
    let _ = std::fs::remove_file(&file);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let pet: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(pet["id"], 7);
    let sent = server.received_requests().await.expect("recorded");
    assert_eq!(sent.len(), 1);
    assert_eq!(
        sent[0].headers.get("idempotency-key").and_then(|v| v.to_str().ok()),
        Some("k-1")
    );
    // A page number that is not a number: a usage error naming the flag, nothing sent.
    let out = tool(&server, &["list-articles", "--page", "two"]).await;
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("--page"), "{}", text(&out.stderr));
    assert_eq!(server.received_requests().await.expect("recorded").len(), 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn each_event_of_a_stream_prints_as_one_json_line() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/ticks"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(
            "retry: 1500\nid: 7\nevent: tick\ndata: {\"seq\":7}\n\n: ping\n\nid: 8\ndata: {\"seq\":8,\"label\":\"x\"}\n\n",
            "text/event-stream",
        ))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/export"))
        .respond_with(ResponseTemplate::new(200).set_body_raw("{\"row\":1}\n{\"row\":2}\n", "application/x-ndjson"))
        .mount(&server)
        .await;
    let out = tool(&server, &["watch-ticks"]).await;
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(
        text(&out.stdout),
        "{\"event\":\"tick\",\"id\":\"7\",\"retry\":1500,\"data\":{\"seq\":7}}\n{\"id\":\"8\",\"data\":{\"seq\":8,\"label\":\"x\"}}\n"
    );
    // JSON lines print as themselves.
    let out = tool(&server, &["export-rows"]).await;
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout), "{\"row\":1}\n{\"row\":2}\n");
}
