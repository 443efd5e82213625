//! Native speed of the core: phone verdicts, validation per payload kind, and
//! raw bytes to normalized bytes. `cargo bench --bench core`; results in BENCHMARKS.md.

mod payloads;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use payloads::payloads_serde;
use serde_json::Value;
use std::fmt::Write as _;
use std::hint::black_box;
use wasend::{normalize_json, phone, validate, validate_json, Options, TemplateDefinition};

fn corpus() -> Vec<(String, Option<String>)> {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/phone/corpus.jsonl"
    ))
    .expect("tests/phone/corpus.jsonl");
    text.lines()
        .map(|l| {
            let v: Value = serde_json::from_str(l).expect("case");
            (
                v["input"].as_str().expect("input").to_owned(),
                v["region"].as_str().map(str::to_owned),
            )
        })
        .collect()
}

/// The typed inputs of `tests/phone/examples.jsonl` (Unicode digits and spaces,
/// invisible marks, extensions…): the path beside the ASCII one.
fn typed() -> Vec<(String, Option<String>)> {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/phone/examples.jsonl"
    ))
    .expect("tests/phone/examples.jsonl");
    text.lines()
        .map(|l| serde_json::from_str::<Value>(l).expect("case"))
        .filter(|v| v["kind"].as_str().is_some_and(|k| k.starts_with("typed:")))
        .map(|v| {
            (
                v["input"].as_str().expect("input").to_owned(),
                v["region"].as_str().map(str::to_owned),
            )
        })
        .collect()
}

fn phones(c: &mut Criterion) {
    let numbers = corpus();
    let mut g = c.benchmark_group("phone");
    g.throughput(Throughput::Elements(numbers.len() as u64));
    // Warm every plan's compiled patterns first: steady state is what a server sees.
    for (n, r) in &numbers {
        black_box(phone::check(n, r.as_deref()));
    }
    g.bench_function("check/corpus", |b| {
        b.iter(|| {
            for (n, r) in &numbers {
                black_box(phone::check(black_box(n), r.as_deref()));
            }
        });
    });
    g.bench_function("is_valid/corpus", |b| {
        b.iter(|| {
            for (n, r) in &numbers {
                black_box(phone::is_valid(black_box(n), r.as_deref()));
            }
        });
    });
    g.bench_function("parse+is_valid/corpus", |b| {
        b.iter(|| {
            for (n, r) in &numbers {
                black_box(phone::parse(black_box(n), r.as_deref()).is_ok_and(|p| p.is_valid()));
            }
        });
    });
    g.finish();
    let typed = typed();
    let mut g = c.benchmark_group("phone-typed");
    g.throughput(Throughput::Elements(typed.len() as u64));
    g.bench_function("check/typed", |b| {
        b.iter(|| {
            for (n, r) in &typed {
                black_box(phone::check(black_box(n), r.as_deref()));
            }
        });
    });
    g.finish();
}

fn payloads() -> Vec<(&'static str, wasend::json::Value)> {
    payloads_serde()
        .into_iter()
        .map(|(n, v)| (n, wasend::json::Value::from(v)))
        .collect()
}

fn kinds(c: &mut Criterion) {
    let opts = Options::default();
    let def = TemplateDefinition::from_json(
        br#"{"name":"order_confirmation","language":"en","components":[{"type":"BODY","text":"Hi {{1}}, your order {{2}} has shipped."}]}"#,
    )
    .expect("definition");
    let with_def = Options::default().template(def);
    let mut g = c.benchmark_group("validate");
    for (name, payload) in payloads() {
        assert!(validate(&payload, &opts).valid, "{name} must be valid");
        g.bench_with_input(BenchmarkId::from_parameter(name), &payload, |b, p| {
            b.iter(|| black_box(validate(black_box(p), &opts)));
        });
    }
    let (_, tpl) = payloads()
        .into_iter()
        .find(|(n, _)| *n == "template")
        .expect("template");
    g.bench_function("template+definition", |b| {
        b.iter(|| black_box(validate(black_box(&tpl), &with_def)));
    });
    g.finish();

    let mut g = c.benchmark_group("bytes_to_normalized_bytes");
    for (name, payload) in payloads() {
        let bytes = payload.to_json().into_bytes();
        g.throughput(Throughput::Bytes(bytes.len() as u64));
        g.bench_with_input(BenchmarkId::from_parameter(name), &bytes, |b, raw| {
            b.iter(|| black_box(normalize_json(black_box(raw), &opts).text().is_some()));
        });
    }
    // The same payload typed by hand: not canonical, so its text is written anew.
    let buttons = payloads()
        .into_iter()
        .find(|(n, _)| *n == "buttons")
        .expect("buttons");
    let pretty = serde_json::to_vec_pretty(&Value::from(&buttons.1)).expect("json");
    g.bench_function("buttons_pretty", |b| {
        b.iter(|| black_box(normalize_json(black_box(&pretty), &opts).text().is_some()));
    });
    let broken = br#"{"to":"not a phone","type":"interactive","interactive":{"type":"button","body":{"text":""},"action":{"buttons":[{"type":"reply","reply":{"id":"a","title":"Sales and marketing team"}},{"type":"reply","reply":{"id":"a","title":"x"}}]}},"captoin":1}"#;
    g.bench_function("invalid_with_4_errors", |b| {
        b.iter(|| black_box(validate_json(black_box(broken), &opts)));
    });
    g.finish();

    // The peer #28 measures against: serde_json reading the same bytes into its
    // `Value` (with `preserve_order`, as the crate depends on it) and writing them
    // back, which checks nothing.
    let mut g = c.benchmark_group("serde_json_round_trip");
    for (name, payload) in payloads() {
        let bytes = payload.to_json().into_bytes();
        g.throughput(Throughput::Bytes(bytes.len() as u64));
        g.bench_with_input(BenchmarkId::from_parameter(name), &bytes, |b, raw| {
            b.iter(|| {
                let v: Value = serde_json::from_slice(black_box(raw)).expect("json");
                black_box(serde_json::to_string(&v).expect("text"))
            });
        });
    }
    g.finish();
}

/// A list of `n` rows for `order_confirmation` (every tenth row with a problem, every
/// twentieth a duplicate), as a marketer's export would be.
fn campaign_list(n: usize) -> String {
    let mut out = String::from("to,1,2,button_0\n");
    for i in 0..n {
        let number = if i % 20 == 19 {
            9_876_500_000 + i - 1
        } else {
            9_876_500_000 + i
        };
        let name = if i % 10 == 9 {
            "x".repeat(1100)
        } else {
            format!("Customer {i}")
        };
        let _ = writeln!(out, "+91{number},{name},ORD-{i},{i}");
    }
    out
}

fn campaigns(c: &mut Criterion) {
    let def =
        TemplateDefinition::from_json(include_bytes!("../templates/order_confirmation.en.json"))
            .expect("definition");
    let list = campaign_list(100_000);
    let options = wasend::campaign::ListOptions::default();
    let mut g = c.benchmark_group("campaign");
    g.sample_size(10);
    g.throughput(Throughput::Elements(100_000));
    g.bench_function("prepare/100k-csv", |b| {
        b.iter(|| black_box(wasend::campaign::prepare(black_box(&list), &def, &options)));
    });
    g.finish();
}

/// The two readings of a payload's bytes: the owned tree the walkers read today,
/// and the tape they move to (#28, step 4).
fn readings(c: &mut Criterion) {
    let mut g = c.benchmark_group("parse");
    for (name, payload) in payloads() {
        let bytes = payload.to_json().into_bytes();
        g.throughput(Throughput::Bytes(bytes.len() as u64));
        g.bench_with_input(BenchmarkId::new("tree", name), &bytes, |b, raw| {
            b.iter(|| black_box(wasend::json::parse(black_box(raw)).is_ok()));
        });
        g.bench_with_input(BenchmarkId::new("tape", name), &bytes, |b, raw| {
            b.iter(|| black_box(wasend::json::tape::Tape::parse(black_box(raw)).is_ok()));
        });
    }
    g.finish();
}

criterion_group!(benches, phones, kinds, readings, campaigns);
criterion_main!(benches);
