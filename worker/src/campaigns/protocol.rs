//! What the Worker asks of a `Campaign` object, and what it answers: one typed
//! request per operation, written by the Worker and read by the object.

use serde::{Deserialize, Serialize};
use serde_json::Value;

#[derive(Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum CampaignOp {
    /// A new campaign: the list as received, prepared here by the core (so that
    /// a 100,000-row list is read once, where its rows are kept): `Creation`.
    Create(Box<Create>),
    /// `Option<Summary>` (`None`: no such campaign).
    Get,
    /// A page of rows in row order: `Option<Rows>`.
    Recipients {
        limit: u32,
        /// The last row of the previous page.
        after: u64,
        status: Option<RowStatus>,
    },
    /// A client's action (a resume once the Worker checked the template again),
    /// as the core's machine allows it: `Option<Summary>`.
    Act { action: Action },
    /// The watchdog: re-arm the alarm of an unfinished campaign: `Woken`.
    Wake,
}

#[derive(Serialize, Deserialize)]
pub struct Create {
    pub id: String,
    pub client: String,
    pub name: String,
    pub template: TemplateRef,
    /// The approved definition, as the Gate found it.
    pub definition: Value,
    /// CSV, a JSON array of rows or NDJSON.
    pub list: String,
    /// `column → input` overrides.
    pub mapping: Vec<(String, String)>,
    /// Identities of the account's suppression list.
    pub suppressed: Vec<String>,
    /// Milliseconds since the epoch; absent: now.
    pub start_at: Option<i64>,
    /// The region national numbers are read in, if any.
    pub default_region: Option<String>,
    /// The `Gate` this account's sends pass (its name).
    pub gate: String,
    /// A digest of the request, when it came with an `Idempotency-Key` (the id is
    /// then the key's): a repeat with the same request finds this campaign.
    pub fingerprint: Option<String>,
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct TemplateRef {
    pub name: String,
    pub language: String,
}

/// What `Create` did.
#[derive(Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum Creation {
    Created {
        summary: Box<Summary>,
        /// Every problem, by row and column, as the core's report has them.
        issues: Vec<Value>,
        /// The rows valid but not sent (`wasend::campaign::Skipped`).
        skipped: Vec<Value>,
    },
    /// The list itself does not fit the template: nothing was created.
    Refused { issues: Vec<Value> },
    /// This id is taken (a repeated request): the first request's digest.
    Exists { fingerprint: Option<String> },
}

pub use wasend::campaign::{Action, CampaignStatus, Change};

/// A row's state in the campaign's own table (`delivered` and `read` come from
/// the message log, through the `Gate`).
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum RowStatus {
    Queued,
    /// Handed to the `Gate`; what became of it is the key's answer there.
    Sending,
    Sent,
    Delivered,
    Read,
    Failed,
    Skipped,
}

impl RowStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            RowStatus::Queued => "queued",
            RowStatus::Sending => "sending",
            RowStatus::Sent => "sent",
            RowStatus::Delivered => "delivered",
            RowStatus::Read => "read",
            RowStatus::Failed => "failed",
            RowStatus::Skipped => "skipped",
        }
    }

    pub fn parse(s: &str) -> Option<RowStatus> {
        [
            RowStatus::Queued,
            RowStatus::Sending,
            RowStatus::Sent,
            RowStatus::Delivered,
            RowStatus::Read,
            RowStatus::Failed,
            RowStatus::Skipped,
        ]
        .into_iter()
        .find(|r| r.as_str() == s)
    }
}

/// A campaign's state, as `GET /api/campaigns/{id}` shows it (counts of the
/// campaign's own table; the Worker moves `sent` rows on by the message log).
#[derive(Serialize, Deserialize, Clone, Debug)]
pub struct Summary {
    pub id: String,
    /// The client that created it (the only one that sees it).
    pub client: String,
    pub name: String,
    pub status: CampaignStatus,
    /// What the client may do now (`CampaignStatus::actions`).
    #[serde(default)]
    pub actions: Vec<Action>,
    pub template: TemplateRef,
    pub total: u64,
    pub valid: u64,
    pub counts: Counts,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub paused_reason: Option<String>,
    pub created: i64,
    pub start_at: i64,
    /// When it finished: present once nothing about it changes again (final,
    /// and every row settled).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub finished: Option<i64>,
}

#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    /// Waiting their turn (rows being sent count here too).
    pub queued: u64,
    pub sent: u64,
    pub delivered: u64,
    pub read: u64,
    pub failed: u64,
    pub skipped: u64,
}

/// A page of rows.
#[derive(Serialize, Deserialize)]
pub struct Rows {
    pub rows: Vec<Recipient>,
    pub more: bool,
}

/// A row's outcome, as the recipients list shows it.
#[derive(Serialize, Deserialize, Clone, Debug)]
pub struct Recipient {
    pub row: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u64>,
    pub to: Option<String>,
    pub status: RowStatus,
    /// Why a row was skipped: `invalid`, `duplicate`, `opted_out`, `cancelled`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<RowError>,
    pub attempts: u32,
}

#[derive(Serialize, Deserialize, Clone, Debug)]
pub struct RowError {
    pub code: String,
    /// The failure class (`wasend::failures`; an opted-out row's is `recipient`
    /// whenever it was found), or `invalid`/`duplicate` for a row skipped as the list was read.
    pub class: String,
    pub message: String,
}

/// What a wake found.
#[derive(Serialize, Deserialize)]
pub struct Woken {
    pub exists: bool,
    /// Nothing left to do: the watchdog may forget it.
    pub done: bool,
}
