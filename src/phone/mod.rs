//! Phone numbers on Google's libphonenumber metadata.
//!
//! The metadata (see [`METADATA_VERSION`]) is checked and tabled by `build.rs`;
//! a plan's patterns are compiled on its first use into backtracking programs
//! (see `pattern.rs`), kept for the life of the process. [`parse_digits`] follows
//! libphonenumber's parsing (country calling code, IDD and national prefixes,
//! the region among those sharing a calling code) as libphonenumber-js does it;
//! [`check`] adds what `RULES.md` asks of a payload's `to`: accepted input
//! forms, error codes with limits, and the WhatsApp-id warnings.

use std::borrow::Cow;

mod input;
mod pattern;
mod table;
mod whatsapp;

use crate::issue::{Code, Unit};
use crate::json::{Map, Value};
use input::FormatError;
use serde::Serialize;
use table::{table, Plan};

/// The libphonenumber metadata release the tables were compiled from.
pub const METADATA_VERSION: &str = table::METADATA_VERSION;
/// Where that metadata came from (package and file).
pub const METADATA_SOURCE: &str = table::METADATA_SOURCE;

/// What kind of line a number is, in libphonenumber's terms.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum NumberType {
    FixedLine,
    Mobile,
    FixedLineOrMobile,
    TollFree,
    PremiumRate,
    SharedCost,
    Voip,
    PersonalNumber,
    Pager,
    Uan,
    Voicemail,
}

impl NumberType {
    pub fn as_str(self) -> &'static str {
        match self {
            NumberType::FixedLine => "fixed_line",
            NumberType::Mobile => "mobile",
            NumberType::FixedLineOrMobile => "fixed_line_or_mobile",
            NumberType::TollFree => "toll_free",
            NumberType::PremiumRate => "premium_rate",
            NumberType::SharedCost => "shared_cost",
            NumberType::Voip => "voip",
            NumberType::PersonalNumber => "personal_number",
            NumberType::Pager => "pager",
            NumberType::Uan => "uan",
            NumberType::Voicemail => "voicemail",
        }
    }

    fn describe(self) -> &'static str {
        match self {
            NumberType::FixedLine => "a fixed-line number",
            NumberType::Mobile | NumberType::FixedLineOrMobile => "a mobile number",
            NumberType::TollFree => "a toll-free number",
            NumberType::PremiumRate => "a premium-rate number",
            NumberType::SharedCost => "a shared-cost number",
            NumberType::Voip => "a voip number",
            NumberType::PersonalNumber => "a personal number",
            NumberType::Pager => "a pager number",
            NumberType::Uan => "a universal access number",
            NumberType::Voicemail => "a voicemail number",
        }
    }
}

// Metadata type indices (libphonenumber-js order), and the order libphonenumber
// tries the non-fixed-line types in.
const FIXED_LINE: usize = 0;
const MOBILE: usize = 1;
const OTHER_TYPES: [(usize, NumberType); 9] = [
    (1, NumberType::Mobile),
    (3, NumberType::PremiumRate),
    (2, NumberType::TollFree),
    (9, NumberType::SharedCost),
    (8, NumberType::Voip),
    (4, NumberType::PersonalNumber),
    (7, NumberType::Pager),
    (6, NumberType::Uan),
    (5, NumberType::Voicemail),
];

const MIN_NATIONAL_LEN: usize = 2;
const MAX_NATIONAL_LEN: usize = 17;

/// How a national number's length compares with its plan's possible lengths.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LengthCheck {
    Possible,
    TooShort,
    TooLong,
    /// Between the shortest and longest possible lengths, but not one of them.
    InvalidLength,
}

fn check_length(lengths: u32, len: usize) -> LengthCheck {
    if lengths == 0 {
        return LengthCheck::Possible;
    }
    let min = lengths.trailing_zeros() as usize;
    let max = 31 - lengths.leading_zeros() as usize;
    if len < min {
        LengthCheck::TooShort
    } else if len > max {
        LengthCheck::TooLong
    } else if len < 32 && lengths & (1 << len) != 0 {
        LengthCheck::Possible
    } else {
        LengthCheck::InvalidLength
    }
}

impl Plan {
    fn matches_general(&self, digits: &[u8]) -> bool {
        self.compiled().general.matches_entirely(digits)
    }

    /// libphonenumber-js `isNumberTypeEqualTo`: the type's lengths, then its pattern.
    fn is_type(&self, t: usize, digits: &[u8]) -> bool {
        let len = digits.len();
        let lengths = if self.type_lengths[t] == 0 {
            self.lengths
        } else {
            self.type_lengths[t]
        };
        len < 32
            && lengths & (1 << len) != 0
            && self.compiled().types[t]
                .as_ref()
                .is_some_and(|p| p.matches_entirely(digits))
    }

    /// libphonenumber-js `getNumberType`.
    fn number_type(&self, digits: &[u8]) -> Option<NumberType> {
        if !self.matches_general(digits) {
            return None;
        }
        if self.is_type(FIXED_LINE, digits) {
            // An empty mobile pattern is one the metadata dropped as the fixed line's
            // twin; no mobile pattern at all (Tristan da Cunha) means no mobiles, and
            // the number is a fixed line, as Google's libphonenumber says
            // (libphonenumber-js says fixed-line-or-mobile there).
            let mobile = self.types[MOBILE];
            if mobile.is_some_and(str::is_empty) || self.is_type(MOBILE, digits) {
                return Some(NumberType::FixedLineOrMobile);
            }
            return Some(NumberType::FixedLine);
        }
        OTHER_TYPES
            .iter()
            .find(|(t, _)| self.is_type(*t, digits))
            .map(|(_, ty)| *ty)
    }

    fn min_len(&self) -> usize {
        self.lengths.trailing_zeros() as usize
    }

    fn max_len(&self) -> usize {
        31 - self.lengths.leading_zeros() as usize
    }

    /// Strips a national (trunk) prefix and carrier code, or applies the plan's
    /// transform rule (libphonenumber-js
    /// `extractNationalNumberFromPossiblyIncompleteNumber`).
    fn strip_national_prefix<'n>(&self, number: &'n str) -> Cow<'n, str> {
        let Some(prog) = &self.compiled().national_prefix_parser else {
            return Cow::Borrowed(number);
        };
        if number.is_empty() {
            return Cow::Borrowed(number);
        }
        let Some(caps) = prog.match_prefix(number.as_bytes()) else {
            return Cow::Borrowed(number);
        };
        let end = caps[1].unwrap_or(0);
        let group = |n: usize| -> &str {
            match (
                caps.get(2 * n).copied().flatten(),
                caps.get(2 * n + 1).copied().flatten(),
            ) {
                (Some(a), Some(b)) if a <= b => &number[a..b],
                _ => "",
            }
        };
        let captured = prog.groups > 0 && !group(prog.groups).is_empty();
        match self.transform {
            Some(rule) if captured => {
                let mut out = String::with_capacity(number.len() + 4);
                let mut chars = rule.chars().peekable();
                while let Some(c) = chars.next() {
                    match chars.peek().and_then(|d| d.to_digit(10)) {
                        Some(n) if c == '$' => {
                            chars.next();
                            out.push_str(group(n as usize));
                        }
                        _ => out.push(c),
                    }
                }
                out.push_str(&number[end..]);
                Cow::Owned(out)
            }
            _ => Cow::Borrowed(&number[end..]),
        }
    }

    /// libphonenumber-js `extractNationalNumber`: strips the national prefix only
    /// when what remains still looks like a complete number.
    fn extract_national_number<'n>(&'static self, number: &'n str) -> Cow<'n, str> {
        let national = self.strip_national_prefix(number);
        if national != number {
            if self.matches_general(number.as_bytes()) && !self.matches_general(national.as_bytes())
            {
                return Cow::Borrowed(number);
            }
            let lengths = region_for_calling_code(&self.calling_code, national.as_bytes())
                .map_or(self.lengths, |p| p.lengths);
            if matches!(
                check_length(lengths, national.len()),
                LengthCheck::TooShort | LengthCheck::InvalidLength
            ) {
                return Cow::Borrowed(number);
            }
        }
        national
    }

    /// libphonenumber-js `stripIddPrefix`.
    fn strip_idd<'n>(&self, digits: &'n str) -> Option<&'n str> {
        let caps = self
            .compiled()
            .idd
            .as_ref()?
            .match_prefix(digits.as_bytes())?;
        let rest = &digits[caps[1].unwrap_or(0)..];
        (!rest.starts_with('0')).then_some(rest)
    }

    /// libphonenumber-js `extractCountryCallingCodeFromInternationalNumberWithoutPlusSign`.
    fn strip_calling_code<'n>(&'static self, digits: &'n str) -> Option<&'n str> {
        let shorter = digits.strip_prefix(self.calling_code.as_str())?;
        let shorter_national = self.extract_national_number(shorter);
        let national = self.extract_national_number(digits);
        let strip = (!self.matches_general(national.as_bytes())
            && self.matches_general(shorter_national.as_bytes()))
            || check_length(self.lengths, national.len()) == LengthCheck::TooLong;
        strip.then_some(shorter)
    }
}

fn plan_by_region(region: &str) -> Option<&'static Plan> {
    table().region(region)
}

fn plans_for_calling_code(cc: &str) -> Option<&'static [u16]> {
    table().calling_code(cc)
}

fn plan(i: u16) -> &'static Plan {
    &table().plans[usize::from(i)]
}

/// The region a national number belongs to among those sharing its calling code
/// (libphonenumber-js `getCountryByCallingCode`).
fn region_for_calling_code(cc: &str, national: &[u8]) -> Option<&'static Plan> {
    let list = plans_for_calling_code(cc)?;
    if let [only] = list {
        return Some(plan(*only));
    }
    list.iter()
        .map(|&i| plan(i))
        .find(|plan| match &plan.compiled().leading_digits {
            Some(leading) => !national.is_empty() && leading.match_prefix(national).is_some(),
            None => plan.number_type(national).is_some(),
        })
}

/// Is `region` (ISO 3166-1 alpha-2, upper case) a region of the metadata?
pub fn is_region(region: &str) -> bool {
    plan_by_region(region).is_some()
}

/// The metadata's spelling of `region`, given in any case (`"in"` → `"IN"`),
/// when it is a region of the metadata.
pub fn region(region: &str) -> Option<&'static str> {
    if region.len() != 2 {
        return None;
    }
    plan_by_region(&region.to_ascii_uppercase()).map(|p| p.id)
}

/// The country calling code of a region (`"IN"` → `"91"`).
pub fn calling_code(region: &str) -> Option<&'static str> {
    plan_by_region(region).map(|p| p.calling_code.as_str())
}

/// Every region of the metadata, sorted.
pub fn regions() -> impl Iterator<Item = &'static str> {
    let t = table();
    t.plans[..t.regions].iter().map(|p| p.id)
}

/// Why digits could not be read as a phone number at all.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ParseError {
    /// Not digits and separators.
    NotANumber,
    /// No known country calling code, and no default region to read it in.
    InvalidCountry,
    /// Fewer than two national digits.
    TooShort,
    /// More than seventeen national digits.
    TooLong,
}

/// A national number's digits, at most [`MAX_NATIONAL_LEN`] (longer is
/// `TooLong` before a number is made), held inline: reading a number
/// allocates nothing for them.
#[derive(Clone, Copy)]
struct National {
    digits: [u8; MAX_NATIONAL_LEN],
    len: usize,
}

impl National {
    /// `None` when longer than [`MAX_NATIONAL_LEN`] (or not ASCII, which
    /// `parse_digits`'s callers promise it is).
    fn new(s: &str) -> Option<Self> {
        let mut digits = [0; MAX_NATIONAL_LEN];
        digits.get_mut(..s.len())?.copy_from_slice(s.as_bytes());
        s.is_ascii().then_some(National {
            digits,
            len: s.len(),
        })
    }

    /// The digits as bytes: what matching and lengths read, without the UTF-8
    /// check a `&str` costs (a tenth of a phone verdict when it was made on
    /// every read).
    fn bytes(&self) -> &[u8] {
        self.digits.get(..self.len).unwrap_or_default()
    }
}

impl std::ops::Deref for National {
    type Target = str;

    fn deref(&self) -> &str {
        // Only a whole `&str` is copied in.
        std::str::from_utf8(&self.digits[..self.len]).unwrap_or_default()
    }
}

impl std::fmt::Debug for National {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self)
    }
}

/// A number read into calling code and national number, not necessarily valid.
#[derive(Clone, Debug)]
pub struct PhoneNumber {
    calling_code: &'static str,
    national: National,
    plan: &'static Plan,
    region: Option<&'static str>,
    /// The type, once asked: validity, the warnings and the WhatsApp-id checks all need it.
    kind: std::cell::OnceCell<Option<NumberType>>,
}

impl PhoneNumber {
    pub fn calling_code(&self) -> &'static str {
        self.calling_code
    }

    /// The national significant number: digits after the calling code, without trunk prefix.
    pub fn national_number(&self) -> &str {
        &self.national
    }

    /// The region it belongs to, when one could be told (`None` for non-geographic codes).
    pub fn region(&self) -> Option<&'static str> {
        self.region
    }

    /// `+<calling code><national number>`.
    pub fn e164(&self) -> String {
        let mut out = String::with_capacity(1 + self.calling_code.len() + self.national.len);
        out.push('+');
        out.push_str(self.calling_code);
        // ASCII (`National::new`): each byte is its char.
        out.extend(self.national.bytes().iter().map(|&b| char::from(b)));
        out
    }

    /// libphonenumber's `isValidNumber`.
    pub fn is_valid(&self) -> bool {
        if self.plan.types.iter().all(Option::is_none) {
            self.plan.matches_general(self.national.bytes())
        } else {
            self.number_type().is_some()
        }
    }

    /// libphonenumber's `getNumberType`; `None` for an invalid number.
    pub fn number_type(&self) -> Option<NumberType> {
        *self
            .kind
            .get_or_init(|| self.plan.number_type(self.national.bytes()))
    }

    /// The national number's length against the plan's possible lengths.
    pub fn length_check(&self) -> LengthCheck {
        check_length(self.plan.lengths, self.national.bytes().len())
    }
}

/// Reads ASCII digits, international when `international` (after a `+` or `00`),
/// else national to `default_region` — libphonenumber's algorithm, step for step
/// as libphonenumber-js `parse` does it.
pub fn parse_digits(
    international: bool,
    digits: &str,
    default_region: Option<&str>,
) -> Result<PhoneNumber, ParseError> {
    debug_assert!(digits.bytes().all(|b| b.is_ascii_digit()));
    let home = default_region.and_then(plan_by_region);
    let mut number = digits;
    let mut calling_code = None;
    let mut international = international;
    if !international {
        if let Some(home) = home {
            if let Some(rest) = home.strip_idd(digits) {
                number = rest;
                international = true;
            } else if let Some(rest) = home.strip_calling_code(digits) {
                number = rest;
                calling_code = Some(home.calling_code.as_str());
            }
        }
    }
    if international {
        if number.starts_with('0') {
            return Err(ParseError::InvalidCountry);
        }
        let len = (1..=3.min(number.len()))
            .find(|&n| plans_for_calling_code(&number[..n]).is_some())
            .ok_or(ParseError::InvalidCountry)?;
        calling_code = Some(&number[..len]);
        number = &number[len..];
    }
    let (calling_code, mut plan, mut region) = match (calling_code, home) {
        (Some(cc), _) => {
            let list = plans_for_calling_code(cc).ok_or(ParseError::InvalidCountry)?;
            let main = plan(list[0]);
            (main.calling_code.as_str(), main, None)
        }
        (None, Some(home)) => (home.calling_code.as_str(), home, Some(home.id)),
        (None, None) => return Err(ParseError::InvalidCountry),
    };
    if number.is_empty() {
        return Err(ParseError::TooShort);
    }
    let national = plan.extract_national_number(number);
    if let Some(exact) = region_for_calling_code(calling_code, national.as_bytes()) {
        plan = exact;
        region = (exact.id != "001").then_some(exact.id);
    }
    if national.len() < MIN_NATIONAL_LEN {
        return Err(ParseError::TooShort);
    }
    let Some(national) = National::new(&national) else {
        return Err(ParseError::TooLong);
    };
    Ok(PhoneNumber {
        calling_code,
        national,
        plan,
        region,
        kind: std::cell::OnceCell::new(),
    })
}

/// Reads a number as typed (separators, `+` or `00`, national with a default region)
/// with libphonenumber's algorithm only: no fallback, no WhatsApp-id leniency.
/// This is the layer compared with libphonenumber-js in `tests/phone.rs`.
pub fn parse(input: &str, default_region: Option<&str>) -> Result<PhoneNumber, ParseError> {
    let (international, digits) = input::read(input).map_err(|_| ParseError::NotANumber)?;
    parse_digits(international, &digits, default_region)
}

/// A phone-number problem as `RULES.md` names it: an issue without a path
/// (the validator puts it at `/to`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PhoneIssue {
    pub code: Code,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub limit: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub actual: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unit: Option<Unit>,
    /// The other reading of an ambiguous number, in E.164.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub suggestion: Option<String>,
}

impl PhoneIssue {
    fn new(code: Code, message: String) -> Self {
        PhoneIssue {
            code,
            message,
            limit: None,
            actual: None,
            unit: None,
            suggestion: None,
        }
    }

    fn digits(code: Code, message: String, limit: usize, actual: usize) -> Self {
        PhoneIssue {
            limit: Some(limit),
            actual: Some(actual),
            unit: Some(Unit::Digits),
            ..PhoneIssue::new(code, message)
        }
    }

    fn to_value(&self) -> Value {
        let mut m = Map::new();
        m.insert("code", Value::from(self.code.as_str()));
        m.insert("message", Value::from(self.message.as_str()));
        if let Some(l) = self.limit {
            m.insert("limit", Value::Number(l.into()));
        }
        if let Some(a) = self.actual {
            m.insert("actual", Value::Number(a.into()));
        }
        if let Some(u) = self.unit {
            m.insert("unit", Value::from(u.as_str()));
        }
        if let Some(s) = &self.suggestion {
            m.insert("suggestion", Value::from(s.as_str()));
        }
        Value::Object(m)
    }
}

/// The verdict on a number, the same shape in every face (Rust, the CLI's
/// `phone --json`, npm's `normalizePhone`):
/// `{valid, e164?, region?, type?, errors, warnings}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Verdict {
    pub valid: bool,
    /// The number as a payload should carry it (`+` and digits), when valid.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub e164: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub region: Option<&'static str>,
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub number_type: Option<NumberType>,
    pub errors: Vec<PhoneIssue>,
    pub warnings: Vec<PhoneIssue>,
}

impl Verdict {
    fn rejected(error: PhoneIssue) -> Self {
        Verdict {
            valid: false,
            e164: None,
            region: None,
            number_type: None,
            errors: vec![error],
            warnings: Vec::new(),
        }
    }

    /// The verdict as JSON, written by hand (the wasm build has no serde); the
    /// same text as its serde form.
    pub fn to_value(&self) -> Value {
        let mut m = Map::new();
        m.insert("valid", Value::Bool(self.valid));
        if let Some(e) = &self.e164 {
            m.insert("e164", Value::from(e.as_str()));
        }
        if let Some(r) = self.region {
            m.insert("region", Value::from(r));
        }
        if let Some(t) = self.number_type {
            m.insert("type", Value::from(t.as_str()));
        }
        let list = |l: &[PhoneIssue]| Value::Array(l.iter().map(PhoneIssue::to_value).collect());
        m.insert("errors", list(&self.errors));
        m.insert("warnings", list(&self.warnings));
        Value::Object(m)
    }
}

fn nearest_possible(plan: &Plan, len: usize) -> (Code, usize) {
    let lengths: Vec<usize> = (0..32).filter(|n| plan.lengths & (1 << n) != 0).collect();
    let above = lengths.iter().copied().find(|&n| n > len);
    let below = lengths.iter().copied().rev().find(|&n| n < len);
    match (below, above) {
        (Some(b), Some(a)) if len - b < a - len => (Code::PhoneTooLong, b),
        (_, Some(a)) => (Code::PhoneTooShort, a),
        (Some(b), None) => (Code::PhoneTooLong, b),
        (None, None) => (Code::PhoneTooShort, len),
    }
}

fn place(number: &PhoneNumber) -> String {
    match number.region {
        Some(r) => format!("region {r}"),
        None => format!("+{}", number.calling_code),
    }
}

/// The RULES.md issue for a number that was read but is not valid.
fn invalid_issue(number: &PhoneNumber) -> PhoneIssue {
    let len = number.national.len;
    let plan = number.plan;
    let place = place(number);
    match number.length_check() {
        LengthCheck::TooShort => PhoneIssue::digits(
            Code::PhoneTooShort,
            format!(
                "phone number has {len} digits after +{}; numbers of {place} have at least {}",
                number.calling_code,
                plan.min_len()
            ),
            plan.min_len(),
            len,
        ),
        LengthCheck::TooLong => PhoneIssue::digits(
            Code::PhoneTooLong,
            format!(
                "phone number has {len} digits after +{}; numbers of {place} have at most {}",
                number.calling_code,
                plan.max_len()
            ),
            plan.max_len(),
            len,
        ),
        LengthCheck::InvalidLength => {
            let (code, limit) = nearest_possible(plan, len);
            PhoneIssue::digits(
                code,
                format!("phone number has {len} digits after +{}; numbers of {place} do not have {len} digits (nearest length {limit})", number.calling_code),
                limit,
                len,
            )
        }
        LengthCheck::Possible => PhoneIssue::new(
            Code::PhoneInvalid,
            format!(
                "{} is not a valid number of {place}: it matches no number range",
                number.e164()
            ),
        ),
    }
}

fn parse_issue(error: ParseError, international: bool, digits: &str) -> PhoneIssue {
    match error {
        ParseError::NotANumber => PhoneIssue::new(Code::PhoneFormat, "phone number is not digits".into()),
        ParseError::InvalidCountry if !international && digits.starts_with('0') => PhoneIssue::new(
            Code::PhoneCountryCode,
            "phone number starts with a national prefix but has no country code; add the country code or set a default region".into(),
        ),
        ParseError::InvalidCountry => {
            let shown: String = digits.chars().take(3).collect();
            PhoneIssue::new(
                Code::PhoneCountryCode,
                format!("phone number +{shown}… does not start with a known country calling code"),
            )
        }
        ParseError::TooShort => PhoneIssue::digits(
            Code::PhoneTooShort,
            "phone number has fewer than 2 digits after its country code".into(),
            MIN_NATIONAL_LEN,
            digits.len().saturating_sub(1),
        ),
        ParseError::TooLong => PhoneIssue::digits(
            Code::PhoneTooLong,
            format!("phone number has more than {MAX_NATIONAL_LEN} digits after its country code"),
            MAX_NATIONAL_LEN,
            digits.len(),
        ),
    }
}

/// A reading the payload may carry: valid on the plan, or rejected by the plan
/// but known to WhatsApp as an id (with the plan's form of the same line).
enum Accepted {
    Valid(PhoneNumber),
    Lenient(PhoneNumber, PhoneNumber),
}

impl Accepted {
    fn number(&self) -> &PhoneNumber {
        match self {
            Accepted::Valid(n) | Accepted::Lenient(n, _) => n,
        }
    }
}

#[inline]
fn accept(
    read: Result<PhoneNumber, ParseError>,
) -> Result<Accepted, Result<PhoneNumber, ParseError>> {
    match read {
        Ok(n) if n.is_valid() => Ok(Accepted::Valid(n)),
        Ok(n) => match whatsapp::lenient(&n) {
            Some(plan_form) => Ok(Accepted::Lenient(n, plan_form)),
            None => Err(Ok(n)),
        },
        Err(e) => Err(Err(e)),
    }
}

/// Where a number ended up, before any message is written.
enum Outcome {
    Format(FormatError),
    Parse {
        error: ParseError,
        international: bool,
        digits: String,
    },
    Invalid(PhoneNumber),
    /// The reading used, and the other reading when both are valid (`phone_ambiguous`).
    Accepted(Accepted, Option<PhoneNumber>),
}

/// Reads `input` as RULES.md says. `ambiguity` asks for the second reading of a
/// number that has two; a bare validity check does not need it.
fn outcome(input: &str, default_region: Option<&str>, ambiguity: bool) -> Outcome {
    let (plus, digits) = match input::read(input) {
        Ok(read) => read,
        Err(e) => return Outcome::Format(e),
    };
    let rejected = |r: Result<PhoneNumber, ParseError>, international: bool, digits: String| match r
    {
        Ok(n) => Outcome::Invalid(n),
        Err(error) => Outcome::Parse {
            error,
            international,
            digits,
        },
    };
    // A `+` says the number is international, and so does, without one, the
    // default region's own international prefix as its metadata gives it (AU
    // `0011`, US `011`, JP `010`: libphonenumber strips it first, so AU's `0011 44…`
    // is a UK number, not `+1 144…`), else a leading `00` (RULES.md, whatever the
    // region dials abroad with). Such a number has one reading.
    let explicit = if plus {
        Some(&digits[..])
    } else {
        default_region
            .and_then(plan_by_region)
            .and_then(|home| home.strip_idd(&digits))
            .or_else(|| digits.strip_prefix("00"))
    };
    if let Some(intl) = explicit.or(default_region.is_none().then_some(&digits[..])) {
        return match accept(parse_digits(true, intl, None)) {
            Ok(a) => Outcome::Accepted(a, None),
            // Named as dialled, after its prefix: `011 999…` in the US is `+999…`.
            Err(r) if explicit.is_some() => rejected(r, true, intl.to_owned()),
            Err(r) => rejected(r, false, digits.into_owned()),
        };
    }
    // With a region, national first (the region's own IDD and calling code
    // included), as libphonenumber reads it; the digits may also begin with a
    // country code.
    let national = accept(parse_digits(false, &digits, default_region));
    let second = |national: Option<&PhoneNumber>| {
        // The international reading is the national one's twin when the digits
        // are its calling code and national number: no second number.
        let same = national.is_some_and(|n| {
            digits.len() == n.calling_code.len() + n.national.len
                && digits.starts_with(n.calling_code)
                && digits.as_bytes().ends_with(n.national.bytes())
        });
        (!same && !digits.starts_with('0')).then(|| accept(parse_digits(true, &digits, None)))
    };
    match national {
        Ok(n) if !ambiguity => Outcome::Accepted(n, None),
        Ok(n) => {
            let other = match second(Some(n.number())) {
                Some(Ok(Accepted::Valid(i))) if i.e164() != n.number().e164() => Some(i),
                _ => None,
            };
            Outcome::Accepted(n, other)
        }
        Err(r) => match second(None) {
            Some(Ok(i)) => Outcome::Accepted(i, None),
            _ => rejected(r, plus, digits.into_owned()),
        },
    }
}

/// Is `input` a number a payload's `to` may carry (`check(…).valid`), without
/// writing any message: the fast path for bulk lists.
pub fn is_valid(input: &str, default_region: Option<&str>) -> bool {
    matches!(outcome(input, default_region, false), Outcome::Accepted(..))
}

/// Checks a payload's `to` as `RULES.md` says: accepted input forms, validity on
/// the metadata, and the warnings (normalized form, not a mobile, WhatsApp ids,
/// two readings). `default_region` must be a region of the metadata (see
/// [`is_region`]) or `None`.
pub fn check(input: &str, default_region: Option<&str>) -> Verdict {
    let (accepted, other) = match outcome(input, default_region, true) {
        Outcome::Format(e) => return Verdict::rejected(e.issue()),
        Outcome::Parse {
            error,
            international,
            digits,
        } => return Verdict::rejected(parse_issue(error, international, &digits)),
        Outcome::Invalid(n) => return Verdict::rejected(invalid_issue(&n)),
        Outcome::Accepted(a, other) => (a, other),
    };
    let number = accepted.number();
    let canonical = number.e164();
    let mut warnings = Vec::new();
    if canonical != input {
        warnings.push(PhoneIssue::new(
            Code::PhoneNormalized,
            format!("phone number normalized to {canonical}"),
        ));
    }
    let ty = match &accepted {
        Accepted::Valid(n) => n.number_type(),
        Accepted::Lenient(_, plan_form) => plan_form.number_type(),
    };
    if let Some(t) = ty.filter(|t| !matches!(t, NumberType::Mobile | NumberType::FixedLineOrMobile))
    {
        warnings.push(PhoneIssue::new(
            Code::PhoneNotMobile,
            format!(
                "{canonical} is {}; whatsapp accounts are usually on mobile numbers",
                t.describe()
            ),
        ));
    }
    match &accepted {
        Accepted::Valid(n) => warnings.extend(whatsapp::alternative(n)),
        Accepted::Lenient(_, plan_form) => warnings.push(whatsapp::warning(plan_form)),
    }
    if let Some(other) = other {
        let e164 = other.e164();
        let place = |n: &PhoneNumber| {
            n.region
                .map_or_else(|| format!("+{}", n.calling_code), str::to_owned)
        };
        warnings.push(PhoneIssue {
            suggestion: Some(e164.clone()),
            ..PhoneIssue::new(
                Code::PhoneAmbiguous,
                format!(
                    "read as {canonical} ({}, a national number of the default region); the digits are also {e164} ({}) read with a country code: write a + to mean that one",
                    place(number),
                    place(&other)
                ),
            )
        });
    }
    Verdict {
        valid: true,
        e164: Some(canonical),
        region: number.region,
        number_type: ty,
        errors: Vec::new(),
        warnings,
    }
}

/// The id WhatsApp knows a number by, as its webhooks name it (without the `+`
/// they omit): Mexican mobiles keep the `1` after `52` dropped from dialling in
/// 2019; every other number is its [`identity`]. The sandbox names recipients so.
pub fn whatsapp_id(e164: &str) -> Option<String> {
    let id = identity(e164)?;
    match id.strip_prefix("+52") {
        Some(national) if national.len() == 10 => {
            let n = accept(parse_digits(true, &id[1..], None)).ok()?;
            let mobile = matches!(
                n.number().number_type(),
                Some(NumberType::Mobile | NumberType::FixedLineOrMobile)
            );
            Some(if mobile {
                format!("+521{national}")
            } else {
                id
            })
        }
        _ => Some(id),
    }
}

/// One key for one person: the numbering plan's form of a number whose
/// WhatsApp id is written differently (Mexico's `+521…` is `+52…`, an Argentine
/// mobile without its `9` gets it, a Brazilian mobile without the ninth digit
/// gets it). The message log, the 24-hour window and deduplication key on it.
/// `None` when `e164` is not a number a payload may carry.
pub fn identity(e164: &str) -> Option<String> {
    let digits = e164.strip_prefix('+').unwrap_or(e164);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    match accept(parse_digits(true, digits, None)).ok()? {
        Accepted::Lenient(_, plan_form) => Some(plan_form.e164()),
        Accepted::Valid(n) => Some(whatsapp::mobile_form(&n).unwrap_or_else(|| n.e164())),
    }
}

/// [`identity`] of a number [`check`] accepted, given as its canonical `e164`:
/// only Mexican, Argentine and Brazilian numbers have a WhatsApp id written
/// otherwise, so any other is its own identity without being parsed again (a
/// campaign row's number was just validated). A test holds the two equal on
/// every valid number of the phone corpora.
pub fn identity_of_checked(e164: &str) -> String {
    // Calling codes are prefix-free: digits starting `52` are Mexico's.
    if matches!(e164.get(..3), Some("+52" | "+54" | "+55")) {
        identity(e164).unwrap_or_else(|| e164.to_owned())
    } else {
        e164.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn e164(input: &str, region: Option<&str>) -> Option<String> {
        check(input, region).e164
    }

    #[test]
    fn normalization_valid() {
        assert_eq!(
            e164("+91 98765 43210", None).as_deref(),
            Some("+919876543210")
        );
        assert_eq!(
            e164("0091-98765-43210", None).as_deref(),
            Some("+919876543210")
        );
        assert_eq!(e164("919876543210", None).as_deref(), Some("+919876543210"));
        assert_eq!(
            e164("09876543210", Some("IN")).as_deref(),
            Some("+919876543210")
        );
        assert_eq!(
            e164("(201) 555-0123", Some("US")).as_deref(),
            Some("+12015550123")
        );
        assert_eq!(
            e164("447911123456", Some("IN")).as_deref(),
            Some("+447911123456")
        );
    }

    #[test]
    fn normalization_invalid() {
        assert_eq!(
            check("not a phone", None).errors.first().map(|e| e.code),
            Some(Code::PhoneFormat)
        );
        assert_eq!(
            check("+44 7911 1234", None).errors.first().map(|e| e.code),
            Some(Code::PhoneTooShort)
        );
        assert_eq!(
            check("+999 1234567", None).errors.first().map(|e| e.code),
            Some(Code::PhoneCountryCode)
        );
        assert_eq!(
            check("09876543210", None).errors.first().map(|e| e.code),
            Some(Code::PhoneCountryCode)
        );
        assert_eq!(
            check("+1 202 55 5012", None).errors.first().map(|e| e.code),
            Some(Code::PhoneTooShort)
        );
        assert_eq!(
            check("+91 55555 55555", None)
                .errors
                .first()
                .map(|e| e.code),
            Some(Code::PhoneInvalid)
        );
        assert_eq!(
            check("+1 123 456 7890", None)
                .errors
                .first()
                .map(|e| e.code),
            Some(Code::PhoneInvalid)
        );
        assert_eq!(
            check("+91 98765+43210", None)
                .errors
                .first()
                .map(|e| e.code),
            Some(Code::PhoneFormat)
        );
    }

    #[test]
    fn regions_sharing_a_calling_code() {
        let n = parse_digits(true, "12423591234", None).expect("parse");
        assert_eq!(n.region(), Some("BS"));
        let n = parse_digits(true, "77001234567", None).expect("parse");
        assert_eq!(n.region(), Some("KZ"));
        assert_eq!(n.number_type(), Some(NumberType::Mobile));
    }

    #[test]
    fn a_whatsapp_id_form_normalizes_to_itself() {
        // Found by the idempotency property: a trunk 0 after +55 read as a Brazilian id.
        let v = check("+550 067 000 0000", None);
        assert!(!v.valid, "{:?}", v.e164);
        for input in ["+5215512345678", "+551187654321"] {
            let e164 = check(input, None).e164.expect("accepted");
            assert_eq!(check(&e164, None).e164.as_deref(), Some(e164.as_str()));
        }
    }

    #[test]
    fn one_identity_for_one_person() {
        for (a, b) in [
            ("+525512345678", "+5215512345678"),
            ("+541123456789", "+5491123456789"),
            ("+5511987654321", "+551187654321"),
        ] {
            assert_eq!(identity(a), identity(b), "{a} and {b}");
            assert!(identity(a).is_some());
        }
        assert_eq!(identity("+525512345678").as_deref(), Some("+525512345678"));
        assert_eq!(
            identity("+5491123456789").as_deref(),
            Some("+5491123456789")
        );
        assert_eq!(identity("+919876543210").as_deref(), Some("+919876543210"));
        assert_ne!(identity("+15512345678"), identity("+525512345678"));
        assert_eq!(identity("not a number"), None);
        assert_eq!(
            whatsapp_id("+525512345678").as_deref(),
            Some("+5215512345678")
        );
        assert_eq!(
            whatsapp_id("+5215512345678").as_deref(),
            Some("+5215512345678")
        );
        assert_eq!(
            whatsapp_id("+919876543210").as_deref(),
            Some("+919876543210")
        );
    }

    #[test]
    fn transform_rules() {
        // Argentina: national 0 11 15 2345-6789 is the mobile +54 9 11 2345-6789.
        let n = parse_digits(false, "0111523456789", Some("AR")).expect("parse");
        assert_eq!(n.e164(), "+5491123456789");
        assert!(n.is_valid());
    }
}
