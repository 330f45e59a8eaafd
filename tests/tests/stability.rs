//! The semver policy of generated crates holds: code written against the client of a document
//! still compiles against the client of the same document grown by an optional request field,
//! an optional parameter, an enum value, a response field, an operation and an error status;
//! and it stops compiling when a required field is added (so the check can fail).
//!
//! The same caller crate is checked against three generated crates (each in a workspace of its
//! own, sharing the corpus test's target directory, so dependencies are checked once).

use openapi_crate_gen_core::{CrateOptions, Document};
use std::path::{Path, PathBuf};
use std::process::Command;

const BASE: &str = r##"
openapi: 3.0.3
info: { title: Stability, version: "1" }
paths:
  /items:
    get:
      operationId: listItems
      parameters:
        - { name: limit, in: query, schema: { type: integer } }
      responses:
        "200":
          description: The items.
          content:
            application/json:
              schema: { type: array, items: { $ref: "#/components/schemas/Item" } }
    post:
      operationId: createItem
      requestBody:
        required: true
        content:
          application/json:
            schema: { $ref: "#/components/schemas/NewItem" }
      responses:
        "201":
          description: The item as kept.
          content:
            application/json:
              schema: { $ref: "#/components/schemas/Item" }
        "422":
          description: Refused.
          content:
            application/json:
              schema: { $ref: "#/components/schemas/Problem" }
components:
  schemas:
    Kind: { type: string, enum: [small, large] }
    NewItem:
      type: object
      required: [name]
      properties:
        name: { type: string }
        kind: { $ref: "#/components/schemas/Kind" }
    Item:
      type: object
      required: [id, name]
      properties:
        id: { type: string, format: uuid }
        name: { type: string }
        kind: { $ref: "#/components/schemas/Kind" }
    Problem:
      type: object
      required: [message]
      properties:
        message: { type: string }
"##;

/// What the caller does with the client: build a request body with its optional field, call
/// with an optional parameter, match enums and error bodies, and build a response value as a
/// test or a mock would.
const CALLER: &str = r#"
use stable_api::types::{ErrorBody, Item, Kind, NewItem};

pub async fn exercise(client: &stable_api::Client) -> Result<String, stable_api::Error> {
    let body = NewItem::new("first").with_kind(Kind::Small);
    let created = match client.create_item(body).send().await {
        Ok(item) => item,
        Err(stable_api::runtime::Error::Api(e)) => {
            let reason = match e.body() {
                Some(ErrorBody::Problem(p)) => p.message.clone(),
                _ => "refused".to_owned(),
            };
            return Ok(reason);
        }
        Err(other) => return Err(other),
    };
    let listed = client.list_items().limit(10).send().await?;
    let size = match created.kind {
        Some(Kind::Small) => "small",
        Some(Kind::Large) => "large",
        Some(_) => "another kind",
        None => "no kind",
    };
    let Item { id, name, .. } = &created;
    Ok(format!("{id} {name} {size} of {}", listed.len()))
}

pub fn made_by_a_test() -> Item {
    let mut item = Item::new(uuid::Uuid::nil(), "made");
    item.kind = Some(Kind::Large);
    item
}
"#;

/// `BASE` with each addition the policy calls compatible.
fn grown() -> String {
    edit(
        BASE,
        &[
            // An optional parameter.
            (
                "        - { name: limit, in: query, schema: { type: integer } }\n",
                "        - { name: limit, in: query, schema: { type: integer } }\n        - { name: cursor, in: query, schema: { type: string } }\n",
            ),
            // An optional request field.
            (
                "        kind: { $ref: \"#/components/schemas/Kind\" }\n    Item:\n",
                "        kind: { $ref: \"#/components/schemas/Kind\" }\n        note: { type: string }\n    Item:\n",
            ),
            // A response field, and a schema for a new error body.
            (
                "        kind: { $ref: \"#/components/schemas/Kind\" }\n    Problem:\n",
                "        kind: { $ref: \"#/components/schemas/Kind\" }\n        colour: { type: string }\n    Conflict:\n      type: object\n      properties:\n        existing: { type: string }\n    Problem:\n",
            ),
            // An error status.
            (
                "        \"422\":\n",
                "        \"409\":\n          description: Already there.\n          content:\n            application/json:\n              schema: { $ref: \"#/components/schemas/Conflict\" }\n        \"422\":\n",
            ),
            // An operation.
            (
                "components:\n",
                "  /items/{id}:\n    delete:\n      operationId: deleteItem\n      parameters:\n        - { name: id, in: path, required: true, schema: { type: string } }\n      responses:\n        \"204\": { description: Gone. }\ncomponents:\n",
            ),
            // An enum value.
            ("enum: [small, large]", "enum: [small, large, huge]"),
        ],
    )
}

/// `doc` with each `(from, to)` replacement made; each `from` occurs exactly once.
fn edit(doc: &str, edits: &[(&str, &str)]) -> String {
    let mut out = doc.to_owned();
    for (from, to) in edits {
        assert_eq!(out.matches(from).count(), 1, "{from:?} occurs once in the document");
        out = out.replacen(from, to, 1);
    }
    out
}

/// `BASE` with a required request field added: a breaking change.
fn broken() -> String {
    edit(
        BASE,
        &[(
            "      required: [name]\n      properties:\n        name: { type: string }\n",
            "      required: [name, owner]\n      properties:\n        name: { type: string }\n        owner: { type: string }\n",
        )],
    )
}

/// Writes the crate generated from `doc` and the caller beside it under `root/{label}`, and
/// runs `cargo check` on the caller; the compiler's messages when it fails.
fn check(root: &Path, workspace: &Path, label: &str, doc: &str) -> Result<(), String> {
    let dir = root.join(label);
    let _ = std::fs::remove_dir_all(&dir);
    let model = Document::read("stability.yaml", doc.as_bytes())
        .and_then(Document::model)
        .unwrap_or_else(|e| panic!("{label}: {e}"));
    let options = CrateOptions {
        name: Some("stable-api".to_owned()),
        workspace_member: true,
        ..CrateOptions::default()
    };
    for f in model.crate_files(&options).unwrap_or_else(|e| panic!("{label}: {e}")) {
        write(&dir.join("api").join(&f.path), &f.contents);
    }
    write(
        &dir.join("caller/Cargo.toml"),
        "[package]\nname = \"caller\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[dependencies]\n\
         stable-api = { path = \"../api\" }\nuuid = \"1\"\n",
    );
    write(&dir.join("caller/src/lib.rs"), CALLER);
    write(
        &dir.join("Cargo.toml"),
        "[workspace]\nresolver = \"2\"\nmembers = [\"api\", \"caller\"]\n\n[profile.dev]\ndebug = false\n",
    );
    std::fs::copy(workspace.join("Cargo.lock"), dir.join("Cargo.lock")).expect("copies the lock file");
    let output = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned()))
        .current_dir(&dir)
        .args(["check", "-p", "caller", "--message-format", "short"])
        // The corpus test's target directory: the same dependencies, checked once.
        .env("CARGO_TARGET_DIR", workspace.join("target/corpus/small/target"))
        .env("RUSTFLAGS", "-D warnings")
        .output()
        .expect("cargo runs");
    if output.status.success() {
        Ok(())
    } else {
        Err(String::from_utf8_lossy(&output.stderr).into_owned())
    }
}

fn write(path: &Path, text: &str) {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).expect("creates the folder");
    }
    std::fs::write(path, text).expect("writes");
}

#[test]
fn additions_the_policy_allows_do_not_break_callers_and_a_required_field_does() {
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let root: PathBuf = workspace.join("target/stability");
    let grown = grown();
    for addition in ["cursor", "note:", "colour:", "\"409\"", "deleteItem", "huge"] {
        assert!(grown.contains(addition), "the grown document has {addition}:\n{grown}");
    }
    check(&root, &workspace, "base", BASE)
        .unwrap_or_else(|e| panic!("the caller compiles against the base client:\n{e}"));
    check(&root, &workspace, "grown", &grown)
        .unwrap_or_else(|e| panic!("additions the policy allows broke the caller:\n{e}"));
    match check(&root, &workspace, "broken", &broken()) {
        Ok(()) => panic!("a new required field must break the caller, and it compiled"),
        Err(e) => assert!(
            e.contains("caller/src/lib.rs") && e.contains("E0061"),
            "the caller fails for the new argument of `NewItem::new`:\n{e}"
        ),
    }
}

#[test]
fn the_changelog_classifies_these_documents_as_the_compiler_does() {
    use openapi_crate_gen_core::changelog::{Bump, Changelog};
    let model = |doc: &str| openapi_crate_gen_core::build_model("stability.yaml", doc.as_bytes()).expect("models");
    let base = model(BASE);
    // The additions the caller survives: a minor release, nothing breaking.
    let log = Changelog::between(&base, &model(&grown()));
    assert_eq!(log.bump, Bump::Minor, "{}", log.markdown());
    assert!(log.changes.iter().all(|c| !c.breaking), "{}", log.markdown());
    // The required request field the caller does not survive: major, and that change is why.
    let log = Changelog::between(&base, &model(&broken()));
    assert_eq!(log.bump, Bump::Major, "{}", log.markdown());
    let breaking: Vec<&str> = log
        .changes
        .iter()
        .filter(|c| c.breaking)
        .map(|c| c.item.as_str())
        .collect();
    assert_eq!(breaking, ["types::NewItem::owner"], "{}", log.markdown());
}
