"""Tests of reading the sources through MCP servers."""
