"""The program as it was at a commit, installed in an environment of its own, to run beside this one.

    .venv/bin/python benchmarks/baseline.py [--commit 2a9e958] [--dir DIR]

``git archive COMMIT`` into ``DIR/src``, ``python -m venv DIR/venv`` (the same Python as the
benchmark), and ``pip install DIR/src`` (a normal, byte-compiled install, as a user gets; pip's
cache makes it quick). Prints the command. The throughput benchmark calls :func:`install`
itself and runs both programs on the same generated inputs in the same run.
"""

from __future__ import annotations

import argparse
import io
import subprocess
import sys
import tarfile
from pathlib import Path

from bench import BASE_COMMIT, ROOT


def install(commit: str, where: Path) -> list[str]:
    """The ``spinedecide`` command of ``commit``, installed under ``where`` (reused if there)."""
    script = where / "venv" / "bin" / "spinedecide"
    stamp = where / "commit"
    sha = subprocess.run(
        ["git", "-C", str(ROOT), "rev-parse", "--verify", f"{commit}^{{commit}}"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    if script.is_file() and stamp.is_file() and stamp.read_text().strip() == sha:
        return [str(script)]
    source = where / "src"
    source.mkdir(parents=True, exist_ok=True)
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", sha], capture_output=True, check=True).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(source, filter="data")
    base = getattr(sys, "_base_executable", sys.executable)
    subprocess.run([base, "-m", "venv", str(where / "venv")], check=True)
    pip = [str(where / "venv" / "bin" / "python"), "-m", "pip", "install", "-q", "--disable-pip-version-check"]
    done = subprocess.run([*pip, str(source)], capture_output=True, text=True, check=False)
    if done.returncode != 0 or not script.is_file():
        raise SystemExit(f"could not install {commit} into {where}:\n{done.stdout[-1500:]}{done.stderr[-1500:]}")
    stamp.write_text(sha + "\n")
    return [str(script)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--commit", default=BASE_COMMIT)
    parser.add_argument("--dir", type=Path, required=True, help="where to install it (kept; reused next time)")
    args = parser.parse_args()
    print(" ".join(install(args.commit, args.dir.resolve())))


if __name__ == "__main__":
    main()
