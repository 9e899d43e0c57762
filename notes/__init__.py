"""Personal notes on document pages (B2): private by default, shareable with one's unit."""
