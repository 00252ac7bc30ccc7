"""Warraq: a static site generator for Arabic publishers and their English readers."""
