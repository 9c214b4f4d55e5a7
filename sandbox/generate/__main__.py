"""`python -m sandbox.generate`: write a generated workspace file."""

from sandbox.generate.build import main

main()
