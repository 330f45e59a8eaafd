//! XML bodies. A generated type is written to XML, and read from it, through its JSON form and
//! a [`Shape`]: the element and attribute names the API description's `xml` objects give
//! (`name`, `attribute`, `wrapped`), and which values are numbers or flags. The generator emits
//! one `static` shape per type an XML body reaches, so the types keep one serde
//! implementation, the JSON one.
//!
//! Reading is lenient as XML readers of APIs are: unknown elements and attributes are
//! skipped, namespaces prefixes are ignored, and a value that does not fit its type is left as
//! text for the type's decoding to report.

use serde_json::{Map, Value};

/// How a value is written in XML.
#[derive(Debug)]
pub enum Shape {
    /// Text content.
    Text,
    /// An integer as text.
    Integer,
    /// A number as text.
    Number,
    /// `true` or `false` as text.
    Boolean,
    /// An element whose members are attributes or child elements.
    Object(&'static [Member]),
    /// A list: each item an element named `item` (inside an element of the list's own name
    /// when `wrapped`).
    List {
        item: &'static str,
        wrapped: bool,
        shape: &'static Shape,
    },
    /// Anything: child elements as an object, repeated ones as a list, text as text.
    Any,
}

/// One field of an object: its JSON key, its XML name, and whether it is an attribute.
#[derive(Debug)]
pub struct Member {
    pub key: &'static str,
    pub name: &'static str,
    pub attribute: bool,
    pub shape: &'static Shape,
}

/// The deepest element nesting read; deeper documents are refused.
const MOST_DEPTH: usize = 256;

/// `value` (a generated type's JSON form) as an XML document whose root element is `root`.
pub fn write(root: &str, shape: &Shape, value: &Value) -> String {
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>");
    match (shape, value) {
        // A list at the root: one root element around the items.
        (Shape::List { item, shape, .. }, Value::Array(items)) => {
            let item = if item.is_empty() { "item" } else { item };
            out.push_str(&format!("<{root}>"));
            for value in items {
                element(&mut out, item, shape, value);
            }
            out.push_str(&format!("</{root}>"));
        }
        _ => element(&mut out, root, shape, value),
    }
    out
}

/// Writes `value` as the element `name` (or, for a list, its items).
fn element(out: &mut String, name: &str, shape: &Shape, value: &Value) {
    match (shape, value) {
        (_, Value::Null) => {}
        (Shape::List { item, wrapped, shape }, Value::Array(items)) => {
            if *wrapped {
                out.push_str(&format!("<{name}>"));
            }
            let item_name = if *wrapped || !item.is_empty() { *item } else { name };
            for value in items {
                element(out, item_name, shape, value);
            }
            if *wrapped {
                out.push_str(&format!("</{name}>"));
            }
        }
        (Shape::Object(members), Value::Object(fields)) => {
            out.push_str(&format!("<{name}"));
            for m in members.iter().filter(|m| m.attribute) {
                if let Some(text) = fields.get(m.key).and_then(scalar_text) {
                    out.push_str(&format!(" {}=\"{}\"", m.name, escape(&text)));
                }
            }
            out.push('>');
            for m in members.iter().filter(|m| !m.attribute) {
                if let Some(v) = fields.get(m.key) {
                    element(out, m.name, m.shape, v);
                }
            }
            out.push_str(&format!("</{name}>"));
        }
        (_, Value::Object(fields)) => {
            out.push_str(&format!("<{name}>"));
            for (key, v) in fields {
                if is_name(key) {
                    element(out, key, &Shape::Any, v);
                } else {
                    // A key no element can be named after (a map's): an `entry` that says it.
                    out.push_str(&format!("<entry key=\"{}\">", escape(key)));
                    element(out, "value", &Shape::Any, v);
                    out.push_str("</entry>");
                }
            }
            out.push_str(&format!("</{name}>"));
        }
        (_, Value::Array(items)) => {
            for v in items {
                element(out, name, &Shape::Any, v);
            }
        }
        (_, scalar) => {
            let text = scalar_text(scalar).unwrap_or_default();
            out.push_str(&format!("<{name}>{}</{name}>", escape(&text)));
        }
    }
}

fn scalar_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// Whether `text` can name an element: a letter or `_` first, then letters, digits, `-`, `_`
/// and `.` (a conservative reading of XML's `Name`, without prefixes).
fn is_name(text: &str) -> bool {
    let mut chars = text.chars();
    chars.next().is_some_and(|c| c.is_alphabetic() || c == '_')
        && chars.all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.'))
        && !text.to_ascii_lowercase().starts_with("xml")
}

fn escape(text: &str) -> String {
    quick_xml::escape::escape(text).into_owned()
}

/// An element as read: its local name, attributes, child elements and text.
#[derive(Debug, Default)]
struct Element {
    name: String,
    attributes: Vec<(String, String)>,
    children: Vec<Element>,
    text: String,
}

/// The JSON form of the XML document `text`, read as `shape` says (the root element's own name
/// is not checked).
///
/// # Errors
/// When the text is not well-formed XML, or nests deeper than 256 elements.
pub fn read(text: &str, shape: &Shape) -> Result<Value, String> {
    let root = parse(text)?;
    Ok(match shape {
        // A list at the root: the root element wraps the items, whatever they are named.
        Shape::List { shape, .. } => Value::Array(root.children.iter().map(|c| value_of(c, shape)).collect()),
        _ => value_of(&root, shape),
    })
}

fn parse(text: &str) -> Result<Element, String> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(text);
    // The document itself, holding the root element.
    let mut stack: Vec<Element> = vec![Element::default()];
    loop {
        match reader.read_event().map_err(|e| format!("not well-formed XML: {e}"))? {
            Event::Start(start) => {
                if stack.len() > MOST_DEPTH {
                    return Err(format!("the XML nests more than {MOST_DEPTH} elements deep"));
                }
                stack.push(opened(&start)?);
            }
            Event::Empty(start) => {
                stack.push(opened(&start)?);
                close(&mut stack);
            }
            Event::End(_) => close(&mut stack),
            Event::Text(t) => push_text(&mut stack, &t.xml10_content()),
            Event::CData(c) => push_text(&mut stack, &c.into_inner()),
            Event::GeneralRef(r) => {
                let name = r.xml10_content();
                let resolved = match r.resolve_char_ref().map_err(|e| e.to_string())? {
                    Some(c) => c.to_string(),
                    None => quick_xml::escape::resolve_predefined_entity(&name)
                        .map(str::to_owned)
                        .ok_or_else(|| format!("the XML names an unknown entity `&{name};`"))?,
                };
                push_text(&mut stack, &resolved);
            }
            Event::Eof => break,
            _ => {}
        }
    }
    match (stack.pop(), stack.is_empty()) {
        (Some(mut document), true) => document
            .children
            .pop()
            .ok_or_else(|| "the XML has no root element".to_owned()),
        _ => Err("the XML ends inside an element".to_owned()),
    }
}

/// The element a start tag opens: its local name (without a namespace prefix) and attributes.
fn opened(start: &quick_xml::events::BytesStart<'_>) -> Result<Element, String> {
    let local = |name: &str| name.rsplit(':').next().unwrap_or(name).to_owned();
    let mut attributes = Vec::new();
    for attribute in start.attributes() {
        let attribute = attribute.map_err(|e| format!("not well-formed XML: {e}"))?;
        let value = attribute
            .normalized_value(quick_xml::XmlVersion::Implicit1_0)
            .map_err(|e| format!("not well-formed XML: {e}"))?;
        attributes.push((local(attribute.key.as_ref()), value.into_owned()));
    }
    Ok(Element {
        name: local(start.name().as_ref()),
        attributes,
        ..Element::default()
    })
}

/// Closes the innermost element, making it a child of the one around it.
fn close(stack: &mut Vec<Element>) {
    if stack.len() > 1 {
        if let (Some(done), Some(parent)) = (stack.pop(), stack.last_mut()) {
            parent.children.push(done);
        }
    }
}

fn push_text(stack: &mut [Element], text: &str) {
    if let Some(current) = stack.last_mut() {
        current.text.push_str(text);
    }
}

/// The JSON form of `element`, as `shape` says.
fn value_of(element: &Element, shape: &Shape) -> Value {
    match shape {
        Shape::Object(members) => {
            let mut fields = Map::new();
            for m in *members {
                if let Some(value) = member(element, m) {
                    fields.insert(m.key.to_owned(), value);
                }
            }
            Value::Object(fields)
        }
        Shape::List { item, shape, .. } => Value::Array(
            element
                .children
                .iter()
                .filter(|c| c.name == *item)
                .map(|c| value_of(c, shape))
                .collect(),
        ),
        Shape::Any => any(element),
        scalar => typed(&element.text, scalar),
    }
}

/// A member's value in `element`, if present.
fn member(element: &Element, m: &Member) -> Option<Value> {
    if m.attribute {
        let (_, text) = element.attributes.iter().find(|(name, _)| name == m.name)?;
        return Some(typed(text, m.shape));
    }
    match m.shape {
        Shape::List {
            item,
            wrapped: true,
            shape,
        } => {
            let wrapper = element.children.iter().find(|c| c.name == m.name)?;
            Some(Value::Array(
                wrapper
                    .children
                    .iter()
                    .filter(|c| c.name == *item)
                    .map(|c| value_of(c, shape))
                    .collect(),
            ))
        }
        Shape::List {
            item,
            wrapped: false,
            shape,
        } => {
            let name = if item.is_empty() { m.name } else { *item };
            let items: Vec<Value> = element
                .children
                .iter()
                .filter(|c| c.name == name)
                .map(|c| value_of(c, shape))
                .collect();
            (!items.is_empty()).then_some(Value::Array(items))
        }
        shape => element
            .children
            .iter()
            .find(|c| c.name == m.name)
            .map(|c| value_of(c, shape)),
    }
}

/// Text as the scalar `shape` says; what does not fit stays text, for decoding to report.
fn typed(text: &str, shape: &Shape) -> Value {
    let trimmed = text.trim();
    let parsed = match shape {
        Shape::Integer | Shape::Number => serde_json::from_str::<serde_json::Number>(trimmed)
            .ok()
            .map(Value::Number),
        Shape::Boolean => trimmed.parse::<bool>().ok().map(Value::Bool),
        _ => None,
    };
    parsed.unwrap_or_else(|| Value::String(text.to_owned()))
}

/// An element read without a shape: its text, or its children by name (repeated ones a list).
fn any(element: &Element) -> Value {
    if element.children.is_empty() && element.attributes.is_empty() {
        return Value::String(element.text.clone());
    }
    let mut fields = Map::new();
    for (name, value) in &element.attributes {
        fields.insert(name.clone(), Value::String(value.clone()));
    }
    for child in &element.children {
        let value = any(child);
        match fields.get_mut(&child.name) {
            Some(Value::Array(items)) => items.push(value),
            Some(existing) => *existing = Value::Array(vec![existing.take(), value]),
            None => {
                fields.insert(child.name.clone(), value);
            }
        }
    }
    Value::Object(fields)
}

#[cfg(test)]
mod tests {
    use super::{read, write, Member, Shape};
    use serde_json::json;

    static TAGS: Shape = Shape::List {
        item: "tag",
        wrapped: true,
        shape: &Shape::Text,
    };
    static PET: Shape = Shape::Object(&[
        Member {
            key: "id",
            name: "id",
            attribute: true,
            shape: &Shape::Integer,
        },
        Member {
            key: "name",
            name: "name",
            attribute: false,
            shape: &Shape::Text,
        },
        Member {
            key: "tags",
            name: "tags",
            attribute: false,
            shape: &TAGS,
        },
        Member {
            key: "photoUrls",
            name: "photoUrls",
            attribute: false,
            shape: &Shape::List {
                item: "photoUrl",
                wrapped: false,
                shape: &Shape::Text,
            },
        },
        Member {
            key: "owner",
            name: "keeper",
            attribute: false,
            shape: &OWNER,
        },
        Member {
            key: "sold",
            name: "sold",
            attribute: false,
            shape: &Shape::Boolean,
        },
    ]);
    static OWNER: Shape = Shape::Object(&[Member {
        key: "pets",
        name: "pets",
        attribute: false,
        shape: &Shape::List {
            item: "pet",
            wrapped: true,
            shape: &PET,
        },
    }]);

    #[test]
    fn names_attributes_and_wrapped_lists_are_written_and_read_back() {
        let pet = json!({
            "id": 7, "name": "Rex & <Co>", "tags": ["a", "b"], "photoUrls": ["u1", "u2"],
            "owner": { "pets": [{ "id": 8, "name": "Kit" }] }, "sold": false, "note": null
        });
        let text = write("Pet", &PET, &pet);
        assert_eq!(
            text,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Pet id=\"7\"><name>Rex &amp; &lt;Co&gt;</name>\
             <tags><tag>a</tag><tag>b</tag></tags><photoUrl>u1</photoUrl><photoUrl>u2</photoUrl>\
             <keeper><pets><pet id=\"8\"><name>Kit</name></pet></pets></keeper><sold>false</sold></Pet>"
        );
        let mut expected = pet.clone();
        expected.as_object_mut().map(|o| o.remove("note"));
        assert_eq!(read(&text, &PET), Ok(expected));
    }

    #[test]
    fn a_list_at_the_root_has_one_root_and_map_keys_that_name_no_element_are_entries() {
        static LIST: Shape = Shape::List {
            item: "Pet",
            wrapped: false,
            shape: &PET,
        };
        let pets = json!([{ "id": 1, "name": "a" }, { "id": 2, "name": "b" }]);
        let text = write("pets", &LIST, &pets);
        assert_eq!(
            text,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><pets><Pet id=\"1\"><name>a</name></Pet><Pet id=\"2\"><name>b</name></Pet></pets>"
        );
        assert_eq!(read(&text, &LIST), Ok(pets));
        let labels = write(
            "labels",
            &Shape::Any,
            &json!({ "ok": "1", "a><admin>x</admin><b": "2" }),
        );
        assert!(
            labels.contains("<ok>1</ok><entry key=\"a&gt;&lt;admin&gt;x&lt;/admin&gt;&lt;b\"><value>2</value></entry>"),
            "{labels}"
        );
    }

    #[test]
    fn reading_is_lenient_and_refuses_what_is_not_xml() {
        let text = "<ns:Pet xmlns:ns=\"urn:x\" id=\" 9 \" extra=\"1\">\n  <ns:name><![CDATA[a<b]]>&#33;</ns:name>\n  <unknown/>\n  <sold>maybe</sold>\n</ns:Pet>";
        assert_eq!(
            read(text, &PET),
            Ok(json!({ "id": 9, "name": "a<b!", "sold": "maybe" }))
        );
        assert!(read("<Pet><name>x</Pet>", &PET).is_err());
        assert!(read("<Pet>&bogus;</Pet>", &PET).is_err());
        let deep = "<a>".repeat(300) + &"</a>".repeat(300);
        assert!(read(&deep, &Shape::Any).expect_err("too deep").contains("256"));
    }
}
