//! wasend's core: the send-API message model, every payload rule of
//! `RULES.md`, phone numbers on libphonenumber metadata, template checking
//! against an approved definition, and (feature `model`, on by default) the
//! typed message model and its builders.
//!
//! ```
//! let result = wasend::validate_json(
//!     br#"{"to": "+91 98765 43210", "type": "text", "text": "Hello"}"#,
//!     &wasend::Options::default(),
//! );
//! assert!(result.valid);
//! assert_eq!(result.payload.unwrap()["to"], "+919876543210");
//! ```

#[cfg(feature = "model")]
mod builder;
pub mod campaign;
pub mod client;
mod definition;
pub mod failures;
mod issue;
pub mod json;
pub mod limits;
pub mod meta;
#[cfg(feature = "model")]
pub mod model;
pub mod numbers;
pub mod optout;
pub mod phone;
pub mod retry;
pub mod status;
pub mod template;
mod validate;

#[cfg(feature = "model")]
pub use builder::{ButtonsBuilder, ListBuilder, MessageBuilder};
pub use issue::{Code, Issue, Unit};
#[cfg(feature = "model")]
pub use model::Message;
pub use template::{fill_template, preview, template_fields, Rendered, TemplateDefinition};
pub use validate::{
    normalize_items, normalize_json, validate, validate_json, validate_owned, Normalized, Options,
    OptionsError, ValidationResult,
};
