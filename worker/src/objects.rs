//! The Worker's Durable Objects by name, and the one way to ask them: a typed
//! operation serialized by the asker and read by the object with the same type.

use crate::config::Config;
use serde::{de::DeserializeOwned, Serialize};
use sha2::{Digest, Sha256};
use worker::{Env, Error, Method, Request, RequestInit, Response, Result, Stub};

/// The name of the `Gate` of this configuration's upstream key.
pub fn gate_name(cfg: &Config) -> String {
    match &cfg.upstream {
        // Named by a digest of the key: one object per key, and the key not in its name.
        Some(u) => format!(
            "upstream-{}",
            crate::hex::encode(&Sha256::digest(u.api_key.as_bytes())[..12])
        ),
        None => "sandbox".to_owned(),
    }
}

/// The Durable Object that holds this upstream key's limits and keys.
pub fn gate(env: &Env, cfg: &Config) -> Result<Stub> {
    env.durable_object("GATE")?.get_by_name(&gate_name(cfg))
}

/// A campaign's own object.
pub fn campaign(env: &Env, id: &str) -> Result<Stub> {
    env.durable_object("CAMPAIGN")?.get_by_name(id)
}

/// An operation of an object and the one type the object answers it with: the
/// asker gets that type from [`ask`], and the object can answer only that type
/// ([`answer`]), so the two ends cannot drift apart.
pub trait Ask: Sized {
    /// The object's whole request type (`gate::Op`, `CampaignOp`).
    type Op: Serialize + From<Self>;
    type Answer: Serialize + DeserializeOwned;
}

/// Declares an object's request enum, one variant per operation type, and each
/// operation's answer type.
macro_rules! protocol {
    ($(#[$meta:meta])* $vis:vis enum $name:ident {
        $($(#[$vmeta:meta])* $variant:ident($op:ty) -> $answer:ty,)*
    }) => {
        $(#[$meta])*
        #[derive(serde::Serialize, serde::Deserialize)]
        #[serde(tag = "op", rename_all = "snake_case")]
        // One request is read per call: a large operation costs nothing kept.
        #[allow(clippy::large_enum_variant)]
        $vis enum $name {
            $($(#[$vmeta])* $variant($op),)*
        }
        $(
            impl From<$op> for $name {
                fn from(op: $op) -> Self {
                    $name::$variant(op)
                }
            }
            impl $crate::objects::Ask for $op {
                type Op = $name;
                type Answer = $answer;
            }
        )*
    };
}
pub(crate) use protocol;

/// Asks an object `op`; its answer comes as the operation's answer type, or as
/// an error [`unavailable_because`] reads when the object cannot serve.
pub async fn ask<A: Ask>(stub: &Stub, op: A) -> Result<A::Answer> {
    let mut init = RequestInit::new();
    init.with_method(Method::Post)
        .with_body(Some(serde_json::to_string(&A::Op::from(op))?.into()));
    let req = Request::new_with_init("https://object/op", &init)?;
    let mut r = stub.fetch_with_request(req).await?;
    if r.status_code() == UNAVAILABLE_STATUS {
        return Err(Error::RustError(format!(
            "{UNAVAILABLE}{}",
            r.text().await?
        )));
    }
    // `Response::json` is serde_json over the text: depth-bounded.
    r.json().await
}

const UNAVAILABLE_STATUS: u16 = 503;
const UNAVAILABLE: &str = "object unavailable: ";

/// An object's answer when it cannot serve (its schema did not migrate): why.
pub fn unavailable(why: &str) -> Result<Response> {
    Response::error(why, UNAVAILABLE_STATUS)
}

/// Why an object could not serve, when that is what `e` is.
pub fn unavailable_because(e: &Error) -> Option<&str> {
    match e {
        Error::RustError(s) => s.strip_prefix(UNAVAILABLE),
        _ => None,
    }
}

/// The object's answer to an operation `A`: only `A`'s answer type compiles here.
pub fn answer<A: Ask>(answer: &A::Answer) -> Result<Response> {
    Response::from_json(answer)
}

/// An operation as its type, by serde_json (depth-bounded), never by
/// `Request::json`, whose path through `serde_wasm_bindgen` has no depth limit.
pub fn read<T: DeserializeOwned>(text: &str) -> Result<T> {
    Ok(serde_json::from_str(text)?)
}
