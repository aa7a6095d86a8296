//! AMI's wire framing, read incrementally: a banner line (`Asterisk Call
//! Manager/x.y`) once, then messages of `Key: Value` lines (CRLF, a bare LF is
//! accepted), each ended by a blank line. Keys may repeat and are kept in
//! order; a value may contain `:`. Lines and messages are bounded, so a hostile
//! peer cannot make the buffer grow without end: past a bound the parser stops
//! with an error and the connection is dropped.

use std::fmt;

/// Longest line accepted, terminator excluded.
pub const MAX_LINE: usize = 8 * 1024;
/// Largest message accepted (the sum of its lines).
pub const MAX_MESSAGE: usize = 64 * 1024;
/// Most `Key: Value` lines in one message.
pub const MAX_FIELDS: usize = 512;

/// One AMI message: its `Key: Value` lines in the order they came.
#[derive(Clone, PartialEq, Eq, Default)]
pub struct Message {
    pub fields: Vec<(String, String)>,
}

impl fmt::Debug for Message {
    // A Login action carries the secret: Debug never shows it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut m = f.debug_map();
        for (k, v) in &self.fields {
            if k.eq_ignore_ascii_case("secret") || k.eq_ignore_ascii_case("key") {
                m.entry(k, &"[REDACTED]");
            } else {
                m.entry(k, v);
            }
        }
        m.finish()
    }
}

impl Message {
    pub fn new() -> Self {
        Message::default()
    }

    /// Adds a line (builder style), for actions.
    pub fn with(mut self, key: &str, value: impl Into<String>) -> Self {
        self.fields.push((key.to_owned(), value.into()));
        self
    }

    /// The first value of `key` (keys compare without case, as Asterisk does).
    pub fn get(&self, key: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(key))
            .map(|(_, v)| v.as_str())
    }

    /// Every value of a repeated `key`, in order.
    pub fn get_all<'a>(&'a self, key: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.fields
            .iter()
            .filter(move |(k, _)| k.eq_ignore_ascii_case(key))
            .map(|(_, v)| v.as_str())
    }

    /// The message's `Event:` name, if it is an event.
    pub fn event(&self) -> Option<&str> {
        self.get("Event")
    }

    /// The wire form: `Key: Value\r\n` lines and a blank line.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::new();
        for (k, v) in &self.fields {
            out.extend_from_slice(k.as_bytes());
            out.extend_from_slice(b": ");
            out.extend_from_slice(v.as_bytes());
            out.extend_from_slice(b"\r\n");
        }
        out.extend_from_slice(b"\r\n");
        out
    }
}

/// What the parser yields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Frame {
    /// The greeting, e.g. `Asterisk Call Manager/5.0.1`.
    Banner(String),
    Message(Message),
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FrameError {
    #[error("a line is longer than {MAX_LINE} bytes")]
    LineTooLong,
    #[error("a message is larger than {MAX_MESSAGE} bytes or has more than {MAX_FIELDS} lines")]
    MessageTooLarge,
    #[error("the peer is not an Asterisk manager interface (first line {0:?})")]
    NotAmi(String),
}

/// The incremental parser: [`push`](FrameParser::push) bytes as they arrive,
/// then take frames with [`next_frame`](FrameParser::next_frame) until it
/// gives `None`. After an error the parser stays failed.
#[derive(Debug, Default)]
pub struct FrameParser {
    buf: Vec<u8>,
    start: usize,
    banner_seen: bool,
    current: Vec<(String, String)>,
    current_size: usize,
    failed: Option<FrameError>,
}

impl FrameParser {
    pub fn new() -> Self {
        FrameParser::default()
    }

    pub fn push(&mut self, bytes: &[u8]) {
        if self.failed.is_some() {
            return;
        }
        if self.start > 0 && self.start >= self.buf.len() / 2 {
            self.buf.drain(..self.start);
            self.start = 0;
        }
        self.buf.extend_from_slice(bytes);
    }

    /// The next complete frame, `Ok(None)` if more bytes are needed.
    pub fn next_frame(&mut self) -> Result<Option<Frame>, FrameError> {
        if let Some(e) = &self.failed {
            return Err(e.clone());
        }
        let r = self.parse();
        if let Err(e) = &r {
            self.failed = Some(e.clone());
            self.buf = Vec::new();
            self.start = 0;
        }
        r
    }

    fn parse(&mut self) -> Result<Option<Frame>, FrameError> {
        loop {
            let rest = &self.buf[self.start..];
            let Some(nl) = rest.iter().position(|&b| b == b'\n') else {
                if rest.len() > MAX_LINE + 1 {
                    return Err(FrameError::LineTooLong);
                }
                return Ok(None);
            };
            let mut line = &rest[..nl];
            if line.last() == Some(&b'\r') {
                line = &line[..line.len() - 1];
            }
            if line.len() > MAX_LINE {
                return Err(FrameError::LineTooLong);
            }
            let line = String::from_utf8_lossy(line).into_owned();
            self.start += nl + 1;
            if !self.banner_seen {
                self.banner_seen = true;
                if line.starts_with("Asterisk Call Manager/") {
                    return Ok(Some(Frame::Banner(line)));
                }
                let shown: String = line.chars().take(60).collect();
                return Err(FrameError::NotAmi(shown));
            }
            if line.is_empty() {
                if self.current.is_empty() {
                    continue; // stray blank lines between messages
                }
                self.current_size = 0;
                let fields = std::mem::take(&mut self.current);
                return Ok(Some(Frame::Message(Message { fields })));
            }
            self.current_size += line.len();
            if self.current_size > MAX_MESSAGE || self.current.len() >= MAX_FIELDS {
                return Err(FrameError::MessageTooLarge);
            }
            self.current.push(split_line(&line));
        }
    }
}

/// `Key: Value` → (`Key`, `Value`): split at the first `:`, one space after it
/// dropped. A line without `:` (old `Response: Follows` output) is kept whole
/// as a value under the empty key.
fn split_line(line: &str) -> (String, String) {
    match line.split_once(':') {
        Some((k, v)) => (k.to_owned(), v.strip_prefix(' ').unwrap_or(v).to_owned()),
        None => (String::new(), line.to_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn all_frames(p: &mut FrameParser) -> Vec<Frame> {
        let mut out = Vec::new();
        while let Some(f) = p.next_frame().unwrap() {
            out.push(f);
        }
        out
    }

    #[test]
    fn a_banner_then_messages_with_repeated_keys_and_colons_in_values_r_i3() {
        let mut p = FrameParser::new();
        p.push(b"Asterisk Call Manager/5.0.1\r\nResponse: Success\r\nMessage: Authentication accepted\r\n\r\n");
        p.push(b"Event: VarSet\nVariable: A\nVariable: B\nValue: sip:201@10.0.0.1:5060\n\n");
        let frames = all_frames(&mut p);
        assert_eq!(
            frames[0],
            Frame::Banner("Asterisk Call Manager/5.0.1".into())
        );
        let Frame::Message(m) = &frames[2] else {
            panic!("not a message")
        };
        assert_eq!(m.get_all("variable").collect::<Vec<_>>(), ["A", "B"]);
        assert_eq!(m.get("Value"), Some("sip:201@10.0.0.1:5060"));
        assert_eq!(frames.len(), 3);
    }

    #[test]
    fn a_peer_that_is_not_ami_is_refused_r_i3() {
        let mut p = FrameParser::new();
        p.push(b"HTTP/1.1 200 OK\r\n");
        assert!(matches!(p.next_frame(), Err(FrameError::NotAmi(_))));
    }

    #[test]
    fn an_endless_line_is_refused_before_the_buffer_grows_past_the_bound() {
        let mut p = FrameParser::new();
        p.push(b"Asterisk Call Manager/5.0.1\r\n");
        assert!(p.next_frame().unwrap().is_some());
        let chunk = vec![b'a'; 1024];
        let mut refused = false;
        for _ in 0..20 {
            p.push(&chunk);
            if p.next_frame().is_err() {
                refused = true;
                break;
            }
        }
        assert!(refused);
        assert!(p.buf.len() <= MAX_LINE + 1024 + 2);
    }

    #[test]
    fn an_endless_message_is_refused() {
        let mut p = FrameParser::new();
        p.push(b"Asterisk Call Manager/5.0.1\r\n");
        p.next_frame().unwrap();
        let mut refused = false;
        for i in 0..(MAX_FIELDS + 10) {
            p.push(format!("Key{i}: value\r\n").as_bytes());
            if p.next_frame().is_err() {
                refused = true;
                break;
            }
        }
        assert!(refused);
    }

    fn message() -> impl Strategy<Value = Message> {
        let key = "[A-Za-z][A-Za-z0-9_-]{0,15}";
        let value = "[^\r\n]{0,40}";
        proptest::collection::vec((key, value), 1..12).prop_map(|fields| Message { fields })
    }

    proptest! {
        #[test]
        fn messages_split_at_any_points_parse_back_the_same(
            messages in proptest::collection::vec(message(), 1..5),
            cuts in proptest::collection::vec(any::<prop::sample::Index>(), 0..8),
        ) {
            let mut wire = b"Asterisk Call Manager/2.10.4\r\n".to_vec();
            for m in &messages {
                wire.extend(m.to_bytes());
            }
            let mut points: Vec<usize> = cuts.iter().map(|c| c.index(wire.len() + 1)).collect();
            points.sort_unstable();
            let mut p = FrameParser::new();
            let mut got = Vec::new();
            let mut from = 0;
            for at in points.into_iter().chain([wire.len()]) {
                p.push(&wire[from..at]);
                from = at;
                while let Some(f) = p.next_frame().unwrap() {
                    got.push(f);
                }
            }
            prop_assert_eq!(&got[0], &Frame::Banner("Asterisk Call Manager/2.10.4".into()));
            let parsed: Vec<Message> = got[1..].iter().map(|f| match f {
                Frame::Message(m) => m.clone(),
                Frame::Banner(_) => Message::new(),
            }).collect();
            prop_assert_eq!(parsed, messages);
        }

        #[test]
        fn arbitrary_bytes_never_panic(chunks in proptest::collection::vec(proptest::collection::vec(any::<u8>(), 0..300), 0..10)) {
            let mut p = FrameParser::new();
            p.push(b"Asterisk Call Manager/5.0.1\r\n");
            for c in chunks {
                p.push(&c);
                while let Ok(Some(_)) = p.next_frame() {}
            }
        }
    }
}
