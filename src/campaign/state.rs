//! A campaign's life: its statuses, what a client may do in each, and which are
//! final. The Worker moves a campaign only through these functions and its
//! summary carries their answers (`actions`, `finished`), so the page and the
//! npm client read the machine and copy none of it.

use serde::{Deserialize, Serialize};

#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[serde(rename_all = "snake_case")]
#[must_use]
pub enum CampaignStatus {
    /// Waiting for its start time.
    Scheduled,
    Running,
    /// By the client, a template at fault or the failure rate; rows in flight still settle.
    Paused,
    /// Every row has its outcome.
    Completed,
    /// Its queued rows were skipped; rows in flight still settle.
    Cancelled,
}

/// What a client may ask of a campaign.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    Pause,
    Resume,
    Cancel,
}

/// What an [`Action`] does to a campaign in a status.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Change {
    /// It moves to this status.
    To(CampaignStatus),
    /// It is already where the action leads: answered as it is.
    Already,
    /// It is final: nothing changes it again.
    Final,
}

impl Action {
    pub const ALL: [Action; 3] = [Action::Pause, Action::Resume, Action::Cancel];

    pub fn as_str(self) -> &'static str {
        match self {
            Action::Pause => "pause",
            Action::Resume => "resume",
            Action::Cancel => "cancel",
        }
    }

    pub fn parse(s: &str) -> Option<Action> {
        Action::ALL.into_iter().find(|a| a.as_str() == s)
    }
}

impl CampaignStatus {
    pub const ALL: [CampaignStatus; 5] = [
        CampaignStatus::Scheduled,
        CampaignStatus::Running,
        CampaignStatus::Paused,
        CampaignStatus::Completed,
        CampaignStatus::Cancelled,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            CampaignStatus::Scheduled => "scheduled",
            CampaignStatus::Running => "running",
            CampaignStatus::Paused => "paused",
            CampaignStatus::Completed => "completed",
            CampaignStatus::Cancelled => "cancelled",
        }
    }

    pub fn parse(s: &str) -> Option<CampaignStatus> {
        CampaignStatus::ALL.into_iter().find(|c| c.as_str() == s)
    }

    /// Where a new campaign starts: `started` when its start time has come.
    pub fn initial(started: bool) -> CampaignStatus {
        if started {
            CampaignStatus::Running
        } else {
            CampaignStatus::Scheduled
        }
    }

    /// No action changes it again (its rows in flight may still settle).
    pub fn is_final(self) -> bool {
        matches!(self, CampaignStatus::Completed | CampaignStatus::Cancelled)
    }

    /// New rows are sent only in this status.
    pub fn sends(self) -> bool {
        self == CampaignStatus::Running
    }

    /// What `action` does; `started`: the campaign's start time has come (a
    /// resumed campaign whose start is still ahead waits for it again).
    pub fn on(self, action: Action, started: bool) -> Change {
        use CampaignStatus::{Cancelled, Completed, Paused, Running, Scheduled};
        match (self, action) {
            (Cancelled, Action::Cancel)
            | (Paused, Action::Pause)
            | (Scheduled | Running, Action::Resume) => Change::Already,
            (Completed | Cancelled, _) => Change::Final,
            (Scheduled | Running, Action::Pause) => Change::To(Paused),
            (Paused, Action::Resume) => Change::To(CampaignStatus::initial(started)),
            (_, Action::Cancel) => Change::To(Cancelled),
        }
    }

    /// The actions that change a campaign in this status, in [`Action::ALL`]'s order.
    pub fn actions(self) -> Vec<Action> {
        Action::ALL
            .into_iter()
            .filter(|a| matches!(self.on(*a, true), Change::To(_)))
            .collect()
    }

    /// Its start time has come: a scheduled campaign runs.
    pub fn started(self) -> CampaignStatus {
        match self {
            CampaignStatus::Scheduled => CampaignStatus::Running,
            other => other,
        }
    }

    /// No row is left to send: a running campaign is completed.
    pub fn settled(self) -> CampaignStatus {
        match self {
            CampaignStatus::Running => CampaignStatus::Completed,
            other => other,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use CampaignStatus::{Cancelled, Completed, Paused, Running, Scheduled};

    #[test]
    fn the_machine() {
        let table = [
            (Scheduled, vec![Action::Pause, Action::Cancel]),
            (Running, vec![Action::Pause, Action::Cancel]),
            (Paused, vec![Action::Resume, Action::Cancel]),
            (Completed, vec![]),
            (Cancelled, vec![]),
        ];
        for (status, actions) in table {
            assert_eq!(status.actions(), actions, "{status:?}");
            assert_eq!(status.is_final(), actions.is_empty(), "{status:?}");
            assert_eq!(CampaignStatus::parse(status.as_str()), Some(status));
            assert_eq!(
                serde_json::to_string(&status).expect("status"),
                format!("\"{}\"", status.as_str())
            );
        }
        assert_eq!(Paused.on(Action::Resume, false), Change::To(Scheduled));
        assert_eq!(Paused.on(Action::Resume, true), Change::To(Running));
        assert_eq!(Running.on(Action::Resume, true), Change::Already);
        assert_eq!(Paused.on(Action::Pause, true), Change::Already);
        assert_eq!(Cancelled.on(Action::Cancel, true), Change::Already);
        assert_eq!(Completed.on(Action::Cancel, true), Change::Final);
        assert_eq!(Cancelled.on(Action::Resume, true), Change::Final);
        assert_eq!(Scheduled.started(), Running);
        assert_eq!(Paused.started(), Paused);
        assert_eq!(Running.settled(), Completed);
        assert_eq!(Cancelled.settled(), Cancelled);
        assert!(Running.sends() && !Scheduled.sends() && !Paused.sends());
        for a in Action::ALL {
            assert_eq!(Action::parse(a.as_str()), Some(a));
        }
    }
}
