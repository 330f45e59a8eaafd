//! Webhooks and callbacks become typed events (issue 26): which events a document lists, their
//! variants, payload types, the names a delivery may give them and the properties that mark
//! them, from 3.1 `webhooks`, `x-webhooks` and 3.0 `callbacks`; GitHub's 218 among them.

use openapi_crate_gen_core::model::{Api, Mark, Ty, Webhook};
use std::path::PathBuf;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn model(path: &str) -> Api {
    let bytes = std::fs::read(root().join(path)).unwrap_or_else(|e| panic!("{path}: {e}"));
    openapi_crate_gen_core::build_model(path, &bytes).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn event<'a>(api: &'a Api, key: &str) -> &'a Webhook {
    api.webhooks
        .iter()
        .find(|w| w.key == key)
        .unwrap_or_else(|| panic!("no event `{key}` among {:?}", keys(api)))
}

fn keys(api: &Api) -> Vec<&str> {
    api.webhooks.iter().map(|w| w.key.as_str()).collect()
}

fn text(property: &str, value: &str) -> (String, Mark) {
    (property.to_owned(), Mark::Text(value.to_owned()))
}

#[test]
fn openapi_31_webhooks_are_kept_and_typed() {
    let api = model("tests/fixtures/regressions/webhooks.yaml");
    assert_eq!(keys(&api), ["newPet", "petRemoved", "ping", "unknown"]);
    let new_pet = event(&api, "newPet");
    assert_eq!(new_pet.variant, "NewPet");
    // An inline payload is a type named after the event; its `const` marks it.
    assert_eq!(new_pet.payload, Ty::Named("NewPetPayload".to_owned()));
    assert_eq!(new_pet.marks, [text("action", "created")]);
    assert_eq!(new_pet.names, ["pet/created", "pet"]);
    // A `$ref` payload is the component's type; an integer `const` marks too.
    let removed = event(&api, "petRemoved");
    assert_eq!(removed.payload, Ty::Named("PetRemoved".to_owned()));
    assert_eq!(
        removed.marks,
        [text("action", "removed"), ("version".to_owned(), Mark::Integer(2))]
    );
    // No schema: any JSON.
    assert_eq!(event(&api, "ping").payload, Ty::Json);
    // The enum's own `Unknown` is not an event's, and the change is warned of.
    assert_eq!(event(&api, "unknown").variant, "Unknown2");
    assert!(
        api.warnings
            .iter()
            .any(|w| w.pointer.as_str() == "#/webhooks/unknown/post" && w.message.contains("Unknown2")),
        "{:?}",
        api.warnings
    );
    assert_eq!(api.event_header.as_deref(), Some("x-pet-event"));
    // The payload types compile with the `webhooks` feature (the operations are tagged).
    let payload = api.type_named("NewPetPayload").expect("the payload type");
    assert!(
        payload.features.iter().any(|f| f == "webhooks"),
        "{:?}",
        payload.features
    );
}

#[test]
fn callbacks_with_a_body_are_events_once_each() {
    let api = model("tests/fixtures/regressions/callbacks.yaml");
    assert_eq!(keys(&api), ["onEvent", "onClose"]);
    assert_eq!(event(&api, "onEvent").payload, Ty::Named("Event".to_owned()));
    assert_eq!(event(&api, "onClose").payload, Ty::Named("OnClosePayload".to_owned()));
    assert_eq!(api.event_header, None);
    // The client's own calls are unchanged: callbacks are not operations.
    assert_eq!(api.operations.len(), 1);
}

#[test]
fn a_document_without_webhooks_has_no_module() {
    let bytes = std::fs::read(root().join("spec/wpengine-v1.10.0.yaml")).expect("the document");
    let files = openapi_crate_gen_core::generate("spec/wpengine-v1.10.0.yaml", &bytes).expect("generates");
    assert!(files.iter().all(|f| f.path != "webhooks.rs"));
    assert!(files.iter().all(|f| !f.contents.contains("pub mod webhooks")));
}

#[test]
fn the_feature_fixture_lists_its_events_and_its_crate_declares_the_feature() {
    let api = model("tests/fixtures/features.yaml");
    assert_eq!(
        keys(&api),
        [
            "branch-protection-rule-created",
            "branch-protection-rule-deleted",
            "invoice.paid",
            "invoice.voided",
            "heartbeat"
        ]
    );
    assert_eq!(api.event_header.as_deref(), Some("x-github-event"));
    assert_eq!(event(&api, "invoice.paid").marks, [text("type", "invoice.paid")]);
    assert_eq!(event(&api, "heartbeat").payload, Ty::Json);
    let bytes = std::fs::read(root().join("tests/fixtures/features.yaml")).expect("the fixture");
    let files = openapi_crate_gen_core::generate_crate("features.yaml", &bytes, None).expect("generates");
    let manifest = files.iter().find(|f| f.path == "Cargo.toml").expect("a manifest");
    assert!(manifest.contents.contains("\nwebhooks = []\n"), "{}", manifest.contents);
    let root_module = files.iter().find(|f| f.path == "src/generated/mod.rs").expect("mod.rs");
    assert!(root_module
        .contents
        .contains("#[cfg(feature = \"webhooks\")]\npub mod webhooks;"));
}

/// GitHub's 218 `x-webhooks`: each answers to its family's name (`X-GitHub-Event`), marked by
/// its `action` where it has one, its payload the component the document names.
#[test]
fn githubs_webhooks_answer_to_their_event_header_and_action() {
    // The shared corpus beside the repository, which the corpus test reads too.
    let api = model("../shared/specs/real/github.json");
    assert_eq!(api.webhooks.len(), 218);
    assert_eq!(api.event_header.as_deref(), Some("x-github-event"));
    let created = event(&api, "branch-protection-rule-created");
    assert_eq!(created.variant, "BranchProtectionRuleCreated");
    assert_eq!(
        created.payload,
        Ty::Named("WebhookBranchProtectionRuleCreated".to_owned())
    );
    assert_eq!(
        created.names,
        ["branch-protection-rule/created", "branch-protection-rule"]
    );
    assert_eq!(created.marks, [text("action", "created")]);
    // A payload that is one of several shapes is marked by what they all say.
    assert_eq!(
        event(&api, "pull-request-review-requested").marks,
        [text("action", "review_requested")]
    );
    // Every event with a sibling of the same family is told apart by a mark, or is the one
    // of its family without one (which the runtime takes when no sibling's mark fits).
    for w in &api.webhooks {
        let family = w.names.last().map_or(w.key.as_str(), String::as_str);
        let unmarked = api
            .webhooks
            .iter()
            .filter(|o| o.names.last().map_or(o.key.as_str(), String::as_str) == family && o.marks.is_empty())
            .count();
        assert!(unmarked <= 1, "two events of `{family}` without a mark");
    }
}

/// Bad input degrades: an entry that is not a path item, and a payload whose reference does
/// not resolve, each leave their event out with a warning at its node; the rest is kept.
#[test]
fn events_that_cannot_be_read_are_left_out_with_a_warning() {
    let doc = r##"
openapi: 3.0.3
info: {title: Bad hooks, version: "1"}
paths: {}
x-webhooks:
  broken: {post: 7}
  dangling:
    post:
      requestBody:
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Missing'}
  fine:
    post:
      requestBody:
        content:
          text/plain:
            schema: {type: string}
"##;
    let api = openapi_crate_gen_core::build_model("bad.yaml", doc.as_bytes()).expect("models");
    assert_eq!(keys(&api), ["fine"]);
    // Not JSON: any value, with a warning.
    assert_eq!(event(&api, "fine").payload, Ty::Json);
    let at = |pointer: &str| api.warnings.iter().any(|w| w.pointer.as_str() == pointer);
    assert!(at("#/x-webhooks/broken"), "{:?}", api.warnings);
    assert!(
        at("#/x-webhooks/dangling/post/requestBody/content/application~1json/schema/$ref"),
        "{:?}",
        api.warnings
    );
    assert!(
        at("#/x-webhooks/fine/post/requestBody/content/text~1plain"),
        "{:?}",
        api.warnings
    );
}
