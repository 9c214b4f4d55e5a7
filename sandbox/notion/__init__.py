"""The sandbox Notion: the v1 API (pages, blocks, search, users) within Notion's limits, and readable pages."""
