//! A strict RFC 8259 parser: UTF-8 checked up front, nesting bounded, every
//! failure a lowercase message with line and column; never a panic.
//!
//! One parser, building the tape (`tape.rs`, spans into the input); the owned
//! tree ([`Value`]) is read from the tape, so what either accepts, its errors
//! and the canonical flag are the same.

use super::keys;
use super::Value;
use std::borrow::Cow;

/// Objects and arrays nested deeper than this are refused (as serde_json does),
/// so hostile input cannot exhaust the stack.
const MAX_DEPTH: usize = 128;

/// The smallest magnitude that rounds to infinity as an f64: f64::MAX plus half
/// an ulp, 2^1024 − 2^970.
const F64_OVERFLOW: &str = "179769313486231580793728971405303415079934132710037826936173778980444968292764750946649017977587207096330286416692887910946555547851940402630657488671505820681908902000708383676273854845817711531764475730270069855571366959622842914819860834936475292719074168444365510704342711559699508093042880177904174497792";

/// Why text is not JSON.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseError {
    pub message: String,
    pub line: usize,
    pub column: usize,
}

impl std::fmt::Display for ParseError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} at line {} column {}",
            self.message, self.line, self.column
        )
    }
}

impl std::error::Error for ParseError {}

/// What a parse builds, told each part in document order.
pub(crate) trait Build<'a> {
    /// A finished value.
    type Value;

    /// The whole input, checked as UTF-8, before any part of it is given.
    fn begin(&mut self, _text: &'a str) {}
    /// An object or array being built.
    type Open;

    fn null(&mut self) -> Self::Value;
    fn boolean(&mut self, b: bool) -> Self::Value;
    /// `text` is a JSON number the parser has checked.
    fn number(&mut self, text: &'a str) -> Self::Value;
    /// A string, borrowed from the input when it had no escape.
    fn string(&mut self, s: Cow<'a, str>) -> Self::Value;
    fn open_object(&mut self) -> Self::Open;
    /// A key, with its place in the field-name table when it is one of those
    /// names written without escapes.
    fn key(&mut self, open: &mut Self::Open, key: Cow<'a, str>, known: Option<usize>);
    fn member(&mut self, open: &mut Self::Open, value: Self::Value);
    /// `distinct` when every key was a known one and none repeated; returns the
    /// object and whether any key was repeated.
    fn close_object(&mut self, open: Self::Open, distinct: bool) -> (Self::Value, bool);
    fn open_array(&mut self) -> Self::Open;
    fn item(&mut self, open: &mut Self::Open, value: Self::Value);
    fn close_array(&mut self, open: Self::Open) -> Self::Value;
}

/// How many bytes of `rest` a string's run takes before a quote, a backslash or
/// a control character: eight bytes a step (a payload is mostly string runs;
/// byte by byte this was a tenth of a text payload's time). The writer skips
/// what needs no escape with it too: the same bytes end a run.
pub(crate) fn run_len(rest: &[u8]) -> usize {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    // A byte of `x` is zero: its high bit in `(x - ONES) & !x`. A borrow can set
    // the bit above a zero byte too, never below one, so the lowest bit set is the
    // first stop.
    let zero = |x: u64| x.wrapping_sub(ONES) & !x;
    let mut chunks = rest.chunks_exact(8);
    let mut at = 0;
    for chunk in &mut chunks {
        let Ok(bytes) = <[u8; 8]>::try_from(chunk) else {
            break;
        };
        let x = u64::from_le_bytes(bytes);
        // Below 0x20 the same way: `x - 0x20` borrows from a byte under 0x20.
        let stops = (zero(x ^ (ONES * u64::from(b'"')))
            | zero(x ^ (ONES * u64::from(b'\\')))
            | (x.wrapping_sub(ONES * 0x20) & !x))
            & HIGH;
        if stops != 0 {
            return at + (stops.trailing_zeros() / 8) as usize;
        }
        at += 8;
    }
    let tail = chunks.remainder();
    at + tail
        .iter()
        .position(|&b| b == b'"' || b == b'\\' || b < 0x20)
        .unwrap_or(tail.len())
}

struct Parser<'a, 'b, B> {
    s: &'a [u8],
    /// Still exactly the text the writer gives for the parsed value: no
    /// whitespace, only the writer's escapes, no repeated key, no `null` field
    /// (the normalized payload drops them).
    canonical: bool,
    /// The same input as text, checked once up front, so that string runs are
    /// sliced rather than checked again.
    text: &'a str,
    i: usize,
    depth: usize,
    build: &'b mut B,
}

/// Parses one JSON text (surrounding whitespace allowed, nothing else after it).
pub fn parse(bytes: &[u8]) -> Result<Value, ParseError> {
    parse_canonical(bytes).map(|(v, _)| v)
}

/// [`parse`], and whether writing the value gives `bytes` back exactly, with
/// `null` fields dropped first (so a text with a `null` field is never canonical):
/// then the input can stand for the normalized payload unless validation
/// rewrote something.
pub(crate) fn parse_canonical(bytes: &[u8]) -> Result<(Value, bool), ParseError> {
    // Through the tape: one parser in the wasm module, not one per shape.
    let (tape, canonical) = super::tape::Tape::parse(bytes)?;
    Ok((tape.root().to_value(), canonical))
}

/// Parses `bytes` into what `build` builds; says whether the text is canonical.
pub(crate) fn parse_with<'a, B: Build<'a>>(
    bytes: &'a [u8],
    build: &mut B,
) -> Result<(B::Value, bool), ParseError> {
    let (text, i) = match std::str::from_utf8(bytes) {
        Ok(text) => (text, None),
        Err(e) => ("", Some(e.valid_up_to())),
    };
    let mut p = Parser {
        s: bytes,
        canonical: true,
        text,
        i: i.unwrap_or(0),
        depth: 0,
        build,
    };
    if i.is_some() {
        return Err(p.err("invalid utf-8"));
    }
    p.build.begin(text);
    p.ws();
    let v = p.value()?;
    p.ws();
    if p.i < p.s.len() {
        return Err(p.err("trailing characters"));
    }
    Ok((v, p.canonical))
}

impl<'a, B: Build<'a>> Parser<'a, '_, B> {
    fn err(&mut self, message: &str) -> ParseError {
        let upto = &self.s[..self.i.min(self.s.len())];
        #[allow(clippy::naive_bytecount)] // errors only: not worth a dependency
        let line = 1 + upto.iter().filter(|&&b| b == b'\n').count();
        let column = upto.len() - upto.iter().rposition(|&b| b == b'\n').map_or(0, |p| p + 1) + 1;
        ParseError {
            message: message.to_owned(),
            line,
            column,
        }
    }

    fn ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.s.get(self.i) {
            self.i += 1;
            self.canonical = false;
        }
    }

    fn peek(&self) -> Option<u8> {
        self.s.get(self.i).copied()
    }

    fn value(&mut self) -> Result<B::Value, ParseError> {
        match self.peek() {
            None => Err(self.err("eof while parsing a value")),
            Some(b'{') => self.object(),
            Some(b'[') => self.array(),
            Some(b'"') => {
                let s = self.string()?;
                Ok(self.build.string(s))
            }
            Some(b't') => self.literal("true").map(|()| self.build.boolean(true)),
            Some(b'f') => self.literal("false").map(|()| self.build.boolean(false)),
            Some(b'n') => self.literal("null").map(|()| self.build.null()),
            Some(b'-' | b'0'..=b'9') => self.number(),
            Some(_) => Err(self.err("expected value")),
        }
    }

    fn literal(&mut self, word: &str) -> Result<(), ParseError> {
        if self.s[self.i..].starts_with(word.as_bytes()) {
            self.i += word.len();
            Ok(())
        } else {
            Err(self.err("expected value"))
        }
    }

    fn enter(&mut self) -> Result<(), ParseError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(self.err("recursion limit exceeded"));
        }
        self.i += 1;
        self.ws();
        Ok(())
    }

    fn object(&mut self) -> Result<B::Value, ParseError> {
        self.enter()?;
        let mut open = self.build.open_object();
        // The known keys seen so far, and whether any other came: with none, a
        // repeat is a bit already set, found in one pass.
        let (mut seen, mut others, mut repeated) = (0u128, false, false);
        if self.peek() == Some(b'}') {
            self.i += 1;
            self.depth -= 1;
            return Ok(self.build.close_object(open, true).0);
        }
        loop {
            match self.peek() {
                Some(b'"') => {}
                None => return Err(self.err("eof while parsing an object")),
                Some(_) => return Err(self.err("key must be a string")),
            }
            let (key, index) = self.key()?;
            match index {
                Some(i) => {
                    repeated |= seen & (1 << i) != 0;
                    seen |= 1 << i;
                }
                None => others = true,
            }
            self.build.key(&mut open, key, index);
            self.ws();
            match self.peek() {
                Some(b':') => self.i += 1,
                None => return Err(self.err("eof while parsing an object")),
                Some(_) => return Err(self.err("expected `:`")),
            }
            self.ws();
            if self.peek() == Some(b'n') {
                self.canonical = false;
            }
            let v = self.value()?;
            self.build.member(&mut open, v);
            self.ws();
            match self.peek() {
                Some(b',') => {
                    self.i += 1;
                    self.ws();
                }
                Some(b'}') => {
                    self.i += 1;
                    break;
                }
                None => return Err(self.err("eof while parsing an object")),
                Some(_) => return Err(self.err("expected `,` or `}`")),
            }
        }
        self.depth -= 1;
        let (v, repeated) = self.build.close_object(open, !others && !repeated);
        if repeated {
            self.canonical = false;
        }
        Ok(v)
    }

    fn array(&mut self) -> Result<B::Value, ParseError> {
        self.enter()?;
        let mut open = self.build.open_array();
        if self.peek() == Some(b']') {
            self.i += 1;
            self.depth -= 1;
            return Ok(self.build.close_array(open));
        }
        loop {
            let v = self.value()?;
            self.build.item(&mut open, v);
            self.ws();
            match self.peek() {
                Some(b',') => {
                    self.i += 1;
                    self.ws();
                }
                Some(b']') => {
                    self.i += 1;
                    break;
                }
                None => return Err(self.err("eof while parsing a list")),
                Some(_) => return Err(self.err("expected `,` or `]`")),
            }
        }
        self.depth -= 1;
        Ok(self.build.close_array(open))
    }

    fn hex4(&mut self) -> Result<u32, ParseError> {
        let digits = self
            .s
            .get(self.i..self.i + 4)
            .ok_or_else(|| self.err("eof while parsing a string"))?;
        let mut n = 0u32;
        for &d in digits {
            let v = match d {
                b'0'..=b'9' => d - b'0',
                b'a'..=b'f' => d - b'a' + 10,
                b'A'..=b'F' => d - b'A' + 10,
                _ => return Err(self.err("invalid escape")),
            };
            n = n * 16 + u32::from(v);
        }
        self.i += 4;
        Ok(n)
    }

    /// A key, with its place in the field-name table when it is a known name
    /// written without escapes (as every payload's keys are).
    fn key(&mut self) -> Result<(Cow<'a, str>, Option<usize>), ParseError> {
        let s = self.string()?;
        let index = match &s {
            Cow::Borrowed(k) => keys::index(k),
            Cow::Owned(_) => None,
        };
        Ok((s, index))
    }

    /// A string: borrowed from the input unless it has an escape.
    fn string(&mut self) -> Result<Cow<'a, str>, ParseError> {
        self.i += 1; // the opening quote
        let mut out = String::new();
        loop {
            let start = self.i;
            self.i += run_len(self.s.get(self.i..).unwrap_or_default());
            // The run stops at ASCII, so on a char boundary of the checked text.
            let run = self.text.get(start..self.i).unwrap_or_default();
            if out.is_empty() && self.peek() == Some(b'"') {
                // Most strings have no escape: borrowed, no allocation here.
                self.i += 1;
                return Ok(Cow::Borrowed(run));
            }
            out.push_str(run);
            match self.peek() {
                None => return Err(self.err("eof while parsing a string")),
                Some(b'"') => {
                    self.i += 1;
                    return Ok(Cow::Owned(out));
                }
                Some(b'\\') => {
                    self.i += 1;
                    let Some(e) = self.peek() else {
                        return Err(self.err("eof while parsing a string"));
                    };
                    self.i += 1;
                    match e {
                        b'"' => out.push('"'),
                        b'\\' => out.push('\\'),
                        b'/' => {
                            self.canonical = false;
                            out.push('/');
                        }
                        b'b' => out.push('\u{8}'),
                        b'f' => out.push('\u{c}'),
                        b'n' => out.push('\n'),
                        b'r' => out.push('\r'),
                        b't' => out.push('\t'),
                        b'u' => {
                            // The writer escapes this way only the control
                            // characters without a short form, in lowercase hex.
                            if !matches!(
                                self.s.get(self.i..self.i + 4),
                                Some([b'0', b'0', b'0' | b'1', b'0'..=b'9' | b'a'..=b'f'])
                            ) || matches!(
                                self.s.get(self.i + 2..self.i + 4),
                                Some(b"08" | b"09" | b"0a" | b"0c" | b"0d")
                            ) {
                                self.canonical = false;
                            }
                            let hi = self.hex4()?;
                            let c = if (0xD800..0xDC00).contains(&hi) {
                                if !self.s[self.i..].starts_with(b"\\u") {
                                    return Err(self.err("lone leading surrogate in hex escape"));
                                }
                                self.i += 2;
                                let lo = self.hex4()?;
                                if !(0xDC00..0xE000).contains(&lo) {
                                    return Err(self.err("lone leading surrogate in hex escape"));
                                }
                                0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00)
                            } else {
                                hi
                            };
                            match char::from_u32(c) {
                                Some(c) => out.push(c),
                                None => return Err(self.err("invalid unicode code point")),
                            }
                        }
                        _ => {
                            self.i -= 1;
                            return Err(self.err("invalid escape"));
                        }
                    }
                }
                Some(_) => return Err(self.err("control character in string")),
            }
        }
    }

    fn number(&mut self) -> Result<B::Value, ParseError> {
        let start = self.i;
        let digits = |p: &mut Self| {
            let from = p.i;
            while p.peek().is_some_and(|b| b.is_ascii_digit()) {
                p.i += 1;
            }
            p.i - from
        };
        if self.peek() == Some(b'-') {
            self.i += 1;
        }
        match self.peek() {
            Some(b'0') => self.i += 1,
            Some(b'1'..=b'9') => {
                digits(self);
            }
            _ => return Err(self.err("invalid number")),
        }
        if self.peek() == Some(b'.') {
            self.i += 1;
            if digits(self) == 0 {
                return Err(self.err("invalid number"));
            }
        }
        if let Some(b'e' | b'E') = self.peek() {
            self.i += 1;
            if let Some(b'+' | b'-') = self.peek() {
                self.i += 1;
            }
            if digits(self) == 0 {
                return Err(self.err("invalid number"));
            }
        }
        // ASCII digits and signs: on char boundaries of the checked text.
        let text = self.text.get(start..self.i).unwrap_or("0");
        // Beyond f64::MAX (rounded) a number is infinite, which JSON cannot carry.
        if super::decimal_exceeds(text, F64_OVERFLOW) {
            return Err(self.err("number out of range"));
        }
        Ok(self.build.number(text))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_run_ends_where_the_byte_by_byte_scan_ends() {
        let bytewise = |s: &[u8]| {
            s.iter()
                .position(|&b| b == b'"' || b == b'\\' || b < 0x20)
                .unwrap_or(s.len())
        };
        // Every byte value at every place of runs shorter and longer than a step,
        // after bytes that sit next to the stops (0x01, 0x21, 0x5d, 0xff, 0x80).
        for fill in [b'a', 0x01 + 0x20, b'"' + 1, b'\\' + 1, 0xff, 0x80] {
            for len in 0..20 {
                for at in 0..len {
                    for b in 0..=255u8 {
                        let mut s = vec![fill; len];
                        s[at] = b;
                        assert_eq!(run_len(&s), bytewise(&s), "{s:?}");
                        // A second stop after the first does not move it.
                        s.push(b'"');
                        assert_eq!(run_len(&s), bytewise(&s), "{s:?}");
                    }
                }
            }
        }
    }

    #[test]
    fn parses_valid() {
        let v = parse(b" {\"a\": [1, -2.5e3, true, false, null, \"x\\u00e9\\ud83d\\ude00\\n\"]} ")
            .expect("json");
        assert_eq!(
            v.to_json(),
            "{\"a\":[1,-2.5e3,true,false,null,\"x\u{e9}\u{1f600}\\n\"]}"
        );
    }

    #[test]
    fn rejects_invalid() {
        for bad in [
            &b""[..],
            b"{",
            b"[1,]",
            b"{\"a\" 1}",
            b"{\"a\":1,}",
            b"01",
            b"1.",
            b"-",
            b"\"\\x\"",
            b"\"a",
            b"tru",
            b"[1] 2",
            b"\"\x01\"",
            b"\xff",
            b"\"\\ud800\"",
            b"1e999",
            b"{1:2}",
        ] {
            assert!(parse(bad).is_err(), "{:?}", String::from_utf8_lossy(bad));
        }
        let deep = "[".repeat(200);
        assert_eq!(
            parse(deep.as_bytes()).map_err(|e| e.message),
            Err("recursion limit exceeded".into())
        );
        let e = parse(b"{\n  \"a\": ?\n}").expect_err("bad");
        assert_eq!((e.line, e.column), (2, 8));
    }

    /// A JSON value written with variations a sender may choose: whitespace,
    /// other escapes for the same characters, repeated keys, `null` fields.
    #[derive(Clone, Debug)]
    enum J {
        Null,
        Bool(bool),
        Num(&'static str),
        Str(String),
        Arr(Vec<J>),
        Obj(Vec<(&'static str, J)>),
    }

    fn j() -> impl proptest::strategy::Strategy<Value = J> {
        use proptest::prelude::*;
        let chars = prop::sample::select(vec![
            'a', 'A', '/', '"', '\\', '\n', '\t', '\u{1}', '\u{8}', '\u{c}', '\r', '\u{1f}',
            '\u{7f}', 'é', '😀', ' ', '\u{2028}',
        ]);
        let leaf = prop_oneof![
            Just(J::Null),
            any::<bool>().prop_map(J::Bool),
            prop::sample::select(vec![
                "0",
                "-1",
                "2.5",
                "1e3",
                "-0.0",
                "12345678901234567890"
            ])
            .prop_map(J::Num),
            prop::collection::vec(chars, 0..6).prop_map(|c| J::Str(c.into_iter().collect())),
        ];
        leaf.prop_recursive(4, 40, 5, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..4).prop_map(J::Arr),
                prop::collection::vec(
                    (
                        prop::sample::select(vec!["a", "to", "type", "text", "d/e"]),
                        inner
                    ),
                    0..4
                )
                .prop_map(J::Obj),
            ]
        })
    }

    struct Varied<'a> {
        choices: &'a [u8],
        at: usize,
        out: String,
    }

    impl Varied<'_> {
        fn pick(&mut self) -> u8 {
            let c = self
                .choices
                .get(self.at % self.choices.len().max(1))
                .copied()
                .unwrap_or(1);
            self.at += 1;
            c
        }

        fn ws(&mut self) {
            if self.pick() % 8 == 0 {
                let w = [" ", "\n", "\t", "\r\n  "][usize::from(self.pick() % 4)];
                self.out.push_str(w);
            }
        }

        fn string(&mut self, s: &str) {
            self.out.push('"');
            for ch in s.chars() {
                let c = self.pick();
                let hex = |out: &mut String, u: u32, upper: bool| {
                    let h = format!("\\u{u:04x}");
                    out.push_str(&if upper {
                        h.to_uppercase().replace("\\U", "\\u")
                    } else {
                        h
                    });
                };
                match ch {
                    '"' | '\\' if c % 4 != 0 => {
                        self.out.push('\\');
                        self.out.push(ch);
                    }
                    '/' if c % 4 == 0 => self.out.push_str("\\/"),
                    '\n' | '\t' | '\u{8}' | '\u{c}' | '\r' if c % 4 != 0 => {
                        self.out.push_str(match ch {
                            '\n' => "\\n",
                            '\t' => "\\t",
                            '\u{8}' => "\\b",
                            '\u{c}' => "\\f",
                            _ => "\\r",
                        });
                    }
                    '😀' if c % 4 == 0 => self.out.push_str("\\ud83d\\ude00"),
                    _ if ch < ' ' || ch == '"' || ch == '\\' || c % 8 == 1 => {
                        if u32::from(ch) < 0x10000 {
                            hex(&mut self.out, u32::from(ch), c % 3 == 0);
                        } else {
                            self.out.push(ch);
                        }
                    }
                    _ => self.out.push(ch),
                }
            }
            self.out.push('"');
        }

        fn value(&mut self, v: &J) {
            self.ws();
            match v {
                J::Null => self.out.push_str("null"),
                J::Bool(b) => self.out.push_str(if *b { "true" } else { "false" }),
                J::Num(n) => self.out.push_str(n),
                J::Str(s) => self.string(s),
                J::Arr(items) => {
                    self.out.push('[');
                    for (i, x) in items.iter().enumerate() {
                        if i > 0 {
                            self.out.push(',');
                        }
                        self.value(x);
                    }
                    self.ws();
                    self.out.push(']');
                }
                J::Obj(pairs) => {
                    self.out.push('{');
                    for (i, (k, x)) in pairs.iter().enumerate() {
                        if i > 0 {
                            self.out.push(',');
                        }
                        self.ws();
                        self.string(k);
                        self.ws();
                        self.out.push(':');
                        self.value(x);
                    }
                    self.ws();
                    self.out.push('}');
                }
            }
            self.ws();
        }
    }

    fn has_null_field(v: &Value) -> bool {
        match v {
            Value::Object(m) => m.iter().any(|(_, x)| x.is_null() || has_null_field(x)),
            Value::Array(a) => a.iter().any(has_null_field),
            _ => false,
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(4000))]

        /// The canonical flag is exact: set when, and only when, writing the
        /// value gives the input back and no field is `null`.
        #[test]
        fn canonical_means_the_writer_gives_the_input_back(
            v in j(),
            choices in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..64),
        ) {
            let mut w = Varied { choices: &choices, at: 0, out: String::new() };
            w.value(&v);
            let (value, canonical) = parse_canonical(w.out.as_bytes()).expect("the generator writes json");
            let same = value.to_json() == w.out && !has_null_field(&value);
            proptest::prop_assert_eq!(canonical, same, "{}", w.out);
        }
    }

    #[test]
    fn repeated_keys_keep_the_first_place_and_the_last_value() {
        for (text, written) in [
            (r#"{"to":1,"type":0,"to":2}"#, r#"{"to":2,"type":0}"#),
            (r#"{"to":1,"t\u006f":2}"#, r#"{"to":2}"#),
            (r#"{"x":1,"to":3,"x":2}"#, r#"{"x":2,"to":3}"#),
        ] {
            let (v, canonical) = parse_canonical(text.as_bytes()).expect("json");
            assert_eq!(v.to_json(), written);
            assert!(!canonical, "{text}");
        }
    }

    #[test]
    fn canonical_text() {
        for (text, canonical) in [
            (r#"{"a":"x\"\\\n\r\t\b\f\u0001\u001f\u007fé"}"#, false),
            (r#"{"a":"x\"\\\n\r\t\b\f\u0001\u001f"}"#, true),
            (r#"{"a":"\/"}"#, false),
            (r#"{"a":"\u001F"}"#, false),
            (r#"{"a":"\u000a"}"#, false),
            (r#"{"a":"\u00e9"}"#, false),
            (r#"{"a":1,"a":2}"#, false),
            (r#"{"a":null}"#, false),
            (r"[null]", true),
            (r" {}", false),
            (r#"{"a":[1,-2.5e3,true]}"#, true),
        ] {
            let (v, c) = parse_canonical(text.as_bytes()).expect("json");
            assert_eq!(c, canonical, "{text}");
            if c {
                assert_eq!(v.to_json(), text);
            }
        }
    }
}
