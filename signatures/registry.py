"""What may be signed here, and how (B14). The contract for the apps that produce signable PDFs.

An app that wants its records signed calls, from its AppConfig.ready():

    from signatures.registry import register
    register(
        Minutes,
        pdf=lambda minutes: render_minutes_pdf(minutes),  # (obj) -> bytes: the PDF to sign
        may_sign="minutes.sign_minutes",                  # rule asked as user.has_perm(rule, obj)
        may_view="minutes.view_minutes",                  # who sees the object (and its signed PDF)
        title=lambda minutes: str(minutes),               # (obj) -> str: shown and in the file name
    )

Then, with nothing else to write:
- `{% include "signatures/_sign.html" with object=minutes %}` on the object's page shows the
  "Ký số" button to those who may sign, and to everybody who sees the object the signed state
  (who signed, when, a link to download the signed PDF);
- `signatures:sign` (args: "<app_label>.<model_name>", pk): GET the key and PIN/passphrase form,
  POST signs in the request (well under a second) and redirects back to `obj.get_absolute_url()`
  (or to the `next` the include posts);
- `signatures:download` (args: the SignedPdf's pk): the signed PDF, for whoever passes `may_view`;
- `signatures.selectors.signed_pdf(obj) -> SignedPdf | None`: the latest signed PDF of obj.

An object the user may not view answers 404; one they view but may not sign answers 403. Each
signing signs `pdf(obj)` afresh and is kept (the latest one is shown); it is audited.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Model


@dataclass(frozen=True)
class Signable:
    model: type[Model]
    pdf: Callable[[Any], bytes]
    may_sign: str
    may_view: str
    title: Callable[[Any], str]

    @property
    def key(self) -> str:
        return key_of(self.model)


_registry: dict[str, Signable] = {}


def key_of(model: type[Model] | Model) -> str:
    return f"{model._meta.app_label}.{model._meta.model_name}"


def register(
    model: type[Model],
    *,
    pdf: Callable[[Any], bytes],
    may_sign: str,
    title: Callable[[Any], str],
    may_view: str,
) -> Signable:
    entry = Signable(model=model, pdf=pdf, may_sign=may_sign, may_view=may_view, title=title)
    _registry[entry.key] = entry
    return entry


def unregister(model: type[Model]) -> None:
    _registry.pop(key_of(model), None)


def lookup(key: str) -> Signable | None:
    return _registry.get(key.lower())


def entry_for(obj: Model) -> Signable | None:
    return _registry.get(key_of(obj))
