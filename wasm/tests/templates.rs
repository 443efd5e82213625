//! The template model's vectors through the wasm exports, in Node and in headless
//! Chromium (`WASM_BINDGEN_USE_BROWSER=1`).
#![cfg(target_arch = "wasm32")]

use wasend::json::{parse, Value};
use wasend_wasm::{fill_template, template_fields};
use wasm_bindgen_test::wasm_bindgen_test;

fn cases(text: &str) -> Vec<Value> {
    parse(text.as_bytes()).expect("json")["cases"]
        .as_array()
        .expect("cases")
        .clone()
}

#[wasm_bindgen_test]
fn template_fields_vectors() {
    for case in cases(include_str!("../../tests/vectors/templates/fields.json")) {
        let name = case["name"].as_str().unwrap_or("?").to_owned();
        let got = parse(
            template_fields(&case["definition"].to_json())
                .expect("fields")
                .as_bytes(),
        )
        .expect("json");
        assert_eq!(got["sendable"], case["expect"]["sendable"], "{name}");
        let keys = |v: &Value| -> Vec<String> {
            v.as_array()
                .expect("fields")
                .iter()
                .map(|f| f["key"].as_str().unwrap_or("").to_owned())
                .collect()
        };
        assert_eq!(
            keys(&got["fields"]),
            keys(&case["expect"]["fields"]),
            "{name}"
        );
    }
}

#[wasm_bindgen_test]
fn fill_template_vectors() {
    for case in cases(include_str!("../../tests/vectors/templates/fill.json")) {
        let name = case["name"].as_str().unwrap_or("?").to_owned();
        let options = case.get("options").map(Value::to_json);
        let got = fill_template(
            &case["definition"].to_json(),
            &case["values"].to_json(),
            options,
        )
        .expect("filled");
        let got = parse(got.as_bytes()).expect("json");
        assert_eq!(got["valid"], case["expect"]["valid"], "{name}");
        if let Some(p) = case["expect"].get("payload") {
            assert_eq!(&got["payload"], p, "{name}");
        }
        let codes = |v: &Value| -> Vec<String> {
            let mut k: Vec<String> = v
                .as_array()
                .expect("errors")
                .iter()
                .map(|e| {
                    format!(
                        "{} {}",
                        e["field"].as_str().unwrap_or("-"),
                        e["code"].as_str().unwrap_or("")
                    )
                })
                .collect();
            k.sort();
            k
        };
        assert_eq!(
            codes(&got["errors"]),
            codes(&case["expect"]["errors"]),
            "{name}"
        );
    }
}
