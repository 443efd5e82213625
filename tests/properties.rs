//! Properties: validation never panics and points only at places that exist, a
//! builder's output always validates, normalization is idempotent.

use proptest::prelude::*;
use serde_json::{Map, Value};
#[cfg(feature = "model")]
use wasend::model::{Interactive, Media, Parameter, Section, Template};
#[cfg(feature = "model")]
use wasend::Message;
use wasend::{phone, validate, validate_json, Options};

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

    #[cfg(feature = "model")]
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

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's
/// `days_from_civil`): an oracle for `numbers::is_date` that shares no code with it.
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn digits_are_digits_only(s in "[+\\- 0-9a-f٠-٩]{0,24}") {
        let reference = (!s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse::<u64>().ok())
            .flatten();
        prop_assert_eq!(wasend::numbers::digits_u64(&s), reference);
    }

    #[test]
    fn digits_never_overflow(n in any::<u64>(), extra in 0u8..10) {
        prop_assert_eq!(wasend::numbers::digits_u64(&n.to_string()), Some(n));
        let longer = format!("{n}{extra}");
        prop_assert_eq!(wasend::numbers::digits_u64(&longer), n.checked_mul(10).and_then(|m| m.checked_add(u64::from(extra))));
    }

    #[test]
    fn ports_are_1_to_65535_without_sign(s in "[+\\-]?[0-9]{1,6}") {
        let reference = s.bytes().all(|b| b.is_ascii_digit()) && s.len() <= 5
            && s.parse::<u32>().is_ok_and(|n| (1..=65_535).contains(&n));
        prop_assert_eq!(wasend::numbers::port(&s).is_some(), reference);
    }

    #[test]
    fn rfc3339_times_read_as_the_civil_oracle_says(
        day in 0i64..=2_932_896, secs in 0i64..86_400, ms in 0i64..1000,
        offset_min in -1439i64..=1439, lower in any::<bool>(),
    ) {
        let (y, m, d) = civil_from_days(day);
        let (h, mi, s) = (secs / 3600, secs / 60 % 60, secs % 60);
        let sign = if offset_min < 0 { '-' } else { '+' };
        let (oh, om) = (offset_min.abs() / 60, offset_min.abs() % 60);
        let t = if lower { 't' } else { 'T' };
        let text = format!("{y:04}-{m:02}-{d:02}{t}{h:02}:{mi:02}:{s:02}.{ms:03}{sign}{oh:02}:{om:02}");
        let utc = (day * 86_400 + secs - offset_min * 60) * 1000 + ms;
        prop_assert_eq!(wasend::numbers::rfc3339_ms(&text), Some(utc), "{}", text);
        let zulu = format!("{y:04}-{m:02}-{d:02}T{h:02}:{mi:02}:{s:02}Z");
        prop_assert_eq!(wasend::numbers::rfc3339_ms(&zulu), Some((day * 86_400 + secs) * 1000), "{}", zulu);
    }

    #[test]
    fn dates_exist(y in 1i64..=9999, m in 0i64..=13, d in 0i64..=32) {
        let text = format!("{y:04}-{m:02}-{d:02}");
        // A real date survives the trip to days and back unchanged; one that does not exist does not.
        let exists = (1..=12).contains(&m) && d >= 1 && civil_from_days(days_from_civil(y, m, d)) == (y, m, d);
        prop_assert_eq!(wasend::numbers::is_date(&text), exists, "{}", text);
    }

    #[test]
    fn dates_are_written_strictly(s in "[+\\- 0-9]{4}-[0-9 +]{2}-[0-9 +]{2}") {
        if !s.bytes().enumerate().all(|(i, b)| i == 4 || i == 7 || b.is_ascii_digit()) {
            prop_assert!(!wasend::numbers::is_date(&s), "{}", s);
        }
    }

    #[test]
    fn hex_bytes_are_two_hex_digits(a in any::<u8>(), b in any::<u8>()) {
        let hex = |c: u8| c.is_ascii_hexdigit();
        let reference = (hex(a) && hex(b)).then(|| {
            u8::from_str_radix(&format!("{}{}", char::from(a), char::from(b)), 16).ok()
        }).flatten();
        prop_assert_eq!(wasend::numbers::hex_byte(a, b), reference);
    }

    #[test]
    fn string_coordinates_are_decimal_numbers(s in "[+\\-]?[0-9]{0,4}(\\.[0-9]{0,3})?([eE][0-9])?") {
        // A string coordinate is accepted exactly when it is a JSON number without an exponent.
        let payload = serde_json::json!({"to": "+919876543210", "type": "location", "location": {"latitude": s, "longitude": 0}});
        let r = validate(&wasend::json::Value::from(&payload), &Options::default());
        let json_number = serde_json::from_str::<serde_json::Number>(&s).is_ok() && !s.contains(['e', 'E']);
        let format_error = r.errors.iter().any(|e| e.code == wasend::Code::InvalidFormat);
        prop_assert_eq!(!format_error, json_number, "{}", s);
    }
}
