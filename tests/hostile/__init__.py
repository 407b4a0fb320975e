"""Tests that attack the project (a package only so its test_cache.py and tests/test_cache.py can share a name)."""
