//! The walk's state: where we are (a JSON Pointer) and what was found so far,
//! with the field-level checks every message part shares.

use super::pointer::Where;
use crate::issue::{Code, Issue, Unit};
use crate::json::{kind, same_name, suggest, Kind, Number, Read, Value};
use crate::limits::Limit;

pub(crate) struct Ctx {
    at: Where,
    pub errors: Vec<Issue>,
    pub warnings: Vec<Issue>,
    /// Values the normalized payload carries instead of the submitted ones
    /// (a canonical `to`, a lowercased enum), by JSON Pointer.
    pub rewrites: Vec<(String, Value)>,
}

impl Ctx {
    pub fn new() -> Self {
        Ctx {
            at: Where::new(),
            errors: Vec::new(),
            warnings: Vec::new(),
            rewrites: Vec::new(),
        }
    }

    /// The normalized payload carries `value` here instead of what was sent.
    pub fn rewrite(&mut self, value: Value) {
        self.rewrites.push((self.path(), value));
    }

    /// Runs `f` one level down, at `key` (a walker's field name: the walk keeps
    /// the steps and writes a pointer only for an issue).
    pub fn key<R>(&mut self, key: &'static str, f: impl FnOnce(&mut Self) -> R) -> R {
        self.at.push_key(key);
        let r = f(self);
        self.at.pop();
        r
    }

    /// Runs `f` one level down, at array index `i`.
    pub fn index<R>(&mut self, i: usize, f: impl FnOnce(&mut Self) -> R) -> R {
        self.at.push_index(i);
        let r = f(self);
        self.at.pop();
        r
    }

    /// The JSON Pointer of where the walk is.
    pub fn path(&self) -> String {
        self.at.pointer()
    }

    /// The JSON Pointer of `key` (any key, a submitted one too) where the walk is.
    fn path_to(&self, key: &str) -> String {
        let mut path = self.path();
        crate::json::push_key(&mut path, key);
        path
    }

    /// An issue at an absolute pointer, for checks made after the walk (definitions).
    pub fn push(&mut self, issue: Issue) {
        self.errors.push(issue);
    }

    pub fn error(&mut self, code: Code, message: impl Into<String>) -> &mut Issue {
        self.errors.push(Issue::new(code, self.path(), message));
        self.errors.last_mut().expect("just pushed")
    }

    pub fn limit(
        &mut self,
        code: Code,
        message: impl Into<String>,
        limit: usize,
        actual: usize,
        unit: Unit,
    ) {
        let issue =
            Issue::new(code, self.path(), message).with_limit(limit as u64, actual as u64, unit);
        self.errors.push(issue);
    }

    pub fn warn(&mut self, code: Code, message: impl Into<String>) -> &mut Issue {
        self.warnings.push(Issue::new(code, self.path(), message));
        self.warnings.last_mut().expect("just pushed")
    }

    pub fn error_at(&mut self, key: &str, code: Code, message: impl Into<String>) {
        let issue = Issue::new(code, self.path_to(key), message);
        self.errors.push(issue);
    }

    /// An `unknown_field` at `key`, with a did-you-mean when a known field is close.
    pub fn unknown(&mut self, key: &str, known: &[&'static str]) {
        let suggestion = suggest(key, known);
        let message = match suggestion {
            Some(s) => format!("unknown field `{key}`; did you mean `{s}`?"),
            None => format!(
                "unknown field `{key}`; expected one of: {}",
                known.join(", ")
            ),
        };
        let mut issue = Issue::new(Code::UnknownField, self.path_to(key), message);
        issue.suggestion = suggestion.map(str::to_owned);
        self.errors.push(issue);
    }

    /// `required` for each of `fields` absent (or `null`) from `obj`.
    /// `what` is written only into an issue, so a caller may pass
    /// `format_args!` and pay for the text only when a field is missing.
    pub fn require<'a>(
        &mut self,
        obj: impl Read<'a>,
        fields: &[&str],
        what: impl std::fmt::Display,
    ) {
        self.require_where(fields, what, |f| has(obj, f));
    }

    /// `required` for each of `fields` that `present` says is not there: the
    /// one loop behind [`require`](Self::require) and [`Seen::require`].
    fn require_where(
        &mut self,
        fields: &[&str],
        what: impl std::fmt::Display,
        present: impl Fn(&str) -> bool,
    ) {
        for f in fields {
            if !present(f) {
                self.error_at(f, Code::Required, format!("{what} needs `{f}`"));
            }
        }
    }

    pub fn wrong_type<'v>(&mut self, what: &str, expected: &str, got: impl Read<'v>) {
        self.error(
            Code::WrongType,
            format!("{what} must be {expected}, not {}", kind(got)),
        );
    }

    /// The value as an object, or a `wrong_type` issue.
    pub fn object<'v, R: Read<'v>>(&mut self, v: R, what: &str) -> Option<R> {
        if v.kind() == Kind::Object {
            return Some(v);
        }
        self.wrong_type(what, "an object", v);
        None
    }

    pub fn array<'v, R: Read<'v>>(&mut self, v: R, what: &str) -> Option<R> {
        if v.kind() == Kind::Array {
            return Some(v);
        }
        self.wrong_type(what, "an array", v);
        None
    }

    pub fn string<'v>(&mut self, v: impl Read<'v>, what: &str) -> Option<&'v str> {
        let s = v.as_str();
        if s.is_none() {
            self.wrong_type(what, "a string", v);
        }
        s
    }

    /// A string of `min..=max` chars; `""` and whitespace-only are `empty` when `min > 0`.
    pub fn text<'v>(
        &mut self,
        v: impl Read<'v>,
        what: &str,
        min: usize,
        max: usize,
    ) -> Option<&'v str> {
        let s = self.string(v, what)?;
        let n = s.chars().count();
        if min > 0 && n == 0 {
            self.error(Code::Empty, format!("{what} is empty"));
        } else if min > 0 && s.chars().all(char::is_whitespace) {
            self.error(Code::Empty, format!("{what} is only whitespace"));
        } else if n < min {
            self.limit(
                Code::TooShort,
                format!("{what} is {n} chars; the minimum is {min}"),
                min,
                n,
                Unit::Chars,
            );
        } else if n > max {
            self.limit(
                Code::TooLong,
                format!("{what} is {n} chars; the limit is {max}"),
                max,
                n,
                Unit::Chars,
            );
        }
        Some(s)
    }

    /// A string within a RULES.md length limit.
    pub fn bounded<'v>(&mut self, v: impl Read<'v>, what: &str, limit: &Limit) -> Option<&'v str> {
        let (min, max) = limit.bounds();
        self.text(v, what, min, max)
    }

    /// An array within a RULES.md count limit.
    pub fn counted<'v, R: Read<'v>>(&mut self, v: R, what: &str, limit: &Limit) -> Option<R> {
        let (min, max) = limit.bounds();
        self.items(v, what, min, max)
    }

    /// An identifier: `1..=max` chars with no leading or trailing whitespace.
    pub fn id<'v>(&mut self, v: impl Read<'v>, what: &str, max: usize) -> Option<&'v str> {
        let s = self.string(v, what)?;
        let n = s.chars().count();
        if n == 0 {
            self.error(Code::Empty, format!("{what} is empty"));
        } else if n > max {
            self.limit(
                Code::TooLong,
                format!("{what} is {n} chars; the limit is {max}"),
                max,
                n,
                Unit::Chars,
            );
        } else if s.trim() != s {
            self.error(
                Code::InvalidFormat,
                format!("{what} has leading or trailing whitespace"),
            );
        }
        Some(s)
    }

    /// An array of `min..=max` items.
    pub fn items<'v, R: Read<'v>>(
        &mut self,
        v: R,
        what: &str,
        min: usize,
        max: usize,
    ) -> Option<R> {
        let a = self.array(v, what)?;
        let n = a.count();
        if n < min {
            self.limit(
                Code::TooFew,
                format!("{what} has {n} items; the minimum is {min}"),
                min,
                n,
                Unit::Items,
            );
        } else if n > max {
            self.limit(
                Code::TooMany,
                format!("{what} has {n} items; the limit is {max}"),
                max,
                n,
                Unit::Items,
            );
        }
        Some(a)
    }

    /// A coordinate within `limit` degrees: a JSON number, or a string holding a
    /// decimal number (Meta's own examples send strings), kept as given. Compared
    /// and shown as sent: float parsing and printing would cost the wasm module
    /// more than this file.
    pub fn degrees<'v>(&mut self, v: impl Read<'v>, what: &str, limit: &Limit) {
        let text = match (v.number(), v.as_str()) {
            (Some(n), _) => n,
            (_, Some(s)) if is_decimal(s) => s,
            (_, Some(s)) => {
                self.error(
                    Code::InvalidFormat,
                    format!(
                        "{what} \"{}\" is not a decimal number",
                        crate::issue::visible(s)
                    ),
                );
                return;
            }
            _ => {
                self.wrong_type(what, "a number or a string holding one", v);
                return;
            }
        };
        let bound = limit.max.unsigned_abs();
        if crate::json::exceeds(text, bound) {
            let negative = text.starts_with('-');
            let edge = if negative { limit.min } else { limit.max };
            let issue = Issue::new(
                Code::OutOfRange,
                self.path(),
                format!(
                    "{what} is {text}; it must be between {} and {}",
                    limit.min, limit.max
                ),
            );
            self.errors.push(Issue {
                limit: Some(Number::from(edge)),
                actual: Some(Number::from_checked(text)),
                unit: Some(limit.unit),
                ..issue
            });
        }
    }
}

/// A decimal number as text: `-`, digits without a leading zero, an optional
/// fraction. No `+`, no exponent, no spaces (strict, as every number wasend reads).
pub(crate) fn is_decimal(s: &str) -> bool {
    let b = s.strip_prefix('-').unwrap_or(s).as_bytes();
    let int_end = b
        .iter()
        .position(|c| !c.is_ascii_digit())
        .unwrap_or(b.len());
    let (int, rest) = b.split_at(int_end);
    let int_ok = int == b"0" || (!int.is_empty() && int[0] != b'0');
    let frac_ok = match rest {
        [] => true,
        [b'.', frac @ ..] => !frac.is_empty() && frac.iter().all(u8::is_ascii_digit),
        _ => false,
    };
    int_ok && frac_ok
}

/// Walks `obj` in payload order: `null` fields count as absent, known fields go
/// to `field`, others are `unknown_field`. Says which known fields were present,
/// so that what is required is checked without looking each one up again.
pub(crate) fn fields<'v, 'k, R: Read<'v>>(
    c: &mut Ctx,
    obj: R,
    known: &'k [&'static str],
    mut field: impl FnMut(&mut Ctx, &str, R),
) -> Seen<'k, R> {
    let mask = walk_fields(c, obj, known, &mut field);
    Seen { obj, known, mask }
}

/// [`fields`] with `field` behind a pointer: one copy of the walk for every
/// walker, where a generic one was copied into each (kilobytes of the module,
/// BENCHMARKS.md, for no speed measured).
#[inline(never)]
fn walk_fields<'v, R: Read<'v>>(
    c: &mut Ctx,
    obj: R,
    known: &[&'static str],
    field: &mut dyn FnMut(&mut Ctx, &str, R),
) -> u64 {
    let mut mask = 0u64;
    for (k, v) in obj.fields() {
        match place(known, k) {
            None => c.unknown(k, known),
            Some(_) if v.is_null() => {}
            Some(i) => {
                // Past 64 names a field is not recorded: `Seen::has` looks it up.
                if i < 64 {
                    mask |= 1 << i;
                }
                c.key(known[i], |c| field(c, k, v));
            }
        }
    }
    mask
}

/// Where `name` stands in a walker's list of known fields.
fn place(known: &[&str], name: &str) -> Option<usize> {
    known.iter().position(|n| same_name(n, name))
}

/// The known fields of an object [`fields`] walked that are present and not
/// `null`: `has` and `require` read the walk's answer instead of looking up
/// each name again (a tenth of a list payload's time went to those lookups).
#[derive(Clone, Copy)]
pub(crate) struct Seen<'k, R> {
    obj: R,
    known: &'k [&'static str],
    mask: u64,
}

impl<'v, R: Read<'v>> Seen<'_, R> {
    /// Present and not `null`, as [`has`] says.
    pub fn has(&self, name: &str) -> bool {
        match place(self.known, name) {
            Some(i) if i < 64 => self.mask & (1 << i) != 0,
            // A name the walk did not know (or past the mask): looked up.
            _ => has(self.obj, name),
        }
    }

    /// `required` for each of `fields` absent (or `null`), as [`Ctx::require`].
    pub fn require(&self, c: &mut Ctx, fields: &[&str], what: impl std::fmt::Display) {
        c.require_where(fields, what, |f| self.has(f));
    }
}

/// Present and not `null`.
#[inline]
pub(crate) fn has<'a>(obj: impl Read<'a>, key: &str) -> bool {
    obj.get(key).is_some_and(|v| !v.is_null())
}
