"""SMS through Jasmin's HTTP API (https://docs.jasminsms.com/en/latest/apis/ja-http/), and the
text of an SMS: short enough for one or two messages.

Encoding: GSM-7 carries 160 characters in one message (153 per part of a longer one) but has no
Vietnamese letters with diacritics; UCS-2 carries them, 70 characters in one message (67 per
part). With SMS_GSM7 on (for gateways and carriers that take only GSM-7) the text is sent without
diacritics; otherwise as UCS-2 whenever it needs it. `parts()` counts what a text costs."""

import binascii
import math
import unicodedata
import urllib.error
import urllib.parse
import urllib.request

import gsm0338  # noqa: F401  (registers the "gsm03.38" codec)
from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import override

from ..ics import site_url
from ..messages import subject_for
from ..models import Event, OutboxMessage
from . import SendError

GSM7 = "gsm7"
UCS2 = "ucs2"
# (one message, each part of a longer one): GSM-7 in septets, UCS-2 in UTF-16 code units.
LIMITS = {GSM7: (160, 153), UCS2: (70, 67)}
# The texts are cut to fit this many messages.
MAX_PARTS = 2


def septets(text: str) -> int | None:
    """How many GSM-7 septets the text takes (the extension characters € [ ] { } ... take two),
    or None when it has a character GSM-7 lacks."""
    try:
        return len(text.encode("gsm03.38"))
    except UnicodeEncodeError:
        return None


def parts(text: str) -> tuple[str, int]:
    """(encoding, number of messages) the text is sent as."""
    length = septets(text)
    coding = GSM7
    if length is None:
        coding, length = UCS2, len(text.encode("utf-16-be")) // 2
    single, each = LIMITS[coding]
    return coding, 1 if length <= single else math.ceil(length / each)


# Punctuation that word processors put in titles, as its GSM-7 look-alike.
_PLAIN = str.maketrans({"–": "-", "—": "-", "“": '"', "”": '"', "‘": "'", "’": "'", "…": "..."})


def without_diacritics(text: str) -> str:
    """Vietnamese without its marks, đ as d, case kept ("Họp Đảng ủy" -> "Hop Dang uy"); dashes
    and curly quotes as their plain forms; other characters GSM-7 lacks become "?"."""
    plain = text.translate(_PLAIN).replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", plain)
    bare = unicodedata.normalize(
        "NFC", "".join(c for c in decomposed if not unicodedata.combining(c))
    )
    return "".join(c if septets(c) is not None else "?" for c in bare)


def _fit(head: str, tail: str, *, gsm7: bool) -> str:
    """`head` (cut with "..." if need be) and `tail` in at most MAX_PARTS messages."""

    def text(h: str) -> str:
        whole = f"{h} {tail}".strip()
        return without_diacritics(whole) if gsm7 else whole

    if parts(text(head))[1] <= MAX_PARTS:
        return text(head)
    low, high = 0, len(head)
    while low < high:  # the longest head that fits
        middle = (low + high + 1) // 2
        if parts(text(head[:middle].rstrip() + "..."))[1] <= MAX_PARTS:
            low = middle
        else:
            high = middle - 1
    return text(head[:low].rstrip() + "...")


def text_for(message: OutboxMessage) -> str:
    """The SMS of an outbox row, in Vietnamese: what happened, the meeting and when, and the
    address of its page."""
    event = message.event
    gsm7 = settings.SMS_GSM7
    with override(settings.LANGUAGE_CODE):
        if event is None:  # an account notice goes by e-mail only; kept short if ever sent
            return _fit(str(message.notice or ""), "", gsm7=gsm7)
        if event.kind == Event.Kind.NOTICE:
            return _fit(event.title, site_url(event.link) if event.link else "", gsm7=gsm7)
        head = subject_for(event)
        location = event.snapshot.get("location") or ""
        if location:
            head = _("%(subject)s tại %(location)s") % {"subject": head, "location": location}
        link = site_url(reverse("meetings:detail", args=[event.meeting_id]))
        return _fit(head, link, gsm7=gsm7)


# ---- Jasmin's HTTP API ---------------------------------------------------------------------------


def _reply(body: bytes) -> str:
    return body.decode("utf-8", "replace").strip()[:500]


class JasminConnection:
    """Jasmin answers each /send at once: 200 'Success "<id>"' once the message is queued for
    its SMPP connector, 400 or 412 for a message or number it refuses (no route for it, say),
    403 for a wrong user. Our HTTP client is the standard library's: one POST per message."""

    def __init__(self) -> None:
        self.reachable = True

    def send(self, message: OutboxMessage) -> str:
        text = text_for(message)
        coding, _count = parts(text)
        query = {
            "username": settings.SMS_GATEWAY_USERNAME,
            "password": settings.SMS_GATEWAY_PASSWORD,
            "to": message.to_phone,
        }
        if settings.SMS_SENDER:
            query["from"] = settings.SMS_SENDER
        if coding == GSM7:
            query.update(content=text, coding="0")
        else:
            # Jasmin takes UCS-2 as the bytes themselves, hex-encoded (UTF-16 big-endian).
            query.update(
                {"hex-content": binascii.hexlify(text.encode("utf-16-be")).decode(), "coding": "8"}
            )
        # POSTed, so that the password and the number stay out of access logs on the way.
        request = urllib.request.Request(  # noqa: S310 (http or https: JasminChannel.enabled)
            settings.SMS_GATEWAY_URL, data=urllib.parse.urlencode(query).encode(), method="POST"
        )
        try:
            with urllib.request.urlopen(request, timeout=settings.SMS_GATEWAY_TIMEOUT) as response:  # noqa: S310
                body = _reply(response.read())
        except urllib.error.HTTPError as exc:
            body = _reply(exc.read())
            # A wrong user or a gateway in trouble is fixed on the gateway's side: try again.
            permanent = 400 <= exc.code < 500 and exc.code != 403
            raise SendError(f"HTTP {exc.code}: {body}", permanent=permanent) from exc
        except (OSError, ValueError) as exc:
            self.reachable = False
            raise SendError(f"{type(exc).__name__}: {exc}") from exc
        if not body.startswith("Success"):
            raise SendError(body or "empty reply")
        return body.removeprefix("Success").strip().strip('"')

    def alive(self) -> bool:
        return self.reachable

    def close(self) -> None:
        pass


class JasminChannel:
    name = OutboxMessage.Channel.SMS.value

    def enabled(self) -> bool:
        return settings.SMS_GATEWAY_URL.startswith(("http://", "https://"))

    def connect(self) -> JasminConnection:
        if not self.enabled():
            raise SendError("SMS_GATEWAY_URL is not set")
        return JasminConnection()
