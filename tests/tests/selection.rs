//! Generating part of an API: the operations a selection keeps, and exactly the types they
//! reach. Every type a kept operation names (through parameters, bodies, answers, error
//! bodies, paging, fields, variants and aliases) is generated, and no other: on the selection
//! fixture, and on GitHub's document with several selections. (The corpus test compiles the
//! crates of one tag of every tagged document, and of GitHub's `meta`.)

use openapi_crate_gen_core::model::{Api, Operation, Success, Ty, TypeKind};
use openapi_crate_gen_core::{Document, Selection};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

fn model(name: &str, bytes: &[u8], selection: &Selection) -> Result<Api, String> {
    Document::read(name, bytes)
        .map(|d| d.select(selection.clone()))
        .and_then(Document::model)
        .map(openapi_crate_gen_core::Model::into_api)
        .map_err(|e| e.to_string())
}

fn tags(list: &[&str]) -> Selection {
    Selection {
        tags: list.iter().map(|t| (*t).to_owned()).collect(),
        ..Selection::default()
    }
}

/// The generated types named in `ty`.
fn named_in(ty: &Ty, out: &mut Vec<String>) {
    match ty {
        Ty::Named(name) => out.push(name.clone()),
        Ty::Vec(inner) | Ty::Map(inner) | Ty::Nullable(inner) => named_in(inner, out),
        _ => {}
    }
}

/// Every generated type an operation names: its parameters, body, answers and error bodies.
fn named_by_operation(op: &Operation) -> Vec<String> {
    let mut out = Vec::new();
    for p in &op.params {
        named_in(&p.ty, &mut out);
    }
    if let Some(body) = &op.body {
        named_in(&body.ty, &mut out);
    }
    match &op.success {
        Success::Json(ty) => named_in(ty, &mut out),
        Success::Outcomes { cases, .. } => {
            for case in cases {
                if let Success::Json(ty) = &case.body {
                    named_in(ty, &mut out);
                }
            }
        }
        _ => {}
    }
    out.extend(op.errors.iter().filter_map(|e| e.body.clone()));
    out
}

/// Checks that the types of `api` are exactly those its operations reach, each defined once;
/// returns their names.
fn assert_types_are_the_reach(api: &Api, what: &str) -> BTreeSet<String> {
    let defined: BTreeMap<&str, &TypeKind> = api.types().iter().map(|t| (t.name.as_str(), &t.kind)).collect();
    assert_eq!(defined.len(), api.types().len(), "{what}: a type is defined twice");
    let mut reached = BTreeSet::new();
    let mut pending: Vec<String> = api.operations.iter().flat_map(named_by_operation).collect();
    pending.extend(api.error_bodies.iter().cloned());
    while let Some(name) = pending.pop() {
        let Some(kind) = defined.get(name.as_str()) else {
            panic!("{what}: `{name}` is named by a kept operation or type, and not generated");
        };
        if !reached.insert(name) {
            continue;
        }
        let mut next = Vec::new();
        match kind {
            TypeKind::Struct(fields) => fields.iter().for_each(|f| named_in(&f.ty, &mut next)),
            TypeKind::Union { variants, .. } => variants.iter().for_each(|v| named_in(&v.ty, &mut next)),
            TypeKind::Alias(ty) => named_in(ty, &mut next),
            TypeKind::Enum(_) | TypeKind::IntEnum(_) => {}
        }
        pending.extend(next);
    }
    // A name kept for a shape another type now holds (`shapes.rs`) is an alias, not code: it
    // may outlive the field that named it, as long as what it names is kept.
    let merged_name = |kind: &TypeKind| matches!(kind, TypeKind::Alias(Ty::Named(target)) if reached.contains(target));
    let unreached: Vec<&&str> = defined
        .iter()
        .filter(|(n, kind)| !reached.contains(**n) && !merged_name(kind))
        .map(|(n, _)| n)
        .take(5)
        .collect();
    assert!(
        unreached.is_empty(),
        "{what}: generated, and no kept operation reaches them: {unreached:?}"
    );
    reached
}

fn fixture() -> Vec<u8> {
    std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/selection.yaml")).expect("the fixture")
}

#[test]
fn the_fixture_keeps_the_types_of_the_operations_selected() {
    let bytes = fixture();
    let cases: [(Selection, &[&str], &[&str]); 5] = [
        (
            tags(&["pets"]),
            &["list_pets", "create_pet"],
            &["NewPet", "Pet", "PetKind", "Problem"],
        ),
        // A tag by its cargo feature's name; types shared by the tags a chain of
        // references away (a store's manager's address).
        (
            tags(&["pet-owners", "st*"]),
            &["get_owner", "list_stores"],
            &["Address", "ListStoresResponse", "Owner", "Store"],
        ),
        (
            Selection {
                operations: vec!["ping".to_owned(), "create_pet".to_owned()],
                ..Selection::default()
            },
            &["create_pet", "ping"],
            &["NewPet", "Pet", "PetKind"],
        ),
        (
            Selection {
                exclude_tags: vec!["pets".to_owned(), "Pet Owners".to_owned()],
                exclude_operations: vec!["listSt?res".to_owned()],
                ..Selection::default()
            },
            &["ping"],
            &[],
        ),
        // Operations without a tag, by their feature's name, beside a tag's.
        (
            tags(&["untagged", "pets"]),
            &["list_pets", "create_pet", "ping"],
            &["NewPet", "Pet", "PetKind", "Problem"],
        ),
    ];
    let whole = model("selection.yaml", &bytes, &Selection::default()).expect("the whole document");
    assert!(whole.types().iter().any(|t| t.name == "WebhookPayload"));
    for (selection, operations, types) in cases {
        let api = model("selection.yaml", &bytes, &selection).expect("models");
        let kept: BTreeSet<&str> = api.operations.iter().map(|op| op.method_name.as_str()).collect();
        assert_eq!(kept, operations.iter().copied().collect(), "{selection:?}");
        let reached = assert_types_are_the_reach(&api, &format!("{selection:?}"));
        let expected: BTreeSet<String> = types.iter().map(|t| (*t).to_owned()).collect();
        assert_eq!(reached, expected, "{selection:?}");
        // No `standalone-types` feature: the types no kept operation reaches are left out.
        assert!(
            !api.features.iter().any(|f| f == "standalone-types"),
            "{:?}",
            api.features
        );
    }
}

#[test]
fn a_selection_that_matches_nothing_is_an_error_that_says_what_there_is() {
    let bytes = fixture();
    let error = model("selection.yaml", &bytes, &tags(&["pet"])).expect_err("no tag `pet`");
    assert!(
        error.contains("--tags `pet` matches no tag; the document's tags are: Pet Owners, pets, stores"),
        "{error}"
    );
    let misspelt = Selection {
        operations: vec!["listPest".to_owned()],
        ..Selection::default()
    };
    let error = model("selection.yaml", &bytes, &misspelt).expect_err("no such operation");
    assert!(error.contains("none of the document's 5 operations"), "{error}");
    assert!(error.contains("did you mean `listPets`"), "{error}");
    let nothing = Selection {
        tags: vec!["pets".to_owned()],
        exclude_operations: vec!["*Pet*".to_owned()],
        ..Selection::default()
    };
    let error = model("selection.yaml", &bytes, &nothing).expect_err("nothing left");
    assert!(error.contains("leaves no operation"), "{error}");
}

/// GitHub's document, with several selections: the reach is computed, so no selection leaves
/// out a type a kept operation names, and none keeps a type no kept operation uses. Names are
/// those of the whole document.
#[test]
fn every_type_kept_operations_name_is_generated_on_github() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/specs/real/github.json");
    let bytes = std::fs::read(&path)
        .unwrap_or_else(|e| panic!("{}: {e} (../shared must sit beside the checkout)", path.display()));
    let whole = model("github.json", &bytes, &Selection::default()).expect("the whole document");
    let whole_names: BTreeMap<&str, &str> = whole
        .operations
        .iter()
        .filter_map(|op| Some((op.operation_id.as_deref()?, op.method_name.as_str())))
        .collect();
    let selections = [
        tags(&["repos"]),
        tags(&["issues", "pulls"]),
        Selection {
            operations: vec!["gists/*".to_owned(), "repos/get-content".to_owned()],
            ..Selection::default()
        },
        Selection {
            exclude_tags: vec!["actions".to_owned(), "apps".to_owned(), "repos".to_owned()],
            exclude_operations: vec!["*-for-authenticated-user".to_owned()],
            ..Selection::default()
        },
        tags(&["meta"]),
    ];
    for selection in selections {
        let what = format!("{selection:?}");
        let api = model("github.json", &bytes, &selection).expect("models");
        assert!(
            !api.operations.is_empty() && api.operations.len() < whole.operations.len(),
            "{what}"
        );
        for op in &api.operations {
            let id = op.operation_id.as_deref().unwrap_or_default();
            assert_eq!(
                whole_names.get(id),
                Some(&op.method_name.as_str()),
                "{what}: {id} renamed"
            );
        }
        assert_types_are_the_reach(&api, &what);
        assert!(api.types().len() < whole.types().len(), "{what}");
    }
}
