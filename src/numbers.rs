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
