//! The provider's event envelope (`{"event", "timestamp", "data"}`), one event a
//! request.

use super::{timestamp, Event, CLOCK_SKEW_MS};
use wasend::json::Value;
use wasend::status::Status;

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
                user_id: None,
                name: data["contact_name"].as_str().map(str::to_owned),
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

#[cfg(test)]
mod tests {
    use super::*;

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
            matches!(e, Some(Event::Inbound { ref from, at: 5, text: None, message_id: None, .. }) if from == "+919876543210")
        );
        let e = parse(
            br#"{"event":"message.incoming","data":{"from":"5215512345678","text":{"body":"STOP"}}}"#,
            5,
        )
        .expect("ok");
        assert!(
            matches!(e, Some(Event::Inbound { text: Some(ref t), name: None, .. }) if t == "STOP")
        );
        // The documented envelope names the sender.
        let e = parse(
            br#"{"event":"message.incoming","timestamp":1780000000,"data":{"message_id":"wamid.xxx","from":"+919876543210","contact_name":"John Doe","type":"text","text":"Hello","whatsapp_account_id":"uuid"}}"#,
            1_900_000_000_000,
        )
        .expect("ok");
        assert!(
            matches!(e, Some(Event::Inbound { name: Some(ref n), text: Some(ref t), .. }) if n == "John Doe" && t == "Hello")
        );
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
