//! wasend's core for JavaScript (the npm package's WebAssembly).
//!
//! Thin on purpose: strings in, the core, strings out. Payloads and results
//! cross the boundary as JSON text, which `JSON.stringify`/`JSON.parse` handle
//! natively on the JavaScript side (`pkg/api.js`); BENCHMARKS.md has the
//! measurement against serde-wasm-bindgen and direct `js_sys` reads that made
//! this choice. No rule lives here. The send client is another module
//! (`wasm/client`), so a page that only validates downloads none of it.

#[cfg(feature = "bench-boundary")]
mod boundary;

use wasend::json::{self, Value};
use wasend::{
    normalize_items, normalize_json, phone, status, template, Normalized, Options,
    TemplateDefinition, ValidationResult,
};
use wasm_bindgen::prelude::*;

/// Options from their JSON text (`undefined` means none). Bad options are the
/// caller's mistake, not the payload's: they throw a `TypeError`.
pub(crate) fn options(json: Option<String>) -> Result<Options, JsValue> {
    let Some(text) = json else {
        return Ok(Options::default());
    };
    let value = json::parse(text.as_bytes())
        .map_err(|e| type_error(&format!("options are not json: {e}")))?;
    Options::from_value(&value).map_err(|e| type_error(e.message()))
}

/// The region option of the phone exports, refused as the validator's options
/// refuse it (one message, one `TypeError`).
fn region(default_region: Option<String>) -> Result<Option<&'static str>, JsValue> {
    match default_region {
        None => Ok(None),
        Some(r) => Options::default()
            .default_region(&r)
            .map(|o| o.region())
            .map_err(|e| type_error(e.message())),
    }
}

pub(crate) fn type_error(message: &str) -> JsValue {
    js_sys::TypeError::new(message).into()
}

/// Writes a result as it crosses to JavaScript (`api.js`'s `results` reads it):
/// the normalized payload's JSON text, a newline, then the verdict's. Compact
/// JSON holds no raw newline, so the newline splits them unambiguously. The
/// payload part is empty when there is no payload (the payload is invalid) and,
/// for one payload given as text, `=` when the core found the text already is
/// the normalized payload ([`write_normalized`]); the verdict part is empty for a
/// valid result without issues. JavaScript then parses the payload only when it
/// is read, and the usual verdict not at all (BENCHMARKS.md measures this
/// against one JSON text for the whole result).
fn write_crossing(out: &mut String, r: &ValidationResult) {
    if let Some(p) = &r.payload {
        p.write_json(out);
    }
    write_verdict_line(out, r);
}

/// [`write_crossing`] for a payload read from text: `=` when `input_known` (the
/// JavaScript side holds the input) and the core found the input already is the
/// normalized text; else the text, copied from the input when it is the input
/// (a list's line), written from the tree otherwise.
fn write_normalized(out: &mut String, n: &Normalized<'_>, input_known: bool) {
    if input_known && n.is_input() {
        out.push('=');
    } else {
        n.write_text(out);
    }
    write_verdict_line(out, &n.result);
}

fn write_verdict_line(out: &mut String, r: &ValidationResult) {
    out.push('\n');
    if !r.is_clean() {
        r.write_verdict(out);
    }
}

/// Validates one payload given as JSON text; the result crosses as
/// [`write_crossing`] writes it.
#[wasm_bindgen(js_name = validateJson)]
pub fn validate_json_text(json: &str, options_json: Option<String>) -> Result<String, JsValue> {
    let opts = options(options_json)?;
    let mut out = String::with_capacity(64);
    write_normalized(&mut out, &normalize_json(json.as_bytes(), &opts), true);
    Ok(out)
}

/// Validates a JSON array of payloads, or NDJSON (one payload a line); the
/// results cross one after another, each as [`write_crossing`] writes it
/// (never `=`), joined by newlines: the empty string for no payload. The input
/// crosses as UTF-8 bytes (`TextEncoder`'s): wasm-bindgen copies a string
/// character by character in JavaScript, 60 ms for 15 MB (BENCHMARKS.md);
/// each payload's bytes are checked as UTF-8 where it is read.
#[wasm_bindgen(js_name = validateMany)]
pub fn validate_many(input: &[u8], options_json: Option<String>) -> Result<String, JsValue> {
    let opts = options(options_json)?;
    let mut out = String::with_capacity(input.len() + input.len() / 8 + 16);
    let next = |out: &mut String| {
        if !out.is_empty() {
            out.push('\n');
        }
    };
    if starts_array(input) {
        // Read once as a tape; each item's text is written from it.
        let read = normalize_items(input, &opts, |result, text| {
            next(&mut out);
            out.push_str(text.as_deref().unwrap_or_default());
            write_verdict_line(&mut out, &result);
        });
        // A list that is not JSON has no payloads to count: one result says why.
        if let Err(result) = read {
            next(&mut out);
            write_crossing(&mut out, &result);
        }
    } else {
        for line in input.split(|&b| b == b'\n') {
            let line = line.strip_suffix(b"\r").unwrap_or(line);
            if !is_blank(line) {
                next(&mut out);
                write_normalized(&mut out, &normalize_json(line, &opts), false);
            }
        }
    }
    Ok(out)
}

/// `char::is_whitespace` over ASCII, the one place it is asked of bytes.
fn ascii_space(b: u8) -> bool {
    matches!(b, b'\t'..=b'\r' | b' ')
}

/// `str::trim` leaves nothing: blank as a text line is (other Unicode spaces
/// included), read as text only when a byte past ASCII's spaces is not ASCII.
fn is_blank(line: &[u8]) -> bool {
    match line.iter().find(|&&b| !ascii_space(b)) {
        None => true,
        Some(b) if b.is_ascii() => false,
        Some(_) => std::str::from_utf8(line).is_ok_and(|l| l.trim().is_empty()),
    }
}

/// The input's first character after whitespace is `[`: a JSON array.
fn starts_array(input: &[u8]) -> bool {
    match input.iter().find(|&&b| !ascii_space(b)) {
        Some(b) if b.is_ascii() => *b == b'[',
        Some(_) => std::str::from_utf8(input).is_ok_and(|t| t.trim_start().starts_with('[')),
        None => false,
    }
}

/// `createClient`'s options (JSON text, a `fetch` function left out) checked and
/// completed by the core, as JSON text for the client module; a bad option is a
/// `TypeError`, thrown before the client module is loaded.
#[wasm_bindgen(js_name = clientOptions)]
pub fn client_options(options_json: &str) -> Result<String, JsValue> {
    let value = json::parse(options_json.as_bytes())
        .map_err(|_| type_error("createClient needs an options object with baseUrl and token"))?;
    wasend::client::client_options(&value)
        .map(|v| v.to_json())
        .map_err(|e| type_error(e.message()))
}

/// A payload about to be sent: its normalized JSON text when it is valid (what
/// the client module sends), else `!` and `{"message", "errors"}` (the send
/// client's refusal, nothing sent). Bad options are a `TypeError`.
#[wasm_bindgen(js_name = validateForSend)]
pub fn validate_for_send(json: &str, options_json: Option<String>) -> Result<String, JsValue> {
    let opts = options(options_json)?;
    let normalized = normalize_json(json.as_bytes(), &opts);
    let mut out = String::from("!");
    if normalized.result.write_refusal(&mut out) {
        return Ok(out);
    }
    Ok(normalized.text().map(Into::into).unwrap_or_default())
}

/// A phone number's verdict: `{valid, e164?, region?, type?, errors, warnings}`,
/// the core's `phone::Verdict` as every face writes it.
#[wasm_bindgen(js_name = normalizePhone)]
pub fn normalize_phone(input: &str, default_region: Option<String>) -> Result<String, JsValue> {
    Ok(phone::check(input, region(default_region)?)
        .to_value()
        .to_json())
}

/// Is the number valid (as `normalizePhone(…).valid`)? A boolean only, for bulk
/// checks where the verdict's details are not needed.
#[wasm_bindgen(js_name = isValidPhone)]
pub fn is_valid_phone(input: &str, default_region: Option<String>) -> Result<bool, JsValue> {
    Ok(phone::is_valid(input, region(default_region)?))
}

/// Many verdicts in one crossing: `inputs` is the numbers joined by newlines;
/// the answer has one byte (1 valid, 0 not) a number.
#[wasm_bindgen(js_name = isValidPhoneMany)]
pub fn is_valid_phone_many(
    inputs: &str,
    default_region: Option<String>,
) -> Result<Vec<u8>, JsValue> {
    let region = region(default_region)?;
    Ok(inputs
        .split('\n')
        .map(|n| u8::from(phone::is_valid(n, region)))
        .collect())
}

/// The region the options name, read and checked as `validate` reads them (a
/// `TypeError` for an unknown option, a wrong type, an unknown region): for the
/// phone exports when their options are more than a region string.
#[wasm_bindgen(js_name = optionsRegion)]
pub fn options_region(options_json: Option<String>) -> Result<Option<String>, JsValue> {
    Ok(options(options_json)?.region().map(str::to_owned))
}

/// The status order: `{"order": ["sent", "delivered", "read"], "failed": "failed"}`.
#[wasm_bindgen(js_name = statusOrder)]
pub fn status_order() -> String {
    status::order_value().to_json()
}

/// Has a message whose status is `current` reached `target`? An unknown
/// `target` is a `TypeError`; an unknown `current` has reached nothing.
#[wasm_bindgen(js_name = statusReached)]
pub fn status_reached(current: &str, target: &str) -> Result<bool, JsValue> {
    let Some(target) = status::Status::parse(target) else {
        let names: Vec<&str> = status::ORDER
            .iter()
            .chain([&status::Status::Failed])
            .map(|s| s.as_str())
            .collect();
        return Err(type_error(&format!(
            "status {target:?} is not one of: {}",
            names.join(", ")
        )));
    };
    Ok(status::Status::parse(current).is_some_and(|c| status::reached(c, target)))
}

/// Every RULES.md limit, as JSON text: `[{pointer, min, max?, unit, of?, when?}]`.
#[wasm_bindgen(js_name = limits)]
pub fn limits() -> String {
    wasend::limits::limits_value().to_json()
}

/// The limit that applies at `path` (a JSON Pointer) of the payload given as
/// JSON text, as JSON text (`null` when none does): a form's counter.
#[wasm_bindgen(js_name = limitAt)]
pub fn limit_at(payload_json: &str, path: &str) -> String {
    let payload = json::parse(payload_json.as_bytes()).unwrap_or_default();
    wasend::limits::limit_at(&payload, path)
        .map_or_else(|| "null".to_owned(), |l| l.to_value().to_json())
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

/// A payload in Meta's Cloud API format, as JSON text `{"body", "account"?}`
/// (`wasend::meta::to_meta`: nothing checked; validate first).
#[wasm_bindgen(js_name = toMeta)]
pub fn to_meta(payload_json: &str) -> String {
    let payload = json::parse(payload_json.as_bytes()).unwrap_or_default();
    let meta = wasend::meta::to_meta(&payload);
    let mut out = json::Map::new();
    out.insert("body", meta.body);
    if let Some(a) = meta.account {
        out.insert("account", Value::from(a.as_str()));
    }
    Value::Object(out).to_json()
}

/// Meta's format to the provider's, as JSON text (`wasend::meta::from_meta`).
#[wasm_bindgen(js_name = fromMeta)]
// wasm-bindgen hands optional strings over by value only.
#[allow(clippy::needless_pass_by_value)]
pub fn from_meta(body_json: &str, account: Option<String>) -> String {
    let body = json::parse(body_json.as_bytes()).unwrap_or_default();
    wasend::meta::from_meta(&body, account.as_deref()).to_json()
}

fn definition(json_text: &str) -> Result<TemplateDefinition, JsValue> {
    TemplateDefinition::from_json(json_text.as_bytes()).map_err(|e| type_error(&e))
}

/// Every input an approved template needs, as JSON text: `{name, language,
/// category?, status?, sendable, not_sendable?, fields: [...]}`. A definition that
/// is not one is a `TypeError`.
#[wasm_bindgen(js_name = templateFields)]
pub fn template_fields(definition_json: &str) -> Result<String, JsValue> {
    Ok(template::template_fields(&definition(definition_json)?)
        .to_value()
        .to_json())
}

/// A payload for the template from values by key (and `to`), validated against
/// it, as JSON text: `{valid, errors, warnings, payload?}`, each issue with its
/// `field`. Values that are not a JSON object, or a bad definition or options,
/// are a `TypeError`.
#[wasm_bindgen(js_name = fillTemplate)]
pub fn fill_template(
    definition_json: &str,
    values_json: &str,
    options_json: Option<String>,
) -> Result<String, JsValue> {
    let def = definition(definition_json)?;
    let opts = options(options_json)?;
    let values = json::parse(values_json.as_bytes())
        .ok()
        .and_then(|v| match v {
            Value::Object(m) => Some(m),
            _ => None,
        })
        .ok_or_else(|| type_error("template values must be an object of values by key"))?;
    Ok(template::fill_template(&def, &values, &opts)
        .to_value()
        .to_json())
}

/// Which of `definitions` (a JSON array) a template payload names, by the core's
/// lookup, as JSON text: `{"found": index}`, `{"languages": [...]}` (the name in
/// other languages), `{"nearest": name?}`, or `null` for a payload that names none.
#[wasm_bindgen(js_name = lookupTemplate)]
pub fn lookup_template(definitions_json: &str, payload_json: &str) -> Result<String, JsValue> {
    let list = json::parse(definitions_json.as_bytes())
        .ok()
        .and_then(|v| match v {
            Value::Array(a) => Some(a),
            _ => None,
        })
        .ok_or_else(|| type_error("definitions must be an array of template definitions"))?;
    // Each kept with its place in the caller's list, so the answer can name it.
    let read: Vec<(usize, TemplateDefinition)> = list
        .iter()
        .enumerate()
        .filter_map(|(i, d)| TemplateDefinition::from_value(d).ok().map(|d| (i, d)))
        .collect();
    let defs: Vec<TemplateDefinition> = read.iter().map(|(_, d)| d.clone()).collect();
    let payload = json::parse(payload_json.as_bytes()).unwrap_or_default();
    let Some((name, language)) = template::named_in(&payload) else {
        return Ok("null".into());
    };
    let mut m = json::Map::new();
    match template::lookup(&defs, name, language) {
        template::Lookup::Found(d) => {
            let at = defs.iter().position(|x| std::ptr::eq(x, d)).unwrap_or(0);
            m.insert("found", Value::Number(read[at].0.into()));
        }
        template::Lookup::OtherLanguages(l) => {
            m.insert(
                "languages",
                Value::Array(l.into_iter().map(Value::from).collect()),
            );
        }
        template::Lookup::NotFound { nearest } => {
            m.insert("nearest", nearest.map_or(Value::Null, Value::from));
        }
    }
    Ok(Value::Object(m).to_json())
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
