"""Registers every feature's listeners on the Bolt app."""

from __future__ import annotations

from slack_bolt import App

from bot.listeners import actions, commands, mentions


def register(app: App) -> None:
    commands.register(app)
    mentions.register(app)
    actions.register(app)
