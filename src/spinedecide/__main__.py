"""`python -m spinedecide` and the `spinedecide` command."""

import sys


def main() -> None:
    try:
        from .cli import main as run
    except KeyboardInterrupt:  # Ctrl-C while the program is still loading
        sys.stderr.write("\nStopped.\n")
        raise SystemExit(130) from None
    run()


if __name__ == "__main__":
    main()
