//! The error and warning values every face of wasend reports.

use serde::{Deserialize, Serialize};

/// What went wrong (or deserves a look), as named in `RULES.md`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Code {
    InvalidJson,
    Required,
    UnknownField,
    WrongType,
    InvalidEnum,
    Empty,
    TooLong,
    TooShort,
    TooMany,
    TooFew,
    OutOfRange,
    Duplicate,
    Conflict,
    TypeMismatch,
    InvalidUrl,
    InvalidFormat,
    ParamWhitespace,
    PhoneFormat,
    PhoneCountryCode,
    PhoneTooShort,
    PhoneTooLong,
    PhoneInvalid,
    TemplateParamCount,
    TemplateParamName,
    TemplateHeaderFormat,
    TemplateButton,
    TemplateNotFound,
    // Warnings.
    PhoneNormalized,
    PhoneNotMobile,
    PhoneWhatsappId,
    PhoneAmbiguous,
    InsecureUrl,
    MediaExtension,
    LocationAddressHidden,
}

impl Code {
    /// The wire name, as in `RULES.md`.
    pub fn as_str(self) -> &'static str {
        match self {
            Code::InvalidJson => "invalid_json",
            Code::Required => "required",
            Code::UnknownField => "unknown_field",
            Code::WrongType => "wrong_type",
            Code::InvalidEnum => "invalid_enum",
            Code::Empty => "empty",
            Code::TooLong => "too_long",
            Code::TooShort => "too_short",
            Code::TooMany => "too_many",
            Code::TooFew => "too_few",
            Code::OutOfRange => "out_of_range",
            Code::Duplicate => "duplicate",
            Code::Conflict => "conflict",
            Code::TypeMismatch => "type_mismatch",
            Code::InvalidUrl => "invalid_url",
            Code::InvalidFormat => "invalid_format",
            Code::ParamWhitespace => "param_whitespace",
            Code::PhoneFormat => "phone_format",
            Code::PhoneCountryCode => "phone_country_code",
            Code::PhoneTooShort => "phone_too_short",
            Code::PhoneTooLong => "phone_too_long",
            Code::PhoneInvalid => "phone_invalid",
            Code::TemplateParamCount => "template_param_count",
            Code::TemplateParamName => "template_param_name",
            Code::TemplateHeaderFormat => "template_header_format",
            Code::TemplateButton => "template_button",
            Code::TemplateNotFound => "template_not_found",
            Code::PhoneNormalized => "phone_normalized",
            Code::PhoneNotMobile => "phone_not_mobile",
            Code::PhoneWhatsappId => "phone_whatsapp_id",
            Code::PhoneAmbiguous => "phone_ambiguous",
            Code::InsecureUrl => "insecure_url",
            Code::MediaExtension => "media_extension",
            Code::LocationAddressHidden => "location_address_hidden",
        }
    }
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The unit of a limit.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    /// Unicode scalar values (`str::chars`, JavaScript `[...s].length`).
    Chars,
    /// Entries of an array.
    Items,
    /// Digits of a phone number's national significant number.
    Digits,
    /// Parameters of a template component.
    Parameters,
    /// Degrees of latitude or longitude.
    Degrees,
    /// A zero-based position, such as a template button's `index`.
    Index,
}

impl Unit {
    pub fn as_str(self) -> &'static str {
        match self {
            Unit::Chars => "chars",
            Unit::Items => "items",
            Unit::Digits => "digits",
            Unit::Parameters => "parameters",
            Unit::Degrees => "degrees",
            Unit::Index => "index",
        }
    }
}

/// One error or warning: a code, where it is (a JSON Pointer into the submitted
/// payload), a lowercase message, and the limit that was crossed, if any.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Issue {
    pub code: Code,
    pub path: String,
    pub message: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<crate::json::Number>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actual: Option<crate::json::Number>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<Unit>,
    /// The known field an `unknown_field` probably meant.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub suggestion: Option<String>,
}

impl Issue {
    pub fn new(code: Code, path: impl Into<String>, message: impl Into<String>) -> Self {
        Issue {
            code,
            path: path.into(),
            message: message.into(),
            limit: None,
            actual: None,
            unit: None,
            suggestion: None,
        }
    }

    /// Attaches the limit crossed, the value found and their unit.
    #[must_use]
    pub fn with_limit(
        mut self,
        limit: impl Into<crate::json::Number>,
        actual: impl Into<crate::json::Number>,
        unit: Unit,
    ) -> Self {
        self.limit = Some(limit.into());
        self.actual = Some(actual.into());
        self.unit = Some(unit);
        self
    }
}

impl std::fmt::Display for Issue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let path = if self.path.is_empty() {
            "(payload)"
        } else {
            &self.path
        };
        write!(f, "{path}: {} ({})", self.message, self.code)
    }
}

impl std::error::Error for Issue {}

/// Is `c` a character nobody can see (a format or control character, a
/// variation selector): messages name it by code point instead (`U+200E`).
pub(crate) fn is_invisible(c: char) -> bool {
    c.is_control()
        || matches!(c,
            '\u{00AD}' | '\u{034F}' | '\u{061C}' | '\u{115F}' | '\u{1160}' | '\u{17B4}' | '\u{17B5}'
            | '\u{180B}'..='\u{180F}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{206F}' | '\u{3164}' | '\u{FE00}'..='\u{FE0F}' | '\u{FEFF}'
            | '\u{FFA0}' | '\u{FFF0}'..='\u{FFF8}' | '\u{E0000}'..='\u{E0FFF}')
}

/// `s` as a message may quote it: every invisible character, and every
/// whitespace but the plain space, written as its code point (`<U+200E>`).
pub(crate) fn visible(s: &str) -> std::borrow::Cow<'_, str> {
    let hidden = |c: char| is_invisible(c) || (c.is_whitespace() && c != ' ');
    if !s.chars().any(hidden) {
        return s.into();
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if hidden(c) {
            use std::fmt::Write as _;
            let _ = write!(out, "<U+{:04X}>", u32::from(c));
        } else {
            out.push(c);
        }
    }
    out.into()
}
