"""Minutes of a meeting (B7): drafted from what the product knows, approved by the chair,
published to the invitees."""
