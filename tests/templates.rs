//! The template model's vectors (`tests/vectors/templates/`): `template_fields` and
//! `fill_template` in Rust; npm and Chromium run the same files.

use serde_json::Value;
use wasend::json::Value as JsonValue;
use wasend::{fill_template, template_fields, Options, TemplateDefinition};

fn cases(name: &str) -> Vec<Value> {
    let path = format!(
        "{}/tests/vectors/templates/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    let file: Value =
        serde_json::from_str(&std::fs::read_to_string(path).expect(name)).expect("json");
    file["cases"].as_array().expect("cases").clone()
}

fn definition(case: &Value) -> TemplateDefinition {
    TemplateDefinition::from_value(&JsonValue::from(&case["definition"])).expect("definition")
}

#[test]
fn fields_vectors() {
    let cases = cases("fields.json");
    assert!(cases.len() >= 10);
    for case in &cases {
        let name = case["name"].as_str().unwrap_or("?");
        let got = Value::from(&template_fields(&definition(case)).to_value());
        assert_eq!(
            got["sendable"], case["expect"]["sendable"],
            "{name}: sendable"
        );
        let fields = got["fields"].as_array().expect("fields");
        let expected = case["expect"]["fields"].as_array().expect("fields");
        assert_eq!(fields.len(), expected.len(), "{name}: {got}");
        for (f, e) in fields.iter().zip(expected) {
            for (k, v) in e.as_object().expect("field") {
                if k == "limit" {
                    assert_eq!(f["limit"]["max"], v["max"], "{name}: {} limit", e["key"]);
                    assert_eq!(f["limit"]["unit"], v["unit"], "{name}: {} unit", e["key"]);
                } else {
                    assert_eq!(&f[k], v, "{name}: {} {k}", e["key"]);
                }
            }
            if e.get("limit").is_none() {
                assert!(f.get("limit").is_none(), "{name}: {} has a limit", e["key"]);
            }
        }
    }
}

#[test]
fn fill_vectors() {
    let cases = cases("fill.json");
    assert!(cases.len() >= 15);
    let mut results = serde_json::Map::new();
    for case in &cases {
        let name = case["name"].as_str().unwrap_or("?");
        let options = Options::from_value(&JsonValue::from(&case["options"])).expect("options");
        let values = JsonValue::from(&case["values"]);
        let filled = fill_template(
            &definition(case),
            values.as_object().expect("values"),
            &options,
        );
        let got = Value::from(&filled.to_value());
        results.insert(name.to_owned(), got.clone());
        let exp = &case["expect"];
        assert_eq!(got["valid"], exp["valid"], "{name}: {got}");
        let key = |i: &Value| {
            format!(
                "{} {} {}",
                i["field"].as_str().unwrap_or("-"),
                i["code"],
                i["path"]
            )
        };
        let mut a: Vec<String> = got["errors"]
            .as_array()
            .expect("errors")
            .iter()
            .map(key)
            .collect();
        let mut e: Vec<String> = exp["errors"]
            .as_array()
            .expect("errors")
            .iter()
            .map(key)
            .collect();
        a.sort();
        e.sort();
        assert_eq!(a, e, "{name}");
        if let Some(p) = exp.get("payload") {
            assert_eq!(&got["payload"], p, "{name}");
            // A filled payload validates against its definition as it stands.
            let again = wasend::validate(
                &JsonValue::from(p),
                &Options::default().template(definition(case)),
            );
            assert!(again.valid, "{name}: {:?}", again.errors);
        }
    }
    // The npm suite compares its results with these, field for field.
    let out = concat!(env!("CARGO_MANIFEST_DIR"), "/target/fill-results.json");
    std::fs::write(out, serde_json::to_string(&results).expect("json")).expect("write results");
}

/// Every definition of the template vectors filled with every shape a value can
/// take (text, a link, a media id, `lat,long`, a number, an object, null, missing)
/// in turn at each input: a valid fill's payload validates again, and the draft
/// names the template. (It held the draft written as text equal to the tree it
/// replaced, by a debug assertion, before the tree was deleted.)
#[test]
fn every_value_shape_fills() {
    let shapes: Vec<JsonValue> = [
        r#""Anna""#,
        r#""https://example.com/a.pdf""#,
        r#""1234567890""#,
        r#""12.97, 77.59""#,
        "42",
        r#"{"link":"https://example.com/a.jpg","caption":"x"}"#,
        "null",
        r#""tab\there \"quoted\" ünï""#,
    ]
    .iter()
    .map(|s| wasend::json::parse(s.as_bytes()).expect("shape"))
    .collect();
    let (mut fills, mut valid) = (0, 0);
    for case in cases("fields.json").iter().chain(&cases("fill.json")) {
        let def = definition(case);
        let keys: Vec<String> = template_fields(&def)
            .fields
            .iter()
            .map(|f| f.key.clone())
            .collect();
        for seed in 0..=shapes.len() {
            let mut values = wasend::json::Map::new();
            values.insert("to", JsonValue::from("+919876543210"));
            for (i, key) in keys.iter().enumerate() {
                // `shapes.len()` stands for a value not given at all.
                if let Some(shape) = shapes.get((seed + i) % (shapes.len() + 1)) {
                    values.insert(key.as_str(), shape.clone());
                }
            }
            let filled = fill_template(&def, &values, &Options::default());
            fills += 1;
            let draft = filled.draft_value();
            assert_eq!(draft["template"]["name"].as_str(), Some(def.name.as_str()));
            if let Some(text) = &filled.text {
                valid += 1;
                let again = wasend::validate_json(
                    text.as_bytes(),
                    &Options::default().template(def.clone()),
                );
                assert!(again.valid, "{text}: {:?}", again.errors);
            }
        }
    }
    assert!(fills > 250 && valid > 20, "{valid} of {fills} valid");
}
