//! Allocations per payload kind, from a payload's bytes to its normalized bytes
//! (`normalize_json`, then its text; the payloads are canonical, so the text
//! is the input's own bytes, #28 step 2, and no tree is built, step 4): `allocation-counter`'s
//! counting allocator counts them, and each kind fails above its ceiling. The ceilings are
//! the core's figures when this test was written (#28, step 1); each step of the
//! rebuild that lowers a figure lowers its ceiling here, so none creeps back.
//!
//!   cargo test --test allocations -- --nocapture   # prints the figures

#[path = "../benches/payloads.rs"]
mod payloads;

use wasend::{normalize_json, Options};

/// The figures since validation reads the tape (#28 step 4; step 1's were 19 to 79,
/// step 2's 14 to 72, step 3's 5 to 33): the tape and the phone verdict's E.164 text.
const CEILINGS: &[(&str, u64)] = &[
    ("text", 2),
    ("image", 2),
    ("document", 2),
    ("buttons", 2),
    ("list", 2),
    ("cta_url", 2),
    ("template", 2),
    ("location", 2),
    ("contacts", 2),
    ("reaction", 2),
];

fn allocations(bytes: &[u8], opts: &Options) -> u64 {
    let mut valid = false;
    let info = allocation_counter::measure(|| {
        let n = normalize_json(bytes, opts);
        valid = n.result.valid && n.is_input() && n.text().is_some();
    });
    assert!(valid, "a valid payload");
    info.count_total
}

#[test]
fn allocations_per_payload_kind_stay_under_their_ceilings() {
    let opts = Options::default();
    let mut over = Vec::new();
    let kinds = payloads::payloads_serde();
    assert_eq!(kinds.len(), CEILINGS.len(), "a ceiling for every kind");
    for (name, payload) in kinds {
        let bytes = serde_json::to_vec(&payload).expect("json");
        // Once first: lazily built tables (the phone metadata) are not the payload's.
        allocations(&bytes, &opts);
        let n = allocations(&bytes, &opts);
        let Some(&(_, ceiling)) = CEILINGS.iter().find(|(k, _)| *k == name) else {
            panic!("no ceiling for {name}")
        };
        println!("{name:>10}: {n} allocations (ceiling {ceiling})");
        if n > ceiling {
            over.push(format!("{name}: {n} > {ceiling}"));
        }
    }
    assert!(over.is_empty(), "over the ceiling: {over:?}");
}

/// The tape (#28, step 4) reads a payload into its node list alone: one
/// allocation, and one more for a side buffer when a string has escapes.
#[test]
fn the_tape_reads_a_payload_in_one_allocation() {
    for (name, payload) in payloads::payloads_serde() {
        let bytes = serde_json::to_vec(&payload).expect("json");
        let mut ok = false;
        let n = allocation_counter::measure(|| {
            ok = wasend::json::tape::Tape::parse(&bytes).is_ok();
        })
        .count_total;
        assert!(ok, "{name} parses");
        assert_eq!(n, 1, "{name}: {n} allocations");
    }
}
