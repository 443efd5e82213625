//! The typed message model: one Rust type per shape of the send API, with serde
//! giving exactly the provider's JSON. Build values with [`crate::MessageBuilder`]
//! (which validates) or read them with [`Message::from_json`].

use crate::issue::Issue;
use crate::json::{Number, Value};
use crate::validate::{validate, validate_json, Options, ValidationResult};
use serde::de::Error as _;
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A send-API message: `{to, type, <type>: …, whatsapp_account?, context?, biz_opaque_callback_data?}`.
#[derive(Clone, Debug, PartialEq)]
pub struct Message {
    pub to: String,
    pub content: Content,
    pub whatsapp_account: Option<String>,
    pub context: Option<Context>,
    pub biz_opaque_callback_data: Option<String>,
}

/// The message itself, one variant per `type`.
#[derive(Clone, Debug, PartialEq)]
pub enum Content {
    Text(String),
    Template(Template),
    Image(Media),
    Video(Media),
    Document(Media),
    Audio(Media),
    Sticker(Media),
    Interactive(Interactive),
    Location(Location),
    Contacts(Vec<Contact>),
    Reaction(Reaction),
}

impl Content {
    /// The `type` value, which is also the field the content sits in.
    pub fn kind(&self) -> &'static str {
        match self {
            Content::Text(_) => "text",
            Content::Template(_) => "template",
            Content::Image(_) => "image",
            Content::Video(_) => "video",
            Content::Document(_) => "document",
            Content::Audio(_) => "audio",
            Content::Sticker(_) => "sticker",
            Content::Interactive(_) => "interactive",
            Content::Location(_) => "location",
            Content::Contacts(_) => "contacts",
            Content::Reaction(_) => "reaction",
        }
    }
}

/// A reply context: the message this one answers.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Context {
    pub message_id: String,
}

/// An image, video, document, audio or sticker: a `url` (or Meta's name for
/// it, `link`) or a media `id`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Media {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub link: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub caption: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filename: Option<String>,
    /// An audio message sent as a voice note.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub voice: Option<bool>,
}

impl Media {
    pub fn url(url: impl Into<String>) -> Self {
        Media {
            url: Some(url.into()),
            ..Media::default()
        }
    }

    /// Media by `link`, as Meta's payloads name the URL.
    pub fn link(url: impl Into<String>) -> Self {
        Media {
            link: Some(url.into()),
            ..Media::default()
        }
    }

    pub fn id(id: impl Into<String>) -> Self {
        Media {
            id: Some(id.into()),
            ..Media::default()
        }
    }

    /// Sends an audio message as a voice note.
    #[must_use]
    pub fn voice(mut self, voice: bool) -> Self {
        self.voice = Some(voice);
        self
    }

    #[must_use]
    pub fn caption(mut self, caption: impl Into<String>) -> Self {
        self.caption = Some(caption.into());
        self
    }

    #[must_use]
    pub fn filename(mut self, filename: impl Into<String>) -> Self {
        self.filename = Some(filename.into());
        self
    }
}

/// A coordinate as sent: a JSON number, or a string holding one (Meta's examples
/// send strings). Either keeps its form, so `90` stays `90` and `"19.07"` a string.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Coordinate {
    Number(Number),
    Text(String),
}

impl From<Number> for Coordinate {
    fn from(n: Number) -> Self {
        Coordinate::Number(n)
    }
}

/// A pin on a map.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Location {
    pub latitude: Coordinate,
    pub longitude: Coordinate,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
}

impl Location {
    /// A location; a coordinate that is not finite becomes 0 (and fails no rule).
    pub fn new(latitude: f64, longitude: f64) -> Self {
        let n = |x: f64| Number::from_f64(x).unwrap_or_else(|| Number::from(0));
        Location {
            latitude: n(latitude).into(),
            longitude: n(longitude).into(),
            name: None,
            address: None,
        }
    }

    #[must_use]
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    #[must_use]
    pub fn address(mut self, address: impl Into<String>) -> Self {
        self.address = Some(address.into());
        self
    }
}

/// A reaction to a message; an empty `emoji` removes it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Reaction {
    pub message_id: String,
    pub emoji: String,
}

/// A contact card.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Contact {
    pub name: ContactName,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub phones: Vec<ContactPhone>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub emails: Vec<ContactEmail>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub urls: Vec<ContactUrl>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub addresses: Vec<ContactAddress>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub org: Option<ContactOrg>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub birthday: Option<String>,
}

impl Contact {
    pub fn new(formatted_name: impl Into<String>) -> Self {
        Contact {
            name: ContactName {
                formatted_name: formatted_name.into(),
                ..ContactName::default()
            },
            ..Contact::default()
        }
    }

    #[must_use]
    pub fn phone(mut self, phone: impl Into<String>) -> Self {
        self.phones.push(ContactPhone {
            phone: Some(phone.into()),
            ..ContactPhone::default()
        });
        self
    }

    #[must_use]
    pub fn email(mut self, email: impl Into<String>) -> Self {
        self.emails.push(ContactEmail {
            email: Some(email.into()),
            kind: None,
        });
        self
    }
}

macro_rules! optional_strings {
    ($(#[$m:meta])* $name:ident { $($field:ident),* $(,)? } $($rename:literal => $renamed:ident),*) => {
        $(#[$m])*
        #[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
        pub struct $name {
            $(
                #[serde(default, skip_serializing_if = "Option::is_none")]
                pub $field: Option<String>,
            )*
            $(
                #[serde(rename = $rename, default, skip_serializing_if = "Option::is_none")]
                pub $renamed: Option<String>,
            )*
        }
    };
}

/// A contact's name; `formatted_name` is what WhatsApp shows.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ContactName {
    pub formatted_name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub middle_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub suffix: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prefix: Option<String>,
}

optional_strings!(ContactPhone { phone, wa_id } "type" => kind);
optional_strings!(ContactEmail { email } "type" => kind);
optional_strings!(ContactUrl { url } "type" => kind);
optional_strings!(ContactAddress { street, city, state, zip, country, country_code } "type" => kind);
optional_strings!(ContactOrg {
    company,
    department,
    title
});

/// `{ "text": … }`, the body and footer of an interactive message.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Text {
    pub text: String,
}

/// An interactive message's header.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Header {
    Text { text: String },
    Image { image: Media },
    Video { video: Media },
    Document { document: Media },
}

/// An interactive message, one variant per `interactive.type`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Interactive {
    Button {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        header: Option<Header>,
        body: Text,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        footer: Option<Text>,
        action: ButtonAction,
    },
    List {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        header: Option<Header>,
        body: Text,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        footer: Option<Text>,
        action: ListAction,
    },
    CtaUrl {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        header: Option<Header>,
        body: Text,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        footer: Option<Text>,
        action: CtaUrlAction,
    },
    LocationRequestMessage {
        body: Text,
        action: NamedAction,
    },
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ButtonAction {
    pub buttons: Vec<ReplyButton>,
}

/// `{"type": "reply", "reply": {id, title}}`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReplyButton {
    #[serde(rename = "type")]
    pub kind: String,
    pub reply: Reply,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Reply {
    pub id: String,
    pub title: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ListAction {
    pub button: String,
    pub sections: Vec<Section>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Section {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    pub rows: Vec<Row>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Row {
    pub id: String,
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CtaUrlAction {
    pub name: String,
    pub parameters: CtaUrlParameters,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CtaUrlParameters {
    pub display_text: String,
    pub url: String,
}

/// `{"name": "send_location"}`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NamedAction {
    pub name: String,
}

/// A template message: an approved template by name and language, with parameters.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Template {
    pub name: String,
    pub language: Language,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub components: Vec<Component>,
}

/// `"en_US"`, or `{"code": "en_US", "policy": "deterministic"}`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Language {
    Code(String),
    Policy {
        code: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        policy: Option<String>,
    },
}

/// A template component with its parameters.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Component {
    Header {
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        parameters: Vec<Parameter>,
    },
    Body {
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        parameters: Vec<Parameter>,
    },
    Button {
        sub_type: String,
        /// An integer, or a string of digits as Meta's examples write it.
        index: Value,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        parameters: Vec<Parameter>,
    },
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Currency {
    pub fallback_value: String,
    pub code: String,
    pub amount_1000: i64,
}

/// A date and time parameter: the text shown, and Meta's optional fields (which
/// the Cloud API ignores, always showing `fallback_value`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct DateTime {
    pub fallback_value: String,
    /// `1`..`7`, or a day's name, as Meta accepts both.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub day_of_week: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub year: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub month: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub day_of_month: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hour: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub minute: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub calendar: Option<String>,
}

/// A template parameter, one variant per parameter `type`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Parameter {
    Text {
        text: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        parameter_name: Option<String>,
    },
    Currency {
        currency: Currency,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        parameter_name: Option<String>,
    },
    DateTime {
        date_time: DateTime,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        parameter_name: Option<String>,
    },
    Image {
        image: Media,
    },
    Video {
        video: Media,
    },
    Document {
        document: Media,
    },
    Location {
        location: Location,
    },
    Payload {
        payload: String,
    },
    CouponCode {
        coupon_code: String,
    },
    Action {
        action: Value,
    },
}

impl Parameter {
    /// A positional text parameter (`{{1}}`…).
    pub fn text(text: impl Into<String>) -> Self {
        Parameter::Text {
            text: text.into(),
            parameter_name: None,
        }
    }

    /// A named text parameter (`{{first_name}}`).
    pub fn named(name: impl Into<String>, text: impl Into<String>) -> Self {
        Parameter::Text {
            text: text.into(),
            parameter_name: Some(name.into()),
        }
    }

    pub fn currency(
        fallback_value: impl Into<String>,
        code: impl Into<String>,
        amount_1000: i64,
    ) -> Self {
        Parameter::Currency {
            currency: Currency {
                fallback_value: fallback_value.into(),
                code: code.into(),
                amount_1000,
            },
            parameter_name: None,
        }
    }

    pub fn date_time(fallback_value: impl Into<String>) -> Self {
        Parameter::DateTime {
            date_time: DateTime {
                fallback_value: fallback_value.into(),
                ..DateTime::default()
            },
            parameter_name: None,
        }
    }
}

impl Serialize for Message {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(None)?;
        map.serialize_entry("to", &self.to)?;
        let kind = self.content.kind();
        map.serialize_entry("type", kind)?;
        match &self.content {
            Content::Text(t) => map.serialize_entry(kind, t)?,
            Content::Template(t) => map.serialize_entry(kind, t)?,
            Content::Image(m)
            | Content::Video(m)
            | Content::Document(m)
            | Content::Audio(m)
            | Content::Sticker(m) => {
                map.serialize_entry(kind, m)?;
            }
            Content::Interactive(i) => map.serialize_entry(kind, i)?,
            Content::Location(l) => map.serialize_entry(kind, l)?,
            Content::Contacts(c) => map.serialize_entry(kind, c)?,
            Content::Reaction(r) => map.serialize_entry(kind, r)?,
        }
        if let Some(a) = &self.whatsapp_account {
            map.serialize_entry("whatsapp_account", a)?;
        }
        if let Some(c) = &self.context {
            map.serialize_entry("context", c)?;
        }
        if let Some(b) = &self.biz_opaque_callback_data {
            map.serialize_entry("biz_opaque_callback_data", b)?;
        }
        map.end()
    }
}

fn de<T: serde::de::DeserializeOwned, E: serde::de::Error>(v: Value) -> Result<T, E> {
    serde_json::from_value(serde_json::Value::from(v)).map_err(E::custom)
}

impl<'de> Deserialize<'de> for Message {
    /// Reads the shape only; [`Message::from_json`] checks every rule first.
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let mut v = Value::deserialize(d)?;
        let obj = v
            .as_object_mut()
            .ok_or_else(|| D::Error::custom("a message is a json object"))?;
        let field = |obj: &mut crate::json::Map, k: &str| obj.remove(k).filter(|v| !v.is_null());
        let Some(Value::String(to)) = field(obj, "to") else {
            return Err(D::Error::custom("a message needs `to` as a string"));
        };
        let Some(Value::String(kind)) = field(obj, "type") else {
            return Err(D::Error::custom("a message needs `type` as a string"));
        };
        let body = field(obj, &kind).ok_or_else(|| {
            D::Error::custom(format!("a message of type `{kind}` needs `{kind}`"))
        })?;
        let content = match kind.as_str() {
            "text" => Content::Text(de(body)?),
            "template" => Content::Template(de(body)?),
            "image" => Content::Image(de(body)?),
            "video" => Content::Video(de(body)?),
            "document" => Content::Document(de(body)?),
            "audio" => Content::Audio(de(body)?),
            "sticker" => Content::Sticker(de(body)?),
            "interactive" => Content::Interactive(de(body)?),
            "location" => Content::Location(de(body)?),
            "contacts" => Content::Contacts(de(body)?),
            "reaction" => Content::Reaction(de(body)?),
            other => return Err(D::Error::custom(format!("unknown message type `{other}`"))),
        };
        Ok(Message {
            to,
            content,
            whatsapp_account: field(obj, "whatsapp_account").map(de).transpose()?,
            context: field(obj, "context").map(de).transpose()?,
            biz_opaque_callback_data: field(obj, "biz_opaque_callback_data").map(de).transpose()?,
        })
    }
}

impl Message {
    /// Starts a message to `to` (any form RULES.md accepts; the result is normalized).
    pub fn builder(to: impl Into<String>) -> crate::MessageBuilder {
        crate::MessageBuilder::new(to)
    }

    /// Validates raw JSON and reads it into the model (normalized), or returns every error.
    pub fn from_json(bytes: &[u8], options: &Options) -> Result<Self, Vec<Issue>> {
        Self::from_result(validate_json(bytes, options))
    }

    /// Validates a parsed payload and reads it into the model, or returns every error.
    pub fn from_value(value: &Value, options: &Options) -> Result<Self, Vec<Issue>> {
        Self::from_result(validate(value, options))
    }

    pub(crate) fn from_result(result: ValidationResult) -> Result<Self, Vec<Issue>> {
        match result.payload {
            Some(payload) if result.valid => {
                serde_json::from_value(serde_json::Value::from(&payload)).map_err(|e| {
                    // A payload the validator passed but the model cannot hold is a wasend bug:
                    // report it as data rather than panicking.
                    vec![Issue::new(
                        crate::Code::InvalidJson,
                        "",
                        format!("internal: the model cannot hold this payload: {e}"),
                    )]
                })
            }
            _ => Err(result.errors),
        }
    }

    /// The provider's JSON for this message.
    pub fn to_value(&self) -> Value {
        serde_json::to_value(self).map_or(Value::Null, Value::from)
    }
}
