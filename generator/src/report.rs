//! Warnings as people read them: grouped by kind, each group with its count and the first few
//! places, so the warnings of a large document fit on a screen.
//!
//! A warning's kind is its message with the names it quotes (between backticks) left out:
//! "the string format `uint64` ..." and "the string format `x-money` ..." are one kind, whose
//! places each say which format they are about.

use crate::model::Warning;
use std::collections::BTreeMap;

/// How many places a group lists unless every one is asked for.
pub const PLACES_SHOWN: usize = 3;

/// Warnings of one kind, in the order the generator made them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WarningGroup<'a> {
    /// What the warnings say: the message when they all say the same, otherwise the kind's
    /// words with each quoted name written `…`.
    pub summary: String,
    /// Whether every warning of the group has the same message.
    pub same: bool,
    pub warnings: Vec<&'a Warning>,
}

/// `warnings` grouped by kind: the largest group first, groups of one size in the order their
/// first warning came.
#[must_use]
pub fn group(warnings: &[Warning]) -> Vec<WarningGroup<'_>> {
    let mut index: BTreeMap<String, usize> = BTreeMap::new();
    let mut groups: Vec<WarningGroup<'_>> = Vec::new();
    for warning in warnings {
        let kind = kind_of(&warning.message);
        match index.get(&kind) {
            Some(&i) => {
                let group = &mut groups[i];
                group.same &= group.warnings[0].message == warning.message;
                group.warnings.push(warning);
            }
            None => {
                index.insert(kind.clone(), groups.len());
                groups.push(WarningGroup {
                    summary: kind,
                    same: true,
                    warnings: vec![warning],
                });
            }
        }
    }
    for group in &mut groups {
        if group.same {
            group.summary.clone_from(&group.warnings[0].message);
        }
    }
    // A stable sort keeps the document's order among groups of one size.
    groups.sort_by_key(|g| std::cmp::Reverse(g.warnings.len()));
    groups
}

/// The lines that report `warnings`: one line for a warning alone of its kind; for a group, a
/// line with its count, then its first [`PLACES_SHOWN`] places (every place when `all`) and how
/// many more there are. `file_of` names the file a warning's node is in.
#[must_use]
pub fn lines(warnings: &[Warning], all: bool, file_of: &dyn Fn(&Warning) -> String) -> Vec<String> {
    let mut out = Vec::new();
    for group in group(warnings) {
        if let [only] = group.warnings.as_slice() {
            out.push(format!("{}: at {}: {}", file_of(only), only.pointer, only.message));
            continue;
        }
        out.push(format!("{} ({} times):", group.summary, group.warnings.len()));
        let shown = if all { group.warnings.len() } else { PLACES_SHOWN };
        for w in group.warnings.iter().take(shown) {
            let what = if group.same {
                String::new()
            } else {
                format!(": {}", w.message)
            };
            out.push(format!("  {}: at {}{what}", file_of(w), w.pointer));
        }
        if group.warnings.len() > shown {
            out.push(format!(
                "  and {} more (--verbose lists every one)",
                group.warnings.len() - shown
            ));
        }
    }
    out
}

/// A message with each backtick-quoted name written `…`.
fn kind_of(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    let parts = message.split('`').count();
    for (i, part) in message.split('`').enumerate() {
        if i > 0 {
            out.push('`');
        }
        // Odd parts are between backticks (an unpaired last one is kept as written).
        let quoted = i % 2 == 1 && parts > i + 1;
        out.push_str(if quoted { "…" } else { part });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{group, lines, Warning};
    use crate::pointer::Pointer;

    fn warning(at: &str, message: &str) -> Warning {
        Warning {
            file: None,
            pointer: Pointer::at(&[at]),
            message: message.to_owned(),
        }
    }

    #[test]
    fn warnings_of_a_kind_are_counted_with_their_first_places() {
        let mut warnings: Vec<Warning> = (0..5)
            .map(|i| warning(&format!("a{i}"), "an integer enum is a plain integer"))
            .collect();
        warnings.push(warning(
            "f1",
            "the string format `uint64` is not one the generator knows",
        ));
        warnings.push(warning(
            "f2",
            "the string format `money` is not one the generator knows",
        ));
        warnings.push(warning("m", "the method name `x` is taken"));
        let groups = group(&warnings);
        let counts: Vec<(usize, bool)> = groups.iter().map(|g| (g.warnings.len(), g.same)).collect();
        assert_eq!(counts, [(5, true), (2, false), (1, true)]);
        assert_eq!(
            groups[1].summary,
            "the string format `…` is not one the generator knows"
        );

        let file = |_: &Warning| "api.yaml".to_owned();
        let text = lines(&warnings, false, &file).join("\n");
        assert_eq!(
            text,
            "an integer enum is a plain integer (5 times):\n  api.yaml: at #/a0\n  api.yaml: at #/a1\n  api.yaml: at #/a2\n  and 2 more (--verbose lists every one)\n\
             the string format `…` is not one the generator knows (2 times):\n  api.yaml: at #/f1: the string format `uint64` is not one the generator knows\n  api.yaml: at #/f2: the string format `money` is not one the generator knows\n\
             api.yaml: at #/m: the method name `x` is taken"
        );
        assert_eq!(lines(&warnings, true, &file).len(), 1 + 5 + 1 + 2 + 1);
    }
}
