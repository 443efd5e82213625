//! Small helpers over `serde_json::Value`: names for messages, JSON Pointer
//! escaping and did-you-mean suggestions.

use serde_json::Value;

/// The article-prefixed JSON type name of `v`, for messages ("got a number").
pub fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// Appends `/key` to a JSON Pointer, escaping `~` and `/` (RFC 6901).
pub fn push_key(pointer: &mut String, key: &str) {
    pointer.push('/');
    for c in key.chars() {
        match c {
            '~' => pointer.push_str("~0"),
            '/' => pointer.push_str("~1"),
            c => pointer.push(c),
        }
    }
}

/// Optimal-string-alignment distance, so that a swap (`captoin`) counts as one edit.
fn distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut prev2 = vec![0usize; b.len() + 1];
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0usize; b.len() + 1];
    for i in 1..=a.len() {
        cur[0] = i;
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            cur[j] = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                cur[j] = cur[j].min(prev2[j - 2] + 1);
            }
        }
        std::mem::swap(&mut prev2, &mut prev);
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

/// Other APIs' names for the same field, which edit distance cannot guess.
const ALIASES: &[(&str, &str)] = &[("link", "url"), ("href", "url"), ("lang", "language")];

/// The known field within edit distance 2 of `name` (closest first), if any.
pub fn suggest(name: &str, known: &[&'static str]) -> Option<&'static str> {
    if name.chars().count() > 64 {
        return None;
    }
    let lower = name.to_ascii_lowercase();
    if let Some(&(_, to)) = ALIASES
        .iter()
        .find(|(from, to)| *from == lower && known.contains(to))
    {
        return Some(to);
    }
    known
        .iter()
        .map(|k| (distance(&lower, k), *k))
        .filter(|(d, _)| *d <= 2)
        .min_by_key(|(d, _)| *d)
        .map(|(_, k)| k)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggestions_valid() {
        assert_eq!(suggest("captoin", &["caption", "url"]), Some("caption"));
        assert_eq!(suggest("Caption", &["caption", "url"]), Some("caption"));
        assert_eq!(suggest("link", &["caption", "url", "id"]), Some("url"));
        assert_eq!(suggest("tpye", &["to", "type"]), Some("type"));
    }

    #[test]
    fn suggestions_invalid() {
        assert_eq!(suggest("colour", &["caption", "url"]), None);
        assert_eq!(suggest("link", &["caption"]), None);
    }

    #[test]
    fn pointer_escapes() {
        let mut p = String::new();
        push_key(&mut p, "a/b~c");
        assert_eq!(p, "/a~1b~0c");
    }
}
