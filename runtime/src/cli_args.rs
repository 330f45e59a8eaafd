//! The tool's arguments read as values of the operation's types: parameters, the request
//! body (from `--body` or one flag per field), uploads, and what to print.

use super::cli::{Arg, Failure, Kind, Output};
use super::Error;
use std::io::Read;

/// The value of an optional argument, if given.
///
/// # Errors
/// A usage failure naming the flag when the text is not a value of the parameter's type.
pub fn value<T: serde::de::DeserializeOwned>(m: &clap::ArgMatches, arg: &Arg) -> Result<Option<T>, Failure> {
    m.get_one::<String>(arg.id).map(|text| parse(arg, text)).transpose()
}

/// The value of a required argument (clap has made sure it was given).
///
/// # Errors
/// As [`value`].
pub fn required<T: serde::de::DeserializeOwned>(m: &clap::ArgMatches, arg: &Arg) -> Result<T, Failure> {
    value(m, arg)?.ok_or_else(|| Failure::usage(format!("error: {} is required", name(arg))))
}

/// The values of a repeated argument, if any was given.
///
/// # Errors
/// As [`value`].
pub fn values<T: serde::de::DeserializeOwned>(m: &clap::ArgMatches, arg: &Arg) -> Result<Option<Vec<T>>, Failure> {
    match m.get_many::<String>(arg.id) {
        None => Ok(None),
        Some(texts) => texts
            .map(|text| parse(arg, text))
            .collect::<Result<Vec<T>, _>>()
            .map(Some),
    }
}

fn name(arg: &Arg) -> String {
    if arg.positional {
        format!("<{}>", arg.flag)
    } else {
        format!("--{}", arg.flag)
    }
}

/// The text given for `arg` as a JSON value: a string as it is, anything else parsed.
fn json_value(arg: &Arg, text: &str) -> Result<serde_json::Value, Failure> {
    match arg.kind {
        Kind::Text => Ok(serde_json::Value::String(text.to_owned())),
        Kind::Json => serde_json::from_str(text)
            .map_err(|e| Failure::usage(format!("error: invalid value '{text}' for {}: {e}", name(arg)))),
    }
}

fn parse<T: serde::de::DeserializeOwned>(arg: &Arg, text: &str) -> Result<T, Failure> {
    serde_json::from_value(json_value(arg, text)?)
        .map_err(|e| Failure::usage(format!("error: invalid value '{text}' for {}: {e}", name(arg))))
}

/// The request body: the JSON `--body` names (a file, or `-` for stdin), or else the one the
/// field flags make, if any was given.
///
/// # Errors
/// A usage failure naming the file or the flag when it cannot be read or is not a body of the
/// type (a required field left out, say).
pub fn body<T: serde::de::DeserializeOwned>(m: &clap::ArgMatches, fields: &[Arg]) -> Result<Option<T>, Failure> {
    let Some(path) = m.get_one::<String>("cli:body") else {
        return from_fields(m, fields);
    };
    let mut text = String::new();
    let read = if path == "-" {
        std::io::stdin().read_to_string(&mut text).map(|_| ())
    } else {
        std::fs::read_to_string(path).map(|t| text = t)
    };
    read.map_err(|e| Failure::usage(format!("error: --body {path}: {e}")))?;
    serde_json::from_str(&text).map(Some).map_err(|e| {
        Failure::usage(format!(
            "error: --body {path}: not a request body of this operation: {e}"
        ))
    })
}

/// The body the field flags given make, or `None` when none was.
fn from_fields<T: serde::de::DeserializeOwned>(m: &clap::ArgMatches, fields: &[Arg]) -> Result<Option<T>, Failure> {
    let mut object = serde_json::Map::new();
    for arg in fields {
        let key = arg.id.strip_prefix("body:").unwrap_or(arg.id);
        let Some(texts) = m.get_many::<String>(arg.id) else {
            continue;
        };
        let mut values = texts.map(|text| json_value(arg, text));
        let value = if arg.multiple {
            serde_json::Value::Array(values.collect::<Result<_, _>>()?)
        } else {
            values.next().transpose()?.unwrap_or(serde_json::Value::Null)
        };
        object.insert(key.to_owned(), value);
    }
    if object.is_empty() {
        return Ok(None);
    }
    serde_json::from_value(serde_json::Value::Object(object))
        .map(Some)
        .map_err(|e| Failure::usage(format!("error: the body's flags do not make a request body: {e}")))
}

/// The file `--body` names (or stdin, for `-`) as an upload: a file is read as it is sent.
///
/// # Errors
/// A usage failure naming the file when it cannot be read.
pub fn upload(m: &clap::ArgMatches) -> Result<Option<super::Upload>, Failure> {
    let Some(path) = m.get_one::<String>("cli:body") else {
        return Ok(None);
    };
    if path == "-" {
        let mut bytes = Vec::new();
        std::io::stdin()
            .read_to_end(&mut bytes)
            .map_err(|e| Failure::usage(format!("error: --body -: {e}")))?;
        return Ok(Some(super::Upload::from(bytes)));
    }
    super::Upload::file(path)
        .map(Some)
        .map_err(|e| Failure::usage(format!("error: --body {path}: {e}")))
}

/// Whether `--all` was given.
pub fn all(m: &clap::ArgMatches) -> bool {
    m.get_flag("cli:all")
}

/// A decoded answer to print as JSON.
///
/// # Errors
/// When the value cannot be written as JSON (exit status 5).
pub fn json<'a, T: serde::Serialize>(value: &T) -> Result<Output<'a>, Failure> {
    answer_value(value).map(Output::Json)
}

/// A decoded answer as a JSON value (exit status 5 when it cannot be one).
fn answer_value<T: serde::Serialize>(value: &T) -> Result<serde_json::Value, Failure> {
    serde_json::to_value(value)
        .map_err(|e| Failure::with_code(5, format!("error: the answer could not be written as JSON: {e}")))
}

/// Every item of a paged list, to print as JSON lines.
pub fn items<'a, T, B, S>(stream: S) -> Output<'a>
where
    T: serde::Serialize + 'a,
    B: std::fmt::Debug + 'a,
    S: futures::Stream<Item = Result<T, Error<B>>> + 'a,
{
    use futures::StreamExt;
    Output::Items(Box::pin(stream.map(|item| match item {
        Ok(item) => answer_value(&item),
        Err(e) => Err(Failure::from(e)),
    })))
}

/// The events of a stream, to print as JSON lines as they arrive: a server-sent event as an
/// object of its fields (`event`, `id` and `retry`, in milliseconds, where given, and `data`),
/// a JSON line or record as itself.
pub fn events<'a, T, B>(stream: super::EventStream<T, B>, framing: super::Framing) -> Output<'a>
where
    T: serde::Serialize + Send + 'static,
    B: std::fmt::Debug + Send + Sync + 'static,
{
    use futures::StreamExt;
    Output::Items(Box::pin(stream.map(move |item| {
        let event = item.map_err(Failure::from)?;
        let data = answer_value(&event.data)?;
        if framing != super::Framing::ServerSent {
            return Ok(data);
        }
        let mut fields = serde_json::Map::new();
        if let Some(name) = event.event {
            fields.insert("event".into(), name.into());
        }
        if let Some(id) = event.id {
            fields.insert("id".into(), id.into());
        }
        if let Some(retry) = event.retry {
            fields.insert(
                "retry".into(),
                u64::try_from(retry.as_millis()).unwrap_or(u64::MAX).into(),
            );
        }
        fields.insert("data".into(), data);
        Ok(serde_json::Value::Object(fields))
    })))
}
