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

/// A `wamid.`-style id: base64 of random bytes, as WhatsApp's look.
pub fn message_id(random: &mut impl FnMut() -> u8) -> String {
    const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let tail: String = (0..40)
        .map(|_| char::from(B64[usize::from(random() & 63)]))
        .collect();
    format!("wamid.HBgL{tail}")
}
