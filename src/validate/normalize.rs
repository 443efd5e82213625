//! From a payload to the payload to send: `null` fields dropped, rewrites
//! applied, and, when the input already is that text, the input itself.

use super::{check, Options, ValidationResult};
use crate::json::tape::Tape;
use crate::json::{parse_canonical, Value};
use std::borrow::Cow;

/// A verdict with the normalized payload's JSON text at hand: the text is the
/// input's own bytes when they already are it (compact, only the writer's
/// escapes, no repeated key, no `null` field, nothing rewritten), so the faces
/// that carry the text on (the Worker's send, npm's crossing) neither write nor
/// copy it.
#[derive(Clone, Debug)]
pub struct Normalized<'a> {
    /// The verdict, with the normalized payload as a value when it is valid.
    pub result: ValidationResult,
    /// The input, when it is the normalized payload's text byte for byte.
    same: Option<&'a str>,
}

impl<'a> Normalized<'a> {
    /// Is the normalized payload's text the input itself?
    pub fn is_input(&self) -> bool {
        self.same.is_some()
    }

    /// The normalized payload as JSON text (borrowed from the input when it is
    /// the input), or `None` for an invalid payload.
    pub fn text(&self) -> Option<Cow<'a, str>> {
        if let Some(s) = self.same {
            return Some(Cow::Borrowed(s));
        }
        self.result
            .payload
            .as_ref()
            .map(|p| Cow::Owned(p.to_json()))
    }

    /// [`text`](Self::text), appended to `out`; `false`, and nothing written,
    /// for an invalid payload.
    pub fn write_text(&self, out: &mut String) -> bool {
        if let Some(s) = self.same {
            out.push_str(s);
            return true;
        }
        match &self.result.payload {
            Some(p) => {
                crate::json::write_value(out, p);
                true
            }
            None => false,
        }
    }
}

/// Validates raw bytes as [`validate_json`](super::validate_json) does, and
/// knows when the input already is the normalized text.
pub fn normalize_json<'a>(bytes: &'a [u8], options: &Options) -> Normalized<'a> {
    let (payload, canonical) = match parse_canonical(bytes) {
        Ok(parsed) => parsed,
        Err(e) => {
            return Normalized {
                result: ValidationResult::invalid_json(format!("payload is not valid json: {e}")),
                same: None,
            }
        }
    };
    let (mut result, rewrites) = check(&payload, options);
    let mut same = None;
    if result.valid {
        if canonical && rewrites.is_empty() {
            // Nothing to drop or rewrite: the tree is already the payload to send.
            same = std::str::from_utf8(bytes).ok();
            result.payload = Some(payload);
        } else {
            result.payload = Some(normalized(payload, rewrites));
        }
    }
    Normalized { result, same }
}

/// [`validate_json`](super::validate_json) with the payload read as a tape
/// (`json::tape`): the road validation takes once every walker reads through
/// `json::Read` (#28, step 4). Until then `examples/golden.rs` and the fuzz
/// target hold it equal to the tree's on every case.
#[doc(hidden)]
pub fn validate_json_tape(bytes: &[u8], options: &Options) -> ValidationResult {
    let tape = match Tape::parse(bytes) {
        Ok((tape, _)) => tape,
        Err(e) => return ValidationResult::invalid_json(format!("payload is not valid json: {e}")),
    };
    let (mut result, rewrites) = check(tape.root(), options);
    if result.valid {
        result.payload = Some(normalized(tape.root().to_value(), rewrites));
    }
    result
}

/// The payload to send: `null` fields dropped, the canonical recipient in `to`,
/// enums the rules compare without regard to case in lowercase.
pub(super) fn normalized(mut payload: Value, rewrites: Vec<(String, Value)>) -> Value {
    strip_nulls(&mut payload);
    for (pointer, value) in rewrites {
        if let Some(slot) = payload.pointer_mut(&pointer) {
            *slot = value;
        }
    }
    payload
}

/// Drops `null` object fields at every depth: RULES.md reads them as absent,
/// the provider may not. Array items stay, `null` or not, to keep indexes.
fn strip_nulls(v: &mut Value) {
    match v {
        Value::Object(m) => {
            m.retain(|v| !v.is_null());
            m.values_mut().for_each(strip_nulls);
        }
        Value::Array(a) => a.iter_mut().for_each(strip_nulls),
        _ => {}
    }
}
