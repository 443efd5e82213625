//! The allocator of wasend's WebAssembly modules (the npm package's three and the
//! Worker's): Rust's own dlmalloc, fed by a linear memory that grows by an eighth
//! of its size at a time instead of by what one request needs.
//!
//! Why: std's allocator on `wasm32-unknown-unknown` grows the memory a 64 KiB page
//! at a time. V8 counts every `memory.grow` against the JavaScript heap's external
//! memory and collects the whole heap when that count rises, so a campaign list of
//! 100,000 rows, whose memory grows to about 190 MB page by page, set off about a
//! hundred full collections and took 7 s the first time and 1.3 s after
//! (BENCHMARKS.md, "a list's first preparation"; `node benches/first-list.mjs`).
//! Growing in proportion makes that a few dozen steps at most, and costs at most
//! an eighth of the memory in pages reserved and not yet used.
//!
//! On every other target this crate is empty: the native core keeps the system
//! allocator, and the modules declare this one only for `wasm32`.
#![no_std]

/// How many pages to ask for when dlmalloc needs `needed` and the memory holds
/// `current`: an eighth of the memory, or what is needed if that is more. The
/// second answer is the fallback when the first cannot be had (the memory's
/// maximum is near), so that an allocation that fits still succeeds.
#[must_use]
pub const fn pages_to_grow(needed: usize, current: usize) -> [usize; 2] {
    let share = current / GROWTH_DIVISOR;
    [if share > needed { share } else { needed }, needed]
}

/// The memory grows by at least 1/`GROWTH_DIVISOR` of itself: few enough steps
/// that the engine's collector is not woken by each, little enough unused memory
/// (at most an eighth) that a page's tab does not notice.
pub const GROWTH_DIVISOR: usize = 8;

/// A WebAssembly page.
pub const PAGE: usize = 64 * 1024;

#[cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]
mod wasm32 {
    use super::{pages_to_grow, PAGE};
    use core::alloc::{GlobalAlloc, Layout};
    use core::arch::wasm32::{memory_grow, memory_size};
    use core::cell::UnsafeCell;
    use core::ptr;

    /// dlmalloc's system interface over the module's one memory.
    #[derive(Debug)]
    pub struct Memory;

    // SAFETY: `alloc` hands dlmalloc pages that `memory.grow` has just added, so no
    // one else owns them; nothing is ever given back (a wasm memory cannot shrink),
    // which `free`, `free_part` and `can_release_part` report as `false`.
    unsafe impl dlmalloc::Allocator for Memory {
        fn alloc(&self, size: usize) -> (*mut u8, usize, u32) {
            for pages in pages_to_grow(size.div_ceil(PAGE), memory_size(0)) {
                let previous = memory_grow(0, pages);
                if previous != usize::MAX {
                    return ((previous * PAGE) as *mut u8, pages * PAGE, 0);
                }
            }
            (ptr::null_mut(), 0, 0)
        }

        fn remap(&self, _: *mut u8, _: usize, _: usize, _: bool) -> *mut u8 {
            ptr::null_mut()
        }

        fn free_part(&self, _: *mut u8, _: usize, _: usize) -> bool {
            false
        }

        fn free(&self, _: *mut u8, _: usize) -> bool {
            false
        }

        fn can_release_part(&self, _: u32) -> bool {
            false
        }

        fn allocates_zeros(&self) -> bool {
            true
        }

        fn page_size(&self) -> usize {
            PAGE
        }
    }

    /// The global allocator: `#[global_allocator] static ALLOCATOR: Allocator =
    /// Allocator::new();` in a module's crate, for `wasm32` only.
    #[derive(Debug)]
    pub struct Allocator(UnsafeCell<dlmalloc::Dlmalloc<Memory>>);

    // SAFETY: without the `atomics` target feature (this module's cfg) a wasm
    // instance runs one thread, so the cell is never reached from two at once.
    unsafe impl Sync for Allocator {}

    impl Allocator {
        /// An allocator that has not yet asked for memory.
        #[allow(clippy::new_without_default)]
        #[must_use]
        pub const fn new() -> Self {
            Self(UnsafeCell::new(dlmalloc::Dlmalloc::new_with_allocator(
                Memory,
            )))
        }
    }

    // SAFETY: each method forwards to dlmalloc, which upholds `GlobalAlloc`'s
    // contract; the cell is only reached from the instance's one thread and
    // dlmalloc never calls back into the global allocator.
    unsafe impl GlobalAlloc for Allocator {
        unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
            // SAFETY: see the impl's comment
            unsafe { (*self.0.get()).malloc(layout.size(), layout.align()) }
        }

        unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
            // SAFETY: see the impl's comment
            unsafe { (*self.0.get()).free(ptr, layout.size(), layout.align()) }
        }

        unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
            // SAFETY: see the impl's comment
            unsafe { (*self.0.get()).calloc(layout.size(), layout.align()) }
        }

        unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
            // SAFETY: see the impl's comment
            unsafe { (*self.0.get()).realloc(ptr, layout.size(), layout.align(), new_size) }
        }
    }
}

#[cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]
pub use wasm32::{Allocator, Memory};

#[cfg(test)]
mod tests {
    use super::{pages_to_grow, GROWTH_DIVISOR};

    #[test]
    fn grows_by_an_eighth_or_by_what_is_needed() {
        // A small memory grows by what is asked.
        assert_eq!(pages_to_grow(1, 17), [2, 1]);
        assert_eq!(pages_to_grow(5, 17), [5, 5]);
        // A large one by an eighth of itself, with the need as the fallback.
        assert_eq!(pages_to_grow(1, 2048), [256, 1]);
        assert_eq!(pages_to_grow(600, 2048), [600, 600]);
    }

    #[test]
    fn a_large_list_is_a_few_dozen_steps() {
        // From a module's first 17 pages to 190 MB, one page asked at a time.
        let (mut pages, mut steps) = (17, 0);
        while pages * super::PAGE < 190_000_000 {
            pages += pages_to_grow(1, pages)[0];
            steps += 1;
        }
        assert!(steps < 60, "{steps} steps with divisor {GROWTH_DIVISOR}");
    }
}
