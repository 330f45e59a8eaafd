//! Checking the constraints an API description declares (bounds, lengths, patterns, item
//! counts) before a request is sent, so a bad value fails at once with a clear message instead
//! of a round trip and a 400.

use super::error::Error;
use super::vocabulary::Constraints;
use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

impl Constraints {
    /// No constraint; the base of generated constants.
    pub const NONE: Constraints = Constraints {
        minimum: None,
        exclusive_minimum: false,
        maximum: None,
        exclusive_maximum: false,
        min_length: None,
        max_length: None,
        pattern: None,
        min_items: None,
        max_items: None,
    };

    /// With an inclusive lower bound.
    pub const fn min(self, value: f64) -> Self {
        Constraints {
            minimum: Some(value),
            ..self
        }
    }

    /// With an exclusive lower bound.
    pub const fn min_exclusive(self, value: f64) -> Self {
        Constraints {
            minimum: Some(value),
            exclusive_minimum: true,
            ..self
        }
    }

    /// With an inclusive upper bound.
    pub const fn max(self, value: f64) -> Self {
        Constraints {
            maximum: Some(value),
            ..self
        }
    }

    /// With an exclusive upper bound.
    pub const fn max_exclusive(self, value: f64) -> Self {
        Constraints {
            maximum: Some(value),
            exclusive_maximum: true,
            ..self
        }
    }

    /// With a least length, in characters.
    pub const fn min_length(self, value: usize) -> Self {
        Constraints {
            min_length: Some(value),
            ..self
        }
    }

    /// With a greatest length, in characters.
    pub const fn max_length(self, value: usize) -> Self {
        Constraints {
            max_length: Some(value),
            ..self
        }
    }

    /// With a pattern the text must match.
    pub const fn pattern(self, value: &'static str) -> Self {
        Constraints {
            pattern: Some(value),
            ..self
        }
    }

    /// With a least number of items.
    pub const fn min_items(self, value: usize) -> Self {
        Constraints {
            min_items: Some(value),
            ..self
        }
    }

    /// With a greatest number of items.
    pub const fn max_items(self, value: usize) -> Self {
        Constraints {
            max_items: Some(value),
            ..self
        }
    }

    fn number(&self, value: f64) -> Result<(), String> {
        if let Some(min) = self.minimum {
            if value < min || (self.exclusive_minimum && value == min) {
                let relation = if self.exclusive_minimum {
                    "more than"
                } else {
                    "at least"
                };
                return Err(format!("must be {relation} {min}, got {value}"));
            }
        }
        if let Some(max) = self.maximum {
            if value > max || (self.exclusive_maximum && value == max) {
                let relation = if self.exclusive_maximum { "less than" } else { "at most" };
                return Err(format!("must be {relation} {max}, got {value}"));
            }
        }
        Ok(())
    }

    fn text(&self, value: &str) -> Result<(), String> {
        let len = value.chars().count();
        if self.min_length.is_some_and(|min| len < min) || self.max_length.is_some_and(|max| len > max) {
            return Err(format!(
                "must be {} characters long, got {len}",
                range(self.min_length, self.max_length)
            ));
        }
        if let Some(pattern) = self.pattern {
            if matches_pattern(pattern, value) == Some(false) {
                return Err(format!("must match the pattern `{pattern}`, got {value:?}"));
            }
        }
        Ok(())
    }

    fn items(&self, len: usize) -> Result<(), String> {
        if self.min_items.is_some_and(|min| len < min) || self.max_items.is_some_and(|max| len > max) {
            return Err(format!(
                "must hold {} items, got {len}",
                range(self.min_items, self.max_items)
            ));
        }
        Ok(())
    }
}

fn range(min: Option<usize>, max: Option<usize>) -> String {
    match (min, max) {
        (Some(min), Some(max)) => format!("{min} to {max}"),
        (Some(min), None) => format!("at least {min}"),
        (None, Some(max)) => format!("at most {max}"),
        (None, None) => "any number of".to_owned(),
    }
}

/// Whether `value` matches `pattern` (unanchored, as in JSON Schema), or `None` when the pattern
/// is not a regular expression ECMA-262 (JSON Schema's dialect) accepts; such patterns are not
/// enforced, and the generator warned of them. `regress` implements that dialect, look-around
/// and back-references included. Compiled patterns are kept for the life of the process.
fn matches_pattern(pattern: &'static str, value: &str) -> Option<bool> {
    type Compiled = Option<std::sync::Arc<regress::Regex>>;
    static CACHE: OnceLock<Mutex<HashMap<&'static str, Compiled>>> = OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    let regex = {
        let mut cache = cache.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        cache
            .entry(pattern)
            .or_insert_with(|| regress::Regex::new(pattern).ok().map(std::sync::Arc::new))
            .clone()
    };
    regex.map(|r| r.find(value).is_some())
}

/// A value whose declared constraints can be checked.
#[doc(hidden)]
pub trait Check {
    /// `Err` says how the value breaks `constraints`.
    fn check(&self, constraints: &Constraints) -> Result<(), String>;
}

macro_rules! check_number {
    ($($t:ty),*) => { $(
        impl Check for $t {
            fn check(&self, constraints: &Constraints) -> Result<(), String> {
                constraints.number(*self as f64)
            }
        }
    )* };
}
check_number!(i32, i64, u32, u64, f32, f64);

impl Check for str {
    fn check(&self, constraints: &Constraints) -> Result<(), String> {
        constraints.text(self)
    }
}

impl Check for String {
    fn check(&self, constraints: &Constraints) -> Result<(), String> {
        constraints.text(self)
    }
}

impl<T> Check for Vec<T> {
    fn check(&self, constraints: &Constraints) -> Result<(), String> {
        constraints.items(self.len())
    }
}

impl<T: Check> Check for Option<T> {
    fn check(&self, constraints: &Constraints) -> Result<(), String> {
        match self {
            Some(value) => value.check(constraints),
            None => Ok(()),
        }
    }
}

impl<T: Check + ?Sized> Check for Box<T> {
    fn check(&self, constraints: &Constraints) -> Result<(), String> {
        (**self).check(constraints)
    }
}

/// Checks `value`, named `name` in the error, against its declared `constraints`.
#[doc(hidden)]
pub fn check<B, T: Check + ?Sized>(name: &str, value: &T, constraints: &Constraints) -> Result<(), Error<B>> {
    value
        .check(constraints)
        .map_err(|problem| Error::InvalidRequest(format!("`{name}` {problem}")))
}

#[cfg(test)]
mod tests {
    use super::matches_pattern;

    #[test]
    fn patterns_follow_ecma_262_look_around_and_back_references_included() {
        assert_eq!(matches_pattern("^(?!admin).*$", "admin"), Some(false));
        assert_eq!(matches_pattern("^(?!admin).*$", "editor"), Some(true));
        assert_eq!(matches_pattern("^(a)\\1$", "aa"), Some(true));
        assert_eq!(matches_pattern("^(a)\\1$", "ab"), Some(false));
        // Unanchored, as JSON Schema says.
        assert_eq!(matches_pattern("[0-9]+", "abc123"), Some(true));
        // Not ECMA-262: not enforced (the generator warned).
        assert_eq!(matches_pattern("(?P<year>[0-9]{4})", "2026"), None);
    }
}
