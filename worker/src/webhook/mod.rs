//! Webhooks: signature first, then the events read into what the message log
//! needs, from the provider's envelope (`provider.rs`, see
//! `shared/spec/provider-webhooks.md`) or Meta's (`meta.rs`).

mod meta;
mod provider;

pub use meta::{envelope, parse_envelope, verify_meta, Origin};
pub use provider::parse;

use crate::config::{Config, Dialect};
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;
use wasend::json::Value;
use wasend::status::Status;

/// The sandbox signs its own events with `WEBHOOK_SECRET`, or with this when none
/// is set (sandbox only: with an upstream, a missing secret refuses every webhook).
pub const SANDBOX_SECRET: &str = "wasend-sandbox-webhook-secret";

/// The secret the upstream's webhooks are signed with, in its dialect
/// (`WEBHOOK_SECRET`, or `META_APP_SECRET` for Meta); the sandbox's own when none
/// is set and the sandbox is on. `None`: this Worker takes no webhooks.
pub fn secret(cfg: &Config) -> Option<&str> {
    let configured = match cfg.dialect {
        Dialect::Provider => cfg.webhook_secret.as_deref(),
        Dialect::Meta => cfg.meta_app_secret.as_deref(),
    };
    configured.or_else(|| cfg.sandbox().then_some(SANDBOX_SECRET))
}

fn unhex(s: &str) -> Option<Vec<u8>> {
    if s.len() % 2 != 0 {
        return None;
    }
    (0..s.len())
        .step_by(2)
        .map(|i| {
            let pair = s.as_bytes().get(i..i + 2)?;
            wasend::numbers::hex_byte(pair[0], pair[1])
        })
        .collect()
}

/// Checks `X-Webhook-Signature` (hex HMAC-SHA256 of the raw body, optionally
/// `sha256=`-prefixed) in constant time, before anything reads the body.
pub fn verify(secret: &str, body: &[u8], signature: Option<&str>) -> bool {
    let Some(sig) = signature.map(str::trim) else {
        return false;
    };
    let sig = sig.strip_prefix("sha256=").unwrap_or(sig);
    let Some(expected) = unhex(&sig.to_ascii_lowercase()) else {
        return false;
    };
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(secret.as_bytes()) else {
        return false;
    };
    mac.update(body);
    mac.verify_slice(&expected).is_ok()
}

/// The hex signature of `body`, as the provider computes it.
pub fn sign(secret: &str, body: &[u8]) -> String {
    let mut mac =
        Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("hmac takes keys of any length");
    mac.update(body);
    crate::hex::encode(&mac.finalize().into_bytes())
}

/// How far ahead of this Worker's clock a signed event's timestamp may be; one
/// further ahead is taken as received now (a signed timestamp a year ahead would
/// otherwise hold a customer's 24-hour window open for a year).
pub const CLOCK_SKEW_MS: i64 = 5 * 60 * 1000;

/// An event the message log applies.
#[derive(Serialize, Deserialize, Debug, Clone)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Event {
    /// A delivery status of a message sent through the provider.
    Status {
        message_id: String,
        status: Status,
        at: i64,
        reason: Option<String>,
        /// The recipient's WhatsApp id, when the event names it.
        recipient: Option<String>,
    },
    /// A customer wrote: their 24-hour window opens (and a stop keyword suppresses them).
    Inbound {
        from: String,
        at: i64,
        #[serde(default)]
        text: Option<String>,
        /// The incoming message's id: the same message twice is applied once.
        #[serde(default)]
        message_id: Option<String>,
        /// Meta's business-scoped user id (BSUID) of the sender, when the upstream named it.
        #[serde(default)]
        user_id: Option<String>,
        /// The sender's profile name, when the upstream gave it (the provider's
        /// `contact_name`, Meta's `profile.name`): an app's SDK reads it.
        #[serde(default)]
        name: Option<String>,
    },
}

/// An event's time from its `timestamp`: ISO 8601 text or Unix seconds, the
/// time of receipt when it has none or is further ahead than [`CLOCK_SKEW_MS`].
fn time_of(v: &Value, now_ms: i64) -> Option<i64> {
    timestamp(v).filter(|at| *at <= now_ms + CLOCK_SKEW_MS)
}

/// ISO 8601 text or Unix seconds (number or digits), in milliseconds.
fn timestamp(v: &Value) -> Option<i64> {
    match v {
        Value::Number(n) => Some(n.as_f64())
            .filter(|s| s.is_finite() && *s >= 0.0)
            .map(seconds_to_ms),
        Value::String(s) => match wasend::numbers::digits_u64(s) {
            #[allow(clippy::cast_precision_loss)]
            Some(secs) => Some(seconds_to_ms(secs as f64)),
            None => iso_ms(s),
        },
        _ => None,
    }
}

/// ISO 8601 text in milliseconds, when it names an instant that exists.
fn iso_ms(s: &str) -> Option<i64> {
    // Date.parse rolls 2026-02-31 over to March: the date part must exist as written.
    let date = s.get(..10)?;
    if !wasend::numbers::is_date(date) {
        return None;
    }
    let ms = js_sys::Date::parse(s);
    #[allow(clippy::cast_possible_truncation)]
    (!ms.is_nan()).then_some(ms as i64)
}

fn seconds_to_ms(s: f64) -> i64 {
    // A value this large is already in milliseconds.
    #[allow(clippy::cast_possible_truncation)]
    let v = if s > 1e11 {
        s as i64
    } else {
        (s * 1000.0) as i64
    };
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signatures() {
        let body = "{\"event\":\"message.read\",\"data\":{\"message_id\":\"wamid.1\",\"text\":\"héllo ✓\"}}".as_bytes();
        let sig = sign("s3cret", body);
        assert!(verify("s3cret", body, Some(&sig)));
        assert!(verify("s3cret", body, Some(&format!("sha256={sig}"))));
        assert!(verify("s3cret", body, Some(&sig.to_ascii_uppercase())));
        assert!(!verify("other", body, Some(&sig)));
        assert!(!verify("s3cret", &body[1..], Some(&sig)));
        assert!(!verify("s3cret", body, None));
        assert!(!verify("s3cret", body, Some("zz")));
        assert!(!verify("s3cret", body, Some(&sig[..62])));
    }
}
