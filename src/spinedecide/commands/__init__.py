"""Each command's work, one module a command; ``cli.py`` holds only the Typer declarations and
the error boundary, and calls in here. Nothing in this package imports Typer, and a command's
module is imported only when that command runs (start-up stays short)."""
