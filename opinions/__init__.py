"""Written opinions (phiếu lấy ý kiến) asked of units and people without a meeting (B13)."""
