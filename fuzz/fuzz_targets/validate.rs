//! Raw bytes into every entry point of the core: nothing may panic; a valid
//! payload's normalized form must validate again to itself; the input stands for
//! the normalized text exactly when writing the payload gives the input back;
//! wasend's JSON parser must accept exactly what serde_json accepts, with the
//! same value; and the tape must read every text as the tree does. Against each
//! approved definition of `templates/`, a payload's verdict and normalized form
//! must hold the same way, and an object's fields must fill each template into a
//! payload that validates against it when the filler says it is valid (the
//! definition checks and the filler's writer meet arbitrary input, with the
//! debug assertions on: the template walker's pointers are checked there).
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use wasend::{
    json, normalize_json, phone, template, validate, validate_json, validate_owned, Options,
    TemplateDefinition,
};

const DEFINITIONS: &[&[u8]] = &[
    include_bytes!("../../templates/appointment_reminder.en_US.json"),
    include_bytes!("../../templates/delivery_update.en.json"),
    include_bytes!("../../templates/fall_sale.en_US.json"),
    include_bytes!("../../templates/hello_world.en_US.json"),
    include_bytes!("../../templates/invoice_ready.en.json"),
    include_bytes!("../../templates/new_arrivals.en_US.json"),
    include_bytes!("../../templates/order_confirmation.en.json"),
    include_bytes!("../../templates/order_confirmation.pt_BR.json"),
    include_bytes!("../../templates/product_demo.en.json"),
    include_bytes!("../../templates/store_location.en.json"),
    include_bytes!("../../templates/summer_promo.en.json"),
    include_bytes!("../../templates/verification_code.en.json"),
];

fn definitions() -> &'static [(TemplateDefinition, Options)] {
    static DEFS: OnceLock<Vec<(TemplateDefinition, Options)>> = OnceLock::new();
    DEFS.get_or_init(|| {
        DEFINITIONS
            .iter()
            .map(|bytes| {
                let def = TemplateDefinition::from_json(bytes).expect("a shipped definition reads");
                let opts = Options::default().template(def.clone());
                (def, opts)
            })
            .collect()
    })
}

fuzz_target!(|data: &[u8]| {
    let opts = Options::default();
    let result = validate_json(data, &opts);
    assert_eq!(result.valid, result.payload.is_some());
    if let Some(payload) = &result.payload {
        let again = validate(payload, &opts);
        assert!(again.valid, "normalized payload no longer valid: {:?}", again.errors);
        assert_eq!(again.payload.as_ref(), Some(payload), "normalization is not idempotent");
    }
    // The object road (validate: the value written, read as a tape) gives the text road's result.
    if let Ok(tree) = json::parse(data) {
        assert_eq!(validate_owned(tree, &opts).to_json(), result.to_json(), "validate and validate_json differ");
    }
    let normalized = normalize_json(data, &opts);
    let written = result.payload.as_ref().map(json::Value::to_json);
    assert_eq!(
        normalized.is_input(),
        written.as_deref().map(str::as_bytes) == Some(data),
        "the input is taken for the normalized text wrongly"
    );
    assert_eq!(normalized.text(), written.as_deref());
    let ours = json::parse(data);
    let theirs = serde_json::from_slice::<serde_json::Value>(data);
    match (&ours, &theirs) {
        (Ok(a), Ok(b)) => assert_eq!(a, &json::Value::from(b), "parsers disagree on the value"),
        (Err(_), Err(_)) => {}
        _ => panic!("parsers disagree: wasend {:?}, serde_json {:?}", ours.as_ref().err(), theirs.as_ref().err()),
    }
    // The tape reads as the tree: the same value in the same order, the same errors.
    match (&ours, json::tape::Tape::parse(data)) {
        (Ok(a), Ok((t, _))) => assert_eq!(t.root().to_value().to_json(), a.to_json(), "the tape reads otherwise"),
        (Err(a), Err(b)) => assert_eq!(a, &b, "the tape fails otherwise"),
        (a, b) => panic!("tape and tree disagree: {:?} {:?}", a.as_ref().err(), b.err()),
    }
    if let Ok(v) = &ours {
        let _ = template::preview(v, None);
        assert_eq!(json::parse(v.to_json().as_bytes()).as_ref(), Ok(v), "write then parse is the identity");
        for (def, with_def) in definitions() {
            let r = validate(v, with_def);
            assert_eq!(r.valid, r.payload.is_some());
            if let Some(payload) = &r.payload {
                let again = validate(payload, with_def);
                assert!(again.valid, "{}: normalized payload no longer valid: {:?}", def.name, again.errors);
                assert_eq!(again.payload.as_ref(), Some(payload), "{}: normalization is not idempotent", def.name);
            }
            let _ = template::preview(v, Some(def));
            if let Some(values) = v.as_object() {
                let filled = template::fill_template(def, values, &Options::default());
                assert_eq!(filled.valid, filled.text.is_some(), "{}: a filled verdict without its text", def.name);
                if let Some(text) = &filled.text {
                    let r = validate_json(text.as_bytes(), with_def);
                    assert!(r.valid, "{}: a filled payload does not validate: {:?}", def.name, r.errors);
                }
                let _ = filled.draft_value();
            }
        }
    }
    if let Ok(s) = std::str::from_utf8(data) {
        let _ = phone::check(s, None);
        let _ = phone::check(s, Some("IN"));
    }
});
