"""Digital signatures (B14): PAdES signing with a PKCS#12 file or a PKCS#11 token, and checks
of signed PDFs."""
