//! Properties: validation never panics and points only at places that exist, a
//! builder's output always validates, normalization is idempotent.

use proptest::prelude::*;
use serde_json::{Map, Value};
use wasend::model::{Interactive, Media, Parameter, Section, Template};
use wasend::{phone, validate, validate_json, Message, Options};

const KEYS: &[&str] = &[
    "to",
    "type",
    "text",
    "template",
    "image",
    "video",
    "document",
    "audio",
    "sticker",
    "interactive",
    "location",
    "contacts",
    "reaction",
    "whatsapp_account",
    "context",
    "biz_opaque_callback_data",
    "url",
    "id",
    "caption",
    "filename",
    "body",
    "header",
    "footer",
    "action",
    "buttons",
    "reply",
    "title",
    "sections",
    "rows",
    "button",
    "name",
    "language",
    "components",
    "parameters",
    "sub_type",
    "index",
    "latitude",
    "longitude",
    "emoji",
    "message_id",
    "parameter_name",
    "currency",
    "date_time",
    "fallback_value",
    "code",
    "amount_1000",
];
const STRINGS: &[&str] = &[
    "text",
    "template",
    "image",
    "interactive",
    "button",
    "list",
    "cta_url",
    "reply",
    "header",
    "body",
    "location_request_message",
    "+919876543210",
    "https://example.com/a.jpg",
    "en_US",
    "url",
    "quick_reply",
    "",
    "👍",
    "send_location",
];

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        (-200.0f64..200.0).prop_map(Value::from),
        prop::sample::select(STRINGS).prop_map(Value::from),
        ".{0,30}".prop_map(Value::String),
    ];
    leaf.prop_recursive(6, 64, 8, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec((prop::sample::select(KEYS), inner), 0..8).prop_map(|kv| {
                Value::Object(
                    kv.into_iter()
                        .map(|(k, v)| (k.to_owned(), v))
                        .collect::<Map<_, _>>(),
                )
            }),
        ]
    })
}

/// An issue's path must point at the value it is about, or (for something
/// missing) at an existing parent.
fn path_is_grounded(payload: &wasend::json::Value, path: &str) -> bool {
    if path.is_empty() || payload.pointer(path).is_some() {
        return true;
    }
    let parent = &path[..path.rfind('/').unwrap_or(0)];
    parent.is_empty() || payload.pointer(parent).is_some()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn never_panics_on_bytes(bytes in prop::collection::vec(any::<u8>(), 0..300)) {
        let r = validate_json(&bytes, &Options::default());
        prop_assert_eq!(r.valid, r.payload.is_some());
        prop_assert!(r.valid || !r.errors.is_empty());
    }

    #[test]
    fn never_panics_and_points_at_the_payload(mut v in json_value(), ty in prop::sample::select(&STRINGS[..5])) {
        if let Value::Object(m) = &mut v {
            m.entry("type").or_insert_with(|| Value::from(ty));
        }
        let v = wasend::json::Value::from(&v);
        let r = validate(&v, &Options::default());
        prop_assert_eq!(r.valid, r.payload.is_some());
        for issue in r.errors.iter().chain(&r.warnings) {
            prop_assert!(path_is_grounded(&v, &issue.path), "{} is not in {}", issue.path, v);
            prop_assert!(!issue.message.ends_with('.') && !issue.message.is_empty());
        }
        if let Some(p) = r.payload {
            let again = validate(&p, &Options::default());
            prop_assert_eq!(again.payload, Some(p), "normalization is idempotent");
        }
    }

    #[test]
    fn builder_output_always_validates(
        body in "[a-zA-Z0-9 ]{0,40}[a-z]",
        titles in prop::collection::hash_set("[A-Za-z][A-Za-z0-9 ]{0,18}[a-z]", 1..=3),
        rows in 1usize..=10,
        caption in "[^\\p{C}]{0,200}",
        params in prop::collection::vec("[a-z]([a-z0-9]| [a-z0-9]){0,15}", 0..5),
    ) {
        let buttons = titles.iter().enumerate().fold(Interactive::buttons(body.clone()), |b, (i, t)| b.button(format!("id{i}"), t.clone()));
        prop_assert!(Message::builder("+919876543210").interactive(buttons).build().is_ok());
        let section = (0..rows).fold(Section::untitled(), |s, i| s.row(format!("r{i}"), format!("Row {i}")));
        prop_assert!(Message::builder("+919876543210").interactive(Interactive::list(body.clone(), "Open").section(section)).build().is_ok());
        let image = Media::url("https://example.com/a.png").caption(caption);
        prop_assert!(Message::builder("+919876543210").image(image).build().is_ok());
        let tpl = Template::new("order_update", "en_US").body(params.into_iter().map(Parameter::text));
        prop_assert!(Message::builder("+919876543210").template(tpl).build().is_ok());
    }

    #[test]
    fn phone_normalization_is_idempotent(digits in "[1-9][0-9]{5,14}", sep in prop::sample::select(&[" ", "-", ".", ""][..])) {
        let spaced: String = digits.chars().enumerate().flat_map(|(i, c)| {
            let s = if i > 0 && i % 3 == 0 { sep } else { "" };
            s.chars().chain(std::iter::once(c)).collect::<Vec<_>>()
        }).collect();
        let input = format!("+{spaced}");
        let first = phone::check(&input, None);
        if let Some(c) = first.e164 {
            let again = phone::check(&c, None);
            prop_assert_eq!(again.e164.as_deref(), Some(c.as_str()));
            prop_assert!(again.warnings.iter().all(|w| w.code != wasend::Code::PhoneNormalized));
        } else {
            prop_assert!(!first.errors.is_empty());
        }
    }
}
