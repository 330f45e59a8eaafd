//! Reading an event stream's bytes into its events, as they arrive: server-sent events
//! (`text/event-stream`, as the HTML standard defines them), newline-delimited JSON
//! (`application/x-ndjson`, `application/jsonl`) and JSON text sequences
//! (`application/json-seq`, RFC 7464). Pure and synchronous: `event_stream` feeds it the
//! chunks of a live response and decodes what it gives.
//!
//! A line, or the data of one event, longer than the bound is an error, so a server cannot
//! make the client hold an unbounded amount of memory.

use std::collections::VecDeque;
use std::time::Duration;

/// How the events of a stream are framed.
#[doc(hidden)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Framing {
    /// Server-sent events: `field: value` lines, an event ended by a blank line.
    ServerSent,
    /// One JSON value per line (NDJSON, JSON Lines); blank lines are skipped.
    JsonLines,
    /// RFC 7464: each JSON value starts with the record separator (0x1E).
    JsonSeq,
}

/// One event as it came, before its data is decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RawEvent {
    /// The `event` field, if the server named the event.
    pub(crate) name: Option<String>,
    /// The last event id in effect when the event was sent (ids carry over to later events).
    pub(crate) id: Option<String>,
    /// The reconnection time the server asked for, if it did in this event.
    pub(crate) retry: Option<Duration>,
    /// The data: the `data` lines joined by newlines, or the JSON text of one record.
    pub(crate) data: String,
}

/// A line or event longer than the bound.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct TooLarge {
    pub(crate) limit: usize,
}

/// The state of one connection's framing: a line in progress and, for server-sent events,
/// the fields of the event in progress.
#[derive(Debug)]
pub(crate) struct Framer {
    framing: Framing,
    limit: usize,
    /// The bytes of the line (or record) in progress.
    line: Vec<u8>,
    /// The last byte was a carriage return, so a line feed right after it ends nothing.
    after_cr: bool,
    /// The stream's first bytes were looked at for a byte order mark.
    started: bool,
    name: Option<String>,
    data: String,
    has_data: bool,
    retry: Option<Duration>,
    /// The last event id buffer, set by an `id` field, which outlives each event.
    last_id: Option<String>,
    /// The id in effect at the last blank line: what a reconnection resumes from (an id
    /// field of an event cut off does not count).
    resume_id: Option<String>,
    /// The last reconnection time the server asked for.
    reconnect: Option<Duration>,
}

impl Framer {
    /// A framer for `framing`, refusing lines and events longer than `limit` bytes, starting
    /// from the last event id a previous connection saw.
    pub(crate) fn new(framing: Framing, limit: usize, last_id: Option<String>) -> Self {
        Framer {
            framing,
            limit,
            line: Vec::new(),
            after_cr: false,
            started: false,
            name: None,
            data: String::new(),
            has_data: false,
            retry: None,
            resume_id: last_id.clone(),
            last_id,
            reconnect: None,
        }
    }

    /// The id of the last event completed, to resume from.
    pub(crate) fn last_id(&self) -> Option<&str> {
        self.resume_id.as_deref()
    }

    /// The last reconnection time the server asked for (`retry`), on this connection.
    pub(crate) fn reconnect(&self) -> Option<Duration> {
        self.reconnect
    }

    /// Reads `chunk`, adding each event it completes to `out`.
    pub(crate) fn feed(&mut self, mut chunk: &[u8], out: &mut VecDeque<RawEvent>) -> Result<(), TooLarge> {
        if !self.started && !chunk.is_empty() {
            self.started = true;
            chunk = chunk.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(chunk);
        }
        for &byte in chunk {
            let ends = match self.framing {
                Framing::ServerSent => byte == b'\n' || byte == b'\r',
                Framing::JsonLines => byte == b'\n',
                Framing::JsonSeq => byte == 0x1E,
            };
            if !ends {
                self.after_cr = false;
                if self.line.len() >= self.limit {
                    return Err(TooLarge { limit: self.limit });
                }
                self.line.push(byte);
                continue;
            }
            // `\r\n` ends one line, not two.
            let skip = self.after_cr && byte == b'\n';
            self.after_cr = byte == b'\r';
            if !skip {
                let line = std::mem::take(&mut self.line);
                self.line_done(&line, out)?;
            }
        }
        Ok(())
    }

    /// The end of the stream: a JSON record still in progress is complete (a last line needs
    /// no newline), while a server-sent event not ended by a blank line is dropped, as the
    /// standard says (it may have been cut off).
    pub(crate) fn finish(&mut self, out: &mut VecDeque<RawEvent>) -> Result<(), TooLarge> {
        let line = std::mem::take(&mut self.line);
        match self.framing {
            Framing::ServerSent => Ok(()),
            Framing::JsonLines | Framing::JsonSeq => self.line_done(&line, out),
        }
    }

    fn line_done(&mut self, line: &[u8], out: &mut VecDeque<RawEvent>) -> Result<(), TooLarge> {
        match self.framing {
            Framing::ServerSent => self.field(line, out),
            Framing::JsonLines | Framing::JsonSeq => {
                let text = String::from_utf8_lossy(line);
                let record = text.trim();
                if !record.is_empty() {
                    out.push_back(RawEvent {
                        name: None,
                        id: None,
                        retry: None,
                        data: record.to_owned(),
                    });
                }
                Ok(())
            }
        }
    }

    /// One line of a server-sent event: a field, a comment, or the blank line that ends it.
    fn field(&mut self, line: &[u8], out: &mut VecDeque<RawEvent>) -> Result<(), TooLarge> {
        if line.is_empty() {
            self.dispatch(out);
            return Ok(());
        }
        // A comment: keep-alives are sent this way.
        if line.first() == Some(&b':') {
            return Ok(());
        }
        let text = String::from_utf8_lossy(line);
        let (field, value) = match text.split_once(':') {
            Some((field, value)) => (field, value.strip_prefix(' ').unwrap_or(value)),
            None => (text.as_ref(), ""),
        };
        match field {
            "event" => self.name = Some(value.to_owned()),
            "data" => {
                if self.data.len() + value.len() + 1 > self.limit {
                    return Err(TooLarge { limit: self.limit });
                }
                if self.has_data {
                    self.data.push('\n');
                }
                self.data.push_str(value);
                self.has_data = true;
            }
            "id" if !value.contains('\0') => self.last_id = Some(value.to_owned()).filter(|id| !id.is_empty()),
            "retry" if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) => {
                self.retry = value.parse().ok().map(Duration::from_millis);
                self.reconnect = self.retry.or(self.reconnect);
            }
            // Unknown fields are ignored, as the standard says.
            _ => {}
        }
        Ok(())
    }

    /// Ends the event in progress: it is handed over when it has data, and forgotten
    /// otherwise (its id and reconnection time still count).
    fn dispatch(&mut self, out: &mut VecDeque<RawEvent>) {
        self.resume_id.clone_from(&self.last_id);
        let name = self.name.take();
        let retry = self.retry.take();
        if std::mem::take(&mut self.has_data) {
            out.push_back(RawEvent {
                name,
                id: self.last_id.clone(),
                retry,
                data: std::mem::take(&mut self.data),
            });
        } else if let Some(retry) = retry {
            // A reconnection time alone is an event of no data; keep it for the next one.
            self.retry = Some(retry);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn events(framing: Framing, chunks: &[&[u8]]) -> Vec<RawEvent> {
        let mut framer = Framer::new(framing, 1024, None);
        let mut out = VecDeque::new();
        for chunk in chunks {
            framer.feed(chunk, &mut out).expect("within the bound");
        }
        framer.finish(&mut out).expect("within the bound");
        out.into_iter().collect()
    }

    fn event(name: Option<&str>, id: Option<&str>, data: &str) -> RawEvent {
        RawEvent {
            name: name.map(str::to_owned),
            id: id.map(str::to_owned),
            retry: None,
            data: data.to_owned(),
        }
    }

    #[test]
    fn server_sent_events_are_read_field_by_field_whatever_the_chunks() {
        let stream: &[u8] = b"\xEF\xBB\xBF: keep-alive\n\nevent: add\nid: 1\ndata: {\"n\":\ndata: 1}\n\n\
            data:no space\r\n\r\nid\nevent: x\ndata\n\ndata: cut off";
        let expected = vec![
            event(Some("add"), Some("1"), "{\"n\":\n1}"),
            event(None, Some("1"), "no space"),
            event(Some("x"), None, ""),
        ];
        assert_eq!(events(Framing::ServerSent, &[stream]), expected);
        // Byte by byte, a `\r\n` split across chunks included.
        let bytes: Vec<&[u8]> = stream.chunks(1).collect();
        assert_eq!(events(Framing::ServerSent, &bytes), expected);
    }

    #[test]
    fn ids_carry_over_and_reconnection_times_are_read_as_milliseconds() {
        let got = events(
            Framing::ServerSent,
            &[b"retry: 2500\nid: 7\ndata: a\n\ndata: b\n\nretry: soon\nid: bad\0id\ndata: c\n\n"],
        );
        assert_eq!(got[0].retry, Some(Duration::from_millis(2500)));
        assert_eq!(got[0].id.as_deref(), Some("7"));
        assert_eq!(got[1].id.as_deref(), Some("7"));
        assert_eq!(got[1].retry, None);
        // `retry` that is not a number and an id holding NUL are ignored.
        assert_eq!((got[2].id.as_deref(), got[2].retry), (Some("7"), None));
    }

    #[test]
    fn json_lines_and_json_sequences_give_one_record_each() {
        let lines = events(Framing::JsonLines, &[b"{\"a\":1}\r\n\n  \n{\"a\"", b":2}"]);
        assert_eq!(
            lines,
            vec![event(None, None, "{\"a\":1}"), event(None, None, "{\"a\":2}")]
        );
        let seq = events(Framing::JsonSeq, &[b"\x1E{\"a\":1}\n\x1E[2]\n"]);
        assert_eq!(seq, vec![event(None, None, "{\"a\":1}"), event(None, None, "[2]")]);
    }

    #[test]
    fn a_line_or_an_event_past_the_bound_is_refused() {
        let mut framer = Framer::new(Framing::ServerSent, 8, None);
        let mut out = VecDeque::new();
        assert_eq!(framer.feed(b"data: 123456789", &mut out), Err(TooLarge { limit: 8 }));
        let mut framer = Framer::new(Framing::ServerSent, 8, None);
        assert_eq!(
            framer.feed(b"data: 1234\ndata: 5678\n", &mut out),
            Err(TooLarge { limit: 8 })
        );
        let mut framer = Framer::new(Framing::JsonLines, 8, None);
        assert_eq!(framer.feed(&[b'1'; 9], &mut out), Err(TooLarge { limit: 8 }));
        assert!(out.is_empty());
    }

    #[test]
    fn a_resumed_connection_keeps_the_last_id() {
        let got = events_from(Some("41"), b"data: x\n\n");
        assert_eq!(got[0].id.as_deref(), Some("41"));
    }

    #[test]
    fn the_id_of_an_event_cut_off_is_not_resumed_from() {
        let mut framer = Framer::new(Framing::ServerSent, 1024, None);
        let mut out = VecDeque::new();
        framer
            .feed(b"id: 1\ndata: a\n\nid: 2\ndata: b", &mut out)
            .expect("within the bound");
        assert_eq!(framer.last_id(), Some("1"));
        framer.feed(b"\n\n", &mut out).expect("within the bound");
        assert_eq!(framer.last_id(), Some("2"));
    }

    fn events_from(last_id: Option<&str>, bytes: &[u8]) -> Vec<RawEvent> {
        let mut framer = Framer::new(Framing::ServerSent, 1024, last_id.map(str::to_owned));
        let mut out = VecDeque::new();
        framer.feed(bytes, &mut out).expect("within the bound");
        out.into_iter().collect()
    }
}
