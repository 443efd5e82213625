"""An app's webhook handling written for pywa, fed what wasend forwarded: each
request's raw body and X-Hub-Signature-256, given to pywa's own validator and
handler (its documented way for a custom server), with pywa's handlers for
messages and statuses. Prints one JSON line of what the handlers saw; a request
pywa refuses prints its answer.

    .venv/bin/python tests/sdk/pywa_webhooks.py <app secret> <phone id> < requests.jsonl
"""

import json
import logging
import sys

from pywa import WhatsApp, handlers


def main() -> None:
    logging.getLogger("pywa").setLevel(logging.ERROR)
    wa = WhatsApp(phone_id=sys.argv[2], token="unused", app_secret=sys.argv[1], verify_token="unused")
    seen = {"messages": [], "statuses": [], "refused": []}
    wa.add_handlers(
        handlers.MessageHandler(lambda _, m: seen["messages"].append({"from": m.from_user.wa_id, "text": m.text, "name": m.from_user.name})),
        handlers.MessageStatusHandler(lambda _, s: seen["statuses"].append({"id": s.id, "status": s.status.value})),
    )
    for line in sys.stdin:
        if not line.strip():
            continue
        request = json.loads(line)
        body = request["body"].encode()
        refused = wa.webhook_update_validator(body, request.get("signature"))
        if refused:
            seen["refused"].append(refused[1])
            continue
        wa.webhook_update_handler(body)
    print(json.dumps(seen))


if __name__ == "__main__":
    main()
