//! `template` messages: the payload's own rules, then (when the caller gives the
//! approved definition) the definition's, via `definition.rs`.

use super::ctx::{fields, Ctx};
use super::definition::check_against;
use super::interactive::enum_value;
use super::media::{self, Place};
use super::other::location_fields;
use crate::definition::TemplateDefinition;
use crate::issue::{Code, Issue, Unit};
use crate::json::{Kind, Read, Value};
use crate::limits;

const COMPONENT_TYPES: [&str; 3] = ["header", "body", "button"];
const SUB_TYPES: [&str; 5] = ["quick_reply", "url", "copy_code", "flow", "catalog"];
const PARAM_FIELDS: [&str; 12] = [
    "type",
    "parameter_name",
    "text",
    "currency",
    "date_time",
    "image",
    "video",
    "document",
    "location",
    "payload",
    "coupon_code",
    "action",
];

const DATE_TIME_FIELDS: [&str; 8] = [
    "fallback_value",
    "day_of_week",
    "year",
    "month",
    "day_of_month",
    "hour",
    "minute",
    "calendar",
];

/// What the walk learned of a component, for the definition checks.
#[derive(Debug, Default)]
pub(crate) struct UsedComponent {
    pub kind: &'static str,
    /// Where the component is.
    pub path: At,
    pub sub_type: Option<&'static str>,
    pub index: Option<u64>,
    pub params: Vec<UsedParam>,
}

#[derive(Debug, Default)]
pub(crate) struct UsedParam {
    pub ty: &'static str,
    pub name: Option<String>,
    pub path: At,
}

/// A component's or a parameter's JSON Pointer (`/template/components/1`,
/// `…/parameters/0`), written only when an issue names it: a list checks every
/// row against its definition, and the pointers were most of a template
/// payload's allocations. The walk asserts (debug builds) that this is where it was.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct At {
    pub component: usize,
    pub parameter: Option<usize>,
}

impl std::fmt::Display for At {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "/template/components/{}", self.component)?;
        match self.parameter {
            Some(p) => write!(f, "/parameters/{p}"),
            None => Ok(()),
        }
    }
}

// Apart, not inlined into the walker: a payload compiles only its own kind's code
// on its first use (the module's cold start, BENCHMARKS.md).
#[inline(never)]
pub(super) fn template<'a>(c: &mut Ctx, v: impl Read<'a>, definition: Option<&TemplateDefinition>) {
    let Some(obj) = c.object(v, "template") else {
        return;
    };
    let mut used: Vec<UsedComponent> = Vec::new();
    let mut components_ok = true;
    let seen = fields(
        c,
        obj,
        &["name", "language", "components"],
        |c, k, v| match k {
            "name" => name(c, v),
            "language" => language(c, v),
            // What the walk records is read only against a definition.
            _ => components_ok = components(c, v, definition.is_some().then_some(&mut used)),
        },
    );
    seen.require(c, &["name", "language"], "a template");
    if let Some(def) = definition {
        let name = obj.get("name").and_then(Read::as_str);
        let language = obj
            .get("language")
            .and_then(|l| l.as_str().or_else(|| l.get("code").and_then(Read::as_str)));
        let has_components = seen.has("components");
        if components_ok {
            check_against(c, def, name, language, has_components, &used);
        }
    }
}

fn name<'a>(c: &mut Ctx, v: impl Read<'a>) {
    let Some(s) = c.string(v, "template name") else {
        return;
    };
    let n = s.chars().count();
    let (_, max) = limits::TEMPLATE_NAME.bounds();
    if n == 0 {
        c.error(Code::Empty, "template name is empty");
    } else if n > max {
        c.limit(
            Code::TooLong,
            format!("template name is {n} chars; the limit is {max}"),
            max,
            n,
            Unit::Chars,
        );
    } else if !s
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
    {
        c.error(
            Code::InvalidFormat,
            format!("template name \"{s}\" may use only lowercase letters, digits and underscores"),
        );
    }
}

fn is_language(s: &str) -> bool {
    let (lang, region) = match s.split_once('_') {
        Some((l, r)) => (l, Some(r)),
        None => (s, None),
    };
    (2..=3).contains(&lang.len())
        && lang.bytes().all(|b| b.is_ascii_lowercase())
        && region.is_none_or(|r| r.len() == 2 && r.bytes().all(|b| b.is_ascii_uppercase()))
}

fn language<'a, R: Read<'a>>(c: &mut Ctx, v: R) {
    let code = |c: &mut Ctx, v: R| {
        if let Some(s) = c.string(v, "language code") {
            if s.is_empty() {
                c.error(Code::Empty, "language code is empty");
            } else if !is_language(s) {
                c.error(
                    Code::InvalidFormat,
                    format!("language code \"{s}\" is not like en, en_US, pt_BR or fil"),
                );
            }
        }
    };
    match v.kind() {
        Kind::Object => {
            fields(c, v, &["code", "policy"], |c, k, v| {
                if k == "code" {
                    code(c, v);
                } else {
                    enum_value(c, v, "language policy", &["deterministic"]);
                }
            })
            .require(c, &["code"], "a template language");
        }
        Kind::String => code(c, v),
        _ => c.wrong_type("language", "a string or an object", v),
    }
}

/// Returns whether the components were well-formed enough to check against a definition.
fn components<'a>(
    c: &mut Ctx,
    v: impl Read<'a>,
    mut used: Option<&mut Vec<UsedComponent>>,
) -> bool {
    let Some(items) = c.array(v, "components") else {
        return false;
    };
    let only_body = items.count() == 1;
    let mut seen_header = false;
    let mut seen_body = false;
    let mut indices = [false; 10];
    let mut buttons = 0usize;
    let mut named: Option<bool> = None;
    for (i, comp) in items.items().enumerate() {
        c.index(i, |c| {
            let Some(obj) = c.object(comp, "component") else {
                return;
            };
            let kind = obj
                .get("type")
                .and_then(Read::as_str)
                .and_then(|t| one_of(t, &COMPONENT_TYPES));
            let mut u = UsedComponent {
                kind: kind.unwrap_or_default(),
                ..UsedComponent::default()
            };
            let record = used.is_some();
            match kind {
                Some("header") if std::mem::replace(&mut seen_header, true) => {
                    c.error(
                        Code::Duplicate,
                        "a template has at most one header component",
                    );
                }
                Some("body") if std::mem::replace(&mut seen_body, true) => {
                    c.error(Code::Duplicate, "a template has at most one body component");
                }
                Some("button") => buttons += 1,
                _ => {}
            }
            let sub_type = obj
                .get("sub_type")
                .and_then(Read::as_str)
                .and_then(|t| one_of(t, &SUB_TYPES));
            let known: &[&'static str] = if kind == Some("button") {
                &["type", "sub_type", "index", "parameters"]
            } else {
                &["type", "parameters"]
            };
            let seen = fields(c, obj, known, |c, k, v| match k {
                "type" => case_insensitive(c, v, "component type", &COMPONENT_TYPES),
                "sub_type" => {
                    case_insensitive(c, v, "button sub_type", &SUB_TYPES);
                    u.sub_type = sub_type;
                }
                "index" => u.index = index(c, v, &mut indices),
                _ => {
                    u.params = parameters(
                        c,
                        v,
                        kind,
                        sub_type,
                        only_body,
                        &mut named,
                        record.then_some(i),
                    );
                }
            });
            if kind == Some("button") {
                seen.require(c, &["sub_type", "index"], "a button component");
            }
            seen.require(c, &["type"], "a component");
            if let Some(used) = used.as_deref_mut() {
                u.path = At {
                    component: i,
                    parameter: None,
                };
                debug_assert_eq!(c.path(), u.path.to_string());
                used.push(u);
            }
        });
    }
    let (_, max) = limits::BUTTON_COMPONENTS.bounds();
    if buttons > max {
        c.limit(
            Code::TooMany,
            format!("template has {buttons} button components; the limit is {max}"),
            max,
            buttons,
            Unit::Items,
        );
    }
    true
}

/// The allowed value `s` names, compared without regard to ASCII case (SDKs and
/// Meta's own examples send `HEADER` and `COPY_CODE`).
fn one_of(s: &str, allowed: &[&'static str]) -> Option<&'static str> {
    allowed.iter().copied().find(|a| a.eq_ignore_ascii_case(s))
}

/// An enum RULES.md compares without regard to case: the normalized payload
/// carries it in lowercase.
fn case_insensitive<'a>(c: &mut Ctx, v: impl Read<'a>, what: &str, allowed: &[&'static str]) {
    let Some(s) = c.string(v, what) else { return };
    match one_of(s, allowed) {
        Some(a) if a != s => c.rewrite(Value::from(a)),
        Some(_) => {}
        None => {
            c.error(
                Code::InvalidEnum,
                format!("{what} \"{s}\" is not one of: {}", allowed.join(", ")),
            );
        }
    }
}

fn index<'a>(c: &mut Ctx, v: impl Read<'a>, seen: &mut [bool; 10]) -> Option<u64> {
    // Meta's own examples send the index as a string ("0"); both are read.
    // Meta's own examples send the index as a string ("0"): an integer written
    // the way JSON writes one, no sign, no leading zero.
    let n = match (v.number(), v.as_str()) {
        (Some(n), _) => crate::json::integer_i64(n),
        (_, Some(s)) if s == "0" || !s.starts_with('0') => {
            crate::numbers::digits_u64(s).map(|n| i64::try_from(n).unwrap_or(i64::MAX))
        }
        _ => None,
    };
    let Some(n) = n else {
        c.wrong_type("button index", "an integer (or a string of one)", v);
        return None;
    };
    let (lo, hi) = (limits::BUTTON_INDEX.min, limits::BUTTON_INDEX.max);
    if !(lo..=hi).contains(&n) {
        let limit = if n < lo { lo } else { hi };
        let issue = Issue::new(
            Code::OutOfRange,
            c.path(),
            format!("button index is {n}; it must be {lo} to {hi}"),
        )
        .with_limit(limit, n, Unit::Index);
        c.push(issue);
        return None;
    }
    let n = n.unsigned_abs();
    if std::mem::replace(&mut seen[n as usize], true) {
        c.error(Code::Duplicate, format!("button index {n} is used twice"));
    }
    Some(n)
}

/// The parameter types each component (and button sub_type) takes.
fn allowed(kind: Option<&str>, sub_type: Option<&str>) -> &'static [&'static str] {
    match (kind, sub_type) {
        (Some("header"), _) => &[
            "text",
            "currency",
            "date_time",
            "image",
            "video",
            "document",
            "location",
        ],
        (Some("body"), _) => &["text", "currency", "date_time"],
        (Some("button"), Some("quick_reply")) => &["payload"],
        (Some("button"), Some("url")) => &["text"],
        (Some("button"), Some("copy_code")) => &["coupon_code"],
        (Some("button"), Some("flow" | "catalog")) => &["action"],
        (Some("button"), _) => &["payload", "text", "coupon_code", "action"],
        _ => &[
            "text",
            "currency",
            "date_time",
            "image",
            "video",
            "document",
            "location",
            "payload",
            "coupon_code",
            "action",
        ],
    }
}

fn parameters<'a>(
    c: &mut Ctx,
    v: impl Read<'a>,
    kind: Option<&str>,
    sub_type: Option<&str>,
    only_body: bool,
    named: &mut Option<bool>,
    record: Option<usize>,
) -> Vec<UsedParam> {
    // The parameters are recorded (with their component's index) for the definition checks.
    let (record, component) = (record.is_some(), record.unwrap_or_default());
    let mut used = Vec::new();
    let Some(items) = c.array(v, "parameters") else {
        return used;
    };
    let n = items.count();
    let one = matches!(kind, Some("header" | "button"));
    let (min, _) = limits::PARAMETERS.bounds();
    let (_, one_max) = limits::ONE_PARAMETER.bounds();
    if n < min {
        c.limit(
            Code::TooFew,
            format!("parameters is empty; give at least {min} or leave the component out"),
            min,
            n,
            Unit::Parameters,
        );
    } else if one && n > one_max {
        let what = if kind == Some("header") {
            "a header"
        } else {
            "a button"
        };
        c.limit(
            Code::TooMany,
            format!("{what} takes {one_max} parameter; got {n}"),
            one_max,
            n,
            Unit::Parameters,
        );
    }
    let allowed = allowed(kind, sub_type);
    for (i, p) in items.items().enumerate() {
        c.index(i, |c| {
            let Some(obj) = c.object(p, "parameter") else { return };
            // An unknown type is reported once, at `type`, not at every value field.
            let ty = obj.get("type").and_then(Read::as_str).and_then(|t| PARAM_FIELDS[2..].iter().copied().find(|f| *f == t));
            let path = At { component, parameter: Some(i) };
            debug_assert!(!record || c.path() == path.to_string());
            let mut u = UsedParam { ty: ty.unwrap_or_default(), path, ..UsedParam::default() };
            let seen = fields(c, obj, &PARAM_FIELDS, |c, k, v| match k {
                "type" => {
                    if let Some(s) = c.string(v, "parameter type") {
                        if !allowed.contains(&s) {
                            let place = match (kind, sub_type) {
                                (Some("button"), Some(st)) => format!("a {st} button"),
                                (Some(k), _) => format!("a {k} component"),
                                _ => "a component".into(),
                            };
                            c.error(
                                Code::InvalidEnum,
                                format!("parameter type \"{s}\" is not allowed in {place}; use one of: {}", allowed.join(", ")),
                            );
                        }
                    }
                }
                "parameter_name" => {
                    if let Some(s) = c.string(v, "parameter_name") {
                        if s.is_empty() || s.len() > limits::PARAMETER_NAME.bounds().1 || !s.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_') {
                            c.error(Code::InvalidFormat, format!("parameter_name \"{s}\" must be 1 to 20 lowercase letters, digits or underscores"));
                        }
                        if record {
                            u.name = Some(s.to_owned());
                        }
                    }
                }
                _ if ty.is_some_and(|t| t != k) => {
                    c.error(Code::TypeMismatch, format!("`{k}` does not belong in a parameter of type `{}`", ty.unwrap_or_default()));
                }
                value => param_value(c, value, v, kind, only_body),
            });
            seen.require(c, &["type"], "a parameter");
            if let Some(t) = ty {
                seen.require(c, &[t], format_args!("a parameter of type `{t}`"));
            }
            // Named and positional parameters cannot be mixed in one template.
            if matches!(kind, Some("header" | "body")) && matches!(ty, Some("text" | "currency" | "date_time")) {
                let is_named = seen.has("parameter_name");
                match *named {
                    None => *named = Some(is_named),
                    Some(first) if first != is_named => {
                        c.error(Code::Conflict, "named and positional parameters are mixed in one template");
                    }
                    _ => {}
                }
            }
            if record {
                used.push(u);
            }
        });
    }
    used
}

fn param_value<'a>(c: &mut Ctx, ty: &str, v: impl Read<'a>, kind: Option<&str>, only_body: bool) {
    match ty {
        "text" => {
            let (what, (min, max)) = match kind {
                Some("header") => ("header parameter", limits::HEADER_PARAM.bounds()),
                Some("button") => ("button parameter", (1, usize::MAX)),
                _ if only_body => ("body parameter", limits::SOLE_BODY_PARAM.bounds()),
                _ => ("body parameter", limits::BODY_PARAM.bounds()),
            };
            if let Some(s) = c.text(v, what, min, max) {
                if kind == Some("body") && has_bad_whitespace(s) {
                    c.error(
                        Code::ParamWhitespace,
                        "body parameter has a newline, a tab or more than 4 spaces in a row; meta rejects these",
                    );
                }
            }
        }
        "currency" => {
            let Some(obj) = c.object(v, "currency") else {
                return;
            };
            let seen = fields(
                c,
                obj,
                &["fallback_value", "code", "amount_1000"],
                |c, k, v| match k {
                    "fallback_value" => {
                        c.text(v, "currency fallback_value", 1, usize::MAX);
                    }
                    "code" => {
                        if let Some(s) = c.string(v, "currency code") {
                            if !(s.len() == 3 && s.bytes().all(|b| b.is_ascii_uppercase())) {
                                c.error(
                                    Code::InvalidFormat,
                                    format!(
                                        "currency code \"{s}\" is not an iso 4217 code like USD"
                                    ),
                                );
                            }
                        }
                    }
                    _ => {
                        if !v.number().is_some_and(crate::json::is_integer) {
                            c.wrong_type("amount_1000", "an integer", v);
                        }
                    }
                },
            );
            seen.require(c, &["fallback_value", "code", "amount_1000"], "a currency");
        }
        "date_time" => {
            let Some(obj) = c.object(v, "date_time") else {
                return;
            };
            // Meta's optional fields, which the Cloud API ignores for the fallback.
            let seen = fields(c, obj, &DATE_TIME_FIELDS, |c, k, v| match k {
                "fallback_value" => {
                    c.text(v, "date_time fallback_value", 1, usize::MAX);
                }
                "calendar" => {
                    c.string(v, "date_time calendar");
                }
                "day_of_week" if v.kind() == Kind::String => {}
                _ => {
                    if !v.number().is_some_and(crate::json::is_integer) {
                        let what = format!("date_time {k}");
                        c.wrong_type(&what, "an integer", v);
                    }
                }
            });
            seen.require(c, &["fallback_value"], "a date_time");
        }
        "image" | "video" | "document" => media::object(c, ty, v, Place::Embedded),
        "location" => {
            if let Some(obj) = c.object(v, "location") {
                location_fields(
                    c,
                    obj,
                    [&limits::HEADER_LATITUDE, &limits::HEADER_LONGITUDE],
                );
            }
        }
        "payload" => {
            c.text(v, "button payload", 1, usize::MAX);
        }
        "coupon_code" => {
            let Some(code) = c.bounded(v, "coupon code", &limits::COUPON_CODE) else {
                return;
            };
            if !code.trim().is_empty() && !code.chars().all(|ch| ch.is_ascii_alphanumeric()) {
                c.error(
                    Code::InvalidFormat,
                    format!(
                        "coupon code \"{}\" may use only letters and digits",
                        crate::issue::visible(code)
                    ),
                );
            }
        }
        _ => {
            c.object(v, "action");
        }
    }
}

/// Newline, tab, or a run of more than four spaces (Meta error 132018).
fn has_bad_whitespace(s: &str) -> bool {
    // One pass: a newline, a tab or five spaces in a row (`contains("     ")`
    // built a two-way searcher for every parameter of every row of a list).
    let bytes = s.as_bytes();
    let mut spaces = 0;
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        // Outside a run of spaces, eight bytes none of which is a space or a
        // control character are skipped at once (a long parameter is mostly such).
        if spaces == 0 {
            if let Some(chunk) = bytes
                .get(i..i + 8)
                .and_then(|c| <[u8; 8]>::try_from(c).ok())
            {
                const ONES: u64 = 0x0101_0101_0101_0101;
                let x = u64::from_le_bytes(chunk);
                // The high bit of a byte below 0x21 (a borrow only sets bits above one).
                if x.wrapping_sub(ONES * 0x21) & !x & (ONES * 0x80) == 0 {
                    i += 8;
                    continue;
                }
            }
        }
        match b {
            b'\n' | b'\r' | b'\t' => return true,
            b' ' if spaces == 4 => return true,
            b' ' => spaces += 1,
            _ => spaces = 0,
        }
        i += 1;
    }
    false
}

#[cfg(test)]
mod tests {
    use super::has_bad_whitespace;

    /// The one-pass scan says what the two searches it replaced said, on every
    /// string of up to six of the characters that matter.
    #[test]
    fn bad_whitespace_as_the_searches_said() {
        let alphabet = [' ', 'a', '\n', '\r', '\t', 'é'];
        let mut strings = vec![String::new()];
        for _ in 0..6 {
            let longer: Vec<String> = strings
                .iter()
                .filter(|s| s.chars().count() == strings.last().map_or(0, |l| l.chars().count()))
                .flat_map(|s| alphabet.iter().map(move |c| format!("{s}{c}")))
                .collect();
            strings.extend(longer);
        }
        assert!(strings.len() > 50_000);
        let said = |s: &str| s.contains(['\n', '\r', '\t']) || s.contains("     ");
        for s in &strings {
            assert_eq!(has_bad_whitespace(s), said(s), "{s:?}");
        }
        // Past eight bytes the scan skips whole words: each string of up to five
        // at every place of a word's eight-byte steps, and between words.
        for s in strings.iter().filter(|s| s.chars().count() <= 5) {
            for before in 0..10 {
                for word in [
                    "abcdefghijklmnop",
                    "ab cd ef gh ij k",
                    "\u{7f}\u{80}~!abcdé",
                ] {
                    let long = format!("{}{s}{word}{s}{word}", "a".repeat(before));
                    assert_eq!(has_bad_whitespace(&long), said(&long), "{long:?}");
                }
            }
        }
    }
}
