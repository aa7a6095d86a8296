//! The AMI TCP client (R-I3, R-I5): login (plain or MD5 challenge), reading
//! frames, following a PBX with reconnects and resyncs, and `Originate`.
//!
//! Keeps true: a refused login is reported as such and retried only after the
//! longest back-off (a wrong secret never makes a storm of attempts); after
//! every (re)connect `CoreShowChannels` is sent before anything else is read,
//! so the tracker picks up calls in progress and closes those that vanished;
//! an outage is reported as a gap (from, to).

use super::frame::{Frame, FrameError, FrameParser, Message};
use super::tracker::{Tracker, TrackerConfig};
use jiff::Timestamp;
use md5::{Digest, Md5};
use ringdesk_domain::event::RawCallEvent;
use secrecy::{ExposeSecret, SecretString};
use std::collections::VecDeque;
use std::future::Future;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::sync::watch;

/// How to log in: with the secret in clear (`Action: Login`) or with the MD5
/// challenge (`Action: Challenge`, key = md5(challenge + secret)).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum AuthType {
    Plain,
    #[default]
    Md5,
}

impl AuthType {
    pub fn as_str(self) -> &'static str {
        match self {
            AuthType::Plain => "plain",
            AuthType::Md5 => "md5",
        }
    }

    pub fn parse(s: &str) -> Option<AuthType> {
        match s {
            "plain" => Some(AuthType::Plain),
            "md5" => Some(AuthType::Md5),
            _ => None,
        }
    }
}

/// Where and how to log in. `Debug` never shows the secret.
#[derive(Debug, Clone)]
pub struct AmiLogin {
    pub host: String,
    pub port: u16,
    pub username: String,
    pub secret: SecretString,
    pub auth: AuthType,
}

#[derive(Debug, thiserror::Error)]
pub enum AmiError {
    #[error("cannot connect to the PBX: {0}")]
    Connect(std::io::Error),
    #[error("the PBX connection failed: {0}")]
    Io(#[from] std::io::Error),
    #[error("the PBX sent something unreadable: {0}")]
    Frame(#[from] FrameError),
    #[error("the PBX refused the login: {0}")]
    LoginRefused(String),
    #[error("the PBX refused the action: {0}")]
    Refused(String),
    #[error("the PBX closed the connection")]
    Closed,
    #[error("the PBX did not answer in time")]
    Timeout,
}

/// Time allowed to connect, log in, or answer an action.
pub const ANSWER_TIMEOUT: Duration = Duration::from_secs(10);
/// With no data for this long the client sends `Ping`; twice without an
/// answer and the connection counts as dropped.
pub const IDLE: Duration = Duration::from_secs(20);

/// One logged-in AMI connection.
pub struct Connection {
    stream: TcpStream,
    parser: FrameParser,
    pending: VecDeque<Message>,
    next_action: u64,
}

impl Connection {
    /// Connects, reads the banner and logs in.
    pub async fn open(login: &AmiLogin) -> Result<Connection, AmiError> {
        let stream = tokio::time::timeout(
            ANSWER_TIMEOUT,
            TcpStream::connect((login.host.as_str(), login.port)),
        )
        .await
        .map_err(|_| AmiError::Timeout)?
        .map_err(AmiError::Connect)?;
        stream.set_nodelay(true).ok();
        let mut conn = Connection {
            stream,
            parser: FrameParser::new(),
            pending: VecDeque::new(),
            next_action: 0,
        };
        tokio::time::timeout(ANSWER_TIMEOUT, conn.login(login))
            .await
            .map_err(|_| AmiError::Timeout)??;
        Ok(conn)
    }

    async fn login(&mut self, login: &AmiLogin) -> Result<(), AmiError> {
        match self.read_frame().await? {
            Frame::Banner(_) => {}
            Frame::Message(m) => self.pending.push_back(m),
        }
        let action = match login.auth {
            AuthType::Plain => Message::new()
                .with("Action", "Login")
                .with("Username", login.username.clone())
                .with("Secret", login.secret.expose_secret())
                .with("Events", "on"),
            AuthType::Md5 => {
                let answer = self
                    .request(
                        Message::new()
                            .with("Action", "Challenge")
                            .with("AuthType", "MD5"),
                    )
                    .await
                    .map_err(|e| match e {
                        AmiError::Refused(m) => AmiError::LoginRefused(m),
                        e => e,
                    })?;
                let challenge = answer.get("Challenge").unwrap_or_default();
                Message::new()
                    .with("Action", "Login")
                    .with("AuthType", "MD5")
                    .with("Username", login.username.clone())
                    .with("Key", md5_key(challenge, &login.secret))
                    .with("Events", "on")
            }
        };
        self.request(action).await.map_err(|e| match e {
            AmiError::Refused(m) => AmiError::LoginRefused(m),
            e => e,
        })?;
        Ok(())
    }

    /// Sends an action (an `ActionID` is added) and returns that id.
    pub async fn send(&mut self, action: Message) -> Result<String, AmiError> {
        self.next_action += 1;
        let id = format!("rd-{}", self.next_action);
        let action = action.with("ActionID", id.clone());
        self.stream.write_all(&action.to_bytes()).await?;
        Ok(id)
    }

    /// Sends an action and waits for its `Response`; events read meanwhile
    /// are kept for [`next_message`](Connection::next_message). `Error` is
    /// `AmiError::Refused` with the PBX's message.
    pub async fn request(&mut self, action: Message) -> Result<Message, AmiError> {
        let id = self.send(action).await?;
        let mut held = Vec::new();
        let answer = loop {
            let m = match self.read_frame().await? {
                Frame::Message(m) => m,
                Frame::Banner(_) => continue,
            };
            if m.get("Response").is_some() && m.get("ActionID") == Some(id.as_str()) {
                break m;
            }
            held.push(m);
        };
        self.pending.extend(held);
        match answer.get("Response") {
            Some(r) if r.eq_ignore_ascii_case("Success") || r.eq_ignore_ascii_case("Follows") => {
                Ok(answer)
            }
            _ => Err(AmiError::Refused(
                answer
                    .get("Message")
                    .unwrap_or("no reason given")
                    .to_owned(),
            )),
        }
    }

    /// The next message from the PBX (an event or a response).
    pub async fn next_message(&mut self) -> Result<Message, AmiError> {
        if let Some(m) = self.pending.pop_front() {
            return Ok(m);
        }
        loop {
            if let Frame::Message(m) = self.read_frame().await? {
                return Ok(m);
            }
        }
    }

    async fn read_frame(&mut self) -> Result<Frame, AmiError> {
        let mut buf = [0u8; 4096];
        loop {
            if let Some(f) = self.parser.next_frame()? {
                return Ok(f);
            }
            let n = self.stream.read(&mut buf).await?;
            if n == 0 {
                return Err(AmiError::Closed);
            }
            self.parser.push(&buf[..n]);
        }
    }

    /// Says goodbye and waits (2 s at most) for the PBX to close, so that a
    /// node handing the connection over has let go of it first.
    pub async fn logoff(mut self) {
        if self
            .send(Message::new().with("Action", "Logoff"))
            .await
            .is_ok()
        {
            let _ = tokio::time::timeout(Duration::from_secs(2), async {
                loop {
                    match self.read_frame().await {
                        Ok(Frame::Message(m))
                            if m.get("Response")
                                .is_some_and(|r| r.eq_ignore_ascii_case("Goodbye")) =>
                        {
                            break
                        }
                        Ok(_) => {}
                        Err(_) => break,
                    }
                }
            })
            .await;
        }
        let _ = self.stream.shutdown().await;
    }
}

/// md5(challenge + secret) in lower-case hex, as Asterisk's `AuthType: MD5` expects.
pub fn md5_key(challenge: &str, secret: &SecretString) -> String {
    let mut h = Md5::new();
    h.update(challenge.as_bytes());
    h.update(secret.expose_secret().as_bytes());
    hex::encode(h.finalize())
}

/// What a followed connection reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Status {
    Connecting,
    Connected,
    /// The connection dropped or could not be made; retried after a back-off.
    Down(String),
    /// The PBX refused the login: retried only after [`MAX_BACKOFF`].
    LoginRefused(String),
}

/// Where a followed connection's output goes (the store, or the agent's
/// uploader). Each method returns when it is done with what it was given.
pub trait AmiSink: Send {
    fn events(&mut self, events: Vec<RawCallEvent>) -> impl Future<Output = ()> + Send;
    fn gap(&mut self, from: Timestamp, to: Timestamp) -> impl Future<Output = ()> + Send;
    fn status(&mut self, status: Status) -> impl Future<Output = ()> + Send;
}

pub const MIN_BACKOFF: Duration = Duration::from_secs(1);
pub const MAX_BACKOFF: Duration = Duration::from_secs(60);

/// Follows a PBX until `stop` turns true: connects, resyncs, feeds the
/// tracker's events to `sink`, reconnects with a doubling back-off after a
/// drop (1 s … 60 s), and reports each outage as a gap once it is over.
pub async fn follow<S: AmiSink>(
    login: AmiLogin,
    config: TrackerConfig,
    sink: &mut S,
    mut stop: watch::Receiver<bool>,
) {
    let mut tracker = Tracker::new(config);
    let mut backoff = MIN_BACKOFF;
    let mut down_since: Option<Timestamp> = None;
    loop {
        if stopped(&stop) {
            return;
        }
        sink.status(Status::Connecting).await;
        let wait = match Connection::open(&login).await {
            Ok(mut conn) => {
                backoff = MIN_BACKOFF;
                let dropped =
                    run_session(&mut conn, &mut tracker, sink, &mut down_since, &mut stop).await;
                match dropped {
                    None => {
                        conn.logoff().await;
                        return;
                    }
                    Some(e) => {
                        let now = Timestamp::now();
                        tracing::warn!(ami.host = %login.host, "AMI connection dropped: {e}");
                        tracker.connection_lost(now);
                        down_since.get_or_insert(now);
                        sink.status(Status::Down(e.to_string())).await;
                        backoff
                    }
                }
            }
            Err(AmiError::LoginRefused(why)) => {
                tracing::warn!(ami.host = %login.host, "AMI login refused: {why}");
                down_since.get_or_insert_with(Timestamp::now);
                sink.status(Status::LoginRefused(why)).await;
                MAX_BACKOFF
            }
            Err(e) => {
                tracing::info!(ami.host = %login.host, "AMI connection failed: {e}");
                down_since.get_or_insert_with(Timestamp::now);
                sink.status(Status::Down(e.to_string())).await;
                backoff
            }
        };
        backoff = (backoff * 2).min(MAX_BACKOFF);
        tokio::select! {
            _ = tokio::time::sleep(wait) => {}
            _ = stop.changed() => {}
        }
    }
}

/// Told to stop, or the one who could tell it is gone.
fn stopped(stop: &watch::Receiver<bool>) -> bool {
    *stop.borrow() || stop.has_changed().is_err()
}

/// Runs one logged-in connection. `None`: stopped; `Some(e)`: it dropped.
async fn run_session<S: AmiSink>(
    conn: &mut Connection,
    tracker: &mut Tracker,
    sink: &mut S,
    down_since: &mut Option<Timestamp>,
    stop: &mut watch::Receiver<bool>,
) -> Option<AmiError> {
    tracker.begin_resync();
    if let Err(e) = conn
        .send(Message::new().with("Action", "CoreShowChannels"))
        .await
    {
        return Some(e);
    }
    sink.status(Status::Connected).await;
    if let Some(from) = down_since.take() {
        sink.gap(from, Timestamp::now()).await;
    }
    let mut idle_rounds = 0;
    loop {
        let next = tokio::select! {
            m = tokio::time::timeout(IDLE, conn.next_message()) => m,
            _ = stop.changed() => return None,
        };
        match next {
            Ok(Ok(m)) => {
                idle_rounds = 0;
                let events = tracker.on_message(&m, Timestamp::now());
                if !events.is_empty() {
                    sink.events(events).await;
                }
            }
            Ok(Err(e)) => return Some(e),
            Err(_) => {
                idle_rounds += 1;
                if idle_rounds >= 2 {
                    return Some(AmiError::Timeout);
                }
                if let Err(e) = conn.send(Message::new().with("Action", "Ping")).await {
                    return Some(e);
                }
            }
        }
    }
}

/// Click to call (R-I5): what to ring first and what to dial then.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OriginateRequest {
    /// The employee's extension, rung first.
    pub extension: String,
    /// The number dialled once the extension answers.
    pub number: String,
    /// The channel to ring, `{extension}` replaced: `PJSIP/{extension}` (the
    /// default), `SIP/{extension}` or `Local/{extension}@from-internal`.
    pub channel_template: String,
    /// The dialplan context in which `number` is dialled (`from-internal`).
    pub context: String,
}

pub const DEFAULT_CHANNEL_TEMPLATE: &str = "PJSIP/{extension}";
pub const DEFAULT_ORIGINATE_CONTEXT: &str = "from-internal";

impl OriginateRequest {
    /// The `Originate` action: ring the extension's channel, then, when it
    /// answers, dial `number` in `context` at priority 1. Async, so the PBX
    /// answers at once and the call then arrives like any other
    /// (`outbound_manual`: its first channel is the extension's).
    pub fn action(&self) -> Message {
        Message::new()
            .with("Action", "Originate")
            .with(
                "Channel",
                self.channel_template
                    .replace("{extension}", &self.extension),
            )
            .with("Context", self.context.clone())
            .with("Exten", self.number.clone())
            .with("Priority", "1")
            .with("CallerID", format!("{} <{}>", self.number, self.extension))
            .with("Timeout", "30000")
            .with("Async", "true")
    }
}

/// Starts a click-to-call on the PBX over a short connection of its own
/// (login, `Originate`, logoff). Returns once the PBX has accepted it.
pub async fn originate(login: &AmiLogin, request: &OriginateRequest) -> Result<(), AmiError> {
    let mut conn = Connection::open(login).await?;
    let answer = tokio::time::timeout(ANSWER_TIMEOUT, conn.request(request.action()))
        .await
        .map_err(|_| AmiError::Timeout)?;
    conn.logoff().await;
    answer.map(|_| ())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_md5_key_is_md5_of_challenge_then_secret_r_i3() {
        // md5("12345" + "secret"), computed independently: `printf 12345secret | md5sum`.
        let key = md5_key("12345", &SecretString::from("secret"));
        assert_eq!(key, "d6bf7523a8407696bb9448d0d0fecca8");
    }

    #[test]
    fn originate_rings_the_extension_then_dials_the_number_r_i5() {
        let a = OriginateRequest {
            extension: "201".into(),
            number: "0671234567".into(),
            channel_template: DEFAULT_CHANNEL_TEMPLATE.into(),
            context: DEFAULT_ORIGINATE_CONTEXT.into(),
        }
        .action();
        assert_eq!(a.get("Channel"), Some("PJSIP/201"));
        assert_eq!(a.get("Exten"), Some("0671234567"));
        assert_eq!(a.get("Context"), Some("from-internal"));
        assert_eq!(a.get("Priority"), Some("1"));
    }
}
