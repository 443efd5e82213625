//! Every error code the Worker answers with, in one enum: the response helpers
//! and the campaign rows take it, so a code is an `ErrorCode` where it is
//! written; the enum, its list and its names are one declaration (`codes!`),
//! and a test holds `openapi.yaml` to the list.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Declares the enum, its names, and `ALL` from one table, so that no code can
/// be in one and missing from another.
macro_rules! codes {
    ($($variant:ident => $name:literal,)*) => {
        /// The `code` of an error body (`{"message", "status": "error", "code"}`),
        /// and of a campaign row's error.
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum ErrorCode {
            $($variant,)*
        }

        impl ErrorCode {
            /// Every code, in the order of their names.
            pub const ALL: &[ErrorCode] = &[$(ErrorCode::$variant,)*];

            pub fn as_str(self) -> &'static str {
                match self {
                    $(ErrorCode::$variant => $name,)*
                }
            }
        }
    };
}

codes! {
    BadSignature => "bad_signature",
    BodyTimeout => "body_timeout",
    CampaignState => "campaign_state",
    DeliveryFailed => "delivery_failed",
    Forbidden => "forbidden",
    IdempotencyInFlight => "idempotency_in_flight",
    IdempotencyKeyReused => "idempotency_key_reused",
    Internal => "internal",
    InvalidBody => "invalid_body",
    InvalidCampaign => "invalid_campaign",
    InvalidCursor => "invalid_cursor",
    InvalidEvent => "invalid_event",
    InvalidIdempotencyKey => "invalid_idempotency_key",
    InvalidJson => "invalid_json",
    InvalidLimit => "invalid_limit",
    InvalidList => "invalid_list",
    InvalidPayload => "invalid_payload",
    InvalidPhone => "invalid_phone",
    ListTooLong => "list_too_long",
    MethodNotAllowed => "method_not_allowed",
    NotFound => "not_found",
    PayloadTooLarge => "payload_too_large",
    RateLimited => "rate_limited",
    RecipientOptedOut => "recipient_opted_out",
    SenderNotConfigured => "sender_not_configured",
    StorageUnavailable => "storage_unavailable",
    TemplateNotApproved => "template_not_approved",
    TemplateNotFound => "template_not_found",
    TemplatesUnavailable => "templates_unavailable",
    TooManyFailedAuthentications => "too_many_failed_authentications",
    Unauthorized => "unauthorized",
    UnknownAccount => "unknown_account",
    UnsupportedMediaType => "unsupported_media_type",
    UpstreamAuth => "upstream_auth",
    UpstreamError => "upstream_error",
    UpstreamRateLimited => "upstream_rate_limited",
    UpstreamRejected => "upstream_rejected",
    UpstreamTimeout => "upstream_timeout",
    UpstreamUnavailable => "upstream_unavailable",
    UpstreamUnreachable => "upstream_unreachable",
    WebhooksNotConfigured => "webhooks_not_configured",
}

impl ErrorCode {
    pub fn parse(s: &str) -> Option<ErrorCode> {
        ErrorCode::ALL.iter().copied().find(|c| c.as_str() == s)
    }
}

impl Serialize for ErrorCode {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for ErrorCode {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        ErrorCode::parse(&s).ok_or_else(|| serde::de::Error::custom(format!("unknown code {s}")))
    }
}

#[cfg(test)]
mod tests {
    use super::ErrorCode;

    /// The codes `openapi.yaml` lists for the `Error` schema's `code`.
    fn documented() -> Vec<String> {
        let spec = include_str!("../../openapi.yaml");
        let error = spec
            .split("\n    Error:\n")
            .nth(1)
            .expect("an Error schema");
        let code = error.split("\n        code:\n").nth(1).expect("Error.code");
        let list = code
            .split("enum: [")
            .nth(1)
            .and_then(|l| l.split(']').next())
            .expect("Error.code has an enum");
        list.split(',')
            .map(|c| c.trim().to_owned())
            .filter(|c| !c.is_empty())
            .collect()
    }

    #[test]
    fn every_code_the_worker_answers_is_in_openapi() {
        let documented = documented();
        for code in ErrorCode::ALL {
            assert!(
                documented.iter().any(|d| d == code.as_str()),
                "openapi.yaml lacks {}",
                code.as_str()
            );
        }
        for d in &documented {
            assert!(
                ErrorCode::ALL.iter().any(|c| c.as_str() == d),
                "openapi.yaml lists {d}, which the Worker never answers"
            );
        }
    }

    #[test]
    fn the_failure_table_names_codes_the_worker_answers() {
        for rule in wasend::failures::FAILURES {
            for code in rule
                .codes
                .iter()
                .filter(|c| **c != wasend::failures::NETWORK)
            {
                assert!(
                    ErrorCode::ALL.iter().any(|c| c.as_str() == *code),
                    "wasend::failures names {code}, which the Worker never answers"
                );
            }
            // And the code it answers a Meta error on the line with.
            if let Some(a) = rule.answer {
                assert!(ErrorCode::parse(a.code).is_some(), "{}", a.code);
            }
        }
        for fallback in ["upstream_rejected", "upstream_error"] {
            assert!(ErrorCode::parse(fallback).is_some(), "{fallback}");
        }
    }
}
