//! The validator: every rule of `RULES.md`, over a parsed JSON value.
//!
//! One walk over the payload in its own key order, each part checked by the
//! module that owns it; every issue is collected (nothing stops at the first).

mod ctx;
pub(crate) use ctx::Ctx;
pub(crate) use template::UsedComponent;
mod formats;
mod interactive;
mod media;
mod other;
mod template;

use crate::issue::{Code, Issue, Unit};
use crate::json::{kind, Value};
use crate::phone;
use crate::template::TemplateDefinition;
use serde::{Deserialize, Serialize};

/// How to validate: the region for national numbers, and the approved template.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Options {
    /// ISO 3166-1 alpha-2 region (`"IN"`) to read national numbers in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_region: Option<String>,
    /// The approved template a `template` message must match.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub template: Option<TemplateDefinition>,
}

impl Options {
    /// Reads `{defaultRegion?, template?}` (the JSON names every binding uses).
    pub fn from_value(v: &Value) -> Result<Self, String> {
        let Some(obj) = v.as_object() else {
            return match v {
                Value::Null => Ok(Options::default()),
                _ => Err("options must be an object".into()),
            };
        };
        let mut out = Options::default();
        for (k, v) in obj {
            match (k.as_str(), v) {
                (_, Value::Null) => {}
                ("defaultRegion", Value::String(r)) => out.default_region = Some(r.clone()),
                ("defaultRegion", _) => {
                    return Err("option defaultRegion must be a string like \"IN\"".into())
                }
                ("template", t) => out.template = Some(TemplateDefinition::from_value(t)?),
                (other, _) => {
                    let hint = crate::json::suggest(other, &["defaultRegion", "template"])
                        .map_or(String::new(), |s| format!("; did you mean `{s}`?"));
                    return Err(format!("unknown option `{other}`{hint}"));
                }
            }
        }
        Ok(out)
    }

    #[must_use]
    pub fn default_region(mut self, region: impl Into<String>) -> Self {
        self.default_region = Some(region.into());
        self
    }

    #[must_use]
    pub fn template(mut self, definition: TemplateDefinition) -> Self {
        self.template = Some(definition);
        self
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
        out.push_str(if self.valid {
            "{\"valid\":true,\"errors\":["
        } else {
            "{\"valid\":false,\"errors\":["
        });
        write_issues(out, &self.errors);
        out.push_str("],\"warnings\":[");
        write_issues(out, &self.warnings);
        out.push(']');
        if let Some(p) = &self.payload {
            out.push_str(",\"payload\":");
            crate::json::write_value(out, p);
        }
        out.push('}');
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
    match crate::json::parse(bytes) {
        Ok(v) => validate_owned(v, options),
        Err(e) => ValidationResult::invalid_json(format!("payload is not valid json: {e}")),
    }
}

/// Validates a parsed payload.
pub fn validate(payload: &Value, options: &Options) -> ValidationResult {
    let (mut result, to) = check(payload, options);
    if result.valid {
        result.payload = Some(normalized(payload.clone(), to));
    }
    result
}

/// [`validate`], moving the payload into the result instead of copying it.
pub fn validate_owned(payload: Value, options: &Options) -> ValidationResult {
    let (mut result, to) = check(&payload, options);
    if result.valid {
        result.payload = Some(normalized(payload, to));
    }
    result
}

/// The verdict without the normalized payload, and the canonical recipient.
fn check(payload: &Value, options: &Options) -> (ValidationResult, Option<String>) {
    let Value::Object(obj) = payload else {
        let result = ValidationResult::invalid_json(format!(
            "payload must be a json object, not {}",
            kind(payload)
        ));
        return (result, None);
    };
    let mut c = Ctx::new();
    let region = options
        .default_region
        .as_deref()
        .map(str::to_ascii_uppercase);
    if let Some(r) = region.as_deref() {
        if !phone::is_region(r) {
            c.error(
                Code::InvalidEnum,
                format!("default region \"{r}\" is not a region of the phone metadata"),
            );
        }
    }
    let region = region.filter(|r| phone::is_region(r));
    let ty = obj
        .get("type")
        .and_then(Value::as_str)
        .filter(|t| TYPES.contains(t));
    let mut canonical_to: Option<String> = None;
    for (k, v) in obj {
        if !ENVELOPE.contains(&k.as_str()) {
            c.unknown(k, &ENVELOPE);
            continue;
        }
        if v.is_null() {
            continue;
        }
        c.key(k, |c| match k.as_str() {
            "to" => canonical_to = recipient(c, v, region.as_deref()),
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
                if let Some(s) = c.text(v, "whatsapp_account", 1, 128) {
                    if s.chars().any(char::is_whitespace) && !s.trim().is_empty() {
                        c.error(Code::InvalidFormat, "whatsapp_account contains whitespace");
                    }
                }
            }
            "context" => other::context(c, v),
            "biz_opaque_callback_data" => {
                c.text(v, "biz_opaque_callback_data", 0, 512);
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
    c.require(obj, &["to", "type"], "a message");
    if let Some(t) = ty {
        c.require(obj, &[t], &format!("a message of type `{t}`"));
        if t == "reaction" && ctx::has(obj, "context") {
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
    (result, canonical_to)
}

fn message_body(c: &mut Ctx, body: &str, v: &Value, options: &Options) {
    match body {
        "text" => {
            c.text(v, "text", 1, 4096);
        }
        "image" | "video" | "document" | "audio" | "sticker" => media::message(c, body, v),
        "interactive" => interactive::interactive(c, v),
        "template" => template::template(c, v, options.template.as_ref()),
        "location" => other::location(c, v),
        "contacts" => other::contacts(c, v),
        "reaction" => other::reaction(c, v),
        _ => unreachable!("ENVELOPE lists every body"),
    }
}

/// Checks `to`; returns the canonical form when valid.
fn recipient(c: &mut Ctx, v: &Value, region: Option<&str>) -> Option<String> {
    let s = match v {
        Value::String(s) => s,
        Value::Number(_) => {
            c.error(
                Code::WrongType,
                "phone number must be a string (a json number loses leading zeros and the +)",
            );
            return None;
        }
        _ => {
            c.wrong_type("to", "a string", v);
            return None;
        }
    };
    if s.trim().is_empty() {
        c.error(Code::Empty, "phone number is empty");
        return None;
    }
    let check = phone::check(s, region);
    if let Some(e) = check.error {
        match (e.limit, e.actual) {
            (Some(limit), Some(actual)) => c.limit(e.code, e.message, limit, actual, Unit::Digits),
            _ => {
                c.error(e.code, e.message);
            }
        }
    }
    for w in check.warnings {
        c.warn(w.code, w.message);
    }
    check.canonical
}

/// The payload to send: `null` fields dropped, the canonical recipient in `to`.
fn normalized(mut payload: Value, to: Option<String>) -> Value {
    strip_nulls(&mut payload);
    if let (Some(to), Value::Object(obj)) = (to, &mut payload) {
        obj.insert("to", Value::String(to));
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
