//! The typed protocol between the Worker and its `Gate`: what the Worker asks
//! (`Op`, serialized by the Worker and read here with the same type) and what the
//! object answers to a send (`Decision`).

use crate::webhook::Event;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// What the Worker asks of its `Gate`: one typed request per operation, written
/// by the Worker and read here with the same type.
#[derive(Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum Op {
    /// A validated send: admitted (or not) and, when admitted, sent from here.
    Send(Box<SendOp>),
    Inbound {
        number: String,
        /// What they wrote (a stop keyword suppresses them).
        text: Option<String>,
    },
    /// A verified webhook event.
    Event {
        event: Event,
    },
    Get {
        client: String,
        id: String,
    },
    List {
        client: String,
        limit: u32,
        cursor: Option<String>,
    },
    /// The approved templates in force, and where they come from.
    Templates,
    /// An operator's list of approved templates (`None`: back to the source's own).
    SetTemplates {
        definitions: Option<Vec<Value>>,
    },
    /// The account's suppression list.
    Suppressions,
    /// Suppresses a number (E.164): `{"added": bool}`.
    Suppress {
        number: String,
        reason: Option<String>,
    },
    /// Lifts a number's suppression: `{"removed": bool}`.
    Unsuppress {
        number: String,
    },
}

#[derive(Serialize, Deserialize)]
pub struct SendOp {
    pub client: String,
    pub key: Option<String>,
    pub fingerprint: Option<String>,
    /// A free-form message's recipient, when the Worker learns inbound messages
    /// from webhooks: the answer then says whether their 24-hour window is open.
    pub window_of: Option<String>,
    /// The normalized payload, as sent.
    pub body: String,
    pub account: Option<String>,
    pub kind: String,
    pub recipient: String,
}

#[derive(Serialize, Deserialize, Debug)]
#[serde(tag = "decision", rename_all = "snake_case")]
pub enum Decision {
    /// Sent (or refused by the provider, or failed): the answer to give.
    Done {
        status: u16,
        body: String,
        retry_after: Option<u64>,
        remaining: u32,
        window_open: Option<bool>,
        /// Sent, but with something the client should know (a template left unchecked).
        warning: Option<String>,
    },
    /// Over a limit: try again after this long.
    Limited { retry_after_ms: i64, scope: String },
    /// Refused before sending (its template): the answer.
    Refused {
        status: u16,
        body: String,
        retry_after: Option<u64>,
    },
    /// The key's first request finished: its stored answer.
    Replay { status: u16, body: String },
    /// The key's first request is still running.
    InFlight,
    /// The key was used with another body.
    Mismatch,
}

#[derive(Serialize, Deserialize)]
pub struct SandboxAnswer {
    pub status: u16,
    pub body: Value,
}
