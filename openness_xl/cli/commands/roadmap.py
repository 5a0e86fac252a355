"""`openness roadmap BODY [INPUT] -o FILE` or `--all-low -d DIR`: roadmap drafts."""
from __future__ import annotations

from pathlib import Path

from ...core.bodies import registry
from ...io.writing import atomic_write
from ...texts import text as T, using
from ..common import (input_option, lang_option, load_methodology, load_submissions, output_format, output_option,
                      read_files)


def define(command) -> None:
    """The options of `roadmap`, beside its handler."""
    command.add_argument("body", nargs="?", help=T("cli.roadmap.body"))
    input_option(command)
    output_option(command, "cli.roadmap.output")
    command.add_argument("--all-low", action="store_true", help=T("cli.roadmap.all_low"))
    command.add_argument("-d", "--dir", help=T("cli.roadmap.dir"))
    lang_option(command)


def run(args) -> int:
    """The command itself: its exit code."""
    from ...analyses import roadmap
    from ...documents.roadmap import write_roadmap
    from ...core.scoring import evaluate

    methodology = load_methodology(args)
    bodies = registry(args.year)
    if args.all_low and args.body is not None:
        # `roadmap --all-low FINAL.csv -d DIR`: with --all-low the one positional is the input.
        if args.input is not None:
            raise ValueError(T("messages.all_low_no_body", body=args.body))
        args.input, args.body = args.body, None
    submissions = load_submissions(args, methodology)
    if args.all_low:
        if not args.dir:
            raise ValueError(T("messages.all_low_needs_dir"))
        chosen = roadmap.low_bodies(methodology, evaluate(methodology, submissions))
        targets = [(code, Path(args.dir) / f"roadmap-{code}.docx") for code in chosen]
    else:
        if not args.body or not args.output:
            raise ValueError(T("messages.roadmap_needs"))
        output_format(args.output, "docx")
        targets = [(bodies.find(args.body).code, Path(args.output))]
    names = {b.code: b.name(args.lang) for b in bodies}
    from ...progress import bar

    for code, path in bar(targets, len(targets), T("progress.roadmaps"), unit="document"):
        with using(args.lang):
            content = roadmap.build(methodology, submissions, code, names)
        if not content.required and not args.force:
            # A body rated high need not publish one: a draft is written only when asked for.
            raise ValueError(T("messages.roadmap_not_required", body=code, rating=content.result.rating,
                               below=methodology.roadmap_below_rating))
        atomic_write(path, write_roadmap(content, args.lang), protect=read_files(args))
        print(T("messages.wrote", path=path))
    return 0
