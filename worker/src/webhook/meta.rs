//! Meta's webhooks: `X-Hub-Signature-256: sha256=<hex>` over the raw body with
//! the app secret, and the envelope (`{"object": "whatsapp_business_account",
//! "entry": [{"changes": [{"field": "messages", "value": {…}}]}]}`), which
//! carries any number of statuses and customer messages in one request: read
//! ([`parse_envelope`]) and written ([`envelope`], what the ingress forwards to
//! an app).

use super::{time_of, verify, Event};
use wasend::json::Value;
use wasend::status::Status;

/// Checks Meta's `X-Hub-Signature-256` (`sha256=` and the hex HMAC-SHA256 of the
/// raw body under the app secret) in constant time, before anything reads the body.
pub fn verify_meta(app_secret: &str, body: &[u8], header: Option<&str>) -> bool {
    header
        .map(str::trim)
        .and_then(|h| h.strip_prefix("sha256="))
        .is_some_and(|hex| verify(app_secret, body, Some(hex)))
}

/// Every event of an envelope, in the order Meta wrote them; changes of fields
/// other than `messages`, and statuses wasend does not track, are left out.
pub fn parse_envelope(body: &[u8], now_ms: i64) -> Result<Vec<Event>, String> {
    let v = wasend::json::parse(body).map_err(|e| format!("the webhook body is not json: {e}"))?;
    if v["object"].as_str() != Some("whatsapp_business_account") {
        return Err("the webhook body is not a whatsapp_business_account envelope".into());
    }
    let entries = v["entry"]
        .as_array()
        .ok_or("the envelope has no `entry` array")?;
    let mut events = Vec::new();
    for entry in entries {
        for change in entry["changes"].as_array().into_iter().flatten() {
            if change["field"].as_str() != Some("messages") {
                continue;
            }
            let value = &change["value"];
            for s in value["statuses"].as_array().into_iter().flatten() {
                events.extend(status(s, now_ms)?);
            }
            for m in value["messages"].as_array().into_iter().flatten() {
                events.push(inbound(m, &value["contacts"], now_ms)?);
            }
        }
    }
    Ok(events)
}

/// Where an envelope says it comes from: the business account and the number.
pub struct Origin<'a> {
    pub waba_id: &'a str,
    pub phone_number_id: &'a str,
}

/// One event as Meta's envelope, as Meta would post it to an app: a status with
/// its `recipient_id` (and `errors[]` when it failed, its code read back from the
/// reason's `(#code)`), or a customer's message with its `contacts`.
pub fn envelope(event: &Event, origin: &Origin<'_>) -> serde_json::Value {
    use serde_json::json;
    let seconds = |at: i64| (at / 1000).to_string();
    let mut value = json!({
        "messaging_product": "whatsapp",
        "metadata": { "display_phone_number": origin.phone_number_id, "phone_number_id": origin.phone_number_id },
    });
    match event {
        Event::Status {
            message_id,
            status,
            at,
            reason,
            recipient,
        } => {
            let mut s = json!({
                "id": message_id,
                "status": status.as_str(),
                "timestamp": seconds(*at),
                "recipient_id": recipient.as_deref().unwrap_or_default().trim_start_matches('+'),
            });
            if let (Status::Failed, Some(reason)) = (status, reason) {
                let code = wasend::failures::meta_code(reason).unwrap_or(131_000);
                let title = reason
                    .strip_prefix(&format!("(#{code}) "))
                    .unwrap_or(reason);
                s["errors"] = json!([{ "code": code, "title": title, "message": title, "error_data": { "details": title } }]);
            }
            value["statuses"] = json!([s]);
            // Meta names the recipient in `contacts` too (its WhatsApp id and BSUID).
            let wa_id = recipient
                .as_deref()
                .unwrap_or_default()
                .trim_start_matches('+');
            if !wa_id.is_empty() {
                value["contacts"] = json!([{ "profile": { "name": "" }, "wa_id": wa_id, "user_id": stand_in_user_id(wa_id) }]);
            }
        }
        Event::Inbound {
            from,
            at,
            text,
            message_id,
            user_id,
            name,
        } => {
            let wa_id = from.trim_start_matches('+');
            // Meta names every sender by a business-scoped user id (BSUID) too, and
            // SDKs read it; one the upstream did not give is a stable stand-in.
            let user_id = user_id.clone().unwrap_or_else(|| stand_in_user_id(wa_id));
            // Meta always writes a profile name; "" where the upstream gave none.
            let name = name.as_deref().unwrap_or_default();
            value["contacts"] =
                json!([{ "profile": { "name": name }, "wa_id": wa_id, "user_id": user_id }]);
            let id = message_id
                .clone()
                .unwrap_or_else(|| format!("wamid.IN{at}{wa_id}"));
            value["messages"] = json!([{
                "from": wa_id, "id": id, "timestamp": seconds(*at), "type": "text",
                "text": { "body": text.as_deref().unwrap_or_default() },
            }]);
        }
    }
    json!({
        "object": "whatsapp_business_account",
        "entry": [{ "id": origin.waba_id, "changes": [{ "field": "messages", "value": value }] }],
    })
}

/// A BSUID-shaped id for a number the upstream gave none for: stable per number,
/// `WS.` and 20 hex digits of its digest, so it is never taken for Meta's own.
fn stand_in_user_id(wa_id: &str) -> String {
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(wa_id.as_bytes());
    format!("WS.{}", &crate::hex::encode(&digest[..10]))
}

fn status(s: &Value, now_ms: i64) -> Result<Option<Event>, String> {
    let status = match s["status"].as_str() {
        Some("sent") => Status::Sent,
        Some("delivered") => Status::Delivered,
        Some("read") => Status::Read,
        Some("failed") => Status::Failed,
        // `deleted`, `warning` and whatever Meta adds: nothing the log tracks.
        _ => return Ok(None),
    };
    let message_id = s["id"]
        .as_str()
        .filter(|id| !id.is_empty())
        .ok_or("a status needs its message `id`")?
        .to_owned();
    Ok(Some(Event::Status {
        message_id,
        at: time_of(&s["timestamp"], now_ms).unwrap_or(now_ms),
        reason: (status == Status::Failed).then(|| failure_reason(&s["errors"][0])),
        status,
        recipient: s["recipient_id"].as_str().map(str::to_owned),
    }))
}

/// `(#code) title: details`: the code first, as the failure table reads it (131050
/// suppresses the recipient, as the same answer to a send does).
fn failure_reason(error: &Value) -> String {
    fn text(v: &Value) -> Option<&str> {
        v.as_str().filter(|t| !t.is_empty())
    }
    let title = text(&error["title"]).or_else(|| text(&error["message"]));
    let details = text(&error["error_data"]["details"]).filter(|d| Some(*d) != title);
    let words = match (title, details) {
        (Some(t), Some(d)) => format!("{t}: {d}"),
        (Some(t), None) => t.to_owned(),
        (None, Some(d)) => d.to_owned(),
        (None, None) => "unknown".to_owned(),
    };
    match error["code"].as_u64() {
        Some(code) => format!("(#{code}) {words}"),
        None => words,
    }
}

fn inbound(m: &Value, contacts: &Value, now_ms: i64) -> Result<Event, String> {
    let from = m["from"]
        .as_str()
        .ok_or("a customer's message needs `from`")?;
    let digits: String = from.chars().filter(char::is_ascii_digit).collect();
    if digits.is_empty() {
        return Err("a customer's message needs `from` digits".into());
    }
    // What they wrote: text, a quick-reply button's text, or a reply's title.
    let text = [
        &m["text"]["body"],
        &m["button"]["text"],
        &m["interactive"]["button_reply"]["title"],
        &m["interactive"]["list_reply"]["title"],
    ]
    .into_iter()
    .find_map(|v| v.as_str())
    .map(str::to_owned);
    // The sender's BSUID, from the contact that is them (or the only one).
    let all = contacts.as_array().map(Vec::as_slice).unwrap_or_default();
    let contact = all
        .iter()
        .find(|c| c["wa_id"].as_str() == Some(from))
        .or(if all.len() == 1 { all.first() } else { None });
    Ok(Event::Inbound {
        from: format!("+{digits}"),
        at: time_of(&m["timestamp"], now_ms).unwrap_or(now_ms),
        text,
        message_id: m["id"].as_str().map(str::to_owned),
        user_id: contact
            .and_then(|c| c["user_id"].as_str())
            .map(str::to_owned),
        name: contact
            .and_then(|c| c["profile"]["name"].as_str())
            .filter(|n| !n.is_empty())
            .map(str::to_owned),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Meta's documented envelope: two entries, a change of another field, a
    /// customer's message and three statuses, one failed with `errors[]`.
    const ENVELOPE: &str = r#"{"object":"whatsapp_business_account","entry":[
      {"id":"WABA","changes":[
        {"field":"messages","value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"15550001111","phone_number_id":"PN"},
          "contacts":[{"profile":{"name":"Ana"},"wa_id":"5215512345678","user_id":"MX.1234567890123456"}],
          "messages":[{"from":"5215512345678","id":"wamid.IN1","timestamp":"1780000000","type":"text","text":{"body":"STOP"}}]}},
        {"field":"account_update","value":{"event":"VERIFIED_ACCOUNT"}}]},
      {"id":"WABA","changes":[{"field":"messages","value":{"messaging_product":"whatsapp","metadata":{"phone_number_id":"PN"},
        "statuses":[
          {"id":"wamid.A","status":"sent","timestamp":"1780000001","recipient_id":"919876543210","conversation":{"id":"c","origin":{"type":"utility"}},"pricing":{"billable":true,"pricing_model":"PMP","category":"utility"}},
          {"id":"wamid.A","status":"delivered","timestamp":"1780000002","recipient_id":"919876543210"},
          {"id":"wamid.B","status":"failed","timestamp":"1780000003","recipient_id":"919876543211","errors":[{"code":131050,"title":"Unable to deliver the message. This recipient has chosen to stop receiving marketing messages on WhatsApp from your business.","message":"x","error_data":{"details":"opted out"}}]},
          {"id":"wamid.C","status":"deleted","timestamp":"1780000004","recipient_id":"919876543211"}]}}]}]}"#;

    #[test]
    fn every_event_of_an_envelope_in_order() {
        let now = 1_780_000_100_000;
        let events = parse_envelope(ENVELOPE.as_bytes(), now).expect("ok");
        assert_eq!(events.len(), 4, "{events:?}");
        assert!(
            matches!(&events[0], Event::Inbound { from, at: 1_780_000_000_000, text: Some(t), message_id: Some(id), user_id: Some(u), name: Some(n) } if from == "+5215512345678" && t == "STOP" && id == "wamid.IN1" && u == "MX.1234567890123456" && n == "Ana")
        );
        assert!(
            matches!(&events[1], Event::Status { message_id, status: Status::Sent, at: 1_780_000_001_000, reason: None, recipient: Some(r) } if message_id == "wamid.A" && r == "919876543210")
        );
        assert!(matches!(
            &events[2],
            Event::Status {
                status: Status::Delivered,
                ..
            }
        ));
        let Event::Status {
            status: Status::Failed,
            reason: Some(reason),
            ..
        } = &events[3]
        else {
            panic!("{:?}", events[3])
        };
        assert!(
            reason.starts_with("(#131050) Unable to deliver"),
            "{reason}"
        );
        assert!(reason.ends_with(": opted out"), "{reason}");
        assert!(wasend::failures::rule(None, Some(reason)).is_some_and(|r| r.suppresses));
    }

    #[test]
    fn refusals_and_the_clock() {
        for bad in [
            "not json",
            r#"{"object":"page","entry":[]}"#,
            r#"{"object":"whatsapp_business_account"}"#,
            r#"{"object":"whatsapp_business_account","entry":[{"changes":[{"field":"messages","value":{"statuses":[{"status":"read"}]}}]}]}"#,
            r#"{"object":"whatsapp_business_account","entry":[{"changes":[{"field":"messages","value":{"messages":[{"id":"x"}]}}]}]}"#,
        ] {
            assert!(parse_envelope(bad.as_bytes(), 0).is_err(), "{bad}");
        }
        // A timestamp further ahead than the clock skew is the time of receipt.
        let body = r#"{"object":"whatsapp_business_account","entry":[{"changes":[{"field":"messages","value":{"messages":[{"from":"+1 555 000 1111","id":"w","timestamp":"1811536000","interactive":{"type":"button_reply","button_reply":{"id":"b","title":"Yes"}}}]}}]}]}"#;
        let events = parse_envelope(body.as_bytes(), 1_780_000_000_000).expect("ok");
        assert!(
            matches!(&events[..], [Event::Inbound { from, at: 1_780_000_000_000, text: Some(t), .. }] if from == "+15550001111" && t == "Yes")
        );
    }

    /// What is written reads back as the same events.
    #[test]
    fn envelopes_read_back() {
        let origin = Origin {
            waba_id: "W",
            phone_number_id: "P",
        };
        let now = 1_780_000_100_000;
        for event in parse_envelope(ENVELOPE.as_bytes(), now).expect("ok") {
            let text = envelope(&event, &origin).to_string();
            let again = parse_envelope(text.as_bytes(), now).expect("reads");
            assert_eq!(again.len(), 1, "{text}");
            assert_eq!(format!("{:?}", again[0]), format!("{event:?}"), "{text}");
        }
        // A sender the upstream named no BSUID for gets a stable stand-in.
        let plain = Event::Inbound {
            from: "+919876543210".into(),
            at: now,
            text: None,
            message_id: None,
            user_id: None,
            name: None,
        };
        let text = envelope(&plain, &origin).to_string();
        let user_id = |t: &str| match parse_envelope(t.as_bytes(), now).expect("reads").pop() {
            Some(Event::Inbound { user_id, .. }) => user_id,
            _ => None,
        };
        let first = user_id(&text).expect("a stand-in");
        assert!(first.starts_with("WS.") && first.len() == 23, "{first}");
        assert_eq!(user_id(&envelope(&plain, &origin).to_string()), Some(first));
    }

    #[test]
    fn meta_signatures() {
        let body = ENVELOPE.as_bytes();
        let sig = format!("sha256={}", super::super::sign("app-secret", body));
        assert!(verify_meta("app-secret", body, Some(&sig)));
        assert!(!verify_meta("other", body, Some(&sig)));
        assert!(!verify_meta("app-secret", &body[1..], Some(&sig)));
        assert!(!verify_meta("app-secret", body, None));
        // The bare hex (the provider's form) is not Meta's header.
        assert!(!verify_meta("app-secret", body, Some(&sig[7..])));
    }
}
