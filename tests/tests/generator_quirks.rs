//! The published document's quirks come out right, and bad input gets a located error.

use openapi_crate_gen_core::model::{Api, Success, Ty, TypeKind};

fn wpengine() -> Api {
    let bytes = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/../spec/wpengine-v1.10.0.yaml")).expect("spec");
    openapi_crate_gen_core::build_model("spec/wpengine-v1.10.0.yaml", &bytes).expect("models")
}

fn field<'a>(api: &'a Api, ty: &str, name: &str) -> &'a openapi_crate_gen_core::model::Field {
    let def = api
        .types()
        .iter()
        .find(|t| t.name == ty)
        .unwrap_or_else(|| panic!("no type {ty}"));
    let TypeKind::Struct(fields) = &def.kind else {
        panic!("{ty} is not a struct")
    };
    fields
        .iter()
        .find(|f| f.name == name)
        .unwrap_or_else(|| panic!("no field {ty}.{name}"))
}

#[test]
fn fifty_operations_with_stable_names() {
    let api = wpengine();
    assert_eq!(api.operations.len(), 50);
    let unnamed: Vec<_> = api.operations.iter().filter(|o| o.operation_id.is_none()).collect();
    assert_eq!(unnamed.len(), 1);
    assert_eq!(unnamed[0].method_name, "post_accounts_usage_refresh_disk_usage");
    assert_eq!(api.base_url, "https://api.wpengineapi.com/v1");
}

#[test]
fn authorization_header_parameter_is_not_an_argument() {
    let api = wpengine();
    for op in &api.operations {
        assert!(
            op.params.iter().all(|p| !p.wire.eq_ignore_ascii_case("authorization")),
            "{} exposes the Authorization header",
            op.method_name
        );
    }
    let status = api
        .operations
        .iter()
        .find(|o| o.method_name == "status")
        .expect("status");
    assert!(status.security.is_empty());
    assert_eq!(
        api.operations
            .iter()
            .filter(|o| {
                o.security
                    == [vec![openapi_crate_gen_core::model::Requirement {
                        scheme: "basicAuth".to_owned(),
                        scopes: Vec::new(),
                    }]]
            })
            .count(),
        48
    );
}

#[test]
fn description_only_definitions_are_bodyless_responses() {
    let api = wpengine();
    let op = api
        .operations
        .iter()
        .find(|o| o.method_name == "get_install")
        .expect("op");
    let e429 = op
        .errors
        .iter()
        .find(|e| e.status == openapi_crate_gen_core::model::StatusKey::Code(429))
        .expect("429");
    assert_eq!(e429.body, None);
    assert!(!e429.description.is_empty());
    let e404 = op
        .errors
        .iter()
        .find(|e| e.status == openapi_crate_gen_core::model::StatusKey::Code(404))
        .expect("404");
    assert_eq!(e404.body.as_deref(), Some("NotFoundErrorResponse"));
}

#[test]
fn nullable_beside_ref_and_string_int64_survive() {
    let api = wpengine();
    let source = field(&api, "DailyUsageMetrics", "traffic_metrics_source");
    assert!(source.optional);
    assert_eq!(source.ty, Ty::Named("DailyUsageMetricsTrafficMetricsSource".into()));
    let latest = field(&api, "UsageRollup", "latest");
    assert_eq!(latest.ty, Ty::Named("LatestMetricValue".into()));
    assert!(latest.optional);
    assert_eq!(field(&api, "LatestMetricValue", "value").ty, Ty::I64String);
    let php = field(&api, "Installation", "php_version");
    assert!(php.optional && !php.skip_if_none, "required but nullable");
}

#[test]
fn nested_anonymous_objects_get_stable_names() {
    let api = wpengine();
    assert_eq!(
        field(&api, "Installation", "account").ty,
        Ty::Named("InstallationAccount".into())
    );
    assert_eq!(
        field(&api, "Site", "installs").ty,
        Ty::Vec(Box::new(Ty::Named("SiteInstallsItem".into())))
    );
    let list = api
        .operations
        .iter()
        .find(|o| o.method_name == "list_installs")
        .expect("op");
    assert_eq!(list.success, Success::Json(Ty::Named("ListInstallsResponse".into())));
}

fn err(doc: &str) -> openapi_crate_gen_core::Error {
    match openapi_crate_gen_core::generate("bad.yaml", doc.as_bytes()) {
        Ok(_) => panic!("expected an error for:\n{doc}"),
        Err(e) => e,
    }
}

#[test]
fn bad_input_names_file_and_pointer() {
    let e = err("{ \"swagger\": \"2.0\", ");
    assert_eq!((e.file.as_str(), e.pointer.as_str()), ("bad.yaml", "#"));
    assert!(e.message.contains("invalid JSON"), "{e}");

    let e = err("swagger: '2.0'\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      responses:\n        '200':\n          description: ok\n          schema: {$ref: '#/definitions/Missing'}\n");
    // Located in the 2.0 document, not in the 3.0 one it was upgraded to.
    assert_eq!(e.pointer, "#/paths/~1a/get/responses/200/schema/$ref");
    assert!(e.message.contains("#/definitions/Missing does not resolve"), "{e}");

    let e = err("swagger: '2.0'\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      parameters: [{name: x, in: nowhere, type: string}]\n      responses: {'200': {description: ok}}\n");
    assert_eq!(e.pointer, "#/paths/~1a/get/parameters/0/in");

    let e = err("openapi: 4.0.0\ninfo: {title: t, version: '1'}\npaths: {}\n");
    assert_eq!(e.pointer, "#/openapi");
    assert!(e.message.contains("3.1.x"), "{e}");

    let e = err("openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      responses: 7\n");
    assert!(e.pointer.as_str().starts_with("#/paths/~1a/get"), "{e}");
    assert!(e.to_string().starts_with("bad.yaml: at #/paths/~1a/get"), "{e}");

    let e = err("[1, 2]");
    assert!(e.message.contains("object"), "{e}");
}

#[test]
fn openapi_3_1_reads_as_its_3_0_equivalent() {
    let v31 = r#"
openapi: 3.1.0
info: {title: t, version: '1', summary: short}
webhooks: {ping: {post: {responses: {'200': {description: ok}}}}}
paths:
  /pets/{id}:
    get:
      operationId: getPet
      parameters:
        - {name: id, in: path, required: true, schema: {type: integer, exclusiveMinimum: 0}}
        - {name: tag, in: query, schema: {type: [string, 'null'], examples: [a]}}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Pet', description: The pet}
components:
  schemas:
    Pet:
      type: object
      required: [kind, name]
      properties:
        kind: {const: pet, type: string}
        name: {type: string}
        owner:
          anyOf: [{$ref: '#/components/schemas/Owner'}, {type: 'null'}]
        tags: {type: array, prefixItems: [{type: string}, {type: string}]}
    Owner:
      type: object
      properties:
        nick: {type: [string, 'null']}
"#;
    // 3.1 `webhooks` are kept as the extension 3.0 documents (GitHub's) use.
    let v30 = r#"
openapi: 3.0.3
info: {title: t, version: '1'}
x-webhooks: {ping: {post: {responses: {'200': {description: ok}}}}}
paths:
  /pets/{id}:
    get:
      operationId: getPet
      parameters:
        - {name: id, in: path, required: true, schema: {type: integer, minimum: 0, exclusiveMinimum: true}}
        - {name: tag, in: query, schema: {type: string, nullable: true, example: a}}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {allOf: [{$ref: '#/components/schemas/Pet'}], description: The pet}
components:
  schemas:
    Pet:
      type: object
      required: [kind, name]
      properties:
        kind: {enum: [pet], type: string}
        name: {type: string}
        owner:
          nullable: true
          allOf: [{$ref: '#/components/schemas/Owner'}]
        tags: {type: array, items: {type: string}}
    Owner:
      type: object
      properties:
        nick: {type: string, nullable: true}
"#;
    let a = openapi_crate_gen_core::build_model("v31.yaml", v31.as_bytes()).expect("3.1 reads");
    let b = openapi_crate_gen_core::build_model("v30.yaml", v30.as_bytes()).expect("3.0 reads");
    assert_eq!(a, b);
    let normalized = openapi_crate_gen_core::normalized_openapi("v31.yaml", v31.as_bytes()).expect("normalizes");
    assert!(normalized.contains("\"openapi\": \"3.0.3\""), "{normalized}");
    assert!(!normalized.contains("\"webhooks\""), "{normalized}");
    assert!(normalized.contains("\"x-webhooks\""), "{normalized}");
}

#[test]
fn swagger_2_and_its_3_0_upgrade_give_the_same_model() {
    let bytes = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/../spec/wpengine-v1.10.0.yaml")).expect("spec");
    let upgraded = openapi_crate_gen_core::normalized_openapi("spec.yaml", &bytes).expect("upgrades");
    assert!(upgraded.contains("\"openapi\": \"3.0.3\""));
    let again = openapi_crate_gen_core::build_model("spec.json", upgraded.as_bytes()).expect("3.0 models");
    assert_eq!(again, wpengine());
}

/// The model with all prose removed, so two descriptions of the same facts compare equal.
fn without_prose(mut api: Api) -> Api {
    api.description = None;
    api.security_schemes.iter_mut().for_each(|s| s.doc = None);
    for t in api.types_mut() {
        t.doc = None;
        if let TypeKind::Struct(fields) = &mut t.kind {
            fields.iter_mut().for_each(|f| f.doc = None);
        }
    }
    for op in &mut api.operations {
        op.summary = None;
        op.description = None;
        op.params.iter_mut().for_each(|p| p.doc = None);
        if let Some(b) = &mut op.body {
            b.doc = None;
        }
        op.errors.iter_mut().for_each(|e| e.description.clear());
    }
    api
}

#[test]
fn the_published_document_gives_the_same_client() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../shared/wpengine/swagger-v1.10.0.json"
    );
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let published =
        openapi_crate_gen_core::build_model("swagger-v1.10.0.json", &bytes).expect("the live document generates");
    assert_eq!(without_prose(published), without_prose(wpengine()));
    openapi_crate_gen_core::generate("swagger-v1.10.0.json", &bytes).expect("and renders");
}

#[test]
fn the_older_published_document_generates() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../shared/wpengine/swagger-v1.6.15.yaml"
    );
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let files = openapi_crate_gen_core::generate("swagger-v1.6.15.yaml", &bytes).expect("v1.6.15 generates");
    let api = openapi_crate_gen_core::build_model("swagger-v1.6.15.yaml", &bytes).expect("models");
    assert_eq!(api.operations.len(), 39);
    assert!(files
        .iter()
        .any(|f| f.path == "builders.rs" && f.contents.contains("pub fn list_installs(")));
}

#[test]
fn pagination_is_detected_from_the_document_shape() {
    use openapi_crate_gen_core::model::Paging;
    let api = wpengine();
    let paged: Vec<(&str, &str)> = api
        .operations
        .iter()
        .filter_map(|o| {
            let kind = match o.paging.as_ref()? {
                Paging::Offset(_) => "offset",
                Paging::Cursor(_) => "cursor",
                Paging::PageNumber(_) => "page number",
                Paging::Link { .. } => "link",
            };
            Some((o.method_name.as_str(), kind))
        })
        .collect();
    // listAccountUsers has results but no limit/offset. The usage metrics send their
    // `next_page_token` back as the string `offset`; the certificates' token goes with an
    // integer `offset`, which the document does not relate to it, so they are not paged.
    assert_eq!(
        paged,
        [
            ("list_accounts", "offset"),
            ("get_account_usage_metrics", "cursor"),
            ("list_sites", "offset"),
            ("list_installs", "offset"),
            ("list_domains", "offset"),
            ("list_ssh_keys", "offset")
        ]
    );
    let installs = api
        .operations
        .iter()
        .find(|o| o.method_name == "list_installs")
        .and_then(|o| match &o.paging {
            Some(Paging::Offset(p)) => Some(&p.items.item),
            _ => None,
        });
    assert_eq!(installs, Some(&Ty::Named("Installation".into())));
}

#[test]
fn only_fields_on_a_cycle_are_boxed() {
    let doc = r##"
openapi: 3.0.3
info: {title: Cycles, version: "1"}
paths: {}
components:
  schemas:
    Node:
      type: object
      properties:
        next: {$ref: "#/components/schemas/NodeAlias"}
        kids: {type: array, items: {$ref: "#/components/schemas/Node"}}
        pair: {$ref: "#/components/schemas/Pair"}
        leaf: {$ref: "#/components/schemas/Leaf"}
    NodeAlias: {$ref: "#/components/schemas/Node"}
    Pair:
      type: object
      properties:
        left: {$ref: "#/components/schemas/Node"}
    Holder:
      type: object
      properties:
        node: {$ref: "#/components/schemas/Node"}
    Leaf:
      type: object
      properties:
        value: {type: string}
"##;
    let api = openapi_crate_gen_core::build_model("cycles.yaml", doc.as_bytes()).expect("models");
    let boxed = |ty: &str, name: &str| field(&api, ty, name).boxed;
    assert!(boxed("Node", "next"), "through an alias back to itself");
    assert!(boxed("Node", "pair") && boxed("Pair", "left"), "mutual recursion");
    assert!(!boxed("Node", "kids"), "a Vec already has a finite size");
    assert!(!boxed("Node", "leaf"), "Leaf does not lead back to Node");
    assert!(!boxed("Holder", "node"), "Node does not lead back to Holder");
}

#[test]
fn a_schema_that_is_only_a_reference_to_itself_is_refused() {
    let e = err("openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    A: {$ref: '#/components/schemas/B'}\n    B: {$ref: '#/components/schemas/A'}\n    C: {$ref: '#/components/schemas/A'}\n");
    assert_eq!(e.pointer, "#/components/schemas/A/$ref", "{e}");
    assert!(e.message.contains("A -> B -> A"), "{e}");
}

#[test]
fn event_streams_are_typed_from_their_media_types() {
    use openapi_crate_gen_core::model::{EventData, EventFraming};
    let doc = br#"
openapi: 3.0.3
info: {title: Streams, version: '1'}
paths:
  /sse:
    get:
      operationId: plain
      responses:
        '200': {description: Whatever comes, content: {text/event-stream: {}}}
  /lines:
    get:
      operationId: lines
      responses:
        '200': {description: Rows, content: {application/jsonl: {}}}
  /seq:
    get:
      operationId: seq
      responses:
        '200':
          description: Records
          content:
            application/json-seq: {schema: {type: object, properties: {n: {type: integer}}}}
  /envelope:
    get:
      operationId: envelope
      responses:
        '200':
          description: Events described whole
          content:
            text/event-stream:
              schema:
                type: object
                properties:
                  event: {type: string}
                  data: {type: object, properties: {n: {type: integer}}}
"#;
    let api = openapi_crate_gen_core::build_model("streams.yaml", doc).expect("models");
    let events = |name: &str| match &api
        .operations
        .iter()
        .find(|o| o.method_name == name)
        .expect("an operation")
        .success
    {
        Success::Events(events) => events.clone(),
        other => panic!("{name} answers {other:?}"),
    };
    assert_eq!(
        (events("plain").framing, events("plain").data),
        (EventFraming::ServerSent, EventData::Text)
    );
    assert_eq!(
        (events("lines").framing, events("lines").data),
        (EventFraming::JsonLines, EventData::Untyped)
    );
    assert_eq!(events("seq").framing, EventFraming::JsonSeq);
    assert!(matches!(events("seq").data, EventData::Json(Ty::Named(_))));
    // The schema of the event itself types its data, not the envelope.
    let EventData::Json(Ty::Named(name)) = events("envelope").data else {
        panic!("typed data")
    };
    // (The same shape as `seq`'s, so one type: `definition` follows the alias.)
    let def = api.definition(&name).expect("the data's type");
    let TypeKind::Struct(fields) = &def.kind else {
        panic!("a struct")
    };
    assert_eq!(fields.iter().map(|f| f.name.as_str()).collect::<Vec<_>>(), ["n"]);
    assert_eq!(events("plain").end, None);
}

#[test]
fn identical_inline_shapes_are_one_type_and_the_other_names_aliases() {
    let doc = br#"
openapi: 3.0.3
info: {title: Shapes, version: '1'}
paths:
  /a:
    get:
      operationId: getA
      responses:
        '200':
          description: One
          content:
            application/json:
              schema:
                type: object
                properties:
                  owner: {type: object, description: Who owns a, properties: {login: {type: string}, id: {type: integer}}}
                  state: {type: string, enum: [open, closed]}
  /b:
    get:
      operationId: getB
      responses:
        '200':
          description: Two
          content:
            application/json:
              schema:
                type: object
                properties:
                  owner: {type: object, description: Who owns b, properties: {login: {type: string}, id: {type: integer}}}
                  state: {type: string, enum: [open, closed]}
  /c:
    get:
      operationId: getC
      responses:
        '200':
          description: Another shape
          content:
            application/json:
              schema:
                type: object
                properties:
                  owner: {type: object, properties: {login: {type: string}, id: {type: string}}}
components:
  schemas:
    Named:
      type: object
      properties:
        login: {type: string}
        id: {type: integer}
"#;
    let api = openapi_crate_gen_core::build_model("shapes.yaml", doc).expect("models");
    let kind = |name: &str| &api.type_named(name).unwrap_or_else(|| panic!("no {name}")).kind;
    // The nested owner and enum merge first, which makes the two answers the same shape.
    assert_eq!(
        *kind("GetBResponseOwner"),
        TypeKind::Alias(Ty::Named("GetAResponseOwner".into()))
    );
    assert_eq!(
        *kind("GetBResponseState"),
        TypeKind::Alias(Ty::Named("GetAResponseState".into()))
    );
    assert_eq!(*kind("GetBResponse"), TypeKind::Alias(Ty::Named("GetAResponse".into())));
    // Another field type, and a component of the same shape, keep types of their own.
    assert!(matches!(kind("GetCResponseOwner"), TypeKind::Struct(_)));
    assert!(matches!(kind("Named"), TypeKind::Struct(_)));
    assert!(matches!(kind("GetAResponseOwner"), TypeKind::Struct(_)));
    // Code that reads through the alias finds the fields.
    let body = Ty::Named("GetBResponse".into());
    assert_eq!(api.struct_fields(&body).map(<[_]>::len), Some(2));
}

#[test]
fn githubs_repeated_inline_shapes_become_aliases_of_fewer_types() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/specs/real/github.json");
    let Ok(bytes) = std::fs::read(path) else {
        panic!("{path} is needed: the corpus of ../shared");
    };
    let api = openapi_crate_gen_core::build_model("github.json", &bytes).expect("models");
    let defined = api
        .types()
        .iter()
        .filter(|t| !matches!(t.kind, TypeKind::Alias(_)))
        .count();
    // 6,767 types before shapes were merged; each alias leads to a definition.
    assert!(defined < 2_000, "{defined} types defined");
    for def in api.types() {
        if let TypeKind::Alias(Ty::Named(target)) = &def.kind {
            assert!(
                api.definition(target).is_some(),
                "{} aliases a missing {target}",
                def.name
            );
        }
    }
}
