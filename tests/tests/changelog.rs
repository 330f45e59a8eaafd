//! The changelog of the generated Rust API between two documents: the two published WP Engine
//! documents against the changes worked out by hand from them, each kind of breaking change on
//! small documents, and documents that do not load.

use openapi_crate_gen_core::changelog::{Area, Bump, ChangeKind, Changelog};
use openapi_crate_gen_core::model::Api;

fn published(name: &str) -> Api {
    let path = format!("{}/../../shared/wpengine/{name}", env!("CARGO_MANIFEST_DIR"));
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    openapi_crate_gen_core::build_model(name, &bytes).unwrap_or_else(|e| panic!("{e}"))
}

fn model(doc: &str) -> Api {
    openapi_crate_gen_core::build_model("doc.yaml", doc.as_bytes()).unwrap_or_else(|e| panic!("{e}"))
}

/// What v1.6.15 to v1.10.0 changes, read from the two documents by hand (paths, parameters,
/// responses and definitions compared one by one): eleven operations and nineteen definitions
/// are new and none went; of the shared operations, no parameter, response or security
/// requirement changed; `Account` requires a new `nickname`, `Installation` and `Site` have
/// three new optional fields each; `Backup.status` became an enum; `DomainCertificate.
/// certificate`, an inline object before, is the new `Certificate` definition.
#[test]
fn the_published_wp_engine_documents_change_as_worked_out_by_hand() {
    let log = Changelog::between(&published("swagger-v1.6.15.yaml"), &published("swagger-v1.10.0.json"));
    assert_eq!(
        (log.old_version.as_str(), log.new_version.as_str()),
        ("1.6.15", "1.10.0")
    );
    assert_eq!(log.bump, Bump::Major);
    let breaking: Vec<(&str, &str)> = log
        .changes
        .iter()
        .filter(|c| c.breaking)
        .map(|c| (c.item.as_str(), c.detail.as_str()))
        .collect();
    assert_eq!(
        breaking,
        [
            // A string became an enum: reading it as a `String` no longer compiles.
            ("types::Backup::status", "`Option<BackupStatus>` (was `Option<String>`)"),
            // The inline object (and its two enums) gave way to the shared definition.
            (
                "types::DomainCertificate::certificate",
                "`Option<Certificate>` (was `Option<DomainCertificateCertificate>`)"
            ),
            ("types::DomainCertificateCertificate", "removed (a struct)"),
            (
                "types::DomainCertificateCertificateCertSource",
                "removed (a string enum)"
            ),
            ("types::DomainCertificateCertificateStatus", "removed (a string enum)"),
        ]
    );
    let added = |area: Area| -> Vec<&str> {
        log.changes
            .iter()
            .filter(|c| c.area == area && c.kind == ChangeKind::Added)
            .map(|c| c.item.as_str())
            .collect()
    };
    assert_eq!(
        added(Area::Operation),
        [
            "Client::copy_install",
            "Client::create_domain_certificate_order",
            "Client::get_account_usage_insights",
            "Client::get_account_usage_metrics",
            "Client::get_account_usage_summary",
            "Client::get_accounts_limits",
            "Client::get_install_certificates",
            "Client::get_install_usage_metrics",
            "Client::import_third_party_ssl_certificate",
            // The one operation without an `operationId`: named from its method and path.
            "Client::post_accounts_usage_refresh_disk_usage",
            "Client::refresh_environment_disk_usage",
        ]
    );
    // Answers' types are `#[non_exhaustive]`: new fields break no caller, required or not.
    assert_eq!(
        added(Area::Field),
        [
            "types::Account::nickname",
            "types::Installation::created_at",
            "types::Installation::wp_version",
            "types::Installation::defer_wordpress_upgrades_until",
            "types::Site::created_at",
            "types::Site::sandbox",
            "types::Site::transferable",
        ]
    );
    // The nineteen definitions, and the types of the new operations' inline schemas.
    let types = added(Area::Type);
    for definition in [
        "AccountLimits",
        "AccountUsageInsights",
        "AccountUsageMetricsResponse",
        "BadGatewayOperation",
        "Certificate",
        "CertificateOrder",
        "DailyUsageMetrics",
        "DailyUsageMetricsTrafficMetricsSource",
        "EnvironmentMetrics",
        "EnvironmentTypeBreakdown",
        "InstallDailyUsageMetricsSeries",
        "InstallSslCertificatesResponse",
        "LatestMetricValue",
        "SiteTypeBreakdown",
        "ThirdPartySuccessfulImportResponse",
        "UsageErrorResponse",
        "UsageMetricBreakdown",
        "UsageMetricsRollup",
        "UsageRollup",
    ] {
        assert!(
            types.contains(&format!("types::{definition}").as_str()),
            "{definition} is new"
        );
    }
    // Nothing about the operations both versions have.
    let touched: Vec<&str> = log
        .changes
        .iter()
        .filter(|c| {
            matches!(
                c.area,
                Area::Parameter | Area::RequestBody | Area::Response | Area::ErrorStatus | Area::Auth
            )
        })
        .map(|c| c.item.as_str())
        .collect();
    assert!(touched.is_empty(), "{touched:?}");
    let markdown = log.markdown();
    assert!(markdown.starts_with("## Rust API changes: 1.6.15 to 1.10.0\n\nVerdict: **major** (5 breaking"));
    let json: serde_json::Value = serde_json::from_str(&log.json()).expect("JSON");
    assert_eq!(json["bump"], "major");
    assert_eq!(json["changes"].as_array().map(Vec::len), Some(log.changes.len()));
    assert_eq!(json["changes"][0]["area"], "operation");
    assert_eq!(json["changes"][0]["kind"], "added");
    assert_eq!(json["changes"][0]["breaking"], false);
}

const BASE: &str = r##"
openapi: 3.0.3
info: { title: Shop, version: "1" }
paths:
  /orders:
    get:
      operationId: listOrders
      parameters:
        - { name: status, in: query, schema: { $ref: "#/components/schemas/Status" } }
      responses:
        "200":
          description: The orders.
          content:
            application/json:
              schema: { type: array, items: { $ref: "#/components/schemas/Order" } }
    post:
      operationId: createOrder
      requestBody:
        content:
          application/json:
            schema: { $ref: "#/components/schemas/Order" }
      responses:
        "204": { description: Made. }
components:
  schemas:
    Status: { type: string, enum: [open, closed] }
    Order:
      type: object
      required: [id]
      properties:
        id: { type: string }
        note: { type: string }
"##;

fn edited(edits: &[(&str, &str)]) -> Api {
    let mut doc = BASE.to_owned();
    for (from, to) in edits {
        assert_eq!(doc.matches(from).count(), 1, "{from:?} occurs once");
        doc = doc.replacen(from, to, 1);
    }
    model(&doc)
}

/// The single change between `BASE` and the edited document, as (item, detail, breaking).
fn only_change(edits: &[(&str, &str)]) -> (String, String, bool) {
    let log = Changelog::between(&model(BASE), &edited(edits));
    let [change] = log.changes.as_slice() else {
        panic!("one change expected:\n{}", log.markdown());
    };
    assert_eq!(log.bump == Bump::Major, change.breaking);
    (change.item.clone(), change.detail.clone(), change.breaking)
}

#[test]
fn each_kind_of_breaking_change_is_classified_as_one() {
    // A removed enum value: a match on it no longer compiles.
    assert_eq!(
        only_change(&[("enum: [open, closed]", "enum: [open]")]),
        ("types::Status::Closed".into(), "value `closed` removed".into(), true)
    );
    // A new required parameter: a new argument of the method.
    let (item, detail, breaking) = only_change(&[(
        "      responses:\n        \"200\":",
        "        - { name: shop, in: query, required: true, schema: { type: string } }\n      responses:\n        \"200\":",
    )]);
    assert_eq!((item.as_str(), breaking), ("Client::list_orders", true));
    assert_eq!(detail, "new argument `shop` (query parameter `shop`)");
    // A parameter made required: the setter became an argument.
    let (_, detail, breaking) = only_change(&[(
        "{ name: status, in: query, schema",
        "{ name: status, in: query, required: true, schema",
    )]);
    assert!(breaking);
    assert_eq!(detail, "argument `status` was the setter `ListOrders::status`");
    // A renamed operation: same method and path, another name.
    let (item, detail, breaking) = only_change(&[("operationId: createOrder", "operationId: placeOrder")]);
    assert_eq!((item.as_str(), breaking), ("Client::create_order", true));
    assert_eq!(detail, "renamed to `Client::place_order` (`POST /orders`)");
    // A retyped field.
    let (item, _, breaking) = only_change(&[("note: { type: string }", "note: { type: integer }")]);
    assert_eq!((item.as_str(), breaking), ("types::Order::note", true));
    // A new required field of a type callers build: `new` takes it.
    let (item, detail, breaking) = only_change(&[(
        "required: [id]\n      properties:\n",
        "required: [id, total]\n      properties:\n        total: { type: number }\n",
    )]);
    assert_eq!((item.as_str(), breaking), ("types::Order::total", true));
    assert_eq!(detail, "new required field `f64`: `new` takes it");
    // The response's type.
    let (item, detail, breaking) = only_change(&[(
        "schema: { type: array, items: { $ref: \"#/components/schemas/Order\" } }",
        "schema: { type: array, items: { type: string } }",
    )]);
    assert_eq!((item.as_str(), breaking), ("Client::list_orders", true));
    assert_eq!(detail, "`send` returns `Vec<String>` (was `Vec<Order>`)");
}

#[test]
fn a_document_compared_with_itself_has_no_changes() {
    let log = Changelog::between(&model(BASE), &model(BASE));
    assert!(log.changes.is_empty());
    assert_eq!(log.bump, Bump::Patch);
    assert!(log.markdown().contains("Verdict: **patch** (0 breaking, 0 other)."));
}

#[test]
fn the_feature_fixture_compares_with_itself_grown_by_an_operation() {
    let path = format!("{}/fixtures/features.yaml", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).expect("the fixture");
    let grown = text.replacen(
        "  /health:\n",
        "  /version:\n    get:\n      operationId: getVersion\n      security: []\n      responses:\n        '204': { description: Known. }\n  /health:\n",
        1,
    );
    let old = openapi_crate_gen_core::build_model("features.yaml", text.as_bytes()).expect("models");
    let new = openapi_crate_gen_core::build_model("features.yaml", grown.as_bytes()).expect("models");
    let log = Changelog::between(&old, &new);
    assert_eq!(log.bump, Bump::Minor);
    let items: Vec<&str> = log.changes.iter().map(|c| c.item.as_str()).collect();
    assert_eq!(items, ["Client::get_version"]);
}
