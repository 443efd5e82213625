#!/usr/bin/env python3
"""Writes tests/phone/examples.jsonl, the phone corpus that Google's own port
refereees: every example number of every number type of every region (and of
every non-geographic calling code) that PyPI's `phonenumbers` carries, in E.164,
international and national format, and the typed-input cases of RULES.md
(numbers as keyboards and contact apps produce them), each with `phonenumbers`'
verdict. `phonenumbers` is generated from the same Google metadata release as
wasend's (see `--check`).

    .venv/bin/python tests/phone/examples.py          # rewrite the file
    .venv/bin/python tests/phone/examples.py --check  # exit 1 when it is stale

Each line: {"input", "region"?, "kind", "source"?, "expect"?, "py": verdict}.
`kind` is `e164`, `international`, `national`, `idd` (dialled with the default
region's own international prefix: AU `0011`, US `011`, JP `010`) or `typed:<class>`; a typed case
says what RULES.md expects of it (`expect`: the E.164 it reads as, or the error
code) and which plain number it was made from (`source`). The verdict is
{"valid", "e164"?, "type"?, "region"?, "error"?} in wasend's names.
"""
import json
import os
import re
import sys

import phonenumbers as pn
from phonenumbers import PhoneNumberFormat as F
from phonenumbers import PhoneNumberType as T

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "examples.jsonl")
ROOT = os.path.dirname(os.path.dirname(HERE))

TYPES = {
    T.FIXED_LINE: "fixed_line", T.MOBILE: "mobile", T.FIXED_LINE_OR_MOBILE: "fixed_line_or_mobile",
    T.TOLL_FREE: "toll_free", T.PREMIUM_RATE: "premium_rate", T.SHARED_COST: "shared_cost",
    T.VOIP: "voip", T.PERSONAL_NUMBER: "personal_number", T.PAGER: "pager", T.UAN: "uan",
    T.VOICEMAIL: "voicemail",
}
ERRORS = {
    pn.NumberParseException.INVALID_COUNTRY_CODE: "invalid_country",
    pn.NumberParseException.NOT_A_NUMBER: "not_a_number",
    pn.NumberParseException.TOO_SHORT_AFTER_IDD: "too_short",
    pn.NumberParseException.TOO_SHORT_NSN: "too_short",
    pn.NumberParseException.TOO_LONG: "too_long",
}


def verdict(text, region):
    try:
        n = pn.parse(text, region)
    except pn.NumberParseException as e:
        return {"valid": False, "error": ERRORS.get(e.error_type, "not_a_number")}
    out = {"valid": pn.is_valid_number(n), "e164": pn.format_number(n, F.E164)}
    ty = TYPES.get(pn.number_type(n))
    if ty:
        out["type"] = ty
    r = pn.region_code_for_number(n)
    if r and r != "001":
        out["region"] = r
    if n.extension:
        out["extension"] = n.extension
    return out


def examples():
    """(region or None, number) for every example number, regions sorted."""
    for region in sorted(pn.SUPPORTED_REGIONS):
        for t in TYPES:
            n = pn.example_number_for_type(region, t)
            if n is not None:
                yield region, t, n
    for cc in sorted(pn.COUNTRY_CODES_FOR_NON_GEO_REGIONS):
        n = pn.example_number_for_non_geo_entity(cc)
        if n is not None:
            yield None, None, n


def script(text, zero):
    return "".join(chr(zero + int(c)) if c.isdigit() else c for c in text)


# The typed-input classes of RULES.md: (class, transform of the international
# format, what RULES.md says it reads as: "same" the plain number, or an error code).
TYPED = [
    ("arabic_indic_digits", lambda s: script(s, 0x0660), "same"),
    ("persian_digits", lambda s: script(s, 0x06F0), "same"),
    ("devanagari_digits", lambda s: script(s, 0x0966), "same"),
    ("fullwidth_digits", lambda s: script(s, 0xFF10), "same"),
    ("fullwidth_plus", lambda s: "\uff0b" + s[1:], "same"),
    ("en_dashes", lambda s: s.replace(" ", "\u2013"), "same"),
    ("minus_signs", lambda s: s.replace(" ", "\u2212"), "same"),
    ("fullwidth_hyphens", lambda s: s.replace(" ", "\uff0d"), "same"),
    ("ideographic_spaces", lambda s: s.replace(" ", "\u3000"), "same"),
    ("no_break_spaces", lambda s: s.replace(" ", "\u00a0"), "same"),
    ("trailing_newline", lambda s: s + "\n", "same"),
    ("direction_embedding", lambda s: "\u202a" + s + "\u202c", "same"),
    ("direction_marks_inside", lambda s: s.replace(" ", "\u200e "), "same"),
    ("isolates", lambda s: "\u2066" + s + "\u2069", "same"),
    ("zero_width_spaces", lambda s: s.replace(" ", "\u200b"), "same"),
    ("byte_order_mark", lambda s: "\ufeff" + s, "same"),
    ("soft_hyphens", lambda s: s.replace(" ", "\u00ad"), "same"),
    ("extension", lambda s: s + " ext. 123", "phone_format"),
    ("extension_x", lambda s: s + " x123", "phone_format"),
    ("extension_rfc3966", lambda s: s.replace(" ", "") + ";ext=123", "phone_format"),
    ("tel_uri", lambda s: "tel:" + s.replace(" ", "-"), "phone_format"),
]
# Mobile numbers of regions whose people type in these scripts and on these keyboards.
TYPED_REGIONS = ["AE", "BD", "BR", "CN", "DE", "EG", "FR", "GB", "IN", "IR", "JP", "KR", "MX", "NP",
                 "PK", "RU", "SA", "US"]
VANITY = [("1-800-FLOWERS", "US"), ("+1 800 FLOWERS", None), ("1-888-GO-FEDEX", "US"), ("0800 REVERSE", "GB")]
# Two readings with a default region (RULES.md): national first, the other reading named.
TWO_READINGS = [("1 55 1234 5678", "MX", "+5215512345678"), ("15512345678", "MX", "+5215512345678"),
                ("4915123456789", "DE", "+494915123456789")]


def idd_prefixes(region):
    """The region's international dialling prefixes a person types: the preferred
    one the metadata names, and the shortest and longest digit strings of up to
    five digits its pattern takes (AU `0011`, US `011`, JP `010`, BR `0021`…)."""
    meta = pn.PhoneMetadata.metadata_for_region(region)
    if not meta or not meta.international_prefix:
        return []
    pattern = re.compile(meta.international_prefix)
    taken = [c for width in range(1, 6) for c in (str(i).zfill(width) for i in range(10 ** width))
             if pattern.fullmatch(c)]
    # `~` in a preferred prefix is "wait for the dial tone" (TM `8~10`): not typed.
    preferred = (meta.preferred_international_prefix or "").replace("~", "")
    out = [preferred] if preferred else []
    for c in taken[:1] + taken[-1:]:
        if c not in out:
            out.append(c)
    return out


def idd_lines():
    """Numbers dialled from each region with its international prefix, read with that
    region as the default: a mobile abroad (the next region's, in order) and one at home."""
    regions = sorted(pn.SUPPORTED_REGIONS)
    out = []
    for i, region in enumerate(regions):
        for prefix in idd_prefixes(region):
            for target in (regions[(i + 1) % len(regions)], region):
                n = pn.example_number_for_type(target, T.MOBILE) or pn.example_number(target)
                if n is None:
                    continue
                text = prefix + " " + pn.format_number(n, F.INTERNATIONAL)[1:]
                out.append({"input": text, "kind": "idd", "region": region, "py": verdict(text, region)})
    return out


def lines():
    out = []
    for region, t, n in examples():
        intl = pn.format_number(n, F.INTERNATIONAL)
        forms = [("e164", pn.format_number(n, F.E164), None), ("international", intl, None)]
        if region is not None:
            forms.append(("national", pn.format_number(n, F.NATIONAL), region))
        for kind, text, r in forms:
            line = {"input": text, "kind": kind}
            if r:
                line["region"] = r
            line["py"] = verdict(text, r)
            out.append(line)
    for region in TYPED_REGIONS:
        n = pn.example_number_for_type(region, T.MOBILE)
        intl = pn.format_number(n, F.INTERNATIONAL)
        e164 = pn.format_number(n, F.E164)
        for cls, transform, expect in TYPED:
            text = transform(intl)
            line = {"input": text, "kind": f"typed:{cls}", "source": e164,
                    "expect": {"e164": e164} if expect == "same" else {"error": expect}, "py": verdict(text, None)}
            out.append(line)
        # Digits only, with the country code and no +, read with another region: the
        # international reading is the valid one (RULES.md: "when one reading is valid, it is used").
        other = "US" if region != "US" else "GB"
        text = e164[1:]
        out.append({"input": text, "region": other, "kind": "typed:digits_with_country_code", "source": e164,
                    "py": verdict(text, other)})
    for text, region in VANITY:
        line = {"input": text, "kind": "typed:vanity_letters", "expect": {"error": "phone_format"}, "py": verdict(text, region)}
        if region:
            line["region"] = region
        out.append(line)
    for text, region, e164 in TWO_READINGS:
        out.append({"input": text, "region": region, "kind": "typed:two_readings", "expect": {"e164": e164, "warning": "phone_ambiguous"},
                    "py": verdict(text, region)})
    out.extend(idd_lines())
    return out


def main():
    metadata = json.load(open(os.path.join(ROOT, "data", "phone-metadata.json"), encoding="utf-8"))["metadata_version"]
    if pn.__version__ != metadata:
        print(f"phonenumbers {pn.__version__} carries metadata {pn.__version__}; wasend's is {metadata}: "
              f"install phonenumbers=={metadata} (scripts/setup.sh does)", file=sys.stderr)
        sys.exit(1)
    text = "".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines())
    if "--check" in sys.argv:
        try:
            current = open(OUT, encoding="utf-8").read()
        except FileNotFoundError:
            current = None
        if current != text:
            print(f"{OUT} is stale: run .venv/bin/python tests/phone/examples.py", file=sys.stderr)
            sys.exit(1)
        print(f"tests/phone/examples.jsonl is phonenumbers {pn.__version__}'s ({text.count(chr(10))} numbers)")
        return
    with open(OUT, "w", encoding="utf-8") as f:
        f.write(text)
    print(f"wrote {text.count(chr(10))} numbers to {OUT} (phonenumbers {pn.__version__})")


main()
