//! Media objects: `image`, `video`, `document`, `audio`, `sticker`, and media
//! in interactive headers and template parameters.

use super::ctx::{fields, has, Ctx};
use super::formats::{url, Scheme};
use crate::issue::Code;
use crate::json::{Kind, Read};
use crate::limits::{self, Limit};

/// Where a media object appears, which decides whether it takes a caption.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Place {
    /// A message of its own (`/image`).
    Message,
    /// An interactive header or a template parameter: no caption.
    Embedded,
}

/// The file extensions each media type accepts (RULES.md).
fn extensions(kind: &str) -> &'static [&'static str] {
    match kind {
        "image" => &["jpg", "jpeg", "png"],
        "video" => &["mp4", "3gp"],
        "audio" => &["aac", "amr", "mp3", "m4a", "ogg", "opus"],
        "document" => &["pdf", "doc", "docx", "xls", "xlsx", "ppt", "pptx", "txt"],
        "sticker" => &["webp"],
        _ => &[],
    }
}

/// Extensions recognised as media of some kind; others (`.php`, none) say nothing.
const KNOWN: &[&str] = &[
    "jpg", "jpeg", "png", "gif", "webp", "bmp", "heic", "tif", "tiff", "svg", "mp4", "3gp", "mov",
    "avi", "mkv", "webm", "aac", "amr", "mp3", "m4a", "ogg", "opus", "wav", "flac", "pdf", "doc",
    "docx", "xls", "xlsx", "ppt", "pptx", "txt", "csv", "zip", "rtf", "odt",
];

// Apart, not inlined into the walker: a payload compiles only its own kind's code
// on its first use (the module's cold start, BENCHMARKS.md).
#[inline(never)]
pub(super) fn message<'a>(c: &mut Ctx, kind: &str, v: impl Read<'a>) {
    object(c, kind, v, Place::Message);
}

/// How issues name a media object's `url` and `id`: `"{kind} url"`, `"{kind} id"`,
/// spelled out so that a valid payload formats nothing.
fn labels(kind: &str) -> (&'static str, &'static str) {
    match kind {
        "image" => ("image url", "image id"),
        "video" => ("video url", "video id"),
        "document" => ("document url", "document id"),
        "audio" => ("audio url", "audio id"),
        "sticker" => ("sticker url", "sticker id"),
        _ => ("media url", "media id"),
    }
}

fn caption_limit(kind: &str) -> Option<&'static Limit> {
    match kind {
        "image" => Some(&limits::IMAGE_CAPTION),
        "video" => Some(&limits::VIDEO_CAPTION),
        "document" => Some(&limits::DOCUMENT_CAPTION),
        _ => None,
    }
}

/// The fields naming where the media is: `url`, Meta's `link` (its synonym,
/// kept as given), or an uploaded media `id`.
const SOURCES: [&str; 3] = ["url", "link", "id"];

/// A media object of `kind`: exactly one of `url`/`link` or `id`, plus
/// caption/filename/voice where allowed.
pub(super) fn object<'a>(c: &mut Ctx, kind: &str, v: impl Read<'a>, place: Place) {
    let Some(obj) = c.object(v, kind) else { return };
    let known: &[&'static str] = match (kind, place) {
        ("document", _) => &["url", "link", "id", "caption", "filename"],
        ("audio", Place::Message) => &["url", "link", "id", "caption", "voice"],
        _ => &["url", "link", "id", "caption"],
    };
    let caption = caption_limit(kind).filter(|_| place == Place::Message);
    fields(c, obj, known, |c, k, v| match k {
        "url" | "link" => {
            if let Some(path) = url(c, v, labels(kind).0, Scheme::HttpsPreferred) {
                extension(c, kind, path);
            }
        }
        "id" => {
            c.text(v, labels(kind).1, 1, usize::MAX);
        }
        "caption" if caption.is_some() => {
            c.bounded(v, "caption", caption.expect("guarded"));
        }
        "voice" => {
            if v.kind() != Kind::Bool {
                c.wrong_type("voice", "a boolean", v);
            }
        }
        "caption" => {
            let why = if place == Place::Message {
                format!("{kind} messages take no caption")
            } else {
                "a media header or parameter takes no caption".into()
            };
            c.error(Code::Conflict, why);
        }
        "filename" => {
            if let Some(name) = c.text(v, "filename", 1, usize::MAX) {
                if name.contains(['/', '\\']) {
                    c.error(Code::InvalidFormat, "filename contains a path separator");
                }
            }
        }
        _ => unreachable!("`fields` passes known keys only"),
    });
    let mut given = SOURCES.into_iter().filter(|k| has(obj, k));
    match (given.next(), given.next()) {
        (None, _) => {
            c.error(
                Code::Required,
                format!("{kind} needs a `url` (or `link`) or an `id`"),
            );
        }
        (Some(_), None) => {}
        (Some(a), Some(b)) => {
            c.error(
                Code::Conflict,
                format!(
                    "{kind} has both `{a}` and `{b}`; give exactly one of `url`, `link` or `id`"
                ),
            );
        }
    }
}

fn extension(c: &mut Ctx, kind: &str, path: &str) {
    let last = path.rsplit('/').next().unwrap_or("");
    let Some((_, ext)) = last.rsplit_once('.') else {
        return;
    };
    let allowed = extensions(kind);
    let is = |e: &&str| e.eq_ignore_ascii_case(ext);
    if KNOWN.iter().any(is) && !allowed.iter().any(is) {
        c.warn(
            Code::MediaExtension,
            format!(
                "{kind} url ends in .{}; {kind} messages take {}",
                ext.to_ascii_lowercase(),
                allowed.join(", ")
            ),
        );
    }
}
