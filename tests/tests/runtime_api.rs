//! The runtime crate's semver, checked against its last released version.
//!
//! `runtime/api.txt` lists the public API of that version: its version on the first line, then
//! one line per public item of `runtime/src` with its signature (functions without their
//! bodies, structs with their public fields, enums, traits, each name a `pub use` re-exports,
//! each arm of an exported macro, and the trait impls, docs left out). An item removed or changed since is a breaking change, and
//! the runtime's version in `runtime/Cargo.toml` must then be a breaking bump of the recorded
//! one (0.1.x to 0.2.0, 1.x to 2.0.0). Items added are compatible. At a release,
//! `RUNTIME_API=record cargo test -p tests --test runtime_api` records the new listing.
//!
//! This stands in for `cargo semver-checks`, which needs a released version to compare with
//! and takes minutes to build: every item whose signature changes counts as breaking, which is
//! stricter than it needs to be (a new default type parameter, say), never looser.

use quote::ToTokens;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn runtime_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../runtime")
}

fn is_doc(attr: &syn::Attribute) -> bool {
    attr.path().is_ident("doc")
}

/// `attrs` without docs, as they read in a signature.
fn attrs(attrs: &[syn::Attribute]) -> String {
    attrs
        .iter()
        .filter(|a| !is_doc(a))
        .map(|a| a.to_token_stream().to_string())
        .collect::<Vec<_>>()
        .join(" ")
}

fn is_test_only(attrs: &[syn::Attribute]) -> bool {
    attrs
        .iter()
        .any(|a| a.path().is_ident("cfg") && a.to_token_stream().to_string().contains("test"))
}

fn is_pub(vis: &syn::Visibility) -> bool {
    matches!(vis, syn::Visibility::Public(_))
}

/// Adds the line of one item of `module`: its attributes but docs, then `text`.
fn push(out: &mut BTreeSet<String>, module: &str, attrs_of: &[syn::Attribute], text: String) {
    let a = attrs(attrs_of);
    out.insert(format!("{module}: {a}{}{text}", if a.is_empty() { "" } else { " " }));
}

/// The matchers of a `macro_rules!` body, what callers must keep writing; the expansions may
/// change.
fn matchers(body: &proc_macro2::TokenStream) -> Vec<String> {
    let tokens: Vec<proc_macro2::TokenTree> = body.clone().into_iter().collect();
    let arrow = |i: usize| matches!((tokens.get(i), tokens.get(i + 1)), (Some(proc_macro2::TokenTree::Punct(a)), Some(proc_macro2::TokenTree::Punct(b))) if a.as_char() == '=' && b.as_char() == '>');
    (0..tokens.len())
        .filter(|i| arrow(i + 1))
        .map(|i| tokens[i].to_string())
        .collect()
}

/// Each path a `pub use` tree re-exports (`codec::int64_string`), renames written `as`.
fn use_paths(tree: &syn::UseTree, prefix: &str) -> Vec<String> {
    match tree {
        syn::UseTree::Path(p) => use_paths(&p.tree, &format!("{prefix}{}::", p.ident)),
        syn::UseTree::Name(n) => vec![format!("{prefix}{}", n.ident)],
        syn::UseTree::Rename(r) => vec![format!("{prefix}{} as {}", r.ident, r.rename)],
        syn::UseTree::Glob(_) => vec![format!("{prefix}*")],
        syn::UseTree::Group(g) => g.items.iter().flat_map(|t| use_paths(t, prefix)).collect(),
    }
}

/// The last name of a type's path (`Client` of `super::Client<B>`), or nothing.
fn last_ident(ty: &syn::Type) -> String {
    match ty {
        syn::Type::Path(p) => p.path.segments.last().map(|s| s.ident.to_string()).unwrap_or_default(),
        _ => String::new(),
    }
}

/// The names of the public types and traits among `items`.
fn public_types(items: &[syn::Item], out: &mut BTreeSet<String>) {
    for item in items {
        match item {
            syn::Item::Struct(s) if is_pub(&s.vis) => {
                out.insert(s.ident.to_string());
            }
            syn::Item::Enum(e) if is_pub(&e.vis) => {
                out.insert(e.ident.to_string());
            }
            syn::Item::Trait(t) if is_pub(&t.vis) => {
                out.insert(t.ident.to_string());
            }
            syn::Item::Type(t) if is_pub(&t.vis) => {
                out.insert(t.ident.to_string());
            }
            _ => {}
        }
    }
}

/// The lines of a public enum. A `#[non_exhaustive]` one has a line of its own and one per
/// variant, since callers cannot match it exhaustively and a variant added breaks nothing;
/// another is one line, variants and all. Docs are left out, the fields' included.
fn enum_lines(module: &str, e: &syn::ItemEnum, out: &mut BTreeSet<String>) {
    let mut shape = e.clone();
    shape.attrs.retain(|a| !is_doc(a));
    for v in &mut shape.variants {
        v.attrs.retain(|a| !is_doc(a));
        for f in &mut v.fields {
            f.attrs.retain(|a| !is_doc(a));
        }
    }
    if !shape.attrs.iter().any(|a| a.path().is_ident("non_exhaustive")) {
        push(out, module, &[], shape.to_token_stream().to_string());
        return;
    }
    let generics = shape.generics.to_token_stream().to_string();
    let name = format!(
        "enum {}{}{generics}",
        shape.ident,
        if generics.is_empty() { "" } else { " " }
    );
    push(out, module, &shape.attrs, name.clone());
    for v in &shape.variants {
        push(
            out,
            module,
            &shape.attrs,
            format!("{name} variant {}", v.to_token_stream()),
        );
    }
}

/// The lines of the public items among `items`, each prefixed with `module`; `public` names
/// the public types, whose impls are part of the API.
fn listing(module: &str, items: &[syn::Item], public: &BTreeSet<String>, out: &mut BTreeSet<String>) {
    for item in items {
        match item {
            syn::Item::Fn(f) if is_pub(&f.vis) => push(out, module, &f.attrs, f.sig.to_token_stream().to_string()),
            syn::Item::Struct(s) if is_pub(&s.vis) => {
                let mut shape = s.clone();
                shape.attrs.retain(|a| !is_doc(a));
                if let syn::Fields::Named(named) = &mut shape.fields {
                    named.named = named
                        .named
                        .iter()
                        .filter(|f| is_pub(&f.vis))
                        .cloned()
                        .map(|mut f| {
                            f.attrs.retain(|a| !is_doc(a));
                            f
                        })
                        .collect();
                }
                push(out, module, &[], shape.to_token_stream().to_string());
            }
            syn::Item::Enum(e) if is_pub(&e.vis) => enum_lines(module, e, out),
            syn::Item::Trait(t) if is_pub(&t.vis) => {
                let methods: Vec<String> = t
                    .items
                    .iter()
                    .filter_map(|i| match i {
                        syn::TraitItem::Fn(f) => Some(f.sig.to_token_stream().to_string()),
                        _ => None,
                    })
                    .collect();
                push(
                    out,
                    module,
                    &t.attrs,
                    format!("trait {} {}", t.ident, methods.join("; ")),
                );
            }
            syn::Item::Type(t) if is_pub(&t.vis) => push(
                out,
                module,
                &t.attrs,
                format!("type {} = {}", t.ident, t.ty.to_token_stream()),
            ),
            syn::Item::Const(c) if is_pub(&c.vis) => push(
                out,
                module,
                &c.attrs,
                format!("const {}: {}", c.ident, c.ty.to_token_stream()),
            ),
            syn::Item::Static(s) if is_pub(&s.vis) => push(
                out,
                module,
                &s.attrs,
                format!("static {}: {}", s.ident, s.ty.to_token_stream()),
            ),
            // One line per name re-exported and per macro arm, so adding one is no change to
            // the others.
            syn::Item::Use(u) if is_pub(&u.vis) => {
                for path in use_paths(&u.tree, "") {
                    push(out, module, &u.attrs, format!("use {path}"));
                }
            }
            syn::Item::Macro(m) if m.attrs.iter().any(|a| a.path().is_ident("macro_export")) => {
                let name = m.ident.as_ref().map(ToString::to_string).unwrap_or_default();
                for arm in matchers(&m.mac.tokens) {
                    push(out, module, &m.attrs, format!("macro {name} {arm}"));
                }
            }
            syn::Item::Impl(i) if !is_test_only(&i.attrs) && public.contains(&last_ident(&i.self_ty)) => {
                let target = i.self_ty.to_token_stream().to_string();
                let generics = i.generics.to_token_stream().to_string();
                match &i.trait_ {
                    Some((path, _)) => {
                        push(
                            out,
                            module,
                            &i.attrs,
                            format!("impl{generics} {} for {target}", path.to_token_stream()),
                        );
                    }
                    None => {
                        for f in i.items.iter().filter_map(|it| match it {
                            syn::ImplItem::Fn(f) if is_pub(&f.vis) => Some(f),
                            _ => None,
                        }) {
                            push(
                                out,
                                module,
                                &f.attrs,
                                format!("impl{generics} {target} {{ {} }}", f.sig.to_token_stream()),
                            );
                        }
                    }
                }
            }
            syn::Item::Mod(m) if !is_test_only(&m.attrs) => {
                if let Some((_, inner)) = &m.content {
                    listing(&format!("{module}::{}", m.ident), inner, public, out);
                } else if is_pub(&m.vis) {
                    push(out, module, &m.attrs, format!("mod {}", m.ident));
                }
            }
            _ => {}
        }
    }
}

/// The public API of the runtime's sources, one line per item, sorted.
fn current_api() -> BTreeSet<String> {
    let src = runtime_dir().join("src");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&src)
        .expect("the runtime's sources")
        .filter_map(|e| Some(e.ok()?.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "rs"))
        .collect();
    files.sort();
    let parsed: Vec<(String, syn::File)> = files
        .iter()
        .map(|path| {
            let text = std::fs::read_to_string(path).expect("readable");
            let file = syn::parse_file(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            (
                path.file_stem().expect("a file name").to_string_lossy().into_owned(),
                file,
            )
        })
        .collect();
    let mut public = BTreeSet::new();
    for (_, file) in &parsed {
        public_types(&file.items, &mut public);
    }
    let mut out = BTreeSet::new();
    for (module, file) in &parsed {
        listing(module, &file.items, &public, &mut out);
    }
    out
}

/// The version in a manifest's `[package]` table.
fn package_version(manifest: &str) -> String {
    manifest
        .lines()
        .find_map(|l| l.strip_prefix("version = \""))
        .and_then(|rest| rest.split('"').next())
        .expect("a version line")
        .to_owned()
}

/// Whether `to` is a breaking bump of `from` under Cargo's rules: the first non-zero component
/// (or the patch of 0.0.x) grew.
fn breaking_bump(from: &str, to: &str) -> bool {
    let parse = |v: &str| -> Vec<u64> {
        v.split(['.', '-', '+'])
            .take(3)
            .map(|n| n.parse().unwrap_or(0))
            .collect()
    };
    let (a, b) = (parse(from), parse(to));
    let significant = a.iter().position(|n| *n != 0).unwrap_or(2);
    b[..significant] > a[..significant] || (b[..significant] == a[..significant] && b[significant] > a[significant])
}

/// Why the current API may not ship under `version`, given the recorded `released` one.
fn verdict(released: (&str, &BTreeSet<String>), current: (&str, &BTreeSet<String>)) -> Result<(), String> {
    let removed: Vec<&String> = released.1.difference(current.1).collect();
    if removed.is_empty() || breaking_bump(released.0, current.0) {
        return Ok(());
    }
    Err(format!(
        "the runtime's public API changed incompatibly since {} (recorded in runtime/api.txt), and its version is \
         still {}: bump it in runtime/Cargo.toml (and the generator's, which asks for the same), or keep these \
         items as they were:\n{}",
        released.0,
        current.0,
        removed.iter().map(|l| format!("  {l}")).collect::<Vec<_>>().join("\n")
    ))
}

#[test]
fn the_runtime_keeps_the_api_of_its_last_release_or_says_it_breaks_it() {
    let manifest = std::fs::read_to_string(runtime_dir().join("Cargo.toml")).expect("the runtime's manifest");
    let version = package_version(&manifest);
    let current = current_api();
    let recorded_path = runtime_dir().join("api.txt");
    if std::env::var_os("RUNTIME_API").is_some_and(|v| v == "record") {
        let text = format!(
            "version {version}\n{}\n",
            current.iter().cloned().collect::<Vec<_>>().join("\n")
        );
        std::fs::write(&recorded_path, text).expect("writes runtime/api.txt");
        return;
    }
    let recorded = std::fs::read_to_string(&recorded_path).expect("runtime/api.txt");
    let mut lines = recorded.lines();
    let released = lines
        .next()
        .and_then(|l| l.strip_prefix("version "))
        .expect("runtime/api.txt starts with its version")
        .to_owned();
    let released_api: BTreeSet<String> = lines.map(str::to_owned).collect();
    if let Err(why) = verdict((&released, &released_api), (&version, &current)) {
        panic!("{why}");
    }
}

#[test]
fn a_removed_or_changed_item_needs_a_breaking_version() {
    let api = current_api();
    assert!(
        api.len() > 100,
        "the listing finds the runtime's items ({} found)",
        api.len()
    );
    let mut changed = api.clone();
    let item = api
        .iter()
        .find(|l| l.starts_with("retry: "))
        .expect("a public item of retry.rs")
        .clone();
    changed.remove(&item);
    changed.insert(format!("{item} + 'static"));
    assert!(verdict(("0.1.0", &api), ("0.1.0", &changed)).is_err());
    assert!(verdict(("0.1.0", &api), ("0.1.3", &changed)).is_err());
    assert!(verdict(("0.1.0", &api), ("0.2.0", &changed)).is_ok());
    assert!(verdict(("1.4.2", &api), ("2.0.0", &changed)).is_ok());
    assert!(verdict(("1.4.2", &api), ("1.5.0", &changed)).is_err());
    // Only added: compatible.
    let mut added = api.clone();
    added.insert("retry: pub fn new_thing ()".to_owned());
    assert!(verdict(("0.1.0", &api), ("0.1.0", &added)).is_ok());
}
