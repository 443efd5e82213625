//! What the Worker asks of a `Campaign` object, and what it answers: one typed
//! request per operation, written by the Worker and read by the object.

use serde::{Deserialize, Serialize};
use serde_json::Value;

crate::objects::protocol! {
    /// What the Worker asks of a `Campaign` object, each with its answer's type
    /// (`None`: no such campaign).
    pub enum CampaignOp {
        /// A new campaign: the list as received, prepared here by the core (so that
        /// a 100,000-row list is read once, where its rows are kept).
        Create(Create) -> Creation,
        Get(GetCampaign) -> Option<Summary>,
        /// A page of rows in row order.
        Recipients(ListRecipients) -> Option<Rows>,
        /// A client's action (a resume once the Worker checked the template again),
        /// as the core's machine allows it.
        Act(Act) -> Option<Summary>,
        /// The watchdog: re-arm the alarm of an unfinished campaign.
        Wake(Wake) -> Woken,
    }
}

#[derive(Serialize, Deserialize)]
pub struct GetCampaign {}

#[derive(Serialize, Deserialize)]
pub struct ListRecipients {
    pub limit: u32,
    /// The last row of the previous page.
    pub after: u64,
    pub status: Option<RowStatus>,
}

#[derive(Serialize, Deserialize)]
pub struct Act {
    pub action: Action,
}

#[derive(Serialize, Deserialize)]
pub struct Wake {}

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

use crate::codes::ErrorCode;
pub use wasend::campaign::{Action, CampaignStatus, Change};
use wasend::failures::FailureClass;

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

    pub const ALL: [RowStatus; 7] = [
        RowStatus::Queued,
        RowStatus::Sending,
        RowStatus::Sent,
        RowStatus::Delivered,
        RowStatus::Read,
        RowStatus::Failed,
        RowStatus::Skipped,
    ];

    pub fn parse(s: &str) -> Option<RowStatus> {
        RowStatus::ALL.into_iter().find(|r| r.as_str() == s)
    }

    /// The statuses a page of rows may be filtered by (a row `sending` is shown
    /// as `queued`, so it is no filter of its own).
    pub fn filters() -> impl Iterator<Item = RowStatus> {
        RowStatus::ALL
            .into_iter()
            .filter(|s| *s != RowStatus::Sending)
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
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<SkipReason>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<RowError>,
    pub attempts: u32,
}

/// What went wrong with a row. Its code is written only by the constructors,
/// each from a typed code: an answer's `ErrorCode`, a RULES.md `wasend::Code`,
/// or the core's `Skipped` code.
#[derive(Serialize, Deserialize, Clone, Debug)]
pub struct RowError {
    code: String,
    pub class: ErrorClass,
    pub message: String,
}

impl RowError {
    /// A send's answer (or the Worker's own verdict on the row).
    pub fn answered(code: ErrorCode, class: FailureClass, message: String) -> RowError {
        RowError {
            code: code.as_str().to_owned(),
            class: ErrorClass::Failure(class),
            message,
        }
    }

    /// An invalid row: its first issue.
    pub fn invalid(code: wasend::Code, message: String) -> RowError {
        RowError {
            code: code.as_str().to_owned(),
            class: ErrorClass::List(ListProblem::Invalid),
            message,
        }
    }

    /// A row valid but not sent as the list was read; an opt-out has the class
    /// the failure table gives its code, as when it is found at its turn.
    pub fn skipped(s: wasend::campaign::Skipped) -> RowError {
        let class = match wasend::failures::rule_for(None, Some(s.code), None) {
            Some(line) => ErrorClass::Failure(line.class),
            None => ErrorClass::List(ListProblem::Duplicate),
        };
        RowError {
            code: s.code.to_owned(),
            class,
            message: s.message,
        }
    }

    /// As stored.
    pub(super) fn stored(code: String, class: ErrorClass, message: String) -> RowError {
        RowError {
            code,
            class,
            message,
        }
    }

    pub fn code(&self) -> &str {
        &self.code
    }
}

/// Why a row was skipped.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum SkipReason {
    /// Its issues (the list as read).
    Invalid,
    /// The same recipient as an earlier row.
    Duplicate,
    /// The recipient opted out, as the list was read or when its turn came.
    OptedOut,
    /// The campaign was cancelled before its turn.
    Cancelled,
}

impl SkipReason {
    const ALL: [SkipReason; 4] = [
        SkipReason::Invalid,
        SkipReason::Duplicate,
        SkipReason::OptedOut,
        SkipReason::Cancelled,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            SkipReason::Invalid => "invalid",
            SkipReason::Duplicate => "duplicate",
            SkipReason::OptedOut => "opted_out",
            SkipReason::Cancelled => "cancelled",
        }
    }

    pub fn parse(s: &str) -> Option<SkipReason> {
        SkipReason::ALL.into_iter().find(|r| r.as_str() == s)
    }
}

/// A row error's class: the failure table's (`wasend::failures`; an opted-out
/// row's is `recipient` whenever it was found), or what the list reader found.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
#[serde(untagged)]
pub enum ErrorClass {
    Failure(FailureClass),
    List(ListProblem),
}

/// A row skipped as the list was read, for a reason no send answered.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum ListProblem {
    Invalid,
    Duplicate,
}

impl ErrorClass {
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorClass::Failure(c) => c.as_str(),
            ErrorClass::List(ListProblem::Invalid) => "invalid",
            ErrorClass::List(ListProblem::Duplicate) => "duplicate",
        }
    }

    /// As stored; rows stored before opt-outs had the table's class say
    /// `opted_out`, which is the table's `recipient`.
    pub fn parse(s: &str) -> Option<ErrorClass> {
        match (FailureClass::parse(s), s) {
            (Some(c), _) => Some(ErrorClass::Failure(c)),
            (None, "invalid") => Some(ErrorClass::List(ListProblem::Invalid)),
            (None, "duplicate") => Some(ErrorClass::List(ListProblem::Duplicate)),
            (None, "opted_out") => Some(ErrorClass::Failure(FailureClass::Recipient)),
            (None, _) => None,
        }
    }
}

/// What a wake found.
#[derive(Serialize, Deserialize)]
pub struct Woken {
    pub exists: bool,
    /// Nothing left to do: the watchdog may forget it.
    pub done: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn row_classes_and_reasons_read_back_as_written() {
        let classes = FailureClass::ALL
            .into_iter()
            .map(ErrorClass::Failure)
            .chain([ListProblem::Invalid, ListProblem::Duplicate].map(ErrorClass::List));
        for class in classes {
            let json = serde_json::to_string(&class).expect("class");
            assert_eq!(json, format!("\"{}\"", class.as_str()));
            assert_eq!(serde_json::from_str::<ErrorClass>(&json).ok(), Some(class));
            assert_eq!(ErrorClass::parse(class.as_str()), Some(class));
        }
        // A row stored before an opt-out's class was the table's.
        assert_eq!(
            ErrorClass::parse("opted_out"),
            Some(ErrorClass::Failure(FailureClass::Recipient))
        );
        assert_eq!(ErrorClass::parse("nonsense"), None);
        for reason in SkipReason::ALL {
            let json = serde_json::to_string(&reason).expect("reason");
            assert_eq!(json, format!("\"{}\"", reason.as_str()));
            assert_eq!(SkipReason::parse(reason.as_str()), Some(reason));
        }
    }

    #[test]
    fn openapi_lists_every_row_class_and_reason() {
        let spec = include_str!("../../../openapi.yaml");
        let classes: Vec<&str> = FailureClass::ALL
            .into_iter()
            .map(ErrorClass::Failure)
            .chain([ListProblem::Invalid, ListProblem::Duplicate].map(ErrorClass::List))
            .map(ErrorClass::as_str)
            .collect();
        assert!(spec.contains(&format!("class: {{ enum: [{}]", classes.join(", "))));
        let reasons: Vec<&str> = SkipReason::ALL
            .into_iter()
            .map(SkipReason::as_str)
            .collect();
        assert!(spec.contains(&format!("reason: {{ enum: [{}] }}", reasons.join(", "))));
    }

    #[test]
    fn a_row_error_code_comes_from_a_typed_code() {
        let opted_out = wasend::campaign::Skipped {
            row: 1,
            line: None,
            code: wasend::failures::OPTED_OUT,
            message: "m".into(),
            of: None,
        };
        let e = RowError::skipped(opted_out);
        assert_eq!(e.code(), ErrorCode::RecipientOptedOut.as_str());
        assert_eq!(e.class, ErrorClass::Failure(FailureClass::Recipient));
        let duplicate = wasend::campaign::Skipped {
            row: 2,
            line: None,
            code: wasend::campaign::DUPLICATE,
            message: "m".into(),
            of: Some(1),
        };
        assert_eq!(
            RowError::skipped(duplicate).class,
            ErrorClass::List(ListProblem::Duplicate)
        );
        let e = RowError::answered(
            ErrorCode::DeliveryFailed,
            FailureClass::Recipient,
            "m".into(),
        );
        assert_eq!(e.code(), "delivery_failed");
    }
}
