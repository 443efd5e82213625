#!/usr/bin/env python3
"""Authors tests/vectors/*.json, the one vector set every wasend face runs.

Each expectation below is written from RULES.md by hand, never computed by wasend:
this script only expands the repetitive parts (long strings, base payloads).

    python3 tests/vectors/build.py          # rewrite the JSON files
    python3 tests/vectors/build.py --check  # exit 1 when they are stale

Vector format (tests/vectors/README.md): {name, rule, input | input_json, options?,
expect: {valid, errors: [{code, path, limit?, actual?, unit?, suggestion?}],
warnings?, payload?, ordered?}}.
"""
import copy
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
TO = "+919876543210"
FILES = {}


def x(n, ch="a"):
    return ch * n


def e(code, path, limit=None, actual=None, unit=None, suggestion=None):
    out = {"code": code, "path": path}
    if limit is not None:
        out["limit"] = limit
    if actual is not None:
        out["actual"] = actual
    if unit is not None:
        out["unit"] = unit
    if suggestion is not None:
        out["suggestion"] = suggestion
    return out


def case(file, name, rule, payload=None, errors=(), warnings=(), options=None, payload_out=None,
         raw=None, ordered=False):
    c = {"name": name, "rule": rule}
    if raw is not None:
        c["input_json"] = raw
    else:
        c["input"] = payload
    if options:
        c["options"] = options
    exp = {"valid": not errors, "errors": list(errors), "warnings": list(warnings)}
    if payload_out is not None:
        exp["payload"] = payload_out
    if ordered:
        exp["ordered"] = True
    c["expect"] = exp
    FILES.setdefault(file, []).append(c)


def msg(kind, body, **extra):
    m = {"to": TO, "type": kind, kind: body}
    m.update(extra)
    return m


def with_(base, pointer, value):
    """A deep copy of base with the JSON Pointer set (value DEL removes it)."""
    out = copy.deepcopy(base)
    parts = [p.replace("~1", "/").replace("~0", "~") for p in pointer.split("/")[1:]]
    node = out
    for p in parts[:-1]:
        node = node[int(p)] if isinstance(node, list) else node[p]
    last = parts[-1]
    if isinstance(node, list):
        if value is DEL:
            del node[int(last)]
        elif int(last) == len(node):
            node.append(value)
        else:
            node[int(last)] = value
    elif value is DEL:
        del node[last]
    else:
        node[last] = value
    return out


DEL = object()

# --------------------------------------------------------------------------- envelope
F = "envelope"
TEXT = msg("text", "Hello! Your order has been shipped.")
case(F, "provider example text is valid", "envelope", TEXT, payload_out=TEXT)
case(F, "to missing", "to required", with_(TEXT, "/to", DEL), [e("required", "/to")])
case(F, "to null counts as missing", "to required", with_(TEXT, "/to", None), [e("required", "/to")])
case(F, "to as a json number", "to: a json number is wrong_type", with_(TEXT, "/to", 919876543210), [e("wrong_type", "/to")])
case(F, "to empty", "to required", with_(TEXT, "/to", ""), [e("empty", "/to")])
case(F, "to whitespace only", "to required", with_(TEXT, "/to", "   "), [e("empty", "/to")])
case(F, "type missing", "type required", with_(TEXT, "/type", DEL), [e("required", "/type")])
case(F, "type unknown", "type one of", with_(TEXT, "/type", "sms"), [e("invalid_enum", "/type")])
case(F, "type not a string", "type one of", with_(TEXT, "/type", 1), [e("wrong_type", "/type")])
case(F, "type upper case", "type one of", with_(TEXT, "/type", "TEXT"), [e("invalid_enum", "/type")])
case(F, "message object missing", "the object named by type is required", {"to": TO, "type": "image"}, [e("required", "/image")])
case(F, "message object null", "the object named by type is required", {"to": TO, "type": "image", "image": None}, [e("required", "/image")])
case(F, "object for another type", "type_mismatch",
     {"to": TO, "type": "text", "text": "hi", "image": {"url": "https://example.com/a.jpg"}}, [e("type_mismatch", "/image")])
case(F, "object for another type and none for its own", "type_mismatch",
     {"to": TO, "type": "video", "image": {"url": "https://example.com/a.jpg"}}, [e("type_mismatch", "/image"), e("required", "/video")])
case(F, "every type checks its own object", "type one of",
     {"to": TO, "type": "sticker", "sticker": {"id": "123"}})
case(F, "whatsapp_account 128 chars", "whatsapp_account at most 128 chars", dict(TEXT, whatsapp_account=x(128)))
case(F, "whatsapp_account 129 chars", "whatsapp_account at most 128 chars", dict(TEXT, whatsapp_account=x(129)),
     [e("too_long", "/whatsapp_account", 128, 129, "chars")])
case(F, "whatsapp_account empty", "whatsapp_account non-empty", dict(TEXT, whatsapp_account=""), [e("empty", "/whatsapp_account")])
case(F, "whatsapp_account with a space", "whatsapp_account no whitespace", dict(TEXT, whatsapp_account="acc 1"),
     [e("invalid_format", "/whatsapp_account")])
case(F, "whatsapp_account with a tab", "whatsapp_account no whitespace", dict(TEXT, whatsapp_account="acc\t1"),
     [e("invalid_format", "/whatsapp_account")])
case(F, "whatsapp_account a number", "whatsapp_account", dict(TEXT, whatsapp_account=7), [e("wrong_type", "/whatsapp_account")])
case(F, "whatsapp_account uuid", "whatsapp_account", dict(TEXT, whatsapp_account="3f2b6c1e-8a7d-4d8e-9a51-6b1c0f2e9d10"))
case(F, "context message_id", "context.message_id optional, non-empty", dict(TEXT, context={"message_id": "wamid.HBgLOTE5ODc2NTQzMjEw"}))
case(F, "context message_id empty", "context.message_id non-empty", dict(TEXT, context={"message_id": ""}), [e("empty", "/context/message_id")])
case(F, "context without message_id", "context.message_id", dict(TEXT, context={}), [e("required", "/context/message_id")])
case(F, "context not an object", "context", dict(TEXT, context="wamid.1"), [e("wrong_type", "/context")])
case(F, "context unknown field", "unknown_field", dict(TEXT, context={"message_id": "wamid.1", "mesage_id": "x"}),
     [e("unknown_field", "/context/mesage_id", suggestion="message_id")])
case(F, "biz_opaque_callback_data 512 chars", "biz_opaque_callback_data at most 512 chars", dict(TEXT, biz_opaque_callback_data=x(512)))
case(F, "biz_opaque_callback_data 513 chars", "biz_opaque_callback_data at most 512 chars", dict(TEXT, biz_opaque_callback_data=x(513)),
     [e("too_long", "/biz_opaque_callback_data", 512, 513, "chars")])
case(F, "biz_opaque_callback_data counts chars not bytes", "chars are unicode scalar values",
     dict(TEXT, biz_opaque_callback_data=x(512, "é")))
case(F, "unknown field with a suggestion", "unknown_field with suggestion", dict(TEXT, whatsap_account="acc"),
     [e("unknown_field", "/whatsap_account", suggestion="whatsapp_account")])
case(F, "unknown field swapped letters", "unknown_field with suggestion", {"to": TO, "tpye": "text", "text": "hi"},
     [e("unknown_field", "/tpye", suggestion="type"), e("required", "/type")])
case(F, "unknown field far from any", "unknown_field", dict(TEXT, messaging_product="whatsapp"), [e("unknown_field", "/messaging_product")])
case(F, "unknown field with a slash is escaped", "JSON Pointer escaping", dict(TEXT, **{"a/b~c": 1}), [e("unknown_field", "/a~1b~0c")])
case(F, "null optional fields are dropped from the payload", "normalized payload",
     dict(TEXT, whatsapp_account=None, context=None), payload_out=TEXT)
case(F, "payload is an array", "not a JSON object", [TEXT], [e("invalid_json", "")])
case(F, "payload is a string", "not a JSON object", "hello", [e("invalid_json", "")])
case(F, "payload is null", "not a JSON object", None, [e("invalid_json", "")])
case(F, "malformed json", "invalid_json", raw='{"to": "+919876543210", "type": "text", "text": "hi"', errors=[e("invalid_json", "")])
case(F, "trailing comma", "invalid_json", raw='{"to": "+919876543210",}', errors=[e("invalid_json", "")])
case(F, "empty input", "invalid_json", raw="", errors=[e("invalid_json", "")])
case(F, "raw json valid", "input may be raw bytes", raw=json.dumps(TEXT), payload_out=TEXT)
case(F, "empty object", "to and type required", {}, [e("required", "/to"), e("required", "/type")])

# --------------------------------------------------------------------------- text
F = "text"
case(F, "text 1 char", "/text 1..4096", msg("text", "a"))
case(F, "text 4096 chars", "/text 1..4096", msg("text", x(4096)))
case(F, "text 4097 chars", "/text 1..4096", msg("text", x(4097)), [e("too_long", "/text", 4096, 4097, "chars")])
case(F, "text 4096 multibyte chars", "lengths count chars", msg("text", x(4096, "ñ")))
case(F, "text 4096 emoji (astral) chars", "lengths count unicode scalar values", msg("text", x(4096, "😀")))
case(F, "text 4097 emoji", "lengths count unicode scalar values", msg("text", x(4097, "😀")), [e("too_long", "/text", 4096, 4097, "chars")])
case(F, "text empty", "/text not empty", msg("text", ""), [e("empty", "/text")])
case(F, "text whitespace only", "/text not whitespace-only", msg("text", " \n\t "), [e("empty", "/text")])
case(F, "text as meta's object form", "text is a string", msg("text", {"body": "hi"}), [e("wrong_type", "/text")])
case(F, "text a number", "text is a string", msg("text", 42), [e("wrong_type", "/text")])
case(F, "text with newlines is fine", "/text", msg("text", "line one\nline two\n\n    indented"))

# --------------------------------------------------------------------------- media
F = "media"
IMG = msg("image", {"url": "https://example.com/product.jpg", "caption": "Check out our new product!"})
case(F, "provider example image", "media", IMG)
case(F, "image by id", "media: url or id", msg("image", {"id": "1234567890"}))
case(F, "caption 1024 chars", "caption at most 1024", with_(IMG, "/image/caption", x(1024)))
case(F, "caption 1025 chars", "caption at most 1024", with_(IMG, "/image/caption", x(1025)), [e("too_long", "/image/caption", 1024, 1025, "chars")])
case(F, "video caption 1025 chars", "caption at most 1024", msg("video", {"url": "https://example.com/v.mp4", "caption": x(1025)}),
     [e("too_long", "/video/caption", 1024, 1025, "chars")])
case(F, "document caption 1025 chars", "caption at most 1024", msg("document", {"url": "https://example.com/a.pdf", "caption": x(1025)}),
     [e("too_long", "/document/caption", 1024, 1025, "chars")])
case(F, "caption 5000 chars", "caption at most 1024", with_(IMG, "/image/caption", x(5000)), [e("too_long", "/image/caption", 1024, 5000, "chars")])
case(F, "empty caption is allowed", "caption at most 1024", with_(IMG, "/image/caption", ""))
case(F, "both url and id", "exactly one of url or id", msg("image", {"url": "https://example.com/a.jpg", "id": "123"}), [e("conflict", "/image")])
case(F, "neither url nor id", "exactly one of url or id", msg("image", {"caption": "hi"}), [e("required", "/image")])
case(F, "empty media object", "exactly one of url or id", msg("audio", {}), [e("required", "/audio")])
case(F, "http url is a warning", "insecure_url", msg("image", {"url": "http://example.com/a.jpg"}), warnings=[e("insecure_url", "/image/url")])
case(F, "ftp url", "absolute https URL", msg("image", {"url": "ftp://example.com/a.jpg"}), [e("invalid_url", "/image/url")])
case(F, "relative url", "absolute https URL", msg("image", {"url": "/images/a.jpg"}), [e("invalid_url", "/image/url")])
case(F, "url without scheme", "absolute https URL", msg("image", {"url": "example.com/a.jpg"}), [e("invalid_url", "/image/url")])
case(F, "url with a space", "absolute https URL", msg("image", {"url": "https://example.com/my photo.jpg"}), [e("invalid_url", "/image/url")])
case(F, "url without host", "absolute https URL", msg("image", {"url": "https:///a.jpg"}), [e("invalid_url", "/image/url")])
case(F, "url empty", "absolute https URL", msg("image", {"url": ""}), [e("empty", "/image/url")])
case(F, "url not a string", "absolute https URL", msg("image", {"url": 5}), [e("wrong_type", "/image/url")])
case(F, "url with port and query", "absolute https URL", msg("image", {"url": "https://cdn.example.com:8443/p/a.PNG?size=large#x"}))
case(F, "image url with a video extension", "media_extension", msg("image", {"url": "https://example.com/a.mp4"}),
     warnings=[e("media_extension", "/image/url")])
case(F, "image url with an unknown extension", "media_extension only when known", msg("image", {"url": "https://example.com/img.php?id=3"}))
case(F, "image url without an extension", "media_extension only when present", msg("image", {"url": "https://example.com/images/42"}))
case(F, "image jpeg", "image jpg/jpeg/png", msg("image", {"url": "https://example.com/a.jpeg"}))
case(F, "video 3gp", "video mp4/3gp", msg("video", {"url": "https://example.com/a.3gp"}))
case(F, "video with an image extension", "media_extension", msg("video", {"url": "https://example.com/a.png"}),
     warnings=[e("media_extension", "/video/url")])
case(F, "audio opus", "audio aac/amr/mp3/m4a/ogg/opus", msg("audio", {"url": "https://example.com/a.opus"}))
case(F, "audio wav", "media_extension", msg("audio", {"url": "https://example.com/a.wav"}), warnings=[e("media_extension", "/audio/url")])
case(F, "document xlsx", "document extensions", msg("document", {"url": "https://example.com/r.xlsx", "filename": "r.xlsx"}))
case(F, "document zip", "media_extension", msg("document", {"url": "https://example.com/r.zip"}), warnings=[e("media_extension", "/document/url")])
case(F, "sticker webp", "sticker webp", msg("sticker", {"url": "https://example.com/s.webp"}))
case(F, "sticker png", "media_extension", msg("sticker", {"url": "https://example.com/s.png"}), warnings=[e("media_extension", "/sticker/url")])
case(F, "http and wrong extension", "two warnings", msg("sticker", {"url": "http://example.com/s.png"}),
     warnings=[e("insecure_url", "/sticker/url"), e("media_extension", "/sticker/url")])
case(F, "audio caption", "caption on audio is conflict", msg("audio", {"url": "https://example.com/a.mp3", "caption": "listen"}),
     [e("conflict", "/audio/caption")])
case(F, "sticker caption", "caption on sticker is conflict", msg("sticker", {"id": "9", "caption": "hi"}), [e("conflict", "/sticker/caption")])
case(F, "document filename", "document filename", msg("document", {"url": "https://example.com/a.pdf", "filename": "invoice-42.pdf"}))
case(F, "document filename with a slash", "filename no / or \\", msg("document", {"url": "https://example.com/a.pdf", "filename": "a/b.pdf"}),
     [e("invalid_format", "/document/filename")])
case(F, "document filename with a backslash", "filename no / or \\", msg("document", {"id": "1", "filename": "C:\\a.pdf"}),
     [e("invalid_format", "/document/filename")])
case(F, "document filename empty", "filename non-empty", msg("document", {"id": "1", "filename": ""}), [e("empty", "/document/filename")])
case(F, "filename on an image", "unknown_field", msg("image", {"id": "1", "filename": "a.jpg"}), [e("unknown_field", "/image/filename")])
case(F, "misspelled caption", "unknown_field with suggestion", msg("image", {"id": "1", "captoin": "hi"}),
     [e("unknown_field", "/image/captoin", suggestion="caption")])
R2 = "revision 2: "
LINKED = msg("image", {"link": "https://example.com/a.jpg", "caption": "new"})
case(F, "meta's link field", R2 + "link is a synonym of url, kept as given", LINKED, payload_out=LINKED)
case(F, "link and url", R2 + "two of url/link/id is conflict",
     msg("image", {"url": "https://example.com/a.jpg", "link": "https://example.com/a.jpg"}), [e("conflict", "/image")])
case(F, "link and id", R2 + "two of url/link/id is conflict", msg("video", {"link": "https://example.com/v.mp4", "id": "7"}), [e("conflict", "/video")])
case(F, "link over http", R2 + "link: http is insecure_url", msg("document", {"link": "http://example.com/a.pdf"}),
     warnings=[e("insecure_url", "/document/link")])
case(F, "link with a wrong extension", R2 + "link: media_extension", msg("audio", {"link": "https://example.com/a.png"}),
     warnings=[e("media_extension", "/audio/link")])
case(F, "link not a url", R2 + "link: absolute https URL", msg("sticker", {"link": "s.webp"}), [e("invalid_url", "/sticker/link")])
case(F, "linl misspelled", "unknown_field with suggestion", msg("image", {"linl": "https://example.com/a.jpg"}),
     [e("unknown_field", "/image/linl", suggestion="link"), e("required", "/image")])
VOICE = msg("audio", {"link": "https://example.com/note.ogg", "voice": True})
case(F, "audio voice note", R2 + "/audio/voice optional boolean", VOICE, payload_out=VOICE)
case(F, "audio voice false", R2 + "/audio/voice optional boolean", msg("audio", {"id": "5", "voice": False}))
case(F, "audio voice as a string", R2 + "/audio/voice optional boolean", msg("audio", {"id": "5", "voice": "true"}),
     [e("wrong_type", "/audio/voice")])
case(F, "voice on an image", R2 + "voice on other media is unknown_field", msg("image", {"id": "5", "voice": True}),
     [e("unknown_field", "/image/voice")])
case(F, "voice on a video", R2 + "voice on other media is unknown_field", msg("video", {"id": "5", "voice": True}),
     [e("unknown_field", "/video/voice")])
case(F, "url with port +80", "absolute https URL (strict port)", msg("image", {"url": "https://example.com:+80/a.jpg"}),
     [e("invalid_url", "/image/url")])
case(F, "url with port 65536", "absolute https URL (strict port)", msg("image", {"url": "https://example.com:65536/a.jpg"}),
     [e("invalid_url", "/image/url")])
case(F, "url with port 65535", "absolute https URL (strict port)", msg("image", {"url": "https://example.com:65535/a.jpg"}))
case(F, "media id empty", "media id", msg("video", {"id": ""}), [e("empty", "/video/id")])
case(F, "media as a string", "media object", msg("image", "https://example.com/a.jpg"), [e("wrong_type", "/image")])

# --------------------------------------------------------------------------- interactive: reply buttons
F = "interactive_buttons"


def buttons(n, title="Option", body="How can we help?"):
    return msg("interactive", {
        "type": "button",
        "body": {"text": body},
        "action": {"buttons": [{"type": "reply", "reply": {"id": f"id{i}", "title": f"{title} {i}"}} for i in range(n)]},
    })


PROVIDER_BUTTONS = msg("interactive", {
    "type": "button",
    "body": {"text": "How can we help?"},
    "action": {"buttons": [{"type": "reply", "reply": {"id": "sales", "title": "Sales"}},
                           {"type": "reply", "reply": {"id": "support", "title": "Support"}}]},
})
B = "/interactive/action/buttons"
case(F, "provider example buttons", "reply buttons", PROVIDER_BUTTONS)
case(F, "one button", "buttons 1..3", buttons(1))
case(F, "three buttons", "buttons 1..3", buttons(3))
case(F, "four buttons", "buttons 1..3", buttons(4), [e("too_many", B, 3, 4, "items")])
case(F, "zero buttons", "buttons 1..3", buttons(0), [e("too_few", B, 1, 0, "items")])
case(F, "buttons not an array", "buttons", with_(PROVIDER_BUTTONS, "/interactive/action/buttons", {"type": "reply"}), [e("wrong_type", B)])
case(F, "title 20 chars", "reply.title 1..20", with_(PROVIDER_BUTTONS, B + "/0/reply/title", x(20)))
case(F, "title 21 chars", "reply.title 1..20", with_(PROVIDER_BUTTONS, B + "/1/reply/title", x(21)),
     [e("too_long", B + "/1/reply/title", 20, 21, "chars")])
case(F, "title 20 emoji", "reply.title counts chars", with_(PROVIDER_BUTTONS, B + "/0/reply/title", x(20, "👍")))
case(F, "title empty", "reply.title 1..20", with_(PROVIDER_BUTTONS, B + "/0/reply/title", ""), [e("empty", B + "/0/reply/title")])
case(F, "title missing", "reply.title required", with_(PROVIDER_BUTTONS, B + "/0/reply/title", DEL), [e("required", B + "/0/reply/title")])
case(F, "id 256 chars", "reply.id 1..256", with_(PROVIDER_BUTTONS, B + "/0/reply/id", x(256)))
case(F, "id 257 chars", "reply.id 1..256", with_(PROVIDER_BUTTONS, B + "/0/reply/id", x(257)), [e("too_long", B + "/0/reply/id", 256, 257, "chars")])
case(F, "id empty", "reply.id 1..256", with_(PROVIDER_BUTTONS, B + "/0/reply/id", ""), [e("empty", B + "/0/reply/id")])
case(F, "id leading space", "reply.id no leading/trailing space", with_(PROVIDER_BUTTONS, B + "/0/reply/id", " sales"),
     [e("invalid_format", B + "/0/reply/id")])
case(F, "id trailing space", "reply.id no leading/trailing space", with_(PROVIDER_BUTTONS, B + "/1/reply/id", "support "),
     [e("invalid_format", B + "/1/reply/id")])
case(F, "id inner space is fine", "reply.id", with_(PROVIDER_BUTTONS, B + "/1/reply/id", "customer support"))
case(F, "duplicate ids", "reply.id unique", with_(PROVIDER_BUTTONS, B + "/1/reply/id", "sales"), [e("duplicate", B + "/1/reply/id")])
case(F, "duplicate titles", "reply.title unique", with_(PROVIDER_BUTTONS, B + "/1/reply/title", "Sales"), [e("duplicate", B + "/1/reply/title")])
case(F, "button type url", "button type reply", with_(PROVIDER_BUTTONS, B + "/0/type", "url"), [e("invalid_enum", B + "/0/type")])
case(F, "button without reply", "reply required", with_(PROVIDER_BUTTONS, B + "/0/reply", DEL), [e("required", B + "/0/reply")])
case(F, "body missing", "/interactive/body required", with_(PROVIDER_BUTTONS, "/interactive/body", DEL), [e("required", "/interactive/body")])
case(F, "body 1024 chars", "body text 1..1024", with_(PROVIDER_BUTTONS, "/interactive/body/text", x(1024)))
case(F, "body 1025 chars", "body text 1..1024", with_(PROVIDER_BUTTONS, "/interactive/body/text", x(1025)),
     [e("too_long", "/interactive/body/text", 1024, 1025, "chars")])
case(F, "body empty", "body text 1..1024", with_(PROVIDER_BUTTONS, "/interactive/body/text", ""), [e("empty", "/interactive/body/text")])
case(F, "body without text", "body text required", with_(PROVIDER_BUTTONS, "/interactive/body", {}), [e("required", "/interactive/body/text")])
case(F, "header text 60 chars", "header text at most 60", with_(PROVIDER_BUTTONS, "/interactive/header", {"type": "text", "text": x(60)}))
case(F, "header text 61 chars", "header text at most 60", with_(PROVIDER_BUTTONS, "/interactive/header", {"type": "text", "text": x(61)}),
     [e("too_long", "/interactive/header/text", 60, 61, "chars")])
case(F, "footer 60 chars", "footer text at most 60", with_(PROVIDER_BUTTONS, "/interactive/footer", {"text": x(60)}))
case(F, "footer 61 chars", "footer text at most 60", with_(PROVIDER_BUTTONS, "/interactive/footer", {"text": x(61)}),
     [e("too_long", "/interactive/footer/text", 60, 61, "chars")])
case(F, "image header", "media header", with_(PROVIDER_BUTTONS, "/interactive/header", {"type": "image", "image": {"url": "https://example.com/h.png"}}))
case(F, "document header by id", "media header", with_(PROVIDER_BUTTONS, "/interactive/header", {"type": "document", "document": {"id": "77", "filename": "menu.pdf"}}))
case(F, "media header with a caption", "a media header takes no caption",
     with_(PROVIDER_BUTTONS, "/interactive/header", {"type": "video", "video": {"url": "https://example.com/h.mp4", "caption": "x"}}),
     [e("conflict", "/interactive/header/video/caption")])
case(F, "text header carrying an image", "type_mismatch in header",
     with_(PROVIDER_BUTTONS, "/interactive/header", {"type": "text", "image": {"url": "https://example.com/h.png"}}),
     [e("type_mismatch", "/interactive/header/image"), e("required", "/interactive/header/text")])
case(F, "header type unknown", "header type", with_(PROVIDER_BUTTONS, "/interactive/header", {"type": "gif", "text": "x"}),
     [e("invalid_enum", "/interactive/header/type")])
case(F, "interactive type unknown", "/interactive/type one of", with_(PROVIDER_BUTTONS, "/interactive/type", "carousel"),
     [e("invalid_enum", "/interactive/type")])
case(F, "interactive type missing", "/interactive/type required", with_(PROVIDER_BUTTONS, "/interactive/type", DEL),
     [e("required", "/interactive/type")])
case(F, "action missing", "action required", with_(PROVIDER_BUTTONS, "/interactive/action", DEL), [e("required", "/interactive/action")])
case(F, "list fields in a button action", "unknown_field", with_(PROVIDER_BUTTONS, "/interactive/action/button", "Menu"),
     [e("unknown_field", "/interactive/action/button", suggestion="buttons")])

# --------------------------------------------------------------------------- interactive: list
F = "interactive_list"


def list_msg(rows_per_section, titled=True, button="View options"):
    sections = []
    k = 0
    for s, n in enumerate(rows_per_section):
        rows = []
        for _ in range(n):
            rows.append({"id": f"row{k}", "title": f"Row {k}"})
            k += 1
        sec = {"rows": rows}
        if titled:
            sec["title"] = f"Section {s}"
        sections.append(sec)
    return msg("interactive", {"type": "list", "body": {"text": "Pick one"}, "action": {"button": button, "sections": sections}})


L = "/interactive/action"
case(F, "one section one row", "list", list_msg([1], titled=False))
case(F, "list body 4096 chars", "revision 2: list body 1..4096 (Meta's list-message page)",
     with_(list_msg([1]), "/interactive/body/text", x(4096)))
case(F, "list body 4097 chars", "revision 2: list body 1..4096",
     with_(list_msg([1]), "/interactive/body/text", x(4097)), [e("too_long", "/interactive/body/text", 4096, 4097, "chars")])
case(F, "list body 4096 emoji", "revision 2: list body 1..4096 chars (unicode scalar values)",
     with_(list_msg([1]), "/interactive/body/text", x(4096, "😀")))
case(F, "ten rows in one section", "rows 1..10 in total", list_msg([10]))
case(F, "ten rows across two sections", "rows 1..10 in total across sections", list_msg([5, 5]))
case(F, "eleven rows across two sections", "rows counted across sections (not per section)", list_msg([5, 6]),
     [e("too_many", L + "/sections", 10, 11, "items")])
case(F, "eleven rows in one section", "rows 1..10 in total", list_msg([11]), [e("too_many", L + "/sections", 10, 11, "items")])
case(F, "ten sections", "sections 1..10", list_msg([1] * 10))
case(F, "eleven sections", "sections 1..10 (and 11 rows)", list_msg([1] * 11),
     [e("too_many", L + "/sections", 10, 11, "items"), e("too_many", L + "/sections", 10, 11, "items")])
case(F, "zero sections", "sections 1..10", list_msg([]), [e("too_few", L + "/sections", 1, 0, "items")])
case(F, "section without rows", "rows required", with_(list_msg([1]), L + "/sections/0/rows", []), [e("too_few", L + "/sections/0/rows", 1, 0, "items")])
case(F, "two sections, one untitled", "section title required when more than one section",
     with_(list_msg([1, 1]), L + "/sections/1/title", DEL), [e("required", L + "/sections/1/title")])
case(F, "section title 24 chars", "section title at most 24", with_(list_msg([1]), L + "/sections/0/title", x(24)))
case(F, "section title 25 chars", "section title at most 24", with_(list_msg([1]), L + "/sections/0/title", x(25)),
     [e("too_long", L + "/sections/0/title", 24, 25, "chars")])
case(F, "row title 24 chars", "row title 1..24", with_(list_msg([2]), L + "/sections/0/rows/1/title", x(24)))
case(F, "row title 25 chars", "row title 1..24", with_(list_msg([2]), L + "/sections/0/rows/1/title", x(25)),
     [e("too_long", L + "/sections/0/rows/1/title", 24, 25, "chars")])
case(F, "row title empty", "row title 1..24", with_(list_msg([2]), L + "/sections/0/rows/0/title", ""), [e("empty", L + "/sections/0/rows/0/title")])
case(F, "row description 72 chars", "row description at most 72", with_(list_msg([1]), L + "/sections/0/rows/0/description", x(72)))
case(F, "row description 73 chars", "row description at most 72", with_(list_msg([1]), L + "/sections/0/rows/0/description", x(73)),
     [e("too_long", L + "/sections/0/rows/0/description", 72, 73, "chars")])
case(F, "row id 200 chars", "row id 1..200", with_(list_msg([1]), L + "/sections/0/rows/0/id", x(200)))
case(F, "row id 201 chars", "row id 1..200", with_(list_msg([1]), L + "/sections/0/rows/0/id", x(201)),
     [e("too_long", L + "/sections/0/rows/0/id", 200, 201, "chars")])
case(F, "row id duplicated across sections", "row id unique across the message",
     with_(list_msg([2, 2]), L + "/sections/1/rows/0/id", "row0"), [e("duplicate", L + "/sections/1/rows/0/id")])
case(F, "row without id", "row id required", with_(list_msg([1]), L + "/sections/0/rows/0/id", DEL), [e("required", L + "/sections/0/rows/0/id")])
case(F, "list button 20 chars", "list button 1..20", list_msg([1], button=x(20)))
case(F, "list button 21 chars", "list button 1..20", list_msg([1], button=x(21)), [e("too_long", L + "/button", 20, 21, "chars")])
case(F, "list button missing", "list button required", with_(list_msg([1]), L + "/button", DEL), [e("required", L + "/button")])
case(F, "list with a text header", "list header", with_(list_msg([1]), "/interactive/header", {"type": "text", "text": "Menu"}))
case(F, "list with an image header", "list header is text only",
     with_(list_msg([1]), "/interactive/header", {"type": "image", "image": {"url": "https://example.com/a.png"}}),
     [e("conflict", "/interactive/header/type")])
case(F, "row with an unknown field", "unknown_field", with_(list_msg([1]), L + "/sections/0/rows/0/descripton", "x"),
     [e("unknown_field", L + "/sections/0/rows/0/descripton", suggestion="description")])

# --------------------------------------------------------------------------- interactive: cta_url and location request
F = "interactive_other"
CTA = msg("interactive", {"type": "cta_url", "body": {"text": "See the menu"},
                          "action": {"name": "cta_url", "parameters": {"display_text": "Open menu", "url": "https://example.com/menu"}}})
P = "/interactive/action/parameters"
case(F, "cta_url", "cta_url", CTA)
case(F, "cta_url http link is fine", "cta_url url absolute http(s)", with_(CTA, P + "/url", "http://example.com/menu"))
case(F, "cta_url display text 20 chars", "display_text 1..20", with_(CTA, P + "/display_text", x(20)))
case(F, "cta_url display text 21 chars", "display_text 1..20", with_(CTA, P + "/display_text", x(21)),
     [e("too_long", P + "/display_text", 20, 21, "chars")])
case(F, "cta_url display text empty", "display_text 1..20", with_(CTA, P + "/display_text", ""), [e("empty", P + "/display_text")])
case(F, "cta_url mailto link", "cta_url url absolute http(s)", with_(CTA, P + "/url", "mailto:a@example.com"), [e("invalid_url", P + "/url")])
case(F, "cta_url relative link", "cta_url url absolute http(s)", with_(CTA, P + "/url", "/menu"), [e("invalid_url", P + "/url")])
case(F, "cta_url without url", "cta_url url required", with_(CTA, P + "/url", DEL), [e("required", P + "/url")])
case(F, "cta_url wrong action name", "cta_url action name", with_(CTA, "/interactive/action/name", "url"), [e("invalid_enum", "/interactive/action/name")])
case(F, "cta_url with an image header", "cta_url header", with_(CTA, "/interactive/header", {"type": "image", "image": {"id": "5"}}))
LOC_REQ = msg("interactive", {"type": "location_request_message", "body": {"text": "Where should we deliver?"}, "action": {"name": "send_location"}})
case(F, "location request", "location_request_message", LOC_REQ)
case(F, "location request body 1024 chars", "location request body 1..1024", with_(LOC_REQ, "/interactive/body/text", x(1024)))
case(F, "location request body 1025 chars", "location request body 1..1024 (Meta's value)", with_(LOC_REQ, "/interactive/body/text", x(1025)),
     [e("too_long", "/interactive/body/text", 1024, 1025, "chars")])
case(F, "location request with a header", "location request takes no header",
     with_(LOC_REQ, "/interactive/header", {"type": "text", "text": "Hi"}), [e("conflict", "/interactive/header")])
case(F, "location request with a footer", "location request takes no footer",
     with_(LOC_REQ, "/interactive/footer", {"text": "Hi"}), [e("conflict", "/interactive/footer")])
case(F, "location request wrong action name", "send_location", with_(LOC_REQ, "/interactive/action/name", "share_location"),
     [e("invalid_enum", "/interactive/action/name")])
case(F, "location request without action", "action required", with_(LOC_REQ, "/interactive/action", DEL), [e("required", "/interactive/action")])

# --------------------------------------------------------------------------- location, contacts, reaction
F = "location_contacts_reaction"
LOC = msg("location", {"latitude": 19.076, "longitude": 72.8777, "name": "Office", "address": "1 Marine Drive, Mumbai"})
case(F, "location", "location", LOC)
case(F, "location at the edges", "latitude -90..90, longitude -180..180", msg("location", {"latitude": -90, "longitude": 180}))
case(F, "location at the other edges", "latitude -90..90, longitude -180..180", msg("location", {"latitude": 90, "longitude": -180}))
case(F, "latitude 90.5", "latitude -90..90", with_(LOC, "/location/latitude", 90.5), [e("out_of_range", "/location/latitude", 90, 90.5, "degrees")])
case(F, "latitude -91", "latitude -90..90", with_(LOC, "/location/latitude", -91), [e("out_of_range", "/location/latitude", -90, -91, "degrees")])
case(F, "longitude 180.01", "longitude -180..180", with_(LOC, "/location/longitude", 180.01),
     [e("out_of_range", "/location/longitude", 180, 180.01, "degrees")])
case(F, "longitude -200", "longitude -180..180", with_(LOC, "/location/longitude", -200),
     [e("out_of_range", "/location/longitude", -180, -200, "degrees")])
SLOC = msg("location", {"latitude": "19.076", "longitude": "-72.8777", "name": "Office", "address": "1 Marine Drive, Mumbai"})
case(F, "coordinates as strings", "revision 2: coordinates as numeric strings, kept as given", SLOC, payload_out=SLOC)
case(F, "coordinates as strings at the edges", "revision 2: coordinates as numeric strings",
     msg("location", {"latitude": "-90", "longitude": "180.0"}))
case(F, "latitude string 90.5", "revision 2: a string coordinate is range-checked",
     with_(LOC, "/location/latitude", "90.5"), [e("out_of_range", "/location/latitude", 90, 90.5, "degrees")])
case(F, "longitude string -180.01", "revision 2: a string coordinate is range-checked",
     with_(LOC, "/location/longitude", "-180.01"), [e("out_of_range", "/location/longitude", -180, -180.01, "degrees")])
for bad in ["north", "", "+19.07", "19.", ".5", "1e2", " 19.07", "019.07", "0x13"]:
    case(F, f"latitude string {bad!r}", "revision 2: a string holding a decimal number",
         with_(LOC, "/location/latitude", bad), [e("invalid_format", "/location/latitude")])
case(F, "latitude a boolean", "latitude is a number or a numeric string", with_(LOC, "/location/latitude", True),
     [e("wrong_type", "/location/latitude")])
case(F, "template location header with string coordinates", "revision 2: coordinates as numeric strings",
     msg("template", {"name": "store", "language": "en", "components": [{"type": "header", "parameters": [
         {"type": "location", "location": {"latitude": "37.483307", "longitude": "122.148981", "name": "Pablo Morales", "address": "1 Hacker Way"}}]}]}))
case(F, "template location header latitude 91", "latitude -90..90 in a template header",
     msg("template", {"name": "store", "language": "en", "components": [{"type": "header", "parameters": [
         {"type": "location", "location": {"latitude": "91", "longitude": 2}}]}]}),
     [e("out_of_range", "/template/components/0/parameters/0/location/latitude", 90, 91, "degrees")])
case(F, "longitude missing", "longitude required", with_(LOC, "/location/longitude", DEL), [e("required", "/location/longitude")])
case(F, "address without name", "address without name is a warning", with_(LOC, "/location/name", DEL),
     warnings=[e("location_address_hidden", "/location/address")])
case(F, "name without address", "location", with_(LOC, "/location/address", DEL))
CONTACT = {"name": {"formatted_name": "John Smith", "first_name": "John", "last_name": "Smith"},
           "phones": [{"phone": "+1 (650) 555-1234", "type": "WORK", "wa_id": "16505551234"}],
           "emails": [{"email": "john@example.com", "type": "WORK"}],
           "urls": [{"url": "https://example.com", "type": "WORK"}],
           "addresses": [{"street": "1 Hacker Way", "city": "Menlo Park", "state": "CA", "zip": "94025", "country": "United States", "country_code": "US", "type": "WORK"}],
           "org": {"company": "Example", "department": "Sales", "title": "Manager"},
           "birthday": "1990-04-30"}
CONTACTS = msg("contacts", [CONTACT])
case(F, "contact card", "contacts", CONTACTS)
case(F, "two contacts, minimal", "contacts 1 or more", msg("contacts", [{"name": {"formatted_name": "A"}}, {"name": {"formatted_name": "B"}}]))
case(F, "no contacts", "contacts 1 or more", msg("contacts", []), [e("too_few", "/contacts", 1, 0, "items")])
case(F, "contacts as an object", "contacts is an array", msg("contacts", CONTACT), [e("wrong_type", "/contacts")])
case(F, "contact without name", "name.formatted_name required", msg("contacts", [{"phones": [{"phone": "+16505551234"}]}]),
     [e("required", "/contacts/0/name")])
case(F, "contact name without formatted_name", "name.formatted_name required", msg("contacts", [{"name": {"first_name": "John"}}]),
     [e("required", "/contacts/0/name/formatted_name")])
case(F, "contact formatted_name empty", "name.formatted_name", msg("contacts", [{"name": {"formatted_name": ""}}]),
     [e("empty", "/contacts/0/name/formatted_name")])
case(F, "contact birthday month 13", "birthday yyyy-mm-dd", with_(CONTACTS, "/contacts/0/birthday", "1990-13-01"), [e("invalid_format", "/contacts/0/birthday")])
case(F, "contact birthday 29 february of a leap year", "revision 2: birthday a real calendar date", with_(CONTACTS, "/contacts/0/birthday", "2024-02-29"))
for bad in ["2023-02-31", "2023-02-29", "1900-02-29", "2023-04-31", "+199-04-30", "1990-4-30", "0000-01-01"]:
    case(F, f"contact birthday {bad}", "revision 2: birthday a real calendar date", with_(CONTACTS, "/contacts/0/birthday", bad),
         [e("invalid_format", "/contacts/0/birthday")])
case(F, "contact phone unknown field", "unknown_field", with_(CONTACTS, "/contacts/0/phones/0/number", "1"),
     [e("unknown_field", "/contacts/0/phones/0/number")])
case(F, "second contact broken", "paths index the array", msg("contacts", [{"name": {"formatted_name": "A"}}, {"name": {}}]),
     [e("required", "/contacts/1/name/formatted_name")])
REACT = msg("reaction", {"message_id": "wamid.HBgLOTE5ODc2NTQzMjEw", "emoji": "👍"})
case(F, "reaction", "reaction", REACT)
case(F, "reaction removed with an empty emoji", "emoji \"\" removes", with_(REACT, "/reaction/emoji", ""))
case(F, "reaction with a skin tone", "single emoji grapheme", with_(REACT, "/reaction/emoji", "👍🏽"))
case(F, "reaction with a zwj sequence", "single emoji grapheme", with_(REACT, "/reaction/emoji", "👩‍💻"))
case(F, "reaction with a flag", "single emoji grapheme", with_(REACT, "/reaction/emoji", "🇮🇳"))
case(F, "reaction with a heart and variation selector", "single emoji grapheme", with_(REACT, "/reaction/emoji", "❤️"))
case(F, "reaction with two emoji", "single emoji grapheme", with_(REACT, "/reaction/emoji", "👍👍"), [e("invalid_format", "/reaction/emoji")])
case(F, "reaction with text", "single emoji grapheme", with_(REACT, "/reaction/emoji", "ok"), [e("invalid_format", "/reaction/emoji")])
case(F, "reaction with a digit", "single emoji grapheme", with_(REACT, "/reaction/emoji", "1"), [e("invalid_format", "/reaction/emoji")])
case(F, "reaction without message_id", "reaction message_id required", with_(REACT, "/reaction/message_id", DEL),
     [e("required", "/reaction/message_id")])
case(F, "reaction without emoji", "reaction emoji required", with_(REACT, "/reaction/emoji", DEL), [e("required", "/reaction/emoji")])
case(F, "reaction with a reply context", "context not allowed with reaction", dict(REACT, context={"message_id": "wamid.2"}),
     [e("conflict", "/context")])

# --------------------------------------------------------------------------- template payload rules
F = "template"
TPL = msg("template", {"name": "order_confirmation", "language": "en",
                       "components": [{"type": "body", "parameters": [{"type": "text", "text": "John"}, {"type": "text", "text": "ORD-789"}]}]})
C = "/template/components"
case(F, "provider example template", "template", TPL)
case(F, "template without components", "components optional", msg("template", {"name": "hello_world", "language": "en_US"}))
case(F, "name 512 chars", "name ^[a-z0-9_]{1,512}$", with_(TPL, "/template/name", x(512)))
case(F, "name 513 chars", "name ^[a-z0-9_]{1,512}$", with_(TPL, "/template/name", x(513)), [e("too_long", "/template/name", 512, 513, "chars")])
case(F, "name with capitals, space and bang", "name ^[a-z0-9_]{1,512}$", with_(TPL, "/template/name", "Bad Name!"), [e("invalid_format", "/template/name")])
case(F, "name with a hyphen", "name ^[a-z0-9_]{1,512}$", with_(TPL, "/template/name", "order-confirmation"), [e("invalid_format", "/template/name")])
case(F, "name empty", "name ^[a-z0-9_]{1,512}$", with_(TPL, "/template/name", ""), [e("empty", "/template/name")])
case(F, "name missing", "name required", with_(TPL, "/template/name", DEL), [e("required", "/template/name")])
for lang in ["en", "en_US", "pt_BR", "fil"]:
    case(F, f"language {lang}", "language like en, en_US, pt_BR, fil", with_(TPL, "/template/language", lang))
for lang in ["EN", "en-US", "en_us", "english", "e"]:
    case(F, f"language {lang}", "language ^[a-z]{2,3}(_[A-Z]{2})?$", with_(TPL, "/template/language", lang), [e("invalid_format", "/template/language")])
case(F, "language object deterministic", "language {code, policy: deterministic}",
     with_(TPL, "/template/language", {"code": "en_US", "policy": "deterministic"}))
case(F, "language object bad policy", "language policy deterministic",
     with_(TPL, "/template/language", {"code": "en_US", "policy": "fallback"}), [e("invalid_enum", "/template/language/policy")])
case(F, "language object bad code", "language code format",
     with_(TPL, "/template/language", {"code": "english", "policy": "deterministic"}), [e("invalid_format", "/template/language/code")])
case(F, "language a number", "language", with_(TPL, "/template/language", 1), [e("wrong_type", "/template/language")])
case(F, "language missing", "language required", with_(TPL, "/template/language", DEL), [e("required", "/template/language")])
case(F, "component type upper case", "revision 2: component type in any case, normalized to lowercase",
     with_(TPL, C + "/0/type", "BODY"), payload_out=TPL)
case(F, "component type mixed case", "revision 2: component type in any case, normalized to lowercase",
     with_(TPL, C + "/0/type", "Body"), payload_out=TPL)
case(F, "component type BUTTONS", "component type header/body/button", with_(TPL, C + "/0/type", "BUTTONS"), [e("invalid_enum", C + "/0/type")])
case(F, "component type footer", "component type header/body/button", with_(TPL, C + "/0/type", "footer"), [e("invalid_enum", C + "/0/type")])
BODY2 = {"type": "body", "parameters": [{"type": "text", "text": "x"}]}
HDR = {"type": "header", "parameters": [{"type": "text", "text": "Big sale"}]}
case(F, "two body components", "at most one body", with_(TPL, C, [BODY2, BODY2]), [e("duplicate", C + "/1")])
case(F, "two header components", "at most one header", with_(TPL, C, [HDR, BODY2, HDR]), [e("duplicate", C + "/2")])
case(F, "body param 1024 chars with a header", "body text parameter 1..1024",
     with_(TPL, C, [HDR, {"type": "body", "parameters": [{"type": "text", "text": x(1024)}]}]))
case(F, "body param 1025 chars with a header", "body text parameter 1..1024",
     with_(TPL, C, [HDR, {"type": "body", "parameters": [{"type": "text", "text": x(1025)}]}]),
     [e("too_long", C + "/1/parameters/0/text", 1024, 1025, "chars")])
case(F, "body param 32768 chars, body only", "32768 when body is the only component",
     with_(TPL, C, [{"type": "body", "parameters": [{"type": "text", "text": x(32768)}]}]))
case(F, "body param 32769 chars, body only", "32768 when body is the only component",
     with_(TPL, C, [{"type": "body", "parameters": [{"type": "text", "text": x(32769)}]}]),
     [e("too_long", C + "/0/parameters/0/text", 32768, 32769, "chars")])
case(F, "body param empty", "body text parameter 1..", with_(TPL, C + "/0/parameters/0/text", ""), [e("empty", C + "/0/parameters/0/text")])
case(F, "body param with a newline", "param_whitespace", with_(TPL, C + "/0/parameters/0/text", "line\nbreak"), [e("param_whitespace", C + "/0/parameters/0/text")])
case(F, "body param with a tab", "param_whitespace", with_(TPL, C + "/0/parameters/0/text", "a\tb"), [e("param_whitespace", C + "/0/parameters/0/text")])
case(F, "body param with 5 spaces", "param_whitespace", with_(TPL, C + "/0/parameters/0/text", "a     b"), [e("param_whitespace", C + "/0/parameters/0/text")])
case(F, "body param with 4 spaces", "param_whitespace (more than 4)", with_(TPL, C + "/0/parameters/0/text", "a    b"))
case(F, "header text param 60 chars", "header text parameter 1..60",
     with_(TPL, C, [{"type": "header", "parameters": [{"type": "text", "text": x(60)}]}, BODY2]))
case(F, "header text param 61 chars", "header text parameter 1..60",
     with_(TPL, C, [{"type": "header", "parameters": [{"type": "text", "text": x(61)}]}, BODY2]),
     [e("too_long", C + "/0/parameters/0/text", 60, 61, "chars")])
case(F, "header with two params", "a header has one parameter",
     with_(TPL, C, [{"type": "header", "parameters": [{"type": "text", "text": "a"}, {"type": "text", "text": "b"}]}, BODY2]),
     [e("too_many", C + "/0/parameters", 1, 2, "parameters")])
case(F, "header with no params", "a header has one parameter",
     with_(TPL, C, [{"type": "header", "parameters": []}, BODY2]), [e("too_few", C + "/0/parameters", 1, 0, "parameters")])
case(F, "image header param", "media header parameter is a media object",
     with_(TPL, C, [{"type": "header", "parameters": [{"type": "image", "image": {"url": "https://example.com/h.jpg"}}]}, BODY2]))
case(F, "image header param without url or id", "media header parameter is a media object",
     with_(TPL, C, [{"type": "header", "parameters": [{"type": "image", "image": {}}]}, BODY2]),
     [e("required", C + "/0/parameters/0/image")])
case(F, "document header param with filename", "media header parameter",
     with_(TPL, C, [{"type": "header", "parameters": [{"type": "document", "document": {"id": "88", "filename": "ticket.pdf"}}]}, BODY2]))
case(F, "location header param", "header location",
     with_(TPL, C, [{"type": "header", "parameters": [{"type": "location", "location": {"latitude": 1, "longitude": 2, "name": "Shop", "address": "Main St"}}]}, BODY2]))
CUR = {"type": "currency", "currency": {"fallback_value": "$100.99", "code": "USD", "amount_1000": 100990}}
case(F, "currency param", "currency", with_(TPL, C + "/0/parameters/1", CUR))
case(F, "currency code lower case", "currency code ISO 4217",
     with_(with_(TPL, C + "/0/parameters/1", CUR), C + "/0/parameters/1/currency/code", "usd"), [e("invalid_format", C + "/0/parameters/1/currency/code")])
case(F, "currency code four letters", "currency code ISO 4217",
     with_(with_(TPL, C + "/0/parameters/1", CUR), C + "/0/parameters/1/currency/code", "USDT"), [e("invalid_format", C + "/0/parameters/1/currency/code")])
case(F, "currency amount not an integer", "amount_1000 integer",
     with_(with_(TPL, C + "/0/parameters/1", CUR), C + "/0/parameters/1/currency/amount_1000", 100.5), [e("wrong_type", C + "/0/parameters/1/currency/amount_1000")])
case(F, "currency amount a string", "amount_1000 integer",
     with_(with_(TPL, C + "/0/parameters/1", CUR), C + "/0/parameters/1/currency/amount_1000", "100990"), [e("wrong_type", C + "/0/parameters/1/currency/amount_1000")])
case(F, "currency without fallback_value", "currency fallback_value",
     with_(with_(TPL, C + "/0/parameters/1", CUR), C + "/0/parameters/1/currency/fallback_value", DEL), [e("required", C + "/0/parameters/1/currency/fallback_value")])
case(F, "date_time param", "date_time", with_(TPL, C + "/0/parameters/1", {"type": "date_time", "date_time": {"fallback_value": "February 25, 1977"}}))
DT = {"fallback_value": "February 25, 1977", "day_of_week": 5, "year": 1977, "month": 2, "day_of_month": 25, "hour": 15, "minute": 33, "calendar": "GREGORIAN"}
case(F, "date_time with meta's optional fields", "revision 2: date_time's optional fields accepted",
     with_(TPL, C + "/0/parameters/1", {"type": "date_time", "date_time": DT}))
case(F, "date_time day_of_week as a name", "revision 2: date_time's optional fields accepted",
     with_(TPL, C + "/0/parameters/1", {"type": "date_time", "date_time": dict(DT, day_of_week="FRIDAY")}))
case(F, "date_time year as a string", "revision 2: date_time's optional fields are integers",
     with_(TPL, C + "/0/parameters/1", {"type": "date_time", "date_time": dict(DT, year="1977")}), [e("wrong_type", C + "/0/parameters/1/date_time/year")])
case(F, "date_time unknown field", "revision 2: date_time's fields",
     with_(TPL, C + "/0/parameters/1", {"type": "date_time", "date_time": dict(DT, timezone="UTC")}), [e("unknown_field", C + "/0/parameters/1/date_time/timezone")])
case(F, "date_time without fallback_value", "date_time fallback_value",
     with_(TPL, C + "/0/parameters/1", {"type": "date_time", "date_time": {}}), [e("required", C + "/0/parameters/1/date_time/fallback_value")])
case(F, "parameter type unknown", "parameter types", with_(TPL, C + "/0/parameters/1/type", "string"), [e("invalid_enum", C + "/0/parameters/1/type")])
case(F, "image parameter in a body", "body parameters are text/currency/date_time",
     with_(TPL, C + "/0/parameters/1", {"type": "image", "image": {"id": "1"}}), [e("invalid_enum", C + "/0/parameters/1/type")])
case(F, "parameter carrying another type's field", "type_mismatch",
     with_(TPL, C + "/0/parameters/1/currency", CUR["currency"]), [e("type_mismatch", C + "/0/parameters/1/currency")])
case(F, "parameter without its value", "parameter value required", with_(TPL, C + "/0/parameters/1/text", DEL), [e("required", C + "/0/parameters/1/text")])
URLB = {"type": "button", "sub_type": "url", "index": 0, "parameters": [{"type": "text", "text": "ORD-789"}]}
case(F, "url button", "button component", with_(TPL, C + "/1", URLB))
case(F, "url button index as a string", "button index 0..9", with_(TPL, C + "/1", dict(URLB, index="0")))
case(F, "quick reply button", "button component",
     with_(TPL, C + "/1", {"type": "button", "sub_type": "quick_reply", "index": 1, "parameters": [{"type": "payload", "payload": "STOP"}]}))
case(F, "copy code button", "button component",
     with_(TPL, C + "/1", {"type": "button", "sub_type": "copy_code", "index": 0, "parameters": [{"type": "coupon_code", "coupon_code": "SAVE10"}]}))
case(F, "button sub_type unknown", "sub_type one of", with_(TPL, C + "/1", dict(URLB, sub_type="call")), [e("invalid_enum", C + "/1/sub_type")])
COUPON = {"type": "button", "sub_type": "copy_code", "index": 0, "parameters": [{"type": "coupon_code", "coupon_code": "SAVE10"}]}
case(F, "meta's coupon example in capitals", "revision 2: sub_type and type in any case, normalized to lowercase",
     with_(TPL, C + "/1", dict(COUPON, type="BUTTON", sub_type="COPY_CODE")), payload_out=with_(TPL, C + "/1", COUPON))
case(F, "sub_type URL in capitals", "revision 2: sub_type in any case",
     with_(TPL, C + "/1", dict(URLB, sub_type="URL")), payload_out=with_(TPL, C + "/1", URLB))
case(F, "sub_type CALL in capitals", "sub_type one of", with_(TPL, C + "/1", dict(URLB, sub_type="CALL")), [e("invalid_enum", C + "/1/sub_type")])
case(F, "coupon code 15 letters and digits", "revision 2: coupon code 1..15 letters and digits",
     with_(TPL, C + "/1", with_(COUPON, "/parameters/0/coupon_code", "ABCDEFGHIJ12345")))
case(F, "coupon code 16 chars", "revision 2: coupon code 1..15 letters and digits",
     with_(TPL, C + "/1", with_(COUPON, "/parameters/0/coupon_code", "ABCDEFGHIJ123456")), [e("too_long", C + "/1/parameters/0/coupon_code", 15, 16, "chars")])
case(F, "coupon code with a hyphen", "revision 2: coupon code letters and digits only",
     with_(TPL, C + "/1", with_(COUPON, "/parameters/0/coupon_code", "SAVE-10")), [e("invalid_format", C + "/1/parameters/0/coupon_code")])
case(F, "coupon code with a space", "revision 2: coupon code letters and digits only",
     with_(TPL, C + "/1", with_(COUPON, "/parameters/0/coupon_code", "SAVE 10")), [e("invalid_format", C + "/1/parameters/0/coupon_code")])
case(F, "coupon code empty", "coupon code 1..15", with_(TPL, C + "/1", with_(COUPON, "/parameters/0/coupon_code", "")),
     [e("empty", C + "/1/parameters/0/coupon_code")])
case(F, "button index 9", "index 0..9", with_(TPL, C + "/1", dict(URLB, index=9)))
case(F, "button index 10", "index 0..9", with_(TPL, C + "/1", dict(URLB, index=10)), [e("out_of_range", C + "/1/index", 9, 10, "index")])
case(F, "button index -1", "index 0..9", with_(TPL, C + "/1", dict(URLB, index=-1)), [e("out_of_range", C + "/1/index", 0, -1, "index")])
case(F, "button index not a number", "index 0..9", with_(TPL, C + "/1", dict(URLB, index="first")), [e("wrong_type", C + "/1/index")])
case(F, "button index string 9", "revision 2: index a string of an integer", with_(TPL, C + "/1", dict(URLB, index="9")))
case(F, "button index string 10", "revision 2: index a string of an integer, 0..9", with_(TPL, C + "/1", dict(URLB, index="10")),
     [e("out_of_range", C + "/1/index", 9, 10, "index")])
for bad in ["+1", "-1", "01", " 1", "1.0", ""]:
    case(F, f"button index string {bad!r}", "revision 2: index a string of an integer (strict)", with_(TPL, C + "/1", dict(URLB, index=bad)),
         [e("wrong_type", C + "/1/index")])
case(F, "button index 1.5", "index an integer", with_(TPL, C + "/1", dict(URLB, index=1.5)), [e("wrong_type", C + "/1/index")])
case(F, "button without index", "index required", with_(TPL, C + "/1", {k: v for k, v in URLB.items() if k != "index"}), [e("required", C + "/1/index")])
case(F, "button without sub_type", "sub_type required", with_(TPL, C + "/1", {k: v for k, v in URLB.items() if k != "sub_type"}), [e("required", C + "/1/sub_type")])
case(F, "duplicate button index", "index unique", with_(TPL, C, [BODY2, URLB, dict(URLB, sub_type="quick_reply", parameters=[{"type": "payload", "payload": "p"}])]),
     [e("duplicate", C + "/2/index")])
case(F, "url button with a payload parameter", "button parameter fits sub_type",
     with_(TPL, C + "/1", dict(URLB, parameters=[{"type": "payload", "payload": "x"}])), [e("invalid_enum", C + "/1/parameters/0/type")])
case(F, "button with two parameters", "a button takes one parameter",
     with_(TPL, C + "/1", dict(URLB, parameters=[{"type": "text", "text": "a"}, {"type": "text", "text": "b"}])), [e("too_many", C + "/1/parameters", 1, 2, "parameters")])
TEN_BUTTONS = [BODY2] + [{"type": "button", "sub_type": "quick_reply", "index": i, "parameters": [{"type": "payload", "payload": f"p{i}"}]} for i in range(10)]
case(F, "ten button components", "at most 10 button components", with_(TPL, C, TEN_BUTTONS))
case(F, "eleven button components", "at most 10 button components",
     with_(TPL, C, TEN_BUTTONS + [{"type": "button", "sub_type": "quick_reply", "index": 9, "parameters": [{"type": "payload", "payload": "again"}]}]),
     [e("duplicate", C + "/11/index"), e("too_many", C, 10, 11, "items")])
NAMED = msg("template", {"name": "order_update", "language": "en_US", "components": [{"type": "body", "parameters": [
    {"type": "text", "parameter_name": "first_name", "text": "John"}, {"type": "text", "parameter_name": "order_id", "text": "ORD-789"}]}]})
case(F, "named parameters", "parameter_name ^[a-z0-9_]{1,20}$", NAMED)
case(F, "parameter_name 20 chars", "parameter_name ^[a-z0-9_]{1,20}$", with_(NAMED, C + "/0/parameters/0/parameter_name", x(20)))
case(F, "parameter_name 21 chars", "parameter_name ^[a-z0-9_]{1,20}$", with_(NAMED, C + "/0/parameters/0/parameter_name", x(21)),
     [e("invalid_format", C + "/0/parameters/0/parameter_name")])
case(F, "parameter_name with a space", "parameter_name ^[a-z0-9_]{1,20}$", with_(NAMED, C + "/0/parameters/0/parameter_name", "first name"),
     [e("invalid_format", C + "/0/parameters/0/parameter_name")])
case(F, "named and positional mixed", "named and positional is conflict",
     with_(NAMED, C + "/0/parameters/1", {"type": "text", "text": "ORD-789"}), [e("conflict", C + "/0/parameters/1")])
case(F, "template misspelled field", "unknown_field", with_(TPL, "/template/languge", "en"),
     [e("unknown_field", "/template/languge", suggestion="language")])

# --------------------------------------------------------------------------- template against its definition
F = "template_definition"
DEF = {"name": "order_confirmation", "language": "en", "status": "APPROVED", "category": "UTILITY",
       "components": [{"type": "BODY", "text": "Hi {{1}}, your order {{2}} has shipped."},
                      {"type": "FOOTER", "text": "Reply STOP to opt out"}]}
O = {"template": DEF}
case(F, "matches its definition", "template_param_count", TPL, options=O)
case(F, "one parameter short", "template_param_count (Meta 132000)", with_(TPL, C + "/0/parameters", [{"type": "text", "text": "John"}]),
     [e("template_param_count", C + "/0/parameters", 2, 1, "parameters")], options=O)
case(F, "one parameter too many", "template_param_count",
     with_(TPL, C + "/0/parameters", [{"type": "text", "text": "a"}, {"type": "text", "text": "b"}, {"type": "text", "text": "c"}]),
     [e("template_param_count", C + "/0/parameters", 2, 3, "parameters")], options=O)
case(F, "no components for a template with placeholders", "template_param_count",
     with_(TPL, "/template/components", DEL), [e("template_param_count", "/template", 2, 0, "parameters")], options=O)
case(F, "no body component", "template_param_count", with_(TPL, C, [{"type": "button", "sub_type": "quick_reply", "index": 0, "parameters": [{"type": "payload", "payload": "x"}]}]),
     [e("template_param_count", C, 2, 0, "parameters")], options={"template": dict(DEF, components=DEF["components"] + [{"type": "BUTTONS", "buttons": [{"type": "QUICK_REPLY", "text": "Stop"}]}])})
case(F, "another template's name", "template_not_found", with_(TPL, "/template/name", "order_shipped"),
     [e("template_not_found", "/template/name")], options=O)
case(F, "another language", "template_not_found", with_(TPL, "/template/language", "en_US"),
     [e("template_not_found", "/template/language")], options=O)
case(F, "components in capitals checked against the definition", "revision 2: component type in any case, checked as lowercase",
     with_(TPL, C + "/0/type", "BODY"), options=O, payload_out=TPL)
case(F, "a parameter short, in capitals", "revision 2: component type in any case (template_param_count)",
     with_(with_(TPL, C + "/0/type", "BODY"), C + "/0/parameters", [{"type": "text", "text": "John"}]),
     [e("template_param_count", C + "/0/parameters", 2, 1, "parameters")], options=O)
case(F, "language object matches", "language code compared", with_(TPL, "/template/language", {"code": "en", "policy": "deterministic"}), options=O)
NDEF = {"name": "order_update", "language": "en_US", "parameter_format": "NAMED",
        "components": [{"type": "BODY", "text": "Hi {{first_name}}, order {{order_id}} is on its way."}]}
case(F, "named parameters match", "template_param_name", NAMED, options={"template": NDEF})
case(F, "named parameter unknown", "template_param_name", with_(NAMED, C + "/0/parameters/1/parameter_name", "order_number"),
     [e("template_param_name", C + "/0/parameters/1/parameter_name"), e("template_param_name", C + "/0/parameters")], options={"template": NDEF})
case(F, "named parameter missing", "template_param_name", with_(NAMED, C + "/0/parameters", [NAMED["template"]["components"][0]["parameters"][0]]),
     [e("template_param_name", C + "/0/parameters")], options={"template": NDEF})
case(F, "positional parameters for a named template", "template_param_name",
     with_(TPL, "/template", {"name": "order_update", "language": "en_US", "components": [{"type": "body", "parameters": [{"type": "text", "text": "John"}, {"type": "text", "text": "ORD"}]}]}),
     [e("template_param_name", C + "/0/parameters/0"), e("template_param_name", C + "/0/parameters/1"), e("template_param_name", C + "/0/parameters"),
      e("template_param_name", C + "/0/parameters")], options={"template": NDEF})
IDEF = {"name": "new_arrivals", "language": "en_US",
        "components": [{"type": "HEADER", "format": "IMAGE"}, {"type": "BODY", "text": "New this week: {{1}}"},
                       {"type": "BUTTONS", "buttons": [{"type": "QUICK_REPLY", "text": "Stop promotions"},
                                                       {"type": "URL", "text": "Shop now", "url": "https://shop.example.com/c/{{1}}"}]}]}
IMSG = msg("template", {"name": "new_arrivals", "language": "en_US", "components": [
    {"type": "header", "parameters": [{"type": "image", "image": {"url": "https://example.com/new.jpg"}}]},
    {"type": "body", "parameters": [{"type": "text", "text": "linen shirts"}]},
    {"type": "button", "sub_type": "url", "index": 1, "parameters": [{"type": "text", "text": "linen"}]}]})
IO = {"template": IDEF}
case(F, "image header, body and url button match", "template definition", IMSG, options=IO)
case(F, "image header missing", "template_header_format", with_(IMSG, C, IMSG["template"]["components"][1:]),
     [e("template_header_format", C)], options=IO)
case(F, "document where the header is an image", "template_header_format",
     with_(IMSG, C + "/0/parameters/0", {"type": "document", "document": {"url": "https://example.com/a.pdf"}}),
     [e("template_header_format", C + "/0/parameters/0/type")], options=IO)
case(F, "text where the header is an image", "template_header_format",
     with_(IMSG, C + "/0/parameters/0", {"type": "text", "text": "New"}), [e("template_header_format", C + "/0/parameters/0/type")], options=IO)
case(F, "dynamic url button missing", "template_button (definition button takes a parameter)",
     with_(IMSG, C, IMSG["template"]["components"][:2]), [e("template_button", C)], options=IO)
case(F, "url button at the quick reply's index", "template_button",
     with_(IMSG, C + "/2/index", 0), [e("template_button", C + "/2/sub_type"), e("template_button", C)], options=IO)
case(F, "button index beyond the definition", "template_button",
     with_(IMSG, C + "/2/index", 5), [e("template_button", C + "/2/index"), e("template_button", C)], options=IO)
case(F, "quick reply payload for the quick reply button", "template_button",
     with_(IMSG, C, IMSG["template"]["components"] + [{"type": "button", "sub_type": "quick_reply", "index": 0, "parameters": [{"type": "payload", "payload": "STOP"}]}]),
     options=IO)
TDEF = {"name": "appointment", "language": "en",
        "components": [{"type": "HEADER", "format": "TEXT", "text": "Hello {{1}}"}, {"type": "BODY", "text": "See you on {{1}} at {{2}}."},
                       {"type": "BUTTONS", "buttons": [{"type": "URL", "text": "Details", "url": "https://example.com/appointments"},
                                                       {"type": "COPY_CODE", "example": "CODE1"}]}]}
TMSG = msg("template", {"name": "appointment", "language": "en", "components": [
    {"type": "header", "parameters": [{"type": "text", "text": "Priya"}]},
    {"type": "body", "parameters": [{"type": "date_time", "date_time": {"fallback_value": "May 5"}}, {"type": "text", "text": "10:00"}]},
    {"type": "button", "sub_type": "copy_code", "index": 1, "parameters": [{"type": "coupon_code", "coupon_code": "AB12"}]}]})
TO_ = {"template": TDEF}
case(F, "text header with a placeholder", "template definition", TMSG, options=TO_)
case(F, "text header parameter missing", "template_param_count in header", with_(TMSG, C, TMSG["template"]["components"][1:]),
     [e("template_param_count", C, 1, 0, "parameters")], options=TO_)
case(F, "copy code button missing", "template_button (copy-code)", with_(TMSG, C, TMSG["template"]["components"][:2]),
     [e("template_button", C)], options=TO_)
case(F, "parameter for a fixed url button", "template_button",
     with_(TMSG, C, TMSG["template"]["components"] + [{"type": "button", "sub_type": "url", "index": 0, "parameters": [{"type": "text", "text": "x"}]}]),
     [e("template_button", C + "/3")], options=TO_)
case(F, "header where the template has none", "template_header_format",
     with_(TPL, C, [{"type": "header", "parameters": [{"type": "text", "text": "Hi"}]}] + TPL["template"]["components"]),
     [e("template_header_format", C + "/0")], options=O)
case(F, "body parameters for a template without placeholders", "template_param_count",
     msg("template", {"name": "hello_world", "language": "en_US", "components": [{"type": "body", "parameters": [{"type": "text", "text": "x"}]}]}),
     [e("template_param_count", C + "/0/parameters", 0, 1, "parameters")],
     options={"template": {"name": "hello_world", "language": "en_US", "components": [{"type": "BODY", "text": "Hello World"}]}})
case(F, "template without placeholders, no components", "template definition",
     msg("template", {"name": "hello_world", "language": "en_US"}),
     options={"template": {"name": "hello_world", "language": "en_US", "components": [{"type": "BODY", "text": "Hello World"}]}})

# --------------------------------------------------------------------------- phone numbers
F = "phone"


def to(value, errors=(), warnings=(), options=None, out=None, name=None, rule="phone"):
    m = {"to": value, "type": "text", "text": "hi"}
    payload_out = {"to": out, "type": "text", "text": "hi"} if out else None
    case(F, name or f"to {value!r}" + (f" in {options['defaultRegion']}" if options else ""), rule, m,
         [e(*err) if isinstance(err, tuple) else err for err in errors],
         [e(*w) if isinstance(w, tuple) else w for w in warnings], options=options, payload_out=payload_out)


N = ("phone_normalized", "/to")
to("+919876543210", out="+919876543210", name="canonical e164 needs no warning", rule="normalized to E.164")
to("+91 98765 43210", warnings=[N], out="+919876543210", rule="formatted input")
to("+91-98765-43210", warnings=[N], out="+919876543210", rule="formatted input")
to("+91 (98765) 43.210", warnings=[N], out="+919876543210", rule="formatted input")
to("0091 98765 43210", warnings=[N], out="+919876543210", rule="leading 00")
to("919876543210", warnings=[N], out="+919876543210", rule="digits only with country code is international")
to("09876543210", options={"defaultRegion": "IN"}, warnings=[N], out="+919876543210", rule="national with trunk prefix and a default region")
to("98765 43210", options={"defaultRegion": "IN"}, warnings=[N], out="+919876543210", rule="national with a default region")
to("919876543210", options={"defaultRegion": "IN"}, warnings=[N], out="+919876543210", rule="digits with country code and a default region")
to("+919876543210", options={"defaultRegion": "US"}, out="+919876543210", rule="a + number ignores the default region")
to("(201) 555-0123", options={"defaultRegion": "US"}, warnings=[N, e("phone_ambiguous", "/to", suggestion="+2015550123")], out="+12015550123",
   rule="revision 2: national with a default region; the digits also read as egypt's +20")
to("07911 123456", options={"defaultRegion": "GB"}, warnings=[N], out="+447911123456", rule="national with trunk prefix")
to("09876543210", options={"defaultRegion": "in"}, warnings=[N], out="+919876543210", rule="default region in lower case")
to("09876543210", errors=[("phone_country_code", "/to")], rule="national number without a default region")
to("+999 1234 5678", errors=[("phone_country_code", "/to")], rule="unknown country calling code")
to("+0 123 456 789", errors=[("phone_country_code", "/to")], rule="country code cannot start with 0")
to("+91 98765", errors=[e("phone_too_short", "/to", 8, 5, "digits")], rule="not a possible length: too short")
to("+91 98765 43210 12345", errors=[e("phone_too_long", "/to", 13, 15, "digits")], rule="not a possible length: too long")
to("+1 202 555 01234", errors=[e("phone_too_long", "/to", 10, 11, "digits")], rule="not a possible length: too long")
to("+1 202 555 012", errors=[e("phone_too_short", "/to", 10, 9, "digits")], rule="not a possible length: too short")
to("+91 55555 55555", errors=[("phone_invalid", "/to")], rule="possible length, no number pattern")
to("+1 123 456 7890", errors=[("phone_invalid", "/to")], rule="possible length, no number pattern")
to("+44 1000 000000", errors=[("phone_invalid", "/to")], rule="possible length, no number pattern")
to("not a phone", errors=[("phone_format", "/to")], rule="letters are phone_format")
to("+91 98765 4321O", errors=[("phone_format", "/to")], rule="letter O for zero is phone_format")
to("+91 98765+43210", errors=[("phone_format", "/to")], rule="a + inside is phone_format")
to("+91 98765/43210", errors=[("phone_format", "/to")], rule="stray characters are phone_format")
to("tel:+919876543210", errors=[("phone_format", "/to")], rule="revision 2: tel: uris stay phone_format")
to("+", errors=[("phone_format", "/to")], rule="no digits")
to("++919876543210", errors=[("phone_format", "/to")], rule="double plus")
to("+1 800 234 5678", warnings=[N, ("phone_not_mobile", "/to")], out="+18002345678", rule="toll-free is phone_not_mobile")
to("+44 20 7946 0958", warnings=[N, ("phone_not_mobile", "/to")], out="+442079460958", rule="fixed line is phone_not_mobile")
to("+49 1512 3456789", warnings=[N], out="+4915123456789", rule="mobile")
to("+33 6 12 34 56 78", warnings=[N], out="+33612345678", rule="mobile")
to("+55 11 98765 4321", warnings=[N, ("phone_whatsapp_id", "/to")], out="+5511987654321", rule="brazil ninth digit")
to("+551187654321", warnings=[("phone_whatsapp_id", "/to")], out="+551187654321", rule="brazil without the ninth digit keeps the number as given")
to("+525512345678", warnings=[("phone_whatsapp_id", "/to")], out="+525512345678", rule="mexico 52 vs 521")
to("+5215512345678", warnings=[("phone_whatsapp_id", "/to")], out="+5215512345678", rule="mexico 521 keeps the number as given")
to("+541123456789", warnings=[("phone_not_mobile", "/to"), ("phone_whatsapp_id", "/to")], out="+541123456789", rule="argentina 54 9")
to("+5491123456789", out="+5491123456789", rule="argentina mobile with its 9")
to("+7 912 345 67 89", warnings=[N], out="+79123456789", rule="russia (shared calling code 7)")
to("+7 700 123 4567", warnings=[N], out="+77001234567", rule="kazakhstan (shared calling code 7)")
to("+1 242 359 1234", warnings=[N], out="+12423591234", rule="bahamas (shared calling code 1)")
to("+80012345678", warnings=[("phone_not_mobile", "/to")], out="+80012345678", rule="non-geographic toll-free")
# Revision 2: phone numbers as keyboards and contact apps type them.
R2P = "revision 2: phone input as keyboards type it: "
to("+٩١ ٩٨٧٦٥ ٤٣٢١٠", warnings=[N], out="+919876543210", rule=R2P + "arabic-indic digits")
to("+۹۸ ۹۱۲ ۳۴۵ ۶۷۸۹", warnings=[N], out="+989123456789", rule=R2P + "persian digits")
to("+९१ ९८७६५ ४३२१०", warnings=[N], out="+919876543210", rule=R2P + "devanagari digits")
to("+１ ２０１ ５５５ ０１２３", warnings=[N], out="+12015550123", rule=R2P + "full-width digits")
to("＋919876543210", warnings=[N], out="+919876543210", rule=R2P + "the full-width plus")
to("０９８７６５４３２１０", options={"defaultRegion": "IN"}, warnings=[N], out="+919876543210", rule=R2P + "full-width national digits")
to("+44 7911 123456", warnings=[N], out="+447911123456", name="to with no-break spaces", rule=R2P + "every unicode space")
case(F, "to with no-break and narrow spaces", R2P + "every unicode space", msg("text", "hi", to="+44\u00a07911\u202f123456"),
     warnings=[e(*N)], payload_out=msg("text", "hi", to="+447911123456"))
to("+44–7911–123456", warnings=[N], out="+447911123456", rule=R2P + "en dashes separate")
to("+44—7911‐123456", warnings=[N], out="+447911123456", rule=R2P + "em dash and hyphen separate")
to("+44 − 7911 123456", warnings=[N], out="+447911123456", rule=R2P + "the minus sign separates")
to("+81\u300090\u30001234\u30005678", warnings=[N], out="+819012345678", name="to with ideographic spaces", rule=R2P + "U+3000 separates")
to("+919876543210\n", warnings=[N], out="+919876543210", name="to with a trailing newline", rule=R2P + "a trailing newline")
to("\t+919876543210\r\n", warnings=[N], out="+919876543210", name="to with a tab and crlf", rule=R2P + "every unicode space")
for mark, cp in [("\u200e", "U+200E"), ("\u200f", "U+200F"), ("\u202a", "U+202A"), ("\u2066", "U+2066"), ("\ufeff", "U+FEFF"), ("\u200b", "U+200B"), ("\u00ad", "U+00AD"), ("\u2060", "U+2060")]:

    to(f"{mark}+91 98765{mark}43210{mark}", warnings=[N], out="+919876543210", name=f"to with {cp} invisible marks", rule=R2P + "invisible format characters dropped")
to("\u202a+91 98765 43210\u202c", warnings=[N], out="+919876543210", name="to wrapped in direction embedding", rule=R2P + "invisible format characters dropped")
to("+91 98765\u000743210", errors=[("phone_format", "/to")], name="to with a bell character", rule=R2P + "other control characters stay phone_format")
to("+91 98765 43210 ext. 123", errors=[("phone_format", "/to")], rule=R2P + "extensions stay phone_format")
to("+1 201 555 0123 x123", errors=[("phone_format", "/to")], rule=R2P + "extensions stay phone_format")
to("+1 201 555 0123;ext=123", errors=[("phone_format", "/to")], rule=R2P + "extensions stay phone_format")
to("1-800-FLOWERS", errors=[("phone_format", "/to")], options={"defaultRegion": "US"}, rule=R2P + "vanity letters stay phone_format")
to("tel:+1-201-555-0123", errors=[("phone_format", "/to")], rule=R2P + "tel: uris stay phone_format")
to("+44 7911 123456 ½", errors=[("phone_format", "/to")], rule=R2P + "numbers that are not decimal digits stay phone_format")
to("+9١ 98765 43210", warnings=[N], out="+919876543210", rule=R2P + "mixed scripts are digits too")
# Revision 2: the two readings of a number with a default region.
R2A = "revision 2: two readings with a default region: "
to("1 55 1234 5678", options={"defaultRegion": "MX"}, out="+5215512345678",
   warnings=[N, ("phone_whatsapp_id", "/to"), e("phone_ambiguous", "/to", suggestion="+15512345678")], rule=R2A + "mexico's whatsapp-id form, never silently +1")
to("4915123456789", options={"defaultRegion": "DE"}, out="+494915123456789",
   warnings=[N, ("phone_not_mobile", "/to"), e("phone_ambiguous", "/to", suggestion="+4915123456789")], rule=R2A + "both valid: national used")
to("+4915123456789", options={"defaultRegion": "DE"}, out="+4915123456789", rule=R2A + "a + has one reading")
to("004915123456789", options={"defaultRegion": "DE"}, warnings=[N], out="+4915123456789", rule=R2A + "a leading 00 has one reading")
# Dialled with the default region's own international prefix, as libphonenumber reads it
# (the metadata's, not only 00): AU's 0011 is never read as 00 followed by +1 1….
IDD = "a default region's international prefix is international: "
to("0011 44 7911 123456", options={"defaultRegion": "AU"}, warnings=[N], out="+447911123456", rule=IDD + "AU 0011")
to("011 44 7911 123456", options={"defaultRegion": "US"}, warnings=[N], out="+447911123456", rule=IDD + "US 011")
to("010 44 7911 123456", options={"defaultRegion": "JP"}, warnings=[N], out="+447911123456", rule=IDD + "JP 010")
to("0021 44 7911 123456", options={"defaultRegion": "BR"}, warnings=[N], out="+447911123456", rule=IDD + "BR 0021 (a carrier's)")
to("0061 412 345 678", options={"defaultRegion": "AU"}, warnings=[N], out="+61412345678", rule=IDD + "a leading 00 the region's prefix does not take")
to("011 999 1234 5678", options={"defaultRegion": "US"}, errors=[("phone_country_code", "/to")], rule=IDD + "an unknown calling code after it")
to("0011 44 7911", options={"defaultRegion": "AU"}, errors=[e("phone_too_short", "/to", 7, 4, "digits")], rule=IDD + "too short after it")
to("011 44 7911 123456", errors=[("phone_country_code", "/to")], rule=IDD + "without a default region, 011 is a national prefix")
to("447911123456", options={"defaultRegion": "IN"}, warnings=[N], out="+447911123456", rule=R2A + "only the international reading is valid: used, no warning")
to("55 1234 5678", options={"defaultRegion": "MX"}, warnings=[N, ("phone_whatsapp_id", "/to")], out="+525512345678", rule=R2A + "only the national reading is valid")
to("15512345678", options={"defaultRegion": "US"}, warnings=[N], out="+15512345678", rule=R2A + "the two readings are one number")

# --------------------------------------------------------------------------- several errors at once
F = "several_errors"
case(F, "every error of a broken button message, in payload order", "all errors reported, order follows the payload",
     {"to": "not a phone", "type": "interactive",
      "interactive": {"type": "button", "body": {"text": ""},
                      "action": {"buttons": [{"type": "reply", "reply": {"id": "a", "title": x(23)}},
                                             {"type": "reply", "reply": {"id": "a", "title": "B"}},
                                             {"type": "reply", "reply": {"id": "c", "title": "C"}},
                                             {"type": "reply", "reply": {"id": "d", "title": "D"}}]}},
      "captoin": "x"},
     [e("phone_format", "/to"), e("empty", "/interactive/body/text"), e("too_many", B, 3, 4, "items"),
      e("too_long", B + "/0/reply/title", 20, 23, "chars"), e("duplicate", B + "/1/reply/id"), e("unknown_field", "/captoin")], ordered=True)
case(F, "whatsapp-api-js's accepted mistakes", "every error reported",
     {"to": "not a phone", "type": "image", "image": {"url": "https://example.com/a.jpg", "caption": x(5000)}},
     [e("phone_format", "/to"), e("too_long", "/image/caption", 1024, 5000, "chars")], ordered=True)
case(F, "template with everything wrong", "every error reported",
     msg("template", {"name": "Bad Name!", "language": "english", "components": [
         {"type": "body", "parameters": [{"type": "text", "text": "a\nb"}, {"type": "text", "parameter_name": "x", "text": "y"}]},
         {"type": "button", "sub_type": "url", "index": 12, "parameters": [{"type": "text", "text": "z"}]}]}),
     [e("invalid_format", "/template/name"), e("invalid_format", "/template/language"), e("param_whitespace", C + "/0/parameters/0/text"),
      e("conflict", C + "/0/parameters/1"), e("out_of_range", C + "/1/index", 9, 12, "index")], ordered=True)
case(F, "missing everything inside a list", "every error reported",
     msg("interactive", {"type": "list", "action": {"sections": [{"title": "A", "rows": [{"id": "1"}]}, {"rows": [{"title": "t"}]}]}}),
     [e("required", L + "/sections/0/rows/0/title"), e("required", L + "/sections/1/rows/0/id"), e("required", L + "/sections/1/title"),
      e("required", L + "/button"), e("required", "/interactive/body")])
case(F, "three media mistakes", "every error reported",
     msg("audio", {"url": "ftp://x/a.mp3", "id": "5", "caption": "c", "filename": "f"}),
     [e("invalid_url", "/audio/url"), e("conflict", "/audio/caption"), e("unknown_field", "/audio/filename"), e("conflict", "/audio")])
case(F, "envelope mistakes", "every error reported",
     {"to": 919876543210, "type": "text", "text": "", "whatsapp_account": "a b", "biz_opaque_callback_data": x(600), "context": {"message_id": ""}},
     [e("wrong_type", "/to"), e("empty", "/text"), e("invalid_format", "/whatsapp_account"),
      e("too_long", "/biz_opaque_callback_data", 512, 600, "chars"), e("empty", "/context/message_id")], ordered=True)


# --------------------------------------------------------------------------- payloads as the real world sends them
# Shaped as Meta's Cloud API documentation, its Postman collection and SDKs write them,
# in the provider's envelope (no `messaging_product`, which the provider does not take).
F = "real_world"
RW = "revision 2, a real payload: "
case(F, "meta's location example, coordinates as strings", RW + "coordinates as numeric strings",
     msg("location", {"latitude": "37.44216251868683", "longitude": "-122.16153582049394", "name": "Philz Coffee",
                      "address": "101 Forest Ave, Palo Alto, CA 94301"}))
case(F, "an sdk's location with swapped coordinates", "latitude -90..90",
     msg("location", {"longitude": "37.4850729", "latitude": "-122.1527671", "name": "Meta Headquarters"}),
     [e("out_of_range", "/location/latitude", -90, -122.1527671, "degrees")])
case(F, "meta's voice note", RW + "audio.voice", msg("audio", {"id": "1013859600285441", "voice": True}))
case(F, "meta's image by link", RW + "link as a synonym of url", msg("image", {"link": "https://example.com/images/landscape.jpg", "caption": "The best succulent ever?"}))
case(F, "meta's document by link", RW + "link as a synonym of url",
     msg("document", {"link": "https://example.com/files/invoice.pdf", "caption": "Lucky Shrub Invoice", "filename": "lucky-shrub-invoice.pdf"}))
case(F, "meta's coupon template", RW + "sub_type COPY_CODE, coupon codes",
     msg("template", {"name": "coupon_code_fall2023_25off", "language": {"code": "en_US"}, "components": [
         {"type": "body", "parameters": [{"type": "text", "text": "25OFF"}, {"type": "text", "text": "25%"}]},
         {"type": "button", "sub_type": "COPY_CODE", "index": 1, "parameters": [{"type": "coupon_code", "coupon_code": "25OFF"}]}]}),
     payload_out=msg("template", {"name": "coupon_code_fall2023_25off", "language": {"code": "en_US"}, "components": [
         {"type": "body", "parameters": [{"type": "text", "text": "25OFF"}, {"type": "text", "text": "25%"}]},
         {"type": "button", "sub_type": "copy_code", "index": 1, "parameters": [{"type": "coupon_code", "coupon_code": "25OFF"}]}]}))
case(F, "a coupon code longer than meta allows", RW + "coupon codes at most 15 letters and digits",
     msg("template", {"name": "coupon_code_fall2023_25off", "language": {"code": "en_US"}, "components": [
         {"type": "button", "sub_type": "COPY_CODE", "index": 1, "parameters": [{"type": "coupon_code", "coupon_code": "FALL2023SAVE25NOW"}]}]}),
     [e("too_long", "/template/components/0/parameters/0/coupon_code", 15, 17, "chars")])
case(F, "an sdk's template in capitals with a string index", RW + "component type and sub_type in any case, index as a string",
     msg("template", {"name": "order_tracking", "language": {"code": "en", "policy": "deterministic"}, "components": [
         {"type": "HEADER", "parameters": [{"type": "image", "image": {"link": "https://example.com/box.jpg"}}]},
         {"type": "BODY", "parameters": [{"type": "text", "text": "Ana"}, {"type": "date_time", "date_time": {
             "fallback_value": "February 25, 1977", "day_of_week": 5, "year": 1977, "month": 2, "day_of_month": 25,
             "hour": 15, "minute": 33, "calendar": "GREGORIAN"}}]},
         {"type": "BUTTON", "sub_type": "URL", "index": "0", "parameters": [{"type": "text", "text": "ORD-1"}]}]}))
case(F, "meta's list with a long body", RW + "list body 4096",
     msg("interactive", {"type": "list", "header": {"type": "text", "text": "Choose Shipping Option"},
                         "body": {"text": x(2000, "b")}, "footer": {"text": "Lucky Shrub: Your gateway to succulents"},
                         "action": {"button": "Shipping Options", "sections": [
                             {"title": "I want it ASAP!", "rows": [{"id": "priority_express", "title": "Priority Mail Express", "description": "Next Day to 2 Days"}]},
                             {"title": "I can wait a bit", "rows": [{"id": "usps_ground_advantage", "title": "USPS Ground Advantage", "description": "2 to 5 Days"}]}]}}))
case(F, "meta's contact card", RW + "birthday a real date",
     msg("contacts", [{"birthday": "2012-08-18", "name": {"formatted_name": "John Smith", "first_name": "John", "last_name": "Smith"},
                       "phones": [{"phone": "+1 (940) 555-1234", "type": "HOME", "wa_id": "19405551234"}],
                       "urls": [{"url": "https://www.luckyshrub.com", "type": "WORK"}]}]))
case(F, "a contact card with a birthday that does not exist", RW + "birthday a real date",
     msg("contacts", [{"birthday": "2023-02-31", "name": {"formatted_name": "John Smith"}}]), [e("invalid_format", "/contacts/0/birthday")])
case(F, "an interactive header image by link", RW + "link wherever a media object stands",
     msg("interactive", {"type": "button", "header": {"type": "image", "image": {"link": "https://example.com/offer.png"}},
                         "body": {"text": "Would you like the offer?"}, "action": {"buttons": [{"type": "reply", "reply": {"id": "yes", "title": "Yes"}}]}}))
case(F, "a number copied from a contacts app", R2P + "direction marks and no-break spaces",
     msg("text", "hi", to="\u202a+44\u00a07911\u00a0123456\u202c"), warnings=[e(*N)], payload_out=msg("text", "hi", to="+447911123456"))

# --------------------------------------------------------------------------- template fields and filling
# The core's template model (template_fields / fill_template), which the page's form,
# the CLI and campaigns use: tests/vectors/templates/{fields,fill}.json.
FIELDS_CASES = []
FILL_CASES = []
P0 = "/template/components/0/parameters"


def fld(key, component, kind, pointer, required=True, sub_type=None, index=None, limit=None, defaults_to=None):
    f = {"key": key, "component": component, "type": kind, "pointer": pointer, "required": required}
    if sub_type is not None:
        f["sub_type"] = sub_type
    if index is not None:
        f["index"] = index
    if limit is not None:
        f["limit"] = {"max": limit[0], "unit": limit[1]}
    if defaults_to is not None:
        f["defaults_to"] = defaults_to
    return f


def fields_case(name, definition, fields, sendable=True):
    FIELDS_CASES.append({"name": name, "definition": definition, "expect": {"sendable": sendable, "fields": fields}})


def fill_case(name, definition, values, errors=(), payload=None, options=None):
    c = {"name": name, "definition": definition, "values": values,
         "expect": {"valid": not errors, "errors": [dict(zip(("field", "code", "path"), err)) for err in errors]}}
    if payload is not None:
        c["expect"]["payload"] = payload
    if options:
        c["options"] = options
    FILL_CASES.append(c)


D_ORDER = {"name": "order_confirmation", "language": "en", "status": "APPROVED", "category": "UTILITY",
           "components": [{"type": "BODY", "text": "Hi {{1}}, your order {{2}} has shipped."},
                          {"type": "BUTTONS", "buttons": [{"type": "URL", "text": "Track", "url": "https://t.example.com/{{1}}"}]}]}
D_NAMED = {"name": "delivery_update", "language": "en", "parameter_format": "NAMED",
           "components": [{"type": "BODY", "text": "Hi {{first_name}}, order {{order_id}} arrives {{delivery_date}}. Thanks, {{first_name}}!"}]}
D_IMAGE = {"name": "new_arrivals", "language": "en_US", "category": "MARKETING",
           "components": [{"type": "HEADER", "format": "IMAGE"}, {"type": "BODY", "text": "New: {{1}} from {{2}}"},
                          {"type": "BUTTONS", "buttons": [{"type": "QUICK_REPLY", "text": "Stop"}, {"type": "URL", "text": "Shop", "url": "https://s.example.com/{{1}}"}]}]}
D_LOCATION = {"name": "store_open", "language": "en", "components": [{"type": "HEADER", "format": "LOCATION"}, {"type": "BODY", "text": "We opened near you."}]}
D_OTP = {"name": "verification_code", "language": "en", "category": "AUTHENTICATION",
         "components": [{"type": "BODY", "text": "{{1}} is your verification code."},
                        {"type": "BUTTONS", "buttons": [{"type": "OTP", "otp_type": "COPY_CODE", "text": "Copy code"}]}]}
D_COUPON = {"name": "fall_sale", "language": "en_US", "category": "MARKETING",
            "components": [{"type": "HEADER", "format": "TEXT", "text": "Sale for {{1}}"}, {"type": "BODY", "text": "Use {{1}} at checkout"},
                           {"type": "BUTTONS", "buttons": [{"type": "COPY_CODE", "example": "SAVE10"}]}]}
D_GAP = {"name": "gappy", "language": "en", "components": [{"type": "BODY", "text": "{{1}} and {{3}}"}]}
D_MEDIA = {"name": "ticket", "language": "en", "components": [{"type": "HEADER", "format": "DOCUMENT"}, {"type": "BODY", "text": "Your ticket"}]}
D_VIDEO = {"name": "promo_video", "language": "en", "components": [{"type": "HEADER", "format": "VIDEO"}]}
D_FLOW = {"name": "signup_flow", "language": "en", "components": [{"type": "BODY", "text": "Sign up"}, {"type": "BUTTONS", "buttons": [{"type": "FLOW", "text": "Start"}]}]}
D_PAUSED = dict(D_ORDER, status="PAUSED")
D_STATIC = {"name": "hello_world", "language": "en_US", "status": "APPROVED",
            "components": [{"type": "HEADER", "format": "TEXT", "text": "Hello World"}, {"type": "BODY", "text": "Welcome!"}]}

fields_case("positional body and a dynamic url button", D_ORDER, [
    fld("1", "body", "text", P0 + "/0/text", limit=(1024, "chars")),
    fld("2", "body", "text", P0 + "/1/text", limit=(1024, "chars")),
    fld("button_0", "button", "text", "/template/components/1/parameters/0/text", sub_type="url", index=0)])
fields_case("named body: each name once, in order; a sole body takes 32768", D_NAMED, [
    fld("first_name", "body", "text", P0 + "/0/text", limit=(32768, "chars")),
    fld("order_id", "body", "text", P0 + "/1/text", limit=(32768, "chars")),
    fld("delivery_date", "body", "text", P0 + "/2/text", limit=(32768, "chars"))])
fields_case("image header, body, and the url button after a quick reply", D_IMAGE, [
    fld("header", "header", "image", P0 + "/0/image"),
    fld("1", "body", "text", "/template/components/1/parameters/0/text", limit=(1024, "chars")),
    fld("2", "body", "text", "/template/components/1/parameters/1/text", limit=(1024, "chars")),
    fld("button_1", "button", "text", "/template/components/2/parameters/0/text", sub_type="url", index=1)])
fields_case("location header", D_LOCATION, [fld("header", "header", "location", P0 + "/0/location")])
fields_case("document header", D_MEDIA, [fld("header", "header", "document", P0 + "/0/document")])
fields_case("video header alone", D_VIDEO, [fld("header", "header", "video", P0 + "/0/video")])
fields_case("authentication: the otp button takes the body's code", D_OTP, [
    fld("1", "body", "text", P0 + "/0/text", limit=(1024, "chars")),
    fld("button_0", "button", "otp", "/template/components/1/parameters/0/text", required=False, sub_type="url", index=0, defaults_to="1")])
fields_case("text header placeholder and a copy-code button", D_COUPON, [
    fld("header", "header", "text", P0 + "/0/text", limit=(60, "chars")),
    fld("1", "body", "text", "/template/components/1/parameters/0/text", limit=(1024, "chars")),
    fld("button_0", "button", "coupon_code", "/template/components/2/parameters/0/coupon_code", sub_type="copy_code", index=0, limit=(15, "chars"))])
fields_case("{{1}} and {{3}} take three parameters", D_GAP, [
    fld("1", "body", "text", P0 + "/0/text", limit=(32768, "chars")),
    fld("2", "body", "text", P0 + "/1/text", limit=(32768, "chars")),
    fld("3", "body", "text", P0 + "/2/text", limit=(32768, "chars"))])
fields_case("a flow button's token is optional", D_FLOW, [
    fld("button_0", "button", "flow_token", "/template/components/0/parameters/0/action/flow_token", required=False, sub_type="flow", index=0)])
fields_case("no placeholders, no inputs", D_STATIC, [])
fields_case("a paused template cannot be sent", D_PAUSED, [
    fld("1", "body", "text", P0 + "/0/text", limit=(1024, "chars")),
    fld("2", "body", "text", P0 + "/1/text", limit=(1024, "chars")),
    fld("button_0", "button", "text", "/template/components/1/parameters/0/text", sub_type="url", index=0)], sendable=False)

ORDER_PAYLOAD = {"to": TO, "type": "template", "template": {"name": "order_confirmation", "language": "en", "components": [
    {"type": "body", "parameters": [{"type": "text", "text": "John"}, {"type": "text", "text": "ORD-789"}]},
    {"type": "button", "sub_type": "url", "index": 0, "parameters": [{"type": "text", "text": "789"}]}]}}
fill_case("every value given", D_ORDER, {"to": TO, "1": "John", "2": "ORD-789", "button_0": "789"}, payload=ORDER_PAYLOAD)
fill_case("the recipient normalized", D_ORDER, {"to": "+91 98765 43210", "1": "John", "2": "ORD-789", "button_0": "789"}, payload=ORDER_PAYLOAD)
fill_case("a national recipient with a default region", D_ORDER, {"to": "098765 43210", "1": "John", "2": "ORD-789", "button_0": "789"},
          payload=ORDER_PAYLOAD, options={"defaultRegion": "IN"})
fill_case("a value missing", D_ORDER, {"to": TO, "1": "John", "button_0": "789"}, [("2", "required", P0 + "/1/text")])
fill_case("the recipient missing", D_ORDER, {"1": "John", "2": "ORD-789", "button_0": "789"}, [("to", "required", "/to")])
fill_case("a recipient that is no number", D_ORDER, {"to": "not a phone", "1": "John", "2": "ORD-789", "button_0": "789"}, [("to", "phone_format", "/to")])
fill_case("a value over its limit", D_ORDER, {"to": TO, "1": x(1025), "2": "ORD-789", "button_0": "789"}, [("1", "too_long", P0 + "/0/text")])
fill_case("a value with a newline", D_ORDER, {"to": TO, "1": "John\nSmith", "2": "ORD-789", "button_0": "789"}, [("1", "param_whitespace", P0 + "/0/text")])
fill_case("a value the template does not take", D_ORDER, {"to": TO, "1": "John", "2": "ORD-789", "3": "x", "button_0": "789"}, [("3", "unknown_field", "")])
fill_case("a misspelled key", D_NAMED, {"to": TO, "frist_name": "Ana", "order_id": "1", "delivery_date": "Monday"},
          [("frist_name", "unknown_field", ""), ("first_name", "required", P0 + "/0/text")])
fill_case("named values", D_NAMED, {"to": TO, "first_name": "Ana", "order_id": "ORD-1", "delivery_date": "Monday"},
          payload={"to": TO, "type": "template", "template": {"name": "delivery_update", "language": "en", "components": [
              {"type": "body", "parameters": [{"type": "text", "text": "Ana", "parameter_name": "first_name"},
                                              {"type": "text", "text": "ORD-1", "parameter_name": "order_id"},
                                              {"type": "text", "text": "Monday", "parameter_name": "delivery_date"}]}]}})
fill_case("an image header by url, a media id for a document", D_IMAGE, {"to": TO, "header": "https://example.com/new.jpg", "1": "linen", "2": "$20", "button_1": "linen"},
          payload={"to": TO, "type": "template", "template": {"name": "new_arrivals", "language": "en_US", "components": [
              {"type": "header", "parameters": [{"type": "image", "image": {"link": "https://example.com/new.jpg"}}]},
              {"type": "body", "parameters": [{"type": "text", "text": "linen"}, {"type": "text", "text": "$20"}]},
              {"type": "button", "sub_type": "url", "index": 1, "parameters": [{"type": "text", "text": "linen"}]}]}})
fill_case("a document header by media id", D_MEDIA, {"to": TO, "header": "1234567890"},
          payload={"to": TO, "type": "template", "template": {"name": "ticket", "language": "en", "components": [
              {"type": "header", "parameters": [{"type": "document", "document": {"id": "1234567890"}}]}]}})
fill_case("an image header that is no url", D_IMAGE, {"to": TO, "header": "ftp://example.com/a.jpg", "1": "a", "2": "b", "button_1": "c"},
          [("header", "invalid_url", P0 + "/0/image/link")])
fill_case("a location header as lat,long", D_LOCATION, {"to": TO, "header": "19.076, 72.8777"},
          payload={"to": TO, "type": "template", "template": {"name": "store_open", "language": "en", "components": [
              {"type": "header", "parameters": [{"type": "location", "location": {"latitude": "19.076", "longitude": "72.8777"}}]}]}})
fill_case("a location header out of range", D_LOCATION, {"to": TO, "header": "91,0"}, [("header", "out_of_range", P0 + "/0/location/latitude")])
fill_case("the otp button takes the body's code", D_OTP, {"to": TO, "1": "123456"},
          payload={"to": TO, "type": "template", "template": {"name": "verification_code", "language": "en", "components": [
              {"type": "body", "parameters": [{"type": "text", "text": "123456"}]},
              {"type": "button", "sub_type": "url", "index": 0, "parameters": [{"type": "text", "text": "123456"}]}]}})
fill_case("a coupon code over 15 chars", D_COUPON, {"to": TO, "header": "Ana", "1": "SAVE10", "button_0": "SAVE10SAVE10SAVE"},
          [("button_0", "too_long", "/template/components/2/parameters/0/coupon_code")])
fill_case("a header value over 60 chars", D_COUPON, {"to": TO, "header": x(61), "1": "SAVE10", "button_0": "SAVE10"},
          [("header", "too_long", P0 + "/0/text")])
fill_case("a template without inputs", D_STATIC, {"to": TO},
          payload={"to": TO, "type": "template", "template": {"name": "hello_world", "language": "en_US"}})
fill_case("a value that is not text", D_ORDER, {"to": TO, "1": 5, "2": "ORD-789", "button_0": "789"}, [("1", "wrong_type", P0 + "/0/text")])

# --------------------------------------------------------------------------- campaign lists
# A list for a template: every row's problems by row (data rows from 1) and column,
# duplicates and opt-outs skipped, the counts: tests/vectors/campaigns/lists.json.
LIST_CASES = []


def list_case(name, definition, text, summary, issues=(), skipped=(), options=None, unused=()):
    # A long list is written as `list_repeat`: `head`, `row` `times` times, then `tail`.
    given = {"list_repeat": text} if isinstance(text, dict) else {"list": text}
    c = {"name": name, "definition": definition, **given,
         "expect": {"summary": dict(zip(("total", "valid", "invalid", "duplicate", "opted_out"), summary)),
                    "issues": [dict((k, v) for k, v in zip(("row", "line", "column", "code"), i) if v is not None) for i in issues],
                    "skipped": [dict((k, v) for k, v in zip(("row", "code", "of"), sk) if v is not None) for sk in skipped],
                    "unused_columns": list(unused)}}
    if options:
        c["options"] = options
    LIST_CASES.append(c)


H = "to,1,2,button_0\n"
list_case("three valid rows", D_ORDER, H + "+919876543210,John,ORD-1,1\n+447911123456,Ana,ORD-2,2\n+5511987654321,Rui,ORD-3,3\n", (3, 3, 0, 0, 0))
list_case("a quoted cell with a comma and a newline, and a semicolon list", D_ORDER,
          'to;1;2;button_0\n+919876543210;"Smith, John";"ORD-1";1\n+447911123456;Ana;"ORD\n2";2\n', (2, 1, 1, 0, 0),
          [(2, 3, "2", "param_whitespace")])
list_case("a tab-separated list with a byte-order mark", D_ORDER, "\ufeffto\t1\t2\tbutton_0\n+919876543210\tJohn\tORD-1\t1\n", (1, 1, 0, 0, 0))
list_case("invalid cells are reported by row, line and column", D_ORDER,
          H + "+919876543210,John,ORD-1,1\nnot a phone,Ana,ORD-2,2\n+447911123456,Rui," + "x" * 1025 + ",3\n+447911123457,,ORD-4,4\n", (4, 1, 3, 0, 0),
          [(2, 3, "to", "phone_format"), (3, 4, "2", "too_long"), (4, 5, "1", "required")])
list_case("duplicates, whatever their format or whatsapp-id form", D_ORDER,
          H + "+91 98765 43210,John,ORD-1,1\n919876543210,John,ORD-1,1\n+525512345678,Ana,ORD-2,2\n+5215512345678,Ana,ORD-2,2\n", (4, 2, 0, 2, 0),
          skipped=[(2, "duplicate", 1), (4, "duplicate", 3)])
list_case("an opted-out recipient is skipped", D_ORDER, H + "+919876543210,John,ORD-1,1\n+447911123456,Ana,ORD-2,2\n", (2, 1, 0, 0, 1),
          skipped=[(2, "recipient_opted_out", None)], options={"suppressed": ["+447911123456"]})
list_case("national numbers with a default region", D_ORDER, H + "098765 43210,John,ORD-1,1\n", (1, 1, 0, 0, 0), options={"defaultRegion": "IN"})
list_case("no column for an input: the list is refused", D_ORDER, "to,1,button_0\n+919876543210,John,1\n", (1, 0, 0, 0, 0),
          [(None, None, "2", "required")])
list_case("no recipient column: the list is refused", D_ORDER, "number,1,2,button_0\n+919876543210,John,ORD-1,1\n", (1, 0, 0, 0, 0),
          [(None, None, None, "required")], unused=["number"])
list_case("a phone column, an unused column, blank lines", D_ORDER, "phone,1,2,button_0,notes\n+919876543210,John,ORD-1,1,vip\n\n,,,,\n", (1, 1, 0, 0, 0),
          unused=["notes"])
list_case("an explicit mapping", D_NAMED, "mobile,first name,order,date\n+919876543210,Ana,ORD-1,Monday\n", (1, 1, 0, 0, 0),
          options={"mapping": {"mobile": "to", "first name": "first_name", "order": "order_id", "date": "delivery_date"}})
list_case("json rows", D_ORDER, '[{"to": "+919876543210", "1": "John", "2": "ORD-1", "button_0": "1"}, {"to": "+447911123456", "1": "Ana", "2": 7, "button_0": "2"}]',
          (2, 1, 1, 0, 0), [(2, None, "2", "wrong_type")])
list_case("ndjson rows", D_ORDER, '{"to": "+919876543210", "1": "John", "2": "ORD-1", "button_0": "1"}\n{"to": "+919876543210", "1": "John", "2": "ORD-1", "button_0": "1"}\n',
          (2, 1, 0, 1, 0), skipped=[(2, "duplicate", 1)])
# The row limit (campaign::MAX_ROWS, 100,000), at its edges, in each form. A list of
# the limit is read (and refused here only for its missing recipient column, so that
# no row is filled); one over it is refused before it is read.
NO_TO = "number,1,2,button_0\n"
list_case("100,000 csv rows are read", D_ORDER, {"head": NO_TO, "row": "+919876543210,John,ORD-1,1\n", "times": 100000, "tail": ""},
          (100000, 0, 0, 0, 0), [(None, None, None, "required")], unused=["number"])
list_case("100,001 csv rows are refused", D_ORDER, {"head": NO_TO, "row": "+919876543210,John,ORD-1,1\n", "times": 100001, "tail": ""},
          (0, 0, 0, 0, 0), [(None, None, None, "too_many")])
list_case("100,000 json rows are read", D_ORDER, {"head": "[", "row": "{},", "times": 99999, "tail": "{}]"},
          (100000, 0, 0, 0, 0), [(None, None, None, "required"), (None, None, "1", "required"), (None, None, "2", "required"), (None, None, "button_0", "required")])
list_case("100,001 json rows are refused", D_ORDER, {"head": "[", "row": "{},", "times": 100000, "tail": "{}]"},
          (0, 0, 0, 0, 0), [(None, None, None, "too_many")])
list_case("100,001 ndjson rows are refused, blank lines not counted", D_ORDER, {"head": "\n", "row": '{"phone": 1}\n\n', "times": 100001, "tail": ""},
          (0, 0, 0, 0, 0), [(None, None, None, "too_many")])
list_case("a quote never closed: the list is refused, not swallowed", D_ORDER, 'to,1,2,button_0\n+919876543210,"John,ORD-1,1\n+447911123456,Ana,ORD-2,2\n',
          (0, 0, 0, 0, 0), [(None, 2, None, "invalid_format")])

# --------------------------------------------------------------------------- options (every face)
# A bad option is the caller's mistake, the same in every face: an `Err` from
# `Options::from_value`/`Options::default_region` in Rust, a `TypeError` in npm,
# exit 2 with the message in the CLI. Written to options/cases.json, not a
# payload vector file: the payload runners do not read it.
OPTION_CASES = []


def opt(name, options, region=None, error=None, cli=None):
    c = {"name": name, "options": options}
    if error is not None:
        c["error"] = error
    else:
        c["region"] = region
    if cli is not None:
        c["cli"] = cli
    OPTION_CASES.append(c)


NOT_REGION = 'default region "{}" is not a region of the phone metadata (use an iso 3166-1 alpha-2 code like IN)'
opt("a region", {"defaultRegion": "IN"}, region="IN", cli=["--default-region", "IN"])
opt("a region in lower case", {"defaultRegion": "in"}, region="IN", cli=["--default-region", "in"])
opt("no options", None)
opt("empty options", {})
opt("a null region is none", {"defaultRegion": None})
opt("an unknown region", {"defaultRegion": "XX"}, error=NOT_REGION.format("XX"), cli=["--default-region", "XX"])
opt("a three-letter code", {"defaultRegion": "IND"}, error=NOT_REGION.format("IND"), cli=["--default-region", "IND"])
opt("the non-geographic 001", {"defaultRegion": "001"}, error=NOT_REGION.format("001"), cli=["--default-region", "001"])
opt("an empty region", {"defaultRegion": ""}, error=NOT_REGION.format(""), cli=["--default-region", ""])
opt("a region with a space", {"defaultRegion": " IN"}, error=NOT_REGION.format(" IN"), cli=["--default-region", " IN"])
opt("a region with an invisible mark", {"defaultRegion": "IN\u200e"}, error=NOT_REGION.format("IN<U+200E>"), cli=["--default-region", "IN\u200e"])
opt("a region as a number", {"defaultRegion": 91}, error='option defaultRegion must be a string like "IN", not a number')
opt("a misspelled option", {"defualtRegion": "IN"}, error="unknown option `defualtRegion`; did you mean `defaultRegion`?")
opt("an unknown option", {"country": "IN"}, error="unknown option `country`")
opt("options as a string", "IN", error="options must be an object, not a string")
opt("options as an array", ["IN"], error="options must be an object, not an array")
opt("a template without a name", {"template": {"language": "en"}}, error="option template: template definition needs `name` as a string")
opt("a template as a number", {"template": 5}, error="option template: template definition must be a json object")


def write_file(path, name, cases, check, stale):
    text = json.dumps({"file": name, "cases": cases}, ensure_ascii=False, indent=1) + "\n"
    if check:
        try:
            with open(path, encoding="utf-8") as f:
                if f.read() != text:
                    stale.append(path)
        except FileNotFoundError:
            stale.append(path)
    else:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)


def write(check):
    stale = []
    total = 0
    for name, cases in FILES.items():
        total += len(cases)
        write_file(os.path.join(HERE, f"{name}.json"), name, cases, check, stale)
    write_file(os.path.join(HERE, "options", "cases.json"), "options", OPTION_CASES, check, stale)
    write_file(os.path.join(HERE, "templates", "fields.json"), "template_fields", FIELDS_CASES, check, stale)
    write_file(os.path.join(HERE, "templates", "fill.json"), "fill_template", FILL_CASES, check, stale)
    write_file(os.path.join(HERE, "campaigns", "lists.json"), "campaign_lists", LIST_CASES, check, stale)
    if check and stale:
        print("stale vector files (run python3 tests/vectors/build.py):", *stale, sep="\n  ")
        sys.exit(1)
    print(f"{total} vectors in {len(FILES)} files" + (" are up to date" if check else " written"))


write("--check" in sys.argv)
