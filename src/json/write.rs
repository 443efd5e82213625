//! Compact JSON text.

use super::Value;

pub(crate) fn string(out: &mut String, s: &str) {
    out.push('"');
    let bytes = s.as_bytes();
    let mut start = 0;
    loop {
        // What needs an escape is what ends a run in the parser.
        let stop = start + super::parse::run_len(bytes.get(start..).unwrap_or_default());
        // The run stops at an ASCII byte or the end: a char boundary.
        out.push_str(s.get(start..stop).unwrap_or_default());
        let Some(&b) = bytes.get(stop) else { break };
        let esc = match b {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0x08 => "\\b",
            0x0c => "\\f",
            _ => "",
        };
        if esc.is_empty() {
            const HEX: &[u8; 16] = b"0123456789abcdef";
            out.push_str("\\u00");
            out.push(char::from(HEX[usize::from(b >> 4)]));
            out.push(char::from(HEX[usize::from(b & 0xf)]));
        } else {
            out.push_str(esc);
        }
        start = stop + 1;
    }
    out.push('"');
}

pub(crate) fn value(out: &mut String, v: &Value) {
    match v {
        Value::Null => out.push_str("null"),
        Value::Bool(true) => out.push_str("true"),
        Value::Bool(false) => out.push_str("false"),
        Value::Number(n) => out.push_str(n.as_str()),
        Value::String(s) => string(out, s),
        Value::Array(a) => {
            out.push('[');
            for (i, x) in a.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                value(out, x);
            }
            out.push(']');
        }
        Value::Object(m) => {
            out.push('{');
            for (i, (k, x)) in m.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                string(out, k);
                out.push(':');
                value(out, x);
            }
            out.push('}');
        }
    }
}

#[cfg(test)]
mod tests {
    use std::fmt::Write as _;

    /// The writer as it was, a byte at a time: the run-skipping one writes the same.
    fn bytewise(s: &str) -> String {
        let mut out = String::from("\"");
        for c in s.chars() {
            match c {
                '"' => out.push_str("\\\""),
                '\\' => out.push_str("\\\\"),
                '\n' => out.push_str("\\n"),
                '\r' => out.push_str("\\r"),
                '\t' => out.push_str("\\t"),
                '\u{8}' => out.push_str("\\b"),
                '\u{c}' => out.push_str("\\f"),
                c if u32::from(c) < 0x20 => {
                    let _ = write!(out, "\\u{:04x}", u32::from(c));
                }
                c => out.push(c),
            }
        }
        out.push('"');
        out
    }

    #[test]
    fn a_string_is_written_as_byte_by_byte() {
        for len in 0..20 {
            for at in 0..len {
                for c in (0..=0x7f)
                    .map(char::from)
                    .chain(['é', '€', '😀', '\u{2028}'])
                {
                    let mut s: String = "abcdefghijklmnopqrstu".chars().take(len).collect();
                    s.replace_range(at..=at, &c.to_string());
                    s.push(c);
                    let mut out = String::new();
                    super::string(&mut out, &s);
                    assert_eq!(out, bytewise(&s), "{s:?}");
                }
            }
        }
    }
}
