//! Typed builders (filled in below).
