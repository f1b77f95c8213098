"""spinedecide over a partitioned JSON Lines input with Dask.

For inputs that outgrow one machine (a national registry), spinedecide does not bring its own
cluster: it runs inside an existing one. This maps the pure ``spinedecide.assess`` over the
partitions of a JSON Lines file. Here on a local Dask cluster; pass ``--address`` to use a real
one (every worker needs ``pip install spinedecide`` and the rules file at the same path).

    python examples/dask_batch.py people.jsonl > reports.jsonl
    python examples/dask_batch.py people.jsonl --out reports/    # one output file per partition
    python examples/dask_batch.py 's3://bucket/people-*.jsonl' --address tcp://scheduler:8786 --out s3://...

The output is line for line what ``spinedecide batch people.jsonl`` writes: the report of each
input line, or an error object with its line number in its place. Line numbers are global:
a first, cheap pass counts the lines of each partition.

Needs ``pip install 'dask[distributed]'`` (the ``dask`` extra of spinedecide).
"""

from __future__ import annotations

import argparse
import functools
import itertools
import sys
from collections.abc import Iterable

from spinedecide import assess, load_rules
from spinedecide.batch import dumps, error_record, parse_line
from spinedecide.errors import AnswersError


@functools.lru_cache(maxsize=4)
def rules(path: str | None):
    """Load (check and compile) the rules once per worker process."""
    return load_rules(path)


def assess_partition(lines: Iterable[str], first_line: int, rules_path: str | None, name: str) -> list[str]:
    """The output lines (no newlines) for one partition whose first line is ``first_line``."""
    ruleset = rules(rules_path)
    out = []
    for number, text in enumerate(lines, start=first_line):
        try:
            out.append(dumps(assess(ruleset, parse_line(text, number, name)).to_dict()))
        except AnswersError as exc:
            out.append(dumps(error_record(number, exc, name)))
    return out


def write_partition(lines: list[str], path: str) -> int:
    import fsspec

    with fsspec.open(path, "w", encoding="utf-8") as handle:
        handle.writelines(line + "\n" for line in lines)
    return len(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("input", help="JSON Lines file(s): a path or glob, local or remote (fsspec)")
    parser.add_argument("--rules", help="rules file (default: the shipped one)")
    parser.add_argument("--blocksize", default="1MiB", help="partition size (default 1MiB)")
    parser.add_argument("--out", help="folder for one output file per partition (default: standard output, in order)")
    parser.add_argument("--address", help="a running Dask scheduler (default: a local cluster)")
    parser.add_argument("--workers", type=int, default=2, help="local cluster size (default 2)")
    args = parser.parse_args(argv)

    import dask
    import dask.bag as db
    from dask.distributed import Client, LocalCluster

    if args.address:
        client = Client(args.address)
    else:
        cluster = LocalCluster(n_workers=args.workers, threads_per_worker=1, processes=True, dashboard_address=None)
        client = Client(cluster)
    with client:
        load_rules(args.rules)  # fail early, here, if the rules file is broken
        # Each line keeps its text as read; blank lines stay (they become errors, as in `spinedecide batch`).
        bag = db.read_text(args.input, blocksize=args.blocksize, encoding="utf-8", linedelimiter="\n")
        partitions = bag.to_delayed()
        counts = dask.compute(*[dask.delayed(len)(part) for part in partitions])
        starts = list(itertools.accumulate(counts, initial=1))[:-1]  # first line number of each
        name = args.input
        assessed = [
            dask.delayed(assess_partition)(part, start, args.rules, name)
            for part, start in zip(partitions, starts, strict=True)
        ]
        if args.out:
            written = [
                dask.delayed(write_partition)(lines, f"{args.out.rstrip('/')}/part-{i:05d}.jsonl")
                for i, lines in enumerate(assessed)
            ]
            total = sum(dask.compute(*written))
            print(f"{total:,} lines in {len(written)} partitions written to {args.out}", file=sys.stderr)
        else:
            for lines in dask.compute(*assessed):
                sys.stdout.writelines(line + "\n" for line in lines)
    return 0


if __name__ == "__main__":
    sys.exit(main())
