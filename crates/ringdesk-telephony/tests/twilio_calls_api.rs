//! Click to call through Twilio's Calls API (R-I5), against a local stand-in
//! for `api.twilio.com` that this test starts: a plain TCP listener that
//! reads one HTTP/1.1 request and answers as Twilio does.

use ringdesk_telephony::twilio::{
    click_twiml, start_call, CallsApi, ClickToCall, StartCallError, CUSTOMER_PARAM,
};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// One request as the stand-in received it.
struct Received {
    request_line: String,
    headers: Vec<(String, String)>,
    body: String,
}

impl Received {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    fn form(&self) -> Vec<(String, String)> {
        form_urlencoded::parse(self.body.as_bytes())
            .into_owned()
            .collect()
    }
}

/// Starts the stand-in; it answers one request with `status` and `body`.
async fn stand_in(
    status: &'static str,
    body: &'static str,
) -> (String, tokio::task::JoinHandle<Received>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let task = tokio::spawn(async move {
        let (mut sock, _) = listener.accept().await.unwrap();
        let mut buf = Vec::new();
        let mut chunk = [0u8; 4096];
        let head_end = loop {
            let n = sock.read(&mut chunk).await.unwrap();
            assert!(n > 0, "the client closed before sending its request");
            buf.extend_from_slice(&chunk[..n]);
            if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                break i;
            }
        };
        let head = String::from_utf8(buf[..head_end].to_vec()).unwrap();
        let mut lines = head.split("\r\n");
        let request_line = lines.next().unwrap().to_owned();
        let headers: Vec<(String, String)> = lines
            .filter_map(|l| l.split_once(':'))
            .map(|(k, v)| (k.trim().to_owned(), v.trim().to_owned()))
            .collect();
        let len: usize = headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case("content-length"))
            .map_or(0, |(_, v)| v.parse().unwrap());
        while buf.len() < head_end + 4 + len {
            let n = sock.read(&mut chunk).await.unwrap();
            assert!(n > 0, "the body was cut short");
            buf.extend_from_slice(&chunk[..n]);
        }
        let request_body =
            String::from_utf8(buf[head_end + 4..head_end + 4 + len].to_vec()).unwrap();
        let answer = format!(
            "HTTP/1.1 {status}\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
            body.len()
        );
        sock.write_all(answer.as_bytes()).await.unwrap();
        sock.shutdown().await.ok();
        Received {
            request_line,
            headers,
            body: request_body,
        }
    });
    (base, task)
}

fn call() -> ClickToCall {
    ClickToCall {
        employee_address: "client:anna".into(),
        operator: "201".into(),
        customer: "+14155550111".into(),
        caller_id: "+14155550199".into(),
        status_callback: "https://crm.example.com/api/v1/integrations/twilio/7/status".into(),
    }
}

fn api(base: String) -> CallsApi {
    CallsApi {
        base_url: base,
        account_sid: "AC0123456789abcdef0123456789abcdef".into(),
        auth_token: "the-auth-token".to_owned().into(),
    }
}

#[tokio::test]
async fn click_to_call_posts_the_calls_api_form_with_basic_auth_r_i5() {
    let (base, received) = stand_in(
        "201 Created",
        r#"{"sid": "CA11111111111111111111111111111111", "status": "queued"}"#,
    )
    .await;
    let started = start_call(&reqwest::Client::new(), &api(base), &call())
        .await
        .unwrap();
    assert_eq!(started.call_sid, "CA11111111111111111111111111111111");

    let r = received.await.unwrap();
    assert_eq!(
        r.request_line,
        "POST /2010-04-01/Accounts/AC0123456789abcdef0123456789abcdef/Calls.json HTTP/1.1"
    );
    use base64::Engine;
    let basic = base64::engine::general_purpose::STANDARD
        .encode("AC0123456789abcdef0123456789abcdef:the-auth-token");
    assert_eq!(
        r.header("authorization"),
        Some(format!("Basic {basic}").as_str())
    );
    assert_eq!(
        r.header("content-type"),
        Some("application/x-www-form-urlencoded")
    );
    let form = r.form();
    let get = |k: &str| -> Vec<&str> {
        form.iter()
            .filter(|(n, _)| n == k)
            .map(|(_, v)| v.as_str())
            .collect()
    };
    // The employee first, from the company's Twilio number …
    assert_eq!(get("To"), ["client:anna"]);
    assert_eq!(get("From"), ["+14155550199"]);
    // … then the customer, once the employee answers.
    assert_eq!(get("Twiml"), [click_twiml(&call()).as_str()]);
    assert!(get("Twiml")[0].contains(">+14155550111</Number>"));
    let callback = get("StatusCallback")[0];
    assert!(callback.starts_with("https://crm.example.com/api/v1/integrations/twilio/7/status?"));
    assert!(callback.contains(&format!("{CUSTOMER_PARAM}=%2B14155550111")));
    assert_eq!(get("StatusCallbackMethod"), ["POST"]);
    assert_eq!(
        get("StatusCallbackEvent"),
        ["initiated", "ringing", "answered", "completed"]
    );
}

#[tokio::test]
async fn twilios_refusal_is_reported_with_its_message_r_i5() {
    let (base, received) = stand_in(
        "400 Bad Request",
        r#"{"code": 21211, "message": "The 'To' number client:anna is not a valid phone number.", "status": 400}"#,
    )
    .await;
    let err = start_call(&reqwest::Client::new(), &api(base), &call())
        .await
        .unwrap_err();
    match err {
        StartCallError::Refused { status, message } => {
            assert_eq!(status, 400);
            assert!(message.contains("not a valid phone number"), "{message}");
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
    received.await.unwrap();
}
