//! The typed mocks a downstream crate's tests use (the `mock` feature): each operation is
//! expected by name and answered with typed values; the client under test cannot tell.

use wpengine_api::mocks::MockServer;
use wpengine_api::types::{
    Backup, CreateBackupRequest, Installation, InstallationAccount, ListInstallsResponse, NotFoundErrorResponse,
};
use wpengine_api::{Client, RequestOptions, RetryPolicy};

/// The code under test: the names of an account's installs, and a backup of the first.
async fn back_up_first(client: &Client) -> Result<(Vec<String>, Backup), wpengine_api::Error> {
    let page = client.list_installs().limit(10).send().await?;
    let installs = page.results.unwrap_or_default();
    let names = installs.iter().map(|i| i.name.clone()).collect();
    let first = installs.first().map(|i| i.id).unwrap_or_default();
    let backup = client
        .create_backup(
            first,
            CreateBackupRequest::new("before", vec!["ops@example.com".into()]),
        )
        // An idempotency key makes the POST safe to retry after a 503.
        .with_options(RequestOptions::new().generated_idempotency_key())
        .send()
        .await?;
    Ok((names, backup))
}

fn install(id: u128, name: &str) -> Installation {
    Installation::new(uuid::Uuid::from_u128(id), name, InstallationAccount::new(), None)
}

fn client(server: &MockServer) -> Client {
    Client::builder()
        .base_url(server.uri())
        .basic_auth("user", "pass")
        .retry(RetryPolicy {
            initial_backoff: std::time::Duration::from_millis(1),
            ..RetryPolicy::default()
        })
        .build()
        .expect("builds")
}

#[tokio::test]
async fn operations_answer_typed_values_once_after_a_503() {
    let server = MockServer::start().await;
    let mut page = ListInstallsResponse::new();
    page.results = Some(vec![install(1, "torquemag"), install(2, "staging")]);
    server
        .expect()
        .list_installs()
        .query("limit", &10)
        .times(1)
        .answers(&page)
        .await;
    let mut backup = Backup::new();
    backup.id = Some("backup-7".to_owned());
    let create = || {
        server
            .expect()
            .create_backup()
            .path_param("install_id", &uuid::Uuid::from_u128(1))
    };
    create().fails_once(503).await;
    create().answers_with_status(202, &backup).await;

    let (names, made) = back_up_first(&client(&server))
        .await
        .expect("the retry gets the backup");
    assert_eq!(names, ["torquemag", "staging"]);
    assert_eq!(made.id.as_deref(), Some("backup-7"));
    assert_eq!(server.received().await, 3, "the list, the 503 and the retried backup");
}

#[tokio::test]
async fn a_declared_error_comes_back_typed_and_unmatched_paths_are_not_answered() {
    let server = MockServer::start().await;
    let missing = uuid::Uuid::from_u128(404);
    server
        .expect()
        .get_install()
        .path_param("install_id", &missing)
        .fails(404, &NotFoundErrorResponse::new("Not Found"))
        .await;
    let client = client(&server);
    match client.get_install(missing).send().await {
        Err(wpengine_api::runtime::Error::Api(e)) => {
            assert_eq!(e.status(), 404);
            assert!(
                matches!(e.body(), Some(wpengine_api::types::ErrorBody::NotFoundErrorResponse(b)) if b.message == "Not Found"),
                "{:?}",
                e.body()
            );
        }
        other => panic!("expected the typed 404, got {other:?}"),
    }
    // Another install id matches no expectation: wiremock answers 404 without a body.
    match client.get_install(uuid::Uuid::from_u128(1)).send().await {
        Err(e) => assert_eq!(e.status(), Some(404)),
        Ok(found) => panic!("nothing was expected for this install, got {found:?}"),
    }
}
