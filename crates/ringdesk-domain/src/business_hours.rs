//! A company's business hours (issue 13 item 4): for each weekday, up to
//! [`MAX_INTERVALS_PER_DAY`] open intervals `[start, end)` of local wall-clock
//! time in the company's time zone, and the business time between two
//! instants ([`business_seconds`]) or after one ([`deadline`]).
//!
//! Keep true: every day's intervals are turned into instants through the time
//! zone (a zoned date and time), never by adding 86,400 s, so a day on which
//! the clocks change is as long as its open hours really are; nothing here
//! reads a clock. A wall time that does not exist (inside a spring-forward
//! gap) is moved forward and one that exists twice is the earlier, jiff's
//! "compatible" rule, as R-A4's due dates do.

use crate::event::FieldError;
use jiff::civil::{Date, Time};
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};
use serde::de::{self, Deserializer};
use serde::ser::Serializer;
use serde::{Deserialize, Serialize};

/// The weekdays as the settings name them, Monday first.
pub const WEEKDAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

/// The most open intervals a day may have.
pub const MAX_INTERVALS_PER_DAY: usize = 4;

/// What an interval's start or end looks like: `HH:MM`, 00:00…23:59, or
/// `24:00` (the end of the day, allowed as an end only). The OpenAPI document
/// states this pattern; [`OpenInterval`]'s reader refuses what it refuses.
pub const TIME_PATTERN: &str = "^(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$";

/// Minutes in a day: `24:00`.
const DAY_END: u16 = 24 * 60;

/// One open interval of a day, `[start, end)` in minutes after local
/// midnight; `start < end <= 24:00`. Written as `["09:00", "18:00"]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct OpenInterval {
    start: u16,
    end: u16,
}

/// `HH:MM` → minutes after midnight (`24:00` is 1440); `None` for anything
/// that does not match [`TIME_PATTERN`].
fn minutes_of(s: &str) -> Option<u16> {
    let b = s.as_bytes();
    if b.len() != 5 || b[2] != b':' || ![0, 1, 3, 4].iter().all(|&i| b[i].is_ascii_digit()) {
        return None;
    }
    let h = u16::from(b[0] - b'0') * 10 + u16::from(b[1] - b'0');
    let m = u16::from(b[3] - b'0') * 10 + u16::from(b[4] - b'0');
    match (h, m) {
        (24, 0) => Some(DAY_END),
        (0..=23, 0..=59) => Some(h * 60 + m),
        _ => None,
    }
}

fn hh_mm(minutes: u16) -> String {
    format!("{:02}:{:02}", minutes / 60, minutes % 60)
}

impl OpenInterval {
    /// An interval from two `HH:MM` texts.
    ///
    /// # Errors
    /// A message saying what is wrong: a time not `HH:MM`, `24:00` as a
    /// start, or an end not after the start.
    pub fn parse(start: &str, end: &str) -> Result<OpenInterval, String> {
        let s = minutes_of(start)
            .filter(|&m| m < DAY_END)
            .ok_or_else(|| format!("start {start:?} must be a time HH:MM from 00:00 to 23:59"))?;
        let e = minutes_of(end)
            .ok_or_else(|| format!("end {end:?} must be a time HH:MM from 00:01 to 24:00"))?;
        if e <= s {
            return Err(format!("end {end} must be after start {start}"));
        }
        Ok(OpenInterval { start: s, end: e })
    }

    /// The start as `HH:MM`.
    pub fn start_text(&self) -> String {
        hh_mm(self.start)
    }

    /// The end as `HH:MM` (`24:00` for the end of the day).
    pub fn end_text(&self) -> String {
        hh_mm(self.end)
    }
}

impl Serialize for OpenInterval {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        [self.start_text(), self.end_text()].serialize(s)
    }
}

impl<'de> Deserialize<'de> for OpenInterval {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let pair = Vec::<String>::deserialize(d)?;
        let [start, end] = pair.as_slice() else {
            return Err(de::Error::custom(format!(
                "must be a pair [start, end] of times HH:MM, not {} values",
                pair.len()
            )));
        };
        OpenInterval::parse(start, end).map_err(de::Error::custom)
    }
}

/// The company's open hours, per weekday. A JSON object with the keys of
/// [`WEEKDAYS`]; a day left out of it is closed (`[]`), so the object always
/// describes the whole week. Order and overlap are checked by [`Self::check`]
/// (before settings are stored), so that the refusal can name the interval.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BusinessHours {
    #[serde(default)]
    pub mon: Vec<OpenInterval>,
    #[serde(default)]
    pub tue: Vec<OpenInterval>,
    #[serde(default)]
    pub wed: Vec<OpenInterval>,
    #[serde(default)]
    pub thu: Vec<OpenInterval>,
    #[serde(default)]
    pub fri: Vec<OpenInterval>,
    #[serde(default)]
    pub sat: Vec<OpenInterval>,
    #[serde(default)]
    pub sun: Vec<OpenInterval>,
}

impl Default for BusinessHours {
    /// Monday to Friday 09:00–18:00, the weekend closed.
    fn default() -> Self {
        let day = vec![OpenInterval {
            start: 9 * 60,
            end: 18 * 60,
        }];
        BusinessHours {
            mon: day.clone(),
            tue: day.clone(),
            wed: day.clone(),
            thu: day.clone(),
            fri: day,
            sat: vec![],
            sun: vec![],
        }
    }
}

impl BusinessHours {
    /// A week with every day closed.
    pub fn closed() -> BusinessHours {
        BusinessHours {
            mon: vec![],
            tue: vec![],
            wed: vec![],
            thu: vec![],
            fri: vec![],
            sat: vec![],
            sun: vec![],
        }
    }

    /// The days Monday first, with their names.
    pub fn days(&self) -> [(&'static str, &Vec<OpenInterval>); 7] {
        [
            ("mon", &self.mon),
            ("tue", &self.tue),
            ("wed", &self.wed),
            ("thu", &self.thu),
            ("fri", &self.fri),
            ("sat", &self.sat),
            ("sun", &self.sun),
        ]
    }

    /// The day's intervals by its name in [`WEEKDAYS`].
    pub fn day_mut(&mut self, name: &str) -> Option<&mut Vec<OpenInterval>> {
        Some(match name {
            "mon" => &mut self.mon,
            "tue" => &mut self.tue,
            "wed" => &mut self.wed,
            "thu" => &mut self.thu,
            "fri" => &mut self.fri,
            "sat" => &mut self.sat,
            "sun" => &mut self.sun,
            _ => return None,
        })
    }

    fn of_weekday(&self, w: jiff::civil::Weekday) -> &[OpenInterval] {
        use jiff::civil::Weekday::*;
        match w {
            Monday => &self.mon,
            Tuesday => &self.tue,
            Wednesday => &self.wed,
            Thursday => &self.thu,
            Friday => &self.fri,
            Saturday => &self.sat,
            Sunday => &self.sun,
        }
    }

    /// Whether the week has no open time at all.
    pub fn is_closed(&self) -> bool {
        self.days().iter().all(|(_, d)| d.is_empty())
    }

    /// Each day at most [`MAX_INTERVALS_PER_DAY`] intervals, sorted, not
    /// overlapping (touching is allowed: `09:00–12:00` then `12:00–18:00`).
    ///
    /// # Errors
    /// A [`FieldError`] naming the first interval at fault under `field`
    /// (`business_hours.mon[1]`).
    pub fn check(&self, field: &str) -> Result<(), FieldError> {
        for (name, day) in self.days() {
            if day.len() > MAX_INTERVALS_PER_DAY {
                return Err(FieldError::new(
                    format!("{field}.{name}[{MAX_INTERVALS_PER_DAY}]"),
                    format!("a day has at most {MAX_INTERVALS_PER_DAY} intervals"),
                ));
            }
            for (i, pair) in day.windows(2).enumerate() {
                if pair[1].start < pair[0].end {
                    return Err(FieldError::new(
                        format!("{field}.{name}[{}]", i + 1),
                        format!(
                            "must start at or after {} (the end of the interval before it): intervals are sorted and do not overlap",
                            pair[0].end_text()
                        ),
                    ));
                }
            }
        }
        Ok(())
    }

    /// The open intervals of a local date, as instants, in order.
    fn open_on(&self, date: Date, tz: &TimeZone) -> Vec<(Timestamp, Timestamp)> {
        self.of_weekday(date.weekday())
            .iter()
            .filter_map(|iv| {
                let start = instant(date, iv.start, tz)?;
                let end = instant(date, iv.end, tz)?;
                (start < end).then_some((start, end))
            })
            .collect()
    }
}

/// The instant of `minutes` after local midnight of `date` (1440: the next
/// day's midnight); `None` past jiff's range.
fn instant(date: Date, minutes: u16, tz: &TimeZone) -> Option<Timestamp> {
    let (date, minutes) = if minutes >= DAY_END {
        (date.tomorrow().ok()?, 0)
    } else {
        (date, minutes)
    };
    let time = Time::new((minutes / 60) as i8, (minutes % 60) as i8, 0, 0).ok()?;
    date.to_datetime(time)
        .to_zoned(tz.clone())
        .ok()
        .map(|z| z.timestamp())
}

fn local_date(t: Timestamp, tz: &TimeZone) -> Date {
    t.to_zoned(tz.clone()).date()
}

/// The open time between `from` and `to` in whole seconds (0 when `to` is not
/// after `from`): the sum, over the local days the span touches, of each
/// open interval clipped to `[from, to)`.
pub fn business_seconds(
    from: Timestamp,
    to: Timestamp,
    hours: &BusinessHours,
    tz: &TimeZone,
) -> i64 {
    if to <= from {
        return 0;
    }
    let last = local_date(to, tz);
    let mut date = local_date(from, tz);
    let mut total = SignedDuration::ZERO;
    loop {
        for (start, end) in hours.open_on(date, tz) {
            let lo = start.max(from);
            let hi = end.min(to);
            if lo < hi {
                total += hi.duration_since(lo);
            }
        }
        if date >= last {
            break;
        }
        match date.tomorrow() {
            Ok(d) => date = d,
            Err(_) => break,
        }
    }
    total.as_secs()
}

/// The instant at which `minutes` business minutes have passed since `start`:
/// open time is counted from `start` (or from the next opening, when `start`
/// is outside hours) until that much has been used. `None` when the week has
/// no open time (or the instant is past jiff's range). Zero minutes give the
/// first open instant at or after `start`.
pub fn deadline(
    start: Timestamp,
    minutes: u32,
    hours: &BusinessHours,
    tz: &TimeZone,
) -> Option<Timestamp> {
    if hours.is_closed() {
        return None;
    }
    let mut left = SignedDuration::from_secs(i64::from(minutes) * 60);
    let mut date = local_date(start, tz);
    loop {
        for (open, close) in hours.open_on(date, tz) {
            let lo = open.max(start);
            if lo >= close {
                continue;
            }
            let here = close.duration_since(lo);
            if left <= here {
                return lo.checked_add(left).ok();
            }
            left -= here;
        }
        date = date.tomorrow().ok()?;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tz(name: &str) -> TimeZone {
        TimeZone::get(name).unwrap()
    }
    /// A local wall time in `zone` as an instant.
    fn at(zone: &str, s: &str) -> Timestamp {
        s.parse::<jiff::civil::DateTime>()
            .unwrap()
            .to_zoned(tz(zone))
            .unwrap()
            .timestamp()
    }
    fn iv(a: &str, b: &str) -> OpenInterval {
        OpenInterval::parse(a, b).unwrap()
    }
    fn every_day(intervals: Vec<OpenInterval>) -> BusinessHours {
        BusinessHours {
            mon: intervals.clone(),
            tue: intervals.clone(),
            wed: intervals.clone(),
            thu: intervals.clone(),
            fri: intervals.clone(),
            sat: intervals.clone(),
            sun: intervals,
        }
    }
    const KYIV: &str = "Europe/Kyiv";

    #[test]
    fn the_default_week_is_monday_to_friday_nine_to_six() {
        let json = serde_json::to_value(BusinessHours::default()).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"mon": [["09:00", "18:00"]], "tue": [["09:00", "18:00"]],
                "wed": [["09:00", "18:00"]], "thu": [["09:00", "18:00"]], "fri": [["09:00", "18:00"]],
                "sat": [], "sun": []})
        );
        let back: BusinessHours = serde_json::from_value(json).unwrap();
        assert_eq!(back, BusinessHours::default());
    }

    #[test]
    fn a_day_left_out_of_the_object_is_closed() {
        let h: BusinessHours =
            serde_json::from_value(serde_json::json!({"sat": [["10:00", "14:00"]]})).unwrap();
        assert!(h.mon.is_empty() && h.sun.is_empty());
        assert_eq!(h.sat, vec![iv("10:00", "14:00")]);
    }

    #[test]
    fn times_are_hh_mm_and_24_00_only_ends_a_day() {
        assert_eq!(iv("00:00", "24:00").end_text(), "24:00");
        for (a, b) in [
            ("9:00", "18:00"),
            ("09:00", "18:60"),
            ("24:00", "24:00"),
            ("25:00", "26:00"),
            ("18:00", "09:00"),
            ("09:00", "09:00"),
            ("09:00 ", "18:00"),
            ("０9:00", "18:00"),
        ] {
            assert!(OpenInterval::parse(a, b).is_err(), "{a}–{b}");
        }
        let wrong: Result<BusinessHours, _> =
            serde_json::from_value(serde_json::json!({"mon": [["09:00", "12:00", "18:00"]]}));
        assert!(wrong.unwrap_err().to_string().contains("pair"));
        let unknown: Result<BusinessHours, _> =
            serde_json::from_value(serde_json::json!({"monday": []}));
        assert!(unknown.is_err());
    }

    #[test]
    fn the_reader_takes_exactly_what_the_time_pattern_describes() {
        // TIME_PATTERN: 00:00…23:59 or 24:00, two digits each side.
        for h in 0..100 {
            for m in 0..100 {
                let s = format!("{h:02}:{m:02}");
                let described = (h < 24 && m < 60) || (h == 24 && m == 0);
                assert_eq!(minutes_of(&s).is_some(), described, "{s}");
            }
        }
        assert_eq!(TIME_PATTERN, "^(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$");
    }

    #[test]
    fn overlapping_unsorted_or_too_many_intervals_are_refused_naming_the_interval() {
        let mut h = BusinessHours::closed();
        h.tue = vec![iv("09:00", "12:00"), iv("11:00", "18:00")];
        assert_eq!(
            h.check("business_hours").unwrap_err().field,
            "business_hours.tue[1]"
        );
        h.tue = vec![iv("13:00", "18:00"), iv("09:00", "12:00")];
        assert_eq!(
            h.check("business_hours").unwrap_err().field,
            "business_hours.tue[1]"
        );
        h.tue = vec![iv("09:00", "12:00"), iv("12:00", "18:00")];
        assert!(
            h.check("business_hours").is_ok(),
            "touching intervals are fine"
        );
        h.tue = (0..5u16)
            .map(|i| OpenInterval {
                start: i * 60,
                end: i * 60 + 30,
            })
            .collect();
        assert_eq!(
            h.check("business_hours").unwrap_err().field,
            "business_hours.tue[4]"
        );
    }

    #[test]
    fn business_time_across_a_weekend_counts_friday_evening_and_monday_morning() {
        let h = BusinessHours::default();
        // Friday 2027-01-15 17:50 → Monday 2027-01-18 09:15: 10 + 15 minutes.
        let from = at(KYIV, "2027-01-15T17:50");
        assert_eq!(
            business_seconds(from, at(KYIV, "2027-01-18T09:15"), &h, &tz(KYIV)),
            25 * 60
        );
        assert_eq!(
            deadline(from, 30, &h, &tz(KYIV)),
            Some(at(KYIV, "2027-01-18T09:20"))
        );
        // A whole week is five 9-hour days.
        let monday = at(KYIV, "2027-01-18T00:00");
        assert_eq!(
            business_seconds(monday, at(KYIV, "2027-01-25T00:00"), &h, &tz(KYIV)),
            5 * 9 * 3600
        );
    }

    #[test]
    fn a_start_outside_hours_counts_from_the_next_opening() {
        let h = BusinessHours::default();
        let saturday = at(KYIV, "2027-01-16T11:00");
        assert_eq!(
            deadline(saturday, 30, &h, &tz(KYIV)),
            Some(at(KYIV, "2027-01-18T09:30"))
        );
        let early = at(KYIV, "2027-01-18T07:00");
        assert_eq!(
            business_seconds(early, at(KYIV, "2027-01-18T09:00"), &h, &tz(KYIV)),
            0
        );
        assert_eq!(
            deadline(early, 0, &h, &tz(KYIV)),
            Some(at(KYIV, "2027-01-18T09:00"))
        );
        // Exactly at closing time the minutes run out: the deadline is 18:00.
        let late = at(KYIV, "2027-01-18T17:30");
        assert_eq!(
            deadline(late, 30, &h, &tz(KYIV)),
            Some(at(KYIV, "2027-01-18T18:00"))
        );
        assert_eq!(
            deadline(late, 31, &h, &tz(KYIV)),
            Some(at(KYIV, "2027-01-19T09:01"))
        );
    }

    #[test]
    fn kyiv_spring_forward_shortens_only_the_days_that_contain_the_jump() {
        // 2026-03-29: 03:00 becomes 04:00 in Kyiv.
        let all_day = every_day(vec![iv("00:00", "24:00")]);
        let day =
            |d: &str, n: &str| business_seconds(at(KYIV, d), at(KYIV, n), &all_day, &tz(KYIV));
        assert_eq!(day("2026-03-29T00:00", "2026-03-30T00:00"), 23 * 3600);
        assert_eq!(day("2026-03-28T00:00", "2026-03-29T00:00"), 24 * 3600);
        // Nine to six on that Sunday does not contain the jump: 9 hours.
        let office = every_day(vec![iv("09:00", "18:00")]);
        let from = at(KYIV, "2026-03-29T00:00");
        let to = at(KYIV, "2026-03-30T00:00");
        assert_eq!(business_seconds(from, to, &office, &tz(KYIV)), 9 * 3600);
        // A night shift across the jump is an hour short.
        let night = every_day(vec![iv("01:00", "06:00")]);
        assert_eq!(business_seconds(from, to, &night, &tz(KYIV)), 4 * 3600);
        assert_eq!(
            deadline(from, 4 * 60, &night, &tz(KYIV)),
            Some(at(KYIV, "2026-03-29T06:00"))
        );
    }

    #[test]
    fn kyiv_fall_back_lengthens_only_the_days_that_contain_the_repeat() {
        // 2026-10-25: 04:00 becomes 03:00 again in Kyiv.
        let all_day = every_day(vec![iv("00:00", "24:00")]);
        let from = at(KYIV, "2026-10-25T00:00");
        let to = at(KYIV, "2026-10-26T00:00");
        assert_eq!(business_seconds(from, to, &all_day, &tz(KYIV)), 25 * 3600);
        let office = every_day(vec![iv("09:00", "18:00")]);
        assert_eq!(business_seconds(from, to, &office, &tz(KYIV)), 9 * 3600);
        let night = every_day(vec![iv("01:00", "06:00")]);
        assert_eq!(business_seconds(from, to, &night, &tz(KYIV)), 6 * 3600);
        // 30 business minutes from Saturday 17:50 under the default week:
        // Monday 09:30 (Friday's hours are not the weekend's).
        assert_eq!(
            deadline(
                at(KYIV, "2026-10-24T17:50"),
                30,
                &BusinessHours::default(),
                &tz(KYIV)
            ),
            Some(at(KYIV, "2026-10-26T09:30"))
        );
    }

    #[test]
    fn new_york_spring_forward_is_counted_in_its_own_zone() {
        // 2026-03-08: 02:00 becomes 03:00 in New York.
        const NY: &str = "America/New_York";
        let night = every_day(vec![iv("01:00", "05:00")]);
        let from = at(NY, "2026-03-08T00:00");
        let to = at(NY, "2026-03-09T00:00");
        assert_eq!(business_seconds(from, to, &night, &tz(NY)), 3 * 3600);
        // Friday 17:50 New York time → 30 minutes → Monday 09:20, across the change.
        assert_eq!(
            deadline(
                at(NY, "2026-03-06T17:50"),
                30,
                &BusinessHours::default(),
                &tz(NY)
            ),
            Some(at(NY, "2026-03-09T09:20"))
        );
        assert_eq!(
            business_seconds(
                at(NY, "2026-03-06T17:50"),
                at(NY, "2026-03-09T09:20"),
                &BusinessHours::default(),
                &tz(NY)
            ),
            30 * 60
        );
    }

    #[test]
    fn an_interval_ending_at_24_00_runs_to_the_next_midnight() {
        let mut h = BusinessHours::closed();
        h.fri = vec![iv("22:00", "24:00")];
        h.sat = vec![iv("00:00", "01:00")];
        let from = at(KYIV, "2027-01-15T23:30");
        assert_eq!(
            business_seconds(from, at(KYIV, "2027-01-16T00:30"), &h, &tz(KYIV)),
            3600
        );
        assert_eq!(
            deadline(from, 45, &h, &tz(KYIV)),
            Some(at(KYIV, "2027-01-16T00:15"))
        );
    }

    #[test]
    fn an_empty_week_has_no_business_time_and_no_deadline() {
        let h = BusinessHours::closed();
        let from = at(KYIV, "2027-01-15T10:00");
        assert_eq!(
            business_seconds(from, at(KYIV, "2027-02-15T10:00"), &h, &tz(KYIV)),
            0
        );
        assert_eq!(deadline(from, 30, &h, &tz(KYIV)), None);
        assert_eq!(
            business_seconds(from, from, &BusinessHours::default(), &tz(KYIV)),
            0
        );
    }
}
