"""Fixtures shared by the article-health tests."""
