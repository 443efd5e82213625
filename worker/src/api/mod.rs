//! The `/api/*` handlers by family, each called by the route table
//! (`routes.rs`) with what the route read; the campaigns' are `campaigns/api.rs`.

pub mod health;
pub mod messages;
pub mod send;
pub mod subscriptions;
pub mod suppressions;
pub mod templates;
pub mod webhooks;
