//! Security schemes the later stages can read: an OAuth 2.0 flow without a usable URL, and a
//! scheme that is not a valid one, are left out (each with a warning at its pointer), instead
//! of costing the whole document. A requirement naming a scheme left out cannot be met.

use crate::error::Warning;
use crate::pointer::Pointer;
use serde_json::Value;

/// The flows of OAuth 2.0 and the URLs each must have.
const FLOWS: &[(&str, &[&str])] = &[
    ("implicit", &["authorizationUrl"]),
    ("password", &["tokenUrl"]),
    ("clientCredentials", &["tokenUrl"]),
    ("authorizationCode", &["authorizationUrl", "tokenUrl"]),
];

/// Checks every scheme of `components/securitySchemes`, in place.
pub(crate) fn usable_schemes(doc: &mut Value) -> Vec<Warning> {
    let mut warnings = Vec::new();
    let Some(schemes) = doc
        .pointer_mut("/components/securitySchemes")
        .and_then(Value::as_object_mut)
    else {
        return warnings;
    };
    let base = Pointer::at(&["components", "securitySchemes"]);
    schemes.retain(|name, scheme| {
        let ptr = base.join(name);
        if scheme.get("$ref").is_some() {
            // A reference is the model's to refuse or follow.
            return true;
        }
        if scheme.get("type").and_then(Value::as_str) == Some("oauth2") {
            usable_flows(scheme, &ptr, &mut warnings);
        }
        match serde_json::from_value::<openapiv3::SecurityScheme>(scheme.clone()) {
            Ok(_) => true,
            Err(e) => {
                warnings.push(Warning {
                    file: None,
                    pointer: ptr,
                    message: format!(
                        "not a security scheme the client can read ({e}): left out, and the requirements that name it cannot be met"
                    ),
                });
                false
            }
        }
    });
    warnings
}

/// Leaves out the flows of an OAuth 2.0 scheme that lack a URL they need or whose URL does not
/// parse, and a `refreshUrl` or `x-revocation-url` that does not parse.
fn usable_flows(scheme: &mut Value, ptr: &Pointer, warnings: &mut Vec<Warning>) {
    let Some(flows) = scheme.get_mut("flows").and_then(Value::as_object_mut) else {
        return;
    };
    let ptr = ptr.join("flows");
    for (flow, needs) in FLOWS {
        let Some(node) = flows.get_mut(*flow) else { continue };
        let flow_ptr = ptr.join(flow);
        let missing = needs
            .iter()
            .find(|key| !node.get(**key).and_then(Value::as_str).is_some_and(usable_url));
        if let Some(key) = missing {
            let message = match node.get(*key) {
                None => format!("the `{flow}` flow has no `{key}`: the flow is left out"),
                Some(found) => format!("`{found}` is not a URL: the `{flow}` flow is left out"),
            };
            let pointer = if node.get(*key).is_some() {
                flow_ptr.join(key)
            } else {
                flow_ptr
            };
            warnings.push(Warning {
                file: None,
                pointer,
                message,
            });
            flows.remove(*flow);
            continue;
        }
        for optional in ["refreshUrl", "x-revocation-url"] {
            let Some(found) = node.get(optional) else { continue };
            if found.as_str().is_some_and(usable_url) {
                continue;
            }
            warnings.push(Warning {
                file: None,
                pointer: flow_ptr.join(optional),
                message: format!("`{found}` is not a URL: left out"),
            });
            if let Some(node) = node.as_object_mut() {
                node.remove(optional);
            }
        }
    }
}

/// An absolute `http`/`https` URL with a host, or a path (`/oauth/token`) taken relative to the
/// server, with no white space.
pub(crate) fn usable_url(url: &str) -> bool {
    if url.is_empty() || url.chars().any(char::is_whitespace) {
        return false;
    }
    if let Some(path) = url.strip_prefix('/') {
        return !path.starts_with('/');
    }
    let rest = ["https://", "http://"].iter().find_map(|scheme| {
        url.get(..scheme.len())
            .filter(|s| s.eq_ignore_ascii_case(scheme))
            .map(|_| &url[scheme.len()..])
    });
    rest.is_some_and(|rest| {
        let host = rest.split(['/', '?', '#']).next().unwrap_or("");
        let host = host.rsplit('@').next().unwrap_or(host);
        !host.is_empty() && !host.starts_with(':')
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn urls_absolute_with_a_host_or_paths_are_usable() {
        for ok in [
            "https://auth.example/token",
            "HTTP://a:8080",
            "/oauth/token",
            "https://h/x?y=1",
        ] {
            assert!(usable_url(ok), "{ok}");
        }
        for bad in [
            "",
            "token",
            "ftp://x/y",
            "https://",
            "https:///x",
            "//host/x",
            "https://a b",
            "http://:80/",
        ] {
            assert!(!usable_url(bad), "{bad}");
        }
    }

    #[test]
    fn flows_without_usable_urls_are_left_out_with_a_warning_each() {
        let mut doc = json!({"components": {"securitySchemes": {
            "oauth": {"type": "oauth2", "flows": {
                "clientCredentials": {"scopes": {}},
                "authorizationCode": {"authorizationUrl": "/authorize", "tokenUrl": "not a url", "scopes": {}},
                "password": {"tokenUrl": "https://a.example/token", "refreshUrl": 7, "scopes": {}}
            }},
            "broken": {"type": "apiKey", "name": "k"},
            "fine": {"type": "http", "scheme": "basic"}
        }}});
        let warnings = usable_schemes(&mut doc);
        let at: Vec<String> = warnings.iter().map(|w| w.pointer.to_string()).collect();
        assert_eq!(
            at,
            [
                "#/components/securitySchemes/oauth/flows/password/refreshUrl",
                "#/components/securitySchemes/oauth/flows/clientCredentials",
                "#/components/securitySchemes/oauth/flows/authorizationCode/tokenUrl",
                "#/components/securitySchemes/broken",
            ]
        );
        let schemes = &doc["components"]["securitySchemes"];
        assert_eq!(
            schemes["oauth"]["flows"],
            json!({"password": {"tokenUrl": "https://a.example/token", "scopes": {}}})
        );
        assert!(schemes.get("broken").is_none());
        assert!(schemes.get("fine").is_some());
    }
}
