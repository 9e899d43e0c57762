"""The viewer (B2): whoever may read a document reads it in the page, its conversion to PDF too."""

import rules

from documents.rules import document_is_restricted, organises_document, sees_document

rules.add_perm("viewer.read_document", sees_document)
# The viewer's PDF bytes (the original PDF or its conversion) are the original: a restricted
# document's readers get the watermarked PDF that viewer.selectors.pdf_source points them at.
rules.add_perm("viewer.read_pdf", sees_document & (~document_is_restricted | organises_document))
