//! From a payload to the payload to send: `null` fields dropped, rewrites
//! applied, and, when the input already is that text, the input itself.

use super::pointer::Pointer;
use super::{check, Options, ValidationResult};
use crate::json::tape::Tape;
use crate::json::{write_string, write_value, Kind, Read, Value};

/// A verdict with the normalized payload at hand as text: the input's own bytes
/// when they already are it (compact, only the writer's escapes, no repeated
/// key, no `null` field, nothing rewritten), so the faces that carry the text
/// on (the Worker's send, npm's crossing) neither build a tree nor write it.
#[derive(Clone, Debug)]
pub struct Normalized<'a> {
    /// The verdict. Its `payload` is left out: [`text`](Self::text) gives it,
    /// [`into_result`](Self::into_result) puts it in as a value.
    pub result: ValidationResult,
    payload: Payload<'a>,
}

#[derive(Clone, Debug)]
enum Payload<'a> {
    Invalid,
    /// The input is the normalized text; its tape gives the value on demand
    /// (`into_result`) and the envelope's fields (`field`).
    Input(&'a str, Tape<'a>),
    /// Something was dropped or rewritten: the normalized text, written from
    /// the tape, which stays with the rewrites for [`field`](Normalized::field).
    Written {
        text: String,
        tape: Tape<'a>,
        rewrites: Vec<(String, Value)>,
    },
}

impl Normalized<'_> {
    /// Is the normalized payload's text the input itself?
    pub fn is_input(&self) -> bool {
        matches!(self.payload, Payload::Input(..))
    }

    /// The normalized payload as JSON text, or `None` for an invalid payload.
    pub fn text(&self) -> Option<&str> {
        match &self.payload {
            Payload::Invalid => None,
            Payload::Input(s, _) => Some(s),
            Payload::Written { text, .. } => Some(text),
        }
    }

    /// [`text`](Self::text), appended to `out`; `false`, and nothing written,
    /// for an invalid payload.
    pub fn write_text(&self, out: &mut String) -> bool {
        match &self.payload {
            Payload::Invalid => return false,
            Payload::Input(s, _) => out.push_str(s),
            Payload::Written { text, .. } => out.push_str(text),
        }
        true
    }

    /// A top-level string field of the normalized payload (`type`, `to`,
    /// `whatsapp_account`), read without building a tree.
    pub fn field(&self, key: &str) -> Option<&str> {
        match &self.payload {
            Payload::Invalid => None,
            Payload::Input(_, tape) => tape.root().get(key).and_then(Read::as_str),
            Payload::Written { tape, rewrites, .. } => {
                let mut pointer = String::new();
                crate::json::push_key(&mut pointer, key);
                match rewrites.iter().find(|(p, _)| *p == pointer) {
                    Some((_, v)) => v.as_str(),
                    None => tape.root().get(key).and_then(Read::as_str),
                }
            }
        }
    }

    /// The verdict with the normalized payload in it: what `validate_json` answers.
    pub fn into_result(self) -> ValidationResult {
        let mut result = self.result;
        result.payload = match self.payload {
            Payload::Invalid => None,
            Payload::Input(_, tape) => Some(tape.root().to_value()),
            // Read back from the text, so the value is the text sent, always.
            Payload::Written { text, .. } => crate::json::parse(text.as_bytes()).ok(),
        };
        result
    }
}

/// Validates raw bytes, reading them as a tape: the walkers run over it
/// (`json::Read`), and a tree is built only when something must be dropped or
/// rewritten.
pub fn normalize_json<'a>(bytes: &'a [u8], options: &Options) -> Normalized<'a> {
    let (tape, canonical) = match Tape::parse(bytes) {
        Ok(parsed) => parsed,
        Err(e) => {
            return Normalized {
                result: ValidationResult::invalid_json(format!("payload is not valid json: {e}")),
                payload: Payload::Invalid,
            }
        }
    };
    let (result, rewrites) = check(tape.root(), options);
    let payload = if !result.valid {
        Payload::Invalid
    } else if canonical && rewrites.is_empty() {
        Payload::Input(tape.input(), tape)
    } else {
        let text = write_normalized(tape.root(), &rewrites);
        Payload::Written {
            text,
            tape,
            rewrites,
        }
    };
    Normalized { result, payload }
}

/// Validates each payload of a JSON array (a list), read once as a tape: `each`
/// gets every item's verdict and, when it is valid, its normalized text. A text
/// that is not JSON is `Err` with the one verdict that says why, as
/// [`normalize_json`] gives it; a JSON value that is not an array is one item.
pub fn normalize_items(
    bytes: &[u8],
    options: &Options,
    mut each: impl FnMut(ValidationResult, Option<String>),
) -> Result<(), ValidationResult> {
    let (tape, _) = Tape::parse(bytes)
        .map_err(|e| ValidationResult::invalid_json(format!("payload is not valid json: {e}")))?;
    let root = tape.root();
    let mut one = |item| {
        let (result, rewrites) = check(item, options);
        let text = result.valid.then(|| write_normalized(item, &rewrites));
        each(result, text);
    };
    if root.is_array() {
        root.items().for_each(&mut one);
    } else {
        one(root);
    }
    Ok(())
}

/// The normalized payload's text, written from the payload as read: compact,
/// only the writer's escapes, `null` fields dropped (array items kept, for
/// their indexes), each rewrite in its place.
#[inline(never)]
pub(super) fn write_normalized<'a>(payload: impl Read<'a>, rewrites: &[(String, Value)]) -> String {
    let mut out = String::with_capacity(256);
    write(&mut out, payload, rewrites, &mut Pointer::new());
    out
}

/// Writes `v`; `path` is where `v` stands, kept only when there are rewrites.
fn write<'a>(out: &mut String, v: impl Read<'a>, rewrites: &[(String, Value)], path: &mut Pointer) {
    if let Some((_, new)) = rewrites.iter().find(|(p, _)| p == path.as_str()) {
        write_value(out, new);
        return;
    }
    let track = !rewrites.is_empty();
    let here = path.len();
    match v.kind() {
        Kind::Null => out.push_str("null"),
        Kind::Bool if v.as_bool() == Some(true) => out.push_str("true"),
        Kind::Bool => out.push_str("false"),
        Kind::Number => out.push_str(v.number().unwrap_or_default()),
        Kind::String => write_string(out, v.as_str().unwrap_or_default()),
        Kind::Array => {
            out.push('[');
            for (i, item) in v.items().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                if track {
                    path.push_index(i);
                }
                write(out, item, rewrites, path);
                path.truncate(here);
            }
            out.push(']');
        }
        Kind::Object => {
            out.push('{');
            let mut first = true;
            for (key, item) in v.fields().filter(|(_, item)| !item.is_null()) {
                if !first {
                    out.push(',');
                }
                first = false;
                write_string(out, key);
                out.push(':');
                if track {
                    path.push_key(key);
                }
                write(out, item, rewrites, path);
                path.truncate(here);
            }
            out.push('}');
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_text_drops_null_fields_keeps_null_items_and_puts_rewrites_in_place() {
        let input = br#"{ "to" : "+91 98765 43210", "type":"text", "x":null,
            "a":[null, {"b":null,"c":"\u00e9\/\n"}], "k~/":{"d":1e2} }"#;
        let (tape, canonical) = Tape::parse(input).expect("json");
        assert!(!canonical);
        let rewrites = vec![
            ("/to".to_owned(), Value::from("+919876543210")),
            ("/k~0~1/d".to_owned(), Value::from("rewritten")),
            ("/x".to_owned(), Value::from("a null field stays dropped")),
        ];
        assert_eq!(
            write_normalized(tape.root(), &rewrites),
            r#"{"to":"+919876543210","type":"text","a":[null,{"c":"é/\n"}],"k~/":{"d":"rewritten"}}"#
        );
        assert_eq!(
            write_normalized(tape.root(), &[]),
            r#"{"to":"+91 98765 43210","type":"text","a":[null,{"c":"é/\n"}],"k~/":{"d":1e2}}"#
        );
    }
}
