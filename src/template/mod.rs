//! Approved templates put to use: the inputs a definition asks for, a send
//! filled from them, and previews of any message as the recipient will read it.
//! The definition itself is `crate::definition`, and the checks of a payload
//! against it are `validate`'s: this module sits above both.

mod fields;
mod render;

pub use fields::{
    fill_template, lookup, named_in, template_fields, FieldIssue, FieldKind, Fields, Filled,
    Filler, Lookup, TemplateField, TO,
};
pub use render::{preview, Rendered, RenderedButton, RenderedHeader};

pub(crate) use crate::definition::{
    button_takes_parameter, placeholders, sub_type_of, Placeholders,
};
pub use crate::definition::{DefinitionButton, DefinitionComponent, TemplateDefinition};
