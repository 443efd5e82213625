//! The Meta-compatible ingress: Meta's Graph API paths answered by wasend, so an
//! app built on a Meta SDK switches by changing its base URL. Every call takes
//! the same road as wasend's own API (a client token, validation by the core,
//! the `Gate`'s limits, keys, templates, opt-outs and log) and is answered in
//! Meta's shapes (`answer.rs`, from the core's `wasend::meta::ingress`).
//!
//! Paths: `/{version}/{node}/{edge}` and the same without a version, as Graph
//! accepts them. `{phone_number_id}/messages` sends (`messages.rs`),
//! `{waba_id}/message_templates` lists the approved templates (`templates.rs`);
//! media is Meta's own, passed through to a Meta upstream only (`media.rs`);
//! anything else is Graph's "unknown object" 404, never relayed.

mod answer;
mod media;
mod messages;
mod templates;

use crate::auth::authed;
use crate::config::Config;
use answer::{meta_error, to_meta};
use wasend::meta::ingress::UNKNOWN_OBJECT;
use worker::{Env, Method, Request, Response, Result};

/// A Graph path: its version (when given) and its segments after it.
#[derive(Debug, PartialEq, Eq)]
struct GraphPath<'a> {
    version: Option<&'a str>,
    segments: Vec<&'a str>,
}

/// `v<major>` or `v<major>.<minor>`.
fn is_version(s: &str) -> bool {
    let Some(rest) = s.strip_prefix('v') else {
        return false;
    };
    let mut parts = rest.splitn(2, '.');
    let digits =
        |p: Option<&str>| p.is_some_and(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
    let major = parts.next();
    match parts.next() {
        Some(minor) => digits(major) && digits(Some(minor)),
        None => digits(major),
    }
}

/// Graph ids are digits; a node of anything else is no Graph path (and so the
/// page's files, which never start with a digit or `v<digit>`, stay the page's).
fn is_node(s: &str) -> bool {
    !s.is_empty() && s.len() <= 64 && s.bytes().all(|b| b.is_ascii_digit())
}

fn parse(path: &str) -> Option<GraphPath<'_>> {
    let mut segments: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    if segments.last() == Some(&"") {
        segments.pop();
    }
    let version = match segments.first() {
        Some(v) if is_version(v) => Some(segments.remove(0)),
        _ => None,
    };
    match segments.first() {
        Some(node) if is_node(node) => Some(GraphPath { version, segments }),
        // `/v26.0/` alone, or a version before something that is no id: still Graph's.
        _ if version.is_some() => Some(GraphPath { version, segments }),
        _ => None,
    }
}

/// Whether a path is the ingress's (a Graph path) rather than the page's or `/api`'s.
pub fn is_graph_path(path: &str) -> bool {
    parse(path).is_some()
}

/// A response of the Worker's for a Graph path, in Meta's shape (an answer the
/// handlers already shaped passes as it is).
pub async fn shaped(r: Response) -> Result<Response> {
    to_meta(r).await
}

/// `{phone_number_id}/media` or a media id.
fn is_media(segments: &[&str]) -> bool {
    matches!(segments, [_, "media"] | [_]) && segments.first().is_some_and(|s| is_node(s))
}

/// Answers a Graph call; `main` writes the answer in Meta's shape ([`shaped`]).
pub async fn handle(req: Request, env: &Env, cfg: &Config, path: &str) -> Result<Response> {
    let Some(graph) = parse(path) else {
        return meta_error(&UNKNOWN_OBJECT, "no such graph path");
    };
    let method = req.method();
    // An edge this proxy serves, called with a method it does not serve there, is
    // 405 with `Allow` (Meta's code 100); `worker` reads a method it has no
    // variant for (QUERY) as GET, so the request's own spelling is compared.
    // A node that is no Graph id (digits) is no object, whatever the edge.
    let allow = match graph.segments.as_slice() {
        [node, "messages"] if is_node(node) => Some("POST"),
        [node, "message_templates"] if is_node(node) => Some("GET"),
        [_, "media"] if is_media(&graph.segments) => Some("POST"),
        [_] if is_media(&graph.segments) => Some("GET, DELETE"),
        _ => None,
    };
    if let Some(allow) = allow {
        let spelled = req.inner().method() == method.as_ref();
        if !spelled || !allow.split(", ").any(|m| m == method.as_ref()) {
            return crate::http::method_not_allowed(allow);
        }
    }
    let answer = match (method, graph.segments.as_slice()) {
        (Method::Post, [node, "messages"]) if is_node(node) => {
            let node = (*node).to_owned();
            authed(req, cfg, |req, client| {
                messages::post(req, env, cfg, client, node)
            })
            .await?
        }
        (Method::Get, [node, "message_templates"]) if is_node(node) => {
            let node = (*node).to_owned();
            authed(req, cfg, |req, _| templates::list(req, env, cfg, node)).await?
        }
        (Method::Post, [_, "media"]) | (Method::Get | Method::Delete, [_])
            if is_media(&graph.segments) =>
        {
            let segments: Vec<String> = graph.segments.iter().map(|s| (*s).to_owned()).collect();
            authed(req, cfg, |req, _| media::relay(req, cfg, segments)).await?
        }
        _ => {
            return meta_error(
                &UNKNOWN_OBJECT,
                &format!("this proxy answers no {path} (only messages and message_templates)"),
            )
        }
    };
    Ok(answer)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn graph_paths() {
        assert_eq!(
            parse("/v26.0/1234/messages"),
            Some(GraphPath {
                version: Some("v26.0"),
                segments: vec!["1234", "messages"]
            })
        );
        assert_eq!(
            parse("/1234/messages"),
            Some(GraphPath {
                version: None,
                segments: vec!["1234", "messages"]
            })
        );
        assert_eq!(
            parse("/v19/55/message_templates/"),
            Some(GraphPath {
                version: Some("v19"),
                segments: vec!["55", "message_templates"]
            })
        );
        assert!(
            parse("/v26.0/me").is_some(),
            "a version is Graph's whatever follows"
        );
        for page in [
            "/",
            "/app.js",
            "/style.css",
            "/wasend/wasend.js",
            "/api/health",
            "/composer/x.js",
            "/v",
            "/v1.x/1/messages",
            "/vendor.js",
        ] {
            assert!(parse(page).is_none(), "{page}");
        }
    }
}
