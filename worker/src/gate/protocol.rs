//! The typed protocol between the Worker and its `Gate`: what the Worker asks
//! (`Op`, serialized by the Worker and read here with the same type) and what the
//! object answers to a send (`Decision`).

pub use super::forward::Subscription;
pub use super::log::{EventRow, MessageRow};
pub use super::suppressions::{Lifter, Suppression, Unsuppressed};
use crate::paging::Keyset;
use crate::templates::Origin;
use crate::webhook::Event;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use wasend::status::Status;

crate::objects::protocol! {
    /// What the Worker asks of its `Gate`: one type per operation, written by the
    /// Worker and read here with the same type, each with its answer's type.
    pub enum Op {
        /// A validated send: admitted (or not) and, when admitted, sent from here.
        Send(SendOp) -> Decision,
        /// The sandbox's customer writing in.
        Inbound(Inbound) -> Applied,
        /// A verified webhook's events, applied in order.
        Events(EventsOp) -> Vec<Applied>,
        /// A client's webhook subscription: set, read, ended.
        Subscribe(Subscribe) -> Subscription,
        GetSubscription(GetSubscription) -> Option<Subscription>,
        Unsubscribe(Unsubscribe) -> bool,
        /// One of a client's messages, with its history.
        Message(GetMessage) -> Option<Message>,
        /// A client's messages, newest first.
        Messages(ListMessages) -> MessagePage,
        /// The approved templates in force, and where they come from.
        Templates(ListTemplates) -> TemplateList,
        /// An operator's list of approved templates (`None`: back to the source's own).
        SetTemplates(SetTemplates) -> TemplateSource,
        /// The account's suppression list, newest first.
        Suppressions(ListSuppressions) -> Vec<Suppression>,
        Suppress(Suppress) -> Added,
        /// Lifts a number's suppression, if `by` may.
        Unsuppress(Unsuppress) -> Unsuppressed,
        /// What a key already answered, without sending.
        Known(Known) -> Option<Decision>,
        /// A campaign's approved template and the account's suppressed identities.
        TemplateFor(TemplateFor) -> TemplateAnswer,
        CampaignIndex(CampaignIndex) -> (),
        CampaignForget(CampaignForget) -> (),
        CampaignDone(CampaignDone) -> (),
        /// The client's campaigns, newest first.
        Campaigns(ListCampaigns) -> CampaignIds,
        /// Every campaign with work left.
        Unfinished(Unfinished) -> CampaignIds,
        /// What became of a campaign's sent rows.
        Deliveries(GetDeliveries) -> Deliveries,
        /// How many of a campaign's sent rows the log has at each status.
        DeliveryCounts(CountDeliveries) -> StatusCounts,
    }
}

#[derive(Serialize, Deserialize)]
pub struct Inbound {
    pub number: String,
    /// What they wrote (a stop keyword suppresses them).
    pub text: Option<String>,
    /// Their profile name, as a webhook would give it.
    #[serde(default)]
    pub name: Option<String>,
    /// The client that played it.
    pub client: String,
}

#[derive(Serialize, Deserialize)]
pub struct Subscribe {
    pub client: String,
    pub url: String,
    pub secret: String,
}

#[derive(Serialize, Deserialize)]
pub struct GetSubscription {
    pub client: String,
}

#[derive(Serialize, Deserialize)]
pub struct Unsubscribe {
    pub client: String,
}

#[derive(Serialize, Deserialize)]
pub struct EventsOp {
    pub events: Vec<Event>,
}

#[derive(Serialize, Deserialize)]
pub struct GetMessage {
    pub client: String,
    pub id: String,
}

#[derive(Serialize, Deserialize)]
pub struct ListMessages {
    pub client: String,
    pub limit: u32,
    pub cursor: Option<Keyset>,
}

#[derive(Serialize, Deserialize)]
pub struct ListTemplates {}

#[derive(Serialize, Deserialize)]
pub struct SetTemplates {
    pub definitions: Option<Vec<Value>>,
}

#[derive(Serialize, Deserialize)]
pub struct ListSuppressions {}

/// Suppresses a number (E.164) for a client.
#[derive(Serialize, Deserialize)]
pub struct Suppress {
    pub number: String,
    pub reason: Option<String>,
    pub client: String,
}

#[derive(Serialize, Deserialize)]
pub struct Unsuppress {
    pub number: String,
    pub by: Lifter,
}

#[derive(Serialize, Deserialize)]
pub struct Known {
    pub client: String,
    pub key: String,
    pub fingerprint: String,
}

#[derive(Serialize, Deserialize)]
pub struct TemplateFor {
    pub name: String,
    pub language: String,
}

/// A campaign about to be created, listed for its client and the watchdog.
#[derive(Serialize, Deserialize)]
pub struct CampaignIndex {
    pub id: String,
    pub client: String,
    pub created: i64,
}

/// A campaign that was never created (its list was refused), or is gone
/// (`listed_before`: only if it was listed before then, not one being created).
#[derive(Serialize, Deserialize)]
pub struct CampaignForget {
    pub id: String,
    pub listed_before: Option<i64>,
}

/// A campaign that has nothing left to do: the watchdog stops waking it.
#[derive(Serialize, Deserialize)]
pub struct CampaignDone {
    pub id: String,
}

#[derive(Serialize, Deserialize)]
pub struct ListCampaigns {
    pub client: String,
    pub limit: u32,
    pub cursor: Option<Keyset>,
}

#[derive(Serialize, Deserialize)]
pub struct Unfinished {}

/// `rows`: an inclusive range; `None`: all of them.
#[derive(Serialize, Deserialize)]
pub struct GetDeliveries {
    pub campaign: String,
    pub rows: Option<(u64, u64)>,
}

#[derive(Serialize, Deserialize)]
pub struct CountDeliveries {
    pub campaign: String,
}

/// A logged message as its client reads it.
#[derive(Serialize, Deserialize)]
pub struct Message {
    #[serde(flatten)]
    pub message: MessageRow,
    /// Its status events, in the core's status order.
    pub history: Vec<EventRow>,
}

/// A page of a client's messages.
#[derive(Serialize, Deserialize)]
pub struct MessagePage {
    pub data: Vec<MessageRow>,
    pub next_cursor: Option<String>,
}

/// The approved templates in force, or why they cannot be listed.
#[derive(Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum TemplateList {
    Listed { data: Vec<Value>, source: Origin },
    Unavailable { error: String },
}

/// Where the templates in force now come from.
#[derive(Serialize, Deserialize)]
pub struct TemplateSource {
    pub source: Origin,
}

/// Whether a suppression was new.
#[derive(Serialize, Deserialize)]
pub struct Added {
    pub added: bool,
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

/// Which limit held a send back.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    /// The account's per-second burst.
    Second,
    /// The account's per-minute limit.
    Minute,
    /// This client's own per-minute share (`CLIENT_RATE_PER_MINUTE`).
    Client,
    /// One recipient's pair rate limit (`PAIR_MIN_INTERVAL_MS`): this recipient
    /// only, so a campaign goes on with its other rows meanwhile.
    Pair,
}

/// A sent row's delivery as the log has it (webhooks, the sandbox's timeline).
#[derive(Serialize, Deserialize, Clone, Debug)]
pub struct Delivery {
    pub row: u64,
    pub status: Status,
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
    Limited { retry_after_ms: i64, scope: Scope },
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
