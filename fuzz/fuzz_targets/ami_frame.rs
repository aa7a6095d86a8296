//! Arbitrary bytes, split at an arbitrary point, fed to the AMI framing parser
//! and every parsed message to the call tracker: nothing may panic, and the
//! parser's buffer stays bounded.
#![no_main]

use libfuzzer_sys::fuzz_target;
use ringdesk_telephony::ami::frame::{Frame, FrameParser, MAX_LINE, MAX_MESSAGE};
use ringdesk_telephony::ami::tracker::{Tracker, TrackerConfig};

fuzz_target!(|data: &[u8]| {
    let split = data.first().copied().unwrap_or(0) as usize % (data.len() + 1);
    let mut parser = FrameParser::new();
    let mut tracker = Tracker::new(TrackerConfig::default());
    let now = jiff::Timestamp::from_second(1_781_874_000).unwrap();
    parser.push(b"Asterisk Call Manager/5.0.1\r\n");
    for chunk in [&data[..split], &data[split..]] {
        parser.push(chunk);
        loop {
            match parser.next_frame() {
                Ok(Some(Frame::Message(m))) => {
                    assert!(m.fields.iter().map(|(k, v)| k.len() + v.len()).sum::<usize>() <= MAX_MESSAGE + MAX_LINE);
                    let _ = tracker.on_message(&m, now);
                }
                Ok(Some(Frame::Banner(_))) => {}
                Ok(None) | Err(_) => break,
            }
        }
    }
});
