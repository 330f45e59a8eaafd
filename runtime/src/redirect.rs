//! What the client does when the server answers with a redirect.

/// How the client treats a redirect (HTTP 301, 302, 303, 307 or 308).
///
/// The default, [`RedirectPolicy::SameOrigin`] with at most 5 hops in a row, follows a redirect
/// only when that cannot do harm: the request is a `GET` or `HEAD` (no body is sent again and
/// nothing is changed twice) and the new location has the same origin (scheme, host and port)
/// as the request, so credentials never reach another server and no `Referer` is sent. Any other
/// redirect ends the call with [`Error::Redirected`](super::Error::Redirected), which says where
/// the server pointed; a `POST` answered with `307` is never re-sent, and a `302` is never
/// turned into a `GET` that reports success for work that was not done.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RedirectPolicy {
    /// Never follow a redirect.
    None,
    /// Follow redirects of `GET` and `HEAD` requests within the same origin, at most `max` in a row.
    SameOrigin {
        /// How many redirects one request may follow.
        max: u8,
    },
}

impl Default for RedirectPolicy {
    fn default() -> Self {
        RedirectPolicy::SameOrigin { max: 5 }
    }
}

impl RedirectPolicy {
    /// Whether this policy follows any redirect of a `method` request.
    pub(crate) fn follows(self, method: &reqwest::Method) -> bool {
        matches!(self, RedirectPolicy::SameOrigin { .. })
            && (method == reqwest::Method::GET || method == reqwest::Method::HEAD)
    }

    /// Where to send `method` next, if `status` is a redirect to `location` (relative to `from`)
    /// that this policy follows after `hops` redirects already followed.
    pub(crate) fn next(
        self,
        method: &reqwest::Method,
        status: u16,
        from: &reqwest::Url,
        location: Option<&str>,
        hops: u8,
    ) -> Option<reqwest::Url> {
        let RedirectPolicy::SameOrigin { max } = self else {
            return None;
        };
        if !is_redirect(status) || hops >= max || !self.follows(method) {
            return None;
        }
        let to = from.join(location?).ok()?;
        same_origin(from, &to).then_some(to)
    }
}

/// The `Location` an answer points to, if it says one.
pub(crate) fn location(headers: &reqwest::header::HeaderMap) -> Option<&str> {
    headers.get(reqwest::header::LOCATION).and_then(|l| l.to_str().ok())
}

/// Whether `status` asks the client to look elsewhere.
pub(crate) fn is_redirect(status: u16) -> bool {
    matches!(status, 301 | 302 | 303 | 307 | 308)
}

pub(crate) fn same_origin(a: &reqwest::Url, b: &reqwest::Url) -> bool {
    a.scheme() == b.scheme() && a.host_str() == b.host_str() && a.port_or_known_default() == b.port_or_known_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(s: &str) -> reqwest::Url {
        s.parse().expect("url")
    }

    #[test]
    fn only_safe_requests_follow_only_to_the_same_origin() {
        let from = url("https://api.example.com/v1/installs?limit=5");
        let policy = RedirectPolicy::default();
        let get = reqwest::Method::GET;
        assert_eq!(
            policy.next(&get, 302, &from, Some("/v1/installs/"), 0),
            Some(url("https://api.example.com/v1/installs/"))
        );
        assert_eq!(
            policy.next(&get, 301, &from, Some("https://api.example.com:443/v2"), 4),
            Some(url("https://api.example.com/v2"))
        );
        assert_eq!(policy.next(&get, 302, &from, Some("/v2"), 5), None, "too many hops");
        assert_eq!(
            policy.next(&get, 302, &from, Some("https://evil.example.net/"), 0),
            None
        );
        assert_eq!(policy.next(&get, 302, &from, Some("http://api.example.com/"), 0), None);
        assert_eq!(
            policy.next(&get, 302, &from, Some("https://api.example.com:8443/"), 0),
            None
        );
        assert_eq!(policy.next(&reqwest::Method::POST, 307, &from, Some("/v2"), 0), None);
        assert_eq!(policy.next(&get, 304, &from, Some("/v2"), 0), None, "not a redirect");
        assert_eq!(policy.next(&get, 302, &from, None, 0), None, "nowhere to go");
        assert_eq!(RedirectPolicy::None.next(&get, 302, &from, Some("/v2"), 0), None);
    }
}
