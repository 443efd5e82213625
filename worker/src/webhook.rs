//! The provider's webhooks: signature first, then the event read into what the
//! message log needs. See `shared/spec/provider-webhooks.md` for the envelope.

use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;
use wasend::json::Value;
use wasend::status::Status;

/// The sandbox signs its own events with `WEBHOOK_SECRET`, or with this when none
/// is set (sandbox only: with an upstream, a missing secret refuses every webhook).
pub const SANDBOX_SECRET: &str = "wasend-sandbox-webhook-secret";

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
    },
}

/// Reads an event envelope; `Ok(None)` for events wasend does not track.
pub fn parse(body: &[u8], now_ms: i64) -> Result<Option<Event>, String> {
    let v = wasend::json::parse(body).map_err(|e| format!("the webhook body is not json: {e}"))?;
    let event = v["event"]
        .as_str()
        .ok_or("the webhook body has no `event`")?;
    let data = &v["data"];
    let at = timestamp(&v["timestamp"])
        .or_else(|| timestamp(&data["timestamp"]))
        .filter(|at| *at <= now_ms + CLOCK_SKEW_MS)
        .unwrap_or(now_ms);
    let status = match event {
        "message.sent" => Status::Sent,
        "message.delivered" => Status::Delivered,
        "message.read" => Status::Read,
        "message.failed" => Status::Failed,
        "message.incoming" | "message.received" => {
            let from = data["from"]
                .as_str()
                .or_else(|| data["sender"].as_str())
                .ok_or("an incoming message needs `data.from`")?;
            let digits: String = from.chars().filter(char::is_ascii_digit).collect();
            // The provider's `text`, or Meta's `text.body`, or a button's reply.
            let text = [
                &data["text"],
                &data["text"]["body"],
                &data["body"],
                &data["button"]["text"],
            ]
            .into_iter()
            .find_map(|v| v.as_str())
            .map(str::to_owned);
            return Ok(Some(Event::Inbound {
                from: format!("+{digits}"),
                at,
                text,
                message_id: data["message_id"]
                    .as_str()
                    .or_else(|| data["id"].as_str())
                    .map(str::to_owned),
            }));
        }
        _ => return Ok(None),
    };
    let message_id = data["message_id"]
        .as_str()
        .ok_or("a status event needs `data.message_id`")?
        .to_owned();
    let reason = (status == Status::Failed).then(|| failure_reason(data));
    // The provider's `recipient`, Meta's `recipient_id`, or a `wa_id`.
    let recipient = ["recipient", "recipient_id", "wa_id"]
        .into_iter()
        .find_map(|k| data[k].as_str())
        .map(str::to_owned);
    Ok(Some(Event::Status {
        message_id,
        status,
        at,
        reason,
        recipient,
    }))
}

fn failure_reason(data: &Value) -> String {
    let pick = |v: &Value| v.as_str().map(str::to_owned);
    pick(&data["reason"])
        .or_else(|| pick(&data["error"]))
        .or_else(|| pick(&data["error"]["message"]))
        .or_else(|| pick(&data["errors"][0]["title"]))
        .or_else(|| pick(&data["errors"][0]["message"]))
        .unwrap_or_else(|| "unknown".into())
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

    #[test]
    fn parses_both_documented_shapes() {
        let e = parse(br#"{"event":"message.delivered","timestamp":1780000000,"data":{"message_id":"wamid.9","status":"delivered"}}"#, 1_780_000_001_000).expect("ok");
        assert!(
            matches!(e, Some(Event::Status { ref status, at: 1_780_000_000_000, .. }) if *status == Status::Delivered)
        );
        let e = parse(
            br#"{"event":"message.received","data":{"sender":"919876543210"}}"#,
            5,
        )
        .expect("ok");
        assert!(
            matches!(e, Some(Event::Inbound { ref from, at: 5, text: None, message_id: None }) if from == "+919876543210")
        );
        let e = parse(
            br#"{"event":"message.incoming","data":{"from":"5215512345678","text":{"body":"STOP"}}}"#,
            5,
        )
        .expect("ok");
        assert!(matches!(e, Some(Event::Inbound { text: Some(ref t), .. }) if t == "STOP"));
        // A timestamp further ahead than the clock skew is the time of receipt.
        let now = 1_780_000_000_000;
        for (ts, at) in [(1_780_000_200, 1_780_000_200_000), (1_811_536_000, now)] {
            let body = format!(
                r#"{{"event":"message.incoming","timestamp":{ts},"data":{{"from":"+919876543210","message_id":"wamid.IN"}}}}"#
            );
            let e = parse(body.as_bytes(), now).expect("ok");
            assert!(
                matches!(e, Some(Event::Inbound { at: a, message_id: Some(ref id), .. }) if a == at && id == "wamid.IN"),
                "{ts}"
            );
        }
        assert!(parse(br#"{"event":"contact.created","data":{}}"#, 0)
            .expect("ok")
            .is_none());
        assert!(parse(b"not json", 0).is_err());
        let e = parse(br#"{"event":"message.failed","data":{"message_id":"w","errors":[{"title":"Re-engagement message"}]}}"#, 0).expect("ok");
        assert!(
            matches!(e, Some(Event::Status { reason: Some(ref r), .. }) if r == "Re-engagement message")
        );
    }
}
