//! The shared vector set through the wasm exports, under wasm-bindgen-test: in
//! Node by default, in headless Chromium with `WASM_BINDGEN_USE_BROWSER=1`.
#![cfg(target_arch = "wasm32")]

use wasend::json::{parse, Value};
use wasend_wasm::{normalize_phone, validate_json_text, validate_many};
use wasm_bindgen_test::wasm_bindgen_test;

macro_rules! vector_files {
    ($($name:literal),*) => {
        [$(($name, include_str!(concat!("../../tests/vectors/", $name, ".json")))),*]
    };
}

// `tests/vectors.rs` checks that this list names every file of the set.
const FILES: [(&str, &str); 12] = vector_files!(
    "envelope",
    "text",
    "media",
    "interactive_buttons",
    "interactive_list",
    "interactive_other",
    "location_contacts_reaction",
    "template",
    "template_definition",
    "phone",
    "several_errors",
    "real_world"
);

/// One result from its crossing (`write_crossing`): the payload part, a newline,
/// the verdict part; `=` is the input itself, an empty verdict a clean one.
fn result(payload: &str, verdict: &str, input: &str) -> Value {
    let mut got = if verdict.is_empty() {
        parse(br#"{"valid":true,"errors":[],"warnings":[]}"#).expect("json")
    } else {
        parse(verdict.as_bytes()).expect("verdict is json")
    };
    let payload = if payload == "=" { input } else { payload };
    if let (false, Value::Object(m)) = (payload.is_empty(), &mut got) {
        m.insert(
            "payload",
            parse(payload.as_bytes()).expect("payload is json"),
        );
    }
    got
}

fn results(many: &str) -> Vec<Value> {
    let parts: Vec<&str> = many.split('\n').collect();
    assert_eq!(parts.len() % 2, 0, "payload and verdict pairs: {many}");
    parts.chunks(2).map(|p| result(p[0], p[1], "")).collect()
}

fn keys(issues: &Value) -> Vec<String> {
    let mut k: Vec<String> = issues
        .as_array()
        .map(|a| {
            a.iter()
                .map(|i| {
                    format!(
                        "{} {}",
                        i["code"].as_str().unwrap_or("?"),
                        i["path"].as_str().unwrap_or("?")
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    k.sort();
    k
}

#[wasm_bindgen_test]
fn every_vector_through_the_wasm_exports() {
    let mut n = 0;
    let mut failures = Vec::new();
    for (file, text) in FILES {
        let doc = parse(text.as_bytes()).expect("vector file");
        for case in doc["cases"].as_array().expect("cases") {
            n += 1;
            let input = match &case["input_json"] {
                Value::String(raw) => raw.clone(),
                _ => case["input"].to_json(),
            };
            let options = (!case["options"].is_null()).then(|| case["options"].to_json());
            let out = validate_json_text(&input, options)
                .unwrap_or_else(|_| panic!("{file}: options throw"));
            let (payload, verdict) = out.rsplit_once('\n').expect("two parts");
            let got = result(payload, verdict, &input);
            let exp = &case["expect"];
            let same = got["valid"] == exp["valid"]
                && keys(&got["errors"]) == keys(&exp["errors"])
                && keys(&got["warnings"]) == keys(&exp["warnings"])
                && (exp["payload"].is_null() || got["payload"] == exp["payload"]);
            if !same {
                failures.push(format!(
                    "{file}: {}: {out}",
                    case["name"].as_str().unwrap_or("?")
                ));
            }
        }
    }
    assert!(n >= 250, "{n} vectors");
    assert!(
        failures.is_empty(),
        "{} failing:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[wasm_bindgen_test]
fn bulk_and_phone_exports() {
    let many = validate_many(
        b"[{\"to\":\"+919876543210\",\"type\":\"text\",\"text\":\"hi\"},1]",
        None,
    )
    .expect("many");
    let v = results(&many);
    assert_eq!(v.len(), 2);
    assert_eq!(v[0]["valid"], Value::Bool(true));
    assert_eq!(v[0]["payload"]["text"], "hi");
    assert_eq!(v[1]["valid"], Value::Bool(false));
    assert!(v[1]["payload"].is_null());
    assert_eq!(validate_many(b"\n\n", None).expect("many"), "");
    // NDJSON's lines as text reads them: a CRLF ends one, a line of spaces (any
    // of Unicode's) is none.
    let text = |t: &str| format!("{{\"to\":\"+919876543210\",\"type\":\"text\",\"text\":\"{t}\"}}");
    let ndjson = format!("{}\r\n\u{3000}\r\n\u{b}\n \t\n{}\n", text("a"), text("b"));
    let v = results(&validate_many(ndjson.as_bytes(), None).expect("many"));
    assert_eq!(v.len(), 2);
    assert_eq!(
        (&v[0]["payload"]["text"], &v[1]["payload"]["text"]),
        (&Value::from("a"), &Value::from("b"))
    );
    let phone = parse(
        normalize_phone("09876543210", Some("IN".into()))
            .expect("phone")
            .as_bytes(),
    )
    .expect("json");
    assert_eq!(phone["e164"], "+919876543210");
}
