//! Every operation of the WP Engine client, called against a real HTTP server on loopback.
//!
//! Each call asserts the method, the path, the whole query string, the `Authorization` header
//! (exactly one, basic auth, only where the operation needs it) and the JSON body, and decodes a
//! realistic response.

use serde_json::{json, Value};
use std::future::Future;
use uuid::Uuid;
use wiremock::matchers::{body_json, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};
use wpengine_api::types::*;
use wpengine_api::{Client, Error};

const BASIC: &str = "Basic YXBpLXVzZXI6czNjcmV0LXBhc3M=";
const ACCOUNT: &str = "eeda3227-9a39-46ae-9e14-20958bb4e6c9";
const INSTALL: &str = "294deacc-d8b8-4005-82c4-0727ba8ddde0";
const SITE: &str = "28c78b6d-c2da-4f09-85f5-1ad588089b2d";
const USER: &str = "fd8e24a5-1f16-4b80-af5f-d748bcc9e64d";
const DOMAIN: &str = "e41fa98f-ea80-4654-b229-a9b765d0863a";
const BACKUP: &str = "a4b5c6d7-1111-4222-8333-944455556666";
const SSH_KEY: &str = "0bb1c2d3-4e5f-4a6b-8c7d-8e9fa0b1c2d3";

fn id(s: &str) -> Uuid {
    s.parse().expect("test uuid")
}

/// What one call must send and what the server answers.
struct Case {
    method: &'static str,
    path: String,
    query: &'static [(&'static str, &'static str)],
    body: Option<Value>,
    auth: bool,
    status: u16,
    response: Option<Value>,
}

impl Case {
    fn new(method: &'static str, path: impl Into<String>) -> Self {
        Case {
            method,
            path: path.into(),
            query: &[],
            body: None,
            auth: true,
            status: 200,
            response: None,
        }
    }
    fn query(mut self, q: &'static [(&'static str, &'static str)]) -> Self {
        self.query = q;
        self
    }
    fn body(mut self, b: Value) -> Self {
        self.body = Some(b);
        self
    }
    fn no_auth(mut self) -> Self {
        self.auth = false;
        self
    }
    fn respond(mut self, status: u16, body: Value) -> Self {
        self.status = status;
        self.response = Some(body);
        self
    }
    fn empty(mut self, status: u16) -> Self {
        self.status = status;
        self.response = None;
        self
    }
}

struct Harness {
    server: MockServer,
    client: Client,
    calls: usize,
}

impl Harness {
    async fn new() -> Self {
        let server = MockServer::start().await;
        let client = Client::builder()
            .base_url(server.uri())
            .basic_auth("api-user", "s3cret-pass")
            .build()
            .expect("client builds");
        Harness {
            server,
            client,
            calls: 0,
        }
    }

    /// Runs one call against a server that expects exactly `case`, and returns its result.
    async fn run<T, F: Future<Output = Result<T, Error>>>(&mut self, case: Case, call: impl FnOnce(Client) -> F) -> T {
        self.server.reset().await;
        let mut mock = Mock::given(method(case.method)).and(path(case.path.as_str()));
        if let Some(b) = &case.body {
            mock = mock.and(body_json(b));
        }
        let mut template = ResponseTemplate::new(case.status);
        if let Some(r) = &case.response {
            template = template.set_body_json(r);
        }
        mock.respond_with(template).expect(1).mount(&self.server).await;

        let result = call(self.client.clone()).await;
        let requests = self.server.received_requests().await.expect("recording is on");
        assert_eq!(requests.len(), 1, "{} {}: exactly one request", case.method, case.path);
        let request = &requests[0];
        assert_eq!(request.method.as_str(), case.method);
        assert_eq!(request.url.path(), case.path);
        let mut sent: Vec<(String, String)> = request.url.query_pairs().map(|(k, v)| (k.into(), v.into())).collect();
        let mut wanted: Vec<(String, String)> =
            case.query.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        sent.sort();
        wanted.sort();
        assert_eq!(sent, wanted, "{} {}: query string", case.method, case.path);
        let auth: Vec<_> = request.headers.get_all("authorization").iter().collect();
        if case.auth {
            assert_eq!(
                auth.len(),
                1,
                "{} {}: exactly one Authorization header",
                case.method,
                case.path
            );
            assert_eq!(auth[0], BASIC);
        } else {
            assert!(
                auth.is_empty(),
                "{} {}: no credentials where none are needed",
                case.method,
                case.path
            );
        }
        match &case.body {
            Some(b) => {
                assert_eq!(
                    request.headers.get("content-type").map(|v| v.as_bytes()),
                    Some(&b"application/json"[..])
                );
                let sent: Value = serde_json::from_slice(&request.body).expect("body is JSON");
                assert_eq!(&sent, b, "{} {}: body", case.method, case.path);
            }
            None => assert!(request.body.is_empty(), "{} {}: no body", case.method, case.path),
        }
        self.calls += 1;
        match result {
            Ok(v) => v,
            Err(e) => panic!("{} {}: {e}", case.method, case.path),
        }
    }
}

fn page(results: Value) -> Value {
    json!({ "previous": null, "next": "https://api.wpengineapi.com/v1/things?limit=2&offset=2", "count": 3, "results": results })
}

fn account() -> Value {
    json!({ "id": ACCOUNT, "name": "joesaccount", "nickname": "Joe's agency" })
}

fn install() -> Value {
    json!({
        "id": INSTALL, "name": "torquemag", "account": { "id": ACCOUNT }, "php_version": "8.2",
        "status": "active", "site": { "id": SITE }, "cname": "torquemag.wpengine.com",
        "stable_ips": null, "environment": "production", "primary_domain": "torquemag.io",
        "is_multisite": false, "created_at": "2024-03-01T10:00:00Z"
    })
}

fn site() -> Value {
    json!({
        "id": SITE, "name": "Torque Magazine", "account": { "id": ACCOUNT }, "group_name": null,
        "tags": ["news"], "created_at": "2025-07-10T09:59:58.684Z", "sandbox": false, "transferable": false,
        "installs": [{ "id": INSTALL, "name": "torquemag", "environment": "production", "cname": "torquemag.wpengine.com", "php_version": null, "is_multisite": false }]
    })
}

fn domain() -> Value {
    json!({
        "name": "torquemag.io", "duplicate": false, "primary": true, "id": DOMAIN, "network_type": "AN",
        "network_details": { "dns_config_info": { "cname": "wp.wpenginepowered.com", "a_records": ["141.193.213.10"] },
                             "network_info": { "status": "ACTIVE", "ssl": { "status": "active" } } },
        "redirects_to": [], "secure_all_urls": true
    })
}

fn account_user() -> Value {
    json!({
        "user_id": USER, "account_id": ACCOUNT, "first_name": "Joe", "last_name": "Smith", "email": "joe@example.com",
        "phone": null, "invite_accepted": true, "mfa_enabled": true, "roles": "full,billing", "last_owner": null,
        "installs": [{ "id": INSTALL, "name": "torquemag" }]
    })
}

fn metrics_day() -> Value {
    json!({
        "date": "2026-11-01", "visit_count": "1520", "network_origin_bytes": "88123456", "storage_file_bytes": "1073741824",
        "storage_database_bytes": "52428800", "billable_visits": "1400", "request_origin_count": "20000",
        "network_cdn_bytes": null, "storage_update_time": "2026-11-01T23:00:00Z", "network_total_bytes": "98123456",
        "traffic_metrics_source": "BIGQUERY", "database_tables_count": "42", "database_sql_bytes": "50000000",
        "autoloaded_bytes": "900000"
    })
}

fn rollup() -> Value {
    json!({
        "visit_count": { "average": "50", "sum": "1520", "latest": null },
        "storage_file_bytes": { "average": null, "sum": null, "latest": { "date": "2026-11-01", "value": "1073741824" } }
    })
}

fn certificate() -> Value {
    json!({
        "id": 7, "account": "joesaccount", "auto_renew": true, "common_name": "torquemag.io", "cert_source": "LETS_ENCRYPT",
        "wildcard": false, "domains": ["torquemag.io", "www.torquemag.io"], "status": "ENABLED",
        "expires_time": "2027-01-01T00:00:00Z", "serial_number": "18F662FB207C19E7841E8F41E6771BEE"
    })
}

fn backup() -> Value {
    json!({ "id": BACKUP, "status": "requested" })
}

#[tokio::test]
async fn every_operation_round_trips() {
    let mut h = Harness::new().await;

    // Status and description.
    let s = h
        .run(
            Case::new("GET", "/status").no_auth().respond(
                200,
                json!({ "success": true, "created_on": "2026-11-22T10:00:00+00:00" }),
            ),
            |c| async move { c.status().send().await },
        )
        .await;
    assert_eq!(s.success, Some(true));
    let doc = h
        .run(
            Case::new("GET", "/swagger")
                .no_auth()
                .respond(200, json!({ "swagger": "2.0" })),
            |c| async move { c.swagger().send().await },
        )
        .await;
    assert_eq!(doc["swagger"], "2.0");

    // Accounts.
    let p = h
        .run(
            Case::new("GET", "/accounts")
                .query(&[("limit", "2"), ("offset", "4")])
                .respond(200, page(json!([account()]))),
            |c| async move { c.list_accounts().limit(2).offset(4).send().await },
        )
        .await;
    assert_eq!(p.count, Some(3));
    assert_eq!(p.previous, None);
    assert_eq!(p.results.as_deref().map(|r| r[0].id), Some(id(ACCOUNT)));
    let a = h
        .run(
            Case::new("GET", format!("/accounts/{ACCOUNT}")).respond(200, account()),
            |c| async move { c.get_account(id(ACCOUNT)).send().await },
        )
        .await;
    assert_eq!(a.nickname, "Joe's agency");
    let l = h
        .run(
            Case::new("GET", format!("/accounts/{ACCOUNT}/limits"))
                .respond(200, json!({ "visitors": 25000, "storage": 150, "bandwidth": null })),
            |c| async move { c.get_accounts_limits(id(ACCOUNT)).send().await },
        )
        .await;
    assert_eq!((l.visitors, l.bandwidth), (Some(25000), None));
    let m = h
        .run(
            Case::new("GET", format!("/accounts/{ACCOUNT}/usage"))
                .query(&[("first_date", "2026-10-01"), ("last_date", "2026-10-31"), ("limit", "10"), ("offset", "20")])
                .respond(200, json!({
                    "environment_metrics": [{ "environment_name": "torquemag", "metrics": [metrics_day()], "metrics_rollup": rollup(), "storage_refresh_expected_time": null }],
                    "total_size": 1, "next_page_token": null, "all_environments_included": true,
                    "last_account_storage_refresh_time": "2026-11-01T00:00:00Z", "account_storage_refresh_expected_time": null
                })),
            |c| async move {
                c.get_account_usage_metrics(id(ACCOUNT))
                    .first_date(chrono::NaiveDate::from_ymd_opt(2026, 10, 1).expect("date"))
                    .last_date(chrono::NaiveDate::from_ymd_opt(2026, 10, 31).expect("date"))
                    .limit(10)
                    .offset("20")
                    .send()
                    .await
            },
        )
        .await;
    let day = &m.environment_metrics.as_ref().expect("metrics")[0]
        .metrics
        .as_ref()
        .expect("days")[0];
    assert_eq!(day.visit_count, Some(1520));
    assert_eq!(day.network_cdn_bytes, None);
    assert_eq!(
        day.traffic_metrics_source,
        Some(DailyUsageMetricsTrafficMetricsSource::Bigquery)
    );
    let r = h
        .run(
            Case::new("POST", format!("/accounts/{ACCOUNT}/usage/refresh_disk_usage")).respond(200, Value::Null),
            |c| async move { c.post_accounts_usage_refresh_disk_usage(id(ACCOUNT)).send().await },
        )
        .await;
    assert_eq!(r, Value::Null);
    let users = h
        .run(
            Case::new("GET", format!("/accounts/{ACCOUNT}/account_users"))
                .respond(200, json!({ "results": [account_user()] })),
            |c| async move { c.list_account_users(id(ACCOUNT)).send().await },
        )
        .await;
    assert_eq!(users.results.expect("results")[0].roles, "full,billing");
    let body = CreateAccountUserRequest::new(
        CreateAccountUserRequestUser::new(id(ACCOUNT), "Ann", "Lee", "ann@example.com", "partial")
            .with_install_ids(vec![INSTALL.into()]),
    );
    let created = h
        .run(
            Case::new("POST", format!("/accounts/{ACCOUNT}/account_users"))
                .body(json!({ "user": { "account_id": ACCOUNT, "first_name": "Ann", "last_name": "Lee", "email": "ann@example.com", "roles": "partial", "install_ids": [INSTALL] } }))
                .respond(201, json!({ "message": "Created", "account_user": account_user() })),
            |c| async move { c.create_account_user(id(ACCOUNT), body).send().await },
        )
        .await;
    assert_eq!(created.message.as_deref(), Some("Created"));
    let u = h
        .run(
            Case::new("GET", format!("/accounts/{ACCOUNT}/account_users/{USER}")).respond(200, account_user()),
            |c| async move { c.get_account_user(id(ACCOUNT), id(USER)).send().await },
        )
        .await;
    assert_eq!((u.phone, u.mfa_enabled), (None, true));
    h.run(
        Case::new("PATCH", format!("/accounts/{ACCOUNT}/account_users/{USER}"))
            .body(json!({ "roles": "full" }))
            .respond(200, json!({ "message": "Updated", "account_user": account_user() })),
        |c| async move {
            c.update_account_user(id(ACCOUNT), id(USER), UpdateAccountUserRequest::new("full"))
                .send()
                .await
        },
    )
    .await;
    h.run(
        Case::new("DELETE", format!("/accounts/{ACCOUNT}/account_users/{USER}")).empty(204),
        |c| async move { c.delete_account_user(id(ACCOUNT), id(USER)).send().await },
    )
    .await;
    let summary = h
        .run(
            Case::new("GET", format!("/accounts/{ACCOUNT}/usage/summary"))
                .query(&[("first_date", "2026-10-01")])
                .respond(200, rollup()),
            |c| async move {
                c.get_account_usage_summary(id(ACCOUNT))
                    .first_date(chrono::NaiveDate::from_ymd_opt(2026, 10, 1).expect("date"))
                    .send()
                    .await
            },
        )
        .await;
    let storage = summary.storage_file_bytes.expect("storage rollup");
    assert_eq!(storage.latest.map(|l| l.value), Some(Some(1073741824)));
    let insights = h
        .run(
            Case::new("GET", format!("/accounts/{ACCOUNT}/usage/insights")).respond(200, json!({
                "visit_count": { "total": "1695", "environment_types": { "production": "1354", "staging": "177", "development": null },
                                 "site_types": { "standard": "1683", "transferable": "7", "sandbox": "5" } }
            })),
            |c| async move { c.get_account_usage_insights(id(ACCOUNT)).send().await },
        )
        .await;
    assert_eq!(insights.visit_count.and_then(|v| v.total).as_deref(), Some("1695"));

    // Sites.
    let sites = h
        .run(
            Case::new("GET", "/sites")
                .query(&[("account_id", ACCOUNT)])
                .respond(200, page(json!([site()]))),
            |c| async move { c.list_sites().account_id(id(ACCOUNT)).send().await },
        )
        .await;
    let first = &sites.results.expect("results")[0];
    assert_eq!(
        first.installs.as_ref().expect("installs")[0].environment,
        Some(SiteInstallsItemEnvironment::Production)
    );
    h.run(
        Case::new("POST", "/sites")
            .body(json!({ "name": "Torque Magazine", "account_id": ACCOUNT }))
            .respond(201, site()),
        |c| async move {
            c.create_site(CreateSiteRequest::new("Torque Magazine", id(ACCOUNT)))
                .send()
                .await
        },
    )
    .await;
    h.run(
        Case::new("GET", format!("/sites/{SITE}")).respond(200, site()),
        |c| async move { c.get_site(id(SITE)).send().await },
    )
    .await;
    h.run(
        Case::new("PATCH", format!("/sites/{SITE}"))
            .body(json!({ "name": "Torque" }))
            .respond(200, site()),
        |c| async move {
            c.update_site(id(SITE), UpdateSiteRequest::new().with_name("Torque"))
                .send()
                .await
        },
    )
    .await;
    h.run(
        Case::new("DELETE", format!("/sites/{SITE}")).empty(204),
        |c| async move { c.delete_site(id(SITE)).send().await },
    )
    .await;

    // Installs.
    let installs = h
        .run(
            Case::new("GET", "/installs")
                .query(&[("limit", "100")])
                .respond(200, page(json!([install()]))),
            |c| async move { c.list_installs().limit(100).send().await },
        )
        .await;
    let i = &installs.results.expect("results")[0];
    assert_eq!(
        (i.status.clone(), i.environment.clone()),
        (
            Some(InstallationStatus::Active),
            Some(InstallationEnvironment::Production)
        )
    );
    assert_eq!(i.account.id, Some(id(ACCOUNT)));
    h.run(
        Case::new("POST", "/installs")
            .body(json!({ "name": "torquemag", "account_id": ACCOUNT, "site_id": SITE, "environment": "staging" }))
            .respond(201, install()),
        |c| async move {
            c.create_install(
                CreateInstallRequest::new("torquemag", id(ACCOUNT))
                    .with_site_id(id(SITE))
                    .with_environment(CreateInstallRequestEnvironment::Staging),
            )
            .send()
            .await
        },
    )
    .await;
    h.run(
        Case::new("GET", format!("/installs/{INSTALL}")).respond(200, install()),
        |c| async move { c.get_install(id(INSTALL)).send().await },
    )
    .await;
    h.run(
        Case::new("DELETE", format!("/installs/{INSTALL}")).empty(204),
        |c| async move { c.delete_install(id(INSTALL)).send().await },
    )
    .await;
    h.run(
        Case::new("PATCH", format!("/installs/{INSTALL}"))
            .body(json!({ "environment": "development" }))
            .respond(200, install()),
        |c| async move {
            c.update_install(
                id(INSTALL),
                UpdateInstallRequest::new().with_environment(UpdateInstallRequestEnvironment::Development),
            )
            .send()
            .await
        },
    )
    .await;
    let copy = h
        .run(
            Case::new("POST", "/install_copy")
                .body(json!({ "source_environment_id": INSTALL, "destination_environment_id": SITE, "notification_emails": ["ops@example.com"], "custom_options": { "include_db": false } }))
                .respond(202, json!({ "status": "queued" })),
            |c| async move {
                c.copy_install(
                    CopyInstallRequest::new(id(INSTALL), id(SITE))
                        .with_notification_emails(vec!["ops@example.com".into()])
                        .with_custom_options(CopyInstallRequestCustomOptions::new().with_include_db(false)),
                )
                .send()
                .await
            },
        )
        .await;
    assert_eq!(copy["status"], "queued");
    let vf = h
        .run(
            Case::new(
                "GET",
                format!("/installs/{INSTALL}/offload_settings/largefs_validation_file"),
            )
            .respond(
                200,
                json!({ "name": "64f1250c.largefs", "content": "e4ccd0696cff6f94" }),
            ),
            |c| async move { c.get_large_fs_validation_file(id(INSTALL)).send().await },
        )
        .await;
    assert_eq!(vf.name.as_deref(), Some("64f1250c.largefs"));
    let largefs = json!({ "largefs_settings": { "cloud": "s3", "bucket": "media", "bucket_region": "us-east-1",
        "path_settings": [{ "path": "wp-content/uploads", "excluded_paths": ["wp-content/uploads/private"], "redirect_type": "permanent" }] } });
    let cfg = h
        .run(
            Case::new("GET", format!("/installs/{INSTALL}/offload_settings/files")).respond(200, largefs.clone()),
            |c| async move { c.get_offload_settings(id(INSTALL)).send().await },
        )
        .await;
    let settings = cfg.largefs_settings.clone().expect("settings");
    assert_eq!(settings.cloud, Some(LargeFsConfigLargefsSettingsCloud::S3));
    let cfg2 = cfg.clone();
    h.run(
        Case::new("POST", format!("/installs/{INSTALL}/offload_settings/files"))
            .body(largefs.clone())
            .empty(202),
        |c| async move { c.update_offload_settings(id(INSTALL), cfg).send().await },
    )
    .await;
    h.run(
        Case::new("PATCH", format!("/installs/{INSTALL}/offload_settings/files"))
            .body(largefs)
            .empty(202),
        |c| async move { c.patch_offload_settings(id(INSTALL), cfg2).send().await },
    )
    .await;
    let series = h
        .run(
            Case::new("GET", format!("/installs/{INSTALL}/usage")).query(&[("last_date", "2026-10-31")]).respond(200, json!({
                "install_name": "torquemag", "metrics": [metrics_day()], "metrics_rollup": rollup(), "storage_refresh_expected_time": null
            })),
            |c| async move { c.get_install_usage_metrics(id(INSTALL)).last_date(chrono::NaiveDate::from_ymd_opt(2026, 10, 31).expect("date")).send().await },
        )
        .await;
    assert_eq!(series.install_name.as_deref(), Some("torquemag"));
    h.run(
        Case::new("POST", format!("/installs/{INSTALL}/usage/refresh_disk_usage")).respond(200, Value::Null),
        |c| async move { c.refresh_environment_disk_usage(id(INSTALL)).send().await },
    )
    .await;

    // Domains.
    let domains = h
        .run(
            Case::new("GET", format!("/installs/{INSTALL}/domains"))
                .query(&[("offset", "0")])
                .respond(200, page(json!([domain()]))),
            |c| async move { c.list_domains(id(INSTALL)).offset(0).send().await },
        )
        .await;
    assert_eq!(domains.results.expect("results")[0].network_type.as_deref(), Some("AN"));
    h.run(
        Case::new("POST", format!("/installs/{INSTALL}/domains"))
            .body(json!({ "name": "torquemag.io", "primary": true }))
            .respond(201, domain()),
        |c| async move {
            c.create_domain(id(INSTALL), CreateDomainRequest::new("torquemag.io").with_primary(true))
                .send()
                .await
        },
    )
    .await;
    let bulk = h
        .run(
            Case::new("POST", format!("/installs/{INSTALL}/domains/bulk"))
                .body(json!({ "domains": [{ "name": "a.example.com" }, { "name": "b.example.com", "redirect_to": DOMAIN }] }))
                .respond(201, json!({ "id": DOMAIN, "name": "a.example.com", "duplicate": false, "primary": false, "redirects_to": { "id": DOMAIN, "name": "torquemag.io" } })),
            |c| async move {
                c.create_bulk_domains(
                    id(INSTALL),
                    CreateBulkDomainsRequest::new(vec![
                            CreateBulkDomainsRequestDomainsItem::new("a.example.com"),
                            CreateBulkDomainsRequestDomainsItem::new("b.example.com").with_redirect_to(DOMAIN),
                        ]),
                )
                .send()
                .await
            },
        )
        .await;
    assert_eq!(bulk.redirects_to.and_then(|r| r.name).as_deref(), Some("torquemag.io"));
    h.run(
        Case::new("GET", format!("/installs/{INSTALL}/domains/{DOMAIN}")).respond(200, domain()),
        |c| async move { c.get_domain(id(INSTALL), id(DOMAIN)).send().await },
    )
    .await;
    h.run(
        Case::new("PATCH", format!("/installs/{INSTALL}/domains/{DOMAIN}"))
            .body(json!({ "secure_all_urls": true }))
            .respond(200, domain()),
        |c| async move {
            c.update_domain(
                id(INSTALL),
                id(DOMAIN),
                UpdateDomainRequest::new().with_secure_all_urls(true),
            )
            .send()
            .await
        },
    )
    .await;
    h.run(
        Case::new("DELETE", format!("/installs/{INSTALL}/domains/{DOMAIN}")).empty(204),
        |c| async move { c.delete_domain(id(INSTALL), id(DOMAIN)).send().await },
    )
    .await;
    let report = h
        .run(
            Case::new("POST", format!("/installs/{INSTALL}/domains/{DOMAIN}/check_status"))
                .respond(202, json!({ "report_id": "6a6d5dbd-5cac-41d5-8f3f-14a3e8ae6f76" })),
            |c| async move { c.check_status(id(INSTALL), id(DOMAIN)).send().await },
        )
        .await;
    assert_eq!(report.report_id, id("6a6d5dbd-5cac-41d5-8f3f-14a3e8ae6f76"));
    let status = h
        .run(
            Case::new("GET", format!("/installs/{INSTALL}/domains/check_status/6a6d5dbd-5cac-41d5-8f3f-14a3e8ae6f76")).respond(200, json!({
                "report": { "complete": true, "id": "6a6d5dbd-5cac-41d5-8f3f-14a3e8ae6f76", "install_name": "torquemag", "admin": false,
                    "domains": [{ "name": "torquemag.io", "complete": true, "dns_error": false, "mx": [{ "Host": "mx.example.com", "Pref": 10 }],
                                  "soa": [{ "hdr": { "Name": "torquemag.io." }, "ns": "ns1.example.com", "serial": 2026112201 }],
                                  "ssl": { "status": "verified", "sans": ["torquemag.io"], "signature_algorithm": 4 } }] }
            })),
            |c| async move { c.get_domain_report_status(INSTALL, "6a6d5dbd-5cac-41d5-8f3f-14a3e8ae6f76").send().await },
        )
        .await;
    let d = &status.report.expect("report").domains.expect("domains")[0];
    assert_eq!(d.mx.as_ref().expect("mx")[0].pref, Some(10));
    assert_eq!(d.mx.as_ref().expect("mx")[0].host.as_deref(), Some("mx.example.com"));

    // SSL certificates.
    let certs = h
        .run(
            Case::new("GET", format!("/installs/{INSTALL}/ssl_certificates"))
                .query(&[("limit", "5")])
                .respond(200, json!({ "certificates": [certificate()], "next_page_token": "1" })),
            |c| async move { c.get_install_certificates(id(INSTALL)).limit(5).send().await },
        )
        .await;
    assert_eq!(certs.certificates[0].status, Some(CertificateStatus::Enabled));
    let dc = h
        .run(
            Case::new("GET", format!("/installs/{INSTALL}/domains/{DOMAIN}/ssl_certificate")).respond(
                200,
                json!({ "cert_name": "torquemag.io", "certificate": certificate(), "criteria": "domain" }),
            ),
            |c| async move { c.get_domain_certificate(id(INSTALL), id(DOMAIN)).send().await },
        )
        .await;
    assert_eq!(
        dc.certificate.and_then(|c| c.cert_source),
        Some(CertificateCertSource::LetsEncrypt)
    );
    h.run(
        Case::new("POST", format!("/installs/{INSTALL}/domains/{DOMAIN}/ssl_certificate"))
            .body(json!({ "email_address": "jane@example.com", "given_name": "Jane", "family_name": "Doe", "region_code": "US", "city": "Austin" }))
            .empty(202),
        |c| async move {
            c.create_domain_certificate_order(
                id(INSTALL),
                id(DOMAIN),
                CertificateOrder::new("jane@example.com", "Jane", "Doe", "US").with_city("Austin"),
            )
            .send()
            .await
        },
    )
    .await;
    let imported = h
        .run(
            Case::new("POST", format!("/installs/{INSTALL}/ssl_certificates/third_party"))
                .body(json!({ "certificate": "Q0VSVA==", "private_key": "S0VZ" }))
                .respond(200, json!({ "certificate": "Q0VSVA==", "private_key": "S0VZ" })),
            |c| async move {
                c.import_third_party_ssl_certificate(
                    id(INSTALL),
                    ImportThirdPartySslCertificateRequest::new("Q0VSVA==", "S0VZ"),
                )
                .send()
                .await
            },
        )
        .await;
    assert_eq!(imported.certificate, "Q0VSVA==");

    // Backups and cache.
    let b = h
        .run(
            Case::new("POST", format!("/installs/{INSTALL}/backups"))
                .body(json!({ "description": "pre-deploy", "notification_emails": ["me@example.com"] }))
                .respond(202, backup()),
            |c| async move {
                c.create_backup(
                    id(INSTALL),
                    CreateBackupRequest::new("pre-deploy", vec!["me@example.com".into()]),
                )
                .send()
                .await
            },
        )
        .await;
    assert_eq!(b.status, Some(BackupStatus::Requested));
    let b = h
        .run(
            Case::new("GET", format!("/installs/{INSTALL}/backups/{BACKUP}"))
                .respond(200, json!({ "id": BACKUP, "status": "completed" })),
            |c| async move { c.show_backup(id(INSTALL), id(BACKUP)).send().await },
        )
        .await;
    assert_eq!(b.status, Some(BackupStatus::Completed));
    h.run(
        Case::new("POST", format!("/installs/{INSTALL}/purge_cache"))
            .body(json!({ "type": "cdn" }))
            .empty(202),
        |c| async move {
            c.purge_cache(id(INSTALL), PurgeCacheRequest::new(PurgeCacheRequestType::Cdn))
                .send()
                .await
        },
    )
    .await;

    // User and SSH keys.
    let me = h
        .run(Case::new("GET", "/user").respond(200, json!({ "id": USER, "first_name": "Joe", "last_name": "Smith", "email": "joe@example.com", "phone_number": null })), |c| async move {
            c.get_current_user().send().await
        })
        .await;
    assert_eq!(me.email, "joe@example.com");
    let key = json!({ "comment": "joe@example.com", "created_at": "2019-09-01T15:59:24.277Z", "fingerprint": "a1:b2", "uuid": SSH_KEY });
    let keys = h
        .run(
            Case::new("GET", "/ssh_keys").respond(200, page(json!([key.clone()]))),
            |c| async move { c.list_ssh_keys().send().await },
        )
        .await;
    assert_eq!(keys.results.expect("results")[0].uuid, Some(id(SSH_KEY)));
    h.run(
        Case::new("POST", "/ssh_keys")
            .body(json!({ "public_key": "ssh-ed25519 AAAA joe@example.com" }))
            .respond(201, key),
        |c| async move {
            c.create_ssh_key(CreateSshKeyRequest::new("ssh-ed25519 AAAA joe@example.com"))
                .send()
                .await
        },
    )
    .await;
    h.run(
        Case::new("DELETE", format!("/ssh_keys/{SSH_KEY}")).empty(204),
        |c| async move { c.delete_ssh_key(id(SSH_KEY)).send().await },
    )
    .await;

    assert_eq!(h.calls, 50, "every operation is exercised");
}

/// A request builder holds its own handle to the client, so its future (or its stream of
/// items) borrows nothing: it can be spawned onto another task without cloning the client
/// first, and still runs after the client it came from is dropped.
#[tokio::test]
async fn builders_own_their_client_handle_so_their_futures_can_be_spawned() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/installs"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({ "results": [] })))
        .expect(2)
        .mount(&server)
        .await;
    let client = Client::builder()
        .base_url(server.uri())
        .basic_auth("api-user", "s3cret-pass")
        .build()
        .expect("a client");
    let page = tokio::spawn(client.list_installs().send());
    let items = client.list_installs().limit(10).items();
    drop(client);
    let page = page.await.expect("the task runs").expect("the page");
    assert_eq!(page.results, Some(Vec::new()));
    let items = tokio::spawn(futures::TryStreamExt::try_collect::<Vec<_>>(items))
        .await
        .expect("the task runs")
        .expect("the items");
    assert!(items.is_empty());
}
