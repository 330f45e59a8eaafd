//! `cli.rs` (behind the `cli` feature): the tables of the command-line tool, one subcommand per
//! operation grouped by its first tag, and the code that turns each subcommand's arguments into
//! a call. Parsing, credentials, printing and exit statuses are the runtime's (`runtime::cli`).

use super::{ident, ty_tokens, Settings};
use crate::model::{Api, Body, Location, Operation, Param, Success, Ty, TypeKind};
use crate::names::kebab;
use proc_macro2::{Literal, TokenStream};
use quote::quote;
use std::collections::BTreeSet;

/// The module's opening: its docs, [`main`] and `main_with`, and what each subcommand's code
/// shares.
pub(super) fn opening(api: &Api, settings: &Settings) -> TokenStream {
    let title = api.title.replace('\n', " ");
    let about = format!("{title} {} from the command line", api.version);
    let main_doc = format!(
        "Runs the tool with this process's arguments (`bin` is the program's name), its credentials \
         and server from the environment variables of [`ENVIRONMENT`](super::ENVIRONMENT) \
         (`{}_...`), as `--help` lists them.",
        settings.env_prefix
    );
    quote! {
        //! The command-line tool: one subcommand per operation, grouped by tag. [`main`] runs
        //! it, and a crate's binary is one line that calls it.
        use super::runtime::cli;
        use super::Client;

        #[doc = #main_doc]
        pub fn main(bin: &'static str) -> std::process::ExitCode {
            main_with(bin, &[])
        }

        /// As [`main`], with flags the application adds to some subcommands
        /// ([`Extra`](cli::Extra)), such as a `--wait` that polls until long-running work ends.
        pub fn main_with(bin: &'static str, extras: &'static [cli::Extra<Client>]) -> std::process::ExitCode {
            cli::main(&cli::Tool {
                bin,
                about: #about,
                env: &super::ENVIRONMENT,
                builder: || Client::builder().into(),
                commands: COMMANDS,
                run,
                extras,
            })
        }

        /// What a subcommand's call comes to: its output, or why it failed.
        type Answer<'a> = std::pin::Pin<Box<dyn std::future::Future<Output = Result<cli::Output<'a>, cli::Failure>> + 'a>>;

        /// A subcommand's call, boxed.
        fn boxed<'a>(call: impl std::future::Future<Output = Result<cli::Output<'a>, cli::Failure>> + 'a) -> Answer<'a> {
            Box::pin(call)
        }
    }
}

/// The subcommands of the operations in `range`, each a table (`COMMAND_...`) and the function
/// that makes its call (`run_...`); `names` are every operation's group and name.
pub(super) fn items(api: &Api, names: &[(String, String)], range: std::ops::Range<usize>) -> TokenStream {
    let items = api.operations[range.clone()]
        .iter()
        .zip(&names[range])
        .map(|(op, (group, name))| {
            let (table, function) = (command_name(op), run_name(op));
            let command = command(api, op, group, name);
            let call = call(op);
            let cfg = super::cfg(&op.features);
            quote! {
                #cfg
                const #table: cli::Command = #command;

                #cfg
                #[allow(deprecated, unused_mut, unused_variables, clippy::too_many_lines)]
                fn #function<'a>(client: &'a Client, command: &'static cli::Command, m: &'a cli::clap::ArgMatches) -> Answer<'a> {
                    boxed(async move { #call })
                }
            }
        });
    quote!(#(#items)*)
}

/// The module's closing: every subcommand's table, and the call of each by its id.
pub(super) fn closing(api: &Api) -> TokenStream {
    let tables = api.operations.iter().map(|op| {
        let (cfg, table) = (super::cfg(&op.features), command_name(op));
        quote!(#cfg #table)
    });
    let arms = api.operations.iter().map(|op| {
        let (cfg, id, function) = (super::cfg(&op.features), &op.method_name, run_name(op));
        quote!(#cfg #id => #function(client, command, m),)
    });
    let unused = if api.operations.is_empty() {
        quote!(let _ = (client, m);)
    } else {
        quote!()
    };
    quote! {
        /// Every subcommand, in the order of the operations.
        pub static COMMANDS: &[cli::Command] = &[#(#tables),*];

        fn run<'a>(client: &'a Client, command: &'static cli::Command, m: &'a cli::clap::ArgMatches) -> Answer<'a> {
            #unused
            match command.id {
                #(#arms)*
                other => boxed(async move { Err(cli::Failure::usage(format!("no operation {other}"))) }),
            }
        }
    }
}

/// The name of an operation's subcommand table.
fn command_name(op: &Operation) -> proc_macro2::Ident {
    quote::format_ident!("COMMAND_{}", op.method_name.to_ascii_uppercase())
}

/// The name of the function that makes an operation's call.
fn run_name(op: &Operation) -> proc_macro2::Ident {
    quote::format_ident!("run_{}", op.method_name)
}

/// Each operation's group and name: the first tag in kebab-case (`other` without one; none at
/// all when the document tags no operation, so the subcommands are the tool's own), and the
/// method name without the tag's words (`list_installs` under `Install` is `list`), unless that
/// leaves nothing or is taken in the group, when it is the whole method name.
pub(super) fn command_names(api: &Api) -> Vec<(String, String)> {
    let tagged = api.operations.iter().any(|op| !op.tags.is_empty());
    let wanted: Vec<(String, String, String)> = api
        .operations
        .iter()
        .map(|op| {
            let group = match op.tags.first() {
                Some(tag) => kebab(tag),
                None if tagged => "other".to_owned(),
                None => String::new(),
            };
            let tag_words: BTreeSet<String> = group
                .split('-')
                .filter(|w| !w.is_empty())
                .flat_map(|w| [w.to_owned(), format!("{w}s"), format!("{w}es")])
                .collect();
            let full = kebab(&op.method_name);
            let short: Vec<&str> = full.split('-').filter(|w| !tag_words.contains(*w)).collect();
            (group, short.join("-"), full)
        })
        .collect();
    let mut uses: std::collections::HashMap<(&str, &str), usize> = std::collections::HashMap::new();
    for (group, short, _) in &wanted {
        *uses.entry((group, short)).or_default() += 1;
    }
    wanted
        .iter()
        .map(|(group, short, full)| {
            let clashes = uses.get(&(group.as_str(), short.as_str())).copied().unwrap_or(0) > 1;
            let name = if short.is_empty() || clashes { full } else { short };
            // clap's own `help` subcommand keeps its name.
            let own = |n: &str| if n == "help" { format!("{n}-op") } else { n.to_owned() };
            (own(group), own(name))
        })
        .collect()
}

fn command(api: &Api, op: &Operation, group: &str, name: &str) -> TokenStream {
    let about = op
        .summary
        .as_deref()
        .or(op.description.as_deref())
        .and_then(|t| t.lines().next())
        .unwrap_or("")
        .trim()
        .to_owned();
    let about = if about.is_empty() {
        format!("{} {}", op.method, op.path)
    } else {
        format!("{about} ({} {})", op.method, op.path)
    };
    let flags = flags(&op.params);
    let args = op.params.iter().zip(&flags).map(|(p, flag)| arg(api, p, flag));
    let body = match &op.body {
        None => quote!(cli::Body::None),
        Some(b) if b.required => quote!(cli::Body::Required),
        Some(_) => quote!(cli::Body::Optional),
    };
    let pages = op.paging.is_some();
    let fields = body_fields(api, op, &flags);
    let id = &op.method_name;
    quote! {
        cli::Command {
            id: #id,
            group: #group,
            name: #name,
            about: #about,
            args: &[#(#args),*],
            body: #body,
            fields: &[#(#fields),*],
            pages: #pages,
        }
    }
}

/// The flags the tool gives an operation itself, and clap's own.
const TAKEN_FLAGS: &[&str] = &["base-url", "timeout", "retries", "body", "all", "help", "version"];

/// Each parameter's flag: its wire name in kebab-case, or, where that is taken (by the tool's
/// own flags or another parameter), the builder's name for it, which is unique.
fn flags(params: &[Param]) -> Vec<String> {
    let wanted: Vec<String> = params.iter().map(|p| kebab(&p.wire)).collect();
    params
        .iter()
        .zip(&wanted)
        .map(|(p, flag)| {
            let shared = wanted.iter().filter(|w| *w == flag).count() > 1;
            if !shared && !TAKEN_FLAGS.contains(&flag.as_str()) {
                return flag.clone();
            }
            let own = p.name.trim_start_matches("r#").trim_end_matches('_').replace('_', "-");
            if TAKEN_FLAGS.contains(&own.as_str()) {
                format!("{own}-param")
            } else {
                own
            }
        })
        .collect()
}

fn arg(api: &Api, p: &Param, flag: &str) -> TokenStream {
    let help = first_line(p.doc.as_deref());
    // What the server assumes without the flag (the tool sends nothing then).
    let help = match &p.default {
        Some(default) => format!("{help} [server default: {}]", default.replace(['\r', '\n'], " "))
            .trim()
            .to_owned(),
        None => help,
    };
    let positional = p.location == Location::Path && p.required;
    arg_tokens(api, &p.name, flag, &help, &p.ty, positional, p.required)
}

/// The first line of a description, for help.
fn first_line(doc: Option<&str>) -> String {
    doc.and_then(|d| d.lines().next()).unwrap_or("").trim().to_owned()
}

/// A `cli::Arg` taking values of `ty` (one per flag given, for a list).
fn arg_tokens(api: &Api, id: &str, flag: &str, help: &str, ty: &Ty, positional: bool, required: bool) -> TokenStream {
    let (inner, multiple) = match ty {
        Ty::Vec(inner) => (&**inner, true),
        other => (other, false),
    };
    let kind = if text_like(api, inner) {
        quote!(cli::Kind::Text)
    } else {
        quote!(cli::Kind::Json)
    };
    let values = enum_values(api, inner);
    let value_name = value_name(api, inner);
    quote! {
        cli::Arg {
            id: #id,
            flag: #flag,
            help: #help,
            value_name: #value_name,
            kind: #kind,
            positional: #positional,
            required: #required,
            values: &[#(#values),*],
            multiple: #multiple,
        }
    }
}

/// Flags for the fields of a flat JSON or form body (every field a scalar, an enum, or a list
/// of them), each named after the field's wire name; none when a field is not flat, or when a
/// name is taken (by a parameter's flag, or the tool's own), so `--body` is the way then.
fn body_fields(api: &Api, op: &Operation, taken: &[String]) -> Vec<TokenStream> {
    let Some(body) = &op.body else { return Vec::new() };
    if body.ty == Ty::Upload {
        return Vec::new();
    }
    let Some(fields) = api.struct_fields(&body.ty) else {
        return Vec::new();
    };
    let flat = |ty: &Ty| match ty {
        Ty::Vec(inner) => scalar(api, inner),
        other => scalar(api, other),
    };
    if fields.is_empty() || !fields.iter().all(|f| flat(&f.ty) && !f.boxed) {
        return Vec::new();
    }
    let flags: Vec<String> = fields.iter().map(|f| kebab(&f.wire)).collect();
    let clash = flags
        .iter()
        .enumerate()
        .any(|(i, flag)| TAKEN_FLAGS.contains(&flag.as_str()) || taken.contains(flag) || flags[..i].contains(flag));
    if clash {
        return Vec::new();
    }
    fields
        .iter()
        .zip(&flags)
        .map(|(f, flag)| {
            let help = first_line(f.doc.as_deref());
            let help = if f.skip_if_none {
                help
            } else {
                format!("{help} (required)").trim().to_owned()
            };
            // Optional as flags: `--body` may give the body instead.
            arg_tokens(api, &format!("body:{}", f.wire), flag, &help, &f.ty, false, false)
        })
        .collect()
}

/// What a value is, for help: its type, or `JSON` for an object or anything else.
fn value_name(api: &Api, ty: &Ty) -> &'static str {
    match ty {
        Ty::String => "TEXT",
        Ty::Bool => "BOOL",
        Ty::I32 | Ty::I64 | Ty::I64String | Ty::U32 | Ty::U64 | Ty::U64String => "INTEGER",
        Ty::F32 | Ty::F64 => "NUMBER",
        Ty::Uuid => "UUID",
        Ty::DateTime => "DATE-TIME",
        Ty::Date => "DATE",
        Ty::Named(_) if !enum_values(api, ty).is_empty() => "VALUE",
        Ty::Named(_) if text_like(api, ty) => "TEXT",
        _ => "JSON",
    }
}

/// A value given as one flag: a number, a boolean, or anything given as its text (strings,
/// string enums, and aliases of them).
fn scalar(api: &Api, ty: &Ty) -> bool {
    matches!(
        ty,
        Ty::Bool | Ty::I32 | Ty::I64 | Ty::I64String | Ty::U32 | Ty::U64 | Ty::U64String | Ty::F32 | Ty::F64
    ) || text_like(api, ty)
}

/// Whether a value of `ty` is given as its text rather than as JSON.
fn text_like(api: &Api, ty: &Ty) -> bool {
    match ty {
        Ty::String | Ty::Uuid | Ty::DateTime | Ty::Date => true,
        Ty::Named(name) => match api.definition(name).map(|t| &t.kind) {
            Some(TypeKind::Enum(_) | TypeKind::IntEnum(_)) => true,
            Some(TypeKind::Alias(inner)) => matches!(inner, Ty::String | Ty::Uuid | Ty::DateTime | Ty::Date),
            _ => false,
        },
        _ => false,
    }
}

fn enum_values(api: &Api, ty: &Ty) -> Vec<String> {
    match ty {
        Ty::Named(name) => match api.definition(name).map(|t| &t.kind) {
            Some(TypeKind::Enum(variants) | TypeKind::IntEnum(variants)) => {
                variants.iter().map(|v| v.wire.clone()).collect()
            }
            _ => Vec::new(),
        },
        _ => Vec::new(),
    }
}

/// The body of an operation's `run_...`: its call made from the arguments, and its answer
/// printed.
fn call(op: &Operation) -> TokenStream {
    let method = ident(&op.method_name);
    let arg_at = |j: usize| {
        let j = Literal::usize_unsuffixed(j);
        quote!(&command.args[#j])
    };
    let mut required = Vec::new();
    let mut optional = Vec::new();
    for (j, p) in op.params.iter().enumerate() {
        let at = arg_at(j);
        let setter = ident(&p.name);
        match (&p.ty, p.required) {
            (Ty::Vec(inner), true) => {
                let inner = ty_tokens(inner, &quote!(super::types::), true);
                required.push(quote!(cli::values::<#inner>(m, #at)?.unwrap_or_default()));
            }
            (ty, true) => {
                let ty = ty_tokens(ty, &quote!(super::types::), true);
                required.push(quote!(cli::required::<#ty>(m, #at)?));
            }
            (Ty::Vec(inner), false) => {
                let inner = ty_tokens(inner, &quote!(super::types::), true);
                optional.push(quote!(if let Some(v) = cli::values::<#inner>(m, #at)? { call = call.#setter(v); }));
            }
            (ty, false) => {
                let ty = ty_tokens(ty, &quote!(super::types::), true);
                optional.push(quote!(if let Some(v) = cli::value::<#ty>(m, #at)? { call = call.#setter(v); }));
            }
        }
    }
    match &op.body {
        Some(b) if b.required => {
            let read = read_body(b);
            required.push(quote!(#read.ok_or_else(|| cli::Failure::usage("error: give the request body: --body FILE, or the body's field flags"))?));
        }
        Some(b) => {
            let read = read_body(b);
            optional.push(quote!(if let Some(body) = #read { call = call.body(body); }));
        }
        None => {}
    }
    let all = if op.paging.is_some() {
        quote!(if cli::all(m) {
            return Ok(cli::items(call.items()));
        })
    } else {
        quote!()
    };
    let answer = match &op.success {
        Success::Unit => quote!(call.send().await?; Ok(cli::Output::Nothing)),
        other => {
            let print = output(other);
            quote!(let answer = call.send().await?; #print)
        }
    };
    quote! {
        let mut call = client.#method(#(#required),*);
        #(#optional)*
        #all
        #answer
    }
}

fn read_body(b: &Body) -> TokenStream {
    if b.ty == Ty::Upload {
        quote!(cli::upload(m)?)
    } else {
        let ty = ty_tokens(&b.ty, &quote!(super::types::), true);
        quote!(cli::body::<#ty>(m, command.fields)?)
    }
}

/// How the answer (`answer`) is printed.
fn output(success: &Success) -> TokenStream {
    match success {
        Success::Unit => quote!({
            let () = answer;
            Ok(cli::Output::Nothing)
        }),
        Success::Json(_) | Success::Untyped => quote!(cli::json(&answer)),
        Success::Text => quote!(Ok(cli::Output::Text(answer))),
        Success::Bytes => quote!(Ok(cli::Output::Bytes(answer.to_vec()))),
        Success::Events(events) => {
            let framing = super::events::framing_tokens(&quote!(cli), events.framing);
            quote!(Ok(cli::events(answer, #framing)))
        }
        Success::Outcomes { name, cases } => {
            let name = ident(name);
            let arms = cases.iter().map(|c| {
                let variant = ident(&c.variant);
                match &c.body {
                    Success::Unit => quote!(super::types::#name::#variant => Ok(cli::Output::Nothing),),
                    body => {
                        let print = output(body);
                        quote!(super::types::#name::#variant(answer) => #print,)
                    }
                }
            });
            quote! {
                match answer {
                    #(#arms)*
                }
            }
        }
    }
}
