//! Every request body is read here, and only here: a media type the endpoint
//! takes, a size cap, a deadline, and JSON parsed by the core's parser (UTF-8
//! checked, nesting bounded) into the core's `json::Value`.
//!
//! Why one reader: `Request::json` deserializes through `serde_wasm_bindgen`
//! without a depth limit, and one body of 10,000 nested arrays overflowed the
//! stack, which resets the Worker's WebAssembly instance under every request
//! in flight, other clients' included.

use crate::codes::ErrorCode;
use crate::http::error;
use serde_json::json;
use wasend::json::Value;
use worker::{Request, Response, Result};

/// What an endpoint reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// A message, a suppression, a sandbox inbound message, the operator's
    /// templates: `application/json`, 64 KB, 10 s.
    Json,
    /// A provider's webhook: 64 KB, 10 s, any media type (the provider does not
    /// document the one it sends; the signature is what authenticates it).
    Event,
    /// A campaign: the JSON request, or the list itself as CSV, NDJSON or a JSON
    /// array; 10 MB, 60 s (a slow uplink still sends 10 MB in a minute).
    List,
}

/// The media types a campaign list may come as, besides `application/json`.
pub const LIST_TYPES: [&str; 3] = ["text/csv", "text/plain", "application/x-ndjson"];

impl Kind {
    /// The largest body accepted, in bytes.
    pub const fn max_bytes(self) -> usize {
        match self {
            Kind::Json | Kind::Event => 64 * 1024,
            Kind::List => 10 * 1024 * 1024,
        }
    }

    /// A body that has not fully arrived by then is answered 408.
    pub const fn timeout_ms(self) -> u64 {
        match self {
            Kind::Json | Kind::Event => 10_000,
            Kind::List => 60_000,
        }
    }

    fn accepts(self, media: &str) -> bool {
        match self {
            Kind::Json => media == "application/json",
            Kind::Event => true,
            Kind::List => media == "application/json" || LIST_TYPES.contains(&media),
        }
    }

    fn expected(self) -> &'static str {
        match self {
            Kind::Json | Kind::Event => "send the body as `content-type: application/json`",
            Kind::List => "send the campaign as application/json, or the list as text/csv (or application/x-ndjson) with ?template=&language=",
        }
    }
}

/// The answer to give instead, when a body cannot be taken.
pub type Refusal = Result<Response>;

/// The request's media type, lowercase, without parameters (`""` when none).
pub fn media_type(req: &Request) -> String {
    let ctype = req
        .headers()
        .get("content-type")
        .ok()
        .flatten()
        .unwrap_or_default();
    ctype
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase()
}

/// Reads the body an endpoint of `kind` takes.
pub async fn read(req: Request, kind: Kind) -> std::result::Result<Vec<u8>, Refusal> {
    read_watched(req, kind, |_| None).await
}

/// Reads the body, showing each chunk to `watch` as it arrives: a refusal from
/// `watch` ends the read there (a list over its row limit is refused before
/// the rest of it arrives).
pub async fn read_watched(
    req: Request,
    kind: Kind,
    watch: impl FnMut(&[u8]) -> Option<Refusal>,
) -> std::result::Result<Vec<u8>, Refusal> {
    let media = media_type(&req);
    if !kind.accepts(&media) {
        return Err(error(
            415,
            ErrorCode::UnsupportedMediaType,
            kind.expected(),
            None,
        ));
    }
    stream(req, kind.max_bytes(), kind.timeout_ms(), watch).await
}

/// Reads a JSON body and parses it with the core's parser.
pub async fn json(req: Request, kind: Kind) -> std::result::Result<Value, Refusal> {
    parse(&read(req, kind).await?)
}

/// JSON by the core's parser; a 400 `invalid_json` with where it went wrong.
pub fn parse(bytes: &[u8]) -> std::result::Result<Value, Refusal> {
    wasend::json::parse(bytes).map_err(|e| {
        error(
            400,
            ErrorCode::InvalidJson,
            &format!("the body is not json: {e}"),
            None,
        )
    })
}

/// How reading a body stream ended.
enum Ended {
    Whole(Vec<u8>),
    TooLarge,
    Unreadable,
    Refused(Refusal),
}

/// The body, at most `max` bytes, within `timeout_ms`. Read as a stream so that
/// a body without a length is cut off at the limit instead of buffered whole,
/// and a client that stops sending gets an answer instead of a held socket.
async fn stream(
    mut req: Request,
    max: usize,
    timeout_ms: u64,
    mut watch: impl FnMut(&[u8]) -> Option<Refusal>,
) -> std::result::Result<Vec<u8>, Refusal> {
    use futures_util::future::{select, Either};
    use futures_util::StreamExt;
    let declared = req
        .headers()
        .get("content-length")
        .ok()
        .flatten()
        .and_then(|l| wasend::numbers::digits_u64(&l))
        .map(|n| usize::try_from(n).unwrap_or(usize::MAX));
    if declared.is_some_and(|n| n > max) {
        return Err(too_large(max));
    }
    let Ok(mut stream) = req.stream() else {
        return Ok(Vec::new());
    };
    let read = Box::pin(async move {
        let mut out = Vec::new();
        while let Some(chunk) = stream.next().await {
            let Ok(chunk) = chunk else {
                return Ended::Unreadable;
            };
            if out.len() + chunk.len() > max {
                return Ended::TooLarge;
            }
            if let Some(refusal) = watch(&chunk) {
                return Ended::Refused(refusal);
            }
            out.extend_from_slice(&chunk);
        }
        Ended::Whole(out)
    });
    let timer = Box::pin(worker::Delay::from(std::time::Duration::from_millis(
        timeout_ms,
    )));
    match select(read, timer).await {
        Either::Left((Ended::Whole(b), _)) => Ok(b),
        Either::Left((Ended::TooLarge, _)) => Err(too_large(max)),
        Either::Left((Ended::Refused(r), _)) => Err(r),
        Either::Left((Ended::Unreadable, _)) => Err(error(
            400,
            ErrorCode::InvalidBody,
            "the request body could not be read",
            None,
        )),
        Either::Right(_) => Err(error(
            408,
            ErrorCode::BodyTimeout,
            &format!(
                "the request body did not arrive within {} s",
                timeout_ms / 1000
            ),
            None,
        )),
    }
}

fn too_large(max: usize) -> Refusal {
    let size = if max >= 1024 * 1024 {
        format!("{} MB", max / (1024 * 1024))
    } else {
        format!("{} KB", max / 1024)
    };
    error(
        413,
        ErrorCode::PayloadTooLarge,
        &format!("the body is over {size}"),
        Some(json!({ "limit": max })),
    )
}
