//! The golden oracle, `tests/golden/*.jsonl`: every vector payload and seeded
//! mutations of it, each with the exact text `validate_json` writes for it and the
//! exact text of its `preview`. Later rewrites of the core and of the module's
//! boundary are held to these bytes (`tests/golden/check.mjs` holds the wasm module
//! in Node to the same files).
//!
//!   cargo run --example golden              # checks: exit 1 when a file differs
//!   cargo run --example golden -- --write   # writes the files anew
//!
//! Each line: `{"name", "input", "options", "result", "preview", "meta"}`; `input`,
//! `result`, `preview` and `meta` are texts, `options` the options object (or null)
//! as every face takes it. `meta` is a valid payload in Meta's Cloud API format
//! (`{"body", "account"?}` as `wasend::meta::to_meta` gives it; `null` when the
//! input is invalid): every vector payload in both dialects, and a check here that
//! Meta's twin reads back as the same normalized payload with the same verdict. The mutations are text and tree rewrites a sender's code really makes:
//! whitespace, `\/` and `\u00e9` escapes, a repeated key, a null, a formatted `to`,
//! an enum's case, non-ASCII text, a number written as a string.

use serde_json::Value as Serde;
use std::fmt::Write as _;
use wasend::json::{self, Value};
use wasend::meta::{from_meta, to_meta};
use wasend::{
    normalize_json, template, validate, validate_json, validate_owned, Options, TemplateDefinition,
};

const MUTATIONS_PER_PAYLOAD: usize = 4;

/// mulberry32, seeded from the case's name: the same mutations on every run.
struct Rng(u32);

impl Rng {
    fn new(seed: &str) -> Self {
        // FNV-1a of the name.
        let mut h: u32 = 0x811c_9dc5;
        for b in seed.bytes() {
            h ^= u32::from(b);
            h = h.wrapping_mul(0x0100_0193);
        }
        Rng(h)
    }

    fn next(&mut self) -> u32 {
        self.0 = self.0.wrapping_add(0x6d2b_79f5);
        let mut t = self.0;
        t = (t ^ (t >> 15)).wrapping_mul(t | 1);
        t ^= t.wrapping_add((t ^ (t >> 7)).wrapping_mul(t | 0x3d));
        t ^ (t >> 14)
    }

    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            return 0;
        }
        usize::try_from(self.next()).unwrap_or(0) % n
    }
}

#[derive(Clone, Copy, Debug)]
enum Mutation {
    Whitespace,
    SlashEscapes,
    UnicodeEscapes,
    RepeatedKey,
    Null,
    FormattedTo,
    EnumCase,
    NonAscii,
    NumberAsString,
}

const ALL: [Mutation; 9] = [
    Mutation::Whitespace,
    Mutation::SlashEscapes,
    Mutation::UnicodeEscapes,
    Mutation::RepeatedKey,
    Mutation::Null,
    Mutation::FormattedTo,
    Mutation::EnumCase,
    Mutation::NonAscii,
    Mutation::NumberAsString,
];

const NON_ASCII: [&str; 7] = [
    "héllo wörld, ça va?",
    "नमस्ते दुनिया",
    "مرحبا بالعالم",
    "你好，世界",
    "🙂👍🏽 ok 👨‍👩‍👧",
    "ＦＵＬＬ ｗｉｄｔｈ",
    "a\u{200e}b\u{200d}c",
];

/// Rewrites the text outside strings (`outside`) or each character inside them
/// (`inside`, which gets the character and whether it is the string's first).
fn rewrite_text(
    text: &str,
    mut outside: impl FnMut(char, &mut String),
    mut inside: impl FnMut(char, bool, &mut String),
) -> String {
    let mut out = String::with_capacity(text.len() * 2);
    let (mut in_string, mut escape, mut first) = (false, false, false);
    for c in text.chars() {
        if in_string {
            if escape {
                escape = false;
                out.push(c);
            } else if c == '\\' {
                escape = true;
                first = false;
                out.push(c);
            } else if c == '"' {
                in_string = false;
                out.push(c);
            } else {
                inside(c, first, &mut out);
                first = false;
            }
        } else if c == '"' {
            in_string = true;
            first = true;
            out.push(c);
        } else {
            outside(c, &mut out);
        }
    }
    out
}

/// The pointer of member `key` of the value at `at` (RFC 6901 escapes).
fn child(at: &str, key: &str) -> String {
    format!("{at}/{}", key.replace('~', "~0").replace('/', "~1"))
}

/// Every string and number leaf's pointer, in document order.
fn leaves(v: &Value, at: &str, out: &mut Vec<String>) {
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                leaves(x, &child(at, k), out);
            }
        }
        Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                leaves(x, &format!("{at}/{i}"), out);
            }
        }
        Value::String(_) | Value::Number(_) => out.push(at.to_owned()),
        _ => {}
    }
}

/// Every object member's pointer.
fn members(v: &Value, at: &str, out: &mut Vec<String>) {
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                let p = child(at, k);
                out.push(p.clone());
                members(x, &p, out);
            }
        }
        Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                members(x, &format!("{at}/{i}"), out);
            }
        }
        _ => {}
    }
}

fn last_key(pointer: &str) -> &str {
    pointer.rsplit('/').next().unwrap_or_default()
}

/// One mutation of `payload`; `None` when it does not apply to this payload.
fn mutate(payload: &Value, m: Mutation, rng: &mut Rng) -> Option<String> {
    let text = payload.to_json();
    let mut v = payload.clone();
    match m {
        Mutation::Whitespace => {
            const WS: [&str; 5] = [" ", "\n", "\t", "\r\n  ", "  "];
            let mut r = || WS[rng.below(WS.len())];
            let body = rewrite_text(
                &text,
                |c, out| {
                    out.push(c);
                    if matches!(c, '{' | '[' | ',' | ':') {
                        out.push_str(r());
                    }
                },
                |c, _, out| out.push(c),
            );
            Some(format!("\n {body} \n"))
        }
        Mutation::SlashEscapes => text.contains('/').then(|| {
            rewrite_text(
                &text,
                |c, out| out.push(c),
                |c, _, out| {
                    if c == '/' {
                        out.push_str("\\/");
                    } else {
                        out.push(c);
                    }
                },
            )
        }),
        Mutation::UnicodeEscapes => Some(rewrite_text(
            &text,
            |c, out| out.push(c),
            |c, first, out| {
                if !c.is_ascii() || (first && c.is_ascii_alphanumeric()) {
                    let mut units = [0u16; 2];
                    for u in c.encode_utf16(&mut units) {
                        let _ = write!(out, "\\u{u:04x}");
                    }
                } else {
                    out.push(c);
                }
            },
        )),
        Mutation::RepeatedKey => {
            let Value::Object(map) = &v else { return None };
            let keys: Vec<&str> = map.iter().map(|(k, _)| k).collect();
            let key = keys.get(rng.below(keys.len()))?;
            let earlier = ["\"repeated\"", "null", "0", "{}"][rng.below(4)];
            let name = Value::from(*key).to_json();
            Some(format!("{{{name}:{earlier},{}", &text[1..]))
        }
        Mutation::Null => {
            let mut all = Vec::new();
            members(&v, "", &mut all);
            let p = all.get(rng.below(all.len()))?.clone();
            *v.pointer_mut(&p)? = Value::Null;
            Some(v.to_json())
        }
        Mutation::FormattedTo => {
            let to = v.get("to")?.as_str()?.to_owned();
            let digits: Vec<char> = to.chars().filter(char::is_ascii_digit).collect();
            if digits.len() < 6 {
                return None;
            }
            let seps = [" ", "-", ".", " (", ") "];
            let mut out = String::from(if rng.below(3) == 0 { "00" } else { "+" });
            for (i, d) in digits.iter().enumerate() {
                if i > 0 && rng.below(4) == 0 {
                    out.push_str(seps[rng.below(seps.len())]);
                }
                out.push(*d);
            }
            *v.pointer_mut("/to")? = Value::from(out.as_str());
            Some(v.to_json())
        }
        Mutation::EnumCase => {
            let mut all = Vec::new();
            members(&v, "", &mut all);
            let types: Vec<String> = all
                .into_iter()
                .filter(|p| matches!(last_key(p), "type" | "sub_type" | "format"))
                .collect();
            let p = types.get(rng.below(types.len()))?.clone();
            let slot = v.pointer_mut(&p)?;
            let s = slot.as_str()?.to_owned();
            let cased = if rng.below(2) == 0 {
                s.to_uppercase()
            } else {
                let mut c = s.chars();
                c.next()
                    .map(|f| f.to_uppercase().chain(c).collect())
                    .unwrap_or_default()
            };
            *slot = Value::from(cased.as_str());
            Some(v.to_json())
        }
        Mutation::NonAscii => {
            let mut all = Vec::new();
            leaves(&v, "", &mut all);
            let texts: Vec<String> = all
                .into_iter()
                .filter(|p| {
                    !matches!(
                        last_key(p),
                        "to" | "type" | "sub_type" | "format" | "code" | "policy" | "language"
                    )
                })
                .filter(|p| payload.pointer(p).is_some_and(|x| x.as_str().is_some()))
                .collect();
            let p = texts.get(rng.below(texts.len()))?.clone();
            *v.pointer_mut(&p)? = Value::from(NON_ASCII[rng.below(NON_ASCII.len())]);
            Some(v.to_json())
        }
        Mutation::NumberAsString => {
            let mut all = Vec::new();
            leaves(&v, "", &mut all);
            let numbers: Vec<String> = all
                .into_iter()
                .filter(|p| matches!(payload.pointer(p), Some(Value::Number(_))))
                .collect();
            let p = numbers.get(rng.below(numbers.len()))?.clone();
            let slot = v.pointer_mut(&p)?;
            let written = slot.to_json();
            *slot = Value::from(written.as_str());
            Some(v.to_json())
        }
    }
}

/// The line of one case: its result and preview as the core writes them today.
fn line(name: &str, input: &str, options: &Serde) -> String {
    let opts = Options::from_value(&Value::from(options)).expect("a vector's options are valid");
    let checked = validate_json(input.as_bytes(), &opts);
    let result = checked.to_json();
    // The input stands for the normalized text exactly when it is that text.
    let normalized = normalize_json(input.as_bytes(), &opts);
    let written = checked.payload.as_ref().map(Value::to_json);
    assert_eq!(
        normalized.is_input(),
        written.as_deref() == Some(input),
        "{name}: the input is taken for the normalized text wrongly"
    );
    assert_eq!(normalized.text(), written.as_deref(), "{name}");
    // The object road (validate: the value written, read as a tape) gives the text road's result.
    if let Ok(tree) = json::parse(input.as_bytes()) {
        assert_eq!(
            validate_owned(tree, &opts).to_json(),
            result,
            "{name}: validate and validate_json differ"
        );
    }
    let definition = options.get("template").map(|t| {
        TemplateDefinition::from_value(&Value::from(t)).expect("a vector's template is valid")
    });
    let payload = json::parse(input.as_bytes()).unwrap_or_default();
    let preview = template::preview(&payload, definition.as_ref())
        .map_or_else(|| "null".to_owned(), |r| r.to_value().to_json());
    let meta = checked
        .payload
        .filter(|_| checked.valid)
        .map(|p| meta_twin(name, &p, &opts));
    let mut out = serde_json::to_string(&serde_json::json!({
        "name": name, "input": input, "options": options, "result": result, "preview": preview,
        "meta": meta,
    }))
    .expect("json");
    out.push('\n');
    out
}

/// A valid payload's Meta twin as `toMeta` writes it, after holding that the twin
/// reads back (`from_meta`) as the same normalized payload, valid again: the round
/// trip is the identity on every valid case (a media `link` reads as `url`).
fn meta_twin(name: &str, normalized: &Value, opts: &Options) -> String {
    let twin = to_meta(normalized);
    let back = validate(&from_meta(&twin.body, twin.account.as_deref()), opts);
    assert!(
        back.valid,
        "{name}: Meta's twin is invalid: {:?}",
        back.errors
    );
    let again = back.payload.expect("a valid payload");
    assert_eq!(
        from_meta(&again, None),
        from_meta(normalized, None),
        "{name}: the Meta round trip changed the payload"
    );
    let mut out = json::Map::new();
    out.insert("body", twin.body);
    if let Some(a) = twin.account {
        out.insert("account", Value::from(a.as_str()));
    }
    Value::Object(out).to_json()
}

fn main() {
    let write = std::env::args().any(|a| a == "--write");
    let root = env!("CARGO_MANIFEST_DIR");
    let vectors = format!("{root}/tests/vectors");
    let golden = format!("{root}/tests/golden");
    let mut files: Vec<_> = std::fs::read_dir(&vectors)
        .expect("tests/vectors")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    let mut stale = Vec::new();
    let mut cases = 0;
    for path in files {
        let file: Serde =
            serde_json::from_str(&std::fs::read_to_string(&path).expect("vector file"))
                .expect("vector json");
        let stem = path.file_stem().and_then(|s| s.to_str()).expect("name");
        let mut out = String::new();
        for case in file["cases"].as_array().expect("cases") {
            let name = case["name"].as_str().expect("name");
            let options = case.get("options").cloned().unwrap_or(Serde::Null);
            if let Some(raw) = case["input_json"].as_str() {
                out.push_str(&line(name, raw, &options));
                cases += 1;
                continue;
            }
            let payload = Value::from(&case["input"]);
            out.push_str(&line(name, &payload.to_json(), &options));
            cases += 1;
            // Distinct mutations, in an order of the seed's, the first few that apply.
            let mut rng = Rng::new(&format!("{stem}/{name}"));
            let mut order = ALL;
            for i in (1..order.len()).rev() {
                order.swap(i, rng.below(i + 1));
            }
            let mut made = 0;
            for m in order {
                if made == MUTATIONS_PER_PAYLOAD {
                    break;
                }
                if let Some(input) = mutate(&payload, m, &mut rng) {
                    out.push_str(&line(&format!("{name} ({m:?})"), &input, &options));
                    made += 1;
                    cases += 1;
                }
            }
        }
        let target = format!("{golden}/{stem}.jsonl");
        if write {
            std::fs::create_dir_all(&golden).expect("tests/golden");
            std::fs::write(&target, out).expect("write");
        } else if std::fs::read_to_string(&target).ok().as_deref() != Some(out.as_str()) {
            stale.push(target);
        }
    }
    if write {
        println!("{cases} golden cases written to tests/golden/");
    } else if stale.is_empty() {
        println!("{cases} golden cases: the core writes every result, preview and Meta twin byte for byte");
    } else {
        eprintln!(
            "the core no longer writes these golden files byte for byte (see the diff after `cargo run --example golden -- --write`):"
        );
        for s in stale {
            eprintln!("  {s}");
        }
        std::process::exit(1);
    }
}
