//! The clients generated from the three WordPress-management fixtures in
//! `tests/fixtures/seeds/`, against a loopback server: each sends the auth and the headers its
//! API asks for.

mod support;

use serde_json::json;
use std::time::Duration;
use support::{headers_of, requests};
use wiremock::matchers::{body_json, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

mod rpc_api_keys {
    use super::*;
    use seed_rpc_api_keys::types::{ErrorBody, Message, SendMessageRequest, SendMessageResultStatus};
    use seed_rpc_api_keys::{Client, Error};

    fn client(server: &MockServer) -> Client {
        Client::builder()
            .base_url(server.uri())
            .api_key("wpe-key-1")
            .build()
            .expect("builds")
    }

    #[tokio::test]
    async fn rpc_calls_post_json_with_the_key_in_x_api_key() {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .and(path("/server/ping"))
            .and(header("x-api-key", "wpe-key-1"))
            .and(header("content-type", "application/json"))
            .and(body_json(json!({})))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({"ok": true})))
            .expect(1)
            .mount(&server)
            .await;
        Mock::given(method("POST"))
            .and(path("/whatsapp/sendMessage"))
            .and(header("x-api-key", "wpe-key-1"))
            .and(body_json(json!({
                "clientId": "00000000-0000-0000-0000-000000000000",
                "jid": "15551234567@s.whatsapp.net",
                "message": {"text": "Hello from WP Engine"}
            })))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": "m1", "status": "queued"})))
            .expect(1)
            .mount(&server)
            .await;
        let client = client(&server);
        let pong = client.server_ping(json!({})).send().await.expect("pings");
        assert_eq!(pong.ok, Some(true));
        let sent = client
            .whatsapp_send_message(SendMessageRequest::new(
                uuid::Uuid::nil(),
                "15551234567@s.whatsapp.net",
                Message::new("Hello from WP Engine"),
            ))
            .send()
            .await
            .expect("sends");
        assert_eq!(sent.status, Some(SendMessageResultStatus::Queued));
        for request in requests(&server).await {
            assert_eq!(
                headers_of(&request, "authorization"),
                Vec::<String>::new(),
                "the key is the only credential"
            );
        }
    }

    #[tokio::test]
    async fn a_rejected_key_is_a_typed_error_and_constraints_hold() {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .respond_with(ResponseTemplate::new(401).set_body_json(json!({"code": "bad_key", "message": "revoked"})))
            .mount(&server)
            .await;
        let error = client(&server).server_ping(json!({})).send().await.expect_err("401");
        let Error::Api(api) = error else {
            panic!("expected an API error")
        };
        assert_eq!(api.status(), 401);
        let Some(ErrorBody::RpcError(body)) = api.body() else {
            panic!("typed body")
        };
        assert_eq!(body.message, "revoked");

        // An empty recipient breaks `minLength: 3` and is refused before sending.
        let before = requests(&server).await.len();
        let refused = client(&server)
            .whatsapp_send_message(SendMessageRequest::new(
                uuid::Uuid::nil(),
                String::new(),
                Message::new("hi"),
            ))
            .send()
            .await;
        assert!(matches!(refused, Err(Error::InvalidRequest(_))), "{refused:?}");
        assert_eq!(requests(&server).await.len(), before);
    }
}

mod bearer_idempotency {
    use super::*;
    use seed_bearer_idempotency::runtime::{RequestOptions, RetryPolicy};
    use seed_bearer_idempotency::types::{BackupRequest, BackupRequestScope, BackupRequestStorage, ErrorBody};
    use seed_bearer_idempotency::{Client, Error};

    fn retries() -> RetryPolicy {
        RetryPolicy {
            max_attempts: 3,
            initial_backoff: Duration::from_millis(10),
            max_backoff: Duration::from_millis(20),
            max_total_delay: Duration::from_secs(5),
        }
    }

    fn client(server: &MockServer) -> Client {
        Client::builder()
            .base_url(server.uri())
            .bearer_token("wp_live_sk_test")
            .retry(retries())
            .build()
            .expect("builds")
    }

    fn backup() -> BackupRequest {
        BackupRequest::new(BackupRequestScope::Full).with_storage(BackupRequestStorage::S3)
    }

    #[tokio::test]
    async fn bearer_and_wp_version_travel_as_headers() {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .and(path("/sites/s-1"))
            .and(header("authorization", "Bearer wp_live_sk_test"))
            .and(header("x-wp-version", "6.4"))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": "s-1", "wp_version": "6.4"})))
            .expect(1)
            .mount(&server)
            .await;
        let site = client(&server)
            .get_site("s-1")
            .x_wp_version("6.4")
            .send()
            .await
            .expect("site");
        assert_eq!(site.wp_version.as_deref(), Some("6.4"));
    }

    #[tokio::test]
    async fn an_idempotency_key_makes_a_post_retryable_and_is_replayed_unchanged() {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .and(path("/sites/s-1/backups"))
            .respond_with(ResponseTemplate::new(503))
            .up_to_n_times(1)
            .mount(&server)
            .await;
        Mock::given(method("POST"))
            .and(path("/sites/s-1/backups"))
            .and(body_json(json!({"scope": "full", "storage": "s3"})))
            .respond_with(ResponseTemplate::new(202).set_body_json(json!({"id": "b-1", "status": "queued"})))
            .mount(&server)
            .await;
        let key = uuid::Uuid::new_v4();
        let started = client(&server)
            .create_backup("s-1", backup())
            .idempotency_key(key)
            .send()
            .await
            .expect("started after one retry");
        assert_eq!(started.id, "b-1");
        let sent = requests(&server).await;
        assert_eq!(sent.len(), 2);
        for request in &sent {
            assert_eq!(headers_of(request, "idempotency-key"), [key.to_string()]);
            assert_eq!(headers_of(request, "authorization"), ["Bearer wp_live_sk_test"]);
        }

        // Without a key, a POST that failed with 503 is not replayed: it may have been applied.
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .respond_with(ResponseTemplate::new(503))
            .mount(&server)
            .await;
        let error = client(&server)
            .create_backup("s-1", backup())
            .send()
            .await
            .expect_err("503");
        assert_eq!(error.status(), Some(503));
        assert_eq!(requests(&server).await.len(), 1);

        // A generated key works the same way, for callers that do not keep their own.
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .respond_with(ResponseTemplate::new(503))
            .up_to_n_times(1)
            .mount(&server)
            .await;
        Mock::given(method("POST"))
            .respond_with(ResponseTemplate::new(202).set_body_json(json!({"id": "b-2", "status": "queued"})))
            .mount(&server)
            .await;
        client(&server)
            .create_backup("s-1", backup())
            .with_options(RequestOptions::new().generated_idempotency_key())
            .send()
            .await
            .expect("started");
        let keys: Vec<Vec<String>> = requests(&server)
            .await
            .iter()
            .map(|r| headers_of(r, "idempotency-key"))
            .collect();
        assert_eq!(keys.len(), 2);
        assert!(keys[0].len() == 1 && keys[0] == keys[1], "{keys:?}");
    }

    #[tokio::test]
    async fn refusals_decode_as_problems() {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .respond_with(
                ResponseTemplate::new(403).set_body_json(json!({"error": "forbidden", "message": "read-only key"})),
            )
            .mount(&server)
            .await;
        let Err(Error::Api(api)) = client(&server).get_site("s-1").send().await else {
            panic!("expected an API error")
        };
        let Some(ErrorBody::Problem(problem)) = api.body() else {
            panic!("typed body")
        };
        assert_eq!(problem.message.as_deref(), Some("read-only key"));
    }
}

mod read_write_delete {
    use super::*;
    use seed_read_write_delete::types::SiteUpdate;
    use seed_read_write_delete::Client;

    #[tokio::test]
    async fn read_write_delete_and_a_batch_that_answers_at_once() {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .and(path("/sites"))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!([{"id": 1, "url": "https://a.example"}])))
            .mount(&server)
            .await;
        Mock::given(method("PUT"))
            .and(path("/sites/1"))
            .and(body_json(json!({"name": "Blog"})))
            .respond_with(
                ResponseTemplate::new(200).set_body_json(json!({"id": 1, "url": "https://a.example", "name": "Blog"})),
            )
            .mount(&server)
            .await;
        Mock::given(method("DELETE"))
            .and(path("/sites/1"))
            .respond_with(ResponseTemplate::new(204))
            .mount(&server)
            .await;
        Mock::given(method("POST"))
            .and(path("/updates/batch"))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({
                "success": 1,
                "message": "Batch updates all started successfully.",
                "last_time_start_batch_updates": "2024-09-03T16:57:29"
            })))
            .mount(&server)
            .await;
        let client = Client::builder()
            .base_url(server.uri())
            .bearer_token("mainwp-key")
            .build()
            .expect("builds");
        let sites = client.list_sites().send().await.expect("lists");
        assert_eq!(sites[0].url, "https://a.example");
        let site = client
            .update_site(1, SiteUpdate::new().with_name("Blog"))
            .send()
            .await
            .expect("updates");
        assert_eq!(site.name.as_deref(), Some("Blog"));
        client.delete_site(1).send().await.expect("deletes");
        let started = client.start_batch_updates().send().await.expect("starts");
        assert_eq!(started.success, 1);
        // The start time has no offset, so it stays text rather than failing to decode.
        assert_eq!(
            started.last_time_start_batch_updates.as_deref(),
            Some("2024-09-03T16:57:29")
        );
        let sent = requests(&server).await;
        let methods: Vec<String> = sent.iter().map(|r| r.method.to_string()).collect();
        assert_eq!(methods, ["GET", "PUT", "DELETE", "POST"]);
        for request in &sent {
            assert_eq!(headers_of(request, "authorization"), ["Bearer mainwp-key"]);
        }
    }

    #[tokio::test]
    async fn a_key_without_the_permission_gets_a_403_with_advice() {
        let server = MockServer::start().await;
        Mock::given(method("DELETE"))
            .respond_with(ResponseTemplate::new(403))
            .mount(&server)
            .await;
        let client = Client::builder()
            .base_url(server.uri())
            .bearer_token("read-only")
            .build()
            .expect("builds");
        let error = client.delete_site(1).send().await.expect_err("403");
        assert_eq!(error.status(), Some(403));
        assert!(error.to_string().contains("403"), "{error}");
    }
}
