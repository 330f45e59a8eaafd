//! Every lossy or surprising choice the generator makes is reported as a warning with the JSON
//! pointer of the node and what was done, as data (`Model::warnings`) and by the command, which
//! can refuse to write when warnings are denied.

use std::path::PathBuf;

const DOCUMENT: &str = r#"
openapi: 3.0.3
info: {title: Fallbacks, version: "1"}
paths:
  /things/{id}/{part}:
    get:
      operationId: getThing
      parameters:
        - {name: id, in: path, required: true, schema: {type: string, pattern: '^(?!admin).*$'}}
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Thing'}
  /other-things:
    get:
      operationId: getThing
      responses:
        "204": {description: nothing}
    put:
      operationId: putThings
      requestBody:
        content:
          application/yaml:
            schema: {$ref: '#/components/schemas/Thing'}
      responses:
        "204": {description: done}
components:
  schemas:
    Thing:
      type: object
      properties:
        size: {type: strng}
        level: {type: integer, format: int32, enum: [1, 2, 3]}
        code: {type: string, format: sku-code}
        when: {type: string, format: date-time}
        mail: {type: string, format: email}
        link: {type: string, format: uri-template}
        relative: {type: string, format: relative-json-pointer}
        stamp: {type: string, format: google-datetime}
        span: {type: string, format: google-duration}
        token: {type: string, format: base64url}
        count: {type: string, format: int32}
        other: {not: {type: string}}
        year: {type: string, pattern: '^(?P<year>[0-9]{4})$'}
        shape:
          oneOf:
            - {type: object, properties: {kind: {type: string}}}
            - {$ref: '#/components/schemas/Square'}
          discriminator: {propertyName: kind}
    Square:
      type: object
      properties:
        kind: {type: string}
"#;

fn model(text: &str) -> openapi_crate_gen_core::Model {
    openapi_crate_gen_core::Document::read("fallbacks.yaml", text.as_bytes())
        .and_then(openapi_crate_gen_core::Document::model)
        .unwrap_or_else(|e| panic!("{e}"))
}

/// Each warning as (pointer, message).
fn pairs(model: &openapi_crate_gen_core::Model) -> Vec<(&str, &str)> {
    model
        .warnings()
        .iter()
        .map(|w| (w.pointer.as_str(), w.message.as_str()))
        .collect()
}

#[test]
fn each_fallback_is_a_warning_at_its_pointer() {
    let model = model(DOCUMENT);
    let warnings = pairs(&model);
    let expect = |pointer: &str, words: &str| {
        assert!(
            warnings.iter().any(|(p, m)| *p == pointer && m.contains(words)),
            "no warning at {pointer} saying `{words}` among:\n{warnings:#?}"
        );
    };
    let thing = "#/components/schemas/Thing/properties";
    expect(&format!("{thing}/size/type"), "`strng` is not a type OpenAPI knows");
    expect(&format!("{thing}/code/format"), "the string format `sku-code`");
    expect(&format!("{thing}/other/not"), "`not` says what a value is not");
    expect(&format!("{thing}/year/pattern"), "not an ECMA-262 regular expression");
    expect(
        &format!("{thing}/shape/discriminator"),
        "a discriminator needs every member",
    );

    expect("#/paths/~1things~1{id}~1{part}/get", "the path names `{part}`");
    expect("#/paths/~1other-things/get", "the method name `get_thing` is taken");
    expect(
        "#/paths/~1other-things/put/requestBody/content/application~1yaml",
        "which the client does not write: the caller gives its bytes",
    );
    // Formats with a type of their own, or that OpenAPI defines as text, are no surprise; nor is
    // a look-around, which the client checks (ECMA-262, as JSON Schema says).
    for quiet in [
        format!("{thing}/when/format"),
        format!("{thing}/mail/format"),
        format!("{thing}/link/format"),
        format!("{thing}/relative/format"),
        format!("{thing}/stamp/format"),
        format!("{thing}/span/format"),
        format!("{thing}/token/format"),
        format!("{thing}/count/format"),
        "#/paths/~1things~1{id}~1{part}/get/parameters/0/schema/pattern".to_owned(),
    ] {
        assert!(warnings.iter().all(|(p, _)| *p != quiet), "{quiet} warned");
    }
    assert_eq!(warnings.len(), 8, "{warnings:#?}");
    // An integer enum is no loss: an enum of its values that keeps the others.
    use openapi_crate_gen_core::model::{Ty, TypeKind};
    let thing = model
        .api()
        .struct_fields(&Ty::Named("Thing".into()))
        .expect("Thing is a struct");
    let level = thing.iter().find(|f| f.name == "level").expect("level");
    let Ty::Named(level) = &level.ty else {
        panic!("{level:?}")
    };
    let kind = &model.api().type_named(level).expect("the enum").kind;
    let TypeKind::IntEnum(variants) = kind else {
        panic!("{kind:?}")
    };
    let values: Vec<(&str, &str)> = variants.iter().map(|v| (v.name.as_str(), v.wire.as_str())).collect();
    assert_eq!(values, [("N1", "1"), ("N2", "2"), ("N3", "3")]);
    // Formats with a Rust type are typed: a Google timestamp, an int32 carried as text.
    let ty_of = |name: &str| &thing.iter().find(|f| f.name == name).expect(name).ty;
    assert_eq!((ty_of("stamp"), ty_of("count")), (&Ty::DateTime, &Ty::I64String));
    let runtime = |name: &str| Ty::External(format!("super::runtime::{name}"));
    assert_eq!(
        (ty_of("span"), ty_of("token")),
        (&runtime("GoogleDuration"), &runtime("Base64Url"))
    );
}

#[test]
fn the_wp_engine_document_generates_without_a_warning() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../spec/wpengine-v1.10.0.yaml");
    let text = std::fs::read_to_string(path).expect("readable");
    assert_eq!(model(&text).warnings(), &[]);
}

#[test]
fn warnings_in_a_swagger2_document_point_into_it() {
    let text = "swagger: '2.0'\ninfo: {title: t, version: '1'}\npaths: {}\ndefinitions:\n  T:\n    type: object\n    properties:\n      n: {type: string, format: sku-code}\n";
    let model = model(text);
    assert_eq!(model.warnings().len(), 1);
    assert_eq!(model.warnings()[0].pointer, "#/definitions/T/properties/n/format");
}

#[test]
fn denied_warnings_write_nothing() {
    let dir = std::env::temp_dir().join(format!("codegen-warnings-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("creates");
    let spec = dir.join("fallbacks.yaml");
    std::fs::write(&spec, DOCUMENT).expect("writes");
    let job = |deny_warnings: bool| xtask::codegen::SpecJob {
        spec: spec.clone(),
        out: Some(dir.join("client")),
        emit_openapi: None,
        check: false,
        deny_warnings,
        verbose: false,
        force: false,
        program: String::new(),
        package: openapi_crate_gen_core::CrateOptions::default(),
        client: openapi_crate_gen_core::ClientSettings::default(),
        selection: openapi_crate_gen_core::Selection::default(),
    };
    let error = xtask::codegen::spec(&job(true)).expect_err("denied");
    assert!(error.contains("8 warning(s) denied"), "{error}");
    assert!(!dir.join("client").exists(), "nothing written");
    xtask::codegen::spec(&job(false)).expect("warnings alone do not fail");
    assert!(dir.join("client/src/lib.rs").is_file());
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn lossy_choices_of_the_swagger2_upgrade_are_warnings_too() {
    let text = "swagger: '2.0'\ninfo: {title: t, version: '1'}\npaths: {}\ndefinitions:\n  T:\n    type: object\n    properties:\n      either: {type: [string, integer]}\n      pair: {type: array, items: [{type: string}, {type: integer}]}\n      same: {type: array, items: [{type: string}, {type: string}]}\n";
    let model = model(text);
    let warnings = pairs(&model);
    assert_eq!(
        warnings,
        [
            (
                "#/definitions/T/properties/either/type",
                "several types: any JSON value (`serde_json::Value`)"
            ),
            (
                "#/definitions/T/properties/pair/items",
                "a tuple whose positions differ: each item is any JSON value (`serde_json::Value`)"
            ),
        ]
    );
}

#[test]
fn lossy_choices_of_the_3_1_down_conversion_are_warnings_at_the_3_1_nodes() {
    let text = "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      parameters:\n        - {name: q, in: query, schema: {type: [string, integer, 'null']}}\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {type: array, prefixItems: [{type: string}, {type: integer}]}\ncomponents:\n  schemas:\n    T:\n      type: object\n      properties:\n        either: {type: [string, integer]}\n        maybe: {type: [string, 'null']}\n        same: {type: array, prefixItems: [{type: string}, {type: string}]}\n        nested: {type: array, items: {anyOf: [{type: [number, boolean]}]}}\n";
    let model = model(text);
    let warnings = pairs(&model);
    let several = "several types: any JSON value (`serde_json::Value`)";
    let tuple = "a tuple whose positions differ: each item is any JSON value (`serde_json::Value`)";
    assert_eq!(
        warnings,
        [
            ("#/components/schemas/T/properties/either/type", several),
            ("#/components/schemas/T/properties/nested/items/anyOf/0/type", several),
            ("#/paths/~1a/get/parameters/0/schema/type", several),
            (
                "#/paths/~1a/get/responses/200/content/application~1json/schema/prefixItems",
                tuple
            ),
        ]
    );
}

#[test]
fn security_schemes_the_client_cannot_use_are_warnings() {
    let text = "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  securitySchemes:\n    digest: {type: http, scheme: Digest}\n    tls: {type: mutualTLS}\n    basic: {type: http, scheme: basic}\n";
    let model = model(text);
    let warnings = pairs(&model);
    assert_eq!(
        warnings,
        [
            (
                "#/components/securitySchemes/tls",
                "a mutualTLS scheme: left out, as the client presents no certificate; the requirements that name it cannot be met"
            ),
            (
                "#/components/securitySchemes/digest/scheme",
                "the HTTP `digest` scheme is not one the client can use: left out, and the requirements that name it cannot be met"
            ),
        ]
    );
}

#[test]
fn unusable_security_schemes_and_rate_limits_cost_only_themselves() {
    let text = r#"
openapi: 3.0.3
info: {title: t, version: '1'}
x-rate-limits:
  - {requests: 10, seconds: 1}
  - {requests: -1, seconds: 60}
paths:
  /a:
    get:
      security: [{oauth: [read]}, {broken: []}]
      x-rate-limits: 7
      responses: {'204': {description: done}}
components:
  securitySchemes:
    oauth:
      type: oauth2
      flows:
        clientCredentials: {scopes: {read: Read.}}
        authorizationCode: {authorizationUrl: /authorize, tokenUrl: 'not a url', scopes: {}}
        password: {tokenUrl: 'https://auth.example/token', refreshUrl: 'ftp://x', scopes: {}}
    broken: {type: apiKey, name: k}
    browser:
      type: oauth2
      flows:
        implicit: {authorizationUrl: 'https://auth.example/authorize', scopes: {}}
"#;
    let declared = model(text);
    let oauth = "#/components/securitySchemes/oauth/flows";
    assert_eq!(
        pairs(&declared),
        [
            (&*format!("{oauth}/password/refreshUrl"), "`\"ftp://x\"` is not a URL: left out"),
            (
                &*format!("{oauth}/clientCredentials"),
                "the `clientCredentials` flow has no `tokenUrl`: the flow is left out"
            ),
            (
                &*format!("{oauth}/authorizationCode/tokenUrl"),
                "`\"not a url\"` is not a URL: the `authorizationCode` flow is left out"
            ),
            (
                "#/components/securitySchemes/broken",
                "not a security scheme the client can read (missing field `in`): left out, and the requirements that name it cannot be met"
            ),
            (
                "#/components/securitySchemes/browser/flows/implicit",
                "the implicit flow hands its token to a browser, which the client cannot run: give the client the token (`bearer_token`)"
            ),
            (
                "#/x-rate-limits/1",
                "a window needs `requests` (a whole number from 1) and `seconds` (a number above 0): left out"
            ),
            (
                "#/paths/~1a/get/x-rate-limits",
                "expected a list of windows (`requests` and `seconds`): no rate limit kept"
            ),
        ]
    );
    // What is left works: the password flow, the first window, the requirement that can be met.
    let api = declared.api();
    assert_eq!(api.rate_limits.len(), 1);
    let op = &api.operations[0];
    assert_eq!(op.security.len(), 1, "the set naming `broken` cannot be met");
    assert_eq!(op.security[0][0].scopes, ["read"]);

    // A 2.0 definition of an unknown flow is left out, pointed at in the 2.0 document.
    let text = "swagger: '2.0'\ninfo: {title: t, version: '1'}\npaths: {}\nsecurityDefinitions:\n  legacy: {type: oauth2, flow: hybrid, scopes: {}}\n  key: {type: apiKey, name: X-Key, in: header}\n";
    let upgraded = model(text);
    assert_eq!(
        pairs(&upgraded),
        [(
            "#/securityDefinitions/legacy/flow",
            "expected implicit, password, application or accessCode, found \"hybrid\": the scheme is left out"
        )]
    );
    assert_eq!(upgraded.api().security_schemes.len(), 1);
}

/// Many warnings of a few kinds: each kind once, with its count and first places, unless every
/// place is asked for.
#[test]
fn the_warnings_of_a_large_document_fit_on_a_screen() {
    let mut text =
        String::from("openapi: 3.0.3\ninfo: {title: Many, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n");
    for i in 0..200 {
        text.push_str(&format!(
            "    S{i}:\n      type: object\n      properties:\n        code: {{type: string, format: sku-code}}\n"
        ));
        if i % 4 == 0 {
            text.push_str("        other: {not: {type: string}}\n");
        }
    }
    let model = model(&text);
    assert_eq!(model.warnings().len(), 250);
    let report = model.warning_report(false);
    assert_eq!(
        report[0],
        "the string format `sku-code` is not one the generator knows: a String (200 times):"
    );
    assert_eq!(
        report[1],
        "  fallbacks.yaml: at #/components/schemas/S0/properties/code/format"
    );
    assert_eq!(report[4], "  and 197 more (--verbose lists every one)");
    assert!(report[5].starts_with("`not` says what a value is not"), "{report:#?}");
    assert_eq!(report.len(), 10, "{report:#?}");
    assert_eq!(model.warning_report(true).len(), 1 + 200 + 1 + 50);
}

/// The fixtures with one of each construct that degrades: each generates (the corpus test
/// compiles them), with exactly these warnings.
#[test]
fn each_degraded_construct_is_one_warning_at_its_node() {
    let fixtures = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures/regressions");
    let read = |name: &str| model(&std::fs::read_to_string(fixtures.join(name)).expect("readable"));
    let two = read("degraded-swagger2.yaml");
    let op = "#/paths/~1boxes~1{ids}/get/parameters";
    let expected_two = [
        (format!("{op}/0/collectionFormat"), "`collectionFormat: pipes` on a path parameter has no OpenAPI 3.0 equivalent: a String, which the caller writes with the items joined by `|`"),
        (format!("{op}/1/collectionFormat"), "`collectionFormat: ssv` on a header parameter has no OpenAPI 3.0 equivalent: a String, which the caller writes with the items joined by ` `"),
        (format!("{op}/2/collectionFormat"), "`collectionFormat: tsv` on a query parameter has no OpenAPI 3.0 equivalent: a String, which the caller writes with the items joined by `\\t`"),
        (format!("{op}/3/items/collectionFormat"), "an array of arrays in a parameter has no OpenAPI 3.0 equivalent: each item is a String, which the caller writes with its inner list joined by `|`"),
        (format!("{op}/4/collectionFormat"), "expected csv, ssv, tsv, pipes or multi, found `commas`: read as csv"),
        (format!("{op}/5/pattern"), "`pattern: 0` is not text: left out"),
        ("#/definitions/Box/properties/size/maxLength".to_owned(), "`maxLength: -3` is not a whole number from 0: left out"),
    ];
    let found: Vec<(String, &str)> = two
        .warnings()
        .iter()
        .map(|w| (w.pointer.to_string(), w.message.as_str()))
        .collect();
    assert_eq!(
        found,
        expected_two.iter().map(|(p, m)| (p.clone(), *m)).collect::<Vec<_>>()
    );

    let keywords = read("degraded-keywords.yaml");
    let thing = "#/components/schemas/Thing";
    let q = "#/paths/~1things/get/parameters/0";
    let mut found: Vec<(String, &str)> = keywords
        .warnings()
        .iter()
        .map(|w| (w.pointer.to_string(), w.message.as_str()))
        .collect();
    found.sort();
    let mut expected = vec![
        (
            "#/paths/~1things/get/deprecated".to_owned(),
            "`deprecated: \"false\"` is not true or false: read as `false`",
        ),
        (
            format!("{q}/required"),
            "`required: \"yes\"` is not true or false: read as `true`",
        ),
        (format!("{q}/schema/pattern"), "`pattern: 0` is not text: left out"),
        (
            format!("{q}/schema/minLength"),
            "`minLength: -1` is not a whole number from 0: left out",
        ),
        (
            format!("{thing}/required"),
            "`required: [\"name\",5]` is not a list of names: read as `[\"name\"]`",
        ),
        (
            format!("{thing}/properties/name/maxLength"),
            "`maxLength: \"10\"` is not a whole number from 0: read as `10`",
        ),
        (
            format!("{thing}/properties/name/description"),
            "`description: 7` is not text: left out",
        ),
        (
            format!("{thing}/properties/weight/exclusiveMinimum"),
            "`exclusiveMinimum: 0` is not true or false: read as OpenAPI 3.1 says, `minimum: 0` not included",
        ),
        (
            format!("{thing}/properties/ratio/type"),
            "`type: [\"number\"]` is not text: read as `\"number\"`",
        ),
        (
            format!("{thing}/properties/ratio/nullable"),
            "`nullable: \"true\"` is not true or false: read as `true`",
        ),
        (
            format!("{thing}/properties/parts/items"),
            "`items: \"a part\"` is not an object: left out",
        ),
    ];
    expected.sort();
    assert_eq!(found, expected);
    // What was mended is what the types say.
    use openapi_crate_gen_core::model::Ty;
    let fields = keywords.api().struct_fields(&Ty::Named("Thing".into())).expect("Thing");
    let ratio = fields.iter().find(|f| f.name == "ratio").expect("ratio");
    assert!(ratio.nullable && ratio.ty == Ty::F64, "{ratio:?}");
    let query = &keywords.api().operations[0].params[0];
    assert!(query.required, "`required: yes` is read as required");
}

/// A document written for other generators: what their extensions say is followed, and what
/// cannot be is one warning each, at the extension.
#[test]
fn other_generators_extensions_are_followed_or_warned_of() {
    use openapi_crate_gen_core::model::{Paging, Ty, TypeKind};
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures/regressions/other-generators.yaml");
    let model = model(&std::fs::read_to_string(path).expect("readable"));
    let mut found: Vec<(&str, &str)> = pairs(&model);
    found.sort();
    assert_eq!(
        found,
        [
            ("#/components/schemas/Money/x-rust-type", "`x-rust-type` names the crate `rust_decimal`, which was not allowed: the schema is generated (allow it with `--rust-type-crate rust_decimal`)"),
            ("#/components/schemas/Rank/x-enum-varnames", "`x-enum-varnames` should name each of the 3 values: the values name the variants"),
            ("#/paths/~1invoices/post/x-fern-pagination", "`page.cursor` is not a query parameter (a field of a body is not read): paging is read from the shape"),
            ("#/paths/~1orders/get/x-speakeasy-pagination", "`type: url` is not read (cursor and offsetLimit are): paging is read from the shape"),
            ("#/x-speakeasy-retries", "retries on `5XX` are not made: the client retries 429, 502, 503 and 504"),
        ]
    );
    let api = model.api();
    let retry = api.retry.as_ref().expect("the document's retries");
    assert_eq!(
        (retry.initial_ms, retry.max_ms, retry.total_ms),
        (Some(500), Some(60_000), Some(3_600_000))
    );
    let names: Vec<&str> = api.operations.iter().map(|op| op.method_name.as_str()).collect();
    assert_eq!(names, ["list_orders", "find_invoices"]);
    assert!(
        matches!(api.operations[0].paging, Some(Paging::Cursor(_))),
        "the shape's cursor"
    );
    let kind = |name: &str| &api.type_named(name).expect(name).kind;
    assert_eq!(kind("Day"), &TypeKind::Alias(Ty::External("chrono::NaiveDate".into())));
    assert!(matches!(kind("Money"), TypeKind::Struct(_)));
    let TypeKind::IntEnum(states) = kind("State") else {
        panic!("{:?}", kind("State"))
    };
    let states: Vec<&str> = states.iter().map(|v| v.name.as_str()).collect();
    assert_eq!(states, ["Draft", "Open", "Closed"]);
}
