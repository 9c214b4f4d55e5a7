"""The sandbox Jira: Cloud REST API v2/v3 with JQL search, issue writes and /browse pages."""
