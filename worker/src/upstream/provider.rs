//! The provider's dialect: the normalized payload as it is, to
//! `{UPSTREAM_URL}/messages/send`, and the provider's answers (its documented
//! 429 and 500 tried again, every other answer final).

use super::{as_body, Outcome, Reading, Target, RETRY_AFTER_500_S};
use crate::codes::ErrorCode;
use crate::config::{Config, Upstream};
use serde_json::{json, Value};
use wasend::failures::line_for;

pub(super) fn target(body: &str) -> Target {
    Target {
        path: "/messages/send".into(),
        body: body.to_owned(),
    }
}

/// Attempt `n`'s answer: `status`, its `Retry-After` (s) and its redacted text.
pub(super) fn read(status: u16, after: Option<u64>, clean: &str, n: u32) -> Reading {
    let content = as_body(clean);
    match status {
        200..=299 => {
            if content
                .get("data")
                .and_then(|d| d.get("message_id"))
                .is_some()
            {
                return Reading::Sent(content);
            }
            Reading::Final(Outcome {
                status: 502,
                body: json!({"message": "the provider answered success without a message id", "status": "error", "code": ErrorCode::UpstreamError, "upstream": content}),
                retry_after: None,
                store: true,
            })
        }
        400..=499 => super::refused(status, after, content),
        // The provider's contract: a 500 sent nothing and is to be retried.
        500 => Reading::Again {
            line: line_for(Some(500), None, None),
            told_ms: None,
            outcome: Outcome {
                status: 503,
                body: json!({
                    "message": format!("the provider failed {n} times (500); nothing was sent, retry later"),
                    "status": "error", "code": ErrorCode::UpstreamUnavailable, "upstream_status": 500
                }),
                retry_after: Some(RETRY_AFTER_500_S),
                store: false,
            },
        },
        _ => {
            let detail = content
                .get("message")
                .and_then(Value::as_str)
                .unwrap_or("no detail")
                .to_owned();
            Reading::Final(Outcome {
                status: 502,
                body: json!({
                    "message": format!("the provider failed ({status}): {detail}"),
                    "status": "error", "code": ErrorCode::UpstreamError, "upstream_status": status
                }),
                retry_after: None,
                store: true,
            })
        }
    }
}

/// The provider's approved templates (`GET {UPSTREAM_URL}/templates`).
pub(super) async fn templates(cfg: &Config, up: &Upstream) -> Result<Value, String> {
    let body = super::get(cfg, up, "/templates").await?;
    Ok(body.get("data").cloned().unwrap_or(body))
}
