"""Reading the sources through MCP servers: the config file, kept-alive sessions, and one client adapter per vendor."""
