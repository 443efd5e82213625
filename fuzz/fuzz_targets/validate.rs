//! Raw bytes into every entry point of the core: nothing may panic, and a valid
//! payload's normalized form must validate again to itself.
#![no_main]

use libfuzzer_sys::fuzz_target;
use wasend::{phone, template, validate, validate_json, Options};

fuzz_target!(|data: &[u8]| {
    let opts = Options::default();
    let result = validate_json(data, &opts);
    if let Some(payload) = &result.payload {
        let again = validate(payload, &opts);
        assert!(again.valid, "normalized payload no longer valid: {:?}", again.errors);
        assert_eq!(again.payload.as_ref(), Some(payload), "normalization is not idempotent");
    }
    if let Ok(v) = serde_json::from_slice::<serde_json::Value>(data) {
        let _ = template::preview(&v, None);
    }
    if let Ok(s) = std::str::from_utf8(data) {
        let _ = phone::check(s, None);
        let _ = phone::check(s, Some("IN"));
    }
});
