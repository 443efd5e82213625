//! Any message as the recipient will read it: the text a phone shows, with a
//! template's placeholders filled from its parameters.

use super::{placeholders, Placeholders, TemplateDefinition};
use crate::json::{Map, Value};
use serde::Serialize;

/// A message as it will look on the phone.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Rendered {
    /// The message type (`text`, `template`, `interactive`, …).
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub header: Option<RenderedHeader>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub footer: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub buttons: Vec<RenderedButton>,
    /// A list message's sections, shown when its button is tapped.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub sections: Vec<RenderedSection>,
}

/// The top of a bubble: a title, a media placeholder or a map pin.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RenderedHeader {
    /// `text`, `image`, `video`, `document`, `audio`, `sticker` or `location`.
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub filename: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RenderedButton {
    /// `reply`, `quick_reply`, `url`, `phone_number`, `copy_code`, `flow`, `catalog`,
    /// `list` or `location_request`.
    #[serde(rename = "type")]
    pub kind: String,
    pub text: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RenderedSection {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    pub rows: Vec<RenderedRow>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RenderedRow {
    pub title: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

fn s(v: &Value, pointer: &str) -> Option<String> {
    v.pointer(pointer)
        .and_then(Value::as_str)
        .map(str::to_owned)
}

fn media_header(kind: &str, m: &Value) -> RenderedHeader {
    RenderedHeader {
        kind: kind.to_owned(),
        text: None,
        // `link` is Meta's name for `url` (RULES.md revision 2).
        url: s(m, "/url").or_else(|| s(m, "/link")),
        id: s(m, "/id"),
        filename: s(m, "/filename"),
    }
}

fn text_header(text: String) -> RenderedHeader {
    RenderedHeader {
        kind: "text".into(),
        text: Some(text),
        url: None,
        id: None,
        filename: None,
    }
}

fn put(m: &mut Map, key: &str, v: Option<&String>) {
    if let Some(v) = v {
        m.insert(key, Value::String(v.clone()));
    }
}

impl Rendered {
    /// The rendering as a JSON value, written by hand (no serde in the wasm build);
    /// the same shape as its serde form.
    pub fn to_value(&self) -> Value {
        let mut m = Map::new();
        m.insert("type", Value::from(self.kind.as_str()));
        if let Some(h) = &self.header {
            let mut hm = Map::new();
            hm.insert("type", Value::from(h.kind.as_str()));
            put(&mut hm, "text", h.text.as_ref());
            put(&mut hm, "url", h.url.as_ref());
            put(&mut hm, "id", h.id.as_ref());
            put(&mut hm, "filename", h.filename.as_ref());
            m.insert("header", Value::Object(hm));
        }
        put(&mut m, "body", self.body.as_ref());
        put(&mut m, "footer", self.footer.as_ref());
        if !self.buttons.is_empty() {
            let buttons = self.buttons.iter().map(|b| {
                let mut bm = Map::new();
                bm.insert("type", Value::from(b.kind.as_str()));
                bm.insert("text", Value::from(b.text.as_str()));
                put(&mut bm, "url", b.url.as_ref());
                Value::Object(bm)
            });
            m.insert("buttons", Value::Array(buttons.collect()));
        }
        if !self.sections.is_empty() {
            let sections = self.sections.iter().map(|s| {
                let mut sm = Map::new();
                put(&mut sm, "title", s.title.as_ref());
                let rows = s.rows.iter().map(|r| {
                    let mut rm = Map::new();
                    rm.insert("title", Value::from(r.title.as_str()));
                    put(&mut rm, "description", r.description.as_ref());
                    Value::Object(rm)
                });
                sm.insert("rows", Value::Array(rows.collect()));
                Value::Object(sm)
            });
            m.insert("sections", Value::Array(sections.collect()));
        }
        Value::Object(m)
    }

    fn new(kind: &str) -> Self {
        Rendered {
            kind: kind.to_owned(),
            header: None,
            body: None,
            footer: None,
            buttons: Vec::new(),
            sections: Vec::new(),
        }
    }
}

/// Renders `payload` (best effort: an invalid payload renders what it has).
/// A template needs its approved `definition` for its text; without one only its
/// parameters' media header is known.
pub fn preview(payload: &Value, definition: Option<&TemplateDefinition>) -> Option<Rendered> {
    let kind = payload.get("type")?.as_str()?;
    let part = payload.get(kind).unwrap_or(&Value::Null);
    let mut r = Rendered::new(kind);
    match kind {
        "text" => r.body = part.as_str().map(str::to_owned),
        "image" | "video" | "document" | "audio" | "sticker" => {
            r.header = Some(media_header(kind, part));
            r.body = s(part, "/caption");
        }
        "location" => {
            r.header = Some(RenderedHeader {
                kind: "location".into(),
                text: s(part, "/name"),
                url: None,
                id: None,
                filename: None,
            });
            r.body = s(part, "/address");
        }
        "contacts" => {
            let names: Vec<String> = part
                .as_array()
                .map(|a| {
                    a.iter()
                        .filter_map(|c| s(c, "/name/formatted_name"))
                        .collect()
                })
                .unwrap_or_default();
            r.body = Some(names.join("\n"));
        }
        "reaction" => r.body = s(part, "/emoji"),
        "interactive" => interactive(part, &mut r),
        "template" => template(part, definition, &mut r),
        _ => return None,
    }
    Some(r)
}

fn interactive(part: &Value, r: &mut Rendered) {
    if let Some(h) = part.get("header") {
        let kind = h.get("type").and_then(Value::as_str).unwrap_or("text");
        r.header = Some(if kind == "text" {
            text_header(s(h, "/text").unwrap_or_default())
        } else {
            media_header(kind, h.get(kind).unwrap_or(&Value::Null))
        });
    }
    r.body = s(part, "/body/text");
    r.footer = s(part, "/footer/text");
    let action = part.get("action").unwrap_or(&Value::Null);
    match part.get("type").and_then(Value::as_str) {
        Some("button") => {
            for b in action
                .get("buttons")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                r.buttons.push(RenderedButton {
                    kind: "reply".into(),
                    text: s(b, "/reply/title").unwrap_or_default(),
                    url: None,
                });
            }
        }
        Some("list") => {
            r.buttons.push(RenderedButton {
                kind: "list".into(),
                text: s(action, "/button").unwrap_or_default(),
                url: None,
            });
            for sec in action
                .get("sections")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                let rows = sec
                    .get("rows")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten();
                r.sections.push(RenderedSection {
                    title: s(sec, "/title"),
                    rows: rows
                        .map(|row| RenderedRow {
                            title: s(row, "/title").unwrap_or_default(),
                            description: s(row, "/description"),
                        })
                        .collect(),
                });
            }
        }
        Some("cta_url") => r.buttons.push(RenderedButton {
            kind: "url".into(),
            text: s(action, "/parameters/display_text").unwrap_or_default(),
            url: s(action, "/parameters/url"),
        }),
        Some("location_request_message") => r.buttons.push(RenderedButton {
            kind: "location_request".into(),
            text: "Send location".into(),
            url: None,
        }),
        _ => {}
    }
}

/// The text a parameter shows: its text, or a currency's or date's fallback value.
fn shown(p: &Value) -> Option<String> {
    match p.get("type").and_then(Value::as_str)? {
        "text" => s(p, "/text"),
        "currency" => s(p, "/currency/fallback_value"),
        "date_time" => s(p, "/date_time/fallback_value"),
        "payload" => s(p, "/payload"),
        "coupon_code" => s(p, "/coupon_code"),
        _ => None,
    }
}

/// Replaces `{{n}}`/`{{name}}` with the parameters' values; unknown ones stay as written.
fn fill(text: &str, params: &[Value]) -> String {
    let named = matches!(placeholders(text), Placeholders::Named(_));
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let Some(end) = after.find("}}") else {
            out.push_str(&rest[start..]);
            return out;
        };
        let key = after[..end].trim();
        let value = if named {
            params
                .iter()
                .find(|p| p.get("parameter_name").and_then(Value::as_str) == Some(key))
                .and_then(shown)
        } else {
            crate::numbers::digits_u64(key)
                .and_then(|n| params.get(usize::try_from(n).ok()?.checked_sub(1)?))
                .and_then(shown)
        };
        match value {
            Some(v) => out.push_str(&v),
            None => out.push_str(&rest[start..start + 2 + end + 2]),
        }
        rest = &after[end + 2..];
    }
    out.push_str(rest);
    out
}

/// A payload component of `kind`, its `type` compared without regard to case as
/// the validator compares it (`HEADER` is a header).
fn is_kind(component: &Value, kind: &str) -> bool {
    component
        .get("type")
        .and_then(Value::as_str)
        .is_some_and(|t| t.eq_ignore_ascii_case(kind))
}

fn template(part: &Value, def: Option<&TemplateDefinition>, r: &mut Rendered) {
    let comps: Vec<&Value> = part
        .get("components")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .collect();
    let params_of = |kind: &str| -> Vec<Value> {
        comps
            .iter()
            .find(|c| is_kind(c, kind))
            .and_then(|c| c.get("parameters"))
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default()
    };
    let header_params = params_of("header");
    let media = header_params.first().and_then(|p| {
        let kind = p.get("type").and_then(Value::as_str)?;
        matches!(kind, "image" | "video" | "document")
            .then(|| media_header(kind, p.get(kind).unwrap_or(&Value::Null)))
    });
    let Some(def) = def else {
        r.header = media;
        return;
    };
    for comp in &def.components {
        match comp.kind.to_ascii_uppercase().as_str() {
            "HEADER" => {
                let format = comp
                    .format
                    .as_deref()
                    .unwrap_or("TEXT")
                    .to_ascii_lowercase();
                r.header = if format == "text" {
                    Some(text_header(fill(
                        comp.text.as_deref().unwrap_or(""),
                        &header_params,
                    )))
                } else {
                    Some(media.clone().unwrap_or(RenderedHeader {
                        kind: format,
                        text: None,
                        url: None,
                        id: None,
                        filename: None,
                    }))
                };
            }
            "BODY" => r.body = Some(fill(comp.text.as_deref().unwrap_or(""), &params_of("body"))),
            "FOOTER" => r.footer.clone_from(&comp.text),
            "BUTTONS" => {
                for (i, b) in comp.buttons.iter().enumerate() {
                    let param = comps
                        .iter()
                        .find(|c| {
                            is_kind(c, "button")
                                && c.get("index").is_some_and(|x| {
                                    x.as_u64() == Some(i as u64)
                                        || x.as_str() == Some(&i.to_string())
                                })
                        })
                        .and_then(|c| c.get("parameters"))
                        .and_then(Value::as_array)
                        .cloned()
                        .unwrap_or_default();
                    let url = b.url.as_deref().map(|u| fill(u, &param));
                    r.buttons.push(RenderedButton {
                        kind: super::sub_type_of(b).to_owned(),
                        text: b.text.clone().unwrap_or_default(),
                        url,
                    });
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn previews_read_revision_2_payloads() {
        let payload = crate::json::parse(
            br#"{"to":"+919876543210","type":"template","template":{"name":"t","language":"en","components":[
                {"type":"HEADER","parameters":[{"type":"image","image":{"link":"https://example.com/h.jpg"}}]},
                {"type":"BODY","parameters":[{"type":"text","text":"Ana"}]}]}}"#,
        )
        .expect("json");
        let def = TemplateDefinition::from_json(
            br#"{"name":"t","language":"en","components":[{"type":"HEADER","format":"IMAGE"},{"type":"BODY","text":"Hi {{1}}"}]}"#,
        )
        .expect("definition");
        let r = preview(&payload, Some(&def)).expect("rendered");
        assert_eq!(r.body.as_deref(), Some("Hi Ana"));
        assert_eq!(
            r.header.and_then(|h| h.url).as_deref(),
            Some("https://example.com/h.jpg")
        );
    }
}
