//! Meta's WhatsApp Cloud API, as far as wasend speaks it: a message in Meta's
//! format and in wasend's ([`message`]), Meta's answers to a send read into
//! wasend's ([`answer`]), and wasend answering as Meta does ([`ingress`]). Pure
//! functions over parsed values: the Worker does the I/O, and which answer means
//! what is the failure table's ([`crate::failures`]).

pub mod answer;
pub mod ingress;
pub mod message;

pub use answer::{read_send_answer, MetaError, SendAnswer};
pub use message::{from_meta, to_meta, MetaMessage};
