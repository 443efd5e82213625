//! wasend's phone verdicts against libphonenumber-js (max metadata), on the
//! generated corpus `tests/phone/corpus.jsonl` (see `tests/phone/corpus.mjs`).

use serde_json::Value;
use wasend::phone::{self, LengthCheck, ParseError};

fn length_name(r: &Result<phone::PhoneNumber, ParseError>) -> &'static str {
    match r {
        Err(ParseError::TooShort) => "too_short",
        Err(ParseError::TooLong) => "too_long",
        Err(ParseError::InvalidCountry) => "invalid_country",
        Err(ParseError::NotANumber) => "not_a_number",
        Ok(n) => match n.length_check() {
            LengthCheck::Possible => "is_possible",
            LengthCheck::TooShort => "too_short",
            LengthCheck::TooLong => "too_long",
            LengthCheck::InvalidLength => "invalid_length",
        },
    }
}

#[test]
fn corpus_agrees_with_libphonenumber_js_max() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/phone/corpus.jsonl"
    ))
    .expect("read corpus");
    let cases: Vec<Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).expect("case"))
        .collect();
    assert!(cases.len() >= 10_000, "corpus has {} cases", cases.len());
    let mut countries = std::collections::BTreeSet::new();
    let (mut verdict_ok, mut full_ok) = (0usize, 0usize);
    let mut disagreements = Vec::new();
    for case in &cases {
        let input = case["input"].as_str().expect("input");
        let region = case["region"].as_str();
        if let Some(c) = case["country"].as_str() {
            countries.insert(c.to_owned());
        }
        let check = phone::check(input, region);
        assert_eq!(
            phone::is_valid(input, region),
            check.valid,
            "{input}: is_valid and check agree"
        );
        let parsed = phone::parse(input, region);
        let valid = parsed.as_ref().is_ok_and(phone::PhoneNumber::is_valid);
        let e164 = parsed.as_ref().ok().map(phone::PhoneNumber::e164);
        let ty = parsed
            .as_ref()
            .ok()
            .and_then(phone::PhoneNumber::number_type)
            .map(phone::NumberType::as_str);
        let country = parsed.as_ref().ok().and_then(phone::PhoneNumber::region);
        let length = length_name(&parsed);
        let same_verdict = case["valid"].as_bool() == Some(valid);
        // libphonenumber-js reports "not a number" for under three digits; so do we, as a
        // parse failure, which it counts as "too_short" only sometimes: compare verdicts there.
        let same_all = same_verdict
            && case["e164"].as_str() == e164.as_deref()
            && case["type"].as_str() == ty
            && case["country"].as_str() == country
            && case["length"].as_str() == Some(length);
        verdict_ok += usize::from(same_verdict);
        full_ok += usize::from(same_all);
        if !same_all {
            disagreements.push(format!(
                "{input:?} region {region:?}: libphonenumber-js {} {} {} {} {}; wasend {valid} {e164:?} {ty:?} {country:?} {length}",
                case["valid"], case["e164"], case["type"], case["country"], case["length"]
            ));
        }
    }
    let n = cases.len() as f64;
    let verdict_rate = verdict_ok as f64 / n * 100.0;
    let full_rate = full_ok as f64 / n * 100.0;
    println!(
        "phone corpus: {} cases, {} regions; valid/invalid verdict agreement {verdict_rate:.3}% ({verdict_ok}); \
         full agreement (e164, type, region, length) {full_rate:.3}% ({full_ok})",
        cases.len(),
        countries.len()
    );
    for d in &disagreements {
        println!("disagreement: {d}");
    }
    assert!(countries.len() >= 20);
    assert!(
        verdict_rate >= 99.9,
        "verdict agreement {verdict_rate:.3}% is under 99.9%"
    );
    assert!(
        full_rate >= 99.9,
        "full agreement {full_rate:.3}% is under 99.9%"
    );
}
