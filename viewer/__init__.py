"""Reading documents in the page (B2): the pdf.js viewer, and Office files converted to PDF
once per version in the background."""
