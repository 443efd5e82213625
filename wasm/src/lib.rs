//! wasend's core for JavaScript (the npm package's WebAssembly).
//!
//! Thin on purpose: strings in, the core, strings out. Payloads and results
//! cross the boundary as JSON text, which `JSON.stringify`/`JSON.parse` handle
//! natively on the JavaScript side (`pkg/api.js`); BENCHMARKS.md has the
//! measurement against serde-wasm-bindgen and direct `js_sys` reads that made
//! this choice. No rule lives here.

#[cfg(feature = "bench-boundary")]
mod boundary;
mod client;

use wasend::json::{self, Value};
use wasend::{
    phone, template, validate_json, validate_owned, Options, TemplateDefinition, ValidationResult,
};
use wasm_bindgen::prelude::*;

pub use client::{create_client, Client};

/// Options from their JSON text (`undefined` means none). Bad options are the
/// caller's mistake, not the payload's: they throw a `TypeError`.
pub(crate) fn options(json: Option<String>) -> Result<Options, JsValue> {
    let Some(text) = json else {
        return Ok(Options::default());
    };
    let value = json::parse(text.as_bytes())
        .map_err(|e| type_error(&format!("options are not json: {e}")))?;
    Options::from_value(&value).map_err(|e| type_error(&e))
}

pub(crate) fn type_error(message: &str) -> JsValue {
    js_sys::TypeError::new(message).into()
}

/// Validates one payload given as JSON text; returns the result as JSON text.
#[wasm_bindgen(js_name = validateJson)]
pub fn validate_json_text(json: &str, options_json: Option<String>) -> Result<String, JsValue> {
    let opts = options(options_json)?;
    Ok(validate_json(json.as_bytes(), &opts).to_json())
}

/// Validates a JSON array of payloads, or NDJSON (one payload a line); returns a
/// JSON array with one result per payload, in order.
#[wasm_bindgen(js_name = validateMany)]
pub fn validate_many(input: &str, options_json: Option<String>) -> Result<String, JsValue> {
    let opts = options(options_json)?;
    let mut out = String::with_capacity(input.len() / 2 + 16);
    out.push('[');
    let mut push = |r: &ValidationResult| {
        if out.len() > 1 {
            out.push(',');
        }
        r.write_json(&mut out);
    };
    if input.trim_start().starts_with('[') {
        match json::parse(input.as_bytes()) {
            Ok(Value::Array(items)) => items
                .into_iter()
                .for_each(|v| push(&validate_owned(v, &opts))),
            // A list that is not JSON has no payloads to count: one result says why.
            _ => push(&validate_json(input.as_bytes(), &opts)),
        }
    } else {
        for line in input.lines().filter(|l| !l.trim().is_empty()) {
            push(&validate_json(line.as_bytes(), &opts));
        }
    }
    out.push(']');
    Ok(out)
}

/// A phone number's verdict: `{valid, e164?, region?, type?, error?, warnings}`.
#[wasm_bindgen(js_name = normalizePhone)]
pub fn normalize_phone(input: &str, default_region: Option<String>) -> Result<String, JsValue> {
    let region = default_region.map(|r| r.to_ascii_uppercase());
    if let Some(r) = region.as_deref() {
        if !phone::is_region(r) {
            return Err(type_error(&format!(
                "defaultRegion {r:?} is not a region (use an iso 3166-1 alpha-2 code like IN)"
            )));
        }
    }
    let check = phone::check(input, region.as_deref());
    let mut out = Value::Object(json::Map::new());
    let m = out.as_object_mut().expect("just made an object");
    m.insert("valid", Value::Bool(check.error.is_none()));
    if let Some(c) = check.canonical {
        m.insert("e164", Value::String(c));
    }
    if let Some(r) = check.region {
        m.insert("region", Value::from(r));
    }
    if let Some(t) = check.number_type {
        m.insert("type", Value::from(t.as_str()));
    }
    let issue = |i: &phone::PhoneIssue| {
        let mut o = json::Map::new();
        o.insert("code", Value::from(i.code.as_str()));
        o.insert("message", Value::from(i.message.as_str()));
        if let (Some(l), Some(a)) = (i.limit, i.actual) {
            o.insert("limit", Value::Number(l.into()));
            o.insert("actual", Value::Number(a.into()));
            o.insert("unit", Value::from("digits"));
        }
        Value::Object(o)
    };
    if let Some(e) = &check.error {
        m.insert("error", issue(e));
    }
    m.insert(
        "warnings",
        Value::Array(check.warnings.iter().map(issue).collect()),
    );
    Ok(out.to_json())
}

/// Is the number valid (as `normalizePhone(…).valid`)? A boolean only, for bulk
/// checks where the verdict's details are not needed.
#[wasm_bindgen(js_name = isValidPhone)]
pub fn is_valid_phone(input: &str, default_region: Option<String>) -> bool {
    phone::is_valid(input, known_region(default_region).as_deref())
}

/// The region in the metadata's spelling; an unknown one reads as none (so that
/// the verdict, not an exception, says the national number cannot be read).
fn known_region(default_region: Option<String>) -> Option<String> {
    default_region
        .map(|r| r.to_ascii_uppercase())
        .filter(|r| phone::is_region(r))
}

/// Many verdicts in one crossing: `inputs` is the numbers joined by newlines;
/// the answer has one byte (1 valid, 0 not) a number.
#[wasm_bindgen(js_name = isValidPhoneMany)]
pub fn is_valid_phone_many(inputs: &str, default_region: Option<String>) -> Vec<u8> {
    let region = known_region(default_region);
    inputs
        .split('\n')
        .map(|n| u8::from(phone::is_valid(n, region.as_deref())))
        .collect()
}

/// The message as the recipient will read it, as JSON text (`null` when the
/// payload has no known type).
#[wasm_bindgen(js_name = preview)]
pub fn preview_json(
    payload_json: &str,
    definition_json: Option<String>,
) -> Result<String, JsValue> {
    let definition = match definition_json {
        Some(d) => Some(TemplateDefinition::from_json(d.as_bytes()).map_err(|e| type_error(&e))?),
        None => None,
    };
    let payload = json::parse(payload_json.as_bytes()).unwrap_or_default();
    Ok(template::preview(&payload, definition.as_ref())
        .map_or_else(|| "null".to_owned(), |r| r.to_value().to_json()))
}

/// Every region of the phone metadata with its calling code, sorted, as JSON text:
/// `[{"region":"IN","callingCode":"91"},…]`.
#[wasm_bindgen(js_name = regions)]
pub fn regions() -> String {
    let list = phone::regions().map(|r| {
        let mut m = json::Map::new();
        m.insert("region", Value::from(r));
        m.insert(
            "callingCode",
            Value::from(phone::calling_code(r).unwrap_or_default()),
        );
        Value::Object(m)
    });
    Value::Array(list.collect()).to_json()
}

/// The libphonenumber metadata release the module carries.
#[wasm_bindgen(js_name = metadataVersion)]
pub fn metadata_version() -> String {
    phone::METADATA_VERSION.to_owned()
}
