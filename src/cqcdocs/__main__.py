"""`python -m cqcdocs` runs the CLI."""

from .cli import main

main()
