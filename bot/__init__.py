"""The Slack bot: Bolt app, listeners, the job pool and what it says in threads."""
