//! Streams over offset-paginated lists.

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
