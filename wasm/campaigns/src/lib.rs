//! wasend's campaign lists for JavaScript (`wasend/campaigns`): a list prepared
//! for an approved template (every row filled and validated by the core), a
//! list's cells as read, and the failure classes' table. A module of its own, so
//! that the validation module a page loads carries none of it (BENCHMARKS.md:
//! 32.8 KB gzip); it holds the core it needs, and no rule of its own.

use wasend::json::{self, Value};
use wasend::TemplateDefinition;
use wasm_bindgen::prelude::*;

fn type_error(message: &str) -> JsValue {
    js_sys::TypeError::new(message).into()
}

fn definition(json_text: &str) -> Result<TemplateDefinition, JsValue> {
    TemplateDefinition::from_json(json_text.as_bytes()).map_err(|e| type_error(&e))
}

/// A campaign's list prepared for a template: every row's outcome and payload,
/// every problem by row and column, as `campaign::Prepared::to_json_payloads_apart`
/// writes it (the JSON text without the ready rows' payloads, then each payload's
/// text on a line of its own, in row order; `js/campaigns-api.js` puts them back,
/// parsed when read). `list` is CSV, a JSON array of row objects or NDJSON; bad
/// options or a bad definition are a `TypeError`, a bad list is an issue of the result.
/// The list crosses as UTF-8 bytes (`TextEncoder`'s; see [`text`]).
#[wasm_bindgen(js_name = prepareCampaign)]
pub fn prepare_campaign(
    list: &[u8],
    definition_json: &str,
    options_json: Option<String>,
) -> Result<String, JsValue> {
    let (def, options) = inputs(definition_json, options_json)?;
    let (mut json, payloads) =
        wasend::campaign::prepare(text(list)?, &def, &options).to_json_payloads_apart();
    json.push_str(&payloads);
    Ok(json)
}

/// `prepareCampaign` and `readCampaignList` from one reading of the list: JSON text
/// `{"prepared", "cells"}` then the payloads' lines, as `prepareCampaign` gives them:
/// for a page that shows the cells beside the verdicts.
#[wasm_bindgen(js_name = prepareCampaignShown)]
pub fn prepare_campaign_shown(
    list: &[u8],
    definition_json: &str,
    options_json: Option<String>,
) -> Result<String, JsValue> {
    let (def, options) = inputs(definition_json, options_json)?;
    let (prepared, cells) = wasend::campaign::prepare_shown(text(list)?, &def, &options);
    let (json, payloads) = prepared.to_json_payloads_apart();
    Ok(format!(
        "{{\"prepared\":{json},\"cells\":{}}}{payloads}",
        cells.to_json()
    ))
}

/// A list as text. It crosses as bytes: wasm-bindgen copies a string character
/// by character in JavaScript (60 ms for a list of 15 MB, BENCHMARKS.md), where
/// `TextEncoder` takes a few; what it writes is always UTF-8.
fn text(list: &[u8]) -> Result<&str, JsValue> {
    std::str::from_utf8(list).map_err(|_| type_error("the list is not utf-8 text"))
}

/// A list's template and options, each read or a `TypeError`.
fn inputs(
    definition_json: &str,
    options_json: Option<String>,
) -> Result<(TemplateDefinition, wasend::campaign::ListOptions), JsValue> {
    Ok((definition(definition_json)?, list_options(options_json)?))
}

fn list_options(options_json: Option<String>) -> Result<wasend::campaign::ListOptions, JsValue> {
    match options_json {
        None => Ok(wasend::campaign::ListOptions::default()),
        Some(text) => {
            let value = json::parse(text.as_bytes())
                .map_err(|e| type_error(&format!("options are not json: {e}")))?;
            wasend::campaign::ListOptions::from_value(&value).map_err(|e| type_error(e.message()))
        }
    }
}

/// A list's cells as the core reads them, as JSON text: `{columns, rows: [{line?,
/// cells}]}`, or `{error}` when the text is no list (what a page shows beside
/// `prepareCampaign`'s verdicts).
#[wasm_bindgen(js_name = readCampaignList)]
pub fn read_campaign_list(list: &[u8]) -> Result<String, JsValue> {
    Ok(wasend::campaign::read_list(text(list)?).to_json())
}

/// The failure classes' table (`wasend::failures`), as JSON text.
#[wasm_bindgen(js_name = failureClasses)]
pub fn failure_classes() -> String {
    wasend::failures::failures_value().to_json()
}

/// The class of a failed answer (its HTTP status, the Worker's `code`, the
/// message with Meta's code in it), as JSON text: its line of the table (the last,
/// `permanent`, when no other names it).
#[wasm_bindgen(js_name = classifyFailure)]
// wasm-bindgen hands optional strings over by value only.
#[allow(clippy::needless_pass_by_value)]
pub fn classify_failure(
    status: Option<u16>,
    code: Option<String>,
    message: Option<String>,
) -> String {
    let line = wasend::failures::line_for(status, code.as_deref(), message.as_deref());
    let i = wasend::failures::FAILURES
        .iter()
        .position(|x| std::ptr::eq(x, line))
        .unwrap_or(0);
    wasend::failures::failures_value()
        .as_array()
        .and_then(|t| t.get(i))
        .map_or_else(|| "null".to_owned(), Value::to_json)
}

// The memory grows by an eighth of itself, not a page at a time (wasm/alloc).
#[cfg(target_arch = "wasm32")]
#[global_allocator]
static ALLOCATOR: wasend_alloc::Allocator = wasend_alloc::Allocator::new();
