"""Evidence to report: the offline and model analyzers, their prompts, and the grounding rules both obey."""
