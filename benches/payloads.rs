//! One valid payload of each kind the core's figures are measured on: the speed
//! benches (`benches/core.rs`) and the allocation ceilings (`tests/allocations.rs`)
//! read the same ones.

use serde_json::{json, Value};

pub fn payloads_serde() -> Vec<(&'static str, Value)> {
    let to = "+919876543210";
    vec![
        (
            "text",
            json!({"to": to, "type": "text", "text": "Hello! Your order has been shipped."}),
        ),
        (
            "image",
            json!({"to": to, "type": "image", "image": {"url": "https://example.com/product.jpg", "caption": "Check out our new product!"}}),
        ),
        (
            "document",
            json!({"to": to, "type": "document", "document": {"url": "https://example.com/invoice.pdf", "filename": "invoice.pdf"}}),
        ),
        (
            "buttons",
            json!({"to": to, "type": "interactive", "interactive": {"type": "button", "body": {"text": "How can we help?"},
            "action": {"buttons": [{"type": "reply", "reply": {"id": "sales", "title": "Sales"}}, {"type": "reply", "reply": {"id": "support", "title": "Support"}}]}}}),
        ),
        (
            "list",
            json!({"to": to, "type": "interactive", "interactive": {"type": "list", "header": {"type": "text", "text": "Slots"}, "body": {"text": "Pick a slot"},
            "action": {"button": "View", "sections": [
                {"title": "Morning", "rows": [{"id": "m9", "title": "9:00"}, {"id": "m10", "title": "10:00", "description": "with Dr. Rao"}]},
                {"title": "Evening", "rows": [{"id": "e6", "title": "18:00"}, {"id": "e7", "title": "19:00"}]}]}}}),
        ),
        (
            "cta_url",
            json!({"to": to, "type": "interactive", "interactive": {"type": "cta_url", "body": {"text": "See the menu"},
            "action": {"name": "cta_url", "parameters": {"display_text": "Open", "url": "https://example.com/menu"}}}}),
        ),
        (
            "template",
            json!({"to": to, "type": "template", "template": {"name": "order_confirmation", "language": "en",
            "components": [{"type": "body", "parameters": [{"type": "text", "text": "John"}, {"type": "text", "text": "ORD-789"}]}]}}),
        ),
        (
            "location",
            json!({"to": to, "type": "location", "location": {"latitude": 19.076, "longitude": 72.8777, "name": "Office", "address": "Mumbai"}}),
        ),
        (
            "contacts",
            json!({"to": to, "type": "contacts", "contacts": [{"name": {"formatted_name": "John Smith"}, "phones": [{"phone": "+16505551234", "type": "WORK"}]}]}),
        ),
        (
            "reaction",
            json!({"to": to, "type": "reaction", "reaction": {"message_id": "wamid.HBgLOTE5ODc2NTQzMjEw", "emoji": "👍"}}),
        ),
    ]
}
