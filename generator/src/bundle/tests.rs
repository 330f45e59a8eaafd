//! Documents split across files, held in memory.

use crate::sources::Files;
use crate::{Document, Error};
use serde_json::Value;
use std::collections::BTreeMap;

/// Files by their paths relative to the document's folder.
struct InMemory(BTreeMap<&'static str, &'static str>);

impl Files for InMemory {
    fn read(&self, path: &str) -> Result<Vec<u8>, String> {
        self.0
            .get(path)
            .map(|text| text.as_bytes().to_vec())
            .ok_or_else(|| "No such file or directory".to_owned())
    }
}

fn read(root: &str, files: &[(&'static str, &'static str)]) -> Result<Document, Error> {
    Document::read_from(
        "api/openapi.yaml",
        root.as_bytes(),
        &InMemory(files.iter().copied().collect()),
    )
}

fn normalized(document: &Document) -> Value {
    serde_json::from_str(&document.normalized()).expect("JSON")
}

const PETS_30: &str = "openapi: 3.0.3
info: {title: T, version: '1'}
paths:
  /pets:
    get:
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: './schemas/pet.yaml'}
  /owners:
    get:
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: 'schemas/../schemas/owner.yaml'}
";

const PET: &str = "type: object
properties:
  owner: {$ref: owner.yaml}
  kind: {$ref: '#/definitions/Kind'}
definitions:
  Kind: {type: string, enum: [cat, dog]}
";

const OWNER: &str = "type: object
properties:
  pets: {type: array, items: {$ref: ./pet.yaml}}
";

#[test]
fn a_cycle_across_two_files_meets_the_component_already_named() {
    let document = read(PETS_30, &[("schemas/pet.yaml", PET), ("schemas/owner.yaml", OWNER)]).expect("reads");
    let doc = normalized(&document);
    let schemas = &doc["components"]["schemas"];
    assert_eq!(
        schemas["pet"]["properties"]["owner"]["$ref"],
        "#/components/schemas/owner"
    );
    assert_eq!(
        schemas["owner"]["properties"]["pets"]["items"]["$ref"],
        "#/components/schemas/pet"
    );
    // A pointer inside a file is read in that file.
    assert_eq!(
        schemas["pet"]["properties"]["kind"]["$ref"],
        "#/components/schemas/Kind"
    );
    assert_eq!(schemas["Kind"]["enum"][1], "dog");
    // Two spellings of one file are one component.
    let names: Vec<&String> = schemas.as_object().expect("schemas").keys().collect();
    assert_eq!(names, ["pet", "owner", "Kind"]);
    let read: Vec<&str> = document.referenced_files().iter().map(|f| f.path.as_str()).collect();
    assert_eq!(read, ["schemas/owner.yaml", "schemas/pet.yaml"]);
}

#[test]
fn swagger2_parts_go_to_its_own_sections_before_the_upgrade() {
    let root = "swagger: '2.0'
info: {title: T, version: '1'}
paths:
  /pets/{id}:
    get:
      parameters: [{$ref: 'common.json#/parameters/Id'}]
      responses:
        '200': {description: ok, schema: {$ref: 'common.json#/definitions/Pet'}}
        '404': {$ref: 'common.json#/responses/Missing'}
definitions:
  Pet: {type: object}
";
    let common = r##"{
      "parameters": {"Id": {"name": "id", "in": "path", "required": true, "type": "integer"}},
      "responses": {"Missing": {"description": "none", "schema": {"$ref": "#/definitions/Pet"}}},
      "definitions": {"Pet": {"type": "object", "x-nullable": true, "properties": {"name": {"type": "string"}}}}
    }"##;
    let doc = normalized(&read(root, &[("common.json", common)]).expect("reads"));
    let components = &doc["components"];
    // The document's own `Pet` keeps its name; the other file's is made unique.
    assert_eq!(components["schemas"]["Pet2"]["properties"]["name"]["type"], "string");
    assert_eq!(components["schemas"]["Pet2"]["nullable"], true);
    let parameter = &doc["paths"]["/pets/{id}"]["get"]["parameters"][0];
    assert_eq!(
        (&parameter["name"], &parameter["schema"]["type"]),
        (&"id".into(), &"integer".into())
    );
    let missing = &components["responses"]["Missing"]["content"]["application/json"]["schema"]["$ref"];
    assert_eq!(missing, "#/components/schemas/Pet2");
}

#[test]
fn a_component_that_refers_to_a_file_becomes_it_and_keeps_its_name() {
    let root = "openapi: 3.1.0
info: {title: T, version: '1'}
paths:
  /a:
    $ref: paths/a.yaml
components:
  schemas:
    Animal:
      $ref: animal.yaml
";
    let path = "get:
  responses:
    '200':
      description: ok
      content:
        application/json:
          schema: {$ref: '../animal.yaml'}
";
    let animal = "oneOf: [{$ref: '#/$defs/Cat'}, {$ref: 'dog.yaml'}]
discriminator:
  propertyName: kind
  mapping: {cat: '#/$defs/Cat', dog: dog.yaml}
$defs:
  Cat: {type: object, properties: {kind: {type: string}}}
";
    let dog = "type: object\nproperties: {kind: {type: string}}\n";
    let files = [("paths/a.yaml", path), ("animal.yaml", animal), ("dog.yaml", dog)];
    let doc = normalized(&read(root, &files).expect("reads"));
    let schemas = &doc["components"]["schemas"];
    assert!(schemas["Animal"]["oneOf"].is_array(), "{schemas}");
    let answer = &doc["paths"]["/a"]["get"]["responses"]["200"]["content"]["application/json"]["schema"];
    assert_eq!(answer["$ref"], "#/components/schemas/Animal");
    let mapping = &schemas["Animal"]["discriminator"]["mapping"];
    assert_eq!(mapping["cat"], "#/components/schemas/Cat");
    assert_eq!(mapping["dog"], "#/components/schemas/dog");
}

#[test]
fn references_that_cannot_be_followed_name_the_file_and_the_place() {
    let pets_only = PETS_30.split("  /owners:").next().expect("a part");
    let missing = read(pets_only, &[("schemas/pet.yaml", PET)]).err().expect("refused");
    assert_eq!(missing.file, "api/schemas/pet.yaml");
    assert_eq!(missing.pointer, "#/properties/owner/$ref");
    assert!(
        missing.message.contains("schemas/owner.yaml") && missing.message.contains("No such file"),
        "{missing}"
    );

    let nowhere = "type: object\nproperties: {owner: {$ref: 'owner.yaml#/Nope'}}\n";
    let error = read(PETS_30, &[("schemas/pet.yaml", nowhere), ("schemas/owner.yaml", OWNER)])
        .err()
        .expect("refused");
    assert_eq!(
        (error.file.as_str(), error.pointer.as_str()),
        ("api/schemas/pet.yaml", "#/properties/owner/$ref")
    );
    assert!(error.message.contains("has no node at #/Nope"), "{error}");

    let remote = PETS_30.replace("./schemas/pet.yaml", "https://example.com/pet.yaml");
    let error = Document::read_from("openapi.yaml", remote.as_bytes(), &InMemory(BTreeMap::new()))
        .err()
        .expect("refused");
    assert_eq!(
        error.pointer,
        "#/paths/~1pets/get/responses/200/content/application~1json/schema/$ref"
    );
    assert!(
        error.message.contains("https://example.com/pet.yaml") && error.message.contains("bundle"),
        "{error}"
    );

    let alone = Document::read("openapi.yaml", PETS_30.as_bytes())
        .err()
        .expect("refused");
    assert!(alone.message.contains("read_from"), "{alone}");
}

#[test]
fn errors_and_warnings_found_later_point_into_the_file_the_node_is_in() {
    // A reference back into the document, to a component it does not have.
    let bad = "type: object\nproperties:\n  owner: {$ref: '../openapi.yaml#/components/schemas/Gone'}\n";
    let error = read(PETS_30, &[("schemas/pet.yaml", bad), ("schemas/owner.yaml", OWNER)])
        .and_then(Document::model)
        .err()
        .expect("refused");
    assert_eq!(error.file, "api/schemas/pet.yaml", "{error}");
    assert_eq!(error.pointer, "#/properties/owner/$ref", "{error}");

    let odd = "type: object\nproperties:\n  id: {type: string, format: made-up-format}\n";
    let model = read(PETS_30, &[("schemas/pet.yaml", odd), ("schemas/owner.yaml", OWNER)])
        .and_then(Document::model)
        .expect("models");
    let warning = model
        .warnings()
        .iter()
        .find(|w| w.message.contains("made-up-format"))
        .expect("warned");
    assert_eq!(warning.file.as_deref(), Some("schemas/pet.yaml"));
    assert_eq!(warning.pointer, "#/properties/id/format");
}

#[test]
fn siblings_of_a_reference_are_followed_and_dotted_schema_names_stay_names() {
    let root = "openapi: 3.1.0
info: {title: T, version: '1'}
paths: {}
components:
  schemas:
    Base: {$ref: 'base.yaml', properties: {extra: {$ref: 'x.yaml#/X'}}}
    io.k8s.Pod: {type: object}
    Any:
      oneOf: [{$ref: '#/components/schemas/io.k8s.Pod'}]
      discriminator: {propertyName: kind, mapping: {pod: io.k8s.Pod}}
";
    let doc = normalized(
        &read(
            root,
            &[("base.yaml", "type: object\n"), ("x.yaml", "X: {type: string}\n")],
        )
        .expect("reads"),
    );
    let schemas = &doc["components"]["schemas"];
    assert_eq!(schemas["X"]["type"], "string", "{schemas}");
    let mapping = &schemas["Any"]["discriminator"]["mapping"]["pod"];
    assert_eq!(mapping, "io.k8s.Pod");
}

#[test]
fn a_long_chain_of_path_items_is_refused_not_a_stack_overflow() {
    let root = "openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths:\n  /a: {$ref: 'p.yaml#/p0'}\n";
    let mut chain = String::new();
    for i in 0..200 {
        chain.push_str(&format!("p{i}: {{$ref: '#/p{}'}}\n", i + 1));
    }
    chain.push_str("p200: {get: {responses: {'200': {description: ok}}}}\n");
    let chain: &'static str = Box::leak(chain.into_boxed_str());
    let error = read(root, &[("p.yaml", chain)]).err().expect("refused");
    assert!(error.message.contains("more than 64 references"), "{error}");
}

#[test]
fn path_items_that_refer_to_each_other_without_end_are_refused() {
    let root = "openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths:\n  /a: {$ref: a.yaml}\n";
    let a = "get:\n  callbacks:\n    again:\n      '{$url}': {$ref: a.yaml}\n  responses: {'200': {description: ok}}\n";
    let error = read(root, &[("a.yaml", a)]).err().expect("refused");
    assert_eq!(error.file, "api/a.yaml");
    assert!(error.message.contains("refers back to itself"), "{error}");
}
