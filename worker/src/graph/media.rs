//! Media (`POST /{phone_number_id}/media`, `GET` and `DELETE /{media_id}`): Meta's
//! own, so passed through to a Meta upstream as it came (its multipart body
//! streamed, never read here) with the access token added, and refused (501) on
//! the provider and in the sandbox, which have no such calls.

use super::answer::{meta_error, relayed_or_unreachable, unknown_number};
use crate::config::{Config, Dialect};
use crate::upstream;
use wasend::meta::ingress::NOT_RELAYED;
use worker::{Request, Response, Result};

pub(super) async fn relay(req: Request, cfg: &Config, segments: Vec<String>) -> Result<Response> {
    let (Some(up), Dialect::Meta) = (&cfg.upstream, cfg.dialect) else {
        return meta_error(
            &NOT_RELAYED,
            "media is meta's: this proxy relays it to a meta upstream only; upload it at meta, and send it here by link or id",
        );
    };
    if let [node, edge] = segments.as_slice() {
        if edge == "media" && cfg.graph.account_of(node).is_err() {
            return unknown_number(node);
        }
    }
    let url = req.url()?;
    let query = url.query().map_or(String::new(), |q| format!("?{q}"));
    let path = format!("/{}/{}{query}", cfg.graph.version, segments.join("/"));
    let content_type = req.headers().get("content-type")?;
    let body = req.inner().body().map(wasm_bindgen::JsValue::from);
    relayed_or_unreachable(
        upstream::pass_through(cfg, up, req.method(), &path, content_type.as_deref(), body).await,
    )
}
