"""An app written for pywa, unchanged but for where it sends: pywa's own httpx
client (its documented `session=`) with a transport that takes graph.facebook.com
to the wasend Worker. It sends text, a template with named parameters, reply
buttons, a list, an image by link and a reaction; marks a message read; lists the
templates; and sends a bad payload, which must surface as pywa's own error type
with Meta's code. It prints one JSON line of what it saw; any surprise exits 1.

    .venv/bin/python tests/sdk/pywa_app.py <worker url> <client token> <phone id> <waba id> <to>
"""

import json
import logging
import sys

import httpx
from pywa import WhatsApp, errors
from pywa.types import Button, Section, SectionList, SectionRow
from pywa.types.templates import TemplateLanguage


class ToWorker(httpx.BaseTransport):
    """Sends what pywa addresses to Meta to the Worker instead."""

    def __init__(self, base: str):
        self.base = httpx.URL(base)
        self.inner = httpx.HTTPTransport()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        request.url = request.url.copy_with(
            scheme=self.base.scheme, host=self.base.host, port=self.base.port
        )
        request.headers["host"] = f"{self.base.host}:{self.base.port}"
        return self.inner.handle_request(request)


def main() -> None:
    # The repository's templates carry no `example` for their placeholders (Meta's
    # list does), and pywa logs each such component it keeps as a raw dict.
    logging.getLogger("pywa").setLevel(logging.ERROR)
    url, token, phone_id, waba_id, to = sys.argv[1:6]
    wa = WhatsApp(
        phone_id=phone_id,
        token=token,
        waba_id=waba_id,
        session=httpx.Client(transport=ToWorker(url), timeout=30),
    )
    seen = {}
    text = wa.send_message(to=to, text="Hello from pywa")
    seen["text"] = text.id
    seen["template"] = wa.send_template(
        to=to,
        name="delivery_update",
        language=TemplateLanguage.ENGLISH,
        params=[
            {
                "type": "body",
                "parameters": [
                    {"type": "text", "parameter_name": "first_name", "text": "Ana"},
                    {"type": "text", "parameter_name": "order_id", "text": "A-17"},
                    {"type": "text", "parameter_name": "delivery_date", "text": "Monday"},
                ],
            }
        ],
    ).id
    seen["buttons"] = wa.send_message(
        to=to,
        text="How can we help?",
        buttons=[Button(title="Sales", callback_data="sales"), Button(title="Support", callback_data="support")],
    ).id
    seen["list"] = wa.send_message(
        to=to,
        text="Pick one",
        buttons=SectionList(
            button_title="Options",
            sections=[Section(title="Sizes", rows=[SectionRow(title="Small", callback_data="s"), SectionRow(title="Large", callback_data="l")])],
        ),
    ).id
    seen["image"] = wa.send_image(to=to, image="https://example.com/product.jpg", caption="New").id
    seen["reaction"] = wa.send_reaction(to=to, emoji="👍", message_id=text.id).id
    seen["read"] = bool(wa.mark_message_as_read(message_id=text.id))
    seen["templates"] = sorted(f"{t.name}/{t.language.value}" for t in wa.get_templates())
    try:
        wa.send_message(to=to, text="x" * 5000)
        seen["bad"] = "sent"
    except errors.WhatsAppError as e:
        seen["bad"] = {"type": type(e).__name__, "code": e.code}
    print(json.dumps(seen))


if __name__ == "__main__":
    main()
