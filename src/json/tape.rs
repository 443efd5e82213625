//! A parsed text as a tape: one flat list of nodes in document order, each
//! string a span of the input (or, when it had escapes, of one side buffer
//! holding its unescaped text), each container knowing where it ends. Reading a
//! payload this way allocates two buffers however many fields it has, where the
//! tree allocates a `String` per string and a `Vec` per object and array.
//!
//! The same parser builds it as builds the tree (`parse.rs`), so what is
//! accepted, the errors and the canonical flag are the tree's; a repeated key
//! reads as the tree keeps it (its first place, its last value).

use super::keys;
use super::parse::{parse_with, Build, ParseError};
use super::read::Kind;
use super::{equal_runs, Map, Number, Value};
use std::borrow::Cow;

const UNKNOWN: u8 = u8::MAX;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Tag {
    Null,
    True,
    False,
    Number,
    /// A string of the input, without its quotes.
    Str,
    /// A string with escapes, unescaped into the side buffer.
    Unescaped,
    Array,
    Object,
    /// A key of the input; its value is the node after it, unless a repeat of
    /// the key moved it (see `value`).
    Key,
    /// A key with escapes, unescaped into the side buffer.
    UnescapedKey,
}

#[derive(Clone, Copy, Debug)]
struct Node {
    kind: Tag,
    /// A repeated key's later occurrence: read as absent.
    dead: bool,
    /// A key's place in the field-name table (`json/keys.rs`), [`UNKNOWN`] for
    /// a name not in it: a lookup of a known name compares places, not text.
    known: u8,
    /// A span (strings, numbers, keys) or, for a container, its member count.
    start: usize,
    end: usize,
    /// The node after this one's subtree; for a key, the node of its value.
    next: usize,
}

/// A text read into a tape; [`Tape::root`] reads it.
#[derive(Clone, Debug)]
pub struct Tape<'a> {
    input: &'a str,
    side: String,
    nodes: Vec<Node>,
}

/// One value on a tape: the reader the walkers use.
#[derive(Clone, Copy, Debug)]
pub struct Cursor<'t> {
    tape: &'t Tape<'t>,
    at: usize,
}

struct Builder<'a> {
    input: &'a str,
    side: String,
    nodes: Vec<Node>,
}

impl Builder<'_> {
    fn push(&mut self, kind: Tag, start: usize, end: usize) -> usize {
        let at = self.nodes.len();
        self.nodes.push(Node {
            kind,
            dead: false,
            known: UNKNOWN,
            start,
            end,
            next: at + 1,
        });
        at
    }

    /// Where `s` stands: a span of the input when it is a slice of it, else
    /// copied into the side buffer.
    fn span(&mut self, s: Cow<'_, str>) -> (bool, usize, usize) {
        match s {
            Cow::Borrowed(b) => {
                let start = (b.as_ptr() as usize).wrapping_sub(self.input.as_ptr() as usize);
                (true, start, start + b.len())
            }
            Cow::Owned(o) => {
                let start = self.side.len();
                self.side.push_str(&o);
                (false, start, self.side.len())
            }
        }
    }

    fn key_text(&self, n: &Node) -> &str {
        let text = if n.kind == Tag::Key {
            self.input
        } else {
            &self.side
        };
        text.get(n.start..n.end).unwrap_or_default()
    }
}

impl<'a> Build<'a> for Builder<'a> {
    /// The node index of the value.
    type Value = usize;
    /// The container's node index.
    type Open = usize;

    fn begin(&mut self, text: &'a str) {
        self.input = text;
    }

    fn null(&mut self) -> usize {
        self.push(Tag::Null, 0, 0)
    }

    fn boolean(&mut self, b: bool) -> usize {
        self.push(if b { Tag::True } else { Tag::False }, 0, 0)
    }

    fn number(&mut self, text: &'a str) -> usize {
        let (_, start, end) = self.span(Cow::Borrowed(text));
        self.push(Tag::Number, start, end)
    }

    fn string(&mut self, s: Cow<'a, str>) -> usize {
        let (input, start, end) = self.span(s);
        self.push(if input { Tag::Str } else { Tag::Unescaped }, start, end)
    }

    fn open_object(&mut self) -> usize {
        self.push(Tag::Object, 0, 0)
    }

    fn key(&mut self, open: &mut usize, key: Cow<'a, str>, known: Option<usize>) {
        // An escaped key may spell a known name too: its place is looked up.
        let known = match &key {
            Cow::Borrowed(_) => known,
            Cow::Owned(k) => keys::index(k),
        };
        let (input, start, end) = self.span(key);
        let at = self.push(if input { Tag::Key } else { Tag::UnescapedKey }, start, end);
        self.nodes[at].known = known.and_then(|i| u8::try_from(i).ok()).unwrap_or(UNKNOWN);
        self.nodes[*open].start += 1;
    }

    fn member(&mut self, _open: &mut usize, _value: usize) {}

    fn close_object(&mut self, open: usize, distinct: bool) -> (usize, bool) {
        let end = self.nodes.len();
        self.nodes[open].next = end;
        if distinct {
            return (open, false);
        }
        // Keys in order, each with its node; a repeat gives its value to the
        // first occurrence and reads as absent (as the tree keeps it).
        let mut keys: Vec<usize> = Vec::new();
        let mut at = open + 1;
        while at < end {
            keys.push(at);
            at = self.nodes[at + 1].next;
        }
        let groups = equal_runs(keys.iter().map(|&k| Some(self.key_text(&self.nodes[k]))));
        let repeated = !groups.is_empty();
        for (first, later) in groups {
            if let Some(&last) = later.last() {
                self.nodes[keys[first]].next = keys[last] + 1;
            }
            for k in later {
                self.nodes[keys[k]].dead = true;
            }
        }
        (open, repeated)
    }

    fn open_array(&mut self) -> usize {
        self.push(Tag::Array, 0, 0)
    }

    fn item(&mut self, open: &mut usize, _value: usize) {
        self.nodes[*open].start += 1;
    }

    fn close_array(&mut self, open: usize) -> usize {
        self.nodes[open].next = self.nodes.len();
        open
    }
}

impl<'a> Tape<'a> {
    /// Parses one JSON text (as [`parse`](super::parse) does, with its errors)
    /// and says whether it is canonical.
    pub fn parse(bytes: &'a [u8]) -> Result<(Self, bool), ParseError> {
        let mut b = Builder {
            // The parser gives the input once it has checked it (`begin`).
            input: "",
            side: String::new(),
            // A node takes at least two bytes of compact text (`1,`); payloads
            // average six or more, so this is one allocation, never regrown.
            nodes: Vec::with_capacity(bytes.len() / 4 + 4),
        };
        let (_, canonical) = parse_with(bytes, &mut b)?;
        Ok((
            Tape {
                input: b.input,
                side: b.side,
                nodes: b.nodes,
            },
            canonical,
        ))
    }

    /// The text the tape was read from.
    pub fn input(&self) -> &'a str {
        self.input
    }

    /// The text's value.
    pub fn root(&'a self) -> Cursor<'a> {
        Cursor { tape: self, at: 0 }
    }
}

impl<'t> Cursor<'t> {
    fn node(&self) -> &'t Node {
        &self.tape.nodes[self.at]
    }

    fn text(&self, n: &Node, side: bool) -> &'t str {
        let text = if side {
            &self.tape.side
        } else {
            self.tape.input
        };
        text.get(n.start..n.end).unwrap_or_default()
    }

    pub fn kind(&self) -> Kind {
        match self.node().kind {
            // A cursor never stands on a key: it reads as nothing.
            Tag::Null | Tag::Key | Tag::UnescapedKey => Kind::Null,
            Tag::True | Tag::False => Kind::Bool,
            Tag::Number => Kind::Number,
            Tag::Str | Tag::Unescaped => Kind::String,
            Tag::Array => Kind::Array,
            Tag::Object => Kind::Object,
        }
    }

    pub fn is_null(&self) -> bool {
        self.node().kind == Tag::Null
    }

    pub fn as_bool(&self) -> Option<bool> {
        match self.node().kind {
            Tag::True => Some(true),
            Tag::False => Some(false),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&'t str> {
        let n = self.node();
        match n.kind {
            Tag::Str => Some(self.text(n, false)),
            Tag::Unescaped => Some(self.text(n, true)),
            _ => None,
        }
    }

    /// A number's JSON text, as written.
    pub fn number_text(&self) -> Option<&'t str> {
        let n = self.node();
        (n.kind == Tag::Number).then(|| self.text(n, false))
    }

    pub fn is_object(&self) -> bool {
        self.node().kind == Tag::Object
    }

    pub fn is_array(&self) -> bool {
        self.node().kind == Tag::Array
    }

    /// An object's live keys, each with its value's cursor: a repeated key
    /// once, in its first place, with its last value; nothing for another value.
    fn pairs(&self) -> impl Iterator<Item = (&'t Node, Cursor<'t>)> + 't {
        let n = *self.node();
        let tape = self.tape;
        let mut at = self.at + 1;
        let end = if n.kind == Tag::Object { n.next } else { at };
        std::iter::from_fn(move || loop {
            if at >= end {
                return None;
            }
            let key = &tape.nodes[at];
            at = tape.nodes[at + 1].next;
            if !key.dead {
                return Some((key, Cursor { tape, at: key.next }));
            }
        })
    }

    /// An object's fields in order (a repeated key once, in its first place,
    /// with its last value); nothing for another value.
    pub fn fields(&self) -> impl Iterator<Item = (&'t str, Cursor<'t>)> + 't {
        let c = *self;
        self.pairs()
            .map(move |(key, v)| (c.text(key, key.kind == Tag::UnescapedKey), v))
    }

    /// The field `key` of an object: a known name found by its place in the
    /// field-name table, any other by its text.
    #[inline]
    pub fn get(&self, key: &str) -> Option<Cursor<'t>> {
        match keys::index(key).and_then(|i| u8::try_from(i).ok()) {
            Some(i) => self.pairs().find(|(k, _)| k.known == i),
            None => self.pairs().find(|(k, _)| {
                k.known == UNKNOWN && self.text(k, k.kind == Tag::UnescapedKey) == key
            }),
        }
        .map(|(_, v)| v)
    }

    /// An array's items in order; nothing for another value.
    pub fn items(&self) -> impl Iterator<Item = Cursor<'t>> + 't {
        let n = *self.node();
        let tape = self.tape;
        let mut at = self.at + 1;
        let end = if n.kind == Tag::Array { n.next } else { at };
        std::iter::from_fn(move || {
            if at >= end {
                return None;
            }
            let here = at;
            at = tape.nodes[at].next;
            Some(Cursor { tape, at: here })
        })
    }

    /// The number of items of an array, or of fields of an object as written
    /// (repeats included).
    pub fn len(&self) -> usize {
        let n = self.node();
        match n.kind {
            Tag::Array | Tag::Object => n.start,
            _ => 0,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The same value as an owned tree: what the tree parser gives for the text.
    pub fn to_value(&self) -> Value {
        let n = self.node();
        match n.kind {
            // A cursor never stands on a key: it reads as nothing.
            Tag::Null | Tag::Key | Tag::UnescapedKey => Value::Null,
            Tag::True => Value::Bool(true),
            Tag::False => Value::Bool(false),
            Tag::Number => Value::Number(Number::from_checked(self.text(n, false))),
            Tag::Str | Tag::Unescaped => {
                Value::String(self.as_str().unwrap_or_default().to_owned())
            }
            Tag::Array => Value::Array(self.items().map(|c| c.to_value()).collect()),
            Tag::Object => Value::Object(Map::from_distinct(
                self.fields()
                    .map(|(k, v)| (keys::key(k), v.to_value()))
                    .collect(),
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn null_field(v: &Value) -> bool {
        match v {
            Value::Object(m) => m.iter().any(|(_, x)| x.is_null() || null_field(x)),
            Value::Array(a) => a.iter().any(null_field),
            _ => false,
        }
    }

    /// The tape reads `text` as serde_json does (the oracle for every parse,
    /// the fuzz target's too): the same value, accepted or refused alike.
    fn same(text: &str) {
        let tape = Tape::parse(text.as_bytes());
        let oracle = serde_json::from_str::<serde_json::Value>(text);
        match (&tape, &oracle) {
            (Ok((t, canonical)), Ok(v)) => {
                let value = t.root().to_value();
                assert_eq!(value, Value::from(v), "{text}");
                assert_eq!(
                    *canonical,
                    value.to_json() == text && !null_field(&value),
                    "{text}"
                );
            }
            (Err(_), Err(_)) => {}
            _ => panic!("{text}: tape {:?}, serde_json {oracle:?}", tape.map(|_| ())),
        }
    }

    #[test]
    fn the_tape_reads_as_serde_json() {
        for text in [
            r#"{"to":"+919876543210","type":"text","text":"hi \"there\"\n"}"#,
            r#" {"a": [1, -2.5e3, true, false, null, "x\u00e9\ud83d\ude00"], "b": {}} "#,
            r#"{"to":1,"type":0,"to":2}"#,
            r#"{"x":1,"to":3,"x":2,"x":[4]}"#,
            r#"{"t\u006f":1,"to":2}"#,
            r#"[[],{},[{}],{"a":{"b":{"c":[null]}}}]"#,
            "\"lone\"",
            "12",
            "{",
            "[1,]",
            "{\"a\" 1}",
            "\"\\ud800\"",
            "1e999",
            "[1] 2",
        ] {
            same(text);
        }
        let deep = "[".repeat(200);
        same(&deep);
        same("\u{ff}");
        assert!(Tape::parse(b"\xff").is_err());
        let e = Tape::parse(b"{\n  \"a\": ?\n}").expect_err("bad");
        assert_eq!(
            (e.message.as_str(), e.line, e.column),
            ("expected value", 2, 8)
        );
    }

    #[test]
    fn cursors_read_fields_items_and_scalars() {
        let (tape, canonical) =
            Tape::parse(br#"{"a":[1,"x\n",null],"b":{"c":true},"a":{"d":"e"}}"#).expect("json");
        assert!(!canonical);
        let root = tape.root();
        let keys: Vec<&str> = root.fields().map(|(k, _)| k).collect();
        assert_eq!(keys, ["a", "b"]);
        assert_eq!(root.len(), 3);
        assert_eq!(
            root.get("a")
                .and_then(|a| a.get("d"))
                .and_then(|d| d.as_str()),
            Some("e")
        );
        assert_eq!(
            root.get("b")
                .and_then(|b| b.get("c"))
                .and_then(|c| c.as_bool()),
            Some(true)
        );
        let (tape, _) = Tape::parse(br#"[1,"x\n",null]"#).expect("json");
        let items: Vec<_> = tape.root().items().collect();
        assert_eq!(items.len(), 3);
        assert_eq!(items[0].number_text(), Some("1"));
        assert_eq!(items[1].as_str(), Some("x\n"));
        assert!(items[2].is_null());
        assert!(tape.root().is_array() && !tape.root().is_object());
    }
}
