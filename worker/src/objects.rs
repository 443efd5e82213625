//! The Worker's Durable Objects by name, and the one way to ask them: a typed
//! operation serialized by the asker and read by the object with the same type.

use crate::config::Config;
use serde::{de::DeserializeOwned, Serialize};
use sha2::{Digest, Sha256};
use worker::{Env, Method, Request, RequestInit, Result, Stub};

/// The name of the `Gate` of this configuration's upstream key.
pub fn gate_name(cfg: &Config) -> String {
    match &cfg.upstream {
        // Named by a digest of the key: one object per key, and the key not in its name.
        Some(u) => format!(
            "upstream-{}",
            crate::hex(&Sha256::digest(u.api_key.as_bytes())[..12])
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

/// Asks an object `op`; its answer is read as `T`.
pub async fn call<O: Serialize, T: DeserializeOwned>(stub: &Stub, op: &O) -> Result<T> {
    let mut init = RequestInit::new();
    init.with_method(Method::Post)
        .with_body(Some(serde_json::to_string(op)?.into()));
    let req = Request::new_with_init("https://object/op", &init)?;
    let mut r = stub.fetch_with_request(req).await?;
    // `Response::json` is serde_json over the text: depth-bounded.
    r.json().await
}

/// An operation as its type, by serde_json (depth-bounded), never by
/// `Request::json`, whose path through `serde_wasm_bindgen` has no depth limit.
pub fn read<T: DeserializeOwned>(text: &str) -> Result<T> {
    Ok(serde_json::from_str(text)?)
}
