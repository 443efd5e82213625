//! What keyboards and contact apps produce, read as the digits people mean
//! (`RULES.md`, Phone numbers): every Unicode decimal digit, the full-width plus,
//! dash look-alikes and every Unicode space as separators, invisible format
//! characters dropped. What cannot be a number WhatsApp delivers to (an
//! extension, a `tel:` URI, vanity letters) is refused with the reason.

use std::borrow::Cow;

use super::PhoneIssue;
use crate::issue::{is_invisible, Code};

mod tables {
    include!(concat!(env!("OUT_DIR"), "/digits.rs"));
}

/// The value of a Unicode decimal digit (`٩` is 9, `１` is 1).
pub(super) fn digit(c: char) -> Option<u8> {
    if c.is_ascii_digit() {
        return Some(c as u8 - b'0');
    }
    let n = c as u32;
    let i = tables::DIGIT_ZEROS.partition_point(|&z| z <= n);
    let zero = *tables::DIGIT_ZEROS.get(i.checked_sub(1)?)?;
    (n - zero < 10).then(|| (n - zero) as u8)
}

fn is_plus(c: char) -> bool {
    matches!(c, '+' | '\u{FF0B}')
}

/// Characters contact apps copy along that nobody typed: direction marks and
/// isolates, zero-width spaces and joiners, the byte-order mark, the soft hyphen.
fn is_dropped(c: char) -> bool {
    matches!(c,
        '\u{00AD}' | '\u{061C}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}'
        | '\u{2060}'..='\u{2064}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}')
}

/// What may stand between digit groups.
fn is_separator(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            '-' | '.' | '(' | ')' | '\u{2010}'
                ..='\u{2015}' | '\u{2212}' | '\u{FF08}' | '\u{FF09}' | '\u{FF0D}' | '\u{FF0E}'
        )
        || is_dropped(c)
}

/// Why typed text is not a phone number WhatsApp can deliver to.
#[derive(Clone, Debug)]
pub(super) enum FormatError {
    NoDigits,
    /// A `+` that does not start the number.
    Plus,
    /// `ext. 123`, `x123`, `;ext=123`: the part that is the extension.
    Extension(String),
    TelUri,
    /// `1-800-FLOWERS`: the first run of letters.
    Letters(String),
    Stray(char),
}

impl FormatError {
    pub(super) fn issue(&self) -> PhoneIssue {
        const USE: &str = "use digits, spaces, '-', '.', '(' and ')' after an optional leading '+'";
        let message = match self {
            FormatError::NoDigits => "phone number has no digits".to_owned(),
            FormatError::Plus => format!("phone number has a '+' after the start; {USE}"),
            FormatError::Extension(ext) => format!(
                "phone number has an extension (\"{ext}\"); whatsapp cannot deliver to an extension, so give the number without it"
            ),
            FormatError::TelUri => {
                "phone number is a tel: uri; give the number alone, such as +919876543210".to_owned()
            }
            FormatError::Letters(word) => format!(
                "phone number has letters (\"{word}\"); spell the digits, as whatsapp numbers are digits only"
            ),
            FormatError::Stray(c) if is_invisible(*c) => format!(
                "phone number has the invisible character U+{:04X}; {USE}",
                u32::from(*c)
            ),
            FormatError::Stray(c) => format!("phone number has \"{c}\"; {USE}"),
        };
        PhoneIssue::new(Code::PhoneFormat, message)
    }
}

/// Reads typed text into whether it had a leading `+` and its ASCII digits.
pub(super) fn read(input: &str) -> Result<(bool, Cow<'_, str>), FormatError> {
    if input.is_ascii() {
        return read_ascii(input);
    }
    let trimmed = input.trim_matches(is_separator);
    let (plus, body) = match trimmed.chars().next() {
        Some(c) if is_plus(c) => (true, &trimmed[c.len_utf8()..]),
        _ => (false, trimmed),
    };
    let mut digits = String::with_capacity(body.len());
    for c in body.chars() {
        if let Some(d) = digit(c) {
            digits.push(char::from(b'0' + d));
        } else if !is_separator(c) {
            return Err(why(trimmed));
        }
    }
    if digits.is_empty() {
        return Err(FormatError::NoDigits);
    }
    Ok((plus, Cow::Owned(digits)))
}

fn is_ascii_separator(b: u8) -> bool {
    matches!(b, b'-' | b'.' | b'(' | b')') || b.is_ascii_whitespace()
}

/// [`read`] for ASCII text, what people type most: bytes, not chars; the
/// digits borrowed from `input` when nothing separates them (`+919876543210`).
fn read_ascii(input: &str) -> Result<(bool, Cow<'_, str>), FormatError> {
    let b = input.as_bytes();
    let start = b
        .iter()
        .position(|&c| !is_ascii_separator(c))
        .unwrap_or(b.len());
    let end = b
        .iter()
        .rposition(|&c| !is_ascii_separator(c))
        .map_or(start, |i| i + 1);
    let trimmed = &input[start..end];
    let (plus, body) = match trimmed.strip_prefix('+') {
        Some(rest) => (true, rest),
        None => (false, trimmed),
    };
    if !body.is_empty() && body.bytes().all(|c| c.is_ascii_digit()) {
        return Ok((plus, Cow::Borrowed(body)));
    }
    let mut digits = String::with_capacity(body.len());
    for &c in body.as_bytes() {
        if c.is_ascii_digit() {
            digits.push(char::from(c));
        } else if !is_ascii_separator(c) {
            return Err(why(trimmed));
        }
    }
    if digits.is_empty() {
        return Err(FormatError::NoDigits);
    }
    Ok((plus, Cow::Owned(digits)))
}

/// Extension markers, longest first so that `ext.` is not read as `e`, `x`, `t`.
const EXTENSION_MARKERS: [&str; 8] = [";ext=", "extension", "extn", "ext", "x", "#", ";", ","];

/// The reason `text` (trimmed, with an optional leading plus) is not a number.
fn why(text: &str) -> FormatError {
    if text
        .get(..4)
        .is_some_and(|p| p.eq_ignore_ascii_case("tel:"))
    {
        return FormatError::TelUri;
    }
    if let Some(ext) = extension(text) {
        return FormatError::Extension(ext);
    }
    if let Some(start) = text.find(char::is_alphabetic) {
        let word: String = text[start..]
            .chars()
            .take_while(|c| c.is_alphabetic())
            .collect();
        return FormatError::Letters(word);
    }
    let mut chars = text.chars();
    if chars.next().is_some_and(is_plus) {
        // The leading plus is the number's own.
    } else {
        chars = text.chars();
    }
    for c in chars {
        if is_plus(c) {
            return FormatError::Plus;
        }
        if digit(c).is_none() && !is_separator(c) {
            return FormatError::Stray(c);
        }
    }
    FormatError::NoDigits
}

/// `ext. 123`, `x123`, `#123`, `;ext=123` after the number's digits, to the end.
/// One pass: each place after a digit is tried against the markers in place
/// (a copy of the rest at every place made a long `to` quadratic).
fn extension(text: &str) -> Option<String> {
    let mut after_digit = false;
    for (at, c) in text.char_indices() {
        if after_digit {
            if let Some(ext) = extension_at(&text[at..]) {
                return Some(ext);
            }
        }
        after_digit |= digit(c).is_some();
    }
    None
}

/// An extension starting right at `rest`, if one does.
fn extension_at(rest: &str) -> Option<String> {
    let marker = EXTENSION_MARKERS.iter().find(|m| {
        rest.get(..m.len())
            .is_some_and(|p| p.eq_ignore_ascii_case(m))
    })?;
    // A marker is ASCII: its length is the same in `rest`.
    let after = rest[marker.len()..]
        .trim_start_matches(|c: char| c == '.' || c == ':' || c == '=' || is_separator(c));
    let number = after.trim_end_matches(is_separator);
    (!number.is_empty() && number.chars().all(|c| digit(c).is_some()))
        .then(|| rest.trim_end_matches(is_separator).to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn digits(s: &str) -> Option<String> {
        read(s).ok().map(|(plus, d)| {
            if plus {
                format!("+{d}")
            } else {
                d.into_owned()
            }
        })
    }

    #[test]
    fn digits_of_every_script() {
        assert_eq!(digits("+٩٧١ ٥٠ ١٢٣ ٤٥٦٧").as_deref(), Some("+971501234567"));
        assert_eq!(digits("+۹۸ ۹۱۲ ۳۴۵ ۶۷۸۹").as_deref(), Some("+989123456789"));
        assert_eq!(digits("+९१ ९८७६५ ४३२१०").as_deref(), Some("+919876543210"));
        assert_eq!(
            digits("＋１２０１５５５０１２３").as_deref(),
            Some("+12015550123")
        );
        assert_eq!(
            digits("+44\u{2013}7911\u{2013}123456").as_deref(),
            Some("+447911123456")
        );
        assert_eq!(
            digits("+81\u{3000}90\u{3000}1234\u{3000}5678").as_deref(),
            Some("+819012345678")
        );
        assert_eq!(digits("+919876543210\n").as_deref(), Some("+919876543210"));
        assert_eq!(
            digits("\u{202A}+91 98765 43210\u{202C}").as_deref(),
            Some("+919876543210")
        );
        assert_eq!(
            digits("\u{200E}+91\u{00AD}98765\u{200B}43210").as_deref(),
            Some("+919876543210")
        );
        assert_eq!(digit('²'), None);
        assert_eq!(digit('½'), None);
    }

    #[test]
    fn refusals_say_why() {
        let why = |s: &str| read(s).err().map(|e| e.issue().message);
        assert!(
            why("+1 201 555 0123 ext. 123").is_some_and(|m| m.contains("extension (\"ext. 123\")"))
        );
        assert!(why("+1 201 555 0123 x123").is_some_and(|m| m.contains("extension")));
        assert!(why("+1 201 555 0123;ext=123").is_some_and(|m| m.contains("extension")));
        assert!(why("tel:+1-201-555-0123").is_some_and(|m| m.contains("tel: uri")));
        assert!(why("1-800-FLOWERS").is_some_and(|m| m.contains("letters (\"FLOWERS\")")));
        assert!(why("+91 98765+43210").is_some_and(|m| m.contains("'+' after the start")));
        assert!(why("++44 7911 123456").is_some_and(|m| m.contains("'+' after the start")));
        let invisible = why("+91 98765\u{0007}43210").expect("refused");
        assert!(
            invisible.contains("U+0007") && !invisible.contains('\u{0007}'),
            "{invisible}"
        );
    }
}
