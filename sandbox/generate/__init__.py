"""Large, deterministic workspaces for load tests and benchmarks (`python -m sandbox.generate`)."""
