//! The built-in sandbox provider: what the Worker answers when no upstream key
//! is configured. It keeps the provider's rule that a real account would enforce
//! beyond the proxy's own checks (the 24-hour window), so the page and clients
//! meet the same failures they will meet in production; its approved templates
//! are the repository's (`templates/`), checked before a send reaches it.

use serde_json::{json, Value};
use wasend::json::Value as JsonValue;

/// The outcome of a sandbox send: HTTP status and the provider's body.
pub struct Answer {
    pub status: u16,
    pub body: Value,
}

/// The provider's refusal, with the code the Worker gives a real provider's
/// (`upstream_rejected`), so a client and a campaign row read both alike.
fn fail(status: u16, message: &str) -> Answer {
    Answer {
        status,
        body: json!({
            "message": message, "status": "error",
            "code": crate::codes::ErrorCode::UpstreamRejected,
        }),
    }
}

/// Answers a normalized, valid payload as the provider would. `window_open`
/// tells whether the recipient wrote in the last 24 hours. A template has been
/// checked against its approved definition already, by the same registry and
/// code as with a real provider (`templates.rs`).
pub fn answer(payload: &JsonValue, window_open: bool, message_id: &str) -> Answer {
    if payload["type"].as_str() != Some("template") && !window_open {
        return fail(400, "Outside 24-hour window. Use a template message.");
    }
    Answer {
        status: 200,
        body: json!({ "data": { "message_id": message_id, "status": "sent" } }),
    }
}

/// Answers as Meta's Cloud API would (the Meta dialect's sandbox): its raw
/// status and body text, which the Worker then reads exactly as it reads Meta's
/// (`upstream::read_meta`): a free-form message outside the window is Meta's
/// 131047; a success names the recipient's WhatsApp id.
pub fn meta_answer(payload: &JsonValue, window_open: bool, message_id: &str) -> (u16, String) {
    if payload["type"].as_str() != Some("template") && !window_open {
        let refusal = json!({ "error": {
            "message": "(#131047) Re-engagement message",
            "type": "OAuthException",
            "code": 131_047,
            "error_subcode": 2_494_010,
            "error_data": { "messaging_product": "whatsapp", "details": "Message failed to send because more than 24 hours have passed since the customer last replied to this number." },
            "fbtrace_id": format!("Asandbox{}", &message_id[message_id.len().saturating_sub(12)..]),
        }});
        return (400, refusal.to_string());
    }
    let to = payload["to"].as_str().unwrap_or_default();
    let wa_id = wasend::phone::whatsapp_id(to).unwrap_or_else(|| to.to_owned());
    let sent = json!({
        "messaging_product": "whatsapp",
        "contacts": [{ "input": to.trim_start_matches('+'), "wa_id": wa_id.trim_start_matches('+') }],
        "messages": [{ "id": message_id, "message_status": "accepted" }],
    });
    (200, sent.to_string())
}

/// A `wamid.`-style id: base64 of random bytes, as WhatsApp's look.
pub fn message_id(random: &mut impl FnMut() -> u8) -> String {
    const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let tail: String = (0..40)
        .map(|_| char::from(B64[usize::from(random() & 63)]))
        .collect();
    format!("wamid.HBgL{tail}")
}
