//! Meta's template object: an approved template's definition as the template
//! API returns it, read by hand (the wasm build has no serde), and what its
//! texts and buttons ask of a send. Below both `validate` (which checks a payload
//! against it) and `template` (which fills, lists and previews it).

use crate::json::Value;
use serde::{Deserialize, Serialize};

/// Meta's template object, as the template API returns it. Fields wasend does not
/// read (`id`, `example`…) are accepted and ignored.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TemplateDefinition {
    pub name: String,
    pub language: String,
    /// `APPROVED`, `PAUSED`, `DISABLED`, `REJECTED`, `PENDING`, `IN_APPEAL`…; absent
    /// means the caller vouches for it (a definition kept by hand).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// `MARKETING`, `UTILITY` or `AUTHENTICATION`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    /// `POSITIONAL` (`{{1}}`) or `NAMED` (`{{first_name}}`); absent means positional.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parameter_format: Option<String>,
    #[serde(default)]
    pub components: Vec<DefinitionComponent>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DefinitionComponent {
    /// `HEADER`, `BODY`, `FOOTER` or `BUTTONS` (any case).
    #[serde(rename = "type")]
    pub kind: String,
    /// For a header: `TEXT`, `IMAGE`, `VIDEO`, `DOCUMENT` or `LOCATION`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub format: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub buttons: Vec<DefinitionButton>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DefinitionButton {
    /// `QUICK_REPLY`, `URL`, `PHONE_NUMBER`, `COPY_CODE`, `FLOW`, `CATALOG`, …
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone_number: Option<String>,
    /// An `OTP` button's kind: `COPY_CODE`, `ONE_TAP` or `ZERO_TAP`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub otp_type: Option<String>,
}

impl TemplateDefinition {
    /// Reads a definition from JSON; the error says what is wrong with it.
    pub fn from_json(bytes: &[u8]) -> Result<Self, String> {
        let v = crate::json::parse(bytes)
            .map_err(|e| format!("template definition is not valid json: {e}"))?;
        Self::from_value(&v)
    }

    /// Reads a definition from a parsed value (by hand: the wasm build has no serde).
    pub fn from_value(v: &Value) -> Result<Self, String> {
        fn text(v: &Value, key: &str, what: &str) -> Result<Option<String>, String> {
            match v.get(key) {
                None | Some(Value::Null) => Ok(None),
                Some(Value::String(s)) => Ok(Some(s.clone())),
                Some(_) => Err(format!(
                    "template definition: {what} `{key}` must be a string"
                )),
            }
        }
        let need = |key: &str| -> Result<String, String> {
            text(v, key, "the template's")?
                .ok_or_else(|| format!("template definition needs `{key}` as a string"))
        };
        if v.as_object().is_none() {
            return Err("template definition must be a json object".into());
        }
        let name = need("name")?;
        if name.is_empty() {
            return Err("template definition has an empty name".into());
        }
        let list = |v: &Value, key: &str| -> Result<Vec<Value>, String> {
            match v.get(key) {
                None | Some(Value::Null) => Ok(Vec::new()),
                Some(Value::Array(a)) => Ok(a.clone()),
                Some(_) => Err(format!("template definition: `{key}` must be an array")),
            }
        };
        let mut components = Vec::new();
        for c in list(v, "components")? {
            if c.as_object().is_none() {
                return Err("template definition: each component must be an object".into());
            }
            let mut buttons = Vec::new();
            for b in list(&c, "buttons")? {
                buttons.push(DefinitionButton {
                    kind: text(&b, "type", "a button's")?
                        .ok_or("template definition: each button needs `type`")?,
                    text: text(&b, "text", "a button's")?,
                    url: text(&b, "url", "a button's")?,
                    phone_number: text(&b, "phone_number", "a button's")?,
                    otp_type: text(&b, "otp_type", "a button's")?,
                });
            }
            components.push(DefinitionComponent {
                kind: text(&c, "type", "a component's")?
                    .ok_or("template definition: each component needs `type`")?,
                format: text(&c, "format", "a component's")?,
                text: text(&c, "text", "a component's")?,
                buttons,
            });
        }
        Ok(TemplateDefinition {
            name,
            language: need("language")?,
            status: text(v, "status", "the template's")?,
            category: text(v, "category", "the template's")?,
            parameter_format: text(v, "parameter_format", "the template's")?,
            components,
        })
    }

    pub(crate) fn component(&self, kind: &str) -> Option<&DefinitionComponent> {
        self.components
            .iter()
            .find(|c| c.kind.eq_ignore_ascii_case(kind))
    }

    pub(crate) fn named(&self) -> bool {
        self.parameter_format
            .as_deref()
            .is_some_and(|f| f.eq_ignore_ascii_case("named"))
    }
}

/// The placeholders of a component's text: `{{1}}`… or `{{name}}`.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Placeholders {
    /// The highest `{{n}}`: that many parameters.
    Positional(usize),
    /// The names, each once, in order of appearance.
    Named(Vec<String>),
}

pub(crate) fn placeholders(text: &str) -> Placeholders {
    let mut max = 0usize;
    let mut names: Vec<String> = Vec::new();
    let mut rest = text;
    while let Some(start) = find_pair(rest, *b"{{") {
        let after = &rest[start + 2..];
        let Some(end) = find_pair(after, *b"}}") else {
            break;
        };
        let inner = after[..end].trim();
        if let Some(n) = crate::numbers::digits_u64(inner) {
            max = max.max(usize::try_from(n).unwrap_or(usize::MAX));
        } else if !inner.is_empty() && !names.iter().any(|n| n == inner) {
            names.push(inner.to_owned());
        }
        rest = &after[end + 2..];
    }
    if names.is_empty() {
        Placeholders::Positional(max)
    } else {
        Placeholders::Named(names)
    }
}

/// Where `pair` (two ASCII bytes, so a char boundary) first starts in `text`.
/// `str::find` with a `&str` pattern sets up a two-way searcher on every call, and
/// a campaign checks each row against its definition's texts: that setup was
/// about 3% of a list in wasm.
pub(crate) fn find_pair(text: &str, pair: [u8; 2]) -> Option<usize> {
    // A plain scan: definitions' texts are short, and memchr here cost the
    // validation module 0.5 KB gzip.
    text.as_bytes().windows(2).position(|w| w == pair)
}

/// Does a send have to give this button a parameter? A dynamic URL its suffix, a
/// copy-code button its code, an authentication template's OTP button the code
/// (Meta sends it as a `url` button parameter).
pub(crate) fn button_takes_parameter(b: &DefinitionButton) -> bool {
    let kind = |k: &str| b.kind.eq_ignore_ascii_case(k);
    if kind("URL") {
        b.url
            .as_deref()
            .is_some_and(|u| find_pair(u, *b"{{").is_some())
    } else {
        kind("COPY_CODE") || kind("OTP")
    }
}

/// The `sub_type` a send gives a definition button.
pub(crate) fn sub_type_of(b: &DefinitionButton) -> &'static str {
    const SUB_TYPES: [(&str, &str); 8] = [
        ("QUICK_REPLY", "quick_reply"),
        ("URL", "url"),
        ("OTP", "url"),
        ("COPY_CODE", "copy_code"),
        ("FLOW", "flow"),
        ("CATALOG", "catalog"),
        ("MPM", "catalog"),
        ("PHONE_NUMBER", "phone_number"),
    ];
    // Compared without an uppercased copy: every row of a list asks.
    SUB_TYPES
        .iter()
        .find(|(kind, _)| b.kind.eq_ignore_ascii_case(kind))
        .map_or("other", |(_, sub_type)| sub_type)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn find_pair_finds_what_str_find_finds() {
        for text in [
            "", "{", "{{", "x{{", "{x{{y", "{{{", "}}{{", "ab", "é{{é", "{é{{",
        ] {
            for pair in [*b"{{", *b"}}"] {
                let needle = std::str::from_utf8(&pair).expect("ascii");
                assert_eq!(
                    find_pair(text, pair),
                    text.find(needle),
                    "{text:?} {needle}"
                );
            }
        }
    }

    #[test]
    fn placeholders_valid() {
        assert_eq!(
            placeholders("Hi {{1}}, order {{2}} ships {{2}}"),
            Placeholders::Positional(2)
        );
        assert_eq!(placeholders("no params"), Placeholders::Positional(0));
        let Placeholders::Named(n) = placeholders("Hi {{first_name}}, {{order_id}}") else {
            panic!()
        };
        assert_eq!(n.len(), 2);
    }

    #[test]
    fn placeholders_invalid() {
        assert_eq!(placeholders("{{1"), Placeholders::Positional(0));
        assert_eq!(placeholders("{{}}"), Placeholders::Positional(0));
    }
}
