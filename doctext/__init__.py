"""Text extracted from each document version in the background, folded for search inside documents (B3)."""
