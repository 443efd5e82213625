//! `interactive` messages: reply buttons, lists, call-to-action URLs and
//! location requests.

use super::ctx::{fields, Ctx};
use super::formats::{url, Scheme};
use super::media::{self, Place};
use crate::issue::{Code, Unit};
use crate::json::later_duplicates;
use crate::json::Read;
use crate::limits::{self, Limit};

const TYPES: [&str; 4] = ["button", "list", "cta_url", "location_request_message"];
const HEADER_TYPES: [&str; 4] = ["text", "image", "video", "document"];

// Apart, not inlined into the walker: a payload compiles only its own kind's code
// on its first use (the module's cold start, BENCHMARKS.md).
#[inline(never)]
pub(super) fn interactive<'a>(c: &mut Ctx, v: impl Read<'a>) {
    let Some(obj) = c.object(v, "interactive") else {
        return;
    };
    let itype = obj
        .get("type")
        .and_then(Read::as_str)
        .filter(|t| TYPES.contains(t));
    let location = itype == Some("location_request_message");
    let seen = fields(
        c,
        obj,
        &["type", "header", "body", "footer", "action"],
        |c, k, v| match k {
            "type" => enum_value(c, v, "interactive type", &TYPES),
            "header" if location => {
                c.error(Code::Conflict, "a location request takes no header");
            }
            "header" => header(c, v, itype),
            "body" => {
                // Meta's list-message page allows 4096; its other types 1024.
                let limit = if itype == Some("list") {
                    &limits::LIST_BODY
                } else {
                    &limits::BODY
                };
                part_text(c, v, "body", "body text", limit);
            }
            "footer" if location => {
                c.error(Code::Conflict, "a location request takes no footer");
            }
            "footer" => part_text(c, v, "footer", "footer text", &limits::FOOTER),
            "action" => action(c, v, itype),
            _ => unreachable!(),
        },
    );
    seen.require(c, &["type", "body", "action"], "an interactive message");
}

pub(super) fn enum_value<'a>(c: &mut Ctx, v: impl Read<'a>, what: &str, allowed: &[&str]) {
    if let Some(s) = c.string(v, what) {
        if !allowed.contains(&s) {
            c.error(
                Code::InvalidEnum,
                format!("{what} \"{s}\" is not one of: {}", allowed.join(", ")),
            );
        }
    }
}

/// `body` or `footer`: `{ "text": … }`.
fn part_text<'a>(c: &mut Ctx, v: impl Read<'a>, part: &str, what: &str, limit: &Limit) {
    let Some(obj) = c.object(v, part) else { return };
    fields(c, obj, &["text"], |c, _, v| {
        c.bounded(v, what, limit);
    })
    .require(c, &["text"], part);
}

fn header<'a>(c: &mut Ctx, v: impl Read<'a>, itype: Option<&str>) {
    let Some(obj) = c.object(v, "header") else {
        return;
    };
    let htype = obj
        .get("type")
        .and_then(Read::as_str)
        .filter(|t| HEADER_TYPES.contains(t));
    let seen = fields(
        c,
        obj,
        &["type", "text", "image", "video", "document"],
        |c, k, v| match k {
            "type" => {
                enum_value(c, v, "header type", &HEADER_TYPES);
                if itype == Some("list") && htype.is_some_and(|t| t != "text") {
                    c.error(Code::Conflict, "a list message takes a text header only");
                }
            }
            "text" if htype.is_none_or(|t| t == "text") => {
                c.bounded(v, "header text", &limits::HEADER_TEXT);
            }
            _ if htype.is_some_and(|t| t != k) => {
                let t = htype.unwrap_or_default();
                c.error(
                    Code::TypeMismatch,
                    format!("`{k}` does not belong in a header of type `{t}`"),
                );
            }
            media => media::object(c, media, v, Place::Embedded),
        },
    );
    seen.require(c, &["type"], "a header");
    if let Some(t) = htype {
        seen.require(c, &[t], format_args!("a header of type `{t}`"));
    }
}

fn action<'a>(c: &mut Ctx, v: impl Read<'a>, itype: Option<&str>) {
    let Some(obj) = c.object(v, "action") else {
        return;
    };
    match itype {
        Some("button") => {
            fields(c, obj, &["buttons"], |c, _, v| buttons(c, v)).require(
                c,
                &["buttons"],
                "a button message's action",
            );
        }
        Some("list") => {
            let seen = fields(c, obj, &["button", "sections"], |c, k, v| {
                if k == "button" {
                    c.bounded(v, "list button", &limits::LIST_BUTTON);
                } else {
                    sections(c, v);
                }
            });
            seen.require(c, &["button", "sections"], "a list message's action");
        }
        Some("cta_url") => {
            let seen = fields(c, obj, &["name", "parameters"], |c, k, v| {
                if k == "name" {
                    enum_value(c, v, "action name", &["cta_url"]);
                } else if let Some(p) = c.object(v, "parameters") {
                    let seen = fields(c, p, &["display_text", "url"], |c, k, v| {
                        if k == "url" {
                            url(c, v, "cta url", Scheme::Http);
                        } else {
                            c.bounded(v, "display text", &limits::DISPLAY_TEXT);
                        }
                    });
                    seen.require(c, &["display_text", "url"], "cta_url parameters");
                }
            });
            seen.require(c, &["name", "parameters"], "a cta_url action");
        }
        Some("location_request_message") => {
            fields(c, obj, &["name"], |c, _, v| {
                enum_value(c, v, "action name", &["send_location"]);
            })
            .require(c, &["name"], "a location request's action");
        }
        _ => {}
    }
}

fn buttons<'a>(c: &mut Ctx, v: impl Read<'a>) {
    let Some(items) = c.counted(v, "buttons", &limits::BUTTONS) else {
        return;
    };
    let at = |field: &str| {
        later_duplicates(items.items().map(|b| {
            b.get("reply")
                .and_then(|r| r.get(field))
                .and_then(Read::as_str)
        }))
    };
    let (id_dups, title_dups) = (at("id"), at("title"));
    for (i, b) in items.items().enumerate() {
        c.index(i, |c| {
            let Some(obj) = c.object(b, "button") else {
                return;
            };
            let seen = fields(c, obj, &["type", "reply"], |c, k, v| {
                if k == "type" {
                    enum_value(c, v, "button type", &["reply"]);
                    return;
                }
                let Some(reply) = c.object(v, "reply") else {
                    return;
                };
                let seen = fields(c, reply, &["id", "title"], |c, k, v| {
                    if k == "id" {
                        if let Some(id) = c.id(v, "button id", limits::BUTTON_ID.bounds().1) {
                            if id_dups.at(i) {
                                c.error(
                                    Code::Duplicate,
                                    format!("button id \"{id}\" is used twice"),
                                );
                            }
                        }
                    } else if let Some(title) = c.bounded(v, "button title", &limits::BUTTON_TITLE)
                    {
                        if title_dups.at(i) {
                            c.error(
                                Code::Duplicate,
                                format!("button title \"{title}\" is used twice"),
                            );
                        }
                    }
                });
                seen.require(c, &["id", "title"], "a reply button");
            });
            seen.require(c, &["type", "reply"], "a button");
        });
    }
}

fn rows_of<'a, R: Read<'a>>(s: R) -> impl Iterator<Item = R> + use<'a, R> {
    s.get("rows").into_iter().flat_map(Read::items)
}

fn sections<'a>(c: &mut Ctx, v: impl Read<'a>) {
    let Some(items) = c.counted(v, "sections", &limits::SECTIONS) else {
        return;
    };
    let several = items.count() > 1;
    // Row ids are unique across the whole list: flag repeats before the walk.
    let flat = later_duplicates(
        items
            .items()
            .flat_map(rows_of)
            .map(|r| r.get("id").and_then(Read::as_str)),
    );
    // Where each section's rows start in `flat`, counted as the walk goes.
    let mut start = 0usize;
    let mut total = 0usize;
    for (i, s) in items.items().enumerate() {
        let first = start;
        start += rows_of(s).count();
        c.index(i, |c| {
            let Some(obj) = c.object(s, "section") else {
                return;
            };
            let seen = fields(c, obj, &["title", "rows"], |c, k, v| {
                if k == "title" {
                    c.bounded(v, "section title", &limits::SECTION_TITLE);
                    return;
                }
                let Some(rows) = c.items(v, "rows", 1, usize::MAX) else {
                    return;
                };
                total += rows.count();
                for (j, r) in rows.items().enumerate() {
                    c.index(j, |c| row(c, r, flat.at(first + j)));
                }
            });
            if several && !seen.has("title") {
                c.error_at(
                    "title",
                    Code::Required,
                    "each section needs a title when a list has several",
                );
            }
            seen.require(c, &["rows"], "a section");
        });
    }
    let (_, max) = limits::ROWS.bounds();
    if total > max {
        c.limit(
            Code::TooMany,
            format!("list has {total} rows across its sections; the limit is {max} in total"),
            max,
            total,
            Unit::Items,
        );
    }
}

fn row<'a>(c: &mut Ctx, r: impl Read<'a>, repeated: bool) {
    let Some(obj) = c.object(r, "row") else {
        return;
    };
    let seen = fields(c, obj, &["id", "title", "description"], |c, k, v| match k {
        "id" => {
            if let Some(id) = c.id(v, "row id", limits::ROW_ID.bounds().1) {
                if repeated {
                    c.error(
                        Code::Duplicate,
                        format!("row id \"{id}\" is used twice in this list"),
                    );
                }
            }
        }
        "title" => {
            c.bounded(v, "row title", &limits::ROW_TITLE);
        }
        _ => {
            c.bounded(v, "row description", &limits::ROW_DESCRIPTION);
        }
    });
    seen.require(c, &["id", "title"], "a row");
}
