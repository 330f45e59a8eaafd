//! A crate that generates its API client at build time: `build.rs` turns `notes.yaml` into the
//! module `notes` in `OUT_DIR`, and the line below includes it. Nothing generated is checked in.

include!(concat!(env!("OUT_DIR"), "/notes.rs"));

use futures::TryStreamExt;

/// The text of every note, fetching pages of `page_size` as the list is read.
///
/// # Errors
/// The first error of any page: the API's own (a rejected token, say) or the transport's.
pub async fn all_texts(client: &notes::Client, page_size: i64) -> Result<Vec<String>, notes::Error> {
    client
        .list_notes()
        .limit(page_size)
        .items()
        .map_ok(|note| note.text)
        .try_collect()
        .await
}
