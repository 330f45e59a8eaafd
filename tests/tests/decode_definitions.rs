//! Every definition of the WP Engine document decodes realistic JSON: nulls where nullable,
//! optional fields missing, enum values the document does not list; and re-encodes to JSON that
//! decodes to the same value.

use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{json, Value};
use wpengine_api::types::*;

fn decode<T: DeserializeOwned + Serialize + PartialEq + std::fmt::Debug>(name: &str, v: Value) -> T {
    let t: T = serde_json::from_value(v.clone()).unwrap_or_else(|e| panic!("{name} does not decode: {e}\n{v}"));
    let again: T = serde_json::from_value(serde_json::to_value(&t).expect("encodes")).expect("re-decodes");
    assert_eq!(t, again, "{name} round-trips");
    t
}

const ID: &str = "294deacc-d8b8-4005-82c4-0727ba8ddde0";

#[test]
fn usage_definitions() {
    let b: UsageMetricBreakdown = decode(
        "UsageMetricBreakdown",
        json!({ "total": null, "environment_types": { "production": "1", "staging": null }, "site_types": {} }),
    );
    assert_eq!(b.total, None);
    decode::<EnvironmentTypeBreakdown>(
        "EnvironmentTypeBreakdown",
        json!({ "production": "1354", "development": null }),
    );
    decode::<SiteTypeBreakdown>(
        "SiteTypeBreakdown",
        json!({ "standard": "1683", "transferable": "7", "sandbox": null }),
    );
    decode::<AccountUsageInsights>("AccountUsageInsights", json!({ "billable_visits": { "total": "5" } }));
    decode::<AccountLimits>("AccountLimits", json!({}));
    decode::<AccountUsageMetricsResponse>(
        "AccountUsageMetricsResponse",
        json!({ "environment_metrics": [], "total_size": 0, "next_page_token": "abc" }),
    );
    decode::<EnvironmentMetrics>(
        "EnvironmentMetrics",
        json!({ "environment_name": "prod", "storage_refresh_expected_time": "2026-11-22T10:00:00Z" }),
    );
    decode::<InstallDailyUsageMetricsSeries>(
        "InstallDailyUsageMetricsSeries",
        json!({ "install_name": "x", "metrics": [{ "date": "2026-11-01" }] }),
    );
    // int64 as a string, as the proto3 JSON mapping sends it; a plain number is accepted too.
    let d: DailyUsageMetrics = decode(
        "DailyUsageMetrics",
        json!({ "visit_count": "9007199254740993", "billable_visits": 12, "traffic_metrics_source": "SOMETHING_NEW" }),
    );
    assert_eq!(d.visit_count, Some(9_007_199_254_740_993));
    assert_eq!(d.billable_visits, Some(12));
    assert_eq!(
        d.traffic_metrics_source,
        Some(DailyUsageMetricsTrafficMetricsSource::Unknown("SOMETHING_NEW".into()))
    );
    assert_eq!(
        serde_json::to_value(&d).expect("encodes")["visit_count"],
        json!("9007199254740993")
    );
    let bad = serde_json::from_value::<DailyUsageMetrics>(json!({ "visit_count": "many" }));
    assert!(bad.is_err(), "a non-numeric int64 string is rejected");
    let src: DailyUsageMetricsTrafficMetricsSource = decode("DailyUsageMetricsTrafficMetricsSource", json!("ONHOST"));
    assert_eq!(src, DailyUsageMetricsTrafficMetricsSource::Onhost);
    decode::<UsageMetricsRollup>(
        "UsageMetricsRollup",
        json!({ "visit_count": { "average": "3", "sum": "90", "latest": null } }),
    );
    decode::<UsageRollup>(
        "UsageRollup",
        json!({ "latest": { "date": "2026-11-01", "value": "7" } }),
    );
    let l: LatestMetricValue = decode("LatestMetricValue", json!({ "date": "2026-11-01", "value": "123" }));
    assert_eq!(l.value, Some(123));
}

#[test]
fn account_and_user_definitions() {
    decode::<Status>(
        "Status",
        json!({ "success": true, "created_on": "2018-05-17T16:20:40+00:00" }),
    );
    decode::<Account>("Account", json!({ "id": ID, "name": "a", "nickname": "b" }));
    assert!(
        serde_json::from_value::<Account>(json!({ "id": ID, "name": "a" })).is_err(),
        "required nickname"
    );
    let u: AccountUser = decode(
        "AccountUser",
        json!({
            "user_id": ID, "account_id": ID, "first_name": "A", "last_name": "B", "email": "a@b.c", "phone": null,
            "invite_accepted": false, "mfa_enabled": false, "roles": "owner"
        }),
    );
    assert_eq!((u.installs, u.last_owner), (None, None));
    decode::<User>("User", json!({ "id": ID, "email": "a@b.c", "phone_number": null }));
    decode::<SshKey>("SshKey", json!({ "fingerprint": "aa:bb" }));
}

#[test]
fn error_definitions() {
    decode::<AuthenticationErrorResponse>("AuthenticationErrorResponse", json!({ "message": "Bad Credentials" }));
    decode::<NotFoundErrorResponse>(
        "NotFoundErrorResponse",
        json!({ "message": "Not Found", "documentation_url": "https://example.com" }),
    );
    decode::<InternalServerErrorResponse>("InternalServerErrorResponse", json!({ "message": "oops" }));
    decode::<ForbiddenErrorResponse>("ForbiddenErrorResponse", json!({ "message": "no" }));
    decode::<BadRequestErrorResponse>("BadRequestErrorResponse", json!({ "message": "bad", "errors": [] }));
    decode::<ResourceError>(
        "ResourceError",
        json!({ "resource": "Site", "field": "name", "type": "invalid_value", "code": "blank", "message": "x" }),
    );
    decode::<UsageErrorResponse>(
        "UsageErrorResponse",
        json!({ "message": "Must provide or omit both first_date and last_date." }),
    );
    // Description-only definitions carry no schema: anything decodes.
    decode::<BadGatewayOperation>("BadGatewayOperation", json!("upstream failed"));
    decode::<TooManyRequestsOperation>("TooManyRequestsOperation", json!({ "message": "slow down" }));
    decode::<ServiceUnavailableOperation>("ServiceUnavailableOperation", Value::Null);
}

#[test]
fn install_site_and_backup_definitions() {
    let i: Installation = decode(
        "Installation",
        json!({
            "id": ID, "name": "torquemag", "account": { "id": ID }, "php_version": null, "status": "migrating",
            "site": null, "environment": null, "stable_ips": ["1.2.3.4"]
        }),
    );
    assert_eq!(i.status, Some(InstallationStatus::Unknown("migrating".into())));
    assert_eq!((i.php_version, i.site, i.environment), (None, None, None));
    decode::<Backup>("Backup", json!({ "id": ID, "status": "aborted" }));
    decode::<Site>(
        "Site",
        json!({ "id": ID, "name": "s", "account": {}, "installs": [{ "environment": null }] }),
    );
}

#[test]
fn domain_and_certificate_definitions() {
    decode::<Domain>(
        "Domain",
        json!({ "name": "a.io", "duplicate": false, "primary": true, "id": "x", "secure_all_urls": false }),
    );
    decode::<InstallSslCertificatesResponse>("InstallSSLCertificatesResponse", json!({ "certificates": [] }));
    let c: Certificate = decode(
        "Certificate",
        json!({ "id": 1, "cert_source": "THIRD_PARTY", "status": "REVOKED_SOMEHOW" }),
    );
    assert_eq!(c.cert_source, Some(CertificateCertSource::ThirdParty));
    assert_eq!(
        c.status.as_ref().map(CertificateStatus::as_str),
        Some("REVOKED_SOMEHOW")
    );
    decode::<CertificateOrder>(
        "CertificateOrder",
        json!({ "email_address": "a@b.c", "given_name": "A", "family_name": "B", "region_code": "US" }),
    );
    decode::<DomainCertificate>("DomainCertificate", json!({ "cert_info": { "key": "k", "cert": "c" } }));
    decode::<ThirdPartySuccessfulImportResponse>(
        "ThirdPartySuccessfulImportResponse",
        json!({ "certificate": "Yw==", "private_key": "aw==" }),
    );
    decode::<DomainOrRedirect>(
        "DomainOrRedirect",
        json!({ "id": ID, "name": "a.io", "duplicate": true, "primary": false }),
    );
    decode::<DomainReport>("DomainReport", json!({ "report_id": ID }));
    decode::<DomainStatusReport>("DomainStatusReport", json!({ "complete": false, "domains": [] }));
    decode::<DomainStatus>(
        "DomainStatus",
        json!({ "caa": [{ "flag": 0, "tag": "issue", "value": "letsencrypt.org" }], "aname": [{ "a": "1.2.3.4" }], "ns": [{ "host": "ns1" }] }),
    );
    decode::<LargeFsConfig>(
        "LargeFSConfig",
        json!({ "largefs_settings": { "cloud": "gcs", "path_settings": [{ "redirect_type": "break" }] } }),
    );
    decode::<LargeFsValidationFile>("LargeFSValidationFile", json!({ "name": "f", "content": "c" }));
}

#[test]
fn pagination_definitions() {
    let p: ListInstallsResponse = decode(
        "ListInstallsResponse",
        json!({ "previous": null, "next": null, "count": 0, "results": [] }),
    );
    let (_prev, _next, _count): (Option<PreviousPage>, Option<NextPage>, Option<ResultsCount>) =
        (p.previous, p.next, p.count);
    assert_eq!(p.count, Some(0));
}
