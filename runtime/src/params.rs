//! Writing values into paths, query strings and headers.

use super::vocabulary::Style;

/// A value that can be written into a path segment, query string or header.
#[doc(hidden)]
pub trait ToParam {
    /// The parameter's text, before any percent-encoding.
    fn to_param(&self) -> String;
}

macro_rules! to_param_display {
    ($($t:ty),*) => { $( impl ToParam for $t { fn to_param(&self) -> String { self.to_string() } } )* };
}
to_param_display!(
    str,
    String,
    bool,
    i32,
    i64,
    u32,
    u64,
    f32,
    f64,
    uuid::Uuid,
    chrono::NaiveDate
);

impl ToParam for chrono::DateTime<chrono::Utc> {
    fn to_param(&self) -> String {
        self.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)
    }
}

impl<T: ToParam + ?Sized> ToParam for &T {
    fn to_param(&self) -> String {
        (**self).to_param()
    }
}

/// A path parameter, percent-encoded so it stays one path segment.
#[doc(hidden)]
pub fn path_segment<T: ToParam + ?Sized>(value: &T) -> String {
    percent_encoding::utf8_percent_encode(&value.to_param(), UNRESERVED_ONLY).to_string()
}

/// Every byte but RFC 3986's unreserved characters (letters, digits, `-`, `.`, `_`, `~`) is
/// percent-encoded: nothing can end a segment or start a query.
const UNRESERVED_ONLY: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// A parameter value that could not be written.
#[derive(Debug, Clone, PartialEq, Eq)]
#[doc(hidden)]
pub struct InvalidParam(pub String);

/// A structured value taken apart: scalars as text, in order.
enum Shape {
    Scalar(String),
    List(Vec<String>),
    Object(Vec<(String, String)>),
}

fn scalar_text(value: serde_json::Value) -> Option<String> {
    match value {
        serde_json::Value::Null => None,
        serde_json::Value::String(s) => Some(s),
        other => Some(other.to_string()),
    }
}

/// A parameter's value as JSON, to be taken apart.
fn json_of<T: serde::Serialize + ?Sized>(name: &str, value: &T) -> Result<serde_json::Value, InvalidParam> {
    serde_json::to_value(value).map_err(|e| InvalidParam(format!("parameter `{name}` could not be encoded: {e}")))
}

/// Takes a value apart for writing; `None` when it is null (nothing is sent).
fn shape<T: serde::Serialize + ?Sized>(name: &str, value: &T) -> Result<Option<Shape>, InvalidParam> {
    Ok(shape_of(json_of(name, value)?))
}

/// [`shape`] of a value already made JSON.
fn shape_of(value: serde_json::Value) -> Option<Shape> {
    match value {
        serde_json::Value::Array(items) => Some(Shape::List(items.into_iter().filter_map(scalar_text).collect())),
        serde_json::Value::Object(fields) => Some(Shape::Object(
            fields
                .into_iter()
                .filter_map(|(k, v)| scalar_text(v).map(|v| (k, v)))
                .collect(),
        )),
        other => scalar_text(other).map(Shape::Scalar),
    }
}

/// How deep `deepObject` nests brackets: a value nested deeper is refused (an error, not a
/// stack overflow).
const DEEP_OBJECT_DEPTH: usize = 32;

/// `value` under the key `key` in `deepObject` style, appended to `out`, `depth` levels of
/// brackets down: a scalar is one pair; an object's fields go one bracket deeper
/// (`key[field]`); an array of scalars repeats `key[]` per item, and an array holding objects
/// or arrays numbers its items (`key[0][field]`), as Rails and Node's `qs` read them; nulls are
/// left out.
fn deep_pairs(
    key: String,
    value: &serde_json::Value,
    depth: usize,
    out: &mut Vec<(String, String)>,
) -> Result<(), InvalidParam> {
    let too_deep = || InvalidParam(format!("`{key}` nests more than {DEEP_OBJECT_DEPTH} levels deep"));
    match value {
        serde_json::Value::Object(fields) => {
            if depth >= DEEP_OBJECT_DEPTH {
                return Err(too_deep());
            }
            for (field, v) in fields {
                deep_pairs(format!("{key}[{field}]"), v, depth + 1, out)?;
            }
        }
        serde_json::Value::Array(items) => {
            if depth >= DEEP_OBJECT_DEPTH {
                return Err(too_deep());
            }
            let numbered = items.iter().any(|i| i.is_object() || i.is_array());
            for (i, item) in items.iter().enumerate() {
                let item_key = if numbered {
                    format!("{key}[{i}]")
                } else {
                    format!("{key}[]")
                };
                deep_pairs(item_key, item, depth + 1, out)?;
            }
        }
        serde_json::Value::Null => {}
        serde_json::Value::String(text) => out.push((key, text.clone())),
        scalar => out.push((key, scalar.to_string())),
    }
    Ok(())
}

/// Percent-encodes a piece of a path, leaving nothing that could end the segment.
fn encode(text: &str) -> String {
    path_segment(text)
}

fn flatten(fields: &[(String, String)], pair: &str, sep: &str, enc: fn(&str) -> String) -> String {
    fields
        .iter()
        .map(|(k, v)| format!("{}{pair}{}", enc(k), enc(v)))
        .collect::<Vec<_>>()
        .join(sep)
}

fn same(text: &str) -> String {
    text.to_owned()
}

/// A structured path parameter, already percent-encoded.
#[doc(hidden)]
pub fn path_value<T: serde::Serialize + ?Sized>(
    name: &str,
    style: Style,
    explode: bool,
    value: &T,
) -> Result<String, InvalidParam> {
    let Some(shape) = shape(name, value)? else {
        return Ok(String::new());
    };
    let list = |items: &[String], sep: &str| items.iter().map(|i| encode(i)).collect::<Vec<_>>().join(sep);
    Ok(match (style, shape) {
        (Style::Label, Shape::Scalar(s)) => format!(".{}", encode(&s)),
        (Style::Label, Shape::List(items)) => format!(".{}", list(&items, if explode { "." } else { "," })),
        (Style::Label, Shape::Object(fields)) if explode => format!(".{}", flatten(&fields, "=", ".", encode)),
        (Style::Label, Shape::Object(fields)) => format!(".{}", flatten(&fields, ",", ",", encode)),
        (Style::Matrix, Shape::Scalar(s)) => format!(";{name}={}", encode(&s)),
        (Style::Matrix, Shape::List(items)) if explode => {
            items.iter().map(|i| format!(";{name}={}", encode(i))).collect()
        }
        (Style::Matrix, Shape::List(items)) => format!(";{name}={}", list(&items, ",")),
        (Style::Matrix, Shape::Object(fields)) if explode => format!(";{}", flatten(&fields, "=", ";", encode)),
        (Style::Matrix, Shape::Object(fields)) => format!(";{name}={}", flatten(&fields, ",", ",", encode)),
        (_, Shape::Scalar(s)) => encode(&s),
        (_, Shape::List(items)) => list(&items, ","),
        (_, Shape::Object(fields)) if explode => flatten(&fields, "=", ",", encode),
        (_, Shape::Object(fields)) => flatten(&fields, ",", ",", encode),
    })
}

/// A structured query parameter as name-value pairs (encoded later, with the rest of the query).
///
/// An object in `deepObject` style is written in bracket form at any depth, as Rails, Node's
/// `qs` and Prism read it, not as JSON text: `filter[service][id]=7`. An array inside it is
/// `filter[tags][]=a&filter[tags][]=b` when its items are scalars (a list to Rails and `qs`
/// alike), and numbered when they are objects or arrays, `filter[windows][0][from]=1` (a list
/// to `qs`; to Rails a hash keyed by position, as its own nested-attribute forms send). Null
/// fields are left out. A value nested more than 32 levels deep is refused, so the writing
/// cannot exhaust the stack (servers read fewer: `qs` 5 levels by default).
#[doc(hidden)]
pub fn query_pairs<T: serde::Serialize + ?Sized>(
    name: &str,
    style: Style,
    explode: bool,
    value: &T,
) -> Result<Vec<(String, String)>, InvalidParam> {
    let value = json_of(name, value)?;
    if let (Style::DeepObject, serde_json::Value::Object(_)) = (style, &value) {
        let mut pairs = Vec::new();
        deep_pairs(name.to_owned(), &value, 0, &mut pairs)?;
        return Ok(pairs);
    }
    let Some(shape) = shape_of(value) else {
        return Ok(Vec::new());
    };
    let one = |v: String| vec![(name.to_owned(), v)];
    Ok(match (style, shape) {
        (_, Shape::Scalar(s)) => one(s),
        (_, Shape::List(items)) if explode => items.into_iter().map(|i| (name.to_owned(), i)).collect(),
        (Style::SpaceDelimited, Shape::List(items)) => one(items.join(" ")),
        (Style::PipeDelimited, Shape::List(items)) => one(items.join("|")),
        (_, Shape::List(items)) => one(items.join(",")),
        (_, Shape::Object(fields)) if explode => fields,
        (Style::SpaceDelimited, Shape::Object(fields)) => one(flatten(&fields, " ", " ", same)),
        (Style::PipeDelimited, Shape::Object(fields)) => one(flatten(&fields, "|", "|", same)),
        (_, Shape::Object(fields)) => one(flatten(&fields, ",", ",", same)),
    })
}

/// A structured header value (`simple` style); `None` when the value is null.
#[doc(hidden)]
pub fn header_value<T: serde::Serialize + ?Sized>(
    name: &str,
    explode: bool,
    value: &T,
) -> Result<Option<String>, InvalidParam> {
    Ok(shape(name, value)?.map(|shape| match shape {
        Shape::Scalar(s) => s,
        Shape::List(items) => items.join(","),
        Shape::Object(fields) if explode => flatten(&fields, "=", ",", same),
        Shape::Object(fields) => flatten(&fields, ",", ",", same),
    }))
}

/// A structured cookie (`form` style) as `name=value` pairs, values percent-encoded.
#[doc(hidden)]
pub fn cookie_pairs<T: serde::Serialize + ?Sized>(
    name: &str,
    explode: bool,
    value: &T,
) -> Result<Vec<String>, InvalidParam> {
    Ok(match shape(name, value)? {
        None => Vec::new(),
        Some(Shape::Scalar(s)) => vec![format!("{name}={}", encode(&s))],
        Some(Shape::List(items)) if explode => items.iter().map(|i| format!("{name}={}", encode(i))).collect(),
        Some(Shape::List(items)) => vec![format!(
            "{name}={}",
            items.iter().map(|i| encode(i)).collect::<Vec<_>>().join(",")
        )],
        Some(Shape::Object(fields)) if explode => fields.iter().map(|(k, v)| format!("{k}={}", encode(v))).collect(),
        Some(Shape::Object(fields)) => vec![format!("{name}={}", flatten(&fields, ",", ",", encode))],
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn obj() -> BTreeMap<&'static str, &'static str> {
        [("firstName", "Alex"), ("role", "admin")].into_iter().collect()
    }

    #[test]
    fn path_styles_follow_the_openapi_table() {
        let list = [3, 4, 5];
        let cases: [(Style, bool, &str, &str); 6] = [
            (Style::Simple, false, "3,4,5", "firstName,Alex,role,admin"),
            (Style::Simple, true, "3,4,5", "firstName=Alex,role=admin"),
            (Style::Label, false, ".3,4,5", ".firstName,Alex,role,admin"),
            (Style::Label, true, ".3.4.5", ".firstName=Alex.role=admin"),
            (Style::Matrix, false, ";id=3,4,5", ";id=firstName,Alex,role,admin"),
            (Style::Matrix, true, ";id=3;id=4;id=5", ";firstName=Alex;role=admin"),
        ];
        for (style, explode, want_list, want_obj) in cases {
            assert_eq!(path_value("id", style, explode, &list), Ok(want_list.to_owned()));
            assert_eq!(path_value("id", style, explode, &obj()), Ok(want_obj.to_owned()));
        }
        assert_eq!(path_value("id", Style::Matrix, false, &5), Ok(";id=5".to_owned()));
        assert_eq!(path_value("id", Style::Simple, false, &["a/b"]), Ok("a%2Fb".to_owned()));
    }

    #[test]
    fn query_styles_follow_the_openapi_table() {
        let pairs = |v: &[(&str, &str)]| {
            v.iter()
                .map(|(a, b)| (a.to_string(), b.to_string()))
                .collect::<Vec<_>>()
        };
        let list = [3, 4, 5];
        assert_eq!(
            query_pairs("id", Style::Form, false, &list),
            Ok(pairs(&[("id", "3,4,5")]))
        );
        assert_eq!(
            query_pairs("id", Style::Form, true, &list),
            Ok(pairs(&[("id", "3"), ("id", "4"), ("id", "5")]))
        );
        assert_eq!(
            query_pairs("id", Style::SpaceDelimited, false, &list),
            Ok(pairs(&[("id", "3 4 5")]))
        );
        assert_eq!(
            query_pairs("id", Style::PipeDelimited, false, &list),
            Ok(pairs(&[("id", "3|4|5")]))
        );
        assert_eq!(
            query_pairs("id", Style::Form, false, &obj()),
            Ok(pairs(&[("id", "firstName,Alex,role,admin")]))
        );
        assert_eq!(
            query_pairs("id", Style::Form, true, &obj()),
            Ok(pairs(&[("firstName", "Alex"), ("role", "admin")]))
        );
        assert_eq!(
            query_pairs("id", Style::DeepObject, true, &obj()),
            Ok(pairs(&[("id[firstName]", "Alex"), ("id[role]", "admin")]))
        );
        assert_eq!(query_pairs("id", Style::Form, true, &None::<i32>), Ok(Vec::new()));
    }

    #[test]
    fn a_deep_object_nests_brackets_at_every_depth() {
        let filter = serde_json::json!({
            "service": { "id": "s1", "team": { "name": "ops" } },
            "tags": ["a", "b"],
            "windows": [{ "from": 1 }, { "from": 3, "to": null }],
            "grid": [[1, 2]],
            "gone": null,
        });
        let want: Vec<(String, String)> = [
            ("f[service][id]", "s1"),
            ("f[service][team][name]", "ops"),
            ("f[tags][]", "a"),
            ("f[tags][]", "b"),
            ("f[windows][0][from]", "1"),
            ("f[windows][1][from]", "3"),
            ("f[grid][0][]", "1"),
            ("f[grid][0][]", "2"),
        ]
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
        let mut got = query_pairs("f", Style::DeepObject, true, &filter).expect("written");
        let order = |pairs: &mut Vec<(String, String)>| pairs.sort();
        let mut want = want;
        order(&mut got);
        order(&mut want);
        assert_eq!(got, want);
    }

    #[test]
    fn a_deep_object_nested_too_deep_is_refused_not_a_stack_overflow() {
        let mut value = serde_json::json!("leaf");
        for _ in 0..DEEP_OBJECT_DEPTH {
            value = serde_json::json!({ "a": value });
        }
        // 32 levels of objects: the deepest allowed.
        assert_eq!(
            query_pairs("f", Style::DeepObject, true, &value).map(|p| p.len()),
            Ok(1)
        );
        let deeper = serde_json::json!({ "a": value });
        let refused = query_pairs("f", Style::DeepObject, true, &deeper).expect_err("refused");
        assert!(refused.0.contains("more than 32 levels"), "{}", refused.0);
        // Arrays count as levels too; and a value far deeper costs the writer no more stack
        // than the bound (it is forgotten, not dropped: serde_json drops recursively).
        let mut list = serde_json::json!(1);
        for _ in 0..100_000 {
            list = serde_json::Value::Array(vec![list]);
        }
        let list = serde_json::Value::Object([("a".to_owned(), list)].into_iter().collect());
        assert!(deep_pairs("f".into(), &list, 0, &mut Vec::new()).is_err());
        std::mem::forget(list);
    }

    #[test]
    fn headers_and_cookies() {
        assert_eq!(header_value("X", false, &[1, 2]), Ok(Some("1,2".to_owned())));
        assert_eq!(
            header_value("X", true, &obj()),
            Ok(Some("firstName=Alex,role=admin".to_owned()))
        );
        assert_eq!(
            cookie_pairs("c", false, &["a b", "c"]),
            Ok(vec!["c=a%20b,c".to_owned()])
        );
        assert_eq!(
            cookie_pairs("c", true, &[1, 2]),
            Ok(vec!["c=1".to_owned(), "c=2".to_owned()])
        );
    }
}
