//! A quote's line items (R-M7, issue 11): what a line may hold, how a typed
//! quantity or price is read, and the totals.
//!
//! Amounts are integers in minor units, never floats: a quantity in
//! thousandths (`quantity_milli`, `1.5` → 1500) and a unit price in cents
//! (`unit_price_cents`, `12.50` → 1250). A line's total is
//! `quantity_milli × unit_price_cents / 1000`, rounded half up to the cent;
//! the quote's total is the sum of its lines' totals (so the lines shown add
//! up to the total shown). Every product and sum is checked: an amount that
//! would not fit is an error, never a wrapped number.
//!
//! What a person types is read by [`parse_quantity`] and [`parse_price`]:
//! digits, then optionally `.` or `,` (both are decimal separators, whatever
//! the language) and at most 3 (quantity) or 2 (price) decimals. No signs, no
//! exponents, no thousands separators (`1,500` would be ambiguous), no
//! leading zeros (`0.5`, not `00.5`). [`QUANTITY_PATTERN`] and
//! [`PRICE_PATTERN`] say exactly the same as regular expressions, for the
//! OpenAPI document.

use crate::company::Locale;
use crate::event::FieldError;

/// At most this many lines on a quote.
pub const MAX_LINES: usize = 100;
/// A line's description: 1 to 200 characters (after trimming).
pub const MAX_LINE_DESCRIPTION: usize = 200;
/// Decimals of a quantity (thousandths).
pub const QUANTITY_DECIMALS: u32 = 3;
/// Decimals of a price (cents).
pub const PRICE_DECIMALS: u32 = 2;
/// Digits before the decimal separator of a quantity (at most 999,999.999).
pub const QUANTITY_DIGITS: usize = 6;
/// Digits before the decimal separator of a price (at most 99,999,999.99).
pub const PRICE_DIGITS: usize = 8;

/// A quantity as [`parse_quantity`] reads it: more than 0, at most
/// [`QUANTITY_DIGITS`] digits and [`QUANTITY_DECIMALS`] decimals.
pub const QUANTITY_PATTERN: &str =
    r"^(?:[1-9][0-9]{0,5}(?:[.,][0-9]{1,3})?|0[.,](?:[1-9][0-9]{0,2}|0[1-9][0-9]?|00[1-9]))$";
/// A unit price as [`parse_price`] reads it: 0 or more, at most
/// [`PRICE_DIGITS`] digits and [`PRICE_DECIMALS`] decimals.
pub const PRICE_PATTERN: &str = r"^(?:0|[1-9][0-9]{0,7})(?:[.,][0-9]{1,2})?$";

/// One line of a quote, validated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuoteLine {
    pub description: String,
    /// Thousandths: `1.5` is 1500.
    pub quantity_milli: i64,
    /// Cents: `12.50` is 1250.
    pub unit_price_cents: i64,
}

/// Which cell of a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineField {
    Description,
    Quantity,
    UnitPrice,
}

impl LineField {
    /// The field's name in the API (`items[2].quantity`) and in forms.
    pub fn as_str(self) -> &'static str {
        match self {
            LineField::Description => "description",
            LineField::Quantity => "quantity",
            LineField::UnitPrice => "unit_price",
        }
    }
}

/// What is wrong with a cell, or with the lines as a whole.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineProblem {
    /// Nothing typed.
    Empty,
    /// A description longer than [`MAX_LINE_DESCRIPTION`].
    TooLong,
    /// Not a number as people write them (`1.5`, `1,5`, `12`).
    NotANumber,
    /// More decimals than the field has (3 for a quantity, 2 for a price).
    TooManyDecimals,
    /// More digits than the field has.
    TooLarge,
    /// A quantity of 0.
    NotPositive,
    /// More than [`MAX_LINES`] lines.
    TooManyLines,
    /// A total that does not fit.
    Overflow,
}

impl LineProblem {
    /// A stable key, for texts in the pages (`quote-line-<key>`).
    pub fn key(self) -> &'static str {
        match self {
            LineProblem::Empty => "empty",
            LineProblem::TooLong => "too-long",
            LineProblem::NotANumber => "not-a-number",
            LineProblem::TooManyDecimals => "too-many-decimals",
            LineProblem::TooLarge => "too-large",
            LineProblem::NotPositive => "not-positive",
            LineProblem::TooManyLines => "too-many-lines",
            LineProblem::Overflow => "overflow",
        }
    }

    fn message(self, field: Option<LineField>) -> String {
        let decimals = match field {
            Some(LineField::Quantity) => QUANTITY_DECIMALS,
            _ => PRICE_DECIMALS,
        };
        match self {
            LineProblem::Empty => "must not be empty".into(),
            LineProblem::TooLong => format!("must be at most {MAX_LINE_DESCRIPTION} characters"),
            LineProblem::NotANumber => {
                "must be a number such as \"1.5\" or \"1,5\" (digits, then . or , and decimals)"
                    .into()
            }
            LineProblem::TooManyDecimals => format!("must have at most {decimals} decimals"),
            LineProblem::TooLarge => match field {
                Some(LineField::Quantity) => "must be at most 999999.999".into(),
                _ => "must be at most 99999999.99".into(),
            },
            LineProblem::NotPositive => "must be more than 0".into(),
            LineProblem::TooManyLines => format!("must have at most {MAX_LINES} lines"),
            LineProblem::Overflow => "the total is too large".into(),
        }
    }
}

/// A refused line: which line (0-based), which cell (none: the lines as a
/// whole) and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineError {
    pub index: Option<usize>,
    pub field: Option<LineField>,
    pub problem: LineProblem,
}

impl LineError {
    /// R-X2's "field: problem", the field named as in the API
    /// (`items[2].quantity`, or `items`).
    pub fn to_field_error(&self, prefix: &str) -> FieldError {
        let field = match (self.index, self.field) {
            (Some(i), Some(f)) => format!("{prefix}[{i}].{}", f.as_str()),
            (Some(i), None) => format!("{prefix}[{i}]"),
            _ => prefix.to_owned(),
        };
        FieldError::new(field, self.problem.message(self.field))
    }
}

/// Reads a non-negative decimal with at most `decimals` decimals and `digits`
/// digits before the separator, as an integer in minor units.
fn parse_decimal(text: &str, decimals: u32, digits: usize) -> Result<i64, LineProblem> {
    if text.is_empty() {
        return Err(LineProblem::Empty);
    }
    let (whole, frac) = match text.find(['.', ',']) {
        Some(i) => (&text[..i], Some(&text[i + 1..])),
        None => (text, None),
    };
    let all_digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !all_digits(whole) || frac.is_some_and(|f| !all_digits(f)) {
        return Err(LineProblem::NotANumber);
    }
    if whole.len() > 1 && whole.starts_with('0') {
        return Err(LineProblem::NotANumber);
    }
    let frac = frac.unwrap_or("");
    if frac.len() > decimals as usize {
        return Err(LineProblem::TooManyDecimals);
    }
    if whole.len() > digits {
        return Err(LineProblem::TooLarge);
    }
    let scale = 10i64.pow(decimals);
    // At most 8 + 3 digits: no overflow possible, but checked all the same.
    let w: i64 = whole.parse().map_err(|_| LineProblem::TooLarge)?;
    let mut f: i64 = if frac.is_empty() {
        0
    } else {
        frac.parse().map_err(|_| LineProblem::NotANumber)?
    };
    for _ in frac.len()..decimals as usize {
        f *= 10;
    }
    w.checked_mul(scale)
        .and_then(|v| v.checked_add(f))
        .ok_or(LineProblem::TooLarge)
}

/// A quantity as typed (`1`, `1.5`, `1,5`, `0.25`) in thousandths; more than 0.
pub fn parse_quantity(text: &str) -> Result<i64, LineProblem> {
    let q = parse_decimal(text, QUANTITY_DECIMALS, QUANTITY_DIGITS)?;
    if q <= 0 {
        return Err(LineProblem::NotPositive);
    }
    Ok(q)
}

/// A unit price as typed (`12`, `12.5`, `12,50`) in cents; 0 or more.
pub fn parse_price(text: &str) -> Result<i64, LineProblem> {
    parse_decimal(text, PRICE_DECIMALS, PRICE_DIGITS)
}

/// A line's total in cents: quantity × unit price, rounded half up to the
/// cent; `None` if it does not fit.
pub fn line_total(quantity_milli: i64, unit_price_cents: i64) -> Option<i64> {
    if quantity_milli < 0 || unit_price_cents < 0 {
        return None;
    }
    let p = i128::from(quantity_milli) * i128::from(unit_price_cents);
    i64::try_from((p + 500) / 1000).ok()
}

/// The quote's total in cents: the sum of its lines' totals; `None` if it
/// does not fit.
pub fn quote_total(lines: &[QuoteLine]) -> Option<i64> {
    lines.iter().try_fold(0i64, |sum, l| {
        sum.checked_add(line_total(l.quantity_milli, l.unit_price_cents)?)
    })
}

/// Checks lines already in minor units (what the store is given): the
/// limits of one line and of the quote, and that the total fits. Returns the
/// total in cents.
pub fn validate_lines(lines: &[QuoteLine]) -> Result<i64, LineError> {
    if lines.len() > MAX_LINES {
        return Err(LineError {
            index: None,
            field: None,
            problem: LineProblem::TooManyLines,
        });
    }
    let max_q = 10i64.pow(QUANTITY_DIGITS as u32 + QUANTITY_DECIMALS) - 1;
    let max_p = 10i64.pow(PRICE_DIGITS as u32 + PRICE_DECIMALS) - 1;
    for (i, l) in lines.iter().enumerate() {
        let err = |field, problem| LineError {
            index: Some(i),
            field: Some(field),
            problem,
        };
        let n = l.description.chars().count();
        if l.description.trim().is_empty() {
            return Err(err(LineField::Description, LineProblem::Empty));
        }
        if n > MAX_LINE_DESCRIPTION {
            return Err(err(LineField::Description, LineProblem::TooLong));
        }
        if l.quantity_milli <= 0 {
            return Err(err(LineField::Quantity, LineProblem::NotPositive));
        }
        if l.quantity_milli > max_q {
            return Err(err(LineField::Quantity, LineProblem::TooLarge));
        }
        if l.unit_price_cents < 0 {
            return Err(err(LineField::UnitPrice, LineProblem::NotANumber));
        }
        if l.unit_price_cents > max_p {
            return Err(err(LineField::UnitPrice, LineProblem::TooLarge));
        }
    }
    quote_total(lines).ok_or(LineError {
        index: None,
        field: None,
        problem: LineProblem::Overflow,
    })
}

/// One line as typed: its three cells, as text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LineInput {
    pub description: String,
    pub quantity: String,
    pub unit_price: String,
}

/// Reads typed lines: every refused cell (all of them, so a form can show
/// each beside its cell), or the lines. Descriptions are trimmed; quantity
/// and price must be exactly as [`parse_quantity`] and [`parse_price`] read
/// them (a form trims them first).
pub fn parse_lines(inputs: &[LineInput]) -> Result<Vec<QuoteLine>, Vec<LineError>> {
    if inputs.len() > MAX_LINES {
        return Err(vec![LineError {
            index: None,
            field: None,
            problem: LineProblem::TooManyLines,
        }]);
    }
    let mut errors = Vec::new();
    let mut lines = Vec::with_capacity(inputs.len());
    for (i, input) in inputs.iter().enumerate() {
        let mut err = |field, problem| {
            errors.push(LineError {
                index: Some(i),
                field: Some(field),
                problem,
            })
        };
        let description = input.description.trim();
        if description.is_empty() {
            err(LineField::Description, LineProblem::Empty);
        } else if description.chars().count() > MAX_LINE_DESCRIPTION {
            err(LineField::Description, LineProblem::TooLong);
        }
        let q = parse_quantity(&input.quantity)
            .map_err(|p| err(LineField::Quantity, p))
            .ok();
        let p = parse_price(&input.unit_price)
            .map_err(|p| err(LineField::UnitPrice, p))
            .ok();
        if let (Some(quantity_milli), Some(unit_price_cents)) = (q, p) {
            lines.push(QuoteLine {
                description: description.to_owned(),
                quantity_milli,
                unit_price_cents,
            });
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    validate_lines(&lines).map_err(|e| vec![e])?;
    Ok(lines)
}

/// The decimal separator of a language: `.` in English, `,` in Portuguese,
/// Spanish and Russian.
pub fn decimal_separator(l: Locale) -> char {
    match l {
        Locale::En => '.',
        _ => ',',
    }
}

fn split(v: i64, decimals: u32) -> (u64, u64) {
    let scale = 10u64.pow(decimals);
    (v.unsigned_abs() / scale, v.unsigned_abs() % scale)
}

/// An amount in cents with two decimals: `1250` → `12.50` (`12,50` with `,`).
pub fn format_money(cents: i64, sep: char) -> String {
    let (w, f) = split(cents, PRICE_DECIMALS);
    let sign = if cents < 0 { "-" } else { "" };
    format!("{sign}{w}{sep}{f:02}")
}

/// A quantity in thousandths with only the decimals it needs: `1500` → `1.5`,
/// `2000` → `2`.
pub fn format_quantity(milli: i64, sep: char) -> String {
    let (w, f) = split(milli, QUANTITY_DECIMALS);
    let sign = if milli < 0 { "-" } else { "" };
    if f == 0 {
        return format!("{sign}{w}");
    }
    let frac = format!("{f:03}");
    format!("{sign}{w}{sep}{}", frac.trim_end_matches('0'))
}

/// The text a work order made from a quote carries (R-M7, conversion): the
/// quote's description, then one line per item
/// (`Paint the wall: 1.5 × 12.50 = 18.75`) and the total
/// (`total_word: 18.75`), amounts with `sep`.
pub fn order_text(
    description: Option<&str>,
    lines: &[QuoteLine],
    total_word: &str,
    sep: char,
) -> Option<String> {
    let mut out: Vec<String> = Vec::new();
    if let Some(d) = description.map(str::trim).filter(|d| !d.is_empty()) {
        out.push(d.to_owned());
    }
    if !lines.is_empty() {
        for l in lines {
            let total = line_total(l.quantity_milli, l.unit_price_cents)
                .map_or_else(|| "?".to_owned(), |t| format_money(t, sep));
            out.push(format!(
                "{}: {} × {} = {total}",
                l.description,
                format_quantity(l.quantity_milli, sep),
                format_money(l.unit_price_cents, sep),
            ));
        }
        let total = quote_total(lines).map_or_else(|| "?".to_owned(), |t| format_money(t, sep));
        out.push(format!("{total_word}: {total}"));
    }
    (!out.is_empty()).then(|| out.join("\n"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(d: &str, q: &str, p: &str) -> LineInput {
        LineInput {
            description: d.into(),
            quantity: q.into(),
            unit_price: p.into(),
        }
    }

    #[test]
    fn quantities_and_prices_are_read_with_either_separator() {
        assert_eq!(parse_quantity("1.5"), Ok(1500));
        assert_eq!(parse_quantity("1,5"), Ok(1500));
        assert_eq!(parse_quantity("2"), Ok(2000));
        assert_eq!(parse_quantity("0.001"), Ok(1));
        assert_eq!(parse_quantity("999999.999"), Ok(999_999_999));
        assert_eq!(parse_price("12.50"), Ok(1250));
        assert_eq!(parse_price("12,5"), Ok(1250));
        assert_eq!(parse_price("0"), Ok(0));
        assert_eq!(parse_price("99999999.99"), Ok(9_999_999_999));
    }

    #[test]
    fn what_is_not_a_quantity_or_price_is_refused_and_why() {
        assert_eq!(parse_price("12.345"), Err(LineProblem::TooManyDecimals));
        assert_eq!(parse_quantity("1.2345"), Err(LineProblem::TooManyDecimals));
        assert_eq!(parse_quantity("0"), Err(LineProblem::NotPositive));
        assert_eq!(parse_quantity("0.000"), Err(LineProblem::NotPositive));
        assert_eq!(parse_quantity("1000000"), Err(LineProblem::TooLarge));
        assert_eq!(parse_price("100000000"), Err(LineProblem::TooLarge));
        assert_eq!(parse_price(""), Err(LineProblem::Empty));
        for bad in [
            "-1", "+1", "1e3", "1.", ".5", "1,500.00", "1 000", "01", "abc", "1..2", "١",
        ] {
            assert_eq!(parse_price(bad), Err(LineProblem::NotANumber), "{bad}");
        }
    }

    #[test]
    fn the_patterns_say_what_the_parsers_accept() {
        // Spot checks of the regular expressions against the parsers (the
        // domain has no regex engine; the OpenAPI document carries them).
        // The quantity pattern's branches: [1-9]…, or 0 with a non-zero
        // fraction.
        for ok in [
            "1", "999999", "1.5", "1,250", "0.1", "0.01", "0.001", "0,010",
        ] {
            assert!(parse_quantity(ok).is_ok(), "{ok}");
        }
        for bad in ["0", "0.0", "0.000", "00.5", "1234567", "0.0001"] {
            assert!(parse_quantity(bad).is_err(), "{bad}");
        }
        assert!(QUANTITY_PATTERN.contains("{0,5}") && PRICE_PATTERN.contains("{0,7}"));
        assert_eq!(QUANTITY_DIGITS, 6);
        assert_eq!(PRICE_DIGITS, 8);
    }

    #[test]
    fn totals_round_half_up_to_the_cent_and_add_up() {
        assert_eq!(line_total(1500, 1250), Some(1875));
        assert_eq!(line_total(1, 1), Some(0)); // 0.001 × 0.01
        assert_eq!(line_total(500, 1), Some(1)); // 0.005 → 0.01
        assert_eq!(line_total(333, 100), Some(33));
        let lines = vec![
            QuoteLine {
                description: "a".into(),
                quantity_milli: 1500,
                unit_price_cents: 1250,
            },
            QuoteLine {
                description: "b".into(),
                quantity_milli: 2000,
                unit_price_cents: 999,
            },
        ];
        assert_eq!(quote_total(&lines), Some(1875 + 1998));
        assert_eq!(quote_total(&[]), Some(0));
    }

    #[test]
    fn overflow_is_an_error_not_a_wrapped_number() {
        assert_eq!(line_total(i64::MAX, i64::MAX), None);
        let big = QuoteLine {
            description: "x".into(),
            quantity_milli: i64::MAX / 2,
            unit_price_cents: 1000,
        };
        assert_eq!(quote_total(&[big.clone(), big.clone(), big]), None);
        // The largest lines allowed never overflow.
        let max = QuoteLine {
            description: "x".into(),
            quantity_milli: 999_999_999,
            unit_price_cents: 9_999_999_999,
        };
        assert!(validate_lines(&vec![max; MAX_LINES]).is_ok());
    }

    #[test]
    fn typed_lines_give_every_refused_cell_by_its_api_name() {
        let ok = parse_lines(&[line(" Paint ", "1,5", "12.50")]).unwrap();
        assert_eq!(
            ok,
            vec![QuoteLine {
                description: "Paint".into(),
                quantity_milli: 1500,
                unit_price_cents: 1250
            }]
        );
        let errs = parse_lines(&[
            line("Paint", "1", "1"),
            line("", "0", "12.345"),
            line(&"x".repeat(201), "1", "1"),
        ])
        .unwrap_err();
        let names: Vec<String> = errs
            .iter()
            .map(|e| e.to_field_error("items").to_string())
            .collect();
        assert_eq!(
            names,
            vec![
                "items[1].description: must not be empty",
                "items[1].quantity: must be more than 0",
                "items[1].unit_price: must have at most 2 decimals",
                "items[2].description: must be at most 200 characters",
            ]
        );
        let many = vec![line("a", "1", "1"); MAX_LINES + 1];
        assert_eq!(
            parse_lines(&many).unwrap_err()[0]
                .to_field_error("items")
                .field,
            "items"
        );
        assert_eq!(parse_lines(&[]), Ok(vec![]));
    }

    #[test]
    fn money_and_quantities_are_shown_with_the_languages_separator() {
        assert_eq!(format_money(1875, '.'), "18.75");
        assert_eq!(format_money(5, ','), "0,05");
        assert_eq!(format_money(100, decimal_separator(Locale::Pt)), "1,00");
        assert_eq!(decimal_separator(Locale::En), '.');
        assert_eq!(decimal_separator(Locale::Ru), ',');
        assert_eq!(format_quantity(1500, '.'), "1.5");
        assert_eq!(format_quantity(2000, ','), "2");
        assert_eq!(format_quantity(1, ','), "0,001");
    }

    #[test]
    fn a_converted_quote_gives_its_order_the_lines_and_the_total() {
        let lines = parse_lines(&[line("Paint", "1.5", "12.50"), line("Brush", "2", "3")]).unwrap();
        assert_eq!(
            order_text(Some("Kitchen"), &lines, "Total", '.').unwrap(),
            "Kitchen\nPaint: 1.5 × 12.50 = 18.75\nBrush: 2 × 3.00 = 6.00\nTotal: 24.75"
        );
        assert_eq!(order_text(Some("  "), &[], "Total", '.'), None);
        assert_eq!(order_text(Some("Only"), &[], "Total", '.').unwrap(), "Only");
    }
}
