//! wasend's core: the send-API message model, every payload rule of
//! `RULES.md`, phone numbers on libphonenumber metadata, template checking
//! against an approved definition, and typed builders.
//!
//! ```
//! let result = wasend::validate_json(
//!     br#"{"to": "+91 98765 43210", "type": "text", "text": "Hello"}"#,
//!     &wasend::Options::default(),
//! );
//! assert!(result.valid);
//! assert_eq!(result.payload.unwrap()["to"], "+919876543210");
//! ```

mod builder;
pub mod campaign;
pub mod client;
mod definition;
pub mod failures;
mod issue;
pub mod json;
pub mod limits;
pub mod meta;
pub mod model;
pub mod numbers;
pub mod optout;
pub mod phone;
pub mod retry;
pub mod status;
pub mod template;
mod validate;

pub use builder::{ButtonsBuilder, ListBuilder, MessageBuilder};
pub use issue::{Code, Issue, Unit};
pub use model::Message;
pub use template::{fill_template, preview, template_fields, Rendered, TemplateDefinition};
pub use validate::{
    normalize_json, validate, validate_json, validate_owned, Normalized, Options, OptionsError,
    ValidationResult,
};
