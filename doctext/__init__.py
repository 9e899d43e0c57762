"""Text extracted from each document version in the background, folded for searching inside
documents (B3)."""
