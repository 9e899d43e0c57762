"""Reading documents in the page (B2): the pdf.js viewer, and Office files converted to PDF
once per version in the background."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ViewerConfig(AppConfig):
    name = "viewer"
    verbose_name = _("Đọc tài liệu")

    def ready(self) -> None:
        # Restricted documents (B11) are stamped from the conversion when they are not PDFs.
        from documents.processing import register
        from documents.watermark import register_pdf_finder

        from .selectors import finished_pdf
        from .services import rendition_queue

        register_pdf_finder(finished_pdf)
        register("viewer", lambda version: rendition_queue(version=version, new=True))
