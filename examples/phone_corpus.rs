//! Runs the phone verdicts over `tests/phone/corpus.jsonl` once after a warm-up
//! pass, for instruction counts under `valgrind --tool=callgrind` (BENCHMARKS.md:
//! repeatable where criterion's wall-clock figures on a shared VM are not).
//!
//!     cargo build --release --example phone_corpus
//!     valgrind --tool=callgrind --toggle-collect='*measured*' target/release/examples/phone_corpus check

use std::hint::black_box;

#[inline(never)]
fn measured(kind: &str, cases: &[(String, Option<String>)]) {
    for (n, r) in cases {
        match kind {
            "check" => {
                black_box(wasend::phone::check(n, r.as_deref()));
            }
            "is_valid" => {
                black_box(wasend::phone::is_valid(n, r.as_deref()));
            }
            _ => {
                black_box(wasend::phone::parse(n, r.as_deref()).is_ok_and(|p| p.is_valid()));
            }
        }
    }
}

fn main() {
    let kind = std::env::args().nth(1).unwrap_or_else(|| "check".into());
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/phone/corpus.jsonl"
    ))
    .expect("tests/phone/corpus.jsonl");
    let cases: Vec<(String, Option<String>)> = text
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).expect("json line");
            (
                v["input"].as_str().expect("input").to_owned(),
                v["region"].as_str().map(str::to_owned),
            )
        })
        .collect();
    // Warm-up: every plan's patterns compile on first use.
    for (n, r) in &cases {
        black_box(wasend::phone::check(n, r.as_deref()));
    }
    measured(&kind, &cases);
}
