//! The validator: every rule of `RULES.md`, over a parsed JSON value.
//!
//! One walk over the payload in its own key order, each part checked by the
//! module that owns it; every issue is collected (nothing stops at the first).

mod ctx;
mod definition;
pub(crate) use ctx::Ctx;
pub(crate) use template::UsedComponent;
mod formats;
mod interactive;
mod media;
mod normalize;
mod other;
mod pointer;
mod template;

pub use normalize::{normalize_items, normalize_json, Normalized};

use crate::definition::TemplateDefinition;
use crate::issue::{Code, Issue, Unit};
use crate::json::{kind, Kind, Read, Value};
use crate::limits;
use crate::phone;
use serde::{Deserialize, Serialize};

/// How to validate: the region for national numbers, and the approved template.
///
/// Built only through [`Options::default_region`] and [`Options::from_value`],
/// which refuse a region the phone metadata does not have: a bad option is the
/// caller's mistake, never a verdict on the payload.
#[derive(Clone, Debug, Default)]
pub struct Options {
    region: Option<&'static str>,
    template: Option<TemplateDefinition>,
}

/// A bad option (an unknown region, an unknown option, an option of the wrong
/// type): the caller's mistake. npm throws it as a `TypeError`, the CLI prints
/// it with exit status 2.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OptionsError(String);

impl OptionsError {
    pub fn message(&self) -> &str {
        &self.0
    }

    pub(crate) fn new(message: impl Into<String>) -> Self {
        OptionsError(message.into())
    }
}

impl std::fmt::Display for OptionsError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for OptionsError {}

/// Options from configuration files: the same reader, and the same errors, as
/// every binding's.
impl<'de> Deserialize<'de> for Options {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let v = Value::deserialize(d)?;
        Options::from_value(&v).map_err(serde::de::Error::custom)
    }
}

/// The option names every binding uses.
const OPTION_NAMES: [&str; 2] = ["defaultRegion", "template"];

impl Options {
    /// Reads `{defaultRegion?, template?}` (the JSON names every binding uses);
    /// `null` is no options.
    pub fn from_value(v: &Value) -> Result<Self, OptionsError> {
        let Some(obj) = v.as_object() else {
            return match v {
                Value::Null => Ok(Options::default()),
                _ => Err(OptionsError(format!(
                    "options must be an object, not {}",
                    kind(v)
                ))),
            };
        };
        let mut out = Options::default();
        for (k, v) in obj {
            out = match (k, v) {
                (_, Value::Null) => out,
                ("defaultRegion", Value::String(r)) => out.default_region(r)?,
                ("defaultRegion", _) => {
                    return Err(OptionsError(format!(
                        "option defaultRegion must be a string like \"IN\", not {}",
                        kind(v)
                    )))
                }
                ("template", t) => out.template(
                    TemplateDefinition::from_value(t)
                        .map_err(|e| OptionsError(format!("option template: {e}")))?,
                ),
                (other, _) => {
                    let hint = crate::json::suggest(other, &OPTION_NAMES)
                        .map_or(String::new(), |s| format!("; did you mean `{s}`?"));
                    return Err(OptionsError(format!("unknown option `{other}`{hint}")));
                }
            };
        }
        Ok(out)
    }

    /// Reads national numbers in `region` (ISO 3166-1 alpha-2, any case).
    pub fn default_region(mut self, region: &str) -> Result<Self, OptionsError> {
        self.region = Some(phone::region(region).ok_or_else(|| {
            OptionsError(format!(
                "default region \"{}\" is not a region of the phone metadata (use an iso 3166-1 alpha-2 code like IN)",
                crate::issue::visible(region)
            ))
        })?);
        Ok(self)
    }

    #[must_use]
    pub fn template(mut self, definition: TemplateDefinition) -> Self {
        self.template = Some(definition);
        self
    }

    /// The region national numbers are read in, in the metadata's spelling.
    pub fn region(&self) -> Option<&'static str> {
        self.region
    }

    /// The approved template a `template` message must match.
    pub fn definition(&self) -> Option<&TemplateDefinition> {
        self.template.as_ref()
    }
}

/// `{ valid, errors, warnings, payload? }`, the same in every binding.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ValidationResult {
    pub valid: bool,
    pub errors: Vec<Issue>,
    pub warnings: Vec<Issue>,
    /// The normalized payload to send (canonical `to`, `null` fields dropped), when valid.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payload: Option<Value>,
}

impl ValidationResult {
    /// The result as compact JSON, written by hand (no serde in the wasm build).
    pub fn to_json(&self) -> String {
        // Room for a typical result at once: growing by doubling copies it twice.
        let mut out = String::with_capacity(512);
        self.write_json(&mut out);
        out
    }

    /// [`to_json`](Self::to_json), appended to `out` (a list of results is one string).
    pub fn write_json(&self, out: &mut String) {
        self.write_fields(out);
        if let Some(p) = &self.payload {
            out.push_str(",\"payload\":");
            crate::json::write_value(out, p);
        }
        out.push('}');
    }

    /// The verdict alone, `{valid, errors, warnings}`: for a face that carries
    /// the normalized payload beside it (npm parses that one only when it is read).
    pub fn write_verdict(&self, out: &mut String) {
        self.write_fields(out);
        out.push('}');
    }

    /// Is this a valid result with no issue, whose verdict every face can write
    /// without being told more?
    pub fn is_clean(&self) -> bool {
        self.valid && self.errors.is_empty() && self.warnings.is_empty()
    }

    /// Why a send client refuses this payload before sending it (`payload is
    /// invalid (2 errors): … at /…`, the first error named), or `None` when it is valid.
    pub fn refusal(&self) -> Option<String> {
        if self.valid {
            return None;
        }
        let first = self
            .errors
            .first()
            .map_or_else(String::new, |e| format!(": {} at {}", e.message, e.path));
        Some(format!(
            "payload is invalid ({} errors){first}",
            self.errors.len()
        ))
    }

    /// [`refusal`](Self::refusal) as JSON, `{"message", "errors"}`, appended to
    /// `out` (what npm's `SendError` of kind `invalid` carries); `false`, and
    /// nothing written, when the payload is valid.
    pub fn write_refusal(&self, out: &mut String) -> bool {
        let Some(message) = self.refusal() else {
            return false;
        };
        out.push_str("{\"message\":");
        crate::json::write_string(out, &message);
        out.push_str(",\"errors\":[");
        write_issues(out, &self.errors);
        out.push_str("]}");
        true
    }

    fn write_fields(&self, out: &mut String) {
        out.push_str(if self.valid {
            "{\"valid\":true,\"errors\":["
        } else {
            "{\"valid\":false,\"errors\":["
        });
        write_issues(out, &self.errors);
        out.push_str("],\"warnings\":[");
        write_issues(out, &self.warnings);
        out.push(']');
    }

    fn invalid_json(message: String) -> Self {
        ValidationResult {
            valid: false,
            errors: vec![Issue::new(Code::InvalidJson, "", message)],
            warnings: Vec::new(),
            payload: None,
        }
    }
}

/// One issue as a JSON value, from the same writer as every result's.
pub(crate) fn issue_value(issue: &Issue) -> Value {
    let mut text = String::with_capacity(128);
    write_issues(&mut text, std::slice::from_ref(issue));
    crate::json::parse(text.as_bytes()).unwrap_or_default()
}

fn write_issues(out: &mut String, issues: &[Issue]) {
    use crate::json::write_string;
    for (i, issue) in issues.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str("{\"code\":\"");
        out.push_str(issue.code.as_str());
        out.push_str("\",\"path\":");
        write_string(out, &issue.path);
        out.push_str(",\"message\":");
        write_string(out, &issue.message);
        if let Some(l) = &issue.limit {
            out.push_str(",\"limit\":");
            out.push_str(l.as_str());
        }
        if let Some(a) = &issue.actual {
            out.push_str(",\"actual\":");
            out.push_str(a.as_str());
        }
        if let Some(u) = issue.unit {
            out.push_str(",\"unit\":\"");
            out.push_str(u.as_str());
            out.push('"');
        }
        if let Some(s) = &issue.suggestion {
            out.push_str(",\"suggestion\":");
            write_string(out, s);
        }
        out.push('}');
    }
}

/// The message types of `RULES.md`, each carried in the field of its name.
pub(crate) const TYPES: [&str; 11] = [
    "text",
    "template",
    "image",
    "video",
    "document",
    "audio",
    "sticker",
    "interactive",
    "location",
    "contacts",
    "reaction",
];

/// Every field of the envelope: `to`, `type`, the message fields, then the optional ones.
const ENVELOPE: [&str; 16] = {
    const REST: [&str; 3] = ["whatsapp_account", "context", "biz_opaque_callback_data"];
    let mut out = [
        "to", "type", "", "", "", "", "", "", "", "", "", "", "", "", "", "",
    ];
    let mut i = 0;
    while i < TYPES.len() {
        out[2 + i] = TYPES[i];
        i += 1;
    }
    let mut j = 0;
    while j < REST.len() {
        out[2 + TYPES.len() + j] = REST[j];
        j += 1;
    }
    out
};

/// Validates raw bytes: malformed JSON is an `invalid_json` result, never a panic.
pub fn validate_json(bytes: &[u8], options: &Options) -> ValidationResult {
    normalize_json(bytes, options).into_result()
}

/// Validates a parsed payload: its text is written and read as a tape, the one
/// road every walker takes (a second, over the tree, would double the wasm
/// module's walkers, BENCHMARKS.md).
pub fn validate(payload: &Value, options: &Options) -> ValidationResult {
    validate_json(payload.to_json().as_bytes(), options)
}

/// [`validate`], for a payload the caller gives away (kept so that such callers
/// need not change; the value is written either way).
#[allow(clippy::needless_pass_by_value)]
pub fn validate_owned(payload: Value, options: &Options) -> ValidationResult {
    validate(&payload, options)
}

/// The verdict without the normalized payload, and what normalization rewrites.
/// Reads the payload through [`Read`] (a tape's cursor: every face's payload is
/// read as a tape).
// Out of line: `normalize_json` and `normalize_items` both call it, and a copy
// in each would cost the wasm module kilobytes (BENCHMARKS.md).
#[inline(never)]
pub(crate) fn check<'a>(
    payload: impl Read<'a>,
    options: &Options,
) -> (ValidationResult, Vec<(String, Value)>) {
    if payload.kind() != Kind::Object {
        let result = ValidationResult::invalid_json(format!(
            "payload must be a json object, not {}",
            kind(payload)
        ));
        return (result, Vec::new());
    }
    let mut c = Ctx::new();
    let region = options.region;
    let ty = payload
        .get("type")
        .and_then(Read::as_str)
        .filter(|t| TYPES.contains(t));
    for (k, v) in payload.fields() {
        let Some(&name) = ENVELOPE.iter().find(|&&n| n == k) else {
            c.unknown(k, &ENVELOPE);
            continue;
        };
        if v.is_null() {
            continue;
        }
        c.key(name, |c| match k {
            "to" => recipient(c, v, region),
            "type" => {
                if let Some(s) = c.string(v, "type") {
                    if !TYPES.contains(&s) {
                        c.error(
                            Code::InvalidEnum,
                            format!("type \"{s}\" is not one of: {}", TYPES.join(", ")),
                        );
                    }
                }
            }
            "whatsapp_account" => {
                if let Some(s) = c.bounded(v, "whatsapp_account", &limits::WHATSAPP_ACCOUNT) {
                    if s.chars().any(char::is_whitespace) && !s.trim().is_empty() {
                        c.error(Code::InvalidFormat, "whatsapp_account contains whitespace");
                    }
                }
            }
            "context" => other::context(c, v),
            "biz_opaque_callback_data" => {
                c.bounded(
                    v,
                    "biz_opaque_callback_data",
                    &limits::BIZ_OPAQUE_CALLBACK_DATA,
                );
            }
            body => match ty {
                Some(t) if t != body => {
                    c.error(
                        Code::TypeMismatch,
                        format!("`{body}` does not belong in a message of type `{t}`"),
                    );
                }
                _ => message_body(c, body, v, options),
            },
        });
    }
    c.require(payload, &["to", "type"], "a message");
    if let Some(t) = ty {
        c.require(payload, &[t], format_args!("a message of type `{t}`"));
        if t == "reaction" && ctx::has(payload, "context") {
            c.error_at(
                "context",
                Code::Conflict,
                "a reaction cannot carry a reply context",
            );
        }
    }
    let result = ValidationResult {
        valid: c.errors.is_empty(),
        errors: c.errors,
        warnings: c.warnings,
        payload: None,
    };
    (result, c.rewrites)
}

fn message_body<'a>(c: &mut Ctx, body: &str, v: impl Read<'a>, options: &Options) {
    match body {
        "text" => {
            c.bounded(v, "text", &limits::TEXT);
        }
        "image" | "video" | "document" | "audio" | "sticker" => {
            media::message(c, body, v);
        }
        "interactive" => interactive::interactive(c, v),
        "template" => template::template(c, v, options.template.as_ref()),
        "location" => other::location(c, v),
        "contacts" => other::contacts(c, v),
        "reaction" => other::reaction(c, v),
        _ => unreachable!("ENVELOPE lists every body"),
    }
}

/// Checks `to`; the normalized payload carries its canonical form.
fn recipient<'a>(c: &mut Ctx, v: impl Read<'a>, region: Option<&str>) {
    let s = match (v.as_str(), v.kind()) {
        (Some(s), _) => s,
        (None, Kind::Number) => {
            c.error(
                Code::WrongType,
                "phone number must be a string (a json number loses leading zeros and the +)",
            );
            return;
        }
        _ => {
            c.wrong_type("to", "a string", v);
            return;
        }
    };
    if s.trim().is_empty() {
        c.error(Code::Empty, "phone number is empty");
        return;
    }
    let verdict = phone::check(s, region);
    for e in verdict.errors {
        match (e.limit, e.actual) {
            (Some(limit), Some(actual)) => c.limit(e.code, e.message, limit, actual, Unit::Digits),
            _ => {
                c.error(e.code, e.message);
            }
        }
    }
    for w in verdict.warnings {
        c.warn(w.code, w.message).suggestion = w.suggestion;
    }
    if let Some(canonical) = verdict.e164 {
        if canonical != s {
            c.rewrite(Value::String(canonical));
        }
    }
}
