"""The sandbox Slack: Web API, Socket Mode, events toward the bot, and the pages a person opens."""
