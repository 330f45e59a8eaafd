//! The tool's policy, apart from its mechanics (`cli`): what a subcommand's outcome looks like
//! on the terminal and which exit status it ends with. Output is JSON, pretty on a terminal and
//! compact when piped, items one per line as they arrive; exit statuses: 0 done, 1 set-up
//! failed, 2 usage (nothing sent), 3 the API answered 4xx, 4 it answered 5xx or the request
//! failed, 5 the answer could not be decoded.

use super::Error;
use std::io::{IsTerminal, Write};
use std::pin::Pin;
use std::process::ExitCode;

/// The policy in a sentence or two, for the tool's help.
pub(crate) const HELP: &str =
    "Output is JSON: pretty on a terminal, compact when piped. Exit status: 0 done, 1 set-up \
     failed, 2 usage (nothing sent), 3 the API answered 4xx, 4 it answered 5xx or the request \
     failed, 5 the answer could not be decoded.";

/// What a subcommand prints.
pub enum Output<'a> {
    Nothing,
    Json(serde_json::Value),
    Text(String),
    Bytes(Vec<u8>),
    /// Every item of every page, one JSON value per line as they arrive.
    Items(Pin<Box<dyn futures::Stream<Item = Result<serde_json::Value, Failure>> + 'a>>),
}

/// Why a subcommand failed: what to print on stderr, and the exit status.
#[derive(Debug)]
pub struct Failure {
    code: u8,
    message: String,
}

impl Failure {
    /// A usage error: exit status 2, nothing sent.
    pub fn usage(message: impl Into<String>) -> Self {
        Failure {
            code: 2,
            message: message.into(),
        }
    }

    /// Exit status 1: the client could not be set up, or the output not written.
    pub(crate) fn setup(message: String) -> Self {
        Failure { code: 1, message }
    }

    /// A failure with exit status `code`.
    pub(crate) fn with_code(code: u8, message: String) -> Self {
        Failure { code, message }
    }

    /// The exit status.
    pub fn code(&self) -> u8 {
        self.code
    }
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

/// The exit status by kind of error; an API error prints its body (as the API sent it).
impl<B: std::fmt::Debug> From<Error<B>> for Failure {
    fn from(e: Error<B>) -> Self {
        let code = match &e {
            Error::InvalidRequest(_) | Error::Upload(_) => 2,
            Error::Api(api) if api.status() < 500 => 3,
            Error::RateLimited { .. } | Error::Redirected { .. } => 3,
            Error::Api(_)
            | Error::Transport(_)
            | Error::ResponseTooLarge { .. }
            | Error::PollDeadline { .. }
            | Error::EventTooLarge { .. }
            | Error::Silent { .. } => 4,
            Error::Decode(_) => 5,
            _ => 1,
        };
        let body = match &e {
            Error::Api(api) => Some(api.raw_body()),
            Error::RateLimited { error, .. } | Error::Redirected { error, .. } => Some(error.raw_body()),
            _ => None,
        };
        // The causes below what the error says (a refused connection, say), each once.
        let mut message = format!("error: {e}");
        let mut cause = std::error::Error::source(&e);
        while let Some(c) = cause {
            message.push_str(&format!(": {c}"));
            cause = c.source();
        }
        if let Some(body) = body.filter(|b| !b.is_empty()) {
            let text = serde_json::from_slice::<serde_json::Value>(body)
                .ok()
                .and_then(|v| serde_json::to_string_pretty(&v).ok())
                .unwrap_or_else(|| String::from_utf8_lossy(body).into_owned());
            message.push('\n');
            message.push_str(&text);
        }
        Failure { code, message }
    }
}

/// The exit status of a run, with the failure, if any, on stderr.
pub(crate) fn exit(outcome: Result<(), Failure>) -> ExitCode {
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            eprintln!("{failure}");
            ExitCode::from(failure.code)
        }
    }
}

pub(crate) async fn print(output: Output<'_>) -> Result<(), Failure> {
    let stdout = std::io::stdout();
    let pretty = stdout.is_terminal();
    let mut out = stdout.lock();
    let done = match output {
        Output::Nothing => Ok(()),
        Output::Json(value) => {
            let text = if pretty {
                serde_json::to_string_pretty(&value)
            } else {
                serde_json::to_string(&value)
            };
            writeln!(out, "{}", text.unwrap_or_default())
        }
        Output::Text(text) => writeln!(out, "{text}"),
        Output::Bytes(bytes) => out.write_all(&bytes),
        Output::Items(mut items) => {
            use futures::StreamExt;
            while let Some(item) = items.next().await {
                let line = serde_json::to_string(&item?).unwrap_or_default();
                let line_written = writeln!(out, "{line}").and_then(|()| out.flush());
                if line_written.is_err() {
                    // Nothing more is fetched once the output cannot be written.
                    return written(line_written);
                }
            }
            Ok(())
        }
    };
    written(done.and_then(|()| out.flush()))
}

/// The outcome of writing the output: a reader that went away (`wpe ... | head`) ends it
/// quietly, as it does for other command-line tools; another error is a failure.
pub(crate) fn written(result: std::io::Result<()>) -> Result<(), Failure> {
    match result {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(Failure::setup(format!("error: writing the output: {e}")))
        }
        _ => Ok(()),
    }
}
