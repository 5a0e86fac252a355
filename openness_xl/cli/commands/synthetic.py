"""`openness synthetic -d DIR`: a synthetic extract of raw records, for tests and benchmarks."""
from __future__ import annotations

from ...core.bodies import registry
from ...texts import text as T
from ..common import load_methodology


def define(command) -> None:
    """The options of `synthetic`, beside its handler."""
    command.add_argument("-d", "--dir", required=True, help=T("cli.synthetic.dir"))
    command.add_argument("--appeals", type=int, default=200_000, help=T("cli.synthetic.appeals"))
    command.add_argument("--seed", type=int, default=2025, help=T("cli.synthetic.seed"))
    command.add_argument("--files", choices=["parquet", "csv"], default="parquet", help=T("cli.synthetic.files"))
    command.add_argument("--bad", action="store_true", help=T("cli.synthetic.bad"))
    command.add_argument("--shuffled-ids", action="store_true", help=T("cli.synthetic.shuffled_ids"))


def run(args) -> int:
    """The command itself: its exit code."""
    from ...records.synthetic import generate

    methodology = load_methodology(args)
    extract = generate(args.dir, methodology, registry(args.year), appeals=args.appeals, seed=args.seed, year=methodology.year,
                       inject_bad=args.bad, fmt=args.files, with_expected=False, ids_in_order=not args.shuffled_ids)
    print(T("messages.wrote_two", first=extract.appeals, second=extract.receptions))
    return 0
