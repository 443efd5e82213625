//! Every error code the Worker answers with, in one enum: the response helpers
//! take it, and a test holds `openapi.yaml` to the list.

use serde::{Serialize, Serializer};

/// The `code` of an error body (`{"message", "status": "error", "code"}`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorCode {
    BadSignature,
    BodyTimeout,
    CampaignState,
    Forbidden,
    TemplatesUnavailable,
    TemplateNotApproved,
    TemplateNotFound,
    TooManyFailedAuthentications,
    IdempotencyInFlight,
    IdempotencyKeyReused,
    Internal,
    InvalidBody,
    InvalidCampaign,
    InvalidCursor,
    InvalidEvent,
    InvalidIdempotencyKey,
    InvalidJson,
    InvalidLimit,
    InvalidList,
    InvalidPayload,
    InvalidPhone,
    ListTooLong,
    MethodNotAllowed,
    NotFound,
    PayloadTooLarge,
    RateLimited,
    RecipientOptedOut,
    StorageUnavailable,
    Unauthorized,
    UnsupportedMediaType,
    UpstreamError,
    UpstreamRateLimited,
    UpstreamRejected,
    UpstreamTimeout,
    UpstreamUnavailable,
    UpstreamUnreachable,
    WebhooksNotConfigured,
}

impl ErrorCode {
    /// Every code, for the OpenAPI check.
    #[cfg(test)]
    pub const ALL: [ErrorCode; 37] = [
        ErrorCode::BadSignature,
        ErrorCode::BodyTimeout,
        ErrorCode::CampaignState,
        ErrorCode::Forbidden,
        ErrorCode::TemplatesUnavailable,
        ErrorCode::TemplateNotApproved,
        ErrorCode::TemplateNotFound,
        ErrorCode::TooManyFailedAuthentications,
        ErrorCode::IdempotencyInFlight,
        ErrorCode::IdempotencyKeyReused,
        ErrorCode::Internal,
        ErrorCode::InvalidBody,
        ErrorCode::InvalidCampaign,
        ErrorCode::InvalidCursor,
        ErrorCode::InvalidEvent,
        ErrorCode::InvalidIdempotencyKey,
        ErrorCode::InvalidJson,
        ErrorCode::InvalidLimit,
        ErrorCode::InvalidList,
        ErrorCode::InvalidPayload,
        ErrorCode::InvalidPhone,
        ErrorCode::ListTooLong,
        ErrorCode::MethodNotAllowed,
        ErrorCode::NotFound,
        ErrorCode::PayloadTooLarge,
        ErrorCode::RateLimited,
        ErrorCode::RecipientOptedOut,
        ErrorCode::StorageUnavailable,
        ErrorCode::Unauthorized,
        ErrorCode::UnsupportedMediaType,
        ErrorCode::UpstreamError,
        ErrorCode::UpstreamRateLimited,
        ErrorCode::UpstreamRejected,
        ErrorCode::UpstreamTimeout,
        ErrorCode::UpstreamUnavailable,
        ErrorCode::UpstreamUnreachable,
        ErrorCode::WebhooksNotConfigured,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::BadSignature => "bad_signature",
            ErrorCode::CampaignState => "campaign_state",
            ErrorCode::BodyTimeout => "body_timeout",
            ErrorCode::Forbidden => "forbidden",
            ErrorCode::TemplatesUnavailable => "templates_unavailable",
            ErrorCode::TemplateNotApproved => "template_not_approved",
            ErrorCode::TemplateNotFound => "template_not_found",
            ErrorCode::TooManyFailedAuthentications => "too_many_failed_authentications",
            ErrorCode::IdempotencyInFlight => "idempotency_in_flight",
            ErrorCode::IdempotencyKeyReused => "idempotency_key_reused",
            ErrorCode::Internal => "internal",
            ErrorCode::InvalidBody => "invalid_body",
            ErrorCode::InvalidCampaign => "invalid_campaign",
            ErrorCode::InvalidCursor => "invalid_cursor",
            ErrorCode::InvalidEvent => "invalid_event",
            ErrorCode::InvalidIdempotencyKey => "invalid_idempotency_key",
            ErrorCode::InvalidJson => "invalid_json",
            ErrorCode::InvalidLimit => "invalid_limit",
            ErrorCode::InvalidList => "invalid_list",
            ErrorCode::InvalidPayload => "invalid_payload",
            ErrorCode::InvalidPhone => "invalid_phone",
            ErrorCode::ListTooLong => "list_too_long",
            ErrorCode::MethodNotAllowed => "method_not_allowed",
            ErrorCode::NotFound => "not_found",
            ErrorCode::PayloadTooLarge => "payload_too_large",
            ErrorCode::RateLimited => "rate_limited",
            ErrorCode::RecipientOptedOut => "recipient_opted_out",
            ErrorCode::StorageUnavailable => "storage_unavailable",
            ErrorCode::Unauthorized => "unauthorized",
            ErrorCode::UnsupportedMediaType => "unsupported_media_type",
            ErrorCode::UpstreamError => "upstream_error",
            ErrorCode::UpstreamRateLimited => "upstream_rate_limited",
            ErrorCode::UpstreamRejected => "upstream_rejected",
            ErrorCode::UpstreamTimeout => "upstream_timeout",
            ErrorCode::UpstreamUnavailable => "upstream_unavailable",
            ErrorCode::UpstreamUnreachable => "upstream_unreachable",
            ErrorCode::WebhooksNotConfigured => "webhooks_not_configured",
        }
    }
}

impl Serialize for ErrorCode {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
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
        }
    }

    #[test]
    fn no_code_is_written_outside_the_enum() {
        // Error bodies are built by `http::error` and the upstream helpers from an
        // `ErrorCode`; a string literal code in the sources would escape the check above.
        fn sources(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
            for entry in std::fs::read_dir(dir).expect("worker sources") {
                let path = entry.expect("entry").path();
                if path.is_dir() {
                    sources(&path, out);
                } else if path.extension().is_some_and(|e| e == "rs") {
                    out.push(path);
                }
            }
        }
        let mut files = Vec::new();
        sources(
            &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
            &mut files,
        );
        assert!(files.len() > 10, "{files:?}");
        for path in files {
            let text = std::fs::read_to_string(&path).expect("read");
            let literal = ["\"code\"", ": \""].concat();
            assert!(
                !text.contains(&literal),
                "{} writes a code as a string literal",
                path.display()
            );
        }
    }
}
