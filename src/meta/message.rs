//! The same message in Meta's Cloud API format and in wasend's (RULES.md, the
//! provider's): `messaging_product` and `recipient_type` stated, `to` as Meta's
//! digits, `text` as `{"body"}`, a media object's `url` as `link`, a template's
//! language as `{"code"}`, everything else as both name it. The account a
//! payload names (`whatsapp_account`) selects the sender, which Meta names in
//! the URL, not in the body: it travels beside the body.
//!
//! Both directions take and give parsed values and check nothing: validate a
//! payload first, and read a Meta payload's verdict from its translation.

use crate::json::{Map, Value};

/// The media kinds: where one of these names a member, its value is a media object.
const MEDIA: [&str; 5] = ["image", "video", "document", "audio", "sticker"];

/// A payload as Meta receives it, and the account that selects its sender.
#[derive(Clone, Debug, PartialEq)]
pub struct MetaMessage {
    pub body: Value,
    pub account: Option<String>,
}

/// wasend's format to Meta's.
pub fn to_meta(payload: &Value) -> MetaMessage {
    let Value::Object(src) = payload else {
        return MetaMessage {
            body: payload.clone(),
            account: None,
        };
    };
    let mut out = Map::new();
    out.insert("messaging_product", Value::from("whatsapp"));
    out.insert("recipient_type", Value::from("individual"));
    let mut account = None;
    for (k, v) in src.iter() {
        match (k, v) {
            ("whatsapp_account", Value::String(a)) => account = Some(a.clone()),
            ("to", Value::String(to)) => {
                // Meta's `to` is the number with its country code, without the `+`.
                out.insert("to", Value::from(to.strip_prefix('+').unwrap_or(to)));
            }
            ("text", Value::String(body)) => {
                let mut text = Map::new();
                text.insert("body", Value::from(body.as_str()));
                out.insert("text", Value::Object(text));
            }
            _ => out.insert(k, v.clone()),
        }
    }
    each_media(&mut out, &mut |m| m.rename("url", "link"));
    if let Some(Value::Object(t)) = out.get_mut("template") {
        if let Some(Value::String(code)) = t.get("language") {
            let mut language = Map::new();
            language.insert("code", Value::from(code.as_str()));
            t.insert("language", Value::Object(language));
        }
    }
    MetaMessage {
        body: Value::Object(out),
        account,
    }
}

/// Meta's format to wasend's; `account`, when the sender is known, as
/// `whatsapp_account`. A media object's `link` becomes `url` (RULES.md takes both).
pub fn from_meta(body: &Value, account: Option<&str>) -> Value {
    let Value::Object(src) = body else {
        return body.clone();
    };
    let mut out = Map::new();
    for (k, v) in src.iter() {
        match (k, v) {
            ("messaging_product" | "recipient_type", _) => {}
            ("to", Value::String(to)) if !to.starts_with('+') => {
                let mut e164 = String::with_capacity(to.len() + 1);
                e164.push('+');
                e164.push_str(to);
                out.insert("to", Value::String(e164));
            }
            ("text", Value::Object(text))
                if text.get("body").is_some_and(|b| b.as_str().is_some()) =>
            {
                out.insert("text", text.get("body").cloned().unwrap_or_default());
            }
            _ => out.insert(k, v.clone()),
        }
    }
    each_media(&mut out, &mut |m| m.rename("link", "url"));
    if let Some(Value::Object(t)) = out.get_mut("template") {
        let code = match t.get("language") {
            Some(Value::Object(l)) if l.len() == 1 => l.get("code").and_then(Value::as_str),
            _ => None,
        }
        .map(str::to_owned);
        if let Some(code) = code {
            t.insert("language", Value::from(code));
        }
    }
    if let Some(a) = account {
        out.insert("whatsapp_account", Value::from(a));
    }
    Value::Object(out)
}

/// Every media object of a payload: the message's own, an interactive header's,
/// and a template parameter's.
fn each_media(payload: &mut Map, f: &mut dyn FnMut(&mut Map)) {
    for kind in MEDIA {
        if let Some(Value::Object(m)) = payload.get_mut(kind) {
            f(m);
        }
    }
    if let Some(Value::Object(header)) = payload
        .get_mut("interactive")
        .and_then(|i| i.as_object_mut())
        .and_then(|i| i.get_mut("header"))
    {
        for kind in MEDIA {
            if let Some(Value::Object(m)) = header.get_mut(kind) {
                f(m);
            }
        }
    }
    let components = payload
        .get_mut("template")
        .and_then(|t| t.as_object_mut())
        .and_then(|t| t.get_mut("components"));
    if let Some(Value::Array(components)) = components {
        for c in components {
            let params = c.as_object_mut().and_then(|c| c.get_mut("parameters"));
            if let Some(Value::Array(params)) = params {
                for p in params.iter_mut().filter_map(Value::as_object_mut) {
                    for kind in MEDIA {
                        if let Some(Value::Object(m)) = p.get_mut(kind) {
                            f(m);
                        }
                    }
                }
            }
        }
    }
}
