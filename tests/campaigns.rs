//! Campaign lists (`tests/vectors/campaigns/lists.json`) through the core's
//! `campaign::prepare`; the CLI's `campaign check` gives the same report.

use serde_json::Value;
use wasend::campaign::{prepare, ListOptions};
use wasend::json::Value as JsonValue;
use wasend::{Options, TemplateDefinition};

fn cases() -> Vec<Value> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/vectors/campaigns/lists.json"
    );
    let file: Value =
        serde_json::from_str(&std::fs::read_to_string(path).expect("lists")).expect("json");
    file["cases"].as_array().expect("cases").clone()
}

/// The vector's options, read as every face reads them.
pub fn list_options(case: &Value) -> ListOptions {
    ListOptions::from_value(&JsonValue::from(&case["options"])).expect("options")
}

#[test]
fn list_vectors() {
    let cases = cases();
    assert!(cases.len() >= 12);
    for case in &cases {
        let name = case["name"].as_str().unwrap_or("?");
        let def = TemplateDefinition::from_value(&JsonValue::from(&case["definition"]))
            .expect("definition");
        let prepared = prepare(
            case["list"].as_str().expect("list"),
            &def,
            &list_options(case),
        );
        let report = Value::from(&prepared.report());
        let exp = &case["expect"];
        assert_eq!(report["summary"], exp["summary"], "{name}: {report}");
        let issues: Vec<Value> = report["issues"]
            .as_array()
            .expect("issues")
            .iter()
            .map(|i| {
                let mut o = serde_json::Map::new();
                for k in ["row", "line", "column", "code"] {
                    if let Some(v) = i.get(k) {
                        o.insert(k.to_owned(), v.clone());
                    }
                }
                Value::Object(o)
            })
            .collect();
        assert_eq!(Value::Array(issues), exp["issues"], "{name}: {report}");
        let skipped: Vec<Value> = report["skipped"]
            .as_array()
            .expect("skipped")
            .iter()
            .map(|s| {
                let mut o = s.as_object().expect("skipped").clone();
                o.remove("line");
                Value::Object(o)
            })
            .collect();
        assert_eq!(Value::Array(skipped), exp["skipped"], "{name}");
        assert_eq!(report["unused_columns"], exp["unused_columns"], "{name}");
        // Every valid row's payload validates against the definition as it stands.
        for row in &prepared.rows {
            if let wasend::campaign::Outcome::Ready { payload, .. } = &row.outcome {
                let r = wasend::validate_json(
                    payload.as_bytes(),
                    &Options::default().template(def.clone()),
                );
                assert!(r.valid, "{name}: row {}: {:?}", row.row, r.errors);
            }
        }
    }
}
