//! wasend's own JSON value: what the validator walks.
//!
//! Why not `serde_json::Value`: in WebAssembly, serde_json's generic machinery and
//! float formatting cost more than the whole validator, and the npm package must
//! stay small. This value keeps objects in payload order (issues follow the
//! payload), keeps numbers as their JSON text (a normalized payload reproduces
//! them exactly), and comes with a strict parser and a writer. Conversions to and
//! from `serde_json::Value` and serde impls are there for native users.

mod keys;
mod parse;
mod read;
pub mod tape;
mod write;

pub use keys::Key;
pub use read::{Kind, Read};

pub use parse::{parse, ParseError};
pub(crate) use write::string as write_string;
pub(crate) use write::value as write_value;

use std::fmt;

/// A JSON value, objects in their original key order.
#[derive(Clone, Debug, PartialEq, Default)]
pub enum Value {
    #[default]
    Null,
    Bool(bool),
    Number(Number),
    String(String),
    Array(Vec<Value>),
    Object(Map),
}

/// A JSON number, kept as its text. Equality is numeric (`-0` equals `-0.0`).
#[derive(Clone, Debug)]
pub struct Number(Box<str>);

impl PartialEq for Number {
    fn eq(&self, other: &Self) -> bool {
        if self.0 == other.0 {
            return true;
        }
        match (self.is_integer(), other.is_integer()) {
            (true, true) => self.0.parse::<i128>().ok() == other.0.parse::<i128>().ok(),
            _ => self.as_f64() == other.as_f64(),
        }
    }
}

/// A JSON object: key order preserved; a repeated key keeps its first place and
/// its last value (as `serde_json` with `preserve_order` does). Equality ignores
/// order, as JSON's does.
#[derive(Clone, Debug, Default)]
pub struct Map(Vec<(Key, Value)>);

impl PartialEq for Map {
    fn eq(&self, other: &Self) -> bool {
        self.len() == other.len() && self.iter().all(|(k, v)| other.get(k) == Some(v))
    }
}

static NULL: Value = Value::Null;

impl Number {
    /// A number from JSON text the parser has checked.
    pub(crate) fn from_checked(text: &str) -> Self {
        Number(text.into())
    }

    /// A finite `f64`, written as JavaScript would (`90`, not `90.0`).
    pub fn from_f64(x: f64) -> Option<Self> {
        if !x.is_finite() {
            return None;
        }
        if x.fract() == 0.0 && x.abs() < 9.007_199_254_740_992e15 {
            #[allow(clippy::cast_possible_truncation)]
            return Some(Number::from(x as i64));
        }
        Some(Number(x.to_string().into()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn as_f64(&self) -> f64 {
        self.0.parse().unwrap_or(f64::NAN)
    }

    /// Is the magnitude above `bound`? Exact, on the decimal text: no float
    /// parsing, whose tables would cost the wasm module 20 KB.
    pub fn magnitude_exceeds(&self, bound: u64) -> bool {
        exceeds(&self.0, bound)
    }

    /// Written without a fraction or exponent.
    pub fn is_integer(&self) -> bool {
        is_integer(&self.0)
    }

    pub fn as_i64(&self) -> Option<i64> {
        if self.is_integer() {
            self.0.parse().ok()
        } else {
            None
        }
    }

    pub fn as_u64(&self) -> Option<u64> {
        if self.is_integer() {
            self.0.parse().ok()
        } else {
            None
        }
    }
}

/// Is a JSON number's text written without a fraction or exponent?
pub(crate) fn is_integer(text: &str) -> bool {
    !text.contains(['.', 'e', 'E'])
}

/// A JSON number's text as an `i64` when it is an integer: `i64::MAX` for one
/// beyond it but within `u64`, `None` otherwise (a fraction, or larger still).
pub(crate) fn integer_i64(text: &str) -> Option<i64> {
    if !is_integer(text) {
        return None;
    }
    text.parse::<i64>()
        .ok()
        .or_else(|| text.parse::<u64>().ok().map(|_| i64::MAX))
}

/// `|text| > bound`, with `text` a JSON number and `bound` a positive integer's digits.
/// Reads the digits in place: a number checked against a limit allocates nothing.
pub(crate) fn decimal_exceeds(text: &str, bound: &str) -> bool {
    let t = text.trim_start_matches('-');
    let (mantissa, exp) = match t.find(['e', 'E']) {
        Some(i) => (
            &t[..i],
            t[i + 1..]
                .parse::<i64>()
                .unwrap_or(if t[i + 1..].starts_with('-') {
                    i64::MIN / 2
                } else {
                    i64::MAX / 2
                }),
        ),
        None => (t, 0),
    };
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let all = || int.bytes().chain(frac.bytes());
    let lead = all().take_while(|&b| b == b'0').count();
    if lead == int.len() + frac.len() {
        return false;
    }
    // Digits before the decimal point of digits × 10^(exp − frac.len()).
    let magnitude = i64::try_from(int.len())
        .unwrap_or(i64::MAX)
        .saturating_sub(i64::try_from(lead).unwrap_or(0))
        .saturating_add(exp);
    let k = i64::try_from(bound.len()).unwrap_or(i64::MAX);
    if magnitude != k {
        return magnitude > k;
    }
    let mut digits = all().skip(lead);
    for b in bound.bytes() {
        let d = digits.next().unwrap_or(b'0');
        if d != b {
            return d > b;
        }
    }
    digits.any(|d| d != b'0')
}

/// [`decimal_exceeds`] against an integer bound, written on the stack.
pub(crate) fn exceeds(text: &str, bound: u64) -> bool {
    decimal_exceeds(text, digits(bound, &mut [0; 20]))
}

/// `n` in decimal, written into `buf` (no allocation).
pub(crate) fn digits(n: u64, buf: &mut [u8; 20]) -> &str {
    let mut at = buf.len();
    let mut n = n;
    loop {
        at -= 1;
        // n % 10 is below 10: the cast cannot truncate.
        #[allow(clippy::cast_possible_truncation)]
        let d = (n % 10) as u8;
        buf[at] = b'0' + d;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    std::str::from_utf8(&buf[at..]).unwrap_or("0")
}

macro_rules! number_from_int {
    ($($t:ty),*) => {$(
        impl From<$t> for Number {
            fn from(n: $t) -> Self {
                Number(n.to_string().into())
            }
        }
    )*};
}
number_from_int!(i32, i64, u32, u64, usize);

impl fmt::Display for Number {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Map {
    pub fn new() -> Self {
        Map(Vec::new())
    }

    pub fn get(&self, key: &str) -> Option<&Value> {
        self.0.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    pub fn get_mut(&mut self, key: &str) -> Option<&mut Value> {
        self.0.iter_mut().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    pub fn contains_key(&self, key: &str) -> bool {
        self.get(key).is_some()
    }

    /// Sets `key`, keeping its place when it is already there.
    pub fn insert(&mut self, key: impl Into<String> + AsRef<str>, value: Value) {
        match self.0.iter_mut().find(|(k, _)| *k == key.as_ref()) {
            Some(slot) => slot.1 = value,
            None => self.0.push((keys::owned(key.into()), value)),
        }
    }

    /// Renames `from` to `to` where it stands; nothing when `to` is there already.
    pub fn rename(&mut self, from: &str, to: &str) {
        if self.contains_key(to) {
            return;
        }
        if let Some(slot) = self.0.iter_mut().find(|(k, _)| k == from) {
            slot.0 = keys::key(to);
        }
    }

    pub fn remove(&mut self, key: &str) -> Option<Value> {
        let i = self.0.iter().position(|(k, _)| k == key)?;
        Some(self.0.remove(i).1)
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Keeps the fields whose value passes `keep`, in order.
    pub fn retain(&mut self, mut keep: impl FnMut(&Value) -> bool) {
        self.0.retain(|(_, v)| keep(v));
    }

    pub fn values_mut(&mut self) -> impl Iterator<Item = &mut Value> {
        self.0.iter_mut().map(|(_, v)| v)
    }

    pub fn iter(&self) -> impl Iterator<Item = (&str, &Value)> {
        self.0.iter().map(|(k, v)| (&**k, v))
    }

    /// A map from pairs whose keys are known to be distinct.
    pub(crate) fn from_distinct(pairs: Vec<(Key, Value)>) -> Self {
        Map(pairs)
    }

    /// Builds a map from parsed pairs, resolving repeated keys in O(n log n)
    /// (a sort, not a hash map: hashing costs the wasm module more than it saves).
    pub(crate) fn from_pairs(mut pairs: Vec<(Key, Value)>) -> Self {
        // Payload objects have a handful of keys: comparing each pair is cheaper
        // than the sort below, and allocates nothing.
        if pairs.len() <= 16
            && pairs
                .iter()
                .enumerate()
                .all(|(i, (k, _))| pairs[..i].iter().all(|(e, _)| e != k))
        {
            return Map(pairs);
        }
        let groups = equal_runs(pairs.iter().map(|(k, _)| Some(&**k)));
        if groups.is_empty() {
            return Map(pairs);
        }
        let mut dead = vec![false; pairs.len()];
        for (first, rest) in groups {
            // The last value of a repeated key moves to its first place.
            if let Some(&last) = rest.last() {
                let v = std::mem::take(&mut pairs[last].1);
                pairs[first].1 = v;
            }
            for i in rest {
                dead[i] = true;
            }
        }
        let mut i = 0;
        pairs.retain(|_| {
            i += 1;
            !dead[i - 1]
        });
        Map(pairs)
    }
}

/// Groups of equal items (`None` never matches): each group's first position
/// and its later ones, in order. One sort keeps hostile input O(n log n).
fn equal_runs<'a>(items: impl Iterator<Item = Option<&'a str>>) -> Vec<(usize, Vec<usize>)> {
    let mut keyed: Vec<(&str, usize)> = items
        .enumerate()
        .filter_map(|(i, k)| Some((k?, i)))
        .collect();
    keyed.sort_unstable();
    let mut out: Vec<(usize, Vec<usize>)> = Vec::new();
    let mut i = 0;
    while i < keyed.len() {
        let mut j = i + 1;
        while j < keyed.len() && keyed[j].0 == keyed[i].0 {
            j += 1;
        }
        if j - i > 1 {
            out.push((keyed[i].1, keyed[i + 1..j].iter().map(|x| x.1).collect()));
        }
        i = j;
    }
    out
}

/// For each item, whether an earlier item has the same value (`None` never matches).
/// Up to 64 items (every list a payload may carry) are compared pairwise on the
/// stack, allocating nothing; more, as hostile input may send, are sorted.
pub(crate) fn later_duplicates<'a>(items: impl Iterator<Item = Option<&'a str>>) -> Repeats {
    const FEW: usize = 64;
    let mut few: [Option<&str>; FEW] = [None; FEW];
    let mut n = 0;
    let mut items = items.fuse();
    for item in items.by_ref() {
        if n == FEW {
            let all: Vec<Option<&str>> = few.iter().copied().chain([item]).chain(items).collect();
            let mut later = vec![false; all.len()];
            for (_, rest) in equal_runs(all.into_iter()) {
                for i in rest {
                    later[i] = true;
                }
            }
            return Repeats::Many(later);
        }
        few[n] = item;
        n += 1;
    }
    let mut bits = 0u64;
    for i in 1..n {
        if few[i].is_some() && few[..i].contains(&few[i]) {
            bits |= 1 << i;
        }
    }
    Repeats::Few(bits)
}

/// [`later_duplicates`]'s answer, by item index.
pub(crate) enum Repeats {
    Few(u64),
    Many(Vec<bool>),
}

impl Repeats {
    /// Does item `i` repeat an earlier one?
    pub fn at(&self, i: usize) -> bool {
        match self {
            Repeats::Few(bits) => i < 64 && bits & (1 << i) != 0,
            Repeats::Many(later) => later.get(i).copied().unwrap_or(false),
        }
    }
}

impl<'a> IntoIterator for &'a Map {
    type Item = (&'a str, &'a Value);
    type IntoIter = std::iter::Map<
        std::slice::Iter<'a, (Key, Value)>,
        fn(&'a (Key, Value)) -> (&'a str, &'a Value),
    >;

    fn into_iter(self) -> Self::IntoIter {
        self.0.iter().map(|(k, v)| (&**k, v))
    }
}

impl FromIterator<(String, Value)> for Map {
    fn from_iter<I: IntoIterator<Item = (String, Value)>>(iter: I) -> Self {
        let mut m = Map::new();
        for (k, v) in iter {
            m.insert(k, v);
        }
        m
    }
}

impl Value {
    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Value::Number(n) => Some(n.as_f64()),
            _ => None,
        }
    }

    pub fn as_i64(&self) -> Option<i64> {
        match self {
            Value::Number(n) => n.as_i64(),
            _ => None,
        }
    }

    pub fn as_u64(&self) -> Option<u64> {
        match self {
            Value::Number(n) => n.as_u64(),
            _ => None,
        }
    }

    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(*b),
            _ => None,
        }
    }

    pub fn as_array(&self) -> Option<&Vec<Value>> {
        match self {
            Value::Array(a) => Some(a),
            _ => None,
        }
    }

    pub fn as_object(&self) -> Option<&Map> {
        match self {
            Value::Object(m) => Some(m),
            _ => None,
        }
    }

    pub fn as_object_mut(&mut self) -> Option<&mut Map> {
        match self {
            Value::Object(m) => Some(m),
            _ => None,
        }
    }

    /// The field `key` of an object.
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.as_object().and_then(|m| m.get(key))
    }

    /// RFC 6901 lookup (`/interactive/action/buttons/0`).
    pub fn pointer(&self, pointer: &str) -> Option<&Value> {
        if pointer.is_empty() {
            return Some(self);
        }
        let mut v = self;
        for raw in pointer.strip_prefix('/')?.split('/') {
            // Validation looks up fixed pointers per array item: no escapes, no allocation.
            let key: std::borrow::Cow<'_, str> = if raw.contains('~') {
                raw.replace("~1", "/").replace("~0", "~").into()
            } else {
                raw.into()
            };
            v = match v {
                Value::Object(m) => m.get(&key)?,
                Value::Array(a) => a.get(key.parse::<usize>().ok()?)?,
                _ => return None,
            };
        }
        Some(v)
    }

    /// RFC 6901 lookup for writing.
    pub fn pointer_mut(&mut self, pointer: &str) -> Option<&mut Value> {
        if pointer.is_empty() {
            return Some(self);
        }
        let mut v = self;
        for raw in pointer.strip_prefix('/')?.split('/') {
            let key = raw.replace("~1", "/").replace("~0", "~");
            v = match v {
                Value::Object(m) => m.get_mut(&key)?,
                Value::Array(a) => a.get_mut(key.parse::<usize>().ok()?)?,
                _ => return None,
            };
        }
        Some(v)
    }

    /// Compact JSON text.
    pub fn to_json(&self) -> String {
        let mut out = String::new();
        write::value(&mut out, self);
        out
    }

    /// [`to_json`](Self::to_json), appended to `out`.
    pub fn write_json(&self, out: &mut String) {
        write::value(out, self);
    }
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_json())
    }
}

impl std::ops::Index<&str> for Value {
    type Output = Value;

    /// The field, or `null` (as `serde_json` indexes).
    fn index(&self, key: &str) -> &Value {
        self.get(key).unwrap_or(&NULL)
    }
}

impl std::ops::Index<usize> for Value {
    type Output = Value;

    fn index(&self, i: usize) -> &Value {
        self.as_array().and_then(|a| a.get(i)).unwrap_or(&NULL)
    }
}

impl From<&str> for Value {
    fn from(s: &str) -> Self {
        Value::String(s.to_owned())
    }
}

impl From<String> for Value {
    fn from(s: String) -> Self {
        Value::String(s)
    }
}

impl From<bool> for Value {
    fn from(b: bool) -> Self {
        Value::Bool(b)
    }
}

impl From<Number> for Value {
    fn from(n: Number) -> Self {
        Value::Number(n)
    }
}

impl PartialEq<&str> for Value {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == Some(*other)
    }
}

/// The article-prefixed JSON type name of `v`, for messages ("got a number").
pub(crate) fn kind<'a>(v: impl Read<'a>) -> &'static str {
    v.kind().describe()
}

/// Are two short texts (field names) the same? Byte by byte, inline: `==` on
/// `str` calls the C library's `memcmp`, and for names of a few bytes the call
/// was the cost (perf: a seventh of a list payload's time in `memcmp`).
#[inline]
pub(crate) fn same_name(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

/// Appends `/key` to a JSON Pointer, escaping `~` and `/` (RFC 6901).
pub(crate) fn push_key(pointer: &mut String, key: &str) {
    pointer.push('/');
    if !key.bytes().any(|b| b == b'~' || b == b'/') {
        pointer.push_str(key);
        return;
    }
    for c in key.chars() {
        match c {
            '~' => pointer.push_str("~0"),
            '/' => pointer.push_str("~1"),
            c => pointer.push(c),
        }
    }
}

/// Optimal-string-alignment distance, so that a swap (`captoin`) counts as one edit.
fn distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut prev2 = vec![0usize; b.len() + 1];
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0usize; b.len() + 1];
    for i in 1..=a.len() {
        cur[0] = i;
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            cur[j] = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                cur[j] = cur[j].min(prev2[j - 2] + 1);
            }
        }
        std::mem::swap(&mut prev2, &mut prev);
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

/// Other APIs' names for the same field, which edit distance cannot guess.
const ALIASES: &[(&str, &str)] = &[("link", "url"), ("href", "url"), ("lang", "language")];

/// The known field within edit distance 2 of `name` (closest first), if any.
pub(crate) fn suggest<'k>(name: &str, known: &[&'k str]) -> Option<&'k str> {
    if name.chars().count() > 64 {
        return None;
    }
    let lower = name.to_ascii_lowercase();
    if let Some(&(_, to)) = ALIASES
        .iter()
        .find(|(from, to)| *from == lower && known.contains(to))
    {
        return Some(to);
    }
    known
        .iter()
        .map(|k| (distance(&lower, k), *k))
        .filter(|(d, _)| *d <= 2)
        .min_by_key(|(d, _)| *d)
        .map(|(_, k)| k)
}

mod serde_impls {
    //! serde for native users; nothing in the WebAssembly path uses it.
    use super::{Map, Number, Value};
    use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
    use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};

    impl Serialize for Number {
        fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            if let Some(u) = self.as_u64() {
                s.serialize_u64(u)
            } else if let Some(i) = self.as_i64() {
                s.serialize_i64(i)
            } else {
                s.serialize_f64(self.as_f64())
            }
        }
    }

    impl Serialize for Value {
        fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            match self {
                Value::Null => s.serialize_unit(),
                Value::Bool(b) => s.serialize_bool(*b),
                Value::Number(n) => n.serialize(s),
                Value::String(x) => s.serialize_str(x),
                Value::Array(a) => {
                    let mut seq = s.serialize_seq(Some(a.len()))?;
                    for v in a {
                        seq.serialize_element(v)?;
                    }
                    seq.end()
                }
                Value::Object(m) => {
                    let mut map = s.serialize_map(Some(m.len()))?;
                    for (k, v) in m {
                        map.serialize_entry(k, v)?;
                    }
                    map.end()
                }
            }
        }
    }

    struct ValueVisitor;

    impl<'de> Visitor<'de> for ValueVisitor {
        type Value = Value;

        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("a json value")
        }

        fn visit_unit<E>(self) -> Result<Value, E> {
            Ok(Value::Null)
        }

        fn visit_none<E>(self) -> Result<Value, E> {
            Ok(Value::Null)
        }

        fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
            Value::deserialize(d)
        }

        fn visit_bool<E>(self, b: bool) -> Result<Value, E> {
            Ok(Value::Bool(b))
        }

        fn visit_i64<E>(self, n: i64) -> Result<Value, E> {
            Ok(Value::Number(n.into()))
        }

        fn visit_u64<E>(self, n: u64) -> Result<Value, E> {
            Ok(Value::Number(n.into()))
        }

        fn visit_f64<E: de::Error>(self, x: f64) -> Result<Value, E> {
            Number::from_f64(x)
                .map(Value::Number)
                .ok_or_else(|| E::custom("a json number is finite"))
        }

        fn visit_str<E>(self, s: &str) -> Result<Value, E> {
            Ok(Value::String(s.to_owned()))
        }

        fn visit_string<E>(self, s: String) -> Result<Value, E> {
            Ok(Value::String(s))
        }

        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
            let mut out = Vec::new();
            while let Some(v) = seq.next_element()? {
                out.push(v);
            }
            Ok(Value::Array(out))
        }

        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
            let mut pairs = Vec::new();
            while let Some((k, v)) = map.next_entry::<String, Value>()? {
                pairs.push((super::keys::owned(k), v));
            }
            Ok(Value::Object(Map::from_pairs(pairs)))
        }
    }

    impl<'de> Deserialize<'de> for Value {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            d.deserialize_any(ValueVisitor)
        }
    }

    impl<'de> Deserialize<'de> for Number {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            match Value::deserialize(d)? {
                Value::Number(n) => Ok(n),
                _ => Err(de::Error::custom("expected a number")),
            }
        }
    }

    impl From<&serde_json::Value> for Value {
        fn from(v: &serde_json::Value) -> Self {
            match v {
                serde_json::Value::Null => Value::Null,
                serde_json::Value::Bool(b) => Value::Bool(*b),
                serde_json::Value::Number(n) => Value::Number(Number::from_checked(&n.to_string())),
                serde_json::Value::String(s) => Value::String(s.clone()),
                serde_json::Value::Array(a) => Value::Array(a.iter().map(Value::from).collect()),
                serde_json::Value::Object(m) => Value::Object(Map::from_pairs(
                    m.iter()
                        .map(|(k, v)| (super::keys::key(k), Value::from(v)))
                        .collect(),
                )),
            }
        }
    }

    impl From<serde_json::Value> for Value {
        fn from(v: serde_json::Value) -> Self {
            Value::from(&v)
        }
    }

    impl From<&Value> for serde_json::Value {
        fn from(v: &Value) -> Self {
            serde_json::to_value(v).unwrap_or(serde_json::Value::Null)
        }
    }

    impl From<Value> for serde_json::Value {
        fn from(v: Value) -> Self {
            serde_json::Value::from(&v)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn later_duplicates_few_and_many_agree() {
        let words = ["a", "b", "c", "a", "d", "b", "a"];
        for n in [0, 1, 3, 7, 63, 64, 65, 200] {
            let items: Vec<Option<&str>> = (0..n)
                .map(|i| (i % 5 != 4).then(|| words[(i * 7 + i / 9) % words.len()]))
                .collect();
            let r = later_duplicates(items.iter().copied());
            assert_eq!(matches!(r, Repeats::Many(_)), n > 64, "{n}");
            for (i, item) in items.iter().enumerate() {
                let expected = item.is_some() && items[..i].contains(item);
                assert_eq!(r.at(i), expected, "{n} items, item {i}");
            }
        }
    }

    #[test]
    fn suggestions_valid() {
        assert_eq!(suggest("captoin", &["caption", "url"]), Some("caption"));
        assert_eq!(suggest("Caption", &["caption", "url"]), Some("caption"));
        assert_eq!(suggest("link", &["caption", "url", "id"]), Some("url"));
        assert_eq!(suggest("tpye", &["to", "type"]), Some("type"));
    }

    #[test]
    fn suggestions_invalid() {
        assert_eq!(suggest("colour", &["caption", "url"]), None);
        assert_eq!(suggest("link", &["caption"]), None);
    }

    #[test]
    fn pointer_escapes() {
        let mut p = String::new();
        push_key(&mut p, "a/b~c");
        assert_eq!(p, "/a~1b~0c");
        let v = parse(br#"{"a/b~c": [1, {"x": true}]}"#).expect("json");
        assert_eq!(v.pointer("/a~1b~0c/1/x"), Some(&Value::Bool(true)));
    }

    #[test]
    fn repeated_keys_keep_first_place_and_last_value() {
        let v = parse(br#"{"a": 1, "b": 2, "a": 3}"#).expect("json");
        assert_eq!(v.to_json(), r#"{"a":3,"b":2}"#);
    }

    #[test]
    fn magnitude_against_a_bound() {
        let n = |t: &str| Number::from_checked(t);
        for (t, bound, over) in [
            ("90", 90, false),
            ("90.0", 90, false),
            ("90.0000001", 90, true),
            ("-90.5", 90, true),
            ("-90", 90, false),
            ("89.999", 90, false),
            ("9e1", 90, false),
            ("9.1e1", 90, true),
            ("0.9e2", 90, false),
            ("1e3", 180, true),
            ("180.01", 180, true),
            ("-200", 180, true),
            ("0", 90, false),
            ("-0.0", 90, false),
            ("1e-400", 90, false),
            ("1e99999999999999999999", 90, true),
            ("123", 90, true),
            ("00.5", 90, false),
        ] {
            assert_eq!(n(t).magnitude_exceeds(bound), over, "{t} vs {bound}");
        }
    }

    #[test]
    fn numbers_keep_their_text() {
        let v = parse(b"[90, 19.076, -0.5, 1e3, 100990]").expect("json");
        assert_eq!(v.to_json(), "[90,19.076,-0.5,1e3,100990]");
        assert_eq!(
            Number::from_f64(90.0).map(|n| n.to_string()).as_deref(),
            Some("90")
        );
        assert_eq!(
            Number::from_f64(90.5).map(|n| n.to_string()).as_deref(),
            Some("90.5")
        );
    }
}
