//! `/api/webhook-subscriptions`: a client's callback URL and app secret, to which
//! the `Gate` forwards its messages' statuses and customers' messages as Meta's
//! signed envelopes (`gate/forward.rs`). One subscription a client; the secret is
//! never answered back.

use crate::body;
use crate::codes::ErrorCode;
use crate::config::{Client, Config};
use crate::gate::{self, Subscription};
use crate::http::{error, json_response};
use crate::objects::{ask, gate};
use serde_json::json;
use worker::{Env, Method, Request, Response, Result, Url};

/// An app secret's length, in bytes (Meta's are 32 hex characters).
const SECRET_MIN: usize = 16;
const SECRET_MAX: usize = 256;

pub(crate) async fn subscriptions(
    req: Request,
    env: &Env,
    cfg: &Config,
    client: &Client,
) -> Result<Response> {
    let stub = gate(env, cfg)?;
    let who = client.name.clone();
    match req.method() {
        Method::Get => {
            let s: Option<Subscription> = ask(&stub, gate::GetSubscription { client: who }).await?;
            json_response(200, &json!({ "data": s }))
        }
        Method::Delete => {
            let ended: bool = ask(&stub, gate::Unsubscribe { client: who }).await?;
            json_response(200, &json!({ "data": { "ended": ended } }))
        }
        _ => {
            let v = match body::json(req, body::Kind::Json).await {
                Ok(v) => v,
                Err(r) => return r,
            };
            let url = match callback(v["url"].as_str().unwrap_or_default()) {
                Ok(u) => u,
                Err(why) => return error(400, ErrorCode::InvalidBody, &why, None),
            };
            let secret = v["secret"].as_str().unwrap_or_default();
            let printable = secret.bytes().all(|b| b.is_ascii_graphic());
            if !(SECRET_MIN..=SECRET_MAX).contains(&secret.len()) || !printable {
                return error(
                    400,
                    ErrorCode::InvalidBody,
                    &format!("`secret` must be {SECRET_MIN} to {SECRET_MAX} printable characters: the app secret the callback verifies X-Hub-Signature-256 with"),
                    None,
                );
            }
            let s: Subscription = ask(
                &stub,
                gate::Subscribe {
                    client: who,
                    url,
                    secret: secret.to_owned(),
                },
            )
            .await?;
            json_response(201, &json!({ "data": s }))
        }
    }
}

/// A callback URL: https, or http to this machine (development); no credentials
/// in it.
fn callback(text: &str) -> std::result::Result<String, String> {
    let url = Url::parse(text).map_err(|_| "`url` must be an absolute URL".to_owned())?;
    let local = matches!(url.host_str(), Some("127.0.0.1" | "localhost" | "[::1]"));
    match url.scheme() {
        "https" => {}
        "http" if local => {}
        _ => return Err("`url` must be https (http only to this machine)".into()),
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err("`url` must carry no credentials".into());
    }
    Ok(url.to_string())
}

#[cfg(test)]
mod tests {
    use super::callback;

    #[test]
    fn callbacks() {
        assert!(callback("https://app.example.com/hooks/whatsapp").is_ok());
        assert!(callback("http://127.0.0.1:8080/hook").is_ok());
        for bad in [
            "http://app.example.com/hook",
            "ftp://x/y",
            "https://u:p@x.example/",
            "/relative",
            "",
        ] {
            assert!(callback(bad).is_err(), "{bad}");
        }
    }
}
