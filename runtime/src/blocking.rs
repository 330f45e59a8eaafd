//! Sending without an async runtime of the caller's (the crate's `blocking` feature): each
//! builder's `send_blocking` runs its `send` on a runtime the client keeps for the process.

use super::error::Error;
use std::future::Future;
use std::sync::OnceLock;

/// Runs `call` to completion on the process's shared runtime, from a thread that is not
/// itself running asynchronous code (calling this from inside an async runtime would stall
/// it, so it is an error instead).
#[doc(hidden)]
pub fn block_on<T, B>(call: impl Future<Output = Result<T, Error<B>>>) -> Result<T, Error<B>> {
    if tokio::runtime::Handle::try_current().is_ok() {
        return Err(Error::InvalidRequest(
            "send_blocking was called from asynchronous code, where it would block the runtime; use `.send().await` there"
                .to_owned(),
        ));
    }
    static RUNTIME: OnceLock<Result<tokio::runtime::Runtime, String>> = OnceLock::new();
    let runtime = RUNTIME.get_or_init(|| {
        // One worker drives connections and timers; each caller's thread runs its own call, so
        // threads may send at the same time.
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .thread_name("api-client-blocking")
            .enable_all()
            .build()
            .map_err(|e| e.to_string())
    });
    match runtime {
        Ok(runtime) => runtime.block_on(call),
        Err(e) => Err(Error::InvalidRequest(format!(
            "the runtime for blocking calls could not start: {e}"
        ))),
    }
}
