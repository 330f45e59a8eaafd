//! The command and the build-script API generating part of an API: `--tags` and the other
//! selection options, `--no-tool` and `--no-mocks`, the header that records them, `--check`
//! and the changelog with a selection, and the command line as clap reads it (`--out=DIR`,
//! suggestions, completions).

use openapi_crate_gen::build_script::Generate;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn run(args: &[&str], dir: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_openapi-crate-gen"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("the command runs")
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("openapi-crate-gen-select-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("creates");
    dir
}

/// A scratch folder holding the selection fixture as `selection.yaml`.
fn with_fixture(name: &str) -> PathBuf {
    let dir = scratch(name);
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/selection.yaml");
    std::fs::copy(fixture, dir.join("selection.yaml")).expect("copies");
    dir
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn read(path: PathBuf) -> String {
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn a_selection_generates_its_operations_and_the_header_and_check_honour_it() {
    let dir = with_fixture("crate");
    let args = [
        "selection.yaml",
        "--out=pets",
        "--tags",
        "pets",
        "--no-tool",
        "--no-mocks",
    ];
    let out = run(&args, &dir);
    assert!(out.status.success(), "{}", stderr(&out));
    let types = read(dir.join("pets/src/generated/types.rs"));
    assert!(types.contains("pub struct Pet {") && types.contains("pub struct NewPet {"));
    for left_out in ["Owner", "Address", "Store", "WebhookPayload"] {
        assert!(
            !types.contains(&format!("pub struct {left_out} {{")),
            "{left_out} generated"
        );
    }
    let header: Vec<&str> = types.lines().take(4).collect();
    assert_eq!(header[1], "// for the operations tagged pets,", "{header:?}");
    assert_eq!(header[2], "// without the tool and the mocks.", "{header:?}");
    assert!(
        header[3].ends_with("(`openapi-crate-gen selection.yaml --out pets --tags pets --no-tool --no-mocks`)."),
        "{header:?}"
    );
    // The tool and the mocks are left out: no module, binary or feature.
    assert!(!dir.join("pets/src/generated/cli.rs").exists());
    assert!(!dir.join("pets/src/generated/mocks.rs").exists());
    assert!(!dir.join("pets/src/main.rs").exists());
    let manifest = read(dir.join("pets/Cargo.toml"));
    for gone in ["[[bin]]", "\ncli = ", "\nmock = ", "clap", "wiremock"] {
        assert!(!manifest.contains(gone), "{gone} in {manifest}");
    }
    assert!(manifest.contains("default = [\"pets\"]\npets = []\n"), "{manifest}");
    assert!(!read(dir.join("pets/src/generated/mod.rs")).contains("pub mod cli"));

    // `--check` with the same selection passes; without it, the files are stale.
    let mut check: Vec<&str> = args.to_vec();
    check.push("--check");
    let fresh = run(&check, &dir);
    assert!(fresh.status.success(), "{}", stderr(&fresh));
    let whole = run(&["selection.yaml", "--out", "pets", "--check"], &dir);
    assert_eq!(whole.status.code(), Some(3));
    assert!(
        stderr(&whole).contains("-// for the operations tagged pets,"),
        "{}",
        stderr(&whole)
    );

    // The whole document again: the tool and the mocks come back.
    let out = run(&["selection.yaml", "--out", "pets"], &dir);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(dir.join("pets/src/generated/cli.rs").exists());
    assert!(read(dir.join("pets/src/generated/types.rs")).contains("pub struct WebhookPayload {"));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_selection_that_matches_nothing_fails_listing_what_there_is() {
    let dir = with_fixture("nothing");
    let out = run(&["selection.yaml", "--out", "x", "--tags", "pets,dogs"], &dir);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("--tags `dogs` matches no tag; the document's tags are: Pet Owners, pets, stores"),
        "{}",
        stderr(&out)
    );
    let out = run(
        &["selection.yaml", "--out", "x", "--exclude-operations", "creatPet"],
        &dir,
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("did you mean `createPet`"), "{}", stderr(&out));
    assert!(!dir.join("x").exists(), "nothing written");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn the_command_line_takes_equals_suggests_and_completes() {
    let dir = with_fixture("clap");
    // A mistyped flag: the usage status, with the flag meant.
    let out = run(&["selection.yaml", "--exclude-tag", "pets"], &dir);
    assert_eq!(out.status.code(), Some(64));
    assert!(stderr(&out).contains("'--exclude-tags'"), "{}", stderr(&out));
    let out = run(&["selection.yaml", "--emit-openapi=normalized.json"], &dir);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(dir.join("normalized.json").is_file());
    let out = run(&["completions", "bash"], &dir);
    assert!(out.status.success(), "{}", stderr(&out));
    let script = String::from_utf8_lossy(&out.stdout);
    for word in ["--exclude-operations", "--no-tool", "changelog"] {
        assert!(script.contains(word), "{word} not completed");
    }
    let out = run(&["completions", "tcsh"], &dir);
    assert_eq!(out.status.code(), Some(64));
    let out = run(&["changelog", "--help"], &dir);
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("--tags"));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn the_changelog_compares_two_documents_with_the_same_selection() {
    let dir = with_fixture("changelog");
    let text = read(dir.join("selection.yaml"));
    // The store's name is gone: a breaking change of the `stores` tag's types alone.
    let next = text.replacen(
        "    Store:\n      type: object\n      properties:\n        name:\n          type: string\n",
        "    Store:\n      type: object\n      properties:\n",
        1,
    );
    assert_ne!(next, text);
    std::fs::write(dir.join("next.yaml"), next).expect("writes");
    let out = run(&["changelog", "selection.yaml", "next.yaml", "--tags", "pets"], &dir);
    assert!(out.status.success(), "{}", stderr(&out));
    let markdown = String::from_utf8_lossy(&out.stdout);
    assert!(markdown.contains("0 breaking, 0 other"), "{markdown}");
    let out = run(&["changelog", "selection.yaml", "next.yaml", "--tags=stores"], &dir);
    assert!(out.status.success(), "{}", stderr(&out));
    let markdown = String::from_utf8_lossy(&out.stdout);
    assert!(markdown.contains("Verdict: **major** (1 breaking"), "{markdown}");
    let out = run(&["changelog", "selection.yaml", "next.yaml", "--tags", "dogs"], &dir);
    assert_eq!(out.status.code(), Some(1));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_build_script_selects_and_leaves_out_the_tool() {
    let dir = with_fixture("build-script");
    let path = Generate::new(dir.join("selection.yaml"))
        .tags(["pet-owners"])
        .operations(["ping"])
        .without_tool()
        .write_to(&dir)
        .expect("generates");
    let text = read(path);
    assert!(text.contains("\n// for the operations tagged pet-owners or with ids ping,\n// without the tool.\n"));
    assert!(text.contains("pub struct Owner {") && text.contains("pub struct Address {"));
    assert!(!text.contains("pub struct Pet {"));
    // The generated modules come before the runtime's copy, which has a `cli` module of its own.
    let generated = text.split("\npub mod runtime {\n").next().unwrap_or_default();
    assert!(!generated.contains("pub mod cli") && generated.contains("pub mod mocks"));
    let error = Generate::new(dir.join("selection.yaml"))
        .exclude_tags(["cats"])
        .write_to(&dir)
        .expect_err("no tag `cats`");
    assert!(error.to_string().contains("the document's tags are"), "{error}");
    let _ = std::fs::remove_dir_all(&dir);
}
