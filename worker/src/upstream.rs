//! Forwarding a send to the provider: the key added here and nowhere else,
//! bounded waiting, and retries only where the provider cannot have sent: its
//! 429 and 500 (which its documentation says to retry) and refused connections,
//! as often and as soon as the core's policy says (`wasend::retry::next` with
//! `Backoff::UPSTREAM`). Any other 5xx, a timeout or a connection lost after
//! sending has an unknown outcome and is never sent again.

use crate::codes::ErrorCode;
use crate::config::{Config, Upstream};
use futures_util::future::{select, Either};
use serde_json::{json, Value};
use std::time::Duration;
use wasend::failures::line_for;
use wasend::retry::{self, Backoff, Next};
use worker::{AbortController, Delay, Fetch, Headers, Method, Request, RequestInit, Response};

/// What the send ended as, and whether its idempotency record should keep it.
pub struct Outcome {
    pub status: u16,
    pub body: Value,
    pub retry_after: Option<u64>,
    /// Keep the answer under the key (a definite answer, or an unknown outcome
    /// that must not be sent again); `false` frees the key (nothing was sent).
    pub store: bool,
}

const POLICY: Backoff = Backoff::UPSTREAM;

/// The longest a send can take, every attempt timing out and every inline wait
/// taken, with a margin: a key in flight for longer died with its runtime.
pub fn longest_send_ms(cfg: &Config) -> i64 {
    #[allow(clippy::cast_possible_truncation)]
    let wait = POLICY.longest_wait_ms as i64;
    // Between attempts: the policy's wait, then at most three waits for a rate slot.
    let between = 4 * wait;
    i64::from(POLICY.attempts) * i64::from(cfg.upstream_timeout_ms)
        + i64::from(POLICY.attempts - 1) * between
        + 5_000
}
/// What the client is told to wait after the provider's 500s (nothing sent).
const RETRY_AFTER_500_S: u64 = 2;

/// How long to wait before the next attempt, if the core's policy says to try
/// again after `attempt` was answered (or failed) as `code` / `status` says.
fn again(
    status: Option<u16>,
    code: Option<&str>,
    attempt: u32,
    after_ms: Option<f64>,
) -> Option<Duration> {
    let line = line_for(status, code, None);
    match retry::next(line, attempt, after_ms, &POLICY, js_sys::Math::random()) {
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        Next::Retry { after_ms } => Some(Duration::from_millis(after_ms.ceil() as u64)),
        _ => None,
    }
}

enum Tried {
    Answer(Response),
    Timeout,
    /// The connection failed; `sent` says whether the request may have gone out.
    Failed {
        sent: bool,
        message: String,
    },
}

/// One request to the provider at `path`, with its key, raced against `timeout_ms`.
async fn call(up: &Upstream, path: &str, body: Option<&str>, timeout_ms: u32) -> Tried {
    let headers = Headers::new();
    let _ = headers.set("accept", "application/json");
    let _ = headers.set("x-api-key", &up.api_key);
    if body.is_some() {
        let _ = headers.set("content-type", "application/json");
    }
    let mut init = RequestInit::new();
    init.with_method(if body.is_some() {
        Method::Post
    } else {
        Method::Get
    })
    .with_headers(headers)
    .with_body(body.map(Into::into));
    let Ok(request) = Request::new_with_init(&format!("{}{path}", up.url), &init) else {
        return Tried::Failed {
            sent: false,
            message: "cannot build the upstream request".into(),
        };
    };
    let controller = AbortController::default();
    let signal = controller.signal();
    let fetch = Fetch::Request(request);
    let send = Box::pin(fetch.send_with_signal(&signal));
    let timer = Box::pin(Delay::from(Duration::from_millis(u64::from(timeout_ms))));
    let raced = select(send, timer).await;
    match raced {
        Either::Left((Ok(r), _)) => Tried::Answer(r),
        Either::Left((Err(e), _)) => {
            let message = e.to_string();
            // A refused or unresolved connection never carried the request.
            let lower = message.to_ascii_lowercase();
            let sent =
                !(lower.contains("refused") || lower.contains("dns") || lower.contains("resolve"));
            Tried::Failed { sent, message }
        }
        Either::Right(((), _)) => {
            controller.abort();
            Tried::Timeout
        }
    }
}

fn retry_after(r: &Response) -> Option<u64> {
    r.headers()
        .get("retry-after")
        .ok()
        .flatten()
        .and_then(|v| wasend::numbers::digits_u64(v.trim()))
}

/// A body the client may see: the upstream's JSON with the key scrubbed, or its
/// text as a message.
async fn redacted_body(cfg: &Config, r: &mut Response) -> Value {
    let text = r.text().await.unwrap_or_default();
    let clean = cfg.redact(&text);
    match serde_json::from_str::<Value>(&clean) {
        Ok(v @ Value::Object(_)) => v,
        _ => json!({ "message": clean.chars().take(500).collect::<String>(), "status": "error" }),
    }
}

/// The provider's error body with the Worker's `code` (and `status`, if missing).
fn tagged(mut body: Value, code: ErrorCode) -> Value {
    if let Value::Object(m) = &mut body {
        m.insert("code".into(), json!(code));
        m.entry("status").or_insert(json!("error"));
    }
    body
}

fn jitter(ms: f64) -> u64 {
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let j = (js_sys::Math::random() * ms) as u64;
    j
}

/// Waits for a rate slot for another attempt; `None` when none comes soon
/// enough (or the gate cannot say), and the send should end unsent.
async fn next_slot(slot: &impl AsyncFn() -> Option<i64>) -> Option<()> {
    for _ in 0..3 {
        let wait = slot().await?;
        if wait <= 0 {
            return Some(());
        }
        #[allow(clippy::cast_possible_truncation)]
        if wait > POLICY.longest_wait_ms as i64 {
            return None;
        }
        Delay::from(Duration::from_millis(wait.unsigned_abs() + jitter(50.0))).await;
    }
    None
}

/// Sends `body` (the normalized payload) upstream. `slot` takes a rate slot for
/// each retry (0) or says how long to wait for one (ms), so retries count
/// against the provider's limits like any other request.
pub async fn forward(
    cfg: &Config,
    up: &Upstream,
    body: &str,
    slot: impl AsyncFn() -> Option<i64>,
) -> Outcome {
    let mut n: u32 = 0;
    loop {
        n += 1;
        if n > 1 && next_slot(&slot).await.is_none() {
            // Every earlier attempt certainly did not send (429, 500, refused).
            return Outcome {
                status: 503,
                body: json!({"message": "the provider refused the earlier attempts and no rate slot is free for another; nothing was sent, retry later", "status": "error", "code": ErrorCode::UpstreamUnavailable}),
                retry_after: Some(RETRY_AFTER_500_S),
                store: false,
            };
        }
        match call(up, "/messages/send", Some(body), cfg.upstream_timeout_ms).await {
            Tried::Answer(mut r) => {
                let status = r.status_code();
                let after = retry_after(&r);
                let content = redacted_body(cfg, &mut r).await;
                match status {
                    200..=299 => {
                        let ok = content
                            .get("data")
                            .and_then(|d| d.get("message_id"))
                            .is_some();
                        if ok {
                            return Outcome {
                                status: 200,
                                body: content,
                                retry_after: None,
                                store: true,
                            };
                        }
                        return Outcome {
                            status: 502,
                            body: json!({"message": "the provider answered success without a message id", "status": "error", "code": ErrorCode::UpstreamError, "upstream": content}),
                            retry_after: None,
                            store: true,
                        };
                    }
                    429 => {
                        // Without a Retry-After, a second.
                        let wait_s = after.unwrap_or(1);
                        #[allow(clippy::cast_precision_loss)]
                        let told = Some(wait_s as f64 * 1000.0);
                        if let Some(wait) = again(Some(429), None, n, told) {
                            Delay::from(wait).await;
                            continue;
                        }
                        // The provider refused before sending: the key is free again.
                        return Outcome {
                            status: 429,
                            body: tagged(content, ErrorCode::UpstreamRateLimited),
                            retry_after: Some(wait_s),
                            store: false,
                        };
                    }
                    400..=499 => {
                        return Outcome {
                            status,
                            body: tagged(content, ErrorCode::UpstreamRejected),
                            retry_after: None,
                            store: true,
                        };
                    }
                    // The provider's contract: a 500 sent nothing and is to be retried.
                    500 => {
                        if let Some(wait) = again(Some(500), None, n, None) {
                            Delay::from(wait).await;
                            continue;
                        }
                        return Outcome {
                            status: 503,
                            body: json!({
                                "message": format!("the provider failed {n} times (500); nothing was sent, retry later"),
                                "status": "error", "code": ErrorCode::UpstreamUnavailable, "upstream_status": 500
                            }),
                            retry_after: Some(RETRY_AFTER_500_S),
                            store: false,
                        };
                    }
                    _ => {
                        let detail = content
                            .get("message")
                            .and_then(Value::as_str)
                            .unwrap_or("no detail")
                            .to_owned();
                        return Outcome {
                            status: 502,
                            body: json!({
                                "message": format!("the provider failed ({status}): {detail}"),
                                "status": "error", "code": ErrorCode::UpstreamError, "upstream_status": status
                            }),
                            retry_after: None,
                            store: true,
                        };
                    }
                }
            }
            Tried::Timeout => {
                return Outcome {
                    status: 504,
                    body: json!({"message": format!("the provider did not answer within {} ms; whether it sent is unknown", cfg.upstream_timeout_ms), "status": "error", "code": ErrorCode::UpstreamTimeout}),
                    retry_after: None,
                    store: true,
                };
            }
            Tried::Failed { sent, message } => {
                // A refused connection never carried the request: the client's `network`.
                if let Some(wait) = (!sent)
                    .then(|| again(None, Some(wasend::failures::NETWORK), n, None))
                    .flatten()
                {
                    Delay::from(wait).await;
                    continue;
                }
                return Outcome {
                    status: 502,
                    body: json!({"message": format!("cannot reach the provider: {}", cfg.redact(&message)), "status": "error", "code": ErrorCode::UpstreamUnreachable}),
                    retry_after: None,
                    store: sent,
                };
            }
        }
    }
}

/// The provider's approved templates (`GET {UPSTREAM_URL}/templates`).
pub async fn templates(cfg: &Config, up: &Upstream) -> Result<Value, String> {
    let mut r = match call(up, "/templates", None, cfg.upstream_timeout_ms).await {
        Tried::Answer(r) => r,
        Tried::Failed { message, .. } => return Err(cfg.redact(&message)),
        Tried::Timeout => return Err("the provider did not answer in time".into()),
    };
    if !(200..300).contains(&r.status_code()) {
        return Err(format!("the provider answered {}", r.status_code()));
    }
    let body = redacted_body(cfg, &mut r).await;
    Ok(body.get("data").cloned().unwrap_or(body))
}
