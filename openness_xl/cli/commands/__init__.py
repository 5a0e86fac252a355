"""One module per command, named as the command: its options (`define`) beside its handler (`run`)."""
from . import (aggregate, appeal, check, compare, diff, lite, live, merge, methodology, reconcile, report, roadmap,
               robustness, scores, synthetic, template, whatif, workbooks)

# In the order `openness --help` lists them: the daily work first, the tools of the cycle after.
ALL = (scores, check, merge, reconcile, template, report, live, workbooks, diff, appeal, methodology, compare, whatif,
       roadmap, robustness, lite, aggregate, synthetic)


def name(command) -> str:
    """The command's name on the command line: its module's."""
    return command.__name__.rsplit(".", 1)[-1]
