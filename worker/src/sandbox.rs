//! The built-in sandbox provider: what the Worker answers when no upstream key
//! is configured. It keeps the provider's rules that a real account would
//! enforce (the 24-hour window, approved templates and their parameters) so the
//! page and clients meet the same failures they will meet in production.

use serde_json::{json, Value};
use wasend::json::Value as JsonValue;
use wasend::{validate, Options, TemplateDefinition};

/// The sandbox's approved templates, as Meta's template API lists them.
pub const TEMPLATES: &str = r#"[
  {"name": "hello_world", "language": "en_US", "status": "APPROVED", "category": "UTILITY",
   "components": [{"type": "HEADER", "format": "TEXT", "text": "Hello World"},
                  {"type": "BODY", "text": "Welcome and congratulations!! This message demonstrates your ability to send a WhatsApp message notification from the Cloud API, hosted by Meta."},
                  {"type": "FOOTER", "text": "WhatsApp Business Platform sample message"}]},
  {"name": "order_confirmation", "language": "en", "status": "APPROVED", "category": "UTILITY",
   "components": [{"type": "BODY", "text": "Hi {{1}}, your order {{2}} has been confirmed and will ship soon."},
                  {"type": "FOOTER", "text": "Reply STOP to opt out"},
                  {"type": "BUTTONS", "buttons": [{"type": "URL", "text": "Track order", "url": "https://shop.example.com/orders/{{1}}"}]}]},
  {"name": "appointment_reminder", "language": "en_US", "status": "APPROVED", "category": "UTILITY",
   "components": [{"type": "HEADER", "format": "TEXT", "text": "Appointment with {{1}}"},
                  {"type": "BODY", "text": "Hi {{1}}, this is a reminder of your appointment on {{2}} at {{3}}."},
                  {"type": "BUTTONS", "buttons": [{"type": "QUICK_REPLY", "text": "Confirm"}, {"type": "QUICK_REPLY", "text": "Reschedule"}]}]},
  {"name": "new_arrivals", "language": "en_US", "status": "APPROVED", "category": "MARKETING",
   "components": [{"type": "HEADER", "format": "IMAGE"},
                  {"type": "BODY", "text": "New this week: {{1}}. Prices from {{2}}."},
                  {"type": "FOOTER", "text": "Tap Stop promotions to unsubscribe"},
                  {"type": "BUTTONS", "buttons": [{"type": "QUICK_REPLY", "text": "Stop promotions"},
                                                  {"type": "URL", "text": "Shop now", "url": "https://shop.example.com/new/{{1}}"}]}]},
  {"name": "delivery_update", "language": "en", "status": "APPROVED", "category": "UTILITY", "parameter_format": "NAMED",
   "components": [{"type": "BODY", "text": "Hi {{first_name}}, order {{order_id}} arrives on {{delivery_date}}."}]},
  {"name": "verification_code", "language": "en", "status": "APPROVED", "category": "AUTHENTICATION",
   "components": [{"type": "BODY", "text": "{{1}} is your verification code. For your security, do not share this code."},
                  {"type": "BUTTONS", "buttons": [{"type": "COPY_CODE", "example": "123456"}]}]}
]"#;

pub fn templates() -> Value {
    serde_json::from_str(TEMPLATES).unwrap_or_else(|_| json!([]))
}

fn definition(name: &str, language: &str) -> Option<TemplateDefinition> {
    let all = wasend::json::parse(TEMPLATES.as_bytes()).ok()?;
    all.as_array()?
        .iter()
        .filter(|t| t["name"] == name && t["language"] == language)
        .find_map(|t| TemplateDefinition::from_value(t).ok())
}

/// The outcome of a sandbox send: HTTP status and the provider's body.
pub struct Answer {
    pub status: u16,
    pub body: Value,
}

fn fail(status: u16, message: &str) -> Answer {
    Answer {
        status,
        body: json!({ "message": message, "status": "error" }),
    }
}

/// Answers a normalized, valid payload as the provider would. `window_open`
/// tells whether the recipient wrote in the last 24 hours.
pub fn answer(payload: &JsonValue, window_open: bool, message_id: &str) -> Answer {
    let kind = payload["type"].as_str().unwrap_or_default();
    if kind == "template" {
        let t = &payload["template"];
        let name = t["name"].as_str().unwrap_or_default();
        let language = match &t["language"] {
            JsonValue::String(s) => s.as_str(),
            other => other["code"].as_str().unwrap_or_default(),
        };
        let Some(def) = definition(name, language) else {
            return fail(404, &format!("Template not found: {name} ({language})"));
        };
        let checked = validate(payload, &Options::default().template(def));
        if let Some(e) = checked.errors.first() {
            // Meta's own words for the parameter-count mismatch, error 132000.
            let message = if e.code == wasend::Code::TemplateParamCount {
                "(#132000) Number of parameters does not match the expected number of params"
                    .to_owned()
            } else {
                format!(
                    "template does not match its approved definition: {} at {}",
                    e.message, e.path
                )
            };
            return fail(400, &message);
        }
    } else if !window_open {
        return fail(400, "Outside 24-hour window. Use a template message.");
    }
    Answer {
        status: 200,
        body: json!({ "data": { "message_id": message_id, "status": "sent" } }),
    }
}

/// A `wamid.`-style id: base64 of random bytes, as WhatsApp's look.
pub fn message_id(random: &mut impl FnMut() -> u8) -> String {
    const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let tail: String = (0..40)
        .map(|_| char::from(B64[usize::from(random() & 63)]))
        .collect();
    format!("wamid.HBgL{tail}")
}
