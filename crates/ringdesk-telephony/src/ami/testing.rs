//! A fake Asterisk manager interface for the test suites (like
//! `ringdesk_store::testing`, compiled in but used only by tests): a TCP
//! listener that greets, checks the login (plain or MD5 challenge) and
//! replays a transcript written from AMI's documentation. A transcript is the
//! PBX's side of the wire: `#` lines are comments, and a line `--- drop`
//! ends what one connection sends (the server then closes it, and the next
//! connection gets the next segment). Each segment is sent once the client
//! has sent `CoreShowChannels`; `{action}` in it becomes that action's id.

use super::client::md5_key;
use super::frame::{Frame, FrameParser, Message};
use secrecy::SecretString;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// The transcripts under `tests/ami/`, by name.
pub fn transcript(name: &str) -> &'static str {
    match name {
        "answered" => include_str!("../../tests/ami/answered.txt"),
        "cancelled" => include_str!("../../tests/ami/cancelled.txt"),
        "ring_group" => include_str!("../../tests/ami/ring_group.txt"),
        "queue_answered" => include_str!("../../tests/ami/queue_answered.txt"),
        "queue_abandoned" => include_str!("../../tests/ami/queue_abandoned.txt"),
        "transfer" => include_str!("../../tests/ami/transfer.txt"),
        "outbound" => include_str!("../../tests/ami/outbound.txt"),
        "drop_still_up" => include_str!("../../tests/ami/drop_still_up.txt"),
        "drop_gone" => include_str!("../../tests/ami/drop_gone.txt"),
        other => panic!("no AMI transcript {other:?}"),
    }
}

/// A transcript's segments, comments removed, in CRLF as Asterisk sends.
pub fn segments(transcript: &str) -> Vec<String> {
    let mut out = vec![String::new()];
    for line in transcript.lines() {
        if line.starts_with('#') {
            continue;
        }
        if line == "--- drop" {
            out.push(String::new());
            continue;
        }
        let last = out.last_mut().expect("one segment at least");
        if last.is_empty() && line.is_empty() {
            continue;
        }
        last.push_str(line);
        last.push_str("\r\n");
    }
    out
}

#[derive(Debug, Default)]
struct Seen {
    logins: usize,
    connections: usize,
    segments_sent: usize,
    open: usize,
    max_open: usize,
    actions: Vec<Message>,
}

/// A running fake AMI server; it stops when dropped.
pub struct FakeAmi {
    addr: SocketAddr,
    seen: Arc<Mutex<Seen>>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for FakeAmi {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl FakeAmi {
    /// Listens on 127.0.0.1, port 0, accepting `username`/`secret`.
    pub async fn start(username: &str, secret: &str, transcript: &str) -> FakeAmi {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("address");
        let seen = Arc::new(Mutex::new(Seen::default()));
        let segments = Arc::new(segments(transcript));
        let (user, secret) = (username.to_owned(), secret.to_owned());
        let shared = seen.clone();
        let task = tokio::spawn(async move {
            let mut conns = Vec::new();
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    return;
                };
                let n = {
                    let mut s = shared.lock().expect("lock");
                    s.connections += 1;
                    s.open += 1;
                    s.max_open = s.max_open.max(s.open);
                    s.connections - 1
                };
                let segment = segments.get(n).cloned();
                let last = n + 1 >= segments.len();
                let (seen, user, secret) = (shared.clone(), user.clone(), secret.clone());
                conns.push(tokio::spawn(async move {
                    let mut counted_closed = false;
                    let _ = serve(
                        stream,
                        seen.clone(),
                        &user,
                        &secret,
                        segment,
                        last,
                        &mut counted_closed,
                    )
                    .await;
                    if !counted_closed {
                        seen.lock().expect("lock").open -= 1;
                    }
                }));
            }
        });
        FakeAmi { addr, seen, task }
    }

    pub fn port(&self) -> u16 {
        self.addr.port()
    }

    /// Connections accepted so far.
    pub fn connections(&self) -> usize {
        self.seen.lock().expect("lock").connections
    }

    /// The most connections that were open at the same time.
    pub fn max_open(&self) -> usize {
        self.seen.lock().expect("lock").max_open
    }

    /// Connections open now.
    pub fn open(&self) -> usize {
        self.seen.lock().expect("lock").open
    }

    /// Login attempts so far (accepted or not).
    pub fn logins(&self) -> usize {
        self.seen.lock().expect("lock").logins
    }

    /// Segments sent in full so far.
    pub fn segments_sent(&self) -> usize {
        self.seen.lock().expect("lock").segments_sent
    }

    /// Every action the clients sent, logins included.
    pub fn actions(&self) -> Vec<Message> {
        self.seen.lock().expect("lock").actions.clone()
    }
}

async fn serve(
    mut stream: TcpStream,
    seen: Arc<Mutex<Seen>>,
    user: &str,
    secret: &str,
    segment: Option<String>,
    last: bool,
    counted_closed: &mut bool,
) -> std::io::Result<()> {
    stream.write_all(b"Asterisk Call Manager/5.0.1\r\n").await?;
    let mut parser = FrameParser::new();
    parser.push(b"Asterisk Call Manager/5.0.1\r\n");
    let _ = parser.next_frame();
    let challenge = "840212961";
    let mut logged_in = false;
    let mut buf = [0u8; 4096];
    loop {
        let n = stream.read(&mut buf).await?;
        if n == 0 {
            return Ok(());
        }
        parser.push(&buf[..n]);
        while let Ok(Some(Frame::Message(m))) = parser.next_frame() {
            seen.lock().expect("lock").actions.push(m.clone());
            let id = m.get("ActionID").unwrap_or_default().to_owned();
            let action = m.get("Action").unwrap_or_default().to_ascii_lowercase();
            let reply =
                |r: &str, more: &str| format!("Response: {r}\r\nActionID: {id}\r\n{more}\r\n");
            match action.as_str() {
                "challenge" => {
                    let r = reply("Success", &format!("Challenge: {challenge}\r\n"));
                    stream.write_all(r.as_bytes()).await?;
                }
                "login" => {
                    seen.lock().expect("lock").logins += 1;
                    let ok = m.get("Username") == Some(user)
                        && match m.get("AuthType") {
                            Some(t) if t.eq_ignore_ascii_case("md5") => {
                                m.get("Key")
                                    == Some(
                                        md5_key(challenge, &SecretString::from(secret)).as_str(),
                                    )
                            }
                            _ => m.get("Secret") == Some(secret),
                        };
                    if ok {
                        logged_in = true;
                        let r = reply("Success", "Message: Authentication accepted\r\n");
                        stream.write_all(r.as_bytes()).await?;
                    } else {
                        let r = reply("Error", "Message: Authentication failed\r\n");
                        stream.write_all(r.as_bytes()).await?;
                        return Ok(());
                    }
                }
                "coreshowchannels" if logged_in => {
                    if let Some(seg) = &segment {
                        stream
                            .write_all(seg.replace("{action}", &id).as_bytes())
                            .await?;
                        seen.lock().expect("lock").segments_sent += 1;
                        if !last {
                            return Ok(()); // the drop
                        }
                    }
                }
                "logoff" => {
                    // Counted closed before the goodbye: a client that read it
                    // knows the server no longer counts it open.
                    seen.lock().expect("lock").open -= 1;
                    *counted_closed = true;
                    let r = reply("Goodbye", "Message: Thanks for all the fish.\r\n");
                    stream.write_all(r.as_bytes()).await?;
                    return Ok(());
                }
                _ if logged_in => {
                    let r = reply("Success", "Message: Originate successfully queued\r\n");
                    stream.write_all(r.as_bytes()).await?;
                }
                _ => {
                    let r = reply("Error", "Message: Permission denied\r\n");
                    stream.write_all(r.as_bytes()).await?;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ami::tracker::{Tracker, TrackerConfig};

    /// The tracker's (state, operator) per event of a transcript, in order.
    fn states(name: &str) -> Vec<(String, Option<String>)> {
        let mut tracker = Tracker::new(TrackerConfig::default());
        let now = jiff::Timestamp::from_second(1_781_875_000).unwrap();
        let mut out = Vec::new();
        for (i, seg) in segments(transcript(name)).iter().enumerate() {
            if i > 0 {
                tracker.connection_lost(now);
            }
            tracker.begin_resync();
            let mut p = FrameParser::new();
            p.push(b"Asterisk Call Manager/5.0.1\r\n");
            p.push(seg.as_bytes());
            while let Some(f) = p.next_frame().unwrap() {
                if let Frame::Message(m) = f {
                    for e in tracker.on_message(&m, now) {
                        out.push((e.state.unwrap(), e.operator));
                    }
                }
            }
        }
        assert_eq!(tracker.open_calls(), 0, "{name} leaves a call open");
        out
    }

    fn s(state: &str, op: Option<&str>) -> (String, Option<String>) {
        (state.to_owned(), op.map(str::to_owned))
    }

    #[test]
    fn each_transcript_gives_the_calls_outcome_from_dialling_not_hangup_causes_r_i3() {
        assert_eq!(
            states("answered"),
            [
                s("ringing", None),
                s("answered", Some("201")),
                s("completed", None)
            ]
        );
        assert_eq!(
            states("cancelled"),
            [s("ringing", None), s("cancelled", None)]
        );
        assert_eq!(
            states("ring_group"),
            [s("ringing", None), s("no_answer", None)]
        );
        assert_eq!(
            states("queue_answered"),
            [
                s("ringing", None),
                s("queued", None),
                s("answered", Some("201")),
                s("completed", None)
            ]
        );
        assert_eq!(
            states("queue_abandoned"),
            [s("ringing", None), s("queued", None), s("cancelled", None)]
        );
        assert_eq!(
            states("transfer"),
            [
                s("ringing", None),
                s("answered", Some("201")),
                s("answered", Some("202")),
                s("completed", None)
            ]
        );
        assert_eq!(
            states("outbound"),
            [
                s("ringing", Some("201")),
                s("answered", Some("201")),
                s("completed", None)
            ]
        );
        assert_eq!(
            states("drop_still_up"),
            [
                s("ringing", None),
                s("answered", Some("201")),
                s("completed", None)
            ]
        );
        assert_eq!(
            states("drop_gone"),
            [
                s("ringing", None),
                s("answered", Some("201")),
                s("completed", None)
            ]
        );
    }
}
