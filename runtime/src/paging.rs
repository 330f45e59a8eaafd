//! Streams over paginated lists: by number (an offset or a page number), by cursor, and by
//! the `Link` header's `rel="next"` (RFC 8288).

use super::error::Error;

/// The pages of a list paged by number (an offset, or a page number) as a stream: `fetch`
/// sends the builder for a number, `next` tells how many items a page held and the number of
/// the page after it, if any. An empty page, or a next number that does not grow, ends the
/// stream, so a server that keeps pointing onwards (or back) cannot make it loop forever.
#[doc(hidden)]
pub fn numbered_pages<Bd, N, P, B, Fut>(
    builder: Bd,
    first: N,
    fetch: fn(Bd, N) -> Fut,
    next: fn(&P, N) -> (usize, Option<N>),
) -> impl futures::Stream<Item = Result<P, Error<B>>>
where
    Bd: Clone,
    N: Copy + PartialOrd,
    Fut: std::future::Future<Output = Result<P, Error<B>>>,
{
    futures::stream::try_unfold(Some(first), move |number| {
        let builder = builder.clone();
        async move {
            let Some(number) = number else {
                return Ok(None);
            };
            let page = fetch(builder, number).await?;
            let (count, following) = next(&page, number);
            let following = following.filter(|n| count > 0 && *n > number);
            Ok(Some((page, following)))
        }
    })
}

/// The pages of a list paged by cursor as a stream: the first as the builder is, then each
/// with the cursor the page before named (`fetch` sets it). `next` tells how many items a page
/// held and the next cursor, if any. An empty page, an empty cursor, or one already sent ends
/// the stream.
#[doc(hidden)]
pub fn cursor_pages<Bd, P, B, Fut>(
    builder: Bd,
    fetch: fn(Bd, Option<String>) -> Fut,
    next: fn(&P) -> (usize, Option<String>),
) -> impl futures::Stream<Item = Result<P, Error<B>>>
where
    Bd: Clone,
    Fut: std::future::Future<Output = Result<P, Error<B>>>,
{
    let start = Some((None, std::collections::HashSet::new()));
    futures::stream::try_unfold(start, move |state| {
        let builder = builder.clone();
        async move {
            let Some((cursor, mut seen)) = state else {
                return Ok(None);
            };
            let page = fetch(builder, cursor).await?;
            let (count, following) = next(&page);
            let following = following
                .filter(|c| count > 0 && !c.is_empty() && seen.insert(c.clone()))
                .map(|c| (Some(c), seen));
            Ok(Some((page, following)))
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
pub fn link_pages<T, B: 'static>(
    first: impl FnOnce() -> Result<super::Request<B>, Error<B>>,
    decode: impl Fn(&super::Response) -> Result<Vec<T>, Error<B>> + Copy,
) -> impl futures::Stream<Item = Result<Vec<T>, Error<B>>> {
    // The first request is prepared when the stream is first polled, like every later one.
    futures::stream::try_unfold(LinkState::First(first), move |state| async move {
        let (request, mut seen) = match state {
            LinkState::Done => return Ok(None),
            LinkState::Failed(error) => return Err(error),
            LinkState::First(first) => (first()?, std::collections::HashSet::new()),
            LinkState::Next(request, seen) => (*request, seen),
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
            None => LinkState::Done,
            Some(url) => match template.at(url) {
                Some(request) => LinkState::Next(Box::new(request), seen),
                None => LinkState::Failed(Error::InvalidRequest(
                    "the next page's link points to another origin; it was not followed, so no credential went there"
                        .to_owned(),
                )),
            },
        };
        Ok(Some((page, following)))
    })
}

/// Where a [`link_pages`] stream is: before its first request, at a next page (with the pages
/// seen so far), at the error that stops it, or past the last page.
enum LinkState<F, B: 'static> {
    First(F),
    Next(Box<super::Request<B>>, std::collections::HashSet<String>),
    Failed(Error<B>),
    Done,
}

/// The `rel="next"` target among a `Link` header's values (RFC 8288), as written. Each link
/// is read whole: its target between `<` and `>` (which may hold commas and semicolons), then
/// its parameters up to the next comma outside quotes.
pub(crate) fn next_link(headers: &reqwest::header::HeaderMap) -> Option<String> {
    headers
        .get_all(reqwest::header::LINK)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(links)
        .find(|(_, params)| {
            params.iter().any(|(name, value)| {
                name.eq_ignore_ascii_case("rel")
                    && value.split_ascii_whitespace().any(|r| r.eq_ignore_ascii_case("next"))
            })
        })
        .map(|(target, _)| target.to_owned())
}

/// The links of one `Link` value: each target with its parameters (names, and values without
/// their quotes). A link that does not start with `<...>` ends the reading.
fn links(value: &str) -> Vec<(&str, Vec<(&str, String)>)> {
    let mut out = Vec::new();
    let mut rest = value;
    loop {
        rest = rest.trim_start_matches(|c: char| c == ',' || c.is_whitespace());
        let Some(after) = rest.strip_prefix('<') else { break };
        let Some(end) = after.find('>') else { break };
        let target = &after[..end];
        rest = &after[end + 1..];
        let mut params = Vec::new();
        while let Some(after) = rest.trim_start().strip_prefix(';') {
            let (name, value, remaining) = param(after);
            params.push((name, value));
            rest = remaining;
        }
        out.push((target, params));
    }
    out
}

/// One `name=value` (or `name="quoted"`, or a bare `name`) parameter at the start of `text`,
/// and what follows it.
fn param(text: &str) -> (&str, String, &str) {
    let text = text.trim_start();
    let name_end = text.find(['=', ';', ',']).unwrap_or(text.len());
    let name = text[..name_end].trim();
    let Some(after) = text[name_end..].strip_prefix('=') else {
        return (name, String::new(), &text[name_end..]);
    };
    let after = after.trim_start();
    if let Some(quoted) = after.strip_prefix('"') {
        let mut value = String::new();
        let mut chars = quoted.char_indices();
        while let Some((i, c)) = chars.next() {
            match c {
                '\\' => value.extend(chars.next().map(|(_, c)| c)),
                '"' => return (name, value, &quoted[i + 1..]),
                c => value.push(c),
            }
        }
        return (name, value, "");
    }
    let end = after.find([';', ',']).unwrap_or(after.len());
    (name, after[..end].trim().to_owned(), &after[end..])
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
        // A target may hold commas and semicolons, and a quoted value commas.
        headers.insert(
            reqwest::header::LINK,
            r#"<https://a/x?ids=1,2;v=3>; title="a, b"; rel="next", <https://a/y>; rel=prev"#
                .parse()
                .expect("a header value"),
        );
        assert_eq!(next_link(&headers).as_deref(), Some("https://a/x?ids=1,2;v=3"));
    }
}
