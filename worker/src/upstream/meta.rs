//! Meta's dialect: the payload in Meta's format (`wasend::meta::to_meta`) to
//! `{UPSTREAM_URL}/{version}/{phone_number_id}/messages` with the access token as
//! a bearer token, and Meta's answers read by the core (`wasend::meta::answer`):
//! a success as the provider's, an error with the status, code and class the
//! failure table gives its Meta code, tried again only when that line says Meta
//! refused before sending (its rate and transient codes).

use super::{as_body, Outcome, Reading, Target, RETRY_AFTER_500_S};
use crate::codes::ErrorCode;
use crate::config::{Config, Graph, NoSender, Upstream};
use serde_json::{json, Value};
use wasend::failures::Retry;
use wasend::meta::{read_send_answer, to_meta, SendAnswer};

/// Templates asked for per page, and the most pages followed (5,000 templates).
const TEMPLATES_PER_PAGE: u32 = 100;
const MAX_TEMPLATE_PAGES: u32 = 50;
/// The fields the core's template definitions read.
const TEMPLATE_FIELDS: &str = "name,language,status,category,parameter_format,components";

pub(super) fn target(graph: &Graph, body: &str, account: Option<&str>) -> Result<Target, NoSender> {
    let sender = graph.sender(account)?;
    // The body is the core's own normalized text, so it parses.
    let payload = wasend::json::parse(body.as_bytes()).unwrap_or_default();
    Ok(Target {
        path: format!("/{}/{}/messages", graph.version, path_segment(sender)),
        body: to_meta(&payload).body.to_json(),
    })
}

/// What a path segment or query value keeps as it is: RFC 3986's unreserved
/// characters; everything else is percent-encoded.
const RESERVED: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// A configured id as one path segment, so no id can name another path.
fn path_segment(id: &str) -> String {
    percent_encoding::utf8_percent_encode(id, RESERVED).to_string()
}

/// The core's value as the Worker's.
fn serde(v: &wasend::json::Value) -> Value {
    serde_json::from_str(&v.to_json()).unwrap_or(Value::Null)
}

/// Attempt `n`'s answer: `status`, its `Retry-After` (s) and its redacted text.
pub(super) fn read(status: u16, after: Option<u64>, clean: &str, n: u32) -> Reading {
    let parsed = wasend::json::parse(clean.as_bytes()).unwrap_or_default();
    match read_send_answer(status, &parsed) {
        SendAnswer::Sent(body) => Reading::Sent(serde(&body)),
        SendAnswer::Refused(error) => {
            let (answer, line) = error.answer(status);
            let body = serde(&error.to_wasend(answer));
            if line.retry == Retry::Backoff {
                // Meta refused it, so nothing was sent: the key is free again.
                let wait_s = after.unwrap_or(if answer.status == 429 {
                    1
                } else {
                    RETRY_AFTER_500_S
                });
                #[allow(clippy::cast_precision_loss)]
                let told_ms = after.map(|s| s as f64 * 1000.0);
                return Reading::Again {
                    line,
                    told_ms,
                    outcome: Outcome {
                        status: answer.status,
                        body,
                        retry_after: Some(wait_s),
                        store: false,
                    },
                };
            }
            Reading::Final(Outcome {
                status: answer.status,
                body,
                retry_after: None,
                store: true,
            })
        }
        SendAnswer::Unreadable => unreadable(status, after, clean, n),
    }
}

/// An answer that is neither a message id nor Meta's error object: a 429 is a
/// refusal (tried again), a 4xx final, anything else of unknown outcome.
fn unreadable(status: u16, after: Option<u64>, clean: &str, n: u32) -> Reading {
    let content = as_body(clean);
    match status {
        400..=499 => super::refused(status, after, content),
        _ => {
            let what = if (200..300).contains(&status) {
                "meta answered success without a message id".to_owned()
            } else {
                format!("meta failed ({status}) without an error object on attempt {n}; whether it sent is unknown")
            };
            Reading::Final(Outcome {
                status: 502,
                body: json!({"message": what, "status": "error", "code": ErrorCode::UpstreamError, "upstream_status": status, "upstream": content}),
                retry_after: None,
                store: true,
            })
        }
    }
}

/// The business account's templates, every page: `GET /{version}/{waba_id}/
/// message_templates`, following `paging.cursors.after` while `paging.next` is
/// present.
pub(super) async fn templates(cfg: &Config, up: &Upstream, graph: &Graph) -> Result<Value, String> {
    let Some(waba) = &graph.waba_id else {
        return Err("META_WABA_ID is not set, so no template list can be had".into());
    };
    let base = format!(
        "/{}/{}/message_templates?fields={TEMPLATE_FIELDS}&limit={TEMPLATES_PER_PAGE}",
        graph.version,
        path_segment(waba)
    );
    let mut all = Vec::new();
    let mut after: Option<String> = None;
    for _ in 0..MAX_TEMPLATE_PAGES {
        let path = match &after {
            Some(cursor) => format!(
                "{base}&after={}",
                percent_encoding::utf8_percent_encode(cursor, RESERVED)
            ),
            None => base.clone(),
        };
        let page = super::get(cfg, up, &path).await?;
        let Some(data) = page["data"].as_array() else {
            return Err("meta's template list has no data array".into());
        };
        all.extend(data.iter().cloned());
        let next = page["paging"]["next"]
            .as_str()
            .is_some_and(|n| !n.is_empty());
        match page["paging"]["cursors"]["after"].as_str() {
            Some(cursor) if next && !cursor.is_empty() => after = Some(cursor.to_owned()),
            _ => return Ok(Value::Array(all)),
        }
    }
    Err(format!(
        "meta's template list runs past {MAX_TEMPLATE_PAGES} pages of {TEMPLATES_PER_PAGE}"
    ))
}
