//! Typed builders: compose any message without writing JSON. `build()` runs the
//! same validator as raw payloads, so a builder that would break a rule returns
//! the same `Issue` values, and a valid result carries the normalized `to`.
//!
//! ```
//! use wasend::model::{Interactive, Media};
//! use wasend::Message;
//!
//! let msg = Message::builder("+91 98765 43210")
//!     .interactive(Interactive::buttons("How can we help?").button("sales", "Sales").button("support", "Support"))
//!     .build()
//!     .unwrap();
//! assert_eq!(msg.to, "+919876543210");
//!
//! let err = Message::builder("+919876543210").image(Media::url("https://example.com/a.jpg").caption("x".repeat(1025))).build();
//! assert_eq!(err.unwrap_err()[0].code, wasend::Code::TooLong);
//! ```

use crate::issue::{Code, Issue};
use crate::json::{Map, Number, Value};
use crate::model::{
    ButtonAction, Component, Contact, Content, Context, CtaUrlAction, CtaUrlParameters, Header,
    Interactive, Language, ListAction, Location, Media, Message, NamedAction, Parameter, Reaction,
    Reply, ReplyButton, Row, Section, Template, Text,
};
use crate::template::TemplateDefinition;
use crate::validate::Options;

/// Builds a [`Message`]; see the module documentation.
#[derive(Clone, Debug)]
pub struct MessageBuilder {
    to: String,
    content: Option<Content>,
    whatsapp_account: Option<String>,
    context: Option<Context>,
    biz_opaque_callback_data: Option<String>,
    options: Options,
}

impl MessageBuilder {
    pub fn new(to: impl Into<String>) -> Self {
        MessageBuilder {
            to: to.into(),
            content: None,
            whatsapp_account: None,
            context: None,
            biz_opaque_callback_data: None,
            options: Options::default(),
        }
    }

    fn content(mut self, c: Content) -> Self {
        self.content = Some(c);
        self
    }

    #[must_use]
    pub fn text(self, body: impl Into<String>) -> Self {
        self.content(Content::Text(body.into()))
    }

    #[must_use]
    pub fn image(self, media: Media) -> Self {
        self.content(Content::Image(media))
    }

    #[must_use]
    pub fn video(self, media: Media) -> Self {
        self.content(Content::Video(media))
    }

    #[must_use]
    pub fn document(self, media: Media) -> Self {
        self.content(Content::Document(media))
    }

    #[must_use]
    pub fn audio(self, media: Media) -> Self {
        self.content(Content::Audio(media))
    }

    #[must_use]
    pub fn sticker(self, media: Media) -> Self {
        self.content(Content::Sticker(media))
    }

    #[must_use]
    pub fn interactive(self, interactive: impl Into<Interactive>) -> Self {
        self.content(Content::Interactive(interactive.into()))
    }

    #[must_use]
    pub fn template(self, template: Template) -> Self {
        self.content(Content::Template(template))
    }

    #[must_use]
    pub fn location(self, location: Location) -> Self {
        self.content(Content::Location(location))
    }

    #[must_use]
    pub fn contacts(self, contacts: impl IntoIterator<Item = Contact>) -> Self {
        self.content(Content::Contacts(contacts.into_iter().collect()))
    }

    #[must_use]
    pub fn reaction(self, message_id: impl Into<String>, emoji: impl Into<String>) -> Self {
        self.content(Content::Reaction(Reaction {
            message_id: message_id.into(),
            emoji: emoji.into(),
        }))
    }

    /// Sends from this WhatsApp account instead of the default one.
    #[must_use]
    pub fn whatsapp_account(mut self, account: impl Into<String>) -> Self {
        self.whatsapp_account = Some(account.into());
        self
    }

    /// Makes the message a reply to `message_id`.
    #[must_use]
    pub fn reply_to(mut self, message_id: impl Into<String>) -> Self {
        self.context = Some(Context {
            message_id: message_id.into(),
        });
        self
    }

    #[must_use]
    pub fn callback_data(mut self, data: impl Into<String>) -> Self {
        self.biz_opaque_callback_data = Some(data.into());
        self
    }

    /// Reads a national `to` in this region; a region the phone metadata does
    /// not have is refused here, as every binding refuses it.
    pub fn default_region(mut self, region: &str) -> Result<Self, crate::OptionsError> {
        self.options = self.options.default_region(region)?;
        Ok(self)
    }

    /// Checks a template message against its approved definition.
    #[must_use]
    pub fn definition(mut self, definition: TemplateDefinition) -> Self {
        self.options = self.options.template(definition);
        self
    }

    /// The payload as it stands, before validation.
    pub fn to_value(&self) -> Value {
        match &self.content {
            Some(content) => Message {
                to: self.to.clone(),
                content: content.clone(),
                whatsapp_account: self.whatsapp_account.clone(),
                context: self.context.clone(),
                biz_opaque_callback_data: self.biz_opaque_callback_data.clone(),
            }
            .to_value(),
            None => Value::Object(
                [("to".to_owned(), Value::from(self.to.as_str()))]
                    .into_iter()
                    .collect::<Map>(),
            ),
        }
    }

    /// Validates and returns the normalized message, or every rule it breaks.
    pub fn build(self) -> Result<Message, Vec<Issue>> {
        if self.content.is_none() {
            return Err(vec![Issue::new(
                Code::Required,
                "/type",
                "a message needs content: call text(), image(), …",
            )]);
        }
        Message::from_value(&self.to_value(), &self.options)
    }
}

fn text(t: impl Into<String>) -> Text {
    Text { text: t.into() }
}

/// Builds a reply-button message.
#[derive(Clone, Debug)]
pub struct ButtonsBuilder {
    header: Option<Header>,
    body: String,
    footer: Option<String>,
    buttons: Vec<ReplyButton>,
}

/// Builds a list message.
#[derive(Clone, Debug)]
pub struct ListBuilder {
    header: Option<String>,
    body: String,
    footer: Option<String>,
    button: String,
    sections: Vec<Section>,
}

impl Interactive {
    /// Reply buttons under `body`; add them with [`ButtonsBuilder::button`].
    pub fn buttons(body: impl Into<String>) -> ButtonsBuilder {
        ButtonsBuilder {
            header: None,
            body: body.into(),
            footer: None,
            buttons: Vec::new(),
        }
    }

    /// A list opened by a button labelled `button`; add [`Section`]s.
    pub fn list(body: impl Into<String>, button: impl Into<String>) -> ListBuilder {
        ListBuilder {
            header: None,
            body: body.into(),
            footer: None,
            button: button.into(),
            sections: Vec::new(),
        }
    }

    /// A call-to-action button opening `url`.
    pub fn cta_url(
        body: impl Into<String>,
        display_text: impl Into<String>,
        url: impl Into<String>,
    ) -> Self {
        Interactive::CtaUrl {
            header: None,
            body: text(body),
            footer: None,
            action: CtaUrlAction {
                name: "cta_url".into(),
                parameters: CtaUrlParameters {
                    display_text: display_text.into(),
                    url: url.into(),
                },
            },
        }
    }

    /// Asks the recipient to share their location.
    pub fn location_request(body: impl Into<String>) -> Self {
        Interactive::LocationRequestMessage {
            body: text(body),
            action: NamedAction {
                name: "send_location".into(),
            },
        }
    }
}

impl ButtonsBuilder {
    #[must_use]
    pub fn button(mut self, id: impl Into<String>, title: impl Into<String>) -> Self {
        self.buttons.push(ReplyButton {
            kind: "reply".into(),
            reply: Reply {
                id: id.into(),
                title: title.into(),
            },
        });
        self
    }

    #[must_use]
    pub fn header(mut self, header: Header) -> Self {
        self.header = Some(header);
        self
    }

    #[must_use]
    pub fn footer(mut self, footer: impl Into<String>) -> Self {
        self.footer = Some(footer.into());
        self
    }
}

impl From<ButtonsBuilder> for Interactive {
    fn from(b: ButtonsBuilder) -> Self {
        Interactive::Button {
            header: b.header,
            body: text(b.body),
            footer: b.footer.map(text),
            action: ButtonAction { buttons: b.buttons },
        }
    }
}

impl ListBuilder {
    #[must_use]
    pub fn section(mut self, section: Section) -> Self {
        self.sections.push(section);
        self
    }

    #[must_use]
    pub fn header(mut self, header: impl Into<String>) -> Self {
        self.header = Some(header.into());
        self
    }

    #[must_use]
    pub fn footer(mut self, footer: impl Into<String>) -> Self {
        self.footer = Some(footer.into());
        self
    }
}

impl From<ListBuilder> for Interactive {
    fn from(b: ListBuilder) -> Self {
        Interactive::List {
            header: b.header.map(|t| Header::Text { text: t }),
            body: text(b.body),
            footer: b.footer.map(text),
            action: ListAction {
                button: b.button,
                sections: b.sections,
            },
        }
    }
}

impl Section {
    /// A section; its title is needed when the list has more than one.
    pub fn new(title: impl Into<String>) -> Self {
        Section {
            title: Some(title.into()),
            rows: Vec::new(),
        }
    }

    /// A section without a title (for a single-section list).
    pub fn untitled() -> Self {
        Section {
            title: None,
            rows: Vec::new(),
        }
    }

    #[must_use]
    pub fn row(mut self, id: impl Into<String>, title: impl Into<String>) -> Self {
        self.rows.push(Row {
            id: id.into(),
            title: title.into(),
            description: None,
        });
        self
    }

    #[must_use]
    pub fn row_with_description(
        mut self,
        id: impl Into<String>,
        title: impl Into<String>,
        description: impl Into<String>,
    ) -> Self {
        self.rows.push(Row {
            id: id.into(),
            title: title.into(),
            description: Some(description.into()),
        });
        self
    }
}

impl Template {
    /// A template by approved name and language code (`"en_US"`).
    pub fn new(name: impl Into<String>, language: impl Into<String>) -> Self {
        Template {
            name: name.into(),
            language: Language::Code(language.into()),
            components: Vec::new(),
        }
    }

    #[must_use]
    pub fn header(mut self, parameter: Parameter) -> Self {
        self.components.push(Component::Header {
            parameters: vec![parameter],
        });
        self
    }

    #[must_use]
    pub fn body(mut self, parameters: impl IntoIterator<Item = Parameter>) -> Self {
        self.components.push(Component::Body {
            parameters: parameters.into_iter().collect(),
        });
        self
    }

    /// A button component: `sub_type` (`url`, `quick_reply`, `copy_code`…) at `index`.
    #[must_use]
    pub fn button(mut self, sub_type: impl Into<String>, index: u8, parameter: Parameter) -> Self {
        self.components.push(Component::Button {
            sub_type: sub_type.into(),
            index: Value::Number(Number::from(u32::from(index))),
            parameters: vec![parameter],
        });
        self
    }
}
