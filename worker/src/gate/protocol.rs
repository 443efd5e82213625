//! The typed protocol between the Worker and its `Gate`: what the Worker asks
//! (`Op`, serialized by the Worker and read here with the same type) and what the
//! object answers to a send (`Decision`).

use super::suppressions::Lifter;
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
    /// The sandbox's customer writing in: `Applied`.
    Inbound {
        number: String,
        /// What they wrote (a stop keyword suppresses them).
        text: Option<String>,
        /// The client that played it.
        client: String,
    },
    /// A verified webhook event: `Applied`.
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
    /// Suppresses a number (E.164) for a client: `{"added": bool}`.
    Suppress {
        number: String,
        reason: Option<String>,
        client: String,
    },
    /// Lifts a number's suppression, if `by` may: `Unsuppressed`.
    Unsuppress {
        number: String,
        by: Lifter,
    },
    /// What a key already answered, without sending: `Option<Decision>`.
    Known {
        client: String,
        key: String,
        fingerprint: String,
    },
    /// A campaign's approved template and the account's suppressed identities:
    /// `TemplateAnswer`.
    TemplateFor {
        name: String,
        language: String,
    },
    /// A campaign about to be created, listed for its client and the watchdog.
    CampaignIndex {
        id: String,
        client: String,
        created: i64,
    },
    /// A campaign that was never created (its list was refused), or is gone
    /// (`listed_before`: only if it was listed before then, not one being created).
    CampaignForget {
        id: String,
        listed_before: Option<i64>,
    },
    /// A campaign that has nothing left to do: the watchdog stops waking it.
    CampaignDone {
        id: String,
    },
    /// The client's campaigns, newest first: `CampaignIds`.
    Campaigns {
        client: String,
        limit: u32,
        cursor: Option<String>,
    },
    /// Every campaign with work left: `CampaignIds`.
    Unfinished,
    /// What became of a campaign's sent rows (`rows`: an inclusive range; `None`:
    /// all of them): `Deliveries`.
    Deliveries {
        campaign: String,
        rows: Option<(u64, u64)>,
    },
    /// How many of a campaign's sent rows the log has at each status: `StatusCounts`.
    DeliveryCounts {
        campaign: String,
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
    /// A campaign's row: refused to a suppressed number whatever the category,
    /// and logged with the campaign.
    pub campaign: Option<CampaignRow>,
}

#[derive(Serialize, Deserialize, Clone, Debug)]
pub struct CampaignRow {
    pub id: String,
    pub row: u64,
}

/// A campaign's template, or the refusal a send of it would get.
#[derive(Serialize, Deserialize)]
#[serde(tag = "answer", rename_all = "snake_case")]
pub enum TemplateAnswer {
    Found {
        definition: Value,
        /// Identities of the account's suppression list.
        suppressed: Vec<String>,
    },
    Refused {
        status: u16,
        body: Value,
    },
}

#[derive(Serialize, Deserialize)]
pub struct CampaignIds {
    pub ids: Vec<String>,
    pub next_cursor: Option<String>,
}

/// A sent row's delivery as the log has it (webhooks, the sandbox's timeline).
#[derive(Serialize, Deserialize, Clone, Debug)]
pub struct Delivery {
    pub row: u64,
    pub status: String,
    pub failure: Option<String>,
}

#[derive(Serialize, Deserialize, Default)]
pub struct StatusCounts {
    pub delivered: u64,
    pub read: u64,
    pub failed: u64,
}

#[derive(Serialize, Deserialize)]
pub struct Deliveries {
    pub rows: Vec<Delivery>,
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

/// What an event did.
#[derive(Serialize, Deserialize, Debug)]
pub struct Applied {
    /// `false`: a duplicate, which changed nothing.
    pub applied: bool,
    /// For an incoming message: when the sender's 24-hour window now closes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub window_open_until: Option<i64>,
}

impl Applied {
    pub fn duplicate() -> Self {
        Applied {
            applied: false,
            window_open_until: None,
        }
    }
}
