//! `location`, `contacts`, `reaction` and the reply `context`.

use super::ctx::{fields, has, Ctx};
use super::formats::{is_single_emoji, url, Scheme};
use crate::issue::Code;
use crate::json::Read;
use crate::limits;

// Apart, not inlined into the walker: a payload compiles only its own kind's code
// on its first use (the module's cold start, BENCHMARKS.md).
#[inline(never)]
pub(super) fn context<'a>(c: &mut Ctx, v: impl Read<'a>) {
    let Some(obj) = c.object(v, "context") else {
        return;
    };
    fields(c, obj, &["message_id"], |c, _, v| {
        c.text(v, "context message_id", 1, usize::MAX);
    })
    .require(c, &["message_id"], "a reply context");
}

// Apart, not inlined into the walker: a payload compiles only its own kind's code
// on its first use (the module's cold start, BENCHMARKS.md).
#[inline(never)]
pub(super) fn location<'a>(c: &mut Ctx, v: impl Read<'a>) {
    let Some(obj) = c.object(v, "location") else {
        return;
    };
    location_fields(c, obj, [&limits::LATITUDE, &limits::LONGITUDE]);
}

/// The fields of a location, shared with template location headers (whose
/// coordinates' limits are declared at their own pointers).
pub(super) fn location_fields<'a>(
    c: &mut Ctx,
    obj: impl Read<'a>,
    [lat, long]: [&limits::Limit; 2],
) {
    let seen = fields(
        c,
        obj,
        &["latitude", "longitude", "name", "address"],
        |c, k, v| match k {
            "latitude" => {
                c.degrees(v, "latitude", lat);
            }
            "longitude" => {
                c.degrees(v, "longitude", long);
            }
            "name" => {
                c.text(v, "location name", 0, usize::MAX);
            }
            _ => {
                c.text(v, "location address", 0, usize::MAX);
                if !has(obj, "name") {
                    c.warn(
                        Code::LocationAddressHidden,
                        "whatsapp shows a location's address only with its name; add `name`",
                    );
                }
            }
        },
    );
    seen.require(c, &["latitude", "longitude"], "a location");
}

// Apart, not inlined into the walker: a payload compiles only its own kind's code
// on its first use (the module's cold start, BENCHMARKS.md).
#[inline(never)]
pub(super) fn reaction<'a>(c: &mut Ctx, v: impl Read<'a>) {
    let Some(obj) = c.object(v, "reaction") else {
        return;
    };
    let seen = fields(c, obj, &["message_id", "emoji"], |c, k, v| {
        if k == "message_id" {
            c.text(v, "reaction message_id", 1, usize::MAX);
        } else if let Some(e) = c.string(v, "emoji") {
            if !e.is_empty() && !is_single_emoji(e) {
                c.error(
                    Code::InvalidFormat,
                    format!("emoji \"{e}\" is not a single emoji (use \"\" to remove a reaction)"),
                );
            }
        }
    });
    seen.require(c, &["message_id", "emoji"], "a reaction");
}

const CONTACT: [&str; 7] = [
    "addresses",
    "birthday",
    "emails",
    "name",
    "org",
    "phones",
    "urls",
];
const NAME: [&str; 6] = [
    "formatted_name",
    "first_name",
    "last_name",
    "middle_name",
    "suffix",
    "prefix",
];
const ADDRESS: [&str; 7] = [
    "street",
    "city",
    "state",
    "zip",
    "country",
    "country_code",
    "type",
];
const EMAIL: [&str; 2] = ["email", "type"];
const PHONE: [&str; 3] = ["phone", "type", "wa_id"];
const URL: [&str; 2] = ["url", "type"];
const ORG: [&str; 3] = ["company", "department", "title"];

// Apart, not inlined into the walker: a payload compiles only its own kind's code
// on its first use (the module's cold start, BENCHMARKS.md).
#[inline(never)]
pub(super) fn contacts<'a>(c: &mut Ctx, v: impl Read<'a>) {
    let Some(items) = c.counted(v, "contacts", &limits::CONTACTS) else {
        return;
    };
    for (i, item) in items.items().enumerate() {
        c.index(i, |c| contact(c, item));
    }
}

fn contact<'a>(c: &mut Ctx, v: impl Read<'a>) {
    let Some(obj) = c.object(v, "contact") else {
        return;
    };
    let seen = fields(c, obj, &CONTACT, |c, k, v| match k {
        "name" => {
            let Some(name) = c.object(v, "name") else {
                return;
            };
            fields(c, name, &NAME, |c, k, v| {
                if k == "formatted_name" {
                    c.text(v, "formatted_name", 1, usize::MAX);
                } else {
                    c.string(v, k);
                }
            })
            .require(c, &["formatted_name"], "a contact's name");
        }
        "birthday" => {
            if let Some(b) = c.string(v, "birthday") {
                if !crate::numbers::is_date(b) {
                    c.error(
                        Code::InvalidFormat,
                        format!(
                            "birthday \"{}\" is not a real calendar date written yyyy-mm-dd",
                            crate::issue::visible(b)
                        ),
                    );
                }
            }
        }
        "org" => {
            if let Some(org) = c.object(v, "org") {
                strings(c, org, &ORG);
            }
        }
        list => {
            let known: &[&'static str] = match list {
                "addresses" => &ADDRESS,
                "emails" => &EMAIL,
                "phones" => &PHONE,
                _ => &URL,
            };
            let Some(items) = c.array(v, list) else {
                return;
            };
            for (i, item) in items.items().enumerate() {
                c.index(i, |c| {
                    let Some(o) = c.object(item, list) else {
                        return;
                    };
                    if list == "urls" {
                        fields(c, o, known, |c, k, v| {
                            if k == "url" {
                                url(c, v, "contact url", Scheme::Http);
                            } else {
                                c.string(v, k);
                            }
                        });
                    } else {
                        strings(c, o, known);
                    }
                });
            }
        }
    });
    seen.require(c, &["name"], "a contact");
}

/// An object whose known fields are all strings.
fn strings<'a>(c: &mut Ctx, obj: impl Read<'a>, known: &[&'static str]) {
    fields(c, obj, known, |c, k, v| {
        c.string(v, k);
    });
}
