//! The send client, the npm package's second WebAssembly module: loaded on the
//! first `createClient`, so a page that only validates never downloads it.
//! `POST {baseUrl}/api/messages/send` to the wasend Worker with gloo-net, one
//! `Idempotency-Key` for every attempt, and retries only where they are safe and
//! useful. It holds no rule: the options arrive checked by the core
//! (`wasend::client::client_options`, in the validation module) and the payload
//! validated and normalized by it.
//!
//! What is retried, and when, is the core's policy (`wasend::retry::next` over
//! the failure table), with this client's backoff from its options: network
//! failures (the request may not have arrived), 429, the Worker's 500 (nothing
//! was sent), 503 and the 409 of a key still in flight, waiting at least
//! `Retry-After`. Every other answer stands. A retry cannot send twice: the
//! Worker answers a repeated key with the stored response.

use gloo_net::http::{Method, Request, RequestBuilder, Response};
use js_sys::{Function, Object, Promise, Reflect};
use wasend::failures;
use wasend::retry::{self, Backoff, Next};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::{future_to_promise, JsFuture};

/// A client for the wasend Worker.
#[wasm_bindgen]
#[derive(Clone, Debug)]
pub struct Client {
    base_url: String,
    token: String,
    fetch: Option<Function>,
    retries: u32,
    base_delay_ms: f64,
    max_delay_ms: f64,
    max_retry_after_ms: f64,
}

fn get(obj: &JsValue, key: &str) -> JsValue {
    Reflect::get(obj, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

fn type_error(message: &str) -> JsValue {
    js_sys::TypeError::new(message).into()
}

/// A client from `wasend::client::client_options`'s answer (JSON text) and the
/// caller's `fetch`, if it gave one.
#[wasm_bindgen(js_name = createClient)]
pub fn create_client(settings_json: &str, fetch: JsValue) -> Result<Client, JsValue> {
    let settings = js_sys::JSON::parse(settings_json)
        .map_err(|_| type_error("createClient: the settings are not json"))?;
    let text = |key: &str| get(&settings, key).as_string().unwrap_or_default();
    let number = |key: &str| get(&settings, key).as_f64().unwrap_or(0.0);
    let fetch = match fetch {
        f if f.is_undefined() || f.is_null() => None,
        f => Some(
            f.dyn_into::<Function>()
                .map_err(|_| type_error("createClient: fetch must be a function"))?,
        ),
    };
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let retries = number("retries") as u32;
    Ok(Client {
        base_url: text("baseUrl"),
        token: text("token"),
        fetch,
        retries,
        base_delay_ms: number("baseDelayMs"),
        max_delay_ms: number("maxDelayMs"),
        max_retry_after_ms: number("maxRetryAfterMs"),
    })
}

/// A rejected send: an `Error` whose `name` is `SendError` and whose `kind` is
/// `invalid` (nothing was sent), `http` (the Worker answered with an error) or
/// `network` (no answer after every attempt).
fn send_error(kind: &str, message: &str, fields: &[(&str, JsValue)]) -> JsValue {
    let e = js_sys::Error::new(message);
    e.set_name("SendError");
    let obj: &Object = e.as_ref();
    let _ = Reflect::set(obj, &"kind".into(), &kind.into());
    for (k, v) in fields {
        let _ = Reflect::set(obj, &(*k).into(), v);
    }
    e.into()
}

fn sleep(ms: f64) -> JsFuture {
    let promise = Promise::new(&mut |resolve, _| {
        let set_timeout = get(&js_sys::global(), "setTimeout");
        if let Ok(f) = set_timeout.dyn_into::<Function>() {
            let _ = f.call2(&JsValue::NULL, &resolve, &JsValue::from_f64(ms));
        } else {
            let _ = resolve.call0(&JsValue::NULL);
        }
    });
    JsFuture::from(promise)
}

fn new_key() -> String {
    let crypto = get(&js_sys::global(), "crypto");
    if let Ok(f) = get(&crypto, "randomUUID").dyn_into::<Function>() {
        if let Some(s) = f.call0(&crypto).ok().and_then(|v| v.as_string()) {
            return s;
        }
    }
    // A runtime without crypto.randomUUID: a version-4 UUID from Math.random.
    let hex = |n: usize| -> String {
        (0..n)
            .map(|_| {
                #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
                let d = (js_sys::Math::random() * 16.0) as u32;
                char::from_digit(d.min(15), 16).unwrap_or('0')
            })
            .collect()
    };
    format!("{}-{}-4{}-a{}-{}", hex(8), hex(4), hex(3), hex(3), hex(12))
}

/// `Retry-After` in milliseconds: delay-seconds, or an HTTP date.
fn retry_after_ms(response: &Response) -> Option<f64> {
    let v = response.headers().get("retry-after")?;
    // delay-seconds is digits only (RFC 9110); an integer parse keeps float parsing out of the module.
    if let Some(secs) = wasend::numbers::digits_u64(v.trim()) {
        #[allow(clippy::cast_precision_loss)]
        return Some(secs as f64 * 1000.0);
    }
    let when = js_sys::Date::parse(&v);
    (!when.is_nan()).then(|| (when - js_sys::Date::now()).max(0.0))
}

/// An answer's status and body: its JSON, or its text when it is not JSON.
async fn read(response: &Response) -> (u16, JsValue) {
    let text = response.text().await.unwrap_or_default();
    let body = js_sys::JSON::parse(&text).unwrap_or_else(|_| JsValue::from_str(&text));
    (response.status(), body)
}

/// The Worker's error message, or the status when the body carries none.
fn message_of(body: &JsValue, status: u16) -> String {
    get(body, "message")
        .as_string()
        .unwrap_or_else(|| format!("http {status}"))
}

enum Attempt {
    Answer(Response),
    Network(String),
}

impl Client {
    fn request(&self, body: &str, key: &str) -> Result<Request, JsValue> {
        RequestBuilder::new(&format!("{}/api/messages/send", self.base_url))
            .method(Method::POST)
            .header("content-type", "application/json")
            .header("authorization", &format!("Bearer {}", self.token))
            .header("idempotency-key", key)
            .body(body.to_owned())
            .map_err(|e| send_error("invalid", &format!("cannot build the request: {e}"), &[]))
    }

    async fn attempt(&self, request: Request) -> Attempt {
        let answer = match &self.fetch {
            Some(fetch) => {
                let raw: web_sys::Request = request.into();
                match fetch
                    .call1(&JsValue::NULL, &raw)
                    .map(|p| Promise::resolve(&p))
                {
                    Ok(p) => JsFuture::from(p).await.and_then(|r| {
                        r.dyn_into::<web_sys::Response>()
                            .map(Response::from)
                            .map_err(|_| {
                                JsValue::from_str(
                                    "fetch resolved to something that is not a Response",
                                )
                            })
                    }),
                    Err(e) => Err(e),
                }
            }
            None => request
                .send()
                .await
                .map_err(|e| JsValue::from_str(&e.to_string())),
        };
        match answer {
            Ok(r) => Attempt::Answer(r),
            Err(e) => Attempt::Network(
                e.as_string()
                    .or_else(|| {
                        e.dyn_ref::<js_sys::Error>()
                            .map(|e| String::from(e.message()))
                    })
                    .unwrap_or_else(|| "fetch failed".into()),
            ),
        }
    }

    /// The client's backoff, from its options (`retries` counts the attempts after the first).
    fn backoff(&self) -> Backoff {
        Backoff {
            first_ms: self.base_delay_ms,
            max_ms: self.max_delay_ms,
            attempts: self.retries.saturating_add(1),
            longest_wait_ms: self.max_retry_after_ms,
        }
    }

    /// Sends `body`, the core's normalized payload.
    async fn run(self, body: String, key: Option<String>) -> Result<JsValue, JsValue> {
        let key = key.filter(|k| !k.is_empty()).unwrap_or_else(new_key);
        self.retrying(|| self.request(&body, &key), Some(&key))
            .await
    }

    /// Sends what `make` builds until it is answered for good, as the core's
    /// policy says (`wasend::retry::next` over the failure table: network
    /// failures, 429, 500, 503 and a key still in flight are tried again, with
    /// backoff and `Retry-After`; each request here is safe to repeat: a send or a
    /// creation carries its key, the rest are reads or state changes that answer as
    /// they are). Resolves to the success body; rejects with a `SendError`.
    async fn retrying(
        &self,
        make: impl Fn() -> Result<Request, JsValue>,
        key: Option<&str>,
    ) -> Result<JsValue, JsValue> {
        let key_field = |fields: &mut Vec<(&str, JsValue)>| {
            if let Some(k) = key {
                fields.push(("idempotencyKey", k.into()));
            }
        };
        let backoff = self.backoff();
        let mut attempt: u32 = 0;
        loop {
            let request = make()?;
            attempt += 1;
            let wait = match self.attempt(request).await {
                Attempt::Network(message) => {
                    let line = failures::line_for(None, Some(failures::NETWORK), None);
                    match retry::next(line, attempt, None, &backoff, js_sys::Math::random()) {
                        Next::Retry { after_ms } => after_ms,
                        _ => {
                            let mut fields = vec![("attempts", attempt.into())];
                            key_field(&mut fields);
                            return Err(send_error(
                                failures::NETWORK,
                                &format!(
                                    "no answer from the worker after {attempt} attempts: {message}"
                                ),
                                &fields,
                            ));
                        }
                    }
                }
                Attempt::Answer(response) => {
                    let (status, body) = read(&response).await;
                    if (200..300).contains(&status) {
                        return Ok(body);
                    }
                    let after = retry_after_ms(&response);
                    let code = get(&body, "code").as_string();
                    let said = get(&body, "message").as_string();
                    let line = failures::line_for(Some(status), code.as_deref(), said.as_deref());
                    match retry::next(line, attempt, after, &backoff, js_sys::Math::random()) {
                        Next::Retry { after_ms } => after_ms,
                        _ => {
                            let message = message_of(&body, status);
                            let mut fields = vec![
                                ("status", JsValue::from(status)),
                                ("body", body),
                                ("attempts", attempt.into()),
                            ];
                            key_field(&mut fields);
                            if let Some(ms) = after {
                                fields
                                    .push(("retryAfter", JsValue::from_f64((ms / 1000.0).ceil())));
                            }
                            return Err(send_error("http", &message, &fields));
                        }
                    }
                }
            };
            sleep(wait).await?;
        }
    }
}

#[wasm_bindgen]
impl Client {
    /// Sends a normalized payload (JSON text, as the validation module's
    /// `validateForSend` answers it); resolves to the Worker's success body,
    /// rejects with a `SendError`.
    #[wasm_bindgen(js_name = send)]
    pub fn send(&self, body: String, idempotency_key: Option<String>) -> Promise {
        let this = self.clone();
        future_to_promise(this.run(body, idempotency_key))
    }

    /// `GET /api/messages/{id}`: the message's status and history (this client's
    /// own messages only); rejects with a `SendError` (`http` 404 for another's).
    #[wasm_bindgen(js_name = status)]
    pub fn status(&self, message_id: String) -> Promise {
        let this = self.clone();
        future_to_promise(async move {
            let id = String::from(js_sys::encode_uri_component(&message_id));
            let request = RequestBuilder::new(&format!("{}/api/messages/{id}", this.base_url))
                .method(Method::GET)
                .header("authorization", &format!("Bearer {}", this.token))
                .build()
                .map_err(|e| {
                    send_error("invalid", &format!("cannot build the request: {e}"), &[])
                })?;
            match this.attempt(request).await {
                Attempt::Network(message) => Err(send_error(
                    failures::NETWORK,
                    &format!("no answer from the worker: {message}"),
                    &[],
                )),
                Attempt::Answer(response) => {
                    let (status, body) = read(&response).await;
                    if (200..300).contains(&status) {
                        return Ok(get(&body, "data"));
                    }
                    Err(send_error(
                        "http",
                        &message_of(&body, status),
                        &[("status", JsValue::from(status)), ("body", body)],
                    ))
                }
            }
        })
    }

    /// `{method} {baseUrl}{path}` with the client's token, for the Worker's API
    /// beside sends (campaigns, suppressions): `body` with its `contentType`, an
    /// `Idempotency-Key`, an `Accept`. Resolves to the success body (its JSON, or
    /// its text); rejects with a `SendError`. Retried as a send is.
    #[wasm_bindgen(js_name = call)]
    pub fn call(
        &self,
        method: String,
        path: String,
        body: Option<String>,
        content_type: Option<String>,
        idempotency_key: Option<String>,
        accept: Option<String>,
    ) -> Promise {
        let this = self.clone();
        future_to_promise(async move {
            let method = match method.as_str() {
                "GET" => Method::GET,
                "POST" => Method::POST,
                "DELETE" => Method::DELETE,
                other => {
                    return Err(type_error(&format!(
                        "call: method must be GET, POST or DELETE, not {other}"
                    )))
                }
            };
            if !path.starts_with("/api/") {
                return Err(type_error("call: path must start with /api/"));
            }
            let url = format!("{}{path}", this.base_url);
            let make = || {
                let mut b = RequestBuilder::new(&url)
                    .method(method.clone())
                    .header("authorization", &format!("Bearer {}", this.token));
                if let Some(k) = &idempotency_key {
                    b = b.header("idempotency-key", k);
                }
                if let Some(a) = &accept {
                    b = b.header("accept", a);
                }
                let built = match &body {
                    Some(text) => b
                        .header(
                            "content-type",
                            content_type.as_deref().unwrap_or("application/json"),
                        )
                        .body(text.clone()),
                    None => b.build(),
                };
                built.map_err(|e| {
                    send_error("invalid", &format!("cannot build the request: {e}"), &[])
                })
            };
            this.retrying(make, idempotency_key.as_deref()).await
        })
    }

    #[wasm_bindgen(getter, js_name = baseUrl)]
    pub fn base_url(&self) -> String {
        self.base_url.clone()
    }
}
