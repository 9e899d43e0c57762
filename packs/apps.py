"""The meeting pack (tài liệu họp trọn bộ): one PDF per meeting with a cover, the agenda with
its page numbers, every document in agenda order, bookmarks and page numbers; built by the
task queue's worker once per set of versions and offered on the meeting page, in its ZIP and in
the API."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PacksConfig(AppConfig):
    name = "packs"
    verbose_name = _("Tài liệu họp trọn bộ")

    def ready(self) -> None:
        from documents.offers import register_toolbar, register_zip_part

        from .selectors import zip_entries

        register_toolbar("packs/_offer.html")
        register_zip_part("packs", zip_entries)
