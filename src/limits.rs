//! Every length, count and range limit of `RULES.md`, each declared once with
//! its unit and the JSON Pointer it applies to.
//!
//! The validator reads its bounds from these constants, and every face that
//! shows a limit (the composer page's `17/20` counters, a form's `maxlength`)
//! reads [`LIMITS`] or [`limit_at`] through its binding, so that a revision of
//! RULES.md changes one line here and nothing in the faces.

use crate::issue::Unit;
use crate::json::{Map, Number, Value};

/// One limit: `min..=max` of `unit` at every path matching `pointer` where `when` holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limit {
    /// A JSON Pointer; `*` stands for any array index.
    pub pointer: &'static str,
    pub min: i64,
    pub max: i64,
    pub unit: Unit,
    /// What is counted when it is not the value at `pointer` itself (rows across sections).
    pub of: Option<&'static str>,
    /// Conditions that must all hold for the limit to apply.
    pub when: &'static [When],
}

/// A condition on the payload; a `*` in its pointer is the path's own index at
/// the same position (the component a parameter belongs to).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum When {
    /// The string there is one of these, compared without regard to ASCII case.
    Is(&'static str, &'static [&'static str]),
    /// The array there has exactly one item.
    Sole(&'static str),
}

impl Limit {
    const fn chars(pointer: &'static str, min: i64, max: i64) -> Self {
        Limit {
            pointer,
            min,
            max,
            unit: Unit::Chars,
            of: None,
            when: &[],
        }
    }

    const fn items(pointer: &'static str, min: i64, max: i64) -> Self {
        Limit {
            unit: Unit::Items,
            ..Limit::chars(pointer, min, max)
        }
    }

    const fn when(self, when: &'static [When]) -> Self {
        Limit { when, ..self }
    }

    /// The bounds as the validator's length checks take them.
    pub(crate) fn bounds(&self) -> (usize, usize) {
        let size = |n: i64| usize::try_from(n.max(0)).unwrap_or(usize::MAX);
        (size(self.min), size(self.max))
    }
}

const COMPONENT_TYPE: &str = "/template/components/*/type";

pub const WHATSAPP_ACCOUNT: Limit = Limit::chars("/whatsapp_account", 1, 128);
pub const BIZ_OPAQUE_CALLBACK_DATA: Limit = Limit::chars("/biz_opaque_callback_data", 0, 512);
pub const TEXT: Limit = Limit::chars("/text", 1, 4096);
pub const IMAGE_CAPTION: Limit = Limit::chars("/image/caption", 0, 1024);
pub const VIDEO_CAPTION: Limit = Limit::chars("/video/caption", 0, 1024);
pub const DOCUMENT_CAPTION: Limit = Limit::chars("/document/caption", 0, 1024);
pub const HEADER_TEXT: Limit = Limit::chars("/interactive/header/text", 1, 60);
pub const LIST_BODY: Limit = Limit::chars("/interactive/body/text", 1, 4096)
    .when(&[When::Is("/interactive/type", &["list"])]);
pub const BODY: Limit = Limit::chars("/interactive/body/text", 1, 1024);
pub const FOOTER: Limit = Limit::chars("/interactive/footer/text", 1, 60);
pub const BUTTONS: Limit = Limit::items("/interactive/action/buttons", 1, 3);
pub const BUTTON_ID: Limit = Limit::chars("/interactive/action/buttons/*/reply/id", 1, 256);
pub const BUTTON_TITLE: Limit = Limit::chars("/interactive/action/buttons/*/reply/title", 1, 20);
pub const LIST_BUTTON: Limit = Limit::chars("/interactive/action/button", 1, 20);
pub const SECTIONS: Limit = Limit::items("/interactive/action/sections", 1, 10);
pub const ROWS: Limit = Limit {
    of: Some("rows across sections"),
    ..Limit::items("/interactive/action/sections", 0, 10)
};
pub const SECTION_TITLE: Limit = Limit::chars("/interactive/action/sections/*/title", 1, 24);
pub const ROW_ID: Limit = Limit::chars("/interactive/action/sections/*/rows/*/id", 1, 200);
pub const ROW_TITLE: Limit = Limit::chars("/interactive/action/sections/*/rows/*/title", 1, 24);
pub const ROW_DESCRIPTION: Limit =
    Limit::chars("/interactive/action/sections/*/rows/*/description", 0, 72);
pub const DISPLAY_TEXT: Limit = Limit::chars("/interactive/action/parameters/display_text", 1, 20);
pub const LATITUDE: Limit = Limit {
    unit: Unit::Degrees,
    ..Limit::chars("/location/latitude", -90, 90)
};
pub const LONGITUDE: Limit = Limit {
    unit: Unit::Degrees,
    ..Limit::chars("/location/longitude", -180, 180)
};
pub const HEADER_LATITUDE: Limit = Limit {
    pointer: "/template/components/*/parameters/*/location/latitude",
    ..LATITUDE
};
pub const HEADER_LONGITUDE: Limit = Limit {
    pointer: "/template/components/*/parameters/*/location/longitude",
    ..LONGITUDE
};
pub const CONTACTS: Limit = Limit::items("/contacts", 1, i64::MAX);
pub const TEMPLATE_NAME: Limit = Limit::chars("/template/name", 1, 512);
pub const HEADER_PARAM: Limit = Limit::chars("/template/components/*/parameters/*/text", 1, 60)
    .when(&[When::Is(COMPONENT_TYPE, &["header"])]);
pub const SOLE_BODY_PARAM: Limit =
    Limit::chars("/template/components/*/parameters/*/text", 1, 32_768).when(&[
        When::Is(COMPONENT_TYPE, &["body"]),
        When::Sole("/template/components"),
    ]);
pub const BODY_PARAM: Limit = Limit::chars("/template/components/*/parameters/*/text", 1, 1024)
    .when(&[When::Is(COMPONENT_TYPE, &["body"])]);
pub const COUPON_CODE: Limit =
    Limit::chars("/template/components/*/parameters/*/coupon_code", 1, 15);
pub const PARAMETER_NAME: Limit =
    Limit::chars("/template/components/*/parameters/*/parameter_name", 1, 20);
pub const BUTTON_INDEX: Limit = Limit {
    unit: Unit::Index,
    ..Limit::chars("/template/components/*/index", 0, 9)
};
pub const BUTTON_COMPONENTS: Limit = Limit {
    of: Some("button components"),
    ..Limit::items("/template/components", 0, 10)
};
/// A header or a button component takes one parameter.
pub const ONE_PARAMETER: Limit = Limit {
    unit: Unit::Parameters,
    ..Limit::chars("/template/components/*/parameters", 1, 1)
}
.when(&[When::Is(COMPONENT_TYPE, &["header", "button"])]);
pub const PARAMETERS: Limit = Limit {
    unit: Unit::Parameters,
    ..Limit::chars("/template/components/*/parameters", 1, i64::MAX)
};

/// Every limit, the more specific of two at one pointer first.
pub static LIMITS: &[&Limit] = &[
    &WHATSAPP_ACCOUNT,
    &BIZ_OPAQUE_CALLBACK_DATA,
    &TEXT,
    &IMAGE_CAPTION,
    &VIDEO_CAPTION,
    &DOCUMENT_CAPTION,
    &HEADER_TEXT,
    &LIST_BODY,
    &BODY,
    &FOOTER,
    &BUTTONS,
    &BUTTON_ID,
    &BUTTON_TITLE,
    &LIST_BUTTON,
    &SECTIONS,
    &ROWS,
    &SECTION_TITLE,
    &ROW_ID,
    &ROW_TITLE,
    &ROW_DESCRIPTION,
    &DISPLAY_TEXT,
    &LATITUDE,
    &LONGITUDE,
    &HEADER_LATITUDE,
    &HEADER_LONGITUDE,
    &CONTACTS,
    &TEMPLATE_NAME,
    &HEADER_PARAM,
    &SOLE_BODY_PARAM,
    &BODY_PARAM,
    &COUPON_CODE,
    &PARAMETER_NAME,
    &BUTTON_INDEX,
    &BUTTON_COMPONENTS,
    &ONE_PARAMETER,
    &PARAMETERS,
];

/// The RFC 6901 segments of a pointer, unescaped.
fn segments(pointer: &str) -> Option<Vec<String>> {
    if pointer.is_empty() {
        return Some(Vec::new());
    }
    Some(
        pointer
            .strip_prefix('/')?
            .split('/')
            .map(|s| s.replace("~1", "/").replace("~0", "~"))
            .collect(),
    )
}

fn is_index(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) && (s == "0" || !s.starts_with('0'))
}

/// The indices a path has where `pattern` has `*`, when the path matches it.
fn bind<'p>(pattern: &str, path: &'p [String]) -> Option<Vec<&'p str>> {
    let pat: Vec<&str> = pattern.strip_prefix('/')?.split('/').collect();
    if pat.len() != path.len() {
        return None;
    }
    let mut bound = Vec::new();
    for (p, s) in pat.iter().zip(path) {
        if *p == "*" {
            if !is_index(s) {
                return None;
            }
            bound.push(s.as_str());
        } else if p != s {
            return None;
        }
    }
    Some(bound)
}

/// `pointer` with its `*`s replaced by `bound`, in order.
fn substitute(pointer: &str, bound: &[&str]) -> String {
    let mut out = String::with_capacity(pointer.len());
    let mut next = bound.iter();
    for seg in pointer.split('/').skip(1) {
        out.push('/');
        out.push_str(if seg == "*" {
            next.next().copied().unwrap_or("*")
        } else {
            seg
        });
    }
    out
}

impl When {
    fn holds(&self, payload: &Value, bound: &[&str]) -> bool {
        match *self {
            When::Is(pointer, values) => payload
                .pointer(&substitute(pointer, bound))
                .and_then(Value::as_str)
                .is_some_and(|s| values.iter().any(|v| v.eq_ignore_ascii_case(s))),
            When::Sole(pointer) => payload
                .pointer(&substitute(pointer, bound))
                .and_then(Value::as_array)
                .is_some_and(|a| a.len() == 1),
        }
    }
}

/// The limit that applies to the value at `path` of `payload` (a JSON Pointer),
/// if any: for a page's counter or a form's `maxlength`.
pub fn limit_at(payload: &Value, path: &str) -> Option<&'static Limit> {
    let path = segments(path)?;
    LIMITS.iter().copied().find(|l| {
        l.of.is_none()
            && bind(l.pointer, &path).is_some_and(|b| l.when.iter().all(|w| w.holds(payload, &b)))
    })
}

impl Limit {
    /// The limit as JSON: `{pointer, min, max?, unit, of?, when?}` (`max` absent when unbounded).
    pub fn to_value(&self) -> Value {
        let mut m = Map::new();
        m.insert("pointer", Value::from(self.pointer));
        m.insert("min", Value::from(Number::from(self.min)));
        if self.max != i64::MAX {
            m.insert("max", Value::from(Number::from(self.max)));
        }
        m.insert("unit", Value::from(self.unit.as_str()));
        if let Some(of) = self.of {
            m.insert("of", Value::from(of));
        }
        if !self.when.is_empty() {
            let when = self.when.iter().map(|w| {
                let mut c = Map::new();
                match *w {
                    When::Is(pointer, values) => {
                        c.insert("pointer", Value::from(pointer));
                        let values = values.iter().map(|v| Value::from(*v));
                        c.insert("is", Value::Array(values.collect()));
                    }
                    When::Sole(pointer) => {
                        c.insert("pointer", Value::from(pointer));
                        c.insert("sole", Value::Bool(true));
                    }
                }
                Value::Object(c)
            });
            m.insert("when", Value::Array(when.collect()));
        }
        Value::Object(m)
    }
}

/// [`LIMITS`] as a JSON array.
pub fn limits_value() -> Value {
    Value::Array(LIMITS.iter().map(|l| l.to_value()).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn payload(text: &str) -> Value {
        crate::json::parse(text.as_bytes()).expect("json")
    }

    #[test]
    fn list_bodies_and_others() {
        let list = payload(r#"{"interactive":{"type":"list"}}"#);
        let button = payload(r#"{"interactive":{"type":"button"}}"#);
        assert_eq!(
            limit_at(&list, "/interactive/body/text").map(|l| l.max),
            Some(4096)
        );
        assert_eq!(
            limit_at(&button, "/interactive/body/text").map(|l| l.max),
            Some(1024)
        );
    }

    #[test]
    fn template_parameters_by_component() {
        let p = payload(
            r#"{"template":{"components":[{"type":"HEADER","parameters":[{}]},{"type":"body","parameters":[{}]}]}}"#,
        );
        let at = |path| limit_at(&p, path).map(|l| l.max);
        assert_eq!(at("/template/components/0/parameters/0/text"), Some(60));
        assert_eq!(at("/template/components/1/parameters/0/text"), Some(1024));
        let sole = payload(r#"{"template":{"components":[{"type":"body","parameters":[{}]}]}}"#);
        assert_eq!(
            limit_at(&sole, "/template/components/0/parameters/0/text").map(|l| l.max),
            Some(32_768)
        );
        assert_eq!(at("/template/components/x/parameters/0/text"), None);
        assert_eq!(at("/template/components/01/parameters/0/text"), None);
    }

    #[test]
    fn every_limit_is_listed_once() {
        for (i, a) in LIMITS.iter().enumerate() {
            for b in &LIMITS[i + 1..] {
                assert!(a != b, "{} listed twice", a.pointer);
            }
        }
    }
}
