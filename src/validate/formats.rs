//! Value formats shared by several parts: URLs and emoji.

use super::ctx::Ctx;
use crate::issue::Code;
use crate::json::Read;
mod tables {
    include!(concat!(env!("OUT_DIR"), "/emoji.rs"));
}

/// Unicode's `Emoji` property (build.rs tables it).
fn is_emoji_char(c: char) -> bool {
    let n = c as u32;
    tables::EMOJI
        .binary_search_by(|&(lo, hi)| {
            if hi < n {
                std::cmp::Ordering::Less
            } else if lo > n {
                std::cmp::Ordering::Greater
            } else {
                std::cmp::Ordering::Equal
            }
        })
        .is_ok()
}

const ZWJ: char = '\u{200D}';
const VS16: char = '\u{FE0F}';
const CANCEL_TAG: char = '\u{E007F}';

fn is_regional_indicator(c: char) -> bool {
    matches!(c, '\u{1F1E6}'..='\u{1F1FF}')
}

fn is_tag(c: char) -> bool {
    matches!(c, '\u{E0020}'..='\u{E007F}')
}

/// What a URL may be.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Scheme {
    /// `https`, with `http` accepted under an `insecure_url` warning (media).
    HttpsPreferred,
    /// `http` or `https` (a call-to-action link).
    Http,
}

/// The scheme and the path (without query or fragment) of an absolute URL.
fn parse_url(s: &str) -> Option<(&str, &str)> {
    let colon = s.find(':')?;
    let scheme = &s[..colon];
    let rest = s[colon + 1..].strip_prefix("//")?;
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let authority = &rest[..end];
    let host_port = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let (host, port) = if host_port.starts_with('[') {
        let close = host_port.find(']')?;
        (
            &host_port[..=close],
            host_port[close + 1..].strip_prefix(':'),
        )
    } else {
        match host_port.rsplit_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (host_port, None),
        }
    };
    let host_ok = !host.is_empty()
        && !host.starts_with('.')
        && !host.starts_with('-')
        && host
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '-' | '.' | '_' | '[' | ']' | ':'));
    let port_ok = port.is_none_or(|p| crate::numbers::port(p).is_some());
    if !host_ok || !port_ok {
        return None;
    }
    let path_end = rest[end..].find(['?', '#']).map_or(rest.len(), |i| end + i);
    Some((scheme, &rest[end..path_end]))
}

/// Checks an absolute http(s) URL; returns its path (for extension checks) when usable.
pub(super) fn url<'v>(
    c: &mut Ctx,
    v: impl Read<'v>,
    what: &str,
    scheme: Scheme,
) -> Option<&'v str> {
    let s = c.string(v, what)?;
    if s.is_empty() {
        c.error(Code::Empty, format!("{what} is empty"));
        return None;
    }
    if s.chars().any(|ch| ch.is_whitespace() || ch.is_control()) {
        c.error(
            Code::InvalidUrl,
            format!("{what} contains whitespace or control characters"),
        );
        return None;
    }
    let expected = if scheme == Scheme::Http {
        "an absolute http(s) url"
    } else {
        "an absolute https url"
    };
    let Some((sch, path)) = parse_url(s) else {
        c.error(
            Code::InvalidUrl,
            format!("{what} \"{s}\" is not {expected}"),
        );
        return None;
    };
    let https = sch.eq_ignore_ascii_case("https");
    let http = sch.eq_ignore_ascii_case("http");
    match sch {
        _ if https => Some(path),
        _ if http && scheme == Scheme::Http => Some(path),
        _ if http => {
            c.warn(
                Code::InsecureUrl,
                format!("{what} uses http; whatsapp fetches media over https more reliably"),
            );
            Some(path)
        }
        other => {
            c.error(
                Code::InvalidUrl,
                format!(
                    "{what} has scheme \"{}\"; it must be {expected}",
                    other.to_ascii_lowercase()
                ),
            );
            None
        }
    }
}

/// Is `s` exactly one emoji (a single possibly-ZWJ-joined emoji sequence)?
pub(super) fn is_single_emoji(s: &str) -> bool {
    // Emoji sequences are a few code points: those are read on the stack.
    let mut few = ['\0'; 32];
    let many: Vec<char>;
    let n = s.chars().count();
    let chars: &[char] = if n <= few.len() {
        for (slot, ch) in few.iter_mut().zip(s.chars()) {
            *slot = ch;
        }
        &few[..n]
    } else {
        many = s.chars().collect();
        &many
    };
    let mut i = 0;
    loop {
        let Some(next) = emoji_element(chars, i) else {
            return false;
        };
        i = next;
        if i == chars.len() {
            return true;
        }
        if chars[i] != ZWJ {
            return false;
        }
        i += 1;
    }
}

fn is_modifier(c: char) -> bool {
    matches!(c, '\u{1F3FB}'..='\u{1F3FF}')
}

/// One element of an emoji sequence starting at `i`; returns where it ends.
fn emoji_element(chars: &[char], i: usize) -> Option<usize> {
    let &first = chars.get(i)?;
    let mut j = i + 1;
    if is_regional_indicator(first) {
        return chars
            .get(j)
            .filter(|c| is_regional_indicator(**c))
            .map(|_| j + 1);
    }
    if first.is_ascii_digit() || first == '#' || first == '*' {
        // A keycap: the bare character is not an emoji.
        if chars.get(j) == Some(&VS16) {
            j += 1;
        }
        return (chars.get(j) == Some(&'\u{20E3}')).then_some(j + 1);
    }
    if !is_emoji_char(first) {
        return None;
    }
    if chars.get(j).is_some_and(|c| *c == VS16 || is_modifier(*c)) {
        j += 1;
    }
    if chars.get(j).is_some_and(|c| is_tag(*c)) {
        while chars.get(j).is_some_and(|c| is_tag(*c) && *c != CANCEL_TAG) {
            j += 1;
        }
        if chars.get(j) != Some(&CANCEL_TAG) {
            return None;
        }
        j += 1;
    }
    Some(j)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emoji_valid() {
        for s in ["👍", "❤️", "👍🏽", "🇧🇷", "1️⃣", "👩‍💻", "👨‍👩‍👧‍👦", "🏴󠁧󠁢󠁳󠁣󠁴󠁿", "☺", "😀"]
        {
            assert!(is_single_emoji(s), "{s:?}");
        }
    }

    #[test]
    fn emoji_invalid() {
        for s in ["a", "1", "👍👍", "ok", "👍 ", "🇧", "‍👍", "👍‍", ":)"] {
            assert!(!is_single_emoji(s), "{s:?}");
        }
    }

    #[test]
    fn urls() {
        assert!(parse_url("https://example.com/a.jpg?x=1").is_some_and(|(_, p)| p == "/a.jpg"));
        assert!(parse_url("https://example.com:8443").is_some());
        assert!(parse_url("https://[::1]:8443/x").is_some());
        assert!(parse_url("https://").is_none());
        assert!(parse_url("example.com/a.jpg").is_none());
        assert!(parse_url("https://exa mple.com").is_none());
        assert!(parse_url("https://example.com:99999").is_none());
        assert!(parse_url("https://example.com:+80").is_none());
    }
}
