//! Phone numbers: normalisation to E.164 (R-P2) and withheld caller ids (R-P6).
//!
//! # How a number is normalised
//!
//! Every number, whether typed by a person or sent by a phone system, is
//! reduced to a [`PhoneKey`]: `"+<E.164 digits>"` when it could be read as a
//! phone number, or `"#<digits only>"` when it could not. The text as written
//! is kept beside it in [`PhoneNumber::raw`] for display.
//!
//! [`normalise`] tries, in order, and keeps the first reading that works:
//!
//! 1. **The library's own reading** — `rlibphonenumber` (a port of Google's
//!    libphonenumber) parses the text with the company's country as the default
//!    region. Kept if the result is a *valid* number.
//! 2. **The pre-normaliser** — only for text without a `+`. Each rule below
//!    rewrites the digits into an explicit `+<country code>…` form, and the
//!    rewrite is kept only if the library says that reading is *valid*:
//!    - **`00` international prefix, in any country** (`00380671234567` →
//!      `+380671234567`). The library only strips the *company country's*
//!      international prefix, and several countries do not use `00`
//!      (the US dials `011`, Russia `810`), yet `00` is what most phone systems
//!      and most people outside North America write.
//!    - **Ukraine's old trunk form `8 0XX…`** (`80671234567` → `+380671234567`,
//!      company in UA). Before Ukraine's 2009–2010 dialling reform a
//!      long-distance call was `8` + `0XX` + subscriber; the form lives on in
//!      address books and CRM imports. Ukraine's national prefix is now `0`, so
//!      the library reads the `8` as part of an 11-digit national number, which
//!      is invalid.
//!    - **Russia's `8XXXXXXXXXX`** (11 digits starting with `8`, company in a
//!      `+7` country, i.e. RU or KZ: `8 (916) 123-45-67` → `+79161234567`,
//!      `8 800 555-35-35` → `+78005553535`). `8` is the trunk prefix there and
//!      the library normally strips it itself; the rule is a safety net for the
//!      ranges whose metadata does not allow it.
//!    - **The country's calling code without the plus** (`380671234567` in UA →
//!      `+380671234567`). Phone systems often send international numbers
//!      without the `+`. The library recognises this only when the digits
//!      after the code form a valid number, which is exactly the condition
//!      used here; the rule makes the behaviour explicit and independent of
//!      the library's heuristics.
//! 3. **A merely *possible* library reading** — right length for the country
//!    but not matching a known range (for instance a freshly allocated block
//!    the metadata does not know yet). Still normalised, so it matches later.
//! 4. **Otherwise** the number is kept raw and keyed by its digits (`#12`).
//!    Such keys only ever match the exact same digits.
//!
//! A number written with a `+` is only ever read by the library (step 1 or 3):
//! the writer already said which country it belongs to.
//!
//! Extensions (`… ext. 12`) are dropped from an E.164 key: two people behind
//! the same switchboard number share a key.
//!
//! Only ASCII digits count as digits here (phone systems send ASCII); text
//! without any is a withheld caller id ([`is_withheld`], R-P6) and
//! [`normalise`] refuses it with [`PhoneError::NoDigits`].
//!
//! # Cost
//!
//! The library's one shared instance (`rlibphonenumber::PHONE_NUMBER_UTIL`, a
//! read-only `LazyLock`) is built on first use (a few milliseconds; call
//! [`warm_up`] at start-up to pay it early). A normal number costs one parse,
//! one validation and one allocation for the key (plus one for `raw`); the
//! pre-normaliser's candidates are built in a stack buffer.

use std::fmt;

use rlibphonenumber::{NumberLengthType, PhoneNumberFormat, Region, PHONE_NUMBER_UTIL};
use serde::{Deserialize, Serialize};

/// ISO 3166-1 alpha-2 region, upper-case, known to libphonenumber.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Country(String);

impl Country {
    /// Accepts a two-letter region in any case (`"ua"`, `"UA"`, surrounding
    /// whitespace ignored) that libphonenumber has metadata for.
    pub fn parse(s: &str) -> Result<Country, PhoneError> {
        let code = s.trim();
        let known = code.len() == 2
            && code.bytes().all(|b| b.is_ascii_alphabetic())
            && Region::from_code(code)
                .ok()
                .and_then(|region| PHONE_NUMBER_UTIL.get_country_code_for_region(region))
                .is_some();
        if known {
            Ok(Country(code.to_ascii_uppercase()))
        } else {
            Err(PhoneError::UnknownCountry(s.to_owned()))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Every code [`Country::parse`] accepts, upper case, in order.
    pub fn all() -> Vec<Country> {
        let letters = b'A'..=b'Z';
        letters
            .clone()
            .flat_map(|a| letters.clone().map(move |b| [a, b]))
            .filter_map(|code| Country::parse(std::str::from_utf8(&code).ok()?).ok())
            .collect()
    }

    /// The library's region; `None` only if the invariant was bypassed.
    fn region(&self) -> Option<Region> {
        Region::from_code(&self.0).ok()
    }
}

impl fmt::Display for Country {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for Country {
    type Error = PhoneError;

    fn try_from(s: String) -> Result<Self, Self::Error> {
        Country::parse(&s)
    }
}

impl From<Country> for String {
    fn from(c: Country) -> String {
        c.0
    }
}

/// The key numbers are indexed and compared by: "+<E.164 digits>" when the number parsed,
/// or "#<digits only>" when it did not.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PhoneKey(String);

impl PhoneKey {
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// True when the number was normalised to E.164 (`+…`), false for a raw
    /// digits key (`#…`).
    pub fn is_e164(&self) -> bool {
        self.0.starts_with('+')
    }

    /// Rebuilds a key read back from storage; it is trusted, not re-checked.
    pub fn from_stored(s: String) -> PhoneKey {
        PhoneKey(s)
    }
}

impl fmt::Display for PhoneKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A number as written (`raw`, for display) and the key it is matched by.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PhoneNumber {
    pub raw: String,
    pub key: PhoneKey,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PhoneError {
    #[error("unknown country code {0:?}")]
    UnknownCountry(String),
    #[error("the number {0:?} contains no digits")]
    NoDigits(String),
}

/// Builds the phone-number library's shared instance now rather than on the
/// first call event (it takes a few milliseconds).
pub fn warm_up() {
    let _ = PHONE_NUMBER_UTIL.parse("+380671234567", None);
}

/// Normalises a number typed by a person or sent by a phone system.
/// Errors only when there are no digits at all (a withheld/empty caller id).
pub fn normalise(raw: &str, country: &Country) -> Result<PhoneNumber, PhoneError> {
    if !has_digit(raw) {
        return Err(PhoneError::NoDigits(raw.to_owned()));
    }
    Ok(PhoneNumber {
        raw: raw.to_owned(),
        key: key_for(raw, country),
    })
}

/// R-P6: true for empty, anonymous, unknown, restricted, private, or digit-less caller ids.
pub fn is_withheld(raw: &str) -> bool {
    const WITHHELD: [&str; 4] = ["anonymous", "unknown", "restricted", "private"];
    let t = raw.trim();
    t.is_empty() || WITHHELD.iter().any(|w| t.eq_ignore_ascii_case(w)) || !has_digit(t)
}

/// The kind of example number [`example_number`] gives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NumberKind {
    Mobile,
    FixedLine,
}

/// A valid number of `country` in E.164 (`+…`) from the library's metadata,
/// for made-up traffic and demo data (`ringdesk simulate`, `ringdesk demo`):
/// the metadata's example number of that kind.
pub fn example_number(country: &Country, kind: NumberKind) -> Option<String> {
    let kind = match kind {
        NumberKind::Mobile => rlibphonenumber::PhoneNumberType::Mobile,
        NumberKind::FixedLine => rlibphonenumber::PhoneNumberType::FixedLine,
    };
    let n = PHONE_NUMBER_UTIL
        .get_example_number_for_type_and_region(country.region()?, kind)
        .ok()?;
    Some(e164_key(&n).0)
}

/// Whether `e164` (`+…`) is a valid number of `country`, not merely a possible one.
pub fn is_valid_in(e164: &str, country: &Country) -> bool {
    country_of(e164).as_ref() == Some(country)
}

/// The country a valid international number (`+…`) belongs to; `None` when
/// it is not valid.
pub fn country_of(e164: &str) -> Option<Country> {
    let n = PHONE_NUMBER_UTIL.parse(e164, None).ok()?;
    if !PHONE_NUMBER_UTIL.is_valid_number(&n) {
        return None;
    }
    let region = PHONE_NUMBER_UTIL.get_region_for_number(&n)?;
    Country::parse(&region.to_string()).ok()
}

fn has_digit(s: &str) -> bool {
    s.bytes().any(|b| b.is_ascii_digit())
}

/// The key for text known to contain at least one digit.
fn key_for(raw: &str, country: &Country) -> PhoneKey {
    let region = country.region();

    // Step 1: the library's own reading.
    let parsed = PHONE_NUMBER_UTIL.parse(raw, region).ok();
    if let Some(n) = &parsed {
        if PHONE_NUMBER_UTIL.is_valid_number(n) {
            return e164_key(n);
        }
    }

    // Step 2: the pre-normaliser, for numbers written without a plus.
    if !raw.contains(['+', '\u{FF0B}']) {
        if let Some(key) = region.and_then(|r| pre_normalised_key(raw, r)) {
            return key;
        }
    }

    // Step 3: a possible (right length, unknown range) reading. A number
    // that is only long enough to be dialled locally (without its area code)
    // says nothing about which area it is in, so it does not count.
    if let Some(n) = &parsed {
        if n.national_number != 0
            && PHONE_NUMBER_UTIL.is_possible_number_with_reason(n)
                == Ok(NumberLengthType::IsPossible)
        {
            return e164_key(n);
        }
    }

    // Step 4: kept raw, matched by its exact digits.
    let mut key = String::with_capacity(raw.len() + 1);
    key.push('#');
    key.extend(raw.chars().filter(char::is_ascii_digit));
    PhoneKey(key)
}

fn e164_key(n: &rlibphonenumber::PhoneNumber) -> PhoneKey {
    PhoneKey(
        PHONE_NUMBER_UTIL
            .format(n, PhoneNumberFormat::E164)
            .into_owned(),
    )
}

/// The longest digit string worth rewriting: `00` + a 3-digit calling code +
/// the 17-digit maximum national number, with a `+` in front.
const MAX_CANDIDATE: usize = 23;

/// Tries the pre-normaliser's rewrites (see the module documentation) and
/// returns the first one that the library finds valid.
fn pre_normalised_key(raw: &str, region: Region) -> Option<PhoneKey> {
    let digits = Digits::of(raw)?;
    let d = digits.as_bytes();
    let calling_code = PHONE_NUMBER_UTIL.get_country_code_for_region(region)?;
    let mut code_buf = Digits::new();
    code_buf.push_number(calling_code);
    let code = code_buf.as_bytes();

    // `00` international prefix, in any country.
    if let Some(rest) = d.strip_prefix(b"00") {
        if let Some(key) = valid_key(&[b"+", rest]) {
            return Some(key);
        }
    }
    // Ukraine's old trunk form: 8 0XX XXX XX XX.
    if region == Region::UA && d.len() == 11 && d.starts_with(b"80") {
        if let Some(key) = valid_key(&[b"+38", &d[1..]]) {
            return Some(key);
        }
    }
    // Russia's (and Kazakhstan's) trunk form: 8 XXX XXX XX XX.
    if calling_code == 7 && d.len() == 11 && d[0] == b'8' {
        if let Some(key) = valid_key(&[b"+7", &d[1..]]) {
            return Some(key);
        }
    }
    // The country's calling code without the plus.
    if d.len() > code.len() && d.starts_with(code) {
        if let Some(key) = valid_key(&[b"+", d]) {
            return Some(key);
        }
    }
    None
}

/// Joins the parts into an international number and returns its key if the
/// library finds it valid.
fn valid_key(parts: &[&[u8]]) -> Option<PhoneKey> {
    let mut candidate = Digits::new();
    for part in parts {
        candidate.extend(part)?;
    }
    let n = PHONE_NUMBER_UTIL.parse(candidate.as_str(), None).ok()?;
    PHONE_NUMBER_UTIL.is_valid_number(&n).then(|| e164_key(&n))
}

/// A small stack buffer of ASCII bytes (digits and `+`), so that the
/// pre-normaliser's candidates cost no heap allocation.
struct Digits {
    buf: [u8; MAX_CANDIDATE],
    len: usize,
}

impl Digits {
    fn new() -> Self {
        Digits {
            buf: [0; MAX_CANDIDATE],
            len: 0,
        }
    }

    /// The ASCII digits of `raw`, or `None` if there are too many to be a
    /// phone number in any of the pre-normaliser's forms.
    fn of(raw: &str) -> Option<Self> {
        let mut d = Digits::new();
        for b in raw.bytes().filter(u8::is_ascii_digit) {
            d.extend(&[b])?;
        }
        Some(d)
    }

    fn extend(&mut self, bytes: &[u8]) -> Option<()> {
        let end = self.len + bytes.len();
        self.buf.get_mut(self.len..end)?.copy_from_slice(bytes);
        self.len = end;
        Some(())
    }

    fn push_number(&mut self, n: i32) {
        let mut tmp = [0u8; 10];
        let mut i = tmp.len();
        let mut n = n.unsigned_abs();
        loop {
            i -= 1;
            tmp[i] = b'0' + (n % 10) as u8;
            n /= 10;
            if n == 0 {
                break;
            }
        }
        let _ = self.extend(&tmp[i..]);
    }

    fn as_bytes(&self) -> &[u8] {
        &self.buf[..self.len]
    }

    fn as_str(&self) -> &str {
        // Only ASCII is ever pushed, so this cannot fail.
        std::str::from_utf8(self.as_bytes()).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(raw: &str, country: &str) -> String {
        let country = Country::parse(country).unwrap();
        normalise(raw, &country).unwrap().key.as_str().to_owned()
    }

    #[test]
    fn example_numbers_are_valid_numbers_of_their_country_and_name_it() {
        for code in ["UA", "PT", "ES", "RU", "GB", "US"] {
            let country = Country::parse(code).unwrap();
            for kind in [NumberKind::Mobile, NumberKind::FixedLine] {
                let n = example_number(&country, kind).unwrap();
                assert!(n.starts_with('+'), "{n}");
                assert!(is_valid_in(&n, &country), "{n}");
                assert_eq!(country_of(&n), Some(country.clone()));
                assert_eq!(key(&n, code), n);
            }
        }
        assert_eq!(country_of("+380671234567").unwrap().as_str(), "UA");
        assert_eq!(country_of("+3806712"), None);
        assert!(!is_valid_in(
            "+380671234567",
            &Country::parse("PT").unwrap()
        ));
    }

    #[test]
    fn every_way_of_writing_a_ukrainian_mobile_gives_the_same_e164_key_r_p2() {
        for raw in [
            "067 123 45 67",
            "+380671234567",
            "380671234567",
            "0671234567",
            "80671234567",
            "+38 (067) 123-45-67",
            "00380671234567",
        ] {
            assert_eq!(key(raw, "UA"), "+380671234567", "{raw:?}");
        }
    }

    #[test]
    fn a_ukrainian_number_in_old_trunk_form_normalises_to_e164_r_p2() {
        assert_eq!(key("8 067 123 45 67", "UA"), "+380671234567");
        assert_eq!(key("8 (044) 123-45-67", "UA"), "+380441234567");
    }

    #[test]
    fn a_russian_number_with_trunk_prefix_8_normalises_to_plus_7_r_p2() {
        assert_eq!(key("8 (916) 123-45-67", "RU"), "+79161234567");
        assert_eq!(key("+7 916 123 45 67", "RU"), "+79161234567");
        assert_eq!(key("89161234567", "RU"), "+79161234567");
    }

    #[test]
    fn a_russian_toll_free_number_with_trunk_prefix_normalises_to_e164_r_p2() {
        assert_eq!(key("8 800 555-35-35", "RU"), "+78005553535");
    }

    #[test]
    fn an_italian_landline_keeps_its_leading_zero_r_p2() {
        assert_eq!(key("06 1234 5678", "IT"), "+390612345678");
    }

    #[test]
    fn an_italian_mobile_in_international_form_normalises_to_e164_r_p2() {
        assert_eq!(key("+39 333 123 4567", "IT"), "+393331234567");
    }

    #[test]
    fn a_us_number_in_national_form_normalises_to_e164_r_p2() {
        assert_eq!(key("(415) 555-2671", "US"), "+14155552671");
        assert_eq!(key("1 415 555 2671", "US"), "+14155552671");
    }

    #[test]
    fn the_00_international_prefix_is_understood_in_any_country_r_p2() {
        assert_eq!(key("00380671234567", "US"), "+380671234567");
        assert_eq!(key("00 380 67 123 45 67", "RU"), "+380671234567");
        assert_eq!(key("00380671234567", "IT"), "+380671234567");
        // The library's own international prefixes still work.
        assert_eq!(key("011 380 67 123 45 67", "US"), "+380671234567");
        assert_eq!(key("810 380 67 123 45 67", "RU"), "+380671234567");
    }

    #[test]
    fn a_foreign_e164_number_stays_itself_in_a_ukrainian_company_r_p2() {
        assert_eq!(key("+14155552671", "UA"), "+14155552671");
        assert_eq!(key("+7 916 123 45 67", "UA"), "+79161234567");
    }

    #[test]
    fn an_unparseable_number_is_kept_raw_and_keyed_by_its_digits_r_p2() {
        let ua = Country::parse("UA").unwrap();
        let n = normalise("12", &ua).unwrap();
        assert_eq!(n.raw, "12");
        assert_eq!(n.key.as_str(), "#12");
        assert!(!n.key.is_e164());
    }

    #[test]
    fn a_number_only_long_enough_for_local_dialling_is_kept_raw_r_p2() {
        // Without its area code nobody can tell where "123456" is.
        assert_eq!(key("123456", "UA"), "#123456");
        // The library reads letters as a phone keypad ("ext" = 398); the
        // result is too short to be a number, so only the digits count.
        assert_eq!(key("1-2-3 ext", "UA"), "#123");
    }

    #[test]
    fn a_number_with_a_plus_is_never_rewritten_by_the_pre_normaliser_r_p2() {
        assert_eq!(key("+8 067 123 45 67", "UA"), "#80671234567");
        assert_eq!(key("+0671234567", "UA"), "#0671234567");
    }

    #[test]
    fn an_extension_is_not_part_of_the_key_r_p2() {
        assert_eq!(key("067 123 45 67 ext. 12", "UA"), "+380671234567");
    }

    #[test]
    fn the_raw_text_is_kept_for_display_r_p2() {
        let ua = Country::parse("UA").unwrap();
        let n = normalise("+38 (067) 123-45-67", &ua).unwrap();
        assert_eq!(n.raw, "+38 (067) 123-45-67");
        assert!(n.key.is_e164());
    }

    #[test]
    fn a_number_without_digits_is_refused_by_normalise_r_p6() {
        let ua = Country::parse("UA").unwrap();
        assert_eq!(
            normalise("anonymous", &ua),
            Err(PhoneError::NoDigits("anonymous".into()))
        );
        assert!(normalise("", &ua).is_err());
    }

    #[test]
    fn withheld_and_digitless_caller_ids_identify_nobody_r_p6() {
        for raw in [
            "",
            "  ",
            "Anonymous",
            "UNKNOWN",
            "restricted",
            "private",
            "abc",
            " Private ",
        ] {
            assert!(is_withheld(raw), "{raw:?}");
        }
        assert!(!is_withheld("+380671234567"));
        assert!(!is_withheld("12"));
    }

    #[test]
    fn a_country_is_parsed_case_insensitively_and_unknown_ones_are_refused_r_p2() {
        assert_eq!(Country::parse("ua").unwrap().as_str(), "UA");
        assert_eq!(Country::parse("UA").unwrap().as_str(), "UA");
        assert_eq!(
            Country::parse("xx"),
            Err(PhoneError::UnknownCountry("xx".into()))
        );
        for bad in ["", "u", "ukr", "001", "1a", "ZZ"] {
            assert!(Country::parse(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn a_country_round_trips_through_serde_as_a_plain_string_r_p2() {
        let c: Country = serde_json::from_str("\"it\"").unwrap();
        assert_eq!(c.as_str(), "IT");
        assert_eq!(serde_json::to_string(&c).unwrap(), "\"IT\"");
        assert!(serde_json::from_str::<Country>("\"xx\"").is_err());
    }

    #[test]
    fn a_stored_key_is_trusted_as_is_r_p2() {
        let k = PhoneKey::from_stored("+380671234567".into());
        assert!(k.is_e164());
        assert_eq!(k.as_str(), "+380671234567");
        assert!(!PhoneKey::from_stored("#12".into()).is_e164());
    }
}
