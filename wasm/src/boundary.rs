//! The boundary alternatives BENCHMARKS.md compares with JSON text, built only
//! with `--features bench-boundary`: the published module has none of this.

use wasend::json::{Map, Number, Value};
use wasend::{validate, Options};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// serde-wasm-bindgen both ways: JS object in, JS object out.
#[wasm_bindgen(js_name = validateSwb)]
pub fn validate_swb(payload: JsValue) -> Result<JsValue, JsValue> {
    let v: Value = serde_wasm_bindgen::from_value(payload)?;
    let result = validate(&v, &Options::default());
    Ok(serde_wasm_bindgen::to_value(&result)?)
}

fn read(v: &JsValue) -> Value {
    if let Some(s) = v.as_string() {
        return Value::String(s);
    }
    if let Some(n) = v.as_f64() {
        return Number::from_f64(n).map_or(Value::Null, Value::Number);
    }
    if let Some(b) = v.as_bool() {
        return Value::Bool(b);
    }
    if let Some(a) = v.dyn_ref::<js_sys::Array>() {
        return Value::Array(a.iter().map(|x| read(&x)).collect());
    }
    if v.is_object() {
        let obj: &js_sys::Object = v.unchecked_ref();
        let mut m = Map::new();
        for key in js_sys::Object::keys(obj).iter() {
            let k = key.as_string().unwrap_or_default();
            let x = js_sys::Reflect::get(obj, &key).unwrap_or(JsValue::UNDEFINED);
            if !x.is_undefined() {
                m.insert(k, read(&x));
            }
        }
        return Value::Object(m);
    }
    Value::Null
}

/// Direct `js_sys` reads in, JSON text out.
#[wasm_bindgen(js_name = validateReflect)]
pub fn validate_reflect(payload: &JsValue) -> String {
    validate(&read(payload), &Options::default()).to_json()
}

/// The crossing before the lazy payload: the whole result as one JSON text,
/// which JavaScript parses in full.
#[wasm_bindgen(js_name = validateWhole)]
pub fn validate_whole(json: &str) -> String {
    wasend::validate_json(json.as_bytes(), &Options::default()).to_json()
}
