"""The text read from a document (B3) is the document itself: whoever may read it."""

import rules

from documents.rules import sees_document

rules.add_perm("doctext.view_text", sees_document)
