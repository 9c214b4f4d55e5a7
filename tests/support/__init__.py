"""Helpers the tests share: workspace dicts, the bot and graph drivers, the OpenAPI check, the model stub."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]  # the repository
