//! The walk's JSON Pointer, grown and truncated as the walk goes down and back
//! up: held on the stack while it is short (every payload's paths are), so a
//! walk that reports nothing allocates nothing for it.

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

#[cfg(test)]
mod tests {
    use super::*;

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
