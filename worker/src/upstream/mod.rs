//! Forwarding a send upstream: the key added here and nowhere else, bounded
//! waiting, and retries only where the upstream cannot have sent: its refusals
//! that say to try again (the provider's 429 and 500, which its documentation
//! says to retry; Meta's rate and transient error codes, by the core's failure
//! table) and refused connections, as often and as soon as the core's policy
//! says (`wasend::retry::next` with `Backoff::UPSTREAM`). Any other 5xx, a
//! timeout or a connection lost after sending has an unknown outcome and is
//! never sent again.
//!
//! What differs between the dialects (where a send goes, how it is written,
//! how its answer reads) is in `provider.rs` and `meta.rs`; this file is the
//! loop both share.

mod meta;
mod provider;

use crate::codes::ErrorCode;
use crate::config::{Config, Dialect, NoSender, Upstream};
use crate::http::error_body;
use futures_util::future::{select, Either};
use serde_json::{json, Value};
use std::time::Duration;
use wasend::failures::{line_for, FailureRule};
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
/// again after `attempt` was answered (or failed) as `line` of the failure
/// table says.
fn again(line: &FailureRule, attempt: u32, after_ms: Option<f64>) -> Option<Duration> {
    match retry::next(line, attempt, after_ms, &POLICY, js_sys::Math::random()) {
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        Next::Retry { after_ms } => Some(Duration::from_millis(after_ms.ceil() as u64)),
        _ => None,
    }
}

/// Where a send goes and what it carries, in the upstream's dialect. Resolved
/// before the send takes a rate slot, so a payload no sender can carry is
/// refused having used nothing.
pub struct Target {
    /// The path a send goes to (`/messages/send`, `/{version}/{id}/messages`).
    pub path: String,
    body: String,
}

/// The target of a send of `body` (the normalized payload) from `account`, or
/// the refusal that sends nothing: 400 `unknown_account` for an account this
/// proxy does not send from, 503 `sender_not_configured` when it sends from none.
pub fn target(cfg: &Config, body: &str, account: Option<&str>) -> Result<Target, (u16, Value)> {
    match &cfg.dialect {
        Dialect::Provider => Ok(provider::target(body)),
        Dialect::Meta => meta::target(&cfg.graph, body, account).map_err(|no| match no {
            NoSender::UnknownAccount(why) => {
                (400, error_body(ErrorCode::UnknownAccount, &why, None))
            }
            NoSender::Unconfigured(why) => {
                (503, error_body(ErrorCode::SenderNotConfigured, &why, None))
            }
        }),
    }
}

/// What one attempt's answer says.
enum Reading {
    /// Accepted: wasend's success body (`{"data": {"message_id", …}}`).
    Sent(Value),
    /// Refused before anything was sent, on `line` of the failure table: tried
    /// again when the core's policy says (after at least `told_ms`), else
    /// answered `outcome`.
    Again {
        line: &'static FailureRule,
        told_ms: Option<f64>,
        outcome: Outcome,
    },
    /// The send's answer.
    Final(Outcome),
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

/// One request upstream at `path`, with its key as the dialect carries it,
/// raced against `timeout_ms`.
async fn call(
    cfg: &Config,
    up: &Upstream,
    path: &str,
    body: Option<&str>,
    timeout_ms: u32,
) -> Tried {
    let headers = Headers::new();
    let _ = headers.set("accept", "application/json");
    match cfg.dialect {
        Dialect::Provider => {
            let _ = headers.set("x-api-key", &up.api_key);
        }
        Dialect::Meta => {
            let _ = headers.set("authorization", &format!("Bearer {}", up.api_key));
        }
    }
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

/// The upstream's answer text with the key scrubbed.
async fn redacted_text(cfg: &Config, r: &mut Response) -> String {
    cfg.redact(&r.text().await.unwrap_or_default())
}

/// A body the client may see: a redacted answer's JSON object, or its text as
/// a message.
fn as_body(clean: &str) -> Value {
    match serde_json::from_str::<Value>(clean) {
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

/// An upstream's 4xx without more to read: a 429 is [`rate_limited`], any other
/// is final, passed on as `upstream_rejected` with its status.
fn refused(status: u16, after: Option<u64>, content: Value) -> Reading {
    if status == 429 {
        return rate_limited(after, content);
    }
    Reading::Final(Outcome {
        status,
        body: tagged(content, ErrorCode::UpstreamRejected),
        retry_after: None,
        store: true,
    })
}

/// An upstream's 429: refused before sending, so tried again after its
/// `Retry-After` (a second without one), else answered 429 with the key free.
fn rate_limited(after: Option<u64>, content: Value) -> Reading {
    let wait_s = after.unwrap_or(1);
    #[allow(clippy::cast_precision_loss)]
    let told_ms = Some(wait_s as f64 * 1000.0);
    Reading::Again {
        line: line_for(Some(429), None, None),
        told_ms,
        outcome: Outcome {
            status: 429,
            body: tagged(content, ErrorCode::UpstreamRateLimited),
            retry_after: Some(wait_s),
            store: false,
        },
    }
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

/// Sends `target` upstream. `slot` takes a rate slot for each retry (0) or says
/// how long to wait for one (ms), so retries count against the upstream's
/// limits like any other request.
pub async fn forward(
    cfg: &Config,
    up: &Upstream,
    target: &Target,
    slot: impl AsyncFn() -> Option<i64>,
) -> Outcome {
    let mut n: u32 = 0;
    loop {
        n += 1;
        if n > 1 && next_slot(&slot).await.is_none() {
            // Every earlier attempt certainly did not send (429, 500, refused).
            return Outcome {
                status: 503,
                body: json!({"message": "the upstream refused the earlier attempts and no rate slot is free for another; nothing was sent, retry later", "status": "error", "code": ErrorCode::UpstreamUnavailable}),
                retry_after: Some(RETRY_AFTER_500_S),
                store: false,
            };
        }
        match call(
            cfg,
            up,
            &target.path,
            Some(&target.body),
            cfg.upstream_timeout_ms,
        )
        .await
        {
            Tried::Answer(mut r) => {
                let status = r.status_code();
                let after = retry_after(&r);
                let clean = redacted_text(cfg, &mut r).await;
                let reading = match cfg.dialect {
                    Dialect::Provider => provider::read(status, after, &clean, n),
                    Dialect::Meta => meta::read(status, after, &clean, n),
                };
                match reading {
                    Reading::Sent(body) => {
                        return Outcome {
                            status: 200,
                            body,
                            retry_after: None,
                            store: true,
                        }
                    }
                    Reading::Final(outcome) => return outcome,
                    Reading::Again {
                        line,
                        told_ms,
                        outcome,
                    } => {
                        if let Some(wait) = again(line, n, told_ms) {
                            Delay::from(wait).await;
                            continue;
                        }
                        return outcome;
                    }
                }
            }
            Tried::Timeout => {
                return Outcome {
                    status: 504,
                    body: json!({"message": format!("the upstream did not answer within {} ms; whether it sent is unknown", cfg.upstream_timeout_ms), "status": "error", "code": ErrorCode::UpstreamTimeout}),
                    retry_after: None,
                    store: true,
                };
            }
            Tried::Failed { sent, message } => {
                // A refused connection never carried the request: the client's `network`.
                let line = line_for(None, Some(wasend::failures::NETWORK), None);
                if let Some(wait) = (!sent).then(|| again(line, n, None)).flatten() {
                    Delay::from(wait).await;
                    continue;
                }
                return Outcome {
                    status: 502,
                    body: json!({"message": format!("cannot reach the upstream: {}", cfg.redact(&message)), "status": "error", "code": ErrorCode::UpstreamUnreachable}),
                    retry_after: None,
                    store: sent,
                };
            }
        }
    }
}

/// Meta's answer to a send (`status`, its body text) as the Worker answers it:
/// how the Meta dialect's sandbox, which plays Meta, is read like Meta itself.
pub fn read_meta(status: u16, text: &str) -> Outcome {
    match meta::read(status, None, text, 1) {
        Reading::Sent(body) => Outcome {
            status: 200,
            body,
            retry_after: None,
            store: true,
        },
        Reading::Again { outcome, .. } | Reading::Final(outcome) => outcome,
    }
}

/// The upstream's approved templates, as the core reads template definitions:
/// the provider's `GET {UPSTREAM_URL}/templates`, or a Meta business account's
/// `message_templates`, page by page.
pub async fn templates(cfg: &Config, up: &Upstream) -> Result<Value, String> {
    match &cfg.dialect {
        Dialect::Provider => provider::templates(cfg, up).await,
        Dialect::Meta => meta::templates(cfg, up, &cfg.graph).await,
    }
}

/// One POST upstream, passed through: Meta's answer, status and redacted text
/// (the ingress's mark-as-read). Never retried: its outcome is the caller's.
pub async fn relay(
    cfg: &Config,
    up: &Upstream,
    path: &str,
    body: &str,
) -> Result<(u16, String), String> {
    match call(cfg, up, path, Some(body), cfg.upstream_timeout_ms).await {
        Tried::Answer(mut r) => Ok((r.status_code(), redacted_text(cfg, &mut r).await)),
        Tried::Failed { message, .. } => Err(cfg.redact(&message)),
        Tried::Timeout => Err("the upstream did not answer in time".into()),
    }
}

/// How long a passed-through call may take (a media upload is up to 100 MB).
const PASS_THROUGH_TIMEOUT_MS: u64 = 120_000;

/// A call passed through as it came (the ingress's media): its method, path and
/// query, the caller's content type and body stream, the token added; the
/// upstream's answer, status and redacted text. Never retried.
pub async fn pass_through(
    cfg: &Config,
    up: &Upstream,
    method: Method,
    path: &str,
    content_type: Option<&str>,
    body: Option<wasm_bindgen::JsValue>,
) -> Result<(u16, String), String> {
    let headers = Headers::new();
    let _ = headers.set("accept", "application/json");
    let _ = headers.set("authorization", &format!("Bearer {}", up.api_key));
    if let Some(t) = content_type {
        let _ = headers.set("content-type", t);
    }
    let mut init = RequestInit::new();
    init.with_method(method)
        .with_headers(headers)
        .with_body(body);
    let request = Request::new_with_init(&format!("{}{path}", up.url), &init)
        .map_err(|_| "cannot build the upstream request".to_owned())?;
    let controller = AbortController::default();
    let signal = controller.signal();
    let fetch = Fetch::Request(request);
    let send = Box::pin(fetch.send_with_signal(&signal));
    let timer = Box::pin(Delay::from(Duration::from_millis(PASS_THROUGH_TIMEOUT_MS)));
    let answered = match select(send, timer).await {
        Either::Left((Ok(mut r), _)) => Ok((r.status_code(), redacted_text(cfg, &mut r).await)),
        Either::Left((Err(e), _)) => Err(cfg.redact(&e.to_string())),
        Either::Right(((), _)) => {
            controller.abort();
            Err("the upstream did not answer in time".into())
        }
    };
    answered
}

/// One GET upstream, its redacted JSON body on a 2xx.
async fn get(cfg: &Config, up: &Upstream, path: &str) -> Result<Value, String> {
    let mut r = match call(cfg, up, path, None, cfg.upstream_timeout_ms).await {
        Tried::Answer(r) => r,
        Tried::Failed { message, .. } => return Err(cfg.redact(&message)),
        Tried::Timeout => return Err("the upstream did not answer in time".into()),
    };
    let status = r.status_code();
    let clean = redacted_text(cfg, &mut r).await;
    if !(200..300).contains(&status) {
        let body = as_body(&clean);
        let why = body["error"]["message"]
            .as_str()
            .or(body["message"].as_str())
            .map_or(String::new(), |m| {
                format!(": {}", m.chars().take(200).collect::<String>())
            });
        return Err(format!("the upstream answered {status}{why}"));
    }
    Ok(as_body(&clean))
}
