//! A sent message's delivery status and the order statuses come in, once for
//! every face: the Worker's message log folds events with [`fold`], the npm
//! client's `waitFor` and the composer page's timeline ask [`reached`].
//!
//! `sent` < `delivered` < `read`. `failed` keeps its reason, and is the status
//! only while nothing was delivered: a recipient with several devices can fail
//! on one and read on another, and the provider's retries and out-of-order
//! webhooks must not move a status back.

use crate::json::{Map, Value};

#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Sent,
    Failed,
    Delivered,
    Read,
}

/// The statuses a message passes through when all goes well, in order.
pub const ORDER: [Status; 3] = [Status::Sent, Status::Delivered, Status::Read];

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Sent => "sent",
            Status::Failed => "failed",
            Status::Delivered => "delivered",
            Status::Read => "read",
        }
    }

    pub fn parse(s: &str) -> Option<Status> {
        match s {
            "sent" => Some(Status::Sent),
            "failed" => Some(Status::Failed),
            "delivered" => Some(Status::Delivered),
            "read" => Some(Status::Read),
            _ => None,
        }
    }

    /// Where the status stands in the fold: a later one replaces an earlier one.
    pub fn rank(self) -> u8 {
        self as u8
    }
}

/// A message's status from the set of its events, whatever their order or
/// repetition, and the failure reason if any event failed.
pub fn fold<'a>(
    events: impl IntoIterator<Item = (Status, Option<&'a str>)>,
) -> (Status, Option<String>) {
    let mut best = Status::Sent;
    let mut failure = None;
    for (status, reason) in events {
        if status == Status::Failed {
            failure = Some(reason.unwrap_or("unknown").to_owned());
        }
        best = best.max(status);
    }
    (best, failure)
}

/// Has a message whose status is `current` reached `target`? `failed` is
/// reached only by failing; the others by getting there without failing.
pub fn reached(current: Status, target: Status) -> bool {
    match target {
        Status::Failed => current == Status::Failed,
        _ => current != Status::Failed && current >= target,
    }
}

/// The order as JSON: `{"order": ["sent", "delivered", "read"], "failed": "failed"}`.
pub fn order_value() -> Value {
    let mut m = Map::new();
    let order = ORDER.iter().map(|s| Value::from(s.as_str()));
    m.insert("order", Value::Array(order.collect()));
    m.insert("failed", Value::from(Status::Failed.as_str()));
    Value::Object(m)
}

#[cfg(test)]
mod tests {
    use super::*;
    use Status::{Delivered, Failed, Read, Sent};

    #[test]
    fn fold_ignores_order_and_repeats() {
        assert_eq!(fold([(Sent, None)]).0, Sent);
        assert_eq!(
            fold([(Read, None), (Delivered, None), (Read, None)]).0,
            Read
        );
        assert_eq!(
            fold([(Failed, Some("blocked")), (Sent, None)]),
            (Failed, Some("blocked".into()))
        );
        assert_eq!(
            fold([(Failed, Some("one device")), (Delivered, None)]),
            (Delivered, Some("one device".into()))
        );
        assert_eq!(
            fold([(Delivered, None), (Failed, None)]),
            (Delivered, Some("unknown".into()))
        );
    }

    #[test]
    fn reached_valid() {
        for (current, target) in [
            (Sent, Sent),
            (Delivered, Sent),
            (Read, Delivered),
            (Read, Read),
            (Failed, Failed),
        ] {
            assert!(reached(current, target), "{current:?} reaches {target:?}");
        }
    }

    #[test]
    fn reached_invalid() {
        for (current, target) in [
            (Sent, Delivered),
            (Delivered, Read),
            (Failed, Sent),
            (Read, Failed),
            (Delivered, Failed),
        ] {
            assert!(
                !reached(current, target),
                "{current:?} does not reach {target:?}"
            );
        }
    }
}
