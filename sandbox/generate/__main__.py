"""`python -m sandbox.generate`: write a generated workspace file."""

from sandbox.generate.cli import main

main()
