//! wasend answering as Meta's Cloud API does (the Meta-compatible ingress): an
//! error located in the caller's own format, and wasend's answers written as
//! Meta's, so an app built on a Meta SDK reads them unchanged.
//!
//! The reverse of [`crate::failures`]' Meta column: that table says how the Worker
//! answers a Meta code; [`REFUSALS`] says which Meta code answers each of the
//! Worker's. A refusal that came from Meta (or from the provider, which passes
//! Meta's codes in its messages) keeps Meta's own code.

use crate::json::{Map, Number, Value};

/// A refusal as Meta writes it: HTTP status, `code`, `error_subcode`, `type`,
/// and the title its message carries after `(#code)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MetaRefusal {
    pub status: u16,
    pub code: u32,
    pub subcode: Option<u32>,
    pub kind: &'static str,
    pub title: &'static str,
}

const fn refusal(status: u16, code: u32, title: &'static str) -> MetaRefusal {
    MetaRefusal {
        status,
        code,
        subcode: None,
        kind: "OAuthException",
        title,
    }
}

/// An object the Graph API does not know (an unknown phone number id, a path it
/// does not serve): code 100, subcode 33, as Graph answers it.
pub const UNKNOWN_OBJECT: MetaRefusal = MetaRefusal {
    status: 404,
    code: 100,
    subcode: Some(33),
    kind: "GraphMethodException",
    title: "Unsupported request: the object does not exist or does not support this operation",
};

/// A Graph call the ingress does not serve itself (media, which lives at Meta).
pub const NOT_RELAYED: MetaRefusal = MetaRefusal {
    status: 501,
    code: 100,
    subcode: None,
    kind: "GraphMethodException",
    title: "Unsupported request: not relayed by this proxy",
};

/// Which Meta refusal answers each of the Worker's error codes (the README's
/// table of the ingress is this one).
pub static REFUSALS: &[(&str, MetaRefusal)] = &[
    (
        "invalid_payload",
        refusal(400, 131_009, "Parameter value is not valid"),
    ),
    ("invalid_json", refusal(400, 100, "Invalid parameter")),
    ("invalid_body", refusal(400, 100, "Invalid parameter")),
    ("payload_too_large", refusal(413, 100, "Invalid parameter")),
    (
        "unsupported_media_type",
        refusal(415, 100, "Invalid parameter"),
    ),
    ("body_timeout", refusal(408, 100, "Invalid parameter")),
    (
        "invalid_idempotency_key",
        refusal(400, 100, "Invalid parameter"),
    ),
    (
        "idempotency_key_reused",
        refusal(422, 100, "Invalid parameter"),
    ),
    (
        "idempotency_in_flight",
        refusal(409, 2, "Service temporarily unavailable"),
    ),
    (
        "unauthorized",
        refusal(401, 190, "Invalid OAuth access token"),
    ),
    ("forbidden", refusal(403, 10, "Permission denied")),
    (
        "too_many_failed_authentications",
        refusal(429, 4, "Application request limit reached"),
    ),
    ("rate_limited", refusal(429, 130_429, "Rate limit hit")),
    (
        "upstream_rate_limited",
        refusal(429, 130_429, "Rate limit hit"),
    ),
    (
        "template_not_found",
        refusal(
            404,
            132_001,
            "Template name does not exist in the translation",
        ),
    ),
    (
        "template_not_approved",
        refusal(400, 132_015, "Template is paused"),
    ),
    (
        "recipient_opted_out",
        refusal(400, 131_050, "User has stopped marketing messages"),
    ),
    ("unknown_account", UNKNOWN_OBJECT),
    ("not_found", UNKNOWN_OBJECT),
    (
        "method_not_allowed",
        refusal(405, 100, "Unsupported request method"),
    ),
    ("upstream_auth", refusal(403, 10, "Permission denied")),
    (
        "sender_not_configured",
        refusal(503, 131_000, "Something went wrong"),
    ),
    ("upstream_rejected", refusal(400, 100, "Invalid parameter")),
    (
        "upstream_timeout",
        refusal(504, 131_000, "Something went wrong"),
    ),
    (
        "upstream_unreachable",
        refusal(502, 131_000, "Something went wrong"),
    ),
    (
        "upstream_error",
        refusal(502, 131_000, "Something went wrong"),
    ),
    (
        "upstream_unavailable",
        refusal(503, 2, "Service temporarily unavailable"),
    ),
    (
        "templates_unavailable",
        refusal(503, 2, "Service temporarily unavailable"),
    ),
    (
        "storage_unavailable",
        refusal(503, 2, "Service temporarily unavailable"),
    ),
    ("internal", refusal(500, 1, "An unknown error occurred")),
];

/// The pair rate limit's refusal (a `rate_limited` answer whose `scope` is `pair`).
pub const PAIR_LIMITED: MetaRefusal = refusal(
    429,
    131_056,
    "(Business Account, Consumer Account) pair rate limit hit",
);
/// A payload missing what it needs (every error `required`).
pub const MISSING: MetaRefusal = refusal(400, 131_008, "Required parameter is missing");
/// A template that is disabled (`template_status` DISABLED), or another status
/// that is neither approved nor paused.
pub const TEMPLATE_DISABLED: MetaRefusal = refusal(400, 132_016, "Template is disabled");

/// The HTTP status Graph answers a Meta code with, for a refusal that carries one.
fn graph_status(code: u32) -> u16 {
    match code {
        190 => 401,
        10 | 200..=299 => 403,
        4 | 80_007 | 130_429 | 131_056 => 429,
        1 | 131_000 => 500,
        2 | 131_016 | 133_004 => 503,
        _ => 400,
    }
}

/// How the ingress refuses an answer of the Worker's (`status`, its error `body`).
pub fn refusal_for(status: u16, body: &Value) -> MetaRefusal {
    let code = body.get("code").and_then(Value::as_str);
    let message = body.get("message").and_then(Value::as_str);
    // Our own credentials are never the caller's: its token is valid.
    if code == Some("upstream_auth") {
        return lookup("upstream_auth").unwrap_or(UNKNOWN_OBJECT);
    }
    // Meta's own code, when the refusal came from Meta or the provider passed it on.
    let meta = body
        .get("meta")
        .and_then(|m| m.get("code"))
        .and_then(Value::as_u64)
        .and_then(|c| u32::try_from(c).ok())
        .or_else(|| message.and_then(crate::failures::meta_code));
    if let Some(meta) = meta {
        return MetaRefusal {
            status: graph_status(meta),
            code: meta,
            subcode: body
                .get("meta")
                .and_then(|m| m.get("subcode"))
                .and_then(Value::as_u64)
                .and_then(|s| u32::try_from(s).ok()),
            kind: "OAuthException",
            title: "",
        };
    }
    match code {
        Some("invalid_payload") if all_required(body) => MISSING,
        Some("rate_limited") if body.get("scope").and_then(Value::as_str) == Some("pair") => {
            PAIR_LIMITED
        }
        Some("template_not_approved")
            if body.get("template_status").and_then(Value::as_str) != Some("PAUSED") =>
        {
            TEMPLATE_DISABLED
        }
        Some(c) => lookup(c).unwrap_or_else(|| by_status(status)),
        None => by_status(status),
    }
}

fn lookup(code: &str) -> Option<MetaRefusal> {
    REFUSALS.iter().find(|(c, _)| *c == code).map(|(_, r)| *r)
}

fn by_status(status: u16) -> MetaRefusal {
    match status {
        401 => refusal(401, 190, "Invalid OAuth access token"),
        404 => UNKNOWN_OBJECT,
        429 => refusal(429, 130_429, "Rate limit hit"),
        500..=599 => refusal(status, 131_000, "Something went wrong"),
        _ => refusal(status, 100, "Invalid parameter"),
    }
}

fn all_required(body: &Value) -> bool {
    body.get("errors")
        .and_then(Value::as_array)
        .is_some_and(|e| {
            !e.is_empty()
                && e.iter()
                    .all(|x| x.get("code").and_then(Value::as_str) == Some("required"))
        })
}

/// Meta's error object for `refusal`: `{"error": {"message": "(#code) …", "type",
/// "code", "error_subcode"?, "error_data": {"messaging_product", "details"},
/// "fbtrace_id"}, "wasend": <the Worker's own answer>}`. `details` is the
/// Worker's message; `wasend` keeps every error it listed.
pub fn error_body(refusal: &MetaRefusal, wasend: &Value, fbtrace_id: &str) -> Value {
    let details = wasend
        .get("message")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let tag = format!("(#{})", refusal.code);
    let message = match (refusal.title, details) {
        (title, d) if title.is_empty() && d.starts_with(&tag) => d.to_owned(),
        ("", d) => format!("{tag} {d}"),
        (title, _) => format!("{tag} {title}"),
    };
    let mut data = Map::new();
    data.insert("messaging_product", Value::from("whatsapp"));
    data.insert("details", Value::from(details));
    let mut error = Map::new();
    error.insert("message", Value::from(message));
    error.insert("type", Value::from(refusal.kind));
    error.insert("code", Value::Number(Number::from(u64::from(refusal.code))));
    if let Some(s) = refusal.subcode {
        error.insert("error_subcode", Value::Number(Number::from(u64::from(s))));
    }
    error.insert("error_data", Value::Object(data));
    error.insert("fbtrace_id", Value::from(fbtrace_id));
    let mut out = Map::new();
    out.insert("error", Value::Object(error));
    out.insert("wasend", wasend.clone());
    Value::Object(out)
}

/// Meta's success for a send: `{"messaging_product": "whatsapp", "contacts":
/// [{"input", "wa_id"}], "messages": [{"id"}]}`. `input` is `to` as the caller
/// wrote it; `wa_id` the upstream's, else the normalized number's digits.
pub fn success_body(input: &str, wa_id: &str, message_id: &str) -> Value {
    let mut contact = Map::new();
    contact.insert("input", Value::from(input));
    contact.insert("wa_id", Value::from(wa_id.trim_start_matches('+')));
    let mut message = Map::new();
    message.insert("id", Value::from(message_id));
    let mut out = Map::new();
    out.insert("messaging_product", Value::from("whatsapp"));
    out.insert("contacts", Value::Array(vec![Value::Object(contact)]));
    out.insert("messages", Value::Array(vec![Value::Object(message)]));
    Value::Object(out)
}

fn is_object(v: &Value) -> bool {
    matches!(v, Value::Object(_))
}

/// The pointer into the caller's Meta-format `body` of `pointer`, a path into its
/// translation (`from_meta`): `/text` is `/text/body`, a media object's `url` is
/// its `link`, a template's `language` its `language/code`, wherever the caller
/// wrote them Meta's way.
pub fn meta_pointer(body: &Value, pointer: &str) -> String {
    let mut out = String::new();
    let mut node = Some(body);
    for (depth, raw) in pointer.split('/').skip(1).enumerate() {
        let seg = raw.replace("~1", "/").replace("~0", "~");
        let here = node;
        let object = here.and_then(Value::as_object);
        let renamed: &[&str] = match seg.as_str() {
            "text" if depth == 0 && object.and_then(|o| o.get("text")).is_some_and(is_object) => {
                &["text", "body"]
            }
            "url" if object.is_some_and(|o| o.get("link").is_some() && o.get("url").is_none()) => {
                &["link"]
            }
            "language"
                if object
                    .and_then(|o| o.get("language"))
                    .is_some_and(is_object)
                    && object.is_some_and(|o| o.get("name").is_some()) =>
            {
                &["language", "code"]
            }
            _ => &[],
        };
        if renamed.is_empty() {
            out.push('/');
            out.push_str(raw);
            node = here.and_then(|n| match n {
                Value::Object(m) => m.get(&seg),
                Value::Array(a) => seg.parse::<usize>().ok().and_then(|i| a.get(i)),
                _ => None,
            });
        } else {
            for s in renamed {
                out.push('/');
                out.push_str(s);
            }
            node = None;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::parse;

    fn v(text: &str) -> Value {
        parse(text.as_bytes()).expect("json")
    }

    #[test]
    fn pointers_in_the_callers_format() {
        let body = v(
            r#"{"messaging_product":"whatsapp","to":"919876543210","type":"text","text":{"body":"hi"}}"#,
        );
        assert_eq!(meta_pointer(&body, "/text"), "/text/body");
        assert_eq!(meta_pointer(&body, "/to"), "/to");
        let image = v(r#"{"type":"image","image":{"link":"ftp://x"}}"#);
        assert_eq!(meta_pointer(&image, "/image/url"), "/image/link");
        let template = v(
            r#"{"type":"template","template":{"name":"t","language":{"code":"xx"},"components":[{"type":"header","parameters":[{"type":"image","image":{"link":"x"}}]}]}}"#,
        );
        assert_eq!(
            meta_pointer(&template, "/template/language"),
            "/template/language/code"
        );
        assert_eq!(
            meta_pointer(&template, "/template/components/0/parameters/0/image/url"),
            "/template/components/0/parameters/0/image/link"
        );
        // Where the caller wrote it as wasend does, it stays.
        let plain = v(r#"{"type":"image","image":{"url":"x"},"text":"s"}"#);
        assert_eq!(meta_pointer(&plain, "/image/url"), "/image/url");
        assert_eq!(meta_pointer(&plain, "/text"), "/text");
        // A path to what is missing is the same path.
        assert_eq!(
            meta_pointer(&body, "/interactive/action/buttons/0"),
            "/interactive/action/buttons/0"
        );
        assert_eq!(meta_pointer(&body, "/a~1b"), "/a~1b");
    }

    #[test]
    fn every_worker_code_has_one_refusal() {
        let mut seen = Vec::new();
        for (code, r) in REFUSALS {
            assert!(!seen.contains(code), "{code} twice");
            seen.push(*code);
            assert!((400..600).contains(&r.status), "{code}");
            assert!(!r.title.is_empty(), "{code}");
        }
    }

    #[test]
    fn refusals() {
        let r = |status: u16, body: &str| refusal_for(status, &v(body));
        assert_eq!(
            r(
                400,
                r#"{"code":"invalid_payload","errors":[{"code":"required"}]}"#
            )
            .code,
            131_008
        );
        assert_eq!(
            r(
                400,
                r#"{"code":"invalid_payload","errors":[{"code":"required"},{"code":"too_long"}]}"#
            )
            .code,
            131_009
        );
        assert_eq!(
            r(429, r#"{"code":"rate_limited","scope":"pair"}"#).code,
            131_056
        );
        assert_eq!(
            r(429, r#"{"code":"rate_limited","scope":"second"}"#).code,
            130_429
        );
        assert_eq!(
            r(
                409,
                r#"{"code":"template_not_approved","template_status":"PAUSED"}"#
            )
            .code,
            132_015
        );
        assert_eq!(
            r(
                409,
                r#"{"code":"template_not_approved","template_status":"DISABLED"}"#
            )
            .code,
            132_016
        );
        assert_eq!(r(404, r#"{"code":"template_not_found"}"#).code, 132_001);
        assert_eq!(r(409, r#"{"code":"recipient_opted_out"}"#).code, 131_050);
        let auth = r(401, r#"{"code":"unauthorized"}"#);
        assert_eq!((auth.status, auth.code), (401, 190));
        // Meta's own code, from Meta or passed on by the provider.
        let meta = r(
            400,
            r#"{"code":"upstream_rejected","message":"(#131047) Re-engagement message","meta":{"code":131047,"subcode":2494010}}"#,
        );
        assert_eq!(
            (meta.status, meta.code, meta.subcode),
            (400, 131_047, Some(2_494_010))
        );
        assert_eq!(
            r(
                400,
                r#"{"code":"upstream_rejected","message":"(#131026) undeliverable"}"#
            )
            .code,
            131_026
        );
        // Our own token refused by Meta is never the caller's 190.
        let ours = r(
            502,
            r#"{"code":"upstream_auth","message":"(#190) Invalid token","meta":{"code":190}}"#,
        );
        assert_eq!((ours.status, ours.code), (403, 10));
        assert_eq!(r(418, "{}").code, 100);
        assert_eq!(r(503, "{}").code, 131_000);
    }

    #[test]
    fn bodies() {
        let wasend = v(
            r#"{"message":"payload is invalid (1 errors)","status":"error","code":"invalid_payload","errors":[{"code":"required","path":"/to"}]}"#,
        );
        let e = error_body(&MISSING, &wasend, "Aabc");
        assert_eq!(
            e.to_json(),
            r#"{"error":{"message":"(#131008) Required parameter is missing","type":"OAuthException","code":131008,"error_data":{"messaging_product":"whatsapp","details":"payload is invalid (1 errors)"},"fbtrace_id":"Aabc"},"wasend":{"message":"payload is invalid (1 errors)","status":"error","code":"invalid_payload","errors":[{"code":"required","path":"/to"}]}}"#
        );
        let from_meta = refusal_for(
            400,
            &v(r#"{"message":"(#131047) Re-engagement message","meta":{"code":131047}}"#),
        );
        let e = error_body(
            &from_meta,
            &v(r#"{"message":"(#131047) Re-engagement message"}"#),
            "A",
        );
        assert_eq!(
            e["error"]["message"].as_str(),
            Some("(#131047) Re-engagement message")
        );
        assert_eq!(
            success_body("+91 98765 43210", "+919876543210", "wamid.X").to_json(),
            r#"{"messaging_product":"whatsapp","contacts":[{"input":"+91 98765 43210","wa_id":"919876543210"}],"messages":[{"id":"wamid.X"}]}"#
        );
    }
}
