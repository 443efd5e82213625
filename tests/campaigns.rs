//! Campaign lists (`tests/vectors/campaigns/lists.json`) through the core's
//! `campaign::prepare`; the CLI's `campaign check` gives the same report.

mod common;

use common::list_text;
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
        let prepared = prepare(&list_text(case), &def, &list_options(case));
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
                let mut o = serde_json::Map::new();
                for k in ["row", "code", "of"] {
                    if let Some(v) = s.get(k) {
                        o.insert(k.to_owned(), v.clone());
                    }
                }
                Value::Object(o)
            })
            .collect();
        assert_eq!(Value::Array(skipped), exp["skipped"], "{name}");
        assert_eq!(report["unused_columns"], exp["unused_columns"], "{name}");
        // With the cells, from one reading: the same verdicts, and the cells as
        // `read_list` reads them (each row's cells go through the filler and back).
        let (again, cells) =
            wasend::campaign::prepare_shown(&list_text(case), &def, &list_options(case));
        assert_eq!(again.to_json(), prepared.to_json(), "{name}");
        if cells.get("error").is_none() {
            let read = wasend::campaign::read_list(&list_text(case)).to_json();
            assert_eq!(cells.to_json(), read, "{name}");
        }
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

/// The npm module's answer (payloads apart, one a line) puts back together as
/// `to_json`, on every list vector: the ready rows' payloads, in row order.
#[test]
fn payloads_apart_are_to_json_put_back_together() {
    for case in &cases() {
        let name = case["name"].as_str().unwrap_or("?");
        let def = TemplateDefinition::from_value(&JsonValue::from(&case["definition"]))
            .expect("definition");
        let prepared = prepare(&list_text(case), &def, &list_options(case));
        let whole: Value = serde_json::from_str(&prepared.to_json()).expect("to_json");
        let (json, payloads) = prepared.to_json_payloads_apart();
        let mut apart: Value = serde_json::from_str(&json).expect("json");
        let mut texts = payloads.split('\n');
        assert_eq!(
            texts.next(),
            Some(""),
            "{name}: the payloads start with a newline"
        );
        for row in apart["rows"].as_array_mut().expect("rows") {
            assert!(row.get("payload").is_none(), "{name}");
            if row["status"] == "ready" {
                let text = texts.next().expect("a payload for each ready row");
                row["payload"] = serde_json::from_str(text).expect("payload");
            }
        }
        assert_eq!(texts.next(), None, "{name}: one payload for each ready row");
        assert_eq!(apart, whole, "{name}");
    }
}

/// Results files are opened in spreadsheets: no cell may start a formula, except a
/// phone number the core validated, which stays as written so the file reads back.
#[test]
fn results_cells_never_start_a_formula() {
    use wasend::campaign::{csv_record, read_list, spreadsheet_safe, FORMULA_STARTS};
    let hostile = [
        "=HYPERLINK(\"http://evil.example/a\",\"x\")",
        "@SUM(1+1)*cmd|' /C calc'!A0",
        "+1+cmd|' /C calc'!A0",
        "-2+3",
        "\t=1+1",
        "\r=1+1",
        "+123",
        "+1 415 555 2671",
        "+14155552671=",
    ];
    for cell in hostile {
        let safe = spreadsheet_safe(cell);
        assert_eq!(safe, format!("'{cell}"), "{cell:?}");
        let record = csv_record(&[cell, "ok"]);
        let read = read_list(&format!("a,b\r\n{record}"));
        let back = read["rows"][0]["cells"][0].as_str().expect("a cell");
        assert!(
            !back.starts_with(FORMULA_STARTS),
            "{cell:?} read back as {back:?}"
        );
        // The text survives behind its quote (the reader trims the edges, as any list's).
        assert_eq!(back, format!("'{cell}").trim(), "{cell:?}");
    }
    for cell in [
        "+14155552671",
        "+919876543210",
        "hello",
        "",
        "a=b",
        "'=already",
    ] {
        assert_eq!(spreadsheet_safe(cell), cell, "{cell:?}");
    }
    assert_eq!(
        csv_record(&["+14155552671", "=1,2", "say \"hi\"\nthere"]),
        "+14155552671,\"'=1,2\",\"say \"\"hi\"\"\nthere\"\r\n"
    );
}

/// The row limit's count is the same whole or in pieces of any size (the Worker
/// counts a body as it arrives), matches the rows the reader finds, and counts a
/// campaign request's `rows` or `csv` as the list itself.
#[test]
fn rows_are_counted_alike_whole_in_pieces_and_inside_a_request() {
    use wasend::campaign::{count_rows, RowCounter};
    let vectors = cases().len();
    let mut lists: Vec<String> = cases().iter().map(list_text).collect();
    // Lists where the count may differ from the reader's rows (a lone `;` in a comma
    // list is a row to the reader, none to the count): the count is the limit's measure.
    lists.push("\u{feff}\n\n to,1\n\"a\nb\",x\n,,\n;\n\"\",\"\"\nc,d".into());
    lists.push(" [ {\"a\": [1, {\"b\": \"]\\\"[\"}]}, 2, \"x,y\", [] , {} ]".into());
    lists.push("{\"a\":1}\r\n \r\n{\"b\":\"\\n\"}\n{}".into());
    for (i, text) in lists.iter().enumerate() {
        let whole = count_rows(text);
        for size in [1, 2, 3, 7, 64, 4096] {
            let mut c = RowCounter::list();
            for piece in text.as_bytes().chunks(size) {
                c.feed(piece);
            }
            assert_eq!(
                c.rows(),
                whole,
                "pieces of {size}: {:?}",
                &text[..text.len().min(80)]
            );
        }
        let def = TemplateDefinition::from_value(&JsonValue::from(&cases()[0]["definition"]))
            .expect("definition");
        let total = prepare(text, &def, &ListOptions::default()).summary.total;
        if total > 0 && i < vectors {
            assert_eq!(whole, total, "{:?}", &text[..text.len().min(80)]);
        }
        // Inside a request: `rows` when the list is a JSON array, `csv` when it is text.
        let request = if text.trim_start().starts_with('[') {
            format!("{{\"name\": \"[x]\", \"template\": {{\"name\": \"rows\", \"language\": \"en\"}}, \"mapping\": {{\"rows\": \"csv\"}}, \"rows\": {text}}}")
        } else if text.trim_start().starts_with('{') {
            continue;
        } else {
            format!(
                "{{\"csv\": {}, \"template\": {{\"name\": \"csv\", \"language\": \"en\"}}, \"extra\": [1, 2]}}",
                serde_json::to_string(text).expect("json")
            )
        };
        let mut c = RowCounter::request();
        c.feed(request.as_bytes());
        assert_eq!(c.rows(), whole, "{:?}", &request[..request.len().min(120)]);
        assert!(wasend::json::parse(request.as_bytes()).is_ok());
    }
    // `\u` escapes count as the characters they stand for.
    let mut c = RowCounter::request();
    c.feed(br#"{"csv": "to\u000aa\u000A\u00e9\n"}"#);
    assert_eq!(c.rows(), 2);
}

/// The row limit the README and the OpenAPI description name is the one enforced.
#[test]
fn the_documented_row_limit_is_the_enforced_one() {
    use wasend::campaign::MAX_ROWS;
    let digits = MAX_ROWS.to_string();
    let mut grouped = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    let read = |f: &str| {
        std::fs::read_to_string(format!("{}/{f}", env!("CARGO_MANIFEST_DIR")))
            .expect("doc")
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    };
    assert!(read("README.md").contains(&format!("Up to {grouped} rows")));
    let spec = read("openapi.yaml");
    assert!(spec.contains(&format!("Up to {grouped} rows")));
    assert!(spec.contains(&format!("maxItems: {digits}")));
}

/// openapi.yaml's campaign statuses and actions are the core's machine's, in its order.
#[test]
fn openapi_names_the_core_campaign_machine() {
    use wasend::campaign::{Action, CampaignStatus};
    let spec = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/openapi.yaml"))
        .expect("openapi.yaml");
    let statuses: Vec<_> = CampaignStatus::ALL.iter().map(|s| s.as_str()).collect();
    let actions: Vec<_> = Action::ALL.iter().map(|a| a.as_str()).collect();
    assert!(spec.contains(&format!("status: {{ enum: [{}] }}", statuses.join(", "))));
    assert!(spec.contains(&format!("items: {{ enum: [{}] }}", actions.join(", "))));
}
