//! Meta's answer to a send, in wasend's shape: a success as the provider's
//! `{"data": {"message_id", "status", "wa_id"}}`, an error as wasend's error body
//! with Meta's fields kept under `meta`, answered with the status and code the
//! failure table gives Meta's code.

use crate::failures::{self, Answer, FailureRule};
use crate::json::{Map, Number, Value};

/// What a send's answer from Meta says.
#[derive(Clone, Debug, PartialEq)]
pub enum SendAnswer {
    /// Accepted: wasend's success body.
    Sent(Value),
    /// Refused: Meta's error object, read.
    Refused(MetaError),
    /// Neither a message id nor an error object: whether it was sent is unknown.
    Unreadable,
}

/// Meta's error object (`{"error": {"message", "type", "code", "error_subcode",
/// "error_data": {"details"}, "fbtrace_id"}}`).
#[derive(Clone, Debug, PartialEq)]
pub struct MetaError {
    pub code: u32,
    pub subcode: Option<u64>,
    pub message: String,
    pub kind: Option<String>,
    pub details: Option<String>,
    pub fbtrace_id: Option<String>,
}

/// Reads Meta's answer to `POST /{phone_number_id}/messages` given with HTTP
/// `status`: a 2xx carries the message id, anything else an error object.
pub fn read_send_answer(status: u16, body: &Value) -> SendAnswer {
    if (200..300).contains(&status) {
        return sent(body).map_or(SendAnswer::Unreadable, SendAnswer::Sent);
    }
    MetaError::read(body).map_or(SendAnswer::Unreadable, SendAnswer::Refused)
}

/// `{"messaging_product", "contacts": [{"input", "wa_id"}], "messages": [{"id",
/// "message_status"?}]}` as `{"data": {"message_id", "status", "wa_id"?}}`;
/// `status` is Meta's `message_status`, else `accepted` (Meta's word for a send
/// it took and has not yet reported on).
fn sent(body: &Value) -> Option<Value> {
    let message = body.get("messages")?.as_array()?.first()?;
    let id = message.get("id")?.as_str().filter(|id| !id.is_empty())?;
    let status = message
        .get("message_status")
        .and_then(Value::as_str)
        .unwrap_or("accepted");
    let mut data = Map::new();
    data.insert("message_id", Value::from(id));
    data.insert("status", Value::from(status));
    let wa_id = body
        .get("contacts")
        .and_then(Value::as_array)
        .and_then(|c| c.first())
        .and_then(|c| c.get("wa_id"))
        .and_then(Value::as_str);
    if let Some(w) = wa_id {
        data.insert("wa_id", Value::from(w));
    }
    let mut out = Map::new();
    out.insert("data", Value::Object(data));
    Some(Value::Object(out))
}

impl MetaError {
    /// The error object of a body, when it has one with a numeric `code`.
    pub fn read(body: &Value) -> Option<MetaError> {
        let e = body.get("error")?;
        let code = u32::try_from(e.get("code")?.as_u64()?).ok()?;
        let text = |v: Option<&Value>| v.and_then(Value::as_str).map(str::to_owned);
        Some(MetaError {
            code,
            subcode: e.get("error_subcode").and_then(Value::as_u64),
            message: text(e.get("message")).unwrap_or_default(),
            kind: text(e.get("type")),
            details: text(e.get("error_data").and_then(|d| d.get("details"))),
            fbtrace_id: text(e.get("fbtrace_id")),
        })
    }

    /// How the Worker answers it, when Meta sent it with HTTP `http_status`, and
    /// the failure table's line it falls on.
    pub fn answer(&self, http_status: u16) -> (Answer, &'static FailureRule) {
        failures::meta_answer(self.code, http_status)
    }

    /// wasend's error body: `{"message", "status": "error", "code", "meta": {"code",
    /// "subcode"?, "type"?, "details"?, "fbtrace_id"?}}`. The message leads with
    /// `(#code)` as the provider writes Meta's codes, so every face that reads a
    /// class from a message (`failures::meta_code`) reads this one too.
    pub fn to_wasend(&self, answer: Answer) -> Value {
        let tag = format!("(#{})", self.code);
        let message = if self.message.contains(&tag) {
            self.message.clone()
        } else if self.message.is_empty() {
            format!("{tag} meta refused the message")
        } else {
            format!("{tag} {}", self.message)
        };
        let mut meta = Map::new();
        meta.insert("code", Value::Number(Number::from(u64::from(self.code))));
        if let Some(s) = self.subcode {
            meta.insert("subcode", Value::Number(Number::from(s)));
        }
        for (k, v) in [
            ("type", &self.kind),
            ("details", &self.details),
            ("fbtrace_id", &self.fbtrace_id),
        ] {
            if let Some(v) = v {
                meta.insert(k, Value::from(v.as_str()));
            }
        }
        let mut out = Map::new();
        out.insert("message", Value::from(message));
        out.insert("status", Value::from("error"));
        out.insert("code", Value::from(answer.code));
        out.insert("meta", Value::Object(meta));
        Value::Object(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::failures::FailureClass;
    use crate::json::parse;

    fn read(status: u16, text: &str) -> SendAnswer {
        read_send_answer(status, &parse(text.as_bytes()).expect("json"))
    }

    #[test]
    fn a_success_reads_as_the_providers() {
        let SendAnswer::Sent(v) = read(
            200,
            r#"{"messaging_product":"whatsapp","contacts":[{"input":"919876543210","wa_id":"919876543210"}],"messages":[{"id":"wamid.HBgM","message_status":"accepted"}]}"#,
        ) else {
            panic!("sent")
        };
        assert_eq!(
            v.to_json(),
            r#"{"data":{"message_id":"wamid.HBgM","status":"accepted","wa_id":"919876543210"}}"#
        );
        let SendAnswer::Sent(v) = read(200, r#"{"messages":[{"id":"wamid.X"}]}"#) else {
            panic!("sent")
        };
        assert_eq!(
            v.to_json(),
            r#"{"data":{"message_id":"wamid.X","status":"accepted"}}"#
        );
    }

    #[test]
    fn a_success_without_an_id_is_unreadable() {
        for text in [
            r#"{"messages":[]}"#,
            r#"{"messages":[{"id":""}]}"#,
            r#"{"contacts":[{"wa_id":"1"}]}"#,
            r#"{"error":{"code":131000}}"#,
        ] {
            assert_eq!(read(200, text), SendAnswer::Unreadable, "{text}");
        }
        for text in [r#"{"message":"no"}"#, r#"{"error":{"code":"x"}}"#, "[]"] {
            assert_eq!(read(400, text), SendAnswer::Unreadable, "{text}");
        }
    }

    #[test]
    fn an_error_keeps_metas_fields_and_gets_the_tables_answer() {
        let SendAnswer::Refused(e) = read(
            400,
            r#"{"error":{"message":"(#131047) Re-engagement message","type":"OAuthException","code":131047,"error_subcode":2494010,"error_data":{"messaging_product":"whatsapp","details":"Message failed to send because more than 24 hours have passed since the customer last replied to this number."},"fbtrace_id":"AbCd"}}"#,
        ) else {
            panic!("refused")
        };
        let (a, line) = e.answer(400);
        assert_eq!(
            (a.status, a.code, line.class),
            (400, "upstream_rejected", FailureClass::NeedsTemplate)
        );
        let body = e.to_wasend(a);
        assert_eq!(
            body.to_json(),
            r#"{"message":"(#131047) Re-engagement message","status":"error","code":"upstream_rejected","meta":{"code":131047,"subcode":2494010,"type":"OAuthException","details":"Message failed to send because more than 24 hours have passed since the customer last replied to this number.","fbtrace_id":"AbCd"}}"#
        );
        // A message without its code gets it, so a class is read from the message alone.
        let SendAnswer::Refused(e) = read(
            400,
            r#"{"error":{"message":"Template name does not exist in the translation","code":132001}}"#,
        ) else {
            panic!("refused")
        };
        let body = e.to_wasend(e.answer(404).0);
        let message = body
            .get("message")
            .and_then(Value::as_str)
            .unwrap_or_default();
        assert!(message.starts_with("(#132001) Template name"), "{message}");
        assert_eq!(
            failures::classify(None, Some(message)),
            FailureClass::Template
        );
    }
}
