//! The typed model and its builders: serde round trip over every valid vector,
//! and `*_valid` / `*_invalid` builder tables.
#![cfg(feature = "model")]

use serde_json::{json, Value};
use wasend::json::Value as JsonValue;
use wasend::model::{Contact, Header, Interactive, Location, Media, Parameter, Section, Template};
use wasend::{Code, Message, Options, TemplateDefinition};

fn vector_cases() -> Vec<Value> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/vectors");
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).expect("dir") {
        let path = entry.expect("entry").path();
        if path.extension().is_some_and(|e| e == "json") {
            let file: Value =
                serde_json::from_str(&std::fs::read_to_string(path).expect("read")).expect("json");
            out.extend(file["cases"].as_array().expect("cases").iter().cloned());
        }
    }
    out
}

#[test]
fn every_valid_vector_round_trips_through_the_model() {
    let mut n = 0;
    for case in vector_cases() {
        if case["expect"]["valid"] != json!(true) || case.get("input").is_none() {
            continue;
        }
        let options = Options::from_value(&JsonValue::from(&case["options"])).expect("options");
        let name = case["name"].as_str().unwrap_or("?");
        let msg = Message::from_value(&JsonValue::from(&case["input"]), &options)
            .unwrap_or_else(|e| panic!("{name}: {e:?}"));
        let normalized = wasend::validate(&JsonValue::from(&case["input"]), &options)
            .payload
            .expect("valid");
        assert_eq!(
            msg.to_value(),
            normalized,
            "{name}: model output differs from the normalized payload"
        );
        let again: Message =
            serde_json::from_value(Value::from(&msg.to_value())).expect("deserialize");
        assert_eq!(again, msg, "{name}: serde round trip");
        n += 1;
    }
    assert!(n > 120, "only {n} valid vectors");
}

#[test]
fn builders_valid() {
    let to = "+91 98765 43210";
    let cases: Vec<(&str, Result<Message, Vec<wasend::Issue>>)> = vec![
        ("text", Message::builder(to).text("Hello").build()),
        (
            "image",
            Message::builder(to)
                .image(Media::url("https://example.com/a.jpg").caption("New"))
                .build(),
        ),
        (
            "video",
            Message::builder(to).video(Media::id("123")).build(),
        ),
        (
            "document",
            Message::builder(to)
                .document(Media::url("https://example.com/a.pdf").filename("a.pdf"))
                .build(),
        ),
        (
            "audio",
            Message::builder(to)
                .audio(Media::url("https://example.com/a.ogg"))
                .build(),
        ),
        (
            "sticker",
            Message::builder(to)
                .sticker(Media::url("https://example.com/a.webp"))
                .build(),
        ),
        (
            "buttons",
            Message::builder(to)
                .interactive(
                    Interactive::buttons("How can we help?")
                        .header(Header::Text {
                            text: "Support".into(),
                        })
                        .footer("Reply anytime")
                        .button("sales", "Sales")
                        .button("support", "Support"),
                )
                .build(),
        ),
        (
            "list",
            Message::builder(to)
                .interactive(
                    Interactive::list("Pick a slot", "View slots")
                        .section(
                            Section::new("Morning")
                                .row("m9", "9:00")
                                .row_with_description("m10", "10:00", "with Dr. Rao"),
                        )
                        .section(Section::new("Evening").row("e6", "18:00")),
                )
                .build(),
        ),
        (
            "cta_url",
            Message::builder(to)
                .interactive(Interactive::cta_url(
                    "Menu",
                    "Open",
                    "https://example.com/m",
                ))
                .build(),
        ),
        (
            "location request",
            Message::builder(to)
                .interactive(Interactive::location_request("Where are you?"))
                .build(),
        ),
        (
            "location",
            Message::builder(to)
                .location(Location::new(19.07, 72.87).name("Office").address("Mumbai"))
                .build(),
        ),
        (
            "contacts",
            Message::builder(to)
                .contacts([Contact::new("John Smith")
                    .phone("+16505551234")
                    .email("j@example.com")])
                .build(),
        ),
        (
            "reaction",
            Message::builder(to).reaction("wamid.1", "👍").build(),
        ),
        (
            "template",
            Message::builder(to)
                .template(
                    Template::new("order_confirmation", "en")
                        .body([
                            Parameter::text("John"),
                            Parameter::currency("$10", "USD", 10_000),
                        ])
                        .button("url", 0, Parameter::text("ORD-1")),
                )
                .build(),
        ),
        (
            "reply with account and callback",
            Message::builder("09876543210")
                .default_region("IN")
                .expect("a region")
                .text("Hi")
                .reply_to("wamid.2")
                .whatsapp_account("acc1")
                .callback_data("c")
                .build(),
        ),
    ];
    for (name, result) in cases {
        let msg = result.unwrap_or_else(|e| panic!("{name}: {e:?}"));
        assert_eq!(msg.to, "+919876543210", "{name}: to is normalized");
        assert!(
            wasend::validate(&msg.to_value(), &Options::default()).valid,
            "{name}: output validates"
        );
    }
}

#[test]
fn builders_invalid() {
    let to = "+919876543210";
    let first = |r: Result<Message, Vec<wasend::Issue>>| {
        let e = r.expect_err("should fail");
        (e[0].code, e[0].path.clone())
    };
    assert_eq!(
        first(Message::builder(to).text("").build()),
        (Code::Empty, "/text".into())
    );
    assert_eq!(
        first(Message::builder("not a phone").text("hi").build()),
        (Code::PhoneFormat, "/to".into())
    );
    assert_eq!(
        first(
            Message::builder(to)
                .image(Media::url("https://example.com/a.jpg").caption("x".repeat(1025)))
                .build()
        ),
        (Code::TooLong, "/image/caption".into())
    );
    assert_eq!(
        first(
            Message::builder(to)
                .audio(Media::url("https://example.com/a.mp3").caption("no"))
                .build()
        ),
        (Code::Conflict, "/audio/caption".into())
    );
    let four = Interactive::buttons("b")
        .button("1", "a")
        .button("2", "b")
        .button("3", "c")
        .button("4", "d");
    assert_eq!(
        first(Message::builder(to).interactive(four).build()),
        (Code::TooMany, "/interactive/action/buttons".into())
    );
    assert_eq!(
        first(
            Message::builder(to)
                .interactive(Interactive::buttons("b").button("1", "x".repeat(21)))
                .build()
        ),
        (
            Code::TooLong,
            "/interactive/action/buttons/0/reply/title".into()
        )
    );
    let eleven = (0..11).fold(Section::untitled(), |s, i| s.row(format!("r{i}"), "row"));
    assert_eq!(
        first(
            Message::builder(to)
                .interactive(Interactive::list("b", "open").section(eleven))
                .build()
        ),
        (Code::TooMany, "/interactive/action/sections".into())
    );
    assert_eq!(
        first(
            Message::builder(to)
                .location(Location::new(91.0, 0.0))
                .build()
        ),
        (Code::OutOfRange, "/location/latitude".into())
    );
    assert_eq!(
        first(Message::builder(to).reaction("wamid.1", "ok").build()),
        (Code::InvalidFormat, "/reaction/emoji".into())
    );
    assert_eq!(
        first(
            Message::builder(to)
                .template(Template::new("Bad Name!", "en"))
                .build()
        ),
        (Code::InvalidFormat, "/template/name".into())
    );
    assert_eq!(
        first(Message::builder(to).build()),
        (Code::Required, "/type".into())
    );
    let def = TemplateDefinition::from_json(br#"{"name":"order","language":"en","components":[{"type":"BODY","text":"Hi {{1}}, {{2}}"}]}"#).expect("def");
    assert_eq!(
        first(
            Message::builder(to)
                .template(Template::new("order", "en").body([Parameter::text("a")]))
                .definition(def)
                .build()
        ),
        (
            Code::TemplateParamCount,
            "/template/components/0/parameters".into()
        )
    );
}
