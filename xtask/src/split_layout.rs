//! `cargo xtask bench split DOCUMENT...`: what a layout of one crate per tag plus one of
//! shared types would make of a document, from the model alone (nothing is compiled).
//!
//! Each type compiles with the features of the tags whose operations reach it. In a split
//! layout a type one tag reaches goes into that tag's crate, and a type two or more tags reach
//! into the crate of shared types, which every tag's crate depends on and which cargo must
//! build before any of them. What a split can gain (tags built in parallel, a change rebuilding
//! one tag) is bounded by how much of the code is in that shared crate. Sizes are counted in
//! members: a struct's fields, an enum's variants, a union's variants, one for an alias. Types
//! no operation reaches (the `standalone-types` feature) and webhooks' are in neither.

use openapi_crate_gen_core::model::{Api, TypeDef, TypeKind, STANDALONE, WEBHOOKS};
use std::collections::BTreeMap;

/// One document's figures.
struct Split {
    tags: usize,
    types: usize,
    members: usize,
    shared_types: usize,
    shared_members: usize,
    /// The tag whose crate would need the most members (its own and the shared ones it
    /// reaches), with its own members and the shared members it reaches.
    largest: Option<(String, usize, usize)>,
}

/// A type's size in members (see the module docs).
fn members(t: &TypeDef) -> usize {
    match &t.kind {
        TypeKind::Struct(fields) => fields.len().max(1),
        TypeKind::Enum(variants) | TypeKind::IntEnum(variants) => variants.len().max(1),
        TypeKind::Union { variants, .. } => variants.len().max(1),
        _ => 1,
    }
}

fn split(api: &Api) -> Split {
    let mut own: BTreeMap<&str, usize> = BTreeMap::new();
    let mut reached_shared: BTreeMap<&str, usize> = BTreeMap::new();
    let (mut shared_types, mut shared_members, mut total) = (0, 0, 0);
    for t in api.types() {
        let size = members(t);
        total += size;
        // The features of tags: not those of the types no operation reaches, nor webhooks'.
        let tags: Vec<&String> = t
            .features
            .iter()
            .filter(|f| f.as_str() != STANDALONE && f.as_str() != WEBHOOKS)
            .collect();
        match tags.as_slice() {
            [tag] => *own.entry(tag.as_str()).or_default() += size,
            several if several.len() > 1 => {
                shared_types += 1;
                shared_members += size;
                for tag in several {
                    *reached_shared.entry(tag.as_str()).or_default() += size;
                }
            }
            // Types no operation reaches, and every type of a document without tags.
            _ => {}
        }
    }
    let mut tags: Vec<&str> = own.keys().chain(reached_shared.keys()).copied().collect();
    tags.sort_unstable();
    tags.dedup();
    let largest = tags
        .iter()
        .map(|tag| {
            let mine = own.get(tag).copied().unwrap_or(0);
            let shared = reached_shared.get(tag).copied().unwrap_or(0);
            ((*tag).to_owned(), mine, shared)
        })
        .max_by_key(|(tag, mine, shared)| (mine + shared, std::cmp::Reverse(tag.clone())));
    Split {
        tags: tags.len(),
        types: api.types().len(),
        members: total,
        shared_types,
        shared_members,
        largest,
    }
}

fn percent(part: usize, whole: usize) -> String {
    format!("{:.0} %", part as f64 * 100.0 / whole.max(1) as f64)
}

/// Prints the table for the documents.
pub fn run(documents: &[&str]) -> Result<(), String> {
    println!(
        "| document | tags | types | members | shared types | shared members | largest tag: own + shared members |"
    );
    println!("| --- | ---: | ---: | ---: | ---: | ---: | --- |");
    for document in documents {
        let bytes = std::fs::read(document).map_err(|e| format!("{document}: {e}"))?;
        let name = std::path::Path::new(document)
            .file_name()
            .map_or_else(|| (*document).to_owned(), |n| n.to_string_lossy().into_owned());
        let api = openapi_crate_gen_core::build_model(&name, &bytes).map_err(|e| e.to_string())?;
        let s = split(&api);
        let largest = s.largest.map_or_else(
            || "-".to_owned(),
            |(tag, mine, shared)| format!("`{tag}`: {mine} + {shared}"),
        );
        println!(
            "| {name} | {} | {} | {} | {} ({}) | {} ({}) | {largest} |",
            s.tags,
            s.types,
            s.members,
            s.shared_types,
            percent(s.shared_types, s.types),
            s.shared_members,
            percent(s.shared_members, s.members),
        );
    }
    Ok(())
}
