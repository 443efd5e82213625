//! The send client's options, read once for every face: npm's `createClient`
//! checks them here, synchronously, before its client module (the HTTP code, a
//! separate WebAssembly module loaded on first use) is even fetched.

use crate::json::{kind, Map, Number, Value};
use crate::OptionsError;

/// How many times a request is tried again, when the options do not say (these
/// defaults are the core's client backoff, [`crate::retry::Backoff::CLIENT`]).
pub const DEFAULT_RETRIES: u64 = 4;
/// The most retries the options may ask for; more is read as this.
pub const MAX_RETRIES: u64 = 20;
/// Full-jitter backoff: the first ceiling, in milliseconds.
pub const DEFAULT_BASE_DELAY_MS: u64 = 250;
/// Full-jitter backoff: the largest ceiling, in milliseconds.
pub const DEFAULT_MAX_DELAY_MS: u64 = 8_000;
/// A `Retry-After` longer than this, in milliseconds, is not waited for.
pub const DEFAULT_MAX_RETRY_AFTER_MS: u64 = 60_000;

/// `createClient`'s options as JSON (a `fetch` function is not JSON and so is
/// absent; anything else under `fetch` is the caller's mistake), checked and
/// completed with the defaults: `{baseUrl, token, retries, baseDelayMs,
/// maxDelayMs, maxRetryAfterMs}`, `baseUrl` without a trailing slash.
pub fn client_options(v: &Value) -> Result<Value, OptionsError> {
    let err = |m: &str| OptionsError::new(format!("createClient: {m}"));
    let Some(obj) = v.as_object() else {
        return Err(OptionsError::new(
            "createClient needs an options object with baseUrl and token",
        ));
    };
    let base_url = obj
        .get("baseUrl")
        .and_then(Value::as_str)
        .filter(|u| u.starts_with("http://") || u.starts_with("https://"))
        .ok_or_else(|| err("baseUrl must be an http(s) url"))?;
    let token = obj
        .get("token")
        .and_then(Value::as_str)
        .filter(|t| !t.is_empty())
        .ok_or_else(|| err("token must be a non-empty string"))?;
    if obj.get("fetch").is_some_and(|f| !f.is_null()) {
        return Err(err("fetch must be a function"));
    }
    let mut out = Map::new();
    out.insert("baseUrl", Value::from(base_url.trim_end_matches('/')));
    out.insert("token", Value::from(token));
    let retries = match obj.get("retries") {
        None | Some(Value::Null) => DEFAULT_RETRIES,
        Some(Value::Number(n)) => n
            .as_u64()
            .map(|r| r.min(MAX_RETRIES))
            .or_else(|| {
                (n.is_integer() && !n.as_str().starts_with('-') && n.magnitude_exceeds(MAX_RETRIES))
                    .then_some(MAX_RETRIES)
            })
            .ok_or_else(|| err("retries must be a non-negative integer"))?,
        Some(other) => {
            return Err(err(&format!(
                "retries must be a non-negative integer, not {}",
                kind(other)
            )))
        }
    };
    out.insert("retries", Value::Number(retries.into()));
    for (key, default) in [
        ("baseDelayMs", DEFAULT_BASE_DELAY_MS),
        ("maxDelayMs", DEFAULT_MAX_DELAY_MS),
        ("maxRetryAfterMs", DEFAULT_MAX_RETRY_AFTER_MS),
    ] {
        let n = match obj.get(key) {
            None | Some(Value::Null) => Number::from(default),
            Some(Value::Number(n)) if !n.as_str().starts_with('-') => n.clone(),
            Some(_) => return Err(err(&format!("{key} must be a non-negative number"))),
        };
        out.insert(key, Value::Number(n));
    }
    Ok(Value::Object(out))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::parse;

    fn read(text: &str) -> Result<Value, String> {
        client_options(&parse(text.as_bytes()).expect("json")).map_err(|e| e.message().to_owned())
    }

    #[test]
    fn client_options_valid() {
        let v = read(r#"{"baseUrl":"https://w.example/","token":"t"}"#).expect("valid");
        assert_eq!(
            v.to_json(),
            r#"{"baseUrl":"https://w.example","token":"t","retries":4,"baseDelayMs":250,"maxDelayMs":8000,"maxRetryAfterMs":60000}"#
        );
        let v = read(r#"{"baseUrl":"http://x","token":"t","retries":0,"baseDelayMs":0.5,"maxDelayMs":null,"fetch":null}"#)
            .expect("valid");
        assert_eq!(v["retries"].to_json(), "0");
        assert_eq!(v["baseDelayMs"].to_json(), "0.5");
        assert_eq!(v["maxDelayMs"].to_json(), "8000");
        for many in ["21", "1000000000000000000000000"] {
            let v = read(&format!(
                r#"{{"baseUrl":"http://x","token":"t","retries":{many}}}"#
            ))
            .expect("valid");
            assert_eq!(v["retries"].to_json(), "20", "{many}");
        }
    }

    #[test]
    fn client_options_invalid() {
        for (text, message) in [
            (
                "[]",
                "createClient needs an options object with baseUrl and token",
            ),
            (
                r#"{"baseUrl":"ftp://x","token":"t"}"#,
                "createClient: baseUrl must be an http(s) url",
            ),
            (
                r#"{"baseUrl":"https://x"}"#,
                "createClient: token must be a non-empty string",
            ),
            (
                r#"{"baseUrl":"https://x","token":""}"#,
                "createClient: token must be a non-empty string",
            ),
            (
                r#"{"baseUrl":"https://x","token":"t","fetch":3}"#,
                "createClient: fetch must be a function",
            ),
            (
                r#"{"baseUrl":"https://x","token":"t","retries":-1}"#,
                "createClient: retries must be a non-negative integer",
            ),
            (
                r#"{"baseUrl":"https://x","token":"t","retries":1.5}"#,
                "createClient: retries must be a non-negative integer",
            ),
            (
                r#"{"baseUrl":"https://x","token":"t","retries":"3"}"#,
                "createClient: retries must be a non-negative integer, not a string",
            ),
            (
                r#"{"baseUrl":"https://x","token":"t","maxDelayMs":-1}"#,
                "createClient: maxDelayMs must be a non-negative number",
            ),
            (
                r#"{"baseUrl":"https://x","token":"t","baseDelayMs":"1"}"#,
                "createClient: baseDelayMs must be a non-negative number",
            ),
        ] {
            assert_eq!(read(text).expect_err(text), message, "{text}");
        }
    }
}
