"""Backup and restore of a whole instance (B15): the database and every stored file in one
verified archive. See archive.py for the archive's layout and operations.py for the two steps."""
