//! What the walkers read a value through: the owned tree (`&Value`) or a tape
//! cursor. Every walker is written against [`Read`] and runs over either; they
//! moved one at a time (#28, step 4), each compared over both on every golden
//! case and under fuzzing (`validate_json_tape`).

use super::tape::Cursor;
use super::{Map, Value};

/// The JSON type of a value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Null,
    Bool,
    Number,
    String,
    Array,
    Object,
}

impl Kind {
    /// How an issue names it: "a string", "an object".
    pub fn describe(self) -> &'static str {
        match self {
            Kind::Null => "null",
            Kind::Bool => "a boolean",
            Kind::Number => "a number",
            Kind::String => "a string",
            Kind::Array => "an array",
            Kind::Object => "an object",
        }
    }
}

/// A JSON value as the walkers read it.
pub trait Read<'a>: Copy {
    fn kind(self) -> Kind;
    fn as_str(self) -> Option<&'a str>;
    fn as_bool(self) -> Option<bool>;
    /// A number's JSON text, as written.
    fn number(self) -> Option<&'a str>;
    /// An object's field (`None` for another value).
    fn get(self, key: &str) -> Option<Self>;
    /// An object's fields in order, each key once; nothing for another value.
    fn fields(self) -> impl Iterator<Item = (&'a str, Self)>;
    /// An array's items in order; nothing for another value.
    fn items(self) -> impl Iterator<Item = Self>;
    /// An array's item count; 0 for another value.
    fn count(self) -> usize;

    fn is_null(self) -> bool {
        self.kind() == Kind::Null
    }
}

impl<'a> Read<'a> for &'a Value {
    fn kind(self) -> Kind {
        match self {
            Value::Null => Kind::Null,
            Value::Bool(_) => Kind::Bool,
            Value::Number(_) => Kind::Number,
            Value::String(_) => Kind::String,
            Value::Array(_) => Kind::Array,
            Value::Object(_) => Kind::Object,
        }
    }

    fn as_str(self) -> Option<&'a str> {
        Value::as_str(self)
    }

    fn as_bool(self) -> Option<bool> {
        Value::as_bool(self)
    }

    fn number(self) -> Option<&'a str> {
        match self {
            Value::Number(n) => Some(n.as_str()),
            _ => None,
        }
    }

    fn get(self, key: &str) -> Option<Self> {
        Value::get(self, key)
    }

    fn fields(self) -> impl Iterator<Item = (&'a str, Self)> {
        static EMPTY: Map = Map(Vec::new());
        self.as_object().unwrap_or(&EMPTY).iter()
    }

    fn items(self) -> impl Iterator<Item = Self> {
        self.as_array().map_or(&[][..], Vec::as_slice).iter()
    }

    fn count(self) -> usize {
        self.as_array().map_or(0, Vec::len)
    }
}

impl<'a> Read<'a> for Cursor<'a> {
    fn kind(self) -> Kind {
        Cursor::kind(&self)
    }

    fn as_str(self) -> Option<&'a str> {
        Cursor::as_str(&self)
    }

    fn as_bool(self) -> Option<bool> {
        Cursor::as_bool(&self)
    }

    fn number(self) -> Option<&'a str> {
        self.number_text()
    }

    #[inline]
    fn get(self, key: &str) -> Option<Self> {
        Cursor::get(&self, key)
    }

    fn fields(self) -> impl Iterator<Item = (&'a str, Self)> {
        Cursor::fields(&self)
    }

    fn items(self) -> impl Iterator<Item = Self> {
        Cursor::items(&self)
    }

    fn count(self) -> usize {
        if self.is_array() {
            self.len()
        } else {
            0
        }
    }
}
