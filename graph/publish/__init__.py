"""Report to reader: native Notion blocks, Markdown, and the idempotent Notion writer."""
