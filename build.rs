//! Compiles `data/phone-metadata.json` (Google's libphonenumber metadata, see
//! `scripts/refresh-phone-metadata.mjs`) into the byte blob `src/phone/table.rs`
//! reads. Every pattern is parsed here with the run-time parser, so a metadata
//! refresh that uses syntax the matcher lacks fails the build, not a user's call.
//!
//! Blob layout (all integers LEB128): plan count, region count; a pool of unique
//! strings (count, then each followed by a newline); one record per plan (region id as two bytes, `00` for
//! non-geographic; calling code; possible-lengths mask; mask of types with their
//! own lengths, then those masks; 15 pool references (0 absent, 1 the next unused
//! pool string, i + 2 pool string i): general pattern,
//! 10 type patterns, IDD, national-prefix parser, transform rule, leading
//! digits); then calling code → plan indices.

use serde_json::Value;
use std::path::PathBuf;

#[allow(dead_code)]
#[path = "src/phone/pattern.rs"]
mod pattern;

/// libphonenumber-js's order, which the `types` object of the data file follows.
const TYPES: [&str; 10] = [
    "fixed_line",
    "mobile",
    "toll_free",
    "premium_rate",
    "personal_number",
    "voicemail",
    "uan",
    "pager",
    "voip",
    "shared_cost",
];

fn lengths_mask(v: &Value) -> u64 {
    v.as_array().map_or(0, |a| {
        a.iter().filter_map(Value::as_u64).fold(0u64, |m, n| {
            assert!(n < 32, "possible length {n} out of range");
            m | (1 << n)
        })
    })
}

/// LEB128, as `src/phone/table.rs` reads it.
fn varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8 & 0x7f) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

#[derive(Default)]
struct Pool {
    strings: Vec<String>,
}

impl Pool {
    /// A reference to `s` (0 for `None`); patterns are checked first.
    fn add(&mut self, s: Option<&str>, is_pattern: bool, what: &str) -> u64 {
        let Some(s) = s else { return 0 };
        if is_pattern && !s.is_empty() {
            if let Err(e) = pattern::compile(s) {
                panic!("{what}: {e}");
            }
        }
        // Strings are pooled in order of first use, so a first use is just "the next
        // one" (1) and only repeats name an index (i + 2): the records stay small.
        match self.strings.iter().position(|p| p == s) {
            Some(i) => i as u64 + 2,
            None => {
                self.strings.push(s.to_owned());
                1
            }
        }
    }
}

/// The Unicode `Emoji` property as sorted inclusive ranges: a few hundred bytes
/// where the crate's full status table costs the wasm module 8 KB.
fn emoji_ranges() -> String {
    use unicode_properties::emoji::UnicodeEmoji;
    let mut ranges: Vec<(u32, u32)> = Vec::new();
    for c in (0..=0x10_FFFF).filter_map(char::from_u32) {
        if c.is_emoji_char() {
            let n = c as u32;
            match ranges.last_mut() {
                Some((_, hi)) if *hi + 1 == n => *hi = n,
                _ => ranges.push((n, n)),
            }
        }
    }
    let body: Vec<String> = ranges
        .iter()
        .map(|(a, b)| format!("(0x{a:X}, 0x{b:X})"))
        .collect();
    format!(
        "pub static EMOJI: &[(u32, u32)] = &[{}];\n",
        body.join(", ")
    )
}

/// The first code point of every run of Unicode decimal digits (general category
/// `Nd`, which comes in runs of ten from zero): the phone reader takes each as
/// its digit, as libphonenumber does.
fn decimal_zeros() -> String {
    use unicode_properties::{GeneralCategory, UnicodeGeneralCategory};
    let digits: Vec<u32> = (0..=0x10_FFFF)
        .filter_map(char::from_u32)
        .filter(|c| c.general_category() == GeneralCategory::DecimalNumber)
        .map(|c| c as u32)
        .collect();
    let zeros: Vec<u32> = digits.iter().copied().step_by(10).collect();
    for z in &zeros {
        for k in 0..10 {
            assert!(
                digits.contains(&(z + k)),
                "decimal digits run at U+{z:04X} is not ten long"
            );
        }
    }
    assert_eq!(
        zeros.len() * 10,
        digits.len(),
        "decimal digits come in runs of ten"
    );
    let body: Vec<String> = zeros.iter().map(|z| format!("0x{z:X}")).collect();
    format!("pub static DIGIT_ZEROS: &[u32] = &[{}];\n", body.join(", "))
}

fn nonempty(v: &Value) -> Option<&str> {
    v.as_str().filter(|s| !s.is_empty())
}

fn main() {
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("manifest dir"));
    println!("cargo:rerun-if-changed=data/phone-metadata.json");
    println!("cargo:rerun-if-changed=src/phone/pattern.rs");
    let text = std::fs::read_to_string(manifest.join("data/phone-metadata.json"))
        .expect("read data/phone-metadata.json");
    let meta: Value = serde_json::from_str(&text).expect("parse data/phone-metadata.json");

    let mut plans: Vec<(String, &Value)> = meta["regions"]
        .as_object()
        .expect("regions")
        .iter()
        .map(|(k, v)| (k.clone(), v))
        .collect();
    plans.sort_by(|a, b| a.0.cmp(&b.0));
    let regions = plans.len();
    let mut non_geo: Vec<(String, &Value)> = meta["non_geographic"]
        .as_object()
        .expect("non_geographic")
        .iter()
        .map(|(k, v)| (k.clone(), v))
        .collect();
    non_geo.sort_by(|a, b| a.0.cmp(&b.0));
    plans.extend(non_geo);

    let mut pool = Pool::default();
    let mut records = Vec::new();
    for (key, plan) in &plans {
        let is_region = key.len() == 2 && key.chars().all(|c| c.is_ascii_uppercase());
        records.extend_from_slice(if is_region { key.as_bytes() } else { b"00" });
        let cc = plan["calling_code"].as_str().expect("calling code");
        varint(&mut records, cc.parse().expect("numeric calling code"));
        varint(&mut records, lengths_mask(&plan["lengths"]));
        let mut refs = vec![pool.add(plan["pattern"].as_str(), true, key)];
        let mut own = 0u64;
        let mut own_lengths = Vec::new();
        for (t, name) in TYPES.iter().enumerate() {
            let def = plan["types"].get(*name);
            // An empty mobile pattern means "same as fixed line": it stays an empty string.
            let pat = def.map(|d| d["pattern"].as_str().expect("type pattern"));
            refs.push(pool.add(pat, true, &format!("{key} {name}")));
            let l = def.map_or(0, |d| lengths_mask(&d["lengths"]));
            if l != 0 {
                own |= 1 << t;
                own_lengths.push(l);
            }
        }
        let npfp = nonempty(&plan["national_prefix_for_parsing"])
            .or_else(|| nonempty(&plan["national_prefix"]));
        refs.push(pool.add(nonempty(&plan["idd"]), true, key));
        refs.push(pool.add(npfp, true, key));
        refs.push(pool.add(nonempty(&plan["national_prefix_transform"]), false, key));
        refs.push(pool.add(nonempty(&plan["leading_digits"]), true, key));
        varint(&mut records, own);
        for l in own_lengths {
            varint(&mut records, l);
        }
        for r in refs {
            varint(&mut records, r);
        }
    }

    let mut blob = Vec::new();
    varint(&mut blob, plans.len() as u64);
    varint(&mut blob, regions as u64);
    varint(&mut blob, pool.strings.len() as u64);
    // Newline-separated text compresses better than length-prefixed strings.
    for s in &pool.strings {
        assert!(!s.contains('\n'));
        blob.extend_from_slice(s.as_bytes());
        blob.push(b'\n');
    }
    blob.extend_from_slice(&records);

    // Calling code -> plan indices, in the metadata's order (the main region first).
    // Non-geographic codes are not in `calling_codes`; each is its own plan.
    let index_of = |id: &str, cc: &str| -> usize {
        if id == "001" {
            regions
                + plans[regions..]
                    .iter()
                    .position(|(k, _)| k == cc)
                    .expect("non-geographic plan")
        } else {
            plans[..regions]
                .binary_search_by(|(k, _)| k.as_str().cmp(id))
                .expect("region")
        }
    };
    let mut codes: Vec<(u64, Vec<usize>)> = meta["calling_codes"]
        .as_object()
        .expect("calling codes")
        .iter()
        .map(|(cc, ids)| {
            let ids = ids.as_array().expect("ids").iter();
            (
                cc.parse().expect("numeric"),
                ids.map(|id| index_of(id.as_str().expect("id"), cc))
                    .collect(),
            )
        })
        .collect();
    for (i, (cc, _)) in plans.iter().enumerate().skip(regions) {
        let cc: u64 = cc.parse().expect("numeric");
        if !codes.iter().any(|(c, _)| *c == cc) {
            codes.push((cc, vec![i]));
        }
    }
    codes.sort();
    varint(&mut blob, codes.len() as u64);
    for (cc, idx) in codes {
        varint(&mut blob, cc);
        varint(&mut blob, idx.len() as u64);
        for i in idx {
            varint(&mut blob, i as u64);
        }
    }

    let src = format!(
        "pub const METADATA_VERSION: &str = {:?};\npub const METADATA_SOURCE: &str = {:?};\n\
         pub static BLOB: &[u8] = include_bytes!(concat!(env!(\"OUT_DIR\"), \"/phone.bin\"));\n",
        meta["metadata_version"].as_str().expect("version"),
        meta["source"].as_str().expect("source"),
    );
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("OUT_DIR"));
    std::fs::write(out.join("emoji.rs"), emoji_ranges()).expect("write emoji.rs");
    std::fs::write(out.join("digits.rs"), decimal_zeros()).expect("write digits.rs");
    std::fs::write(out.join("phone.bin"), &blob).expect("write phone.bin");
    std::fs::write(out.join("phone_data.rs"), src).expect("write phone_data.rs");
}
