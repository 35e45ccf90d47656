"""``iclkd model-check``: a paper's theory on a real pretrained model (the seed paper's: all-MiniLM-L6-v2,
:mod:`iclkd.derivations.brewing.model_checks`). A paper takes part through ``Paper.model_check``."""
from __future__ import annotations

import sys

from ..errors import IclkdError, UsageError
from ..output import write_json
from ..paper import DEFAULT_PAPER, load_paper
from .common import nonnegative_int, positive_int

DEFAULT_LAYERS = (0, 3, 5)


def _int(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise UsageError(f"expected a whole number, got {text!r}") from None


def _feature_count(text: str) -> int:
    value = positive_int(text)
    if value < 2:
        raise UsageError(f"--features needs M >= 2, got {value}")
    return value


def add_parser(sub):
    p = sub.add_parser("model-check", help="test the theory on the real all-MiniLM-L6-v2 attention heads")
    p.add_argument("--text", help="prompt (default: a built-in few-shot sentiment prompt)")
    p.add_argument("--split", type=positive_int, metavar="N",
                   help="number of demonstration tokens, [CLS] included (default: up to the last repeat "
                        "of the prompt's first word)")
    p.add_argument("--query-pos", type=_int, metavar="P",
                   help="position of the query token; negative counts from the end (default: the last token)")
    p.add_argument("--layer", type=nonnegative_int, nargs="+", default=list(DEFAULT_LAYERS), metavar="L",
                   help="layers (default: %(default)s)")
    p.add_argument("--head", type=nonnegative_int, nargs="+", metavar="H", help="heads (default: all)")
    p.add_argument("--features", type=_feature_count, nargs="+", metavar="M",
                   help="numbers of random features, at least two distinct (default: the paper's, 16 to 4096)")
    p.add_argument("--seeds", type=positive_int, metavar="S",
                   help="independent feature draws per M, at least 2 (default: the paper's, 8)")
    p.add_argument("--seed", type=nonnegative_int, default=0, help="random seed (default: %(default)s)")
    p.add_argument("--json", metavar="FILE", help="write every figure as JSON")
    p.add_argument("--paper", metavar="NAME", default=DEFAULT_PAPER,
                   help="the paper whose model check to run (default: %(default)s)")
    p.set_defaults(func=run)


def _progress(i, n, layer, head):
    if sys.stderr.isatty():
        sys.stderr.write(f"\r\033[Kmodel-check: layer {layer} head {head} ({i + 1}/{n})")
        sys.stderr.flush()


def run(args) -> int:
    from ..model.minilm import MiniLMNotInstalled

    check = load_paper(args.paper).model_check
    if check is None:
        raise UsageError(f"paper {args.paper!r} has no check on a real model")
    features = tuple(sorted(set(args.features or check.FEATURE_COUNTS)))
    seeds = check.SEEDS if args.seeds is None else args.seeds
    if len(features) < 2:
        raise UsageError("--features needs at least two distinct values of M to fit a slope")
    if seeds < 2:
        raise UsageError("--seeds needs at least 2 draws per M (the slope's standard error uses their spread)")
    settings = check.Settings(features=features, seeds=seeds, seed=args.seed)
    try:
        report = check.run_model_check(args.text, args.split, args.query_pos, tuple(args.layer),
                                       None if args.head is None else tuple(sorted(set(args.head))), settings, _progress)
    except MiniLMNotInstalled as exc:
        raise IclkdError(check.missing_model_message(exc)) from None
    finally:
        if sys.stderr.isatty():
            sys.stderr.write("\r\033[K")
    print(check.render_report(report))
    if args.json:
        write_json(args.json, report)
    return 0
