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

use std::fmt::Write as _;

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

/// A campaign list's rows (`campaign::prepare`, the template filled and validated
/// for each): allocations per row, from the difference between lists of 100 and
/// 200 rows. 21 when counted first; 14 once a row's cells are moved into the
/// filler's values and back rather than copied, and the filled text is sent as
/// written.
///
/// Counted without debug assertions (the template walker's check of its
/// pointers allocates): `scripts/test.sh` runs this file `--release` too.
#[test]
fn a_list_row_stays_under_its_ceiling() {
    const CEILING: u64 = 14;
    let def = wasend::TemplateDefinition::from_json(include_bytes!(
        "../templates/order_confirmation.en.json"
    ))
    .expect("definition");
    let list = |n: usize| {
        let mut text = String::from("to,1,2,button_0\n");
        for i in 0..n {
            let _ = writeln!(text, "+9198{},Customer {i},ORD-{i},{i}", 10_000_000 + i);
        }
        text
    };
    let options = wasend::campaign::ListOptions::default();
    let count = |text: &str| {
        let mut valid = 0;
        let n = allocation_counter::measure(|| {
            valid = wasend::campaign::prepare(text, &def, &options)
                .summary
                .valid;
        })
        .count_total;
        (n, valid)
    };
    let (small, large) = (list(100), list(200));
    count(&small);
    let ((a, valid_a), (b, valid_b)) = (count(&small), count(&large));
    assert_eq!((valid_a, valid_b), (100, 200), "every row valid");
    let per_row = (b - a) / 100;
    println!("list row: {per_row} allocations (ceiling {CEILING})");
    if cfg!(debug_assertions) {
        return;
    }
    assert!(
        per_row <= CEILING,
        "{per_row} allocations a row > {CEILING}"
    );
}
