//! The field names payloads carry, kept once for the whole process: a parsed
//! key that is one of them borrows it instead of allocating its own copy.
//!
//! Only speed depends on this table, never a verdict: a key missing from it is
//! owned like any other. The test below holds that every key of every valid
//! vector's payload and Meta twin is here, so the kinds the benchmarks measure
//! are all served.

use std::borrow::Cow;

/// A field name: borrowed from [`NAMES`] when it is one of them.
pub type Key = Cow<'static, str>;

/// Sorted by length, then bytes, to be read; [`TABLE`] finds them.
const NAMES: [&str; 99] = [
    "id",
    "to",
    "day",
    "org",
    "url",
    "zip",
    "body",
    "city",
    "code",
    "hour",
    "link",
    "name",
    "rows",
    "text",
    "type",
    "urls",
    "year",
    "audio",
    "email",
    "emoji",
    "image",
    "index",
    "month",
    "phone",
    "reply",
    "state",
    "title",
    "video",
    "voice",
    "wa_id",
    "action",
    "button",
    "emails",
    "footer",
    "format",
    "header",
    "minute",
    "phones",
    "policy",
    "prefix",
    "status",
    "street",
    "suffix",
    "account",
    "address",
    "buttons",
    "caption",
    "company",
    "context",
    "country",
    "example",
    "payload",
    "sticker",
    "user_id",
    "birthday",
    "calendar",
    "category",
    "contacts",
    "currency",
    "document",
    "filename",
    "language",
    "latitude",
    "location",
    "reaction",
    "sections",
    "sub_type",
    "template",
    "addresses",
    "body_text",
    "date_time",
    "last_name",
    "longitude",
    "components",
    "department",
    "first_name",
    "message_id",
    "parameters",
    "amount_1000",
    "coupon_code",
    "day_of_week",
    "description",
    "header_text",
    "interactive",
    "middle_name",
    "preview_url",
    "country_code",
    "day_of_month",
    "display_text",
    "defaultRegion",
    "header_handle",
    "fallback_value",
    "formatted_name",
    "parameter_name",
    "recipient_type",
    "parameter_format",
    "whatsapp_account",
    "messaging_product",
    "biz_opaque_callback_data",
];

/// `name` as a key: the table's own copy when it has one.
pub fn key(name: &str) -> Key {
    match known(name) {
        Some(k) => Cow::Borrowed(k),
        None => Cow::Owned(name.to_owned()),
    }
}

/// An owned name as a key, its allocation dropped when the table has the name.
pub fn owned(name: String) -> Key {
    match known(&name) {
        Some(k) => Cow::Borrowed(k),
        None => Cow::Owned(name),
    }
}

/// The table's copy of `name`.
pub fn known(name: &str) -> Option<&'static str> {
    index(name).map(|i| NAMES[i])
}

/// Open addressing over [`NAMES`], built at compile time: a lookup is a hash of
/// three bytes and, almost always, one comparison (a binary search took seven,
/// and cost more than the allocation it saved).
const SLOTS: usize = 256;
const EMPTY: u8 = u8::MAX;

#[inline]
const fn hash(b: &[u8]) -> usize {
    let n = b.len();
    if n == 0 {
        return 0;
    }
    (n.wrapping_mul(31)
        ^ (b[0] as usize).wrapping_mul(17)
        ^ (b[n - 1] as usize).wrapping_mul(5)
        ^ b[n / 2] as usize)
        % SLOTS
}

const TABLE: [u8; SLOTS] = {
    let mut table = [EMPTY; SLOTS];
    let mut i = 0;
    while i < NAMES.len() {
        let mut h = hash(NAMES[i].as_bytes());
        while table[h] != EMPTY {
            h = (h + 1) % SLOTS;
        }
        // Fewer than 128 names (asserted below): the index fits.
        #[allow(clippy::cast_possible_truncation)]
        {
            table[h] = i as u8;
        }
        i += 1;
    }
    table
};

/// Where `name` stands in the table: below 128, so one `u128` holds a set of
/// names (an object's keys, checked for repeats in one pass).
#[inline]
pub fn index(name: &str) -> Option<usize> {
    let mut h = hash(name.as_bytes());
    loop {
        let i = usize::from(TABLE[h]);
        if i == usize::from(EMPTY) {
            return None;
        }
        if super::same_name(NAMES[i], name) {
            return Some(i);
        }
        h = (h + 1) % SLOTS;
    }
}

const _: () = assert!(NAMES.len() <= 128, "an object's known keys are a u128 set");

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::{parse, Value};

    #[test]
    fn the_table_is_sorted_and_finds_each_name() {
        for w in NAMES.windows(2) {
            assert!(
                (w[0].len(), w[0]) < (w[1].len(), w[1]),
                "{} before {}",
                w[0],
                w[1]
            );
        }
        for n in NAMES {
            assert_eq!(known(n), Some(n));
        }
        assert_eq!(known("captoin"), None);
        assert_eq!(known(""), None);
    }

    fn keys(v: &Value, missing: &mut Vec<String>) {
        match v {
            Value::Object(m) => {
                for (k, x) in m {
                    if known(k).is_none() {
                        missing.push(k.to_owned());
                    }
                    keys(x, missing);
                }
            }
            Value::Array(a) => a.iter().for_each(|x| keys(x, missing)),
            _ => {}
        }
    }

    #[test]
    fn every_key_of_a_valid_vector_payload_is_in_the_table() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/golden");
        let mut missing = Vec::new();
        for entry in std::fs::read_dir(dir).expect("tests/golden") {
            let path = entry.expect("entry").path();
            if path.extension().is_none_or(|x| x != "jsonl") {
                continue;
            }
            for line in std::fs::read_to_string(&path).expect("golden").lines() {
                let case = parse(line.as_bytes()).expect("a golden line");
                let result =
                    parse(case["result"].as_str().unwrap_or("{}").as_bytes()).expect("result");
                if result["valid"].as_bool() == Some(true) {
                    keys(&result["payload"], &mut missing);
                }
                if let Some(meta) = case["meta"].as_str() {
                    keys(&parse(meta.as_bytes()).expect("meta"), &mut missing);
                }
                keys(&case["options"], &mut missing);
            }
        }
        missing.sort();
        missing.dedup();
        assert!(missing.is_empty(), "not in json/keys.rs: {missing:?}");
    }
}
