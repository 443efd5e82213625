//! Compiles `data/phone-metadata.json` (Google's libphonenumber metadata, see
//! `scripts/refresh-phone-metadata.mjs`) into the static table `src/phone/mod.rs`
//! reads. Every pattern is parsed here with the run-time parser, so a metadata
//! refresh that uses syntax the matcher lacks fails the build, not a user's call.

use serde_json::Value;
use std::fmt::Write as _;
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

fn lengths_mask(v: &Value) -> u32 {
    v.as_array().map_or(0, |a| {
        a.iter().filter_map(Value::as_u64).fold(0u32, |m, n| {
            assert!(n < 32, "possible length {n} out of range");
            m | (1 << n)
        })
    })
}

/// Checks that the run-time parser reads `src`, and returns it as a literal.
fn checked(src: &str, what: &str) -> String {
    if let Err(e) = pattern::compile(src) {
        panic!("{what}: {e}");
    }
    format!("{src:?}")
}

fn opt_pattern(v: &Value, what: &str) -> String {
    match v.as_str() {
        Some(s) if !s.is_empty() => format!("Some({})", checked(s, what)),
        _ => "None".into(),
    }
}

fn opt_str(v: &Value) -> String {
    match v.as_str() {
        Some(s) if !s.is_empty() => format!("Some({s:?})"),
        _ => "None".into(),
    }
}

fn main() {
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("manifest dir"));
    let data_path = manifest.join("data/phone-metadata.json");
    println!("cargo:rerun-if-changed=data/phone-metadata.json");
    println!("cargo:rerun-if-changed=src/phone/pattern.rs");
    let text = std::fs::read_to_string(&data_path).expect("read data/phone-metadata.json");
    let meta: Value = serde_json::from_str(&text).expect("parse data/phone-metadata.json");

    let mut plans: Vec<(String, &Value)> = Vec::new();
    for (id, plan) in meta["regions"].as_object().expect("regions") {
        plans.push((id.clone(), plan));
    }
    plans.sort_by(|a, b| a.0.cmp(&b.0));
    let regions = plans.len();
    let mut non_geo: Vec<(String, &Value)> = meta["non_geographic"]
        .as_object()
        .expect("non_geographic")
        .iter()
        .map(|(cc, plan)| (cc.clone(), plan))
        .collect();
    non_geo.sort_by(|a, b| a.0.cmp(&b.0));
    plans.extend(non_geo);

    let mut src = String::new();
    let _ = writeln!(
        src,
        "pub const METADATA_VERSION: &str = {:?};",
        meta["metadata_version"].as_str().expect("version")
    );
    let _ = writeln!(
        src,
        "pub const METADATA_SOURCE: &str = {:?};",
        meta["source"].as_str().expect("source")
    );
    let _ = writeln!(src, "pub const REGION_COUNT: usize = {regions};");
    let _ = writeln!(src, "pub const PLAN_COUNT: usize = {};", plans.len());
    src.push_str("pub static PLANS: &[Plan] = &[\n");
    for (index, (key, plan)) in plans.iter().enumerate() {
        let mut types = Vec::new();
        let mut type_lengths = [0u32; 10];
        for (t, name) in TYPES.iter().enumerate() {
            match plan["types"].get(*name) {
                Some(def) => {
                    type_lengths[t] = lengths_mask(&def["lengths"]);
                    let pat = def["pattern"].as_str().expect("type pattern");
                    // An empty mobile pattern means "same as fixed line": keep it empty.
                    types.push(if pat.is_empty() {
                        "Some(\"\")".to_owned()
                    } else {
                        format!("Some({})", checked(pat, &format!("{key} {name}")))
                    });
                }
                None => types.push("None".into()),
            }
        }
        let is_region = key.len() == 2 && key.chars().all(|c| c.is_ascii_uppercase());
        let npfp = match plan["national_prefix_for_parsing"].as_str() {
            Some(s) if !s.is_empty() => Value::String(s.into()),
            _ => plan["national_prefix"].clone(),
        };
        let _ = writeln!(
            src,
            "  Plan {{ index: {index}, id: {id:?}, calling_code: {cc:?}, lengths: {lengths}, \
             transform: {tr}, pattern: {pattern}, types: [{types}], type_lengths: {type_lengths:?}, \
             idd: {idd}, national_prefix_parser: {npfp}, leading_digits: {ld} }},",
            id = if is_region { key.as_str() } else { "001" },
            cc = plan["calling_code"].as_str().expect("calling code"),
            lengths = lengths_mask(&plan["lengths"]),
            tr = opt_str(&plan["national_prefix_transform"]),
            pattern = checked(plan["pattern"].as_str().expect("pattern"), key),
            types = types.join(", "),
            idd = opt_pattern(&plan["idd"], key),
            npfp = opt_pattern(&npfp, key),
            ld = opt_pattern(&plan["leading_digits"], key),
        );
    }
    src.push_str("];\n");

    // Calling code -> plan indices, in the metadata's order (the main region first).
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
    // Non-geographic codes are not in `calling_codes`; each is its own plan.
    let mut codes: Vec<(String, Vec<usize>)> = meta["calling_codes"]
        .as_object()
        .expect("calling codes")
        .iter()
        .map(|(cc, ids)| {
            let ids = ids.as_array().expect("ids").iter();
            (
                cc.clone(),
                ids.map(|id| index_of(id.as_str().expect("id"), cc))
                    .collect(),
            )
        })
        .collect();
    for (i, (cc, _)) in plans.iter().enumerate().skip(regions) {
        if !codes.iter().any(|(c, _)| c == cc) {
            codes.push((cc.clone(), vec![i]));
        }
    }
    codes.sort();
    src.push_str("pub static CALLING_CODES: &[(&str, &[u16])] = &[\n");
    for (cc, idx) in codes {
        let idx: Vec<String> = idx.iter().map(ToString::to_string).collect();
        let _ = writeln!(src, "  ({cc:?}, &[{}]),", idx.join(", "));
    }
    src.push_str("];\n");

    let out = PathBuf::from(std::env::var("OUT_DIR").expect("OUT_DIR"));
    std::fs::write(out.join("phone_data.rs"), src).expect("write tables");
}
