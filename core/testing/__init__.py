"""Test infrastructure shared by every app's tests (real servers on loopback, no mocks)."""
