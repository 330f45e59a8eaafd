//! Stage 1b: a document split across files made one document. Each `$ref` to another file
//! (`./schemas.yaml#/Pet`, `paths/pets.yaml`), and each reference inside such a file, is
//! followed:
//!
//! - a schema, parameter, response, request body, header, example, link, callback or security
//!   scheme is copied into its section of `components` (of `definitions`, `parameters` or
//!   `responses` in Swagger 2.0) once, however many references reach it, under the name its
//!   pointer ends with (or its file's stem), and the references point there. A component of the
//!   document that is itself such a reference (`Pet: {$ref: pet.yaml}`) is replaced by what it
//!   refers to, keeping its name. References that come back around (across files too) meet the
//!   component already named, so cycles cost nothing;
//! - a path item, or a node of a kind 2.0 has no section for, is copied in place of the
//!   reference (a cycle there has no copy that ends, and is an error).
//!
//! References anywhere else (in examples, extensions, keys the grammar does not know) are data
//! and stay as written.
//!
//! Remote references (`https://...`) are refused with a message that says how to bundle.
//! Each copy records the file and pointer it came from ([`Origins`]), so later errors and
//! warnings name the file the node is written in.

use crate::error::{Located, Origins};
use crate::grammar::{child, each_held, section, section_map, section_map_mut, Holds, Kind, Step};
use crate::names::unique;
use crate::parse::{self, SpecVersion};
use crate::pointer::{unescape_token, Pointer};
use crate::sources::{self, Files, SourceFile, Target};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet, VecDeque};

/// The longest chain of references copied in place, each inside the copy of the one before
/// (path items referring to path items): the walk recurses once per link.
const MOST_NESTED_COPIES: usize = 64;

/// The most nodes copied in place of references: a bound on documents whose references fan
/// out to copies without end (each file referring twice to the next).
const MOST_COPIES: usize = 20_000;

/// The kinds of node that go in a section of `components` when a reference reaches them.
const SECTIONED: [Kind; 9] = [
    Kind::Schema,
    Kind::Parameter,
    Kind::Response,
    Kind::RequestBody,
    Kind::Header,
    Kind::Example,
    Kind::Link,
    Kind::Callback,
    Kind::SecurityScheme,
];

/// One document from several files.
pub(crate) struct Bundled {
    pub doc: Value,
    /// Where each copied node came from: a file and a pointer in it.
    pub origins: Origins,
    /// The other files read, by path.
    pub files: Vec<SourceFile>,
}

/// `doc` (the file `root`, a path relative to its own folder) with every reference to another
/// file followed through `files`.
pub(crate) fn bundle(doc: Value, version: SpecVersion, root: &str, files: &dyn Files) -> Result<Bundled, Located> {
    if !refers_elsewhere(&doc) {
        return Ok(Bundled {
            doc,
            origins: Origins::default(),
            files: Vec::new(),
        });
    }
    let mut bundler = Bundler::new(&doc, version, root, files);
    let mut doc = doc;
    bundler.name_components_in_place(&doc)?;
    bundler.walk(&mut doc, Kind::Document, &Place::root(root))?;
    bundler.finish(doc)
}

/// Whether any `$ref` in `value` is not a plain `#...` fragment (a cheap test, so a document
/// in one file is not walked twice).
fn refers_elsewhere(value: &Value) -> bool {
    match value {
        Value::Object(map) => map.iter().any(|(key, v)| match (key.as_str(), v) {
            ("$ref", Value::String(r)) => !r.starts_with('#'),
            _ => refers_elsewhere(v),
        }),
        Value::Array(items) => items.iter().any(refers_elsewhere),
        _ => false,
    }
}

/// Where a node is: its file, its pointer there, and its pointer in the bundled document.
#[derive(Debug, Clone)]
struct Place {
    file: String,
    at: Pointer,
    made: Pointer,
}

impl Place {
    fn root(file: &str) -> Self {
        Place {
            file: file.to_owned(),
            at: Pointer::root(),
            made: Pointer::root(),
        }
    }

    fn join(&self, token: impl std::fmt::Display + Copy) -> Self {
        Place {
            file: self.file.clone(),
            at: self.at.join(token),
            made: self.made.join(token),
        }
    }

    /// The place of a node below this one.
    fn step(&self, step: Step<'_>) -> Self {
        Place {
            file: self.file.clone(),
            at: step.from(&self.at),
            made: step.from(&self.made),
        }
    }

    /// An error at this node, in its file.
    fn error(&self, root: &str, message: String) -> Located {
        let mut error = Located::new(self.at.join("$ref"), message);
        if self.file != root {
            error.file = Some(self.file.clone());
        }
        error
    }
}

/// A referenced node: its kind (which decides its section), file and fragment.
type Key = (Kind, String, String);

/// The section a component goes in, as pointer tokens.
type Section = &'static [&'static str];

struct Bundler<'a> {
    files: &'a dyn Files,
    version: SpecVersion,
    root: String,
    /// The other files, parsed, by path.
    loaded: BTreeMap<String, Value>,
    read: Vec<SourceFile>,
    /// The component each referenced node became.
    named: BTreeMap<Key, String>,
    /// Components of the document that are references, replaced in place when walked.
    in_place: BTreeSet<Key>,
    /// Components named but not yet copied, in the order they were first reached.
    pending: VecDeque<(Key, String)>,
    taken: BTreeMap<Section, BTreeSet<String>>,
    added: Vec<(Section, String, Value)>,
    /// The nodes being copied in place, to refuse a cycle of them.
    copying: Vec<(String, String)>,
    copies: usize,
    origins: Origins,
}

impl<'a> Bundler<'a> {
    fn new(doc: &Value, version: SpecVersion, root: &str, files: &'a dyn Files) -> Self {
        let mut taken = BTreeMap::new();
        for kind in SECTIONED {
            if let Some(section) = section(kind, version) {
                taken.insert(
                    section,
                    section_map(doc, section)
                        .into_iter()
                        .flatten()
                        .map(|(name, _)| name.clone())
                        .collect(),
                );
            }
        }
        Bundler {
            files,
            version,
            root: root.to_owned(),
            loaded: BTreeMap::new(),
            read: Vec::new(),
            named: BTreeMap::new(),
            in_place: BTreeSet::new(),
            pending: VecDeque::new(),
            taken,
            added: Vec::new(),
            copying: Vec::new(),
            copies: 0,
            origins: Origins::default(),
        }
    }

    /// Gives each component of the document that is a reference to another file's node the
    /// component's own name for that node, before any other reference can name it.
    fn name_components_in_place(&mut self, doc: &Value) -> Result<(), Located> {
        for kind in SECTIONED {
            let Some(section) = section(kind, self.version) else {
                continue;
            };
            for (name, entry) in section_map(doc, section).into_iter().flatten() {
                let Some(reference) = entry.get("$ref").and_then(Value::as_str) else {
                    continue;
                };
                let place = Place::root(&self.root);
                let Some((file, fragment)) = self.elsewhere(&place, reference)? else {
                    continue;
                };
                let key = (kind, file, fragment);
                if !self.named.contains_key(&key) {
                    self.named.insert(key.clone(), name.clone());
                    self.in_place.insert(key);
                }
            }
        }
        Ok(())
    }

    /// Follows the references in `node`, a node of `kind` at `place`.
    fn walk(&mut self, node: &mut Value, kind: Kind, place: &Place) -> Result<(), Located> {
        let reference = node.get("$ref").and_then(Value::as_str).map(str::to_owned);
        if let Value::Object(map) = node {
            // A reference's siblings (3.1 allows them) are walked too, before it is followed.
            for (key, value) in map.iter_mut().filter(|(key, _)| *key != "$ref") {
                if kind == Kind::Schema && key == "discriminator" {
                    self.mapping(value, &place.join(key.as_str()))?;
                    continue;
                }
                if let Some((holds, inner)) = child(kind, key) {
                    self.walk_child(value, holds, inner, &place.join(key.as_str()))?;
                }
            }
        }
        match reference {
            Some(reference) => self.reference(node, &reference, kind, place),
            None => Ok(()),
        }
    }

    fn walk_child(&mut self, value: &mut Value, holds: Holds, kind: Kind, place: &Place) -> Result<(), Located> {
        each_held(value, holds, &mut |v, step| self.walk(v, kind, &place.step(step)))
    }

    /// The file and fragment a reference written at `place` points to, when that is not a
    /// node of the document itself (whose references stay as they are).
    fn elsewhere(&self, place: &Place, reference: &str) -> Result<Option<(String, String)>, Located> {
        let target = sources::resolve(&place.file, reference).map_err(|m| place.error(&self.root, m))?;
        Ok(match target {
            Target::Here(fragment) if place.file != self.root => Some((place.file.clone(), fragment)),
            Target::File(file, fragment) if file != self.root => Some((file, fragment)),
            Target::Here(_) | Target::File(..) => None,
        })
    }

    /// Follows the reference `node` is.
    fn reference(&mut self, node: &mut Value, reference: &str, kind: Kind, place: &Place) -> Result<(), Located> {
        let Some((file, fragment)) = self.elsewhere(place, reference)? else {
            // A node of the document, referred to from another file by the document's name:
            // written as the document itself writes it.
            if !reference.starts_with('#') {
                let fragment = reference
                    .split_once('#')
                    .map_or("#".to_owned(), |(_, f)| format!("#{f}"));
                node["$ref"] = Value::String(fragment);
            }
            return Ok(());
        };
        let Some(section) = section(kind, self.version) else {
            return self.copy_in_place(node, kind, (file, fragment), place);
        };
        let key = (kind, file, fragment);
        let here = self.named.get(&key).map(|name| Pointer::at(section).join(name));
        if here.as_ref() == Some(&place.made) && self.in_place.remove(&key) {
            // A component of the document that is this reference: it becomes the node.
            let (_, file, fragment) = key;
            return self.copy_in_place(node, kind, (file, fragment), place);
        }
        let name = self.component(key, section, place)?;
        node["$ref"] = Value::String(Pointer::at(section).join(name).to_string());
        Ok(())
    }

    /// The component name of a referenced node, named (and queued for copying) if new.
    fn component(&mut self, key: Key, section: Section, place: &Place) -> Result<String, Located> {
        if let Some(name) = self.named.get(&key) {
            return Ok(name.clone());
        }
        // Read now, so a reference to nothing is reported where it is written.
        self.target(&key.1, &key.2, place)?;
        let wanted = wanted_name(&key.1, &key.2);
        let taken = self.taken.entry(section).or_default();
        let name = unique(taken, wanted);
        self.named.insert(key.clone(), name.clone());
        self.pending.push_back((key, name.clone()));
        Ok(name)
    }

    /// Replaces `node` (a reference) with a copy of what it points to, its own references
    /// followed; keys beside the `$ref` are kept over the copy's.
    fn copy_in_place(
        &mut self,
        node: &mut Value,
        kind: Kind,
        (file, fragment): (String, String),
        place: &Place,
    ) -> Result<(), Located> {
        let id = (file, fragment);
        if self.copying.len() >= MOST_NESTED_COPIES {
            return Err(place.error(
                &self.root,
                format!("more than {MOST_NESTED_COPIES} references copied in place lead one to the next here: bundle the document, or shorten the chain"),
            ));
        }
        if self.copying.contains(&id) {
            return Err(place.error(
                &self.root,
                format!("{}{} refers back to itself through references that are copied in place (path items): such a cycle has no end", id.0, id.1),
            ));
        }
        self.copies += 1;
        if self.copies > MOST_COPIES {
            return Err(place.error(&self.root, format!("more than {MOST_COPIES} nodes copied in place of references: the files refer to each other without end")));
        }
        let mut copy = self.target(&id.0, &id.1, place)?.clone();
        let from = Place {
            file: id.0.clone(),
            at: fragment_pointer(&id.1),
            made: place.made.clone(),
        };
        self.copying.push(id);
        let walked = self.walk(&mut copy, kind, &from);
        self.copying.pop();
        walked?;
        if let (Value::Object(copy), Value::Object(beside)) = (&mut copy, &*node) {
            for (key, value) in beside.iter().filter(|(k, _)| *k != "$ref") {
                copy.insert(key.clone(), value.clone());
            }
        }
        self.origins.add_in(place.made.clone(), from.at, &from.file);
        *node = copy;
        Ok(())
    }

    /// Points the discriminator's mapping at the components the mapped files became.
    fn mapping(&mut self, discriminator: &mut Value, place: &Place) -> Result<(), Located> {
        let Some(Value::Object(mapping)) = discriminator.get_mut("mapping") else {
            return Ok(());
        };
        let section = section(Kind::Schema, self.version).unwrap_or(&["definitions"]);
        for (value, target) in mapping.iter_mut() {
            let Value::String(reference) = target else { continue };
            // A schema name stays as it is (`Dog`, `io.k8s.api.core.v1.Pod`); a reference has a
            // fragment, a folder or a document's extension.
            let file_like = [".yaml", ".yml", ".json"].iter().any(|ext| reference.ends_with(ext));
            if !reference.contains(['#', '/']) && !file_like {
                continue;
            }
            let at = place.join("mapping").join(value.as_str());
            if let Some((file, fragment)) = self.elsewhere(&at, reference)? {
                let name = self.component((Kind::Schema, file, fragment), section, &at)?;
                *reference = Pointer::at(section).join(name).to_string();
            }
        }
        Ok(())
    }

    /// The node `fragment` points to in `file`, read and parsed the first time.
    fn target(&mut self, file: &str, fragment: &str, place: &Place) -> Result<&Value, Located> {
        if !self.loaded.contains_key(file) {
            let bytes = self.files.read(file).map_err(|e| {
                place.error(
                    &self.root,
                    format!("the file {file} that a reference names cannot be read: {e}"),
                )
            })?;
            let value = parse::parse(&bytes).map_err(|mut e| {
                e.file = Some(file.to_owned());
                e
            })?;
            self.read.push(SourceFile::new(file, &bytes));
            self.loaded.insert(file.to_owned(), value);
        }
        let value = self.loaded.get(file).and_then(|v| lookup(v, fragment));
        value.ok_or_else(|| place.error(&self.root, format!("{file} has no node at {fragment}")))
    }

    /// Copies the queued components, following their references (which may queue more), and
    /// puts them in the document.
    fn finish(mut self, mut doc: Value) -> Result<Bundled, Located> {
        while let Some(((kind, file, fragment), name)) = self.pending.pop_front() {
            let section = section(kind, self.version).unwrap_or(&["definitions"]);
            let made = Pointer::at(section).join(&name);
            let place = Place {
                file: file.clone(),
                at: fragment_pointer(&fragment),
                made: made.clone(),
            };
            let mut copy = self.target(&file, &fragment, &place)?.clone();
            self.walk(&mut copy, kind, &place)?;
            self.origins.add_in(made, place.at, &file);
            self.added.push((section, name, copy));
        }
        for (section, name, copy) in self.added {
            if let Some(entries) = section_map_mut(&mut doc, section) {
                entries.insert(name, copy);
            }
        }
        self.read.sort();
        Ok(Bundled {
            doc,
            origins: self.origins,
            files: self.read,
        })
    }
}

/// The node at a fragment (`#/a/b`, percent-encoded or not) of a parsed file.
fn lookup<'v>(value: &'v Value, fragment: &str) -> Option<&'v Value> {
    let pointer = fragment.strip_prefix('#')?;
    value
        .pointer(pointer)
        .or_else(|| value.pointer(&sources::percent_decoded(pointer)))
}

fn fragment_pointer(fragment: &str) -> Pointer {
    Pointer::parse(&sources::percent_decoded(fragment)).unwrap_or_else(Pointer::root)
}

/// The name a referenced node asks for: the last token of its pointer, or its file's stem.
fn wanted_name(file: &str, fragment: &str) -> String {
    match fragment.rsplit_once('/') {
        Some((_, last)) if !last.is_empty() => unescape_token(&sources::percent_decoded(last)),
        _ => sources::stem(file),
    }
}

#[cfg(test)]
mod tests;
