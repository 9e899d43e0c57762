"""Digital signatures (B14) in Django's admin: the IT centre manages the signers' key references
(never the keys) and the trusted roots, and reads the signed PDFs' rows (who signed what, when;
the files themselves are not in the admin). Who signs what is each signed thing's own rule
(minutes.sign_minutes, tasks.sign_notice)."""

from accounts.rules import it_centre_manages, it_centre_reads

# A root the province no longer trusts is removed (the checks run again without it).
it_centre_manages("signatures", ["signingkey", "trustedroot"], "delete_trustedroot")
it_centre_reads("signatures", ["signedpdf"])
