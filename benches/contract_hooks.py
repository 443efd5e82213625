"""Schemathesis hooks for the contract run: webhooks are signed the way the
provider signs them (HMAC-SHA256 of the exact body bytes), so that the webhook
endpoint is tested past its signature check, not just refused. A case whose
headers are negative on purpose keeps its generated signature (which must be
refused). Uses the case metadata of the pinned Schemathesis 4.32.5."""
import hashlib
import hmac
import json
import os

import schemathesis

SECRET = os.environ["WASEND_CONTRACT_WEBHOOK_SECRET"].encode()


def negative_headers(case):
    meta = getattr(case, "_meta", None)
    components = getattr(meta, "components", None) or {}
    return any(loc.name == "HEADER" and info.mode.is_negative for loc, info in components.items())


@schemathesis.hook
def before_call(ctx, case, **kwargs):
    if case.path != "/api/webhooks" or case.method.upper() != "POST" or negative_headers(case):
        return
    # The body stays as generated (Schemathesis revalidates a changed one); the
    # requests transport writes it with `json.dumps(body).encode()`, so sign that.
    if isinstance(case.body, bytes):
        raw = case.body
    else:
        try:
            raw = json.dumps(case.body).encode()
        except TypeError:
            return  # no body at all: nothing to sign
    case.headers = dict(case.headers or {})
    case.headers["X-Webhook-Signature"] = "sha256=" + hmac.new(SECRET, raw, hashlib.sha256).hexdigest()
