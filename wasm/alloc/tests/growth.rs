//! The memory grows in proportion to itself, not a page at a time: a growth can
//! set off a full collection of the JavaScript heap in V8, so a large list grown
//! page by page took seconds more (BENCHMARKS.md). In Node and in headless
//! Chromium, as scripts/test.sh runs the wasm tests.
#![cfg(target_arch = "wasm32")]

use core::arch::wasm32::memory_size;
use wasm_bindgen_test::wasm_bindgen_test;
// As the modules declare it. Without it this binary has std's allocator and the
// test fails (about a thousand growths).
#[global_allocator]
static ALLOCATOR: wasend_alloc::Allocator = wasend_alloc::Allocator::new();

#[wasm_bindgen_test]
fn sixty_four_megabytes_in_few_growths() {
    let mut kept: Vec<Vec<u8>> = Vec::new();
    let (mut growths, mut pages) = (0, memory_size(0));
    // A list's cells: many allocations a little under a page each, all kept.
    for i in 0..1_100_u32 {
        kept.push(vec![i.to_le_bytes()[0]; 60_000]);
        if memory_size(0) != pages {
            growths += 1;
            pages = memory_size(0);
        }
    }
    assert!(pages * 65_536 >= 66_000_000);
    // Page by page this is about a thousand growths; by an eighth, a few dozen.
    assert!(growths <= 60, "{growths} growths");
    assert_eq!(kept.iter().map(Vec::len).sum::<usize>(), 66_000_000);
}
