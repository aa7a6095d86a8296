//! Instants as the API takes them: RFC 3339 `date-time` exactly (what the
//! OpenAPI document's `format: date-time` promises), read by jiff. jiff alone
//! reads more than that (a space for `T`, no seconds, `+01` offsets, a
//! bracketed time zone); the API refuses those, so that a client that works
//! against Ringdesk works against any RFC 3339 reader.

use jiff::Timestamp;

/// `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)`, `T` and `Z` in either case;
/// `None` for anything else, or for a date or time that does not exist.
pub fn rfc3339(s: &str) -> Option<Timestamp> {
    let b = s.as_bytes();
    let digits =
        |r: std::ops::Range<usize>| b.get(r).is_some_and(|d| d.iter().all(u8::is_ascii_digit));
    let shape = digits(0..4)
        && b.get(4) == Some(&b'-')
        && digits(5..7)
        && b.get(7) == Some(&b'-')
        && digits(8..10)
        && matches!(b.get(10), Some(b'T' | b't'))
        && digits(11..13)
        && b.get(13) == Some(&b':')
        && digits(14..16)
        && b.get(16) == Some(&b':')
        && digits(17..19);
    if !shape {
        return None;
    }
    let mut i = 19;
    if b.get(i) == Some(&b'.') {
        let start = i + 1;
        i = start;
        while b.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        if i == start {
            return None;
        }
    }
    let offset_ok = match &b[i..] {
        [b'Z' | b'z'] => true,
        [b'+' | b'-', h1, h2, b':', m1, m2] => [h1, h2, m1, m2].iter().all(|d| d.is_ascii_digit()),
        _ => false,
    };
    if !offset_ok {
        return None;
    }
    // jiff reads the upper-case form of exactly this shape.
    s.to_ascii_uppercase().parse().ok()
}

#[cfg(test)]
mod tests {
    use super::rfc3339;

    #[test]
    fn reads_rfc_3339_and_nothing_else() {
        for ok in [
            "2026-06-19T13:00:00Z",
            "2026-06-19t13:00:00z",
            "2026-06-19T13:00:00.123456Z",
            "2026-06-19T16:00:00+03:00",
            "2026-06-19T13:00:00-00:00",
        ] {
            assert!(rfc3339(ok).is_some(), "{ok}");
        }
        assert_eq!(
            rfc3339("2026-06-19T16:00:00+03:00"),
            rfc3339("2026-06-19T13:00:00Z")
        );
        for bad in [
            "",
            "2026-06-19",
            "2026-06-19 13:00:00Z",
            "2026-06-19T13:00Z",
            "2026-06-19T13Z",
            "2026-06-19T13:00:00",
            "2026-06-19T13:00:00+03",
            "2026-06-19T13:00:00+0300",
            "2026-06-19T13:00:00Z[UTC]",
            "+002026-06-19T13:00:00Z",
            "20260619T130000Z",
            "2026-06-19T13:00:00,5Z",
            "2026-06-19T13:00:00.Z",
            "2026-02-30T13:00:00Z",
            "2026-06-19T25:00:00Z",
            " 2026-06-19T13:00:00Z",
            "2026-06-19T13:00:00Z ",
            "２０２６-06-19T13:00:00Z",
        ] {
            assert_eq!(rfc3339(bad), None, "{bad:?}");
        }
    }
}
