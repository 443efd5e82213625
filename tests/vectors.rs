//! Runs the shared vector set `tests/vectors/*.json` through the core (the npm
//! package and the Worker run the same files). See `tests/vectors/README.md`.

use serde_json::Value;
use wasend::json::Value as JsonValue;
use wasend::{validate, validate_json, Options};

/// Checks one expected issue list against the actual one; returns what differs.
fn compare(kind: &str, expected: &[Value], actual: &Value, ordered: bool) -> Vec<String> {
    let actual: Vec<Value> = actual.as_array().cloned().unwrap_or_default();
    let key = |v: &Value| {
        format!(
            "{} {}",
            v["code"].as_str().unwrap_or("?"),
            v["path"].as_str().unwrap_or("?")
        )
    };
    let mut problems = Vec::new();
    let mut exp_keys: Vec<String> = expected.iter().map(key).collect();
    let mut act_keys: Vec<String> = actual.iter().map(key).collect();
    if ordered {
        if exp_keys != act_keys {
            problems.push(format!(
                "{kind} in order: expected {exp_keys:?}, got {act_keys:?}"
            ));
        }
    } else {
        exp_keys.sort();
        act_keys.sort();
        if exp_keys != act_keys {
            problems.push(format!("{kind}: expected {exp_keys:?}, got {act_keys:?}"));
        }
    }
    // Limits, values, units and suggestions, where the vector names them.
    let mut used = vec![false; actual.len()];
    for exp in expected {
        let extra: Vec<&str> = ["limit", "actual", "unit", "suggestion"]
            .into_iter()
            .filter(|f| exp.get(*f).is_some())
            .collect();
        let found = actual.iter().enumerate().position(|(i, a)| {
            !used[i] && key(a) == key(exp) && extra.iter().all(|f| numeric_eq(&a[*f], &exp[*f]))
        });
        match found {
            Some(i) => used[i] = true,
            None if !extra.is_empty() => problems.push(format!("{kind}: no issue matches {exp}")),
            None => {}
        }
    }
    for a in &actual {
        let msg = a["message"].as_str().unwrap_or("");
        if msg.is_empty()
            || msg.ends_with('.')
            || msg.chars().next().is_some_and(char::is_uppercase)
        {
            problems.push(format!(
                "{kind}: message not lowercase / without trailing period: {msg:?}"
            ));
        }
    }
    problems
}

fn numeric_eq(a: &Value, b: &Value) -> bool {
    match (a.as_f64(), b.as_f64()) {
        (Some(x), Some(y)) => (x - y).abs() < 1e-9,
        _ => a == b,
    }
}

#[test]
fn vectors() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/vectors");
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .expect("vectors dir")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    let mut total = 0;
    let mut failures = Vec::new();
    let mut codes_seen = std::collections::BTreeSet::new();
    // Every result, for the npm and Worker suites to compare theirs with.
    let mut all_results = serde_json::Map::new();
    for path in files {
        let file: Value =
            serde_json::from_str(&std::fs::read_to_string(&path).expect("read")).expect("json");
        for case in file["cases"].as_array().expect("cases") {
            total += 1;
            let name = format!(
                "{}: {}",
                file["file"].as_str().unwrap_or("?"),
                case["name"].as_str().unwrap_or("?")
            );
            // The hand-written reader every binding uses, not serde's.
            let options = Options::from_value(&JsonValue::from(&case["options"]))
                .unwrap_or_else(|e| panic!("{name}: options: {e}"));
            let result = match case.get("input_json") {
                Some(Value::String(raw)) => validate_json(raw.as_bytes(), &options),
                _ => validate(&JsonValue::from(&case["input"]), &options),
            };
            if case.get("input_json").is_none() {
                let input = JsonValue::from(&case["input"]);
                if wasend::validate_owned(input, &options) != result {
                    failures.push(format!("{name}: validate_owned differs from validate"));
                }
            }
            let got = serde_json::to_value(&result).expect("serialize");
            all_results.insert(name.clone(), got.clone());
            let by_hand: Value = serde_json::from_str(&result.to_json()).expect("to_json is json");
            if by_hand != got {
                failures.push(format!(
                    "{name}: to_json differs from serde: {by_hand} vs {got}"
                ));
            }
            let exp = &case["expect"];
            let mut problems = Vec::new();
            if got["valid"] != exp["valid"] {
                problems.push(format!(
                    "valid: expected {}, got {}",
                    exp["valid"], got["valid"]
                ));
            }
            let ordered = exp["ordered"].as_bool().unwrap_or(false);
            problems.extend(compare(
                "errors",
                exp["errors"].as_array().expect("errors"),
                &got["errors"],
                ordered,
            ));
            problems.extend(compare(
                "warnings",
                exp["warnings"].as_array().map_or(&[][..], Vec::as_slice),
                &got["warnings"],
                false,
            ));
            if let Some(p) = exp.get("payload") {
                if &got["payload"] != p {
                    problems.push(format!("payload: expected {p}, got {}", got["payload"]));
                }
            }
            if result.valid != result.payload.is_some() {
                problems.push("payload present exactly when valid".into());
            }
            for i in result.errors.iter().chain(&result.warnings) {
                codes_seen.insert(i.code.as_str());
            }
            if !problems.is_empty() {
                failures.push(format!("{name}\n    {}", problems.join("\n    ")));
            }
        }
    }
    println!("{total} vectors, {} failing", failures.len());
    let out = concat!(env!("CARGO_MANIFEST_DIR"), "/target/vector-results.json");
    std::fs::write(
        out,
        serde_json::to_string_pretty(&all_results).expect("json"),
    )
    .expect("write vector results");
    assert!(total >= 250, "only {total} vectors");
    assert!(
        failures.is_empty(),
        "{} of {total} vectors fail:\n{}",
        failures.len(),
        failures.join("\n")
    );
    // Every code RULES.md names is exercised by at least one vector.
    let all = [
        "invalid_json",
        "required",
        "unknown_field",
        "wrong_type",
        "invalid_enum",
        "empty",
        "too_long",
        "too_short",
        "too_many",
        "too_few",
        "out_of_range",
        "duplicate",
        "conflict",
        "type_mismatch",
        "invalid_url",
        "invalid_format",
        "param_whitespace",
        "phone_format",
        "phone_country_code",
        "phone_too_short",
        "phone_too_long",
        "phone_invalid",
        "template_param_count",
        "template_param_name",
        "template_header_format",
        "template_button",
        "template_not_found",
        "phone_normalized",
        "phone_not_mobile",
        "phone_whatsapp_id",
        "insecure_url",
        "media_extension",
        "location_address_hidden",
    ];
    let missing: Vec<&str> = all
        .iter()
        .copied()
        .filter(|c| !codes_seen.contains(c) && *c != "too_short")
        .collect();
    assert!(missing.is_empty(), "codes no vector produces: {missing:?}");
}

/// `tests/vectors/options/cases.json`: the option cases every face runs (the
/// CLI's are in `tests/cli.rs`, npm's in `tests/npm/options.test.mjs`).
#[test]
fn option_vectors() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/vectors/options/cases.json"
    ))
    .expect("option cases");
    let file: Value = serde_json::from_str(&text).expect("json");
    let cases = file["cases"].as_array().expect("cases");
    assert!(cases.len() >= 15);
    for case in cases {
        let name = case["name"].as_str().unwrap_or("?");
        let got = Options::from_value(&JsonValue::from(&case["options"]));
        match (case["error"].as_str(), got) {
            (Some(expected), Err(e)) => assert_eq!(e.message(), expected, "{name}"),
            (None, Ok(o)) => assert_eq!(o.region(), case["region"].as_str(), "{name}"),
            (Some(expected), Ok(_)) => panic!("{name}: accepted, expected {expected:?}"),
            (None, Err(e)) => panic!("{name}: refused: {e}"),
        }
        // The region alone, through the constructor Rust users call.
        if let Some(r) = case["options"]["defaultRegion"].as_str() {
            let direct = Options::default().default_region(r).map(|o| o.region());
            assert_eq!(
                direct.is_ok(),
                case["error"].is_null(),
                "{name}: constructor"
            );
        }
    }
}

/// The wasm suite lists its vector files by name (wasm has no file system): every
/// file of the set must be in that list.
#[test]
fn the_wasm_suite_runs_every_vector_file() {
    let listed = include_str!("../wasm/tests/vectors.rs");
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/vectors");
    for entry in std::fs::read_dir(dir).expect("vectors dir") {
        let path = entry.expect("entry").path();
        if path.extension().is_some_and(|e| e == "json") {
            let name = path.file_stem().and_then(|s| s.to_str()).expect("name");
            assert!(
                listed.contains(&format!("\"{name}\"")),
                "wasm/tests/vectors.rs does not run {name}.json"
            );
        }
    }
}
