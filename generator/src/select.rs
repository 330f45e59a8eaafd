//! Stage 4a, "select": which operations a client is generated for, when the caller asks for
//! part of an API (`--tags repos,issues`, `--exclude-operations 'repos/delete*'`).
//!
//! Selection works on the model's operations after they are named, so a selected client's
//! methods, builders and types keep the names the whole document gives them: code written
//! against a selected client compiles against the whole one. The types kept are then those
//! the kept operations reach ([`crate::model`] computes the reach), so no type a kept operation
//! names can be missing, and none is generated that no kept operation uses.
//!
//! Patterns are globs: `*` any run of characters, `?` one. A tag pattern matches a tag as the
//! document writes it (`Pull Requests`) or its cargo feature (`pull-requests`); in a document
//! that tags some operations, the others have the tag `untagged`, as their feature; an operation
//! pattern matches its `operationId` (`repos/get`) or its method's name (`repos_get`). An
//! operation is kept when it matches an include pattern (either list; every operation when
//! both are empty) and no exclude pattern (of an operation with several tags, one excluded tag
//! excludes it). A pattern that matches nothing is an error, so a typo never goes unnoticed.

use crate::model::UNTAGGED;
use crate::names::kebab;

/// Which operations to generate a client for: globs over tags and operation ids (see the
/// module docs). The default selects every operation.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Selection {
    /// Keep the operations with a tag matching one of these.
    pub tags: Vec<String>,
    /// Leave out the operations with a tag matching one of these.
    pub exclude_tags: Vec<String>,
    /// Keep the operations whose id or method name matches one of these.
    pub operations: Vec<String>,
    /// Leave out the operations whose id or method name matches one of these.
    pub exclude_operations: Vec<String>,
}

/// What selection reads of one operation.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Candidate<'a> {
    pub tags: &'a [String],
    pub id: Option<&'a str>,
    pub method_name: &'a str,
}

impl Selection {
    /// Whether this selects every operation: no pattern given.
    #[must_use]
    pub fn is_everything(&self) -> bool {
        self.tags.is_empty()
            && self.exclude_tags.is_empty()
            && self.operations.is_empty()
            && self.exclude_operations.is_empty()
    }

    /// The options that make this selection, in a fixed order: `(flag, comma-separated
    /// patterns)`, for a command that regenerates the same files.
    #[must_use]
    pub fn flags(&self) -> Vec<(&'static str, String)> {
        [
            ("--tags", &self.tags),
            ("--exclude-tags", &self.exclude_tags),
            ("--operations", &self.operations),
            ("--exclude-operations", &self.exclude_operations),
        ]
        .into_iter()
        .filter(|(_, patterns)| !patterns.is_empty())
        .map(|(flag, patterns)| (flag, patterns.join(",")))
        .collect()
    }

    /// The selection in words, for the `@generated` header (`None` for every operation):
    /// `the operations tagged repos, issues, not operations repos/delete*`.
    #[must_use]
    pub fn describe(&self) -> Option<String> {
        if self.is_everything() {
            return None;
        }
        let mut kept = Vec::new();
        if !self.tags.is_empty() {
            kept.push(format!("tagged {}", self.tags.join(", ")));
        }
        if !self.operations.is_empty() {
            kept.push(format!("with ids {}", self.operations.join(", ")));
        }
        let mut text = if kept.is_empty() {
            "every operation".to_owned()
        } else {
            format!("the operations {}", kept.join(" or "))
        };
        if !self.exclude_tags.is_empty() {
            text.push_str(&format!(", but not those tagged {}", self.exclude_tags.join(", ")));
        }
        if !self.exclude_operations.is_empty() {
            text.push_str(&format!(
                ", {} those with ids {}",
                if self.exclude_tags.is_empty() { "but not" } else { "nor" },
                self.exclude_operations.join(", ")
            ));
        }
        Some(text)
    }

    /// For each operation, whether it is kept.
    ///
    /// # Errors
    /// When a pattern matches no tag or no operation of the document (the message lists the
    /// document's tags, or says how many operations it has and which ids are close), or when
    /// nothing is left.
    pub(crate) fn choose(&self, operations: &[Candidate<'_>]) -> Result<Vec<bool>, String> {
        self.check_patterns(operations)?;
        let tags_some = operations.iter().any(|op| !op.tags.is_empty());
        let kept: Vec<bool> = operations
            .iter()
            .map(|op| {
                let tagged =
                    |patterns: &[String]| tags_of(op, tags_some).any(|t| patterns.iter().any(|p| tag_matches(p, t)));
                let included = (self.tags.is_empty() && self.operations.is_empty())
                    || tagged(&self.tags)
                    || named(op, &self.operations);
                included && !tagged(&self.exclude_tags) && !named(op, &self.exclude_operations)
            })
            .collect();
        if !kept.contains(&true) {
            return Err(format!(
                "the selection ({}) leaves no operation to generate",
                self.describe().unwrap_or_default()
            ));
        }
        Ok(kept)
    }

    /// Every pattern matches something.
    fn check_patterns(&self, operations: &[Candidate<'_>]) -> Result<(), String> {
        let mut tags: Vec<&str> = operations.iter().flat_map(|op| op.tags).map(String::as_str).collect();
        tags.sort_unstable();
        tags.dedup();
        let untagged = !tags.is_empty() && operations.iter().any(|op| op.tags.is_empty());
        for (flag, pattern) in self.tag_patterns() {
            if tags.iter().any(|tag| tag_matches(pattern, tag)) || (untagged && glob(pattern, UNTAGGED)) {
                continue;
            }
            return Err(if tags.is_empty() {
                format!("{flag} `{pattern}`: the document tags no operation; select operations by id with --operations")
            } else {
                format!(
                    "{flag} `{pattern}` matches no tag; the document's tags are: {}{}",
                    tags.join(", "),
                    if untagged {
                        " (and `untagged`, the operations without one)"
                    } else {
                        ""
                    }
                )
            });
        }
        for (flag, pattern) in self.operation_patterns() {
            if operations.iter().any(|op| id_matches(pattern, op)) {
                continue;
            }
            let close = close_names(pattern, operations);
            return Err(format!(
                "{flag} `{pattern}` matches none of the document's {} operations (by operationId or method name){}",
                operations.len(),
                if close.is_empty() {
                    String::new()
                } else {
                    format!("; did you mean {}?", close.join(", "))
                }
            ));
        }
        Ok(())
    }

    fn tag_patterns(&self) -> impl Iterator<Item = (&'static str, &str)> {
        let tags = self.tags.iter().map(|p| ("--tags", p.as_str()));
        tags.chain(self.exclude_tags.iter().map(|p| ("--exclude-tags", p.as_str())))
    }

    fn operation_patterns(&self) -> impl Iterator<Item = (&'static str, &str)> {
        let ops = self.operations.iter().map(|p| ("--operations", p.as_str()));
        ops.chain(
            self.exclude_operations
                .iter()
                .map(|p| ("--exclude-operations", p.as_str())),
        )
    }
}

/// The tags of an operation as a selection names them: its own, or, in a document that tags
/// some operations (`tags_some`), `untagged` for one without.
fn tags_of<'a>(op: &Candidate<'a>, tags_some: bool) -> impl Iterator<Item = &'a str> {
    let untagged = (tags_some && op.tags.is_empty()).then_some(UNTAGGED);
    op.tags.iter().map(String::as_str).chain(untagged)
}

/// Whether the operation's id or method name matches one of `patterns`.
fn named(op: &Candidate<'_>, patterns: &[String]) -> bool {
    patterns.iter().any(|p| id_matches(p, op))
}

fn tag_matches(pattern: &str, tag: &str) -> bool {
    glob(pattern, tag) || glob(pattern, &kebab(tag))
}

fn id_matches(pattern: &str, op: &Candidate<'_>) -> bool {
    op.id.is_some_and(|id| glob(pattern, id)) || glob(pattern, op.method_name)
}

/// Up to three operation ids (or method names, for operations without one) closest to
/// `pattern`, by edit distance, among those within a third of its length.
fn close_names(pattern: &str, operations: &[Candidate<'_>]) -> Vec<String> {
    let wanted = pattern.replace(['*', '?'], "");
    let limit = (wanted.chars().count() / 3).max(2);
    let mut scored: Vec<(usize, &str)> = operations
        .iter()
        .map(|op| op.id.unwrap_or(op.method_name))
        .map(|name| (distance(&wanted, name), name))
        .filter(|(d, _)| *d <= limit)
        .collect();
    scored.sort_unstable();
    scored.dedup();
    scored.into_iter().take(3).map(|(_, n)| format!("`{n}`")).collect()
}

/// The Levenshtein distance between two strings, by characters.
fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = (above + 1).min(row[j] + 1).min(diagonal + usize::from(ca != *cb));
            diagonal = above;
        }
    }
    row[b.len()]
}

/// Whether `text` matches the glob `pattern`: `*` any run of characters, `?` any one, the rest
/// itself. Linear in practice: the last `*` is backtracked to, never earlier ones.
fn glob(pattern: &str, text: &str) -> bool {
    let (p, t): (Vec<char>, Vec<char>) = (pattern.chars().collect(), text.chars().collect());
    let (mut pi, mut ti) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        match p.get(pi) {
            Some('*') => {
                star = Some((pi, ti));
                pi += 1;
            }
            Some(c) if *c == '?' || *c == t[ti] => {
                pi += 1;
                ti += 1;
            }
            _ => match star {
                Some((sp, st)) => {
                    pi = sp + 1;
                    ti = st + 1;
                    star = Some((sp, st + 1));
                }
                None => return false,
            },
        }
    }
    p[pi..].iter().all(|c| *c == '*')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn op<'a>(tags: &'a [String], id: &'a str, method_name: &'a str) -> Candidate<'a> {
        Candidate {
            tags,
            id: Some(id),
            method_name,
        }
    }

    #[test]
    fn globs_match_runs_and_single_characters() {
        assert!(glob("repos/*", "repos/get"));
        assert!(glob("*get*", "repos/get-content"));
        assert!(glob("repos/ge?", "repos/get"));
        assert!(glob("*", ""));
        assert!(!glob("repos/*", "issues/get"));
        assert!(!glob("repos", "repos/get"));
        assert!(glob("a*b*c", "axxbyyc"));
        assert!(!glob("a*b*c", "axxbyy"));
    }

    #[test]
    fn tags_and_ids_include_excludes_remove() {
        let (repos, issues, both) = (
            vec!["repos".to_owned()],
            vec!["Pull Requests".to_owned()],
            vec!["repos".to_owned(), "Pull Requests".to_owned()],
        );
        let ops = [
            op(&repos, "repos/get", "repos_get"),
            op(&repos, "repos/delete", "repos_delete"),
            op(&issues, "pulls/list", "pulls_list"),
            op(&both, "repos/merge", "repos_merge"),
        ];
        let select = |s: Selection| s.choose(&ops);
        let by_tag = Selection {
            tags: vec!["pull-requests".to_owned()],
            ..Selection::default()
        };
        assert_eq!(select(by_tag), Ok(vec![false, false, true, true]));
        let excluded = Selection {
            tags: vec!["rep*".to_owned()],
            exclude_operations: vec!["repos_delete".to_owned()],
            exclude_tags: vec!["Pull Requests".to_owned()],
            ..Selection::default()
        };
        assert_eq!(select(excluded), Ok(vec![true, false, false, false]));
        let either = Selection {
            tags: vec!["repos".to_owned()],
            operations: vec!["pulls/*".to_owned()],
            ..Selection::default()
        };
        assert_eq!(select(either), Ok(vec![true; 4]));
    }

    #[test]
    fn operations_without_a_tag_are_untagged_where_others_have_one() {
        let (none, repos) = (Vec::new(), vec!["repos".to_owned()]);
        let ops = [op(&repos, "repos/get", "repos_get"), op(&none, "ping", "ping")];
        let untagged = Selection {
            tags: vec!["untagged".to_owned()],
            ..Selection::default()
        };
        assert_eq!(untagged.choose(&ops), Ok(vec![false, true]));
        let all_tags = Selection {
            exclude_tags: vec!["repos".to_owned()],
            ..Selection::default()
        };
        assert_eq!(all_tags.choose(&ops), Ok(vec![false, true]));
        let message = Selection {
            tags: vec!["pings".to_owned()],
            ..Selection::default()
        }
        .choose(&ops)
        .expect_err("no such tag");
        assert!(
            message.ends_with("are: repos (and `untagged`, the operations without one)"),
            "{message}"
        );
        // A document that tags nothing has no `untagged` tag, as it has no features.
        let plain = [op(&none, "ping", "ping")];
        let message = untagged.choose(&plain).expect_err("no tags");
        assert!(message.contains("the document tags no operation"), "{message}");
    }

    #[test]
    fn a_pattern_that_matches_nothing_says_what_there_is() {
        let repos = vec!["repos".to_owned()];
        let ops = [
            op(&repos, "repos/get", "repos_get"),
            op(&repos, "repos/list", "repos_list"),
        ];
        let unknown_tag = Selection {
            tags: vec!["repo".to_owned()],
            ..Selection::default()
        };
        let message = unknown_tag.choose(&ops).expect_err("no such tag");
        assert!(message.contains("the document's tags are: repos"), "{message}");
        let unknown_id = Selection {
            exclude_operations: vec!["repos/gte".to_owned()],
            ..Selection::default()
        };
        let message = unknown_id.choose(&ops).expect_err("no such operation");
        assert!(message.contains("none of the document's 2 operations"), "{message}");
        assert!(message.contains("did you mean `repos/get`"), "{message}");
        let nothing_left = Selection {
            exclude_tags: vec!["*".to_owned()],
            ..Selection::default()
        };
        let message = nothing_left.choose(&ops).expect_err("nothing left");
        assert!(message.contains("leaves no operation"), "{message}");
    }
}
