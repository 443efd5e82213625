//! The regular-expression dialect of libphonenumber's metadata, over ASCII digits.
//!
//! Google's patterns use a small subset of regex syntax: digits, `\d`, bracket
//! classes, `(…)` and `(?:…)` groups, `|`, `?` and bounded `{n}`/`{n,m}` counts,
//! plus a trailing `$` in some national-prefix rules. This module parses that
//! subset into a backtracking program with JavaScript's semantics (ordered
//! alternation, greedy counts, capture groups), which is what the national-prefix
//! transform rules were written against. `build.rs` includes this same file to
//! check every pattern of the metadata at build time, so the parser exists once.
//!
//! Backtracking is fast here because Google's patterns discriminate on leading
//! digits: a failed branch fails within a digit or two (see BENCHMARKS.md).

/// One instruction of a backtracking program.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Inst {
    /// Consume one digit whose bit is set (bit `d` for digit `d`).
    Digits(u16),
    /// Try the first target, then the second. The masks hold the digits each
    /// branch can start with (all ten when it can match empty): a branch that cannot
    /// start with the next digit is skipped, and when only one can, it is taken
    /// without a call to come back from. Google's patterns are long alternations
    /// keyed on leading digits, so this is where matching spends its time.
    Split(u32, u32, u16, u16),
    Jump(u32),
    /// Record the input position in capture slot `n`.
    Save(u32),
    /// Succeed only at the end of the input.
    End,
    Match,
}

/// A compiled pattern, as the parser makes it.
#[derive(Clone, Debug)]
pub struct Program {
    pub insts: Vec<Inst>,
    /// Number of capture groups, not counting the whole match.
    pub groups: usize,
}

impl Program {
    /// A program that matches nothing.
    pub fn never() -> Self {
        Program {
            insts: vec![Inst::Digits(0), Inst::Match],
            groups: 0,
        }
    }
}

#[derive(Debug)]
enum Node {
    Digits(u16),
    Concat(Vec<Node>),
    Alt(Vec<Node>),
    Capture(Box<Node>, u32),
    Repeat(Box<Node>, u32, u32),
    End,
}

/// Why a metadata pattern could not be read; only `build.rs` should ever see one.
#[derive(Debug, PartialEq, Eq)]
pub struct PatternError {
    pub pattern: String,
    pub at: usize,
    pub reason: &'static str,
}

impl std::fmt::Display for PatternError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "pattern \"{}\" at byte {}: {}",
            self.pattern, self.at, self.reason
        )
    }
}

const ALL_DIGITS: u16 = 0x3ff;
/// A count above this is not in the metadata and would only bloat programs.
const MAX_COUNT: u32 = 32;

struct Parser<'a> {
    src: &'a [u8],
    pos: usize,
    groups: u32,
}

impl Parser<'_> {
    fn err(&self, reason: &'static str) -> PatternError {
        PatternError {
            pattern: String::from_utf8_lossy(self.src).into_owned(),
            at: self.pos,
            reason,
        }
    }

    fn peek(&self) -> Option<u8> {
        self.src.get(self.pos).copied()
    }

    fn alt(&mut self) -> Result<Node, PatternError> {
        let mut branches = vec![self.concat()?];
        while self.peek() == Some(b'|') {
            self.pos += 1;
            branches.push(self.concat()?);
        }
        Ok(if branches.len() == 1 {
            branches.remove(0)
        } else {
            Node::Alt(branches)
        })
    }

    fn concat(&mut self) -> Result<Node, PatternError> {
        let mut items = Vec::new();
        while let Some(c) = self.peek() {
            if c == b'|' || c == b')' {
                break;
            }
            let atom = self.atom()?;
            items.push(self.quantified(atom)?);
        }
        Ok(if items.len() == 1 {
            items.remove(0)
        } else {
            Node::Concat(items)
        })
    }

    fn atom(&mut self) -> Result<Node, PatternError> {
        let c = self.peek().ok_or_else(|| self.err("unexpected end"))?;
        self.pos += 1;
        match c {
            b'0'..=b'9' => Ok(Node::Digits(1 << (c - b'0'))),
            b'\\' => match self.peek() {
                Some(b'd') => {
                    self.pos += 1;
                    Ok(Node::Digits(ALL_DIGITS))
                }
                _ => Err(self.err("only \\d is supported after a backslash")),
            },
            b'[' => self.class(),
            b'(' => {
                let capture = if self.src[self.pos..].starts_with(b"?:") {
                    self.pos += 2;
                    None
                } else {
                    self.groups += 1;
                    if self.groups as usize > MAX_GROUPS {
                        return Err(self.err("too many capture groups"));
                    }
                    Some(self.groups)
                };
                let inner = self.alt()?;
                if self.peek() != Some(b')') {
                    return Err(self.err("unclosed group"));
                }
                self.pos += 1;
                Ok(match capture {
                    Some(n) => Node::Capture(Box::new(inner), n),
                    None => inner,
                })
            }
            b'$' => Ok(Node::End),
            _ => Err(self.err("unsupported character")),
        }
    }

    fn class(&mut self) -> Result<Node, PatternError> {
        let mut set = 0u16;
        let negate = self.peek() == Some(b'^');
        if negate {
            self.pos += 1;
        }
        loop {
            let c = self.peek().ok_or_else(|| self.err("unclosed class"))?;
            self.pos += 1;
            match c {
                b']' => break,
                b'\\' if self.peek() == Some(b'd') => {
                    self.pos += 1;
                    set |= ALL_DIGITS;
                }
                b'0'..=b'9' => {
                    if self.peek() == Some(b'-') && self.src.get(self.pos + 1) != Some(&b']') {
                        let hi = *self
                            .src
                            .get(self.pos + 1)
                            .ok_or_else(|| self.err("bad range"))?;
                        if !hi.is_ascii_digit() || hi < c {
                            return Err(self.err("bad range"));
                        }
                        self.pos += 2;
                        for d in c..=hi {
                            set |= 1 << (d - b'0');
                        }
                    } else {
                        set |= 1 << (c - b'0');
                    }
                }
                _ => return Err(self.err("unsupported character in class")),
            }
        }
        Ok(Node::Digits(if negate { !set & ALL_DIGITS } else { set }))
    }

    fn number(&mut self) -> Option<u32> {
        let start = self.pos;
        while self.peek().is_some_and(|c| c.is_ascii_digit()) {
            self.pos += 1;
        }
        std::str::from_utf8(&self.src[start..self.pos])
            .ok()?
            .parse()
            .ok()
    }

    fn quantified(&mut self, atom: Node) -> Result<Node, PatternError> {
        match self.peek() {
            Some(b'?') => {
                self.pos += 1;
                Ok(Node::Repeat(Box::new(atom), 0, 1))
            }
            Some(b'{') => {
                self.pos += 1;
                let min = self.number().ok_or_else(|| self.err("bad count"))?;
                let max = if self.peek() == Some(b',') {
                    self.pos += 1;
                    self.number().ok_or_else(|| self.err("open-ended count"))?
                } else {
                    min
                };
                if self.peek() != Some(b'}') || max < min || max > MAX_COUNT {
                    return Err(self.err("bad count"));
                }
                self.pos += 1;
                Ok(Node::Repeat(Box::new(atom), min, max))
            }
            Some(b'*' | b'+') => Err(self.err("unbounded repetition")),
            _ => Ok(atom),
        }
    }
}

/// Parses a metadata pattern.
pub fn compile(pattern: &str) -> Result<Program, PatternError> {
    let mut parser = Parser {
        src: pattern.as_bytes(),
        pos: 0,
        groups: 0,
    };
    let node = parser.alt()?;
    if parser.pos != parser.src.len() {
        return Err(parser.err("unbalanced parenthesis"));
    }
    let mut insts = Vec::new();
    emit(&node, &mut insts);
    insts.push(Inst::Match);
    // Each split learns which digits each of its branches can start with.
    let mut memo = vec![None; insts.len()];
    for pc in 0..insts.len() {
        if let Inst::Split(a, b, _, _) = insts[pc] {
            let first = first_digits(&insts, a as usize, &mut memo);
            let second = first_digits(&insts, b as usize, &mut memo);
            insts[pc] = Inst::Split(a, b, first, second);
        }
    }
    Ok(Program {
        insts,
        groups: parser.groups as usize,
    })
}

/// The digits a match from `pc` can consume first; all ten when it may consume
/// none (so the caller must try it whatever comes next).
fn first_digits(insts: &[Inst], pc: usize, memo: &mut [Option<u16>]) -> u16 {
    if let Some(m) = memo[pc] {
        return m;
    }
    let m = match insts[pc] {
        Inst::Digits(set) => set,
        Inst::Split(a, b, _, _) => {
            first_digits(insts, a as usize, memo) | first_digits(insts, b as usize, memo)
        }
        Inst::Jump(t) => first_digits(insts, t as usize, memo),
        Inst::Save(_) => first_digits(insts, pc + 1, memo),
        Inst::End | Inst::Match => ALL_DIGITS,
    };
    memo[pc] = Some(m);
    m
}

fn here(insts: &[Inst]) -> u32 {
    insts.len() as u32
}

fn emit(node: &Node, insts: &mut Vec<Inst>) {
    match node {
        Node::Digits(set) => insts.push(Inst::Digits(*set)),
        Node::End => insts.push(Inst::End),
        Node::Concat(items) => items.iter().for_each(|n| emit(n, insts)),
        Node::Capture(inner, n) => {
            insts.push(Inst::Save(2 * n));
            emit(inner, insts);
            insts.push(Inst::Save(2 * n + 1));
        }
        Node::Alt(branches) => {
            let mut jumps = Vec::new();
            for (i, branch) in branches.iter().enumerate() {
                if i + 1 < branches.len() {
                    let split = insts.len();
                    insts.push(Inst::Split(0, 0, ALL_DIGITS, ALL_DIGITS));
                    emit(branch, insts);
                    jumps.push(insts.len());
                    insts.push(Inst::Jump(0));
                    insts[split] =
                        Inst::Split(split as u32 + 1, here(insts), ALL_DIGITS, ALL_DIGITS);
                } else {
                    emit(branch, insts);
                }
            }
            let end = here(insts);
            for j in jumps {
                insts[j] = Inst::Jump(end);
            }
        }
        Node::Repeat(inner, min, max) => {
            for _ in 0..*min {
                emit(inner, insts);
            }
            // Greedy optional copies, nested so that copy k+1 is only tried after copy k.
            let mut splits = Vec::new();
            for _ in *min..*max {
                splits.push(insts.len());
                insts.push(Inst::Split(0, 0, ALL_DIGITS, ALL_DIGITS));
                emit(inner, insts);
            }
            let end = here(insts);
            for s in splits {
                insts[s] = Inst::Split(s as u32 + 1, end, ALL_DIGITS, ALL_DIGITS);
            }
        }
    }
}

/// Capture positions of a successful match: slot `2n`/`2n+1` bound group `n`, group 0
/// being the whole match.
pub type Captures = [Option<usize>; 2 * (MAX_GROUPS + 1)];

/// Capture groups a pattern may have; the metadata's national-prefix rules use at
/// most three. A fixed array keeps matching free of allocation.
pub const MAX_GROUPS: usize = 7;

impl Program {
    /// Matches at the start of `input` (like JavaScript's `^(?:…)`), returning the captures.
    pub fn match_prefix(&self, input: &[u8]) -> Option<Captures> {
        let mut slots: Captures = [None; 2 * (MAX_GROUPS + 1)];
        slots[0] = Some(0);
        let mut budget = STEP_BUDGET;
        let end = self.run(0, 0, input, &mut slots, &mut budget, false)?;
        slots[1] = Some(end);
        Some(slots)
    }

    /// Does the whole of `input` match (like `^(?:…)$`)?
    pub fn matches_entirely(&self, input: &[u8]) -> bool {
        let mut slots: Captures = [None; 2 * (MAX_GROUPS + 1)];
        let mut budget = STEP_BUDGET;
        self.run(0, 0, input, &mut slots, &mut budget, true)
            .is_some()
    }

    fn run(
        &self,
        mut pc: usize,
        mut sp: usize,
        input: &[u8],
        slots: &mut Captures,
        budget: &mut u32,
        full: bool,
    ) -> Option<usize> {
        loop {
            *budget = budget.checked_sub(1)?;
            match self.insts[pc] {
                Inst::Digits(set) => {
                    let d = *input.get(sp)?;
                    if !d.is_ascii_digit() || set & (1 << (d - b'0')) == 0 {
                        return None;
                    }
                    pc += 1;
                    sp += 1;
                }
                Inst::Split(a, b, first, second) => {
                    let (a_may, b_may) = match input.get(sp) {
                        Some(d) if d.is_ascii_digit() => {
                            let bit = 1 << (d - b'0');
                            (first & bit != 0, second & bit != 0)
                        }
                        // At the end, or before anything else, only a branch that
                        // may match empty (all ten digits in its mask) can go on.
                        _ => (first == ALL_DIGITS, second == ALL_DIGITS),
                    };
                    match (a_may, b_may) {
                        (true, true) => {
                            if let Some(end) = self.run(a as usize, sp, input, slots, budget, full)
                            {
                                return Some(end);
                            }
                            pc = b as usize;
                        }
                        (true, false) => pc = a as usize,
                        (false, true) => pc = b as usize,
                        (false, false) => return None,
                    }
                }
                Inst::Jump(a) => pc = a as usize,
                Inst::Save(n) => {
                    let old = slots[n as usize];
                    slots[n as usize] = Some(sp);
                    if let Some(end) = self.run(pc + 1, sp, input, slots, budget, full) {
                        return Some(end);
                    }
                    slots[n as usize] = old;
                    return None;
                }
                Inst::End => {
                    if sp != input.len() {
                        return None;
                    }
                    pc += 1;
                }
                Inst::Match => return (!full || sp == input.len()).then_some(sp),
            }
        }
    }
}

/// Bounds the work of one match: metadata patterns never need more, and a bound
/// keeps a hostile input from turning backtracking into a denial of service.
const STEP_BUDGET: u32 = 200_000;

/// The matcher as it was before the masks (each split tries its first branch,
/// then its second), and a way to draw strings a program matches: the tests hold
/// the masked matcher to it on every pattern of the metadata.
#[cfg(test)]
pub(crate) mod reference {
    use super::{Captures, Inst, Program, MAX_GROUPS};

    fn run(
        p: &Program,
        pc: usize,
        sp: usize,
        input: &[u8],
        slots: &mut Captures,
        full: bool,
    ) -> Option<usize> {
        match p.insts[pc] {
            Inst::Digits(set) => {
                let d = *input.get(sp)?;
                (d.is_ascii_digit() && set & (1 << (d - b'0')) != 0)
                    .then(|| run(p, pc + 1, sp + 1, input, slots, full))
                    .flatten()
            }
            Inst::Split(a, b, _, _) => run(p, a as usize, sp, input, slots, full)
                .or_else(|| run(p, b as usize, sp, input, slots, full)),
            Inst::Jump(a) => run(p, a as usize, sp, input, slots, full),
            Inst::Save(n) => {
                let old = slots[n as usize];
                slots[n as usize] = Some(sp);
                let end = run(p, pc + 1, sp, input, slots, full);
                if end.is_none() {
                    slots[n as usize] = old;
                }
                end
            }
            Inst::End => (sp == input.len())
                .then(|| run(p, pc + 1, sp, input, slots, full))
                .flatten(),
            Inst::Match => (!full || sp == input.len()).then_some(sp),
        }
    }

    pub fn match_prefix(p: &Program, input: &[u8]) -> Option<Captures> {
        let mut slots: Captures = [None; 2 * (MAX_GROUPS + 1)];
        slots[0] = Some(0);
        slots[1] = Some(run(p, 0, 0, input, &mut slots, false)?);
        Some(slots)
    }

    pub fn matches_entirely(p: &Program, input: &[u8]) -> bool {
        let mut slots: Captures = [None; 2 * (MAX_GROUPS + 1)];
        run(p, 0, 0, input, &mut slots, true).is_some()
    }

    /// A string `p` may match, its choices drawn from `seed` (an xorshift state).
    pub fn sample(p: &Program, seed: &mut u64) -> Vec<u8> {
        let mut next = || {
            *seed ^= *seed << 13;
            *seed ^= *seed >> 7;
            *seed ^= *seed << 17;
            *seed
        };
        let (mut pc, mut out) = (0, Vec::new());
        loop {
            match p.insts[pc] {
                Inst::Digits(set) => {
                    let digits: Vec<u8> = (0..10u8).filter(|d| set & (1 << d) != 0).collect();
                    if digits.is_empty() {
                        return out;
                    }
                    out.push(b'0' + digits[next() as usize % digits.len()]);
                    pc += 1;
                }
                Inst::Split(a, b, _, _) => pc = if next() % 2 == 0 { a } else { b } as usize,
                Inst::Jump(a) => pc = a as usize,
                Inst::Save(_) => pc += 1,
                Inst::End | Inst::Match => return out,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefix_match_follows_javascript_semantics() {
        let p = compile("0?(?:(11|2(?:2|3))15)?").expect("pattern");
        let caps = p.match_prefix(b"01115123").expect("match");
        assert_eq!(caps[1], Some(5));
        assert_eq!((caps[2], caps[3]), (Some(1), Some(3)));
        let p = compile("([2-9]\\d{6})$").expect("pattern");
        assert!(p.match_prefix(b"2345678").is_some());
        assert!(p.match_prefix(b"23456789").is_none());
    }

    #[test]
    fn full_match_needs_the_whole_input() {
        let p = compile("[2-9]\\d{2}|3\\d{6}").expect("pattern");
        assert!(p.matches_entirely(b"234"));
        assert!(p.matches_entirely(b"3123456"));
        assert!(!p.matches_entirely(b"2345"));
        assert!(!p.matches_entirely(b"23"));
    }

    #[test]
    fn rejects_what_the_metadata_never_uses() {
        assert!(compile("a").is_err());
        assert!(compile("\\d+").is_err());
        assert!(compile("(12").is_err());
        assert!(compile("12)").is_err());
        assert!(compile("[1-").is_err());
    }
}
