//! Strict readers of the numbers inside strings: ports, dates, percent escapes,
//! timestamps, limits, cursors and configuration values, for the core and every
//! face. No sign where none belongs, no overflow, no surrounding space, and
//! dates that exist: `str::parse` accepts `+80` and has no calendar.

/// Unsigned decimal digits, at least one, nothing else, without overflow.
pub fn digits_u64(s: &str) -> Option<u64> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.bytes().try_fold(0u64, |n, b| {
        n.checked_mul(10)?.checked_add(u64::from(b - b'0'))
    })
}

/// [`digits_u64`] within `min..=max`.
pub fn digits_in(s: &str, min: u64, max: u64) -> Option<u64> {
    digits_u64(s).filter(|n| (min..=max).contains(n))
}

/// A TCP port as a URL writes it: 1 to 5 digits, `1..=65535`.
pub fn port(s: &str) -> Option<u16> {
    if s.len() > 5 {
        return None;
    }
    digits_in(s, 1, 65_535).and_then(|n| u16::try_from(n).ok())
}

pub fn is_leap_year(year: u64) -> bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
}

/// Days in `month` (1..=12) of `year`, proleptic Gregorian.
pub fn days_in_month(year: u64, month: u64) -> u64 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap_year(year) => 29,
        2 => 28,
        _ => 0,
    }
}

/// `YYYY-MM-DD`, a day that exists (`2024-02-29` yes, `2023-02-29` and
/// `2023-02-31` no), years 0001 to 9999.
pub fn is_date(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return false;
    }
    let field = |r: std::ops::Range<usize>| s.get(r).and_then(digits_u64);
    match (field(0..4), field(5..7), field(8..10)) {
        (Some(y), Some(m), Some(d)) => y >= 1 && d >= 1 && d <= days_in_month(y, m),
        _ => false,
    }
}

/// Days from 1970-01-01 to a civil date of 1970 or later.
fn days_since_epoch(y: u64, m: u64, d: u64) -> u64 {
    let leaps_before = |year: u64| {
        let x = year - 1;
        x / 4 - x / 100 + x / 400
    };
    let years = 365 * (y - 1970) + leaps_before(y) - leaps_before(1970);
    let months: u64 = (1..m).map(|mo| days_in_month(y, mo)).sum();
    years + months + d - 1
}

/// An RFC 3339 timestamp (`2026-12-02T09:30:00Z`, `2026-12-02T10:30:00.250+01:00`)
/// in milliseconds since the epoch: a real day, hours to 23, minutes to 59,
/// seconds to 60 (a leap second reads as :59), an offset to ±23:59, years from
/// 1970 (a time to come, or one just past).
pub fn rfc3339_ms(s: &str) -> Option<i64> {
    let b = s.as_bytes();
    if b.len() < 20 || !matches!(b[10], b'T' | b't') || b[13] != b':' || b[16] != b':' {
        return None;
    }
    if !is_date(s.get(..10)?) {
        return None;
    }
    let n = |r: std::ops::Range<usize>| s.get(r).and_then(digits_u64);
    let (y, mo, d) = (n(0..4)?, n(5..7)?, n(8..10)?);
    if y < 1970 {
        return None;
    }
    let (h, mi, sec) = (n(11..13)?, n(14..16)?, n(17..19)?);
    if h > 23 || mi > 59 || sec > 60 {
        return None;
    }
    let mut i = 19;
    let mut ms = 0u64;
    if b[i] == b'.' {
        let start = i + 1;
        let end = b[start..]
            .iter()
            .position(|c| !c.is_ascii_digit())
            .map_or(b.len(), |p| start + p);
        if end == start {
            return None;
        }
        // Milliseconds: the first three digits, the rest truncated.
        let digits = &s[start..end.min(start + 3)];
        ms = digits_u64(digits)? * 10u64.pow(u32::try_from(3 - digits.len()).ok()?);
        i = end;
    }
    let offset_min: i64 = match b.get(i..)? {
        [b'Z' | b'z'] => 0,
        [sign @ (b'+' | b'-'), h1, h2, b':', m1, m2] => {
            let oh = digits_u64(std::str::from_utf8(&[*h1, *h2]).ok()?)?;
            let om = digits_u64(std::str::from_utf8(&[*m1, *m2]).ok()?)?;
            if oh > 23 || om > 59 {
                return None;
            }
            let v = i64::try_from(oh * 60 + om).ok()?;
            if *sign == b'-' {
                -v
            } else {
                v
            }
        }
        _ => return None,
    };
    let days = i64::try_from(days_since_epoch(y, mo, d)).ok()?;
    let secs =
        days * 86_400 + i64::try_from(h * 3600 + mi * 60 + sec.min(59)).ok()? - offset_min * 60;
    Some(secs * 1000 + i64::try_from(ms).ok()?)
}

/// The byte of a percent escape's two hex digits (`%2F` → `/`).
pub fn hex_byte(hi: u8, lo: u8) -> Option<u8> {
    let v = |c: u8| {
        char::from(c)
            .to_digit(16)
            .and_then(|d| u8::try_from(d).ok())
    };
    Some(v(hi)? << 4 | v(lo)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc3339_valid() {
        for (s, ms) in [
            ("1970-01-01T00:00:00Z", 0),
            ("2026-12-02T09:30:00Z", 1_796_203_800_000),
            ("2026-12-02T10:30:00+01:00", 1_796_203_800_000),
            ("2026-12-02t09:30:00.25z", 1_796_203_800_250),
            ("2026-12-02T04:00:00.123456-05:30", 1_796_203_800_123),
            ("2024-02-29T23:59:60Z", 1_709_251_199_000),
        ] {
            assert_eq!(rfc3339_ms(s), Some(ms), "{s}");
        }
    }

    #[test]
    fn rfc3339_invalid() {
        for s in [
            "",
            "2026-12-02",
            "2026-12-02 09:30:00Z",
            "2026-12-02T09:30:00",
            "2023-02-29T09:30:00Z",
            "2026-12-02T24:00:00Z",
            "2026-12-02T09:60:00Z",
            "2026-12-02T09:30:00.Z",
            "2026-12-02T09:30:00+0100",
            "2026-12-02T09:30:00+24:00",
            "2026-12-02T09:30:00Z ",
            "+2026-12-02T09:30:00Z",
            "1969-12-31T23:59:59Z",
            "2026-12-02T09:30:00ZZ",
        ] {
            assert_eq!(rfc3339_ms(s), None, "{s}");
        }
    }

    #[test]
    fn digits_valid() {
        for (s, n) in [
            ("0", 0),
            ("7", 7),
            ("0042", 42),
            ("18446744073709551615", u64::MAX),
        ] {
            assert_eq!(digits_u64(s), Some(n), "{s}");
        }
    }

    #[test]
    fn digits_invalid() {
        for s in [
            "",
            "+1",
            "-1",
            " 1",
            "1 ",
            "1.0",
            "1e3",
            "٣",
            "18446744073709551616",
            "0x10",
        ] {
            assert_eq!(digits_u64(s), None, "{s:?}");
        }
    }

    #[test]
    fn ports() {
        assert_eq!(port("443"), Some(443));
        assert_eq!(port("65535"), Some(65_535));
        for s in ["+80", "0", "65536", "000080", "-1", ""] {
            assert_eq!(port(s), None, "{s:?}");
        }
    }

    #[test]
    fn dates_valid() {
        for s in [
            "2024-02-29",
            "2000-02-29",
            "1990-04-30",
            "0001-01-01",
            "9999-12-31",
        ] {
            assert!(is_date(s), "{s}");
        }
    }

    #[test]
    fn dates_invalid() {
        for s in [
            "2023-02-29",
            "1900-02-29",
            "2023-02-31",
            "2023-04-31",
            "2023-13-01",
            "2023-00-10",
            "2023-01-00",
            "0000-01-01",
            "+199-04-30",
            "1990-4-30",
            "1990/04/30",
            "1990-04-3 ",
            "19900430",
            "",
        ] {
            assert!(!is_date(s), "{s:?}");
        }
    }

    #[test]
    fn hex() {
        assert_eq!(hex_byte(b'2', b'F'), Some(b'/'));
        assert_eq!(hex_byte(b'2', b'f'), Some(b'/'));
        assert_eq!(hex_byte(b'+', b'1'), None);
        assert_eq!(hex_byte(b'g', b'0'), None);
    }
}
