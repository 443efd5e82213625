//! Where a walk is. `Where`, the validator's: the steps down, the pointer
//! written only when asked. `Pointer`, the normalized text's writer's (it
//! compares each place with the rewrites' pointers): the text grown and
//! truncated as the walk goes, on the stack while it is short.

/// Bytes kept inline; a longer pointer (a long unknown key) moves to the heap.
const INLINE: usize = 96;

pub(crate) struct Pointer {
    inline: [u8; INLINE],
    len: usize,
    /// The whole pointer once it outgrew `inline`.
    heap: Option<String>,
}

impl Pointer {
    pub fn new() -> Self {
        Pointer {
            inline: [0; INLINE],
            len: 0,
            heap: None,
        }
    }

    pub fn len(&self) -> usize {
        self.heap.as_ref().map_or(self.len, String::len)
    }

    pub fn as_str(&self) -> &str {
        match &self.heap {
            Some(s) => s,
            // Only whole `&str`s are appended and only their ends truncated to.
            None => std::str::from_utf8(&self.inline[..self.len]).unwrap_or_default(),
        }
    }

    fn push_str(&mut self, s: &str) {
        if let Some(h) = &mut self.heap {
            h.push_str(s);
        } else if self.len + s.len() <= INLINE {
            self.inline[self.len..self.len + s.len()].copy_from_slice(s.as_bytes());
            self.len += s.len();
        } else {
            let mut h = String::with_capacity(2 * (self.len + s.len()));
            h.push_str(self.as_str());
            h.push_str(s);
            self.heap = Some(h);
        }
    }

    /// Goes back to a length [`len`](Self::len) gave.
    pub fn truncate(&mut self, len: usize) {
        match &mut self.heap {
            Some(h) => h.truncate(len),
            None => self.len = len.min(self.len),
        }
    }

    /// Appends `/key`, escaped as RFC 6901 says (`~0`, `~1`). Out of line: every
    /// walker's `Ctx::key` is its own copy, and each would carry this one.
    #[inline(never)]
    pub fn push_key(&mut self, key: &str) {
        self.push_str("/");
        // Bytes, not chars: `~` and `/` are ASCII, and a char pattern decodes UTF-8.
        if !key.bytes().any(|b| b == b'~' || b == b'/') {
            self.push_str(key);
            return;
        }
        let mut escaped = String::with_capacity(key.len() + 4);
        crate::json::push_key(&mut escaped, key);
        self.push_str(&escaped[1..]);
    }

    /// Appends `/i`; out of line as [`push_key`](Self::push_key) is.
    #[inline(never)]
    pub fn push_index(&mut self, i: usize) {
        self.push_str("/");
        let i = u64::try_from(i).unwrap_or(u64::MAX);
        self.push_str(crate::json::digits(i, &mut [0; 20]));
    }
}

/// Where a walk is, as the steps that led there: the JSON Pointer is written
/// only when an issue or a rewrite needs it (copying each key as the walk went
/// was a twentieth of a payload's time in wasm). Keys are the walkers' known
/// field names, so the steps borrow nothing from the payload.
pub(crate) struct Where {
    steps: [Step; DEEP],
    len: usize,
    /// Steps past [`DEEP`]; no payload goes that deep, a hostile one may.
    deeper: Vec<Step>,
}

#[derive(Clone, Copy)]
enum Step {
    Key(&'static str),
    Index(usize),
}

/// Steps kept inline: a payload's deepest field is six down.
const DEEP: usize = 16;

impl Where {
    pub fn new() -> Self {
        Where {
            steps: [Step::Index(0); DEEP],
            len: 0,
            deeper: Vec::new(),
        }
    }

    fn push(&mut self, step: Step) {
        if let Some(slot) = self.steps.get_mut(self.len) {
            *slot = step;
            self.len += 1;
        } else {
            self.deeper.push(step);
        }
    }

    /// One step down, at `key`. Out of line, as the steps below: every walker's
    /// `Ctx::key` is its own copy (2 KB gzip of the module inlined).
    #[inline(never)]
    pub fn push_key(&mut self, key: &'static str) {
        self.push(Step::Key(key));
    }

    /// One step down, at array index `i`.
    #[inline(never)]
    pub fn push_index(&mut self, i: usize) {
        self.push(Step::Index(i));
    }

    /// One step back up.
    #[inline(never)]
    pub fn pop(&mut self) {
        if self.deeper.pop().is_none() {
            self.len = self.len.saturating_sub(1);
        }
    }

    /// The JSON Pointer (RFC 6901) of where the walk is.
    #[inline(never)]
    pub fn pointer(&self) -> String {
        // Written by `Pointer`, the one writer of a step's escapes and digits.
        let mut out = Pointer::new();
        for step in self.steps[..self.len].iter().chain(&self.deeper) {
            match *step {
                Step::Key(k) => out.push_key(k),
                Step::Index(i) => out.push_index(i),
            }
        }
        out.as_str().to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_write_the_pointer_the_pointer_does() {
        // Deeper than the inline steps, through keys that need escaping.
        let keys = ["interactive", "a/b~c", "é", "x"];
        let (mut w, mut p, mut marks) = (Where::new(), Pointer::new(), Vec::new());
        for depth in 0..40 {
            marks.push(p.len());
            if depth % 3 == 2 {
                w.push_index(depth * 1000);
                p.push_index(depth * 1000);
            } else {
                w.push_key(keys[depth % keys.len()]);
                p.push_key(keys[depth % keys.len()]);
            }
            assert_eq!(w.pointer(), p.as_str());
        }
        while let Some(mark) = marks.pop() {
            w.pop();
            p.truncate(mark);
            assert_eq!(w.pointer(), p.as_str());
        }
        assert_eq!(w.pointer(), "");
    }

    #[test]
    fn grows_truncates_and_spills() {
        let mut p = Pointer::new();
        p.push_key("interactive");
        let mark = p.len();
        p.push_index(0);
        p.push_key("a/b~c");
        assert_eq!(p.as_str(), "/interactive/0/a~1b~0c");
        p.truncate(mark);
        p.push_index(1_234_567);
        assert_eq!(p.as_str(), "/interactive/1234567");
        let long = "k".repeat(200);
        p.push_key(&long);
        assert_eq!(p.as_str(), format!("/interactive/1234567/{long}"));
        p.truncate(mark);
        assert_eq!(p.as_str(), "/interactive");
        p.push_key("é");
        assert_eq!(p.as_str(), "/interactive/é");
    }
}
