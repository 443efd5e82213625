//! Approved template definitions (Meta's template object), the checks of a
//! payload against one (`template_*` codes), and previews of any message as the
//! recipient will read it.

mod fields;
mod render;

pub use fields::{
    fill_template, lookup, named_in, template_fields, FieldIssue, FieldKind, Fields, Filled,
    Filler, Lookup, TemplateField, TO,
};
pub use render::{preview, Rendered, RenderedButton, RenderedHeader};

use crate::issue::{Code, Issue, Unit};
use crate::json::Value;
use crate::validate::{Ctx, UsedComponent};
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

    fn component(&self, kind: &str) -> Option<&DefinitionComponent> {
        self.components
            .iter()
            .find(|c| c.kind.eq_ignore_ascii_case(kind))
    }

    fn named(&self) -> bool {
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
    while let Some(start) = rest.find("{{") {
        let after = &rest[start + 2..];
        let Some(end) = after.find("}}") else { break };
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

/// Does a send have to give this button a parameter? A dynamic URL its suffix, a
/// copy-code button its code, an authentication template's OTP button the code
/// (Meta sends it as a `url` button parameter).
fn button_takes_parameter(b: &DefinitionButton) -> bool {
    match b.kind.to_ascii_uppercase().as_str() {
        "URL" => b.url.as_deref().is_some_and(|u| u.contains("{{")),
        "COPY_CODE" | "OTP" => true,
        _ => false,
    }
}

/// The `sub_type` a send gives a definition button.
fn sub_type_of(b: &DefinitionButton) -> &'static str {
    match b.kind.to_ascii_uppercase().as_str() {
        "QUICK_REPLY" => "quick_reply",
        "URL" | "OTP" => "url",
        "COPY_CODE" => "copy_code",
        "FLOW" => "flow",
        "CATALOG" | "MPM" => "catalog",
        "PHONE_NUMBER" => "phone_number",
        _ => "other",
    }
}

/// Where to report something missing: the components array, or the template.
fn missing_at(has_components: bool) -> &'static str {
    if has_components {
        "/template/components"
    } else {
        "/template"
    }
}

/// Checks the walked template payload against its approved definition.
pub(crate) fn check_against(
    c: &mut Ctx,
    def: &TemplateDefinition,
    name: Option<&str>,
    language: Option<&str>,
    has_components: bool,
    used: &[UsedComponent],
) {
    let mut mismatch = false;
    if let Some(n) = name.filter(|n| *n != def.name) {
        mismatch = true;
        c.push(Issue::new(
            Code::TemplateNotFound,
            "/template/name",
            format!(
                "template \"{n}\" is not the approved template \"{}\"",
                def.name
            ),
        ));
    }
    if let Some(l) = language.filter(|l| *l != def.language) {
        mismatch = true;
        c.push(Issue::new(
            Code::TemplateNotFound,
            "/template/language",
            format!(
                "template \"{}\" is approved in \"{}\", not \"{l}\"",
                def.name, def.language
            ),
        ));
    }
    if mismatch {
        // Parameter checks against another template's definition would only add noise.
        return;
    }
    let missing = missing_at(has_components);
    header(c, def, used, missing);
    body(c, def, used, missing);
    buttons(c, def, used, missing);
}

fn count_issue(path: String, what: &str, expected: usize, actual: usize) -> Issue {
    Issue::new(
        Code::TemplateParamCount,
        path,
        format!("{what} of the approved template takes {expected} parameters; got {actual}"),
    )
    .with_limit(expected as u64, actual as u64, Unit::Parameters)
}

/// Positional count or named set, for a header or body component.
fn params(
    c: &mut Ctx,
    what: &str,
    text: &str,
    named: bool,
    comp: Option<&UsedComponent>,
    missing: &str,
) {
    let given = comp.map_or(&[][..], |u| &u.params[..]);
    let params_path = comp.map_or_else(|| missing.to_owned(), |u| format!("{}/parameters", u.path));
    match placeholders(text) {
        Placeholders::Positional(n) if !named => {
            if given.len() != n {
                c.push(count_issue(params_path, what, n, given.len()));
            }
        }
        Placeholders::Positional(0) => {
            if !given.is_empty() {
                c.push(count_issue(params_path, what, 0, given.len()));
            }
        }
        Placeholders::Positional(_) => {}
        Placeholders::Named(names) => {
            for p in given {
                match &p.name {
                    Some(n) if names.contains(n) => {}
                    Some(n) => c.push(Issue::new(
                        Code::TemplateParamName,
                        format!("{}/parameter_name", p.path),
                        format!("{what} of the approved template has no parameter \"{n}\"; it has {}", join(&names)),
                    )),
                    None => c.push(Issue::new(
                        Code::TemplateParamName,
                        p.path.clone(),
                        format!("{what} of the approved template uses named parameters ({}); this one has no parameter_name", join(&names)),
                    )),
                }
            }
            for n in &names {
                if !given.iter().any(|p| p.name.as_deref() == Some(n)) {
                    c.push(Issue::new(
                        Code::TemplateParamName,
                        params_path.clone(),
                        format!("{what} of the approved template needs parameter \"{n}\""),
                    ));
                }
            }
        }
    }
}

fn join(names: &[String]) -> String {
    names
        .iter()
        .map(|n| format!("\"{n}\""))
        .collect::<Vec<_>>()
        .join(", ")
}

fn header(c: &mut Ctx, def: &TemplateDefinition, used: &[UsedComponent], missing: &str) {
    let comp = used.iter().find(|u| u.kind == "header");
    let Some(dh) = def.component("HEADER") else {
        if let Some(u) = comp {
            c.push(Issue::new(
                Code::TemplateHeaderFormat,
                u.path.clone(),
                "the approved template has no header",
            ));
        }
        return;
    };
    let format = dh.format.as_deref().unwrap_or("TEXT").to_ascii_lowercase();
    if format == "text" {
        if let Some(p) = comp.and_then(|u| u.params.iter().find(|p| p.ty != "text")) {
            c.push(Issue::new(
                Code::TemplateHeaderFormat,
                format!("{}/type", p.path),
                format!(
                    "the approved template has a text header; this parameter is \"{}\"",
                    p.ty
                ),
            ));
            return;
        }
        params(
            c,
            "the header",
            dh.text.as_deref().unwrap_or(""),
            def.named(),
            comp,
            missing,
        );
        return;
    }
    match comp.and_then(|u| u.params.first()) {
        None => {
            let at = comp.map_or_else(|| missing.to_owned(), |u| format!("{}/parameters", u.path));
            c.push(Issue::new(
                Code::TemplateHeaderFormat,
                at,
                format!("the approved template has a {format} header; send it as a header parameter of type {format}"),
            ));
        }
        Some(p) if p.ty != format => c.push(Issue::new(
            Code::TemplateHeaderFormat,
            format!("{}/type", p.path),
            format!(
                "the approved template has a {format} header; this parameter is \"{}\"",
                p.ty
            ),
        )),
        Some(_) => {}
    }
}

fn body(c: &mut Ctx, def: &TemplateDefinition, used: &[UsedComponent], missing: &str) {
    let comp = used.iter().find(|u| u.kind == "body");
    let text = def
        .component("BODY")
        .and_then(|b| b.text.as_deref())
        .unwrap_or("");
    params(c, "the body", text, def.named(), comp, missing);
}

fn buttons(c: &mut Ctx, def: &TemplateDefinition, used: &[UsedComponent], missing: &str) {
    let defined: &[DefinitionButton] = def.component("BUTTONS").map_or(&[], |b| &b.buttons);
    for u in used.iter().filter(|u| u.kind == "button") {
        let Some(i) = u.index else { continue };
        let Some(b) = defined.get(i as usize) else {
            c.push(Issue::new(
                Code::TemplateButton,
                format!("{}/index", u.path),
                format!(
                    "the approved template has no button at index {i} ({} buttons)",
                    defined.len()
                ),
            ));
            continue;
        };
        let want = sub_type_of(b);
        let Some(st) = u.sub_type.as_deref() else {
            continue;
        };
        if st != want {
            c.push(Issue::new(
                Code::TemplateButton,
                format!("{}/sub_type", u.path),
                format!("button {i} of the approved template is {want}, not {st}"),
            ));
        } else if st == "url" && !button_takes_parameter(b) {
            c.push(Issue::new(
                Code::TemplateButton,
                u.path.clone(),
                format!(
                    "button {i} of the approved template has a fixed url and takes no parameter"
                ),
            ));
        }
    }
    for (i, b) in defined.iter().enumerate() {
        if button_takes_parameter(b)
            && !used
                .iter()
                .any(|u| u.kind == "button" && u.index == Some(i as u64))
        {
            c.push(Issue::new(
                Code::TemplateButton,
                missing.to_owned(),
                format!("button {i} ({}) of the approved template needs a button component with its parameter", sub_type_of(b)),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
