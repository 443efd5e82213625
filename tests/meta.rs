//! Meta's format and wasend's: every valid vector payload translated to Meta's
//! and back is itself again (a media `link` reads back as `url`, its RULES.md
//! synonym), Meta's shapes are where Meta's reference puts them, and Meta's own
//! documented example reads as the payload it means.

use wasend::json::{self, Map, Value};
use wasend::meta::{from_meta, to_meta};
use wasend::{validate, Options};

/// Every valid vector's normalized payload.
fn valid_payloads() -> Vec<(String, Value)> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/vectors");
    let mut out = Vec::new();
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .expect("vectors")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    for path in files {
        let file = json::parse(&std::fs::read(&path).expect("read")).expect("json");
        for case in file["cases"].as_array().into_iter().flatten() {
            let r = validate(&case["input"], &Options::default());
            if let (true, Some(p)) = (r.valid, r.payload) {
                out.push((case["name"].as_str().unwrap_or("?").to_owned(), p));
            }
        }
    }
    out
}

/// `p` with every media object's `link` written as `url` (wasend's own payloads
/// pass through `from_meta` otherwise unchanged).
fn canonical(p: &Value) -> Value {
    from_meta(p, None)
}

fn media_keys(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::Object(m) => {
            for (k, x) in m.iter() {
                if ["image", "video", "document", "audio", "sticker"].contains(&k) {
                    if let Value::Object(media) = x {
                        out.extend(media.iter().map(|(k, _)| k.to_owned()));
                    }
                }
                media_keys(x, out);
            }
        }
        Value::Array(a) => a.iter().for_each(|x| media_keys(x, out)),
        _ => {}
    }
}

#[test]
fn every_valid_vector_goes_to_meta_and_back_unchanged() {
    let payloads = valid_payloads();
    assert!(payloads.len() > 150, "{}", payloads.len());
    for (name, p) in payloads {
        let meta = to_meta(&p);
        let body = &meta.body;
        assert_eq!(
            body["messaging_product"].as_str(),
            Some("whatsapp"),
            "{name}"
        );
        assert_eq!(
            body["recipient_type"].as_str(),
            Some("individual"),
            "{name}"
        );
        assert!(
            body.get("whatsapp_account").is_none(),
            "{name}: the account is not Meta's body"
        );
        assert_eq!(
            meta.account.as_deref(),
            p["whatsapp_account"].as_str(),
            "{name}"
        );
        let to = body["to"].as_str().expect("to");
        assert!(
            to.bytes().all(|b| b.is_ascii_digit()),
            "{name}: Meta's to is digits: {to}"
        );
        if p["type"].as_str() == Some("text") {
            assert_eq!(body["text"]["body"], p["text"], "{name}");
        }
        if let Some(language) = p["template"]["language"].as_str() {
            assert_eq!(
                body["template"]["language"]["code"].as_str(),
                Some(language),
                "{name}"
            );
        }
        let mut keys = Vec::new();
        media_keys(body, &mut keys);
        assert!(
            !keys.iter().any(|k| k == "url"),
            "{name}: Meta names a media URL `link`"
        );
        let back = from_meta(body, meta.account.as_deref());
        assert_eq!(back, canonical(&p), "{name}: {}", back.to_json());
        // Meta's form, read back, is a payload the core takes as it took the original.
        let again = validate(&back, &Options::default());
        assert!(again.valid, "{name}: {:?}", again.errors);
    }
}

#[test]
fn metas_documented_examples_read_as_the_payloads_they_mean() {
    let text = json::parse(
        br#"{"messaging_product":"whatsapp","recipient_type":"individual","to":"919876543210",
            "type":"text","text":{"body":"Hello"}}"#,
    )
    .expect("json");
    let read = from_meta(&text, Some("main"));
    let mut expected = Map::new();
    expected.insert("to", Value::from("+919876543210"));
    expected.insert("type", Value::from("text"));
    expected.insert("text", Value::from("Hello"));
    expected.insert("whatsapp_account", Value::from("main"));
    assert_eq!(read, Value::Object(expected));
    let template = json::parse(
        br#"{"messaging_product":"whatsapp","to":"447911123456","type":"template",
            "template":{"name":"hello_world","language":{"code":"en_US"},
            "components":[{"type":"header","parameters":[{"type":"image","image":{"link":"https://example.com/a.png"}}]}]}}"#,
    )
    .expect("json");
    let read = from_meta(&template, None);
    assert_eq!(read["template"]["language"].as_str(), Some("en_US"));
    assert_eq!(
        read["template"]["components"][0]["parameters"][0]["image"]["url"].as_str(),
        Some("https://example.com/a.png")
    );
    assert!(validate(&read, &Options::default()).valid);
    // A language with a policy keeps its object, as RULES.md takes it.
    let policy = json::parse(
        br#"{"to":"447911123456","type":"template","template":{"name":"a","language":{"code":"en","policy":"deterministic"}}}"#,
    )
    .expect("json");
    assert_eq!(
        from_meta(&policy, None)["template"]["language"]["policy"].as_str(),
        Some("deterministic")
    );
}

/// README's table of the ingress says what `REFUSALS` does: each code's HTTP
/// status and Meta code, and no row the table does not hold.
#[test]
fn the_readme_table_of_the_ingress_is_the_cores() {
    let readme = include_str!("../README.md");
    let section = readme
        .split("### Meta-compatible ingress")
        .nth(1)
        .and_then(|rest| rest.split("\n### ").next())
        .expect("the README's ingress section");
    let rows: Vec<(&str, &str, &str)> = section
        .lines()
        .map(str::trim)
        .filter_map(|l| {
            let cells: Vec<&str> = l.trim_matches('|').split('|').map(str::trim).collect();
            match cells.as_slice() {
                [code, http, meta] if code.starts_with('`') => {
                    Some((code.trim_matches('`'), *http, *meta))
                }
                _ => None,
            }
        })
        .collect();
    let refusals = wasend::meta::ingress::REFUSALS;
    assert_eq!(rows.len(), refusals.len(), "{rows:?}");
    for (code, r) in refusals {
        let row = rows.iter().find(|(c, _, _)| c == code);
        let (_, http, meta) = row.unwrap_or_else(|| panic!("README lacks {code}"));
        assert_eq!(*http, r.status.to_string(), "{code}");
        assert!(
            meta.starts_with(&r.code.to_string()),
            "{code}: README says {meta}, the core {}",
            r.code
        );
    }
}
