//! Streams over paginated lists: by offset, and by the `Link` header's `rel="next"` (RFC 8288).

use super::error::Error;

/// The pages of an offset-paginated operation as a stream: `fetch` sends the builder with an
/// offset, `progress` tells how many items a page held and whether another page follows.
#[doc(hidden)]
pub fn pages<Bd, P, B, Fut>(
    builder: Bd,
    first_offset: i64,
    fetch: fn(Bd, i64) -> Fut,
    progress: fn(&P) -> (usize, bool),
) -> impl futures::Stream<Item = Result<P, Error<B>>>
where
    Bd: Clone,
    Fut: std::future::Future<Output = Result<P, Error<B>>>,
{
    futures::stream::try_unfold(Some(first_offset), move |offset| {
        let builder = builder.clone();
        async move {
            let Some(offset) = offset else {
                return Ok(None);
            };
            let page = fetch(builder, offset).await?;
            let (count, has_next) = progress(&page);
            // An empty page ends the stream even if it links onwards, so a server that keeps
            // answering `next` cannot make it loop forever.
            let next = (has_next && count > 0).then(|| offset.saturating_add(count as i64));
            Ok(Some((page, next)))
        }
    })
}

/// The items of a stream of pages, in order.
#[doc(hidden)]
pub fn items<P, T, B>(
    pages: impl futures::Stream<Item = Result<P, Error<B>>>,
    take: fn(P) -> Vec<T>,
) -> impl futures::Stream<Item = Result<T, Error<B>>> {
    use futures::TryStreamExt;
    pages
        .map_ok(move |page| futures::stream::iter(take(page).into_iter().map(Ok)))
        .try_flatten()
}

/// The pages of a list that a `Link` header pages through: the first answer to `first`, then
/// the page each answer's `rel="next"` link names, until one names none. A link to a page
/// already fetched, or to another origin (where the client's credentials must not go), ends
/// the stream: with nothing more for the former, with an error for the latter.
#[doc(hidden)]
pub fn link_pages<'a, T: 'a, B: 'static>(
    first: Result<super::Request<'a, B>, Error<B>>,
    decode: fn(&super::Response) -> Result<Vec<T>, Error<B>>,
) -> impl futures::Stream<Item = Result<Vec<T>, Error<B>>> + 'a {
    let state = first.map(|request| (request, std::collections::HashSet::new()));
    futures::stream::try_unfold(Some(state), move |state| async move {
        let (request, mut seen) = match state {
            None => return Ok(None),
            Some(state) => state?,
        };
        let here = request.target();
        if let Some(here) = &here {
            seen.insert(here.to_string());
        }
        let template = request.clone();
        let response = request.send().await?;
        let page = decode(&response)?;
        let next = response
            .next_link()
            .and_then(|link| match &here {
                Some(here) => here.join(&link).ok(),
                None => reqwest::Url::parse(&link).ok(),
            })
            .filter(|url| !seen.contains(url.as_str()));
        let following = match next {
            None => None,
            Some(url) => match template.at(url) {
                Some(request) => Some(Ok((request, seen))),
                None => Some(Err(Error::InvalidRequest(
                    "the next page's link points to another origin; it was not followed, so no credential went there"
                        .to_owned(),
                ))),
            },
        };
        Ok(Some((page, following)))
    })
}

/// The `rel="next"` target among a `Link` header's values (RFC 8288), as written.
pub(crate) fn next_link(headers: &reqwest::header::HeaderMap) -> Option<String> {
    for value in headers.get_all(reqwest::header::LINK) {
        let Ok(value) = value.to_str() else { continue };
        for entry in value.split(',') {
            let mut parts = entry.split(';');
            let target = parts.next()?.trim();
            let Some(target) = target.strip_prefix('<').and_then(|t| t.strip_suffix('>')) else {
                continue;
            };
            let is_next = parts.any(|p| {
                let p = p.trim();
                p.strip_prefix("rel=").is_some_and(|rel| {
                    rel.trim_matches('"')
                        .split_ascii_whitespace()
                        .any(|r| r.eq_ignore_ascii_case("next"))
                })
            });
            if is_next {
                return Some(target.to_owned());
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::next_link;

    #[test]
    fn the_next_link_is_found_among_others() {
        let mut headers = reqwest::header::HeaderMap::new();
        headers.insert(
            reqwest::header::LINK,
            r#"<https://api.example.com/x?page=1>; rel="prev", <https://api.example.com/x?page=3>; rel="next last""#
                .parse()
                .expect("a header value"),
        );
        assert_eq!(next_link(&headers).as_deref(), Some("https://api.example.com/x?page=3"));
        headers.insert(
            reqwest::header::LINK,
            "</x?page=2>; rel=next".parse().expect("a header value"),
        );
        assert_eq!(next_link(&headers).as_deref(), Some("/x?page=2"));
        headers.insert(
            reqwest::header::LINK,
            "<https://a/>; rel=\"prev\"".parse().expect("a header value"),
        );
        assert_eq!(next_link(&headers), None);
    }
}
