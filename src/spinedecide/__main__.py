"""`python -m spinedecide` and the `spinedecide` command."""

# First, before any other import: from here on a Ctrl-C, SIGTERM or SIGHUP during start-up ends
# the program quietly ("Stopped.", exit 128 + the signal) instead of printing a traceback. Until
# the handlers are in place, only modules the interpreter has already loaded are imported: any
# other import runs Python code, where a Ctrl-C would show a traceback (a test checks this).
# What remains is the interpreter's own start-up before this line runs (see the README's Safety
# section). A command, once it runs, handles the same signals itself (spinedecide.signals.armed),
# cleaning up first.
import _signal  # type: ignore[import-not-found]  # builtin, no stubs; `signal` would first build its enums in Python
import os  # already loaded by the interpreter's start-up


def _stopped(signum: int, _frame: object) -> None:
    try:
        os.write(2, b"\nStopped.\n")
    except OSError:
        pass
    os._exit(128 + signum)


for _name in ("SIGINT", "SIGTERM", "SIGHUP"):
    if hasattr(_signal, _name):
        _signal.signal(getattr(_signal, _name), _stopped)

import gc  # noqa: E402
import sys  # noqa: E402


def main() -> None:
    # No garbage collection while the program loads: importing Typer, msgspec and the package
    # makes tens of thousands of objects that live as long as the program, and the collector
    # would examine them all, again and again and once more at exit (about a tenth of start-up).
    # Once loaded they are frozen (the collector skips them from then on) and it is switched on.
    collecting = gc.isenabled()
    gc.disable()
    try:
        from .cli import main as run
    except KeyboardInterrupt:  # Ctrl-C while the program is still loading (a handler of a test's own)
        sys.stderr.write("\nStopped.\n")
        raise SystemExit(130) from None
    finally:
        gc.freeze()
        if collecting:
            gc.enable()
    run()


if __name__ == "__main__":
    main()
