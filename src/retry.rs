//! What follows a failed attempt: one policy over the failure table
//! ([`crate::failures`]) for every face that tries again: the Worker's campaign
//! runner and the npm send client ask [`next`], and decide nothing themselves.
//! Each brings its own [`Backoff`] (a campaign is patient, a client a person
//! waits on is not, and the client's options may change it); the table says
//! which answers are tried again at all, and how.

use crate::client;
use crate::failures::{FailureRule, Retry};

/// How the attempts of a [`Retry::Backoff`] answer are spaced: full jitter,
/// uniform in `[0, min(max_ms, first_ms · 2^(attempt − 1))]`, and never before the
/// answer's own `Retry-After`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Backoff {
    pub first_ms: f64,
    pub max_ms: f64,
    /// Attempts in all, the first included.
    pub attempts: u32,
    /// A `Retry-After` longer than this is not waited for: the answer stands.
    pub longest_wait_ms: f64,
}

impl Backoff {
    /// A campaign's rows: background work, tried for minutes.
    pub const CAMPAIGN: Backoff = Backoff {
        first_ms: 1_000.0,
        max_ms: 60_000.0,
        attempts: 8,
        longest_wait_ms: f64::INFINITY,
    };

    /// The Worker's own attempts at the provider within one send: only answers
    /// that certainly sent nothing get here (the provider's 429 and 500, a refused
    /// connection), tried again quickly, three attempts at most; a `Retry-After`
    /// over two seconds goes back to the client instead of being waited out.
    pub const UPSTREAM: Backoff = Backoff {
        first_ms: 250.0,
        max_ms: 1_000.0,
        attempts: 3,
        longest_wait_ms: 2_000.0,
    };

    /// The npm client's, from its options' defaults (`crate::client`); its options
    /// change each.
    #[allow(clippy::cast_precision_loss, clippy::cast_possible_truncation)]
    pub const CLIENT: Backoff = Backoff {
        first_ms: client::DEFAULT_BASE_DELAY_MS as f64,
        max_ms: client::DEFAULT_MAX_DELAY_MS as f64,
        attempts: client::DEFAULT_RETRIES as u32 + 1,
        longest_wait_ms: client::DEFAULT_MAX_RETRY_AFTER_MS as f64,
    };

    /// The wait before attempt `attempt + 1`, with `random` in `[0, 1)`.
    fn delay_ms(&self, attempt: u32, random: f64) -> f64 {
        let exponent = i32::try_from(attempt.saturating_sub(1))
            .unwrap_or(i32::MAX)
            .min(60);
        (self.first_ms * 2f64.powi(exponent)).min(self.max_ms) * random.clamp(0.0, 1.0)
    }
}

/// What to do after attempt `attempt` (counted from 1) was answered with a failure.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Next {
    /// Try again once this many milliseconds have passed.
    Retry { after_ms: f64 },
    /// The template is at fault: a campaign pauses, its row waiting for it.
    Pause,
    /// Nothing was sent and nothing will be (the recipient opted out): a
    /// campaign's row is skipped.
    Skip,
    /// The answer stands. `gave_up`: it could have been tried again, but the
    /// attempts (or the longest wait) ran out.
    Fail { gave_up: bool },
}

/// The policy: the answer's line of the table, the attempt that was just
/// answered, the answer's `Retry-After` in milliseconds, the caller's backoff and
/// a random number in `[0, 1)` for the jitter.
pub fn next(
    line: &FailureRule,
    attempt: u32,
    retry_after_ms: Option<f64>,
    backoff: &Backoff,
    random: f64,
) -> Next {
    if line.pauses {
        return Next::Pause;
    }
    if line.skips {
        return Next::Skip;
    }
    let wait = retry_after_ms.unwrap_or(0.0).max(0.0);
    match line.retry {
        Retry::Never => Next::Fail { gave_up: false },
        Retry::Backoff if attempt < backoff.attempts && wait <= backoff.longest_wait_ms => {
            Next::Retry {
                after_ms: wait.max(backoff.delay_ms(attempt, random)),
            }
        }
        Retry::After { ms, attempts } if attempt < attempts => {
            #[allow(clippy::cast_precision_loss)]
            let ms = ms as f64;
            Next::Retry {
                after_ms: wait.max(ms),
            }
        }
        Retry::Backoff | Retry::After { .. } => Next::Fail { gave_up: true },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::failures::line_for;

    const CAMPAIGN: Backoff = Backoff::CAMPAIGN;

    #[test]
    fn transient_answers_are_tried_again_with_backoff_then_given_up() {
        let line = line_for(Some(429), Some("upstream_rate_limited"), None);
        assert_eq!(
            next(line, 1, None, &CAMPAIGN, 0.5),
            Next::Retry { after_ms: 500.0 }
        );
        assert_eq!(
            next(line, 3, None, &CAMPAIGN, 1.0),
            Next::Retry { after_ms: 4_000.0 }
        );
        // The ceiling, then the answer's own Retry-After when it is longer.
        assert_eq!(
            next(line, 7, None, &CAMPAIGN, 1.0),
            Next::Retry { after_ms: 60_000.0 }
        );
        assert_eq!(
            next(line, 2, Some(30_000.0), &CAMPAIGN, 0.1),
            Next::Retry { after_ms: 30_000.0 }
        );
        assert_eq!(
            next(line, 8, None, &CAMPAIGN, 0.5),
            Next::Fail { gave_up: true }
        );
        // A client does not wait longer than it was told to.
        assert_eq!(
            next(line, 1, Some(61_000.0), &Backoff::CLIENT, 0.5),
            Next::Fail { gave_up: true }
        );
        for code in ["network", "idempotency_in_flight", "internal"] {
            assert!(matches!(
                next(
                    line_for(None, Some(code), None),
                    1,
                    None,
                    &Backoff::CLIENT,
                    0.0
                ),
                Next::Retry { .. }
            ));
        }
    }

    #[test]
    fn other_classes_wait_pause_skip_or_stand() {
        let wait = line_for(Some(400), None, Some("(#131049) held back"));
        assert_eq!(
            next(wait, 1, None, &CAMPAIGN, 0.9),
            Next::Retry {
                after_ms: 86_400_000.0
            }
        );
        assert_eq!(
            next(wait, 2, None, &CAMPAIGN, 0.9),
            Next::Fail { gave_up: true }
        );
        let template = line_for(Some(400), None, Some("(#132015) paused"));
        assert_eq!(next(template, 1, None, &CAMPAIGN, 0.0), Next::Pause);
        let opted_out = line_for(Some(409), Some("recipient_opted_out"), None);
        assert_eq!(next(opted_out, 1, None, &CAMPAIGN, 0.0), Next::Skip);
        for (status, code, message) in [
            (Some(504), Some("upstream_timeout"), None),
            (Some(400), Some("invalid_payload"), None),
            (Some(400), None, Some("(#131026) undeliverable")),
            (Some(418), None, None),
        ] {
            assert_eq!(
                next(line_for(status, code, message), 1, None, &CAMPAIGN, 0.5),
                Next::Fail { gave_up: false },
                "{status:?} {code:?} {message:?}"
            );
        }
    }

    #[test]
    fn the_workers_own_attempts_are_few_and_short() {
        let up = Backoff::UPSTREAM;
        let busy = line_for(Some(429), None, None);
        // A provider asking for two seconds is waited for; three is the client's to wait.
        assert_eq!(
            next(busy, 1, Some(2_000.0), &up, 0.0),
            Next::Retry { after_ms: 2_000.0 }
        );
        assert_eq!(
            next(busy, 1, Some(3_000.0), &up, 0.0),
            Next::Fail { gave_up: true }
        );
        let failed = line_for(Some(500), None, None);
        assert!(
            matches!(next(failed, 2, None, &up, 1.0), Next::Retry { after_ms } if after_ms <= 1_000.0)
        );
        assert_eq!(
            next(failed, 3, None, &up, 0.5),
            Next::Fail { gave_up: true }
        );
        // Only answers that sent nothing reach this policy; the table still decides.
        let unknown = line_for(Some(504), Some("upstream_timeout"), None);
        assert_eq!(
            next(unknown, 1, None, &up, 0.5),
            Next::Fail { gave_up: false }
        );
    }
}
