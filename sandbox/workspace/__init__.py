"""Workspace files: the format's models and the strict loader that turns a file into them."""
