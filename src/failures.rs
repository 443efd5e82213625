//! Why a send failed, as a class that says what to do about it: one table for
//! the campaigns (retry, wait, pause, suppress), the npm client and the page.
//!
//! The provider passes Meta's error code in its messages (`(#132000) Number of
//! parameters…`); [`meta_code`] reads it from there.

use crate::json::{Map, Number, Value};

/// What a failure means for the next attempt.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FailureClass {
    /// Try again with backoff, inside the limits (429, the provider's 500, Meta 130429, 131000, 131056).
    Transient,
    /// Not now: Meta held a marketing message back (131049); try again in 24 hours.
    Wait,
    /// Outside the 24-hour window (131047): only a template reaches this recipient.
    NeedsTemplate,
    /// The recipient cannot get it (131026), or stopped marketing messages (131050: suppressed).
    Recipient,
    /// The template is at fault (132000–132016): a campaign pauses itself.
    Template,
    /// Whether it was sent is not known (no answer in time, or the connection
    /// dropped after the request left): never sent again, so never twice.
    Unknown,
    /// Anything else: no attempt will succeed as it is.
    Permanent,
}

impl FailureClass {
    pub const ALL: [FailureClass; 7] = [
        FailureClass::Transient,
        FailureClass::Wait,
        FailureClass::NeedsTemplate,
        FailureClass::Recipient,
        FailureClass::Template,
        FailureClass::Unknown,
        FailureClass::Permanent,
    ];

    pub fn parse(s: &str) -> Option<FailureClass> {
        FailureClass::ALL.into_iter().find(|c| c.as_str() == s)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            FailureClass::Transient => "transient",
            FailureClass::Wait => "wait",
            FailureClass::NeedsTemplate => "needs_template",
            FailureClass::Recipient => "recipient",
            FailureClass::Template => "template",
            FailureClass::Unknown => "unknown",
            FailureClass::Permanent => "permanent",
        }
    }
}

/// Whether, and when, an answer of a class is tried again (see [`crate::retry`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Retry {
    /// Never: no attempt will be answered otherwise.
    Never,
    /// With the caller's backoff (a campaign's or the send client's), at least the
    /// answer's own `Retry-After`.
    Backoff,
    /// Once `ms` have passed, up to `attempts` attempts in all.
    After { ms: u64, attempts: u32 },
}

/// One line of the table: which answers fall in a class, and what follows.
#[derive(Clone, Copy, Debug)]
pub struct FailureRule {
    pub class: FailureClass,
    /// HTTP statuses of the Worker's or the provider's answer (without a Meta code).
    pub http: &'static [u16],
    /// Meta error codes, as inclusive ranges.
    pub meta: &'static [(u32, u32)],
    /// wasend's own error codes (the Worker's answers' `code`, and the send client's
    /// `network` for a request that got no answer).
    pub codes: &'static [&'static str],
    pub retry: Retry,
    /// The recipient is added to the suppression list.
    pub suppresses: bool,
    /// A campaign pauses itself and says why.
    pub pauses: bool,
    /// How the Worker answers an upstream error on this line that names a Meta
    /// code (the Meta dialect's errors); `None`: the upstream's own status when it
    /// is a 4xx (else 502), with `upstream_rejected`.
    pub answer: Option<Answer>,
    /// Nothing was sent and nothing will be: a campaign's row is skipped, not failed.
    pub skips: bool,
    pub what: &'static str,
}

/// The Worker's answer to an upstream's refusal: its HTTP status and wasend code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Answer {
    pub status: u16,
    pub code: &'static str,
}

/// The code a caller gives a request that got no answer at all (the connection
/// failed or dropped): no server answers it, so it is only ever the caller's own.
pub const NETWORK: &str = "network";

/// The code of a send refused because the recipient opted out, and of a
/// campaign row skipped for the same reason.
pub const OPTED_OUT: &str = "recipient_opted_out";

const DAY_MS: u64 = 24 * 60 * 60 * 1000;

/// The table, most specific first: a Meta code decides before an HTTP status.
pub static FAILURES: &[FailureRule] = &[
    FailureRule {
        class: FailureClass::Transient,
        http: &[429],
        // 4 and 80007: the app's and the account's call limits; 130429: throughput;
        // 131048: spam rate limit; 131056: the pair rate limit (one recipient).
        meta: &[(4, 4), (80_007, 80_007), (130_429, 130_429), (131_048, 131_048), (131_056, 131_056)],
        codes: &[
            "rate_limited",
            "upstream_rate_limited",
            "idempotency_in_flight",
            "too_many_failed_authentications",
        ],
        retry: Retry::Backoff,
        suppresses: false,
        pauses: false,
        skips: false,
        answer: Some(Answer { status: 429, code: "upstream_rate_limited" }),
        what: "a limit: tried again with backoff, inside the limits, after the answer's Retry-After",
    },
    FailureRule {
        class: FailureClass::Transient,
        http: &[500, 503],
        // 1 and 2: Graph's unknown and temporary errors; 131000: something went
        // wrong; 131016: service overloaded; 133004: server temporarily unavailable.
        meta: &[(1, 2), (131_000, 131_000), (131_016, 131_016), (133_004, 133_004)],
        codes: &[
            "upstream_unavailable",
            "templates_unavailable",
            "internal",
            NETWORK,
        ],
        retry: Retry::Backoff,
        suppresses: false,
        pauses: false,
        skips: false,
        answer: Some(Answer { status: 503, code: "upstream_unavailable" }),
        what: "a passing fault: tried again with backoff, inside the limits",
    },
    FailureRule {
        class: FailureClass::Wait,
        http: &[],
        meta: &[(131_049, 131_049)],
        codes: &[],
        retry: Retry::After {
            ms: DAY_MS,
            attempts: 2,
        },
        suppresses: false,
        pauses: false,
        skips: false,
        answer: None,
        what: "meta held a marketing message back to keep the ecosystem healthy: tried once more a day later",
    },
    FailureRule {
        class: FailureClass::NeedsTemplate,
        http: &[],
        meta: &[(131_047, 131_047)],
        codes: &[],
        retry: Retry::Never,
        suppresses: false,
        pauses: false,
        skips: false,
        answer: None,
        what: "more than 24 hours since the recipient wrote: only a template reaches them",
    },
    FailureRule {
        class: FailureClass::Recipient,
        http: &[],
        meta: &[],
        codes: &[OPTED_OUT],
        retry: Retry::Never,
        suppresses: false,
        pauses: false,
        skips: true,
        answer: None,
        what: "the recipient opted out: nothing was sent (a campaign's row is skipped)",
    },
    FailureRule {
        class: FailureClass::Recipient,
        http: &[],
        meta: &[(131_050, 131_050)],
        codes: &[],
        retry: Retry::Never,
        suppresses: true,
        pauses: false,
        skips: false,
        answer: None,
        what: "the recipient stopped marketing messages: suppressed",
    },
    FailureRule {
        class: FailureClass::Recipient,
        http: &[],
        meta: &[(131_026, 131_026), (131_021, 131_021), (131_030, 131_030), (131_045, 131_045)],
        codes: &[],
        retry: Retry::Never,
        suppresses: false,
        pauses: false,
        skips: false,
        answer: None,
        what: "the message cannot be delivered to this recipient",
    },
    FailureRule {
        class: FailureClass::Template,
        http: &[],
        meta: &[(132_001, 132_001)],
        codes: &["template_not_found"],
        retry: Retry::Never,
        suppresses: false,
        pauses: true,
        skips: false,
        answer: Some(Answer { status: 404, code: "template_not_found" }),
        what: "the template does not exist in that language: the campaign pauses itself",
    },
    FailureRule {
        class: FailureClass::Template,
        http: &[],
        meta: &[(132_015, 132_016)],
        codes: &["template_not_approved"],
        retry: Retry::Never,
        suppresses: false,
        pauses: true,
        skips: false,
        answer: Some(Answer { status: 409, code: "template_not_approved" }),
        what: "the template is paused or disabled: the campaign pauses itself",
    },
    FailureRule {
        class: FailureClass::Template,
        http: &[],
        meta: &[(132_000, 132_016), (132_068, 132_069)],
        codes: &[],
        retry: Retry::Never,
        suppresses: false,
        pauses: true,
        skips: false,
        answer: None,
        what: "the template is at fault (parameters, format, policy): the campaign pauses itself",
    },
    FailureRule {
        class: FailureClass::Unknown,
        http: &[504],
        meta: &[],
        codes: &["upstream_timeout", "upstream_unreachable"],
        retry: Retry::Never,
        suppresses: false,
        pauses: false,
        skips: false,
        answer: None,
        what: "no answer in time, or the connection dropped after sending: whether it was sent is unknown, so it is never sent again",
    },
    FailureRule {
        class: FailureClass::Permanent,
        http: &[],
        // 190: the access token is invalid or expired; 10 and 200–299: it lacks a
        // permission. The proxy's configuration, never the client's request.
        meta: &[(10, 10), (190, 190), (200, 299)],
        codes: &["upstream_auth", "sender_not_configured"],
        retry: Retry::Never,
        suppresses: false,
        pauses: true,
        skips: false,
        answer: Some(Answer { status: 502, code: "upstream_auth" }),
        what: "the proxy's own configuration is at fault (the upstream refused its token or permissions, or no sender is configured): the operator must fix it, and a campaign pauses itself",
    },
    // Last: what no line above names.
    FailureRule {
        class: FailureClass::Permanent,
        http: &[],
        meta: &[],
        codes: &[],
        retry: Retry::Never,
        suppresses: false,
        pauses: false,
        skips: false,
        answer: None,
        what: "anything else: the answer stands, and no attempt would be answered otherwise",
    },
];

/// Meta's error code inside a message, as the provider writes it: `(#132000) …`,
/// `#131047`, or `error 131026`.
pub fn meta_code(message: &str) -> Option<u32> {
    let b = message.as_bytes();
    let mut i = 0;
    while i < b.len() {
        let digits_at = if b[i] == b'#' {
            Some(i + 1)
        } else if b[i..].starts_with(b"error ") {
            Some(i + 6)
        } else {
            None
        };
        if let Some(start) = digits_at {
            let end = b[start..]
                .iter()
                .position(|c| !c.is_ascii_digit())
                .map_or(b.len(), |n| start + n);
            if end - start >= 3 {
                if let Some(n) = crate::numbers::digits_u64(&message[start..end])
                    .and_then(|n| u32::try_from(n).ok())
                {
                    return Some(n);
                }
            }
        }
        i += 1;
    }
    None
}

/// The line a Meta error code falls on, when one names it.
pub fn meta_rule(code: u32) -> Option<&'static FailureRule> {
    FAILURES
        .iter()
        .find(|r| r.meta.iter().any(|&(lo, hi)| (lo..=hi).contains(&code)))
}

/// How the Worker answers an upstream's error with Meta's `code`, sent with HTTP
/// `http_status`: the line's answer, else the upstream's 4xx as `upstream_rejected`
/// (another status as a 502 `upstream_error`).
pub fn meta_answer(code: u32, http_status: u16) -> (Answer, &'static FailureRule) {
    let line = meta_rule(code).unwrap_or(&FAILURES[FAILURES.len() - 1]);
    let answer = line.answer.unwrap_or(if (400..500).contains(&http_status) {
        Answer {
            status: http_status,
            code: "upstream_rejected",
        }
    } else {
        Answer {
            status: 502,
            code: "upstream_error",
        }
    });
    (answer, line)
}

/// The rule an answer falls under: by Meta's code when the message has one, else
/// by HTTP status; `None` is [`FailureClass::Permanent`].
pub fn rule(http_status: Option<u16>, message: Option<&str>) -> Option<&'static FailureRule> {
    rule_for(http_status, None, message)
}

/// The rule a Worker's answer falls under: by Meta's code in its message, then by
/// wasend's `code`, then by HTTP status.
pub fn rule_for(
    http_status: Option<u16>,
    code: Option<&str>,
    message: Option<&str>,
) -> Option<&'static FailureRule> {
    if let Some(r) = message.and_then(meta_code).and_then(meta_rule) {
        return Some(r);
    }
    if let Some(code) = code {
        if let Some(r) = FAILURES.iter().find(|r| r.codes.contains(&code)) {
            return Some(r);
        }
    }
    let status = http_status?;
    FAILURES.iter().find(|r| r.http.contains(&status))
}

/// The line an answer falls under, the table's last ([`FailureClass::Permanent`])
/// when no other names it: every class a face can be told has its line.
pub fn line_for(
    http_status: Option<u16>,
    code: Option<&str>,
    message: Option<&str>,
) -> &'static FailureRule {
    rule_for(http_status, code, message).unwrap_or(&FAILURES[FAILURES.len() - 1])
}

/// The class of an answer (see [`rule`]).
pub fn classify(http_status: Option<u16>, message: Option<&str>) -> FailureClass {
    rule(http_status, message).map_or(FailureClass::Permanent, |r| r.class)
}

/// The table as JSON: `[{class, http, meta: [[lo, hi]], codes, retry: "never" |
/// "backoff" | {after_ms, attempts}, suppresses, pauses, skips, answer: {status,
/// code} | null, what}]`.
pub fn failures_value() -> Value {
    let n = |x: u64| Value::Number(Number::from(x));
    Value::Array(
        FAILURES
            .iter()
            .map(|r| {
                let mut m = Map::new();
                m.insert("class", Value::from(r.class.as_str()));
                m.insert(
                    "http",
                    Value::Array(r.http.iter().map(|&s| n(u64::from(s))).collect()),
                );
                let ranges = r
                    .meta
                    .iter()
                    .map(|&(lo, hi)| Value::Array(vec![n(u64::from(lo)), n(u64::from(hi))]));
                m.insert("meta", Value::Array(ranges.collect()));
                m.insert(
                    "codes",
                    Value::Array(r.codes.iter().map(|&c| Value::from(c)).collect()),
                );
                let retry = match r.retry {
                    Retry::Never => Value::from("never"),
                    Retry::Backoff => Value::from("backoff"),
                    Retry::After { ms, attempts } => {
                        let mut a = Map::new();
                        a.insert("after_ms", n(ms));
                        a.insert("attempts", n(u64::from(attempts)));
                        Value::Object(a)
                    }
                };
                m.insert("retry", retry);
                m.insert("suppresses", Value::Bool(r.suppresses));
                m.insert("pauses", Value::Bool(r.pauses));
                m.insert("skips", Value::Bool(r.skips));
                let answer = r.answer.map_or(Value::Null, |a| {
                    let mut o = Map::new();
                    o.insert("status", n(u64::from(a.status)));
                    o.insert("code", Value::from(a.code));
                    Value::Object(o)
                });
                m.insert("answer", answer);
                m.insert("what", Value::from(r.what));
                Value::Object(m)
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use FailureClass::{NeedsTemplate, Permanent, Recipient, Template, Transient, Wait};

    #[test]
    fn meta_codes_in_messages() {
        assert_eq!(
            meta_code("(#132000) Number of parameters does not match"),
            Some(132_000)
        );
        assert_eq!(
            meta_code("Message failed: #131047 re-engagement"),
            Some(131_047)
        );
        assert_eq!(meta_code("meta error 131026: undeliverable"), Some(131_026));
        assert_eq!(
            meta_code("Outside 24-hour window. Use a template message."),
            None
        );
        assert_eq!(meta_code("order #12 shipped"), None);
        assert_eq!(meta_code("échec ✗ (#131026) non livré"), Some(131_026));
    }

    #[test]
    fn classes_valid() {
        for (status, message, class) in [
            (Some(429), None, Transient),
            (Some(500), None, Transient),
            (Some(400), Some("(#131049) This message was not delivered to maintain healthy ecosystem engagement."), Wait),
            (Some(400), Some("(#131047) Re-engagement message"), NeedsTemplate),
            (Some(400), Some("(#131050) User has stopped marketing messages"), Recipient),
            (Some(400), Some("(#131026) Message undeliverable"), Recipient),
            (Some(400), Some("(#132015) Template is paused"), Template),
            (Some(400), Some("(#132000) Number of parameters does not match"), Template),
            (Some(400), Some("(#130429) Rate limit hit"), Transient),
        ] {
            assert_eq!(classify(status, message), class, "{status:?} {message:?}");
        }
        assert!(rule(Some(400), Some("(#131050) stopped")).is_some_and(|r| r.suppresses));
        assert!(rule_for(Some(409), Some("recipient_opted_out"), None)
            .is_some_and(|r| r.skips && !r.suppresses));
        assert!(rule(Some(400), Some("(#132016) disabled")).is_some_and(|r| r.pauses));
        for (status, code, class) in [
            (Some(504), Some("upstream_timeout"), FailureClass::Unknown),
            (
                Some(502),
                Some("upstream_unreachable"),
                FailureClass::Unknown,
            ),
            (Some(503), Some("upstream_unavailable"), Transient),
            (Some(409), Some("recipient_opted_out"), Recipient),
            (Some(404), Some("template_not_found"), Template),
        ] {
            assert_eq!(
                rule_for(status, code, None).map(|r| r.class),
                Some(class),
                "{status:?} {code:?}"
            );
        }
    }

    /// Every class a face can be told has its line in the table (`classifyFailure`
    /// answers a line of `failureClasses()`, never something beside it).
    #[test]
    fn every_class_has_a_line() {
        for class in FailureClass::ALL {
            assert!(FAILURES.iter().any(|r| r.class == class), "{class:?}");
        }
        assert_eq!(line_for(Some(418), None, None).class, Permanent);
        assert!(std::ptr::eq(
            line_for(Some(418), None, None),
            FAILURES.last().expect("a table")
        ));
    }

    /// Each Meta code the Meta dialect meets, answered with the status, code and
    /// class the table names.
    #[test]
    fn meta_codes_answered() {
        for (code, meta_status, status, answer, class) in [
            (131_047, 400, 400, "upstream_rejected", NeedsTemplate),
            (130_429, 400, 429, "upstream_rate_limited", Transient),
            (80_007, 400, 429, "upstream_rate_limited", Transient),
            (4, 400, 429, "upstream_rate_limited", Transient),
            (131_056, 400, 429, "upstream_rate_limited", Transient),
            (131_026, 400, 400, "upstream_rejected", Recipient),
            (131_050, 400, 400, "upstream_rejected", Recipient),
            (132_000, 400, 400, "upstream_rejected", Template),
            (132_001, 404, 404, "template_not_found", Template),
            (132_012, 400, 400, "upstream_rejected", Template),
            (132_015, 400, 409, "template_not_approved", Template),
            (132_016, 400, 409, "template_not_approved", Template),
            (190, 401, 502, "upstream_auth", Permanent),
            (10, 403, 502, "upstream_auth", Permanent),
            (200, 403, 502, "upstream_auth", Permanent),
            (1, 500, 503, "upstream_unavailable", Transient),
            (2, 503, 503, "upstream_unavailable", Transient),
            (131_000, 500, 503, "upstream_unavailable", Transient),
            (100, 400, 400, "upstream_rejected", Permanent),
            (131_049, 400, 400, "upstream_rejected", Wait),
            (999_999, 500, 502, "upstream_error", Permanent),
        ] {
            let (a, line) = meta_answer(code, meta_status);
            assert_eq!(
                (a.status, a.code, line.class),
                (status, answer, class),
                "{code}"
            );
        }
        // Our own credentials pause a campaign: every row would fail alike.
        assert!(meta_answer(190, 401).1.pauses);
        // A line's answer code names that line again, so a face reading the Worker's
        // answer by its code alone finds the same class.
        for line in FAILURES {
            if let Some(a) = line.answer {
                let again = rule_for(Some(a.status), Some(a.code), None).map(|r| r.class);
                assert_eq!(again, Some(line.class), "{}", a.code);
            }
        }
    }

    #[test]
    fn classes_invalid() {
        for (status, message) in [
            (Some(400), None),
            (Some(404), Some("Contact not found")),
            (None, None),
            (Some(400), Some("(#999999) new")),
            (Some(502), None),
        ] {
            assert_eq!(
                classify(status, message),
                Permanent,
                "{status:?} {message:?}"
            );
        }
    }
}
