"""Conclusion notices and the tasks they assign to units, followed until done (B12)."""
