"""The ``digest`` command: parse options, load config, call the pipeline, map errors to exit codes.

Exit codes: 0 success (also when some sources failed: they are listed in the briefing), 1 a bad
config, unwritable output, a locked or broken state (one line on stderr, no traceback), 2 usage.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable, Sequence
from datetime import date, datetime, timezone

from digest import __version__
from digest.config import Config, load_config
from digest.errors import DigestError

log = logging.getLogger("digest")

Command = Callable[[argparse.Namespace], int]
COMMANDS: dict[str, Command] = {}


def command(name: str) -> Callable[[Command], Command]:
    def register(fn: Command) -> Command:
        COMMANDS[name] = fn
        return fn

    return register


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="digest", description="Daily news briefings from files and feeds: stories, key actors, new developments."
    )
    parser.add_argument("--version", action="version", version=f"digest {__version__}")
    parser.add_argument("-v", "--verbose", action="count", default=0, help="more log output (-vv for debug)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    def with_config(p: argparse.ArgumentParser) -> argparse.ArgumentParser:
        p.add_argument("--config", metavar="FILE", help="config file (default: $DIGEST_CONFIG or ./config.yaml)")
        return p

    p = with_config(sub.add_parser("render", help="collect new items and write one day's briefing"))
    p.add_argument("--date", type=_date, metavar="YYYY-MM-DD", help="briefing date (default: today in the configured timezone)")
    p.add_argument("--profile", action="store_true", help="log seconds per stage")

    p = with_config(sub.add_parser("backfill", help="write the briefing of every day in a range that has items"))
    p.add_argument("--since", type=_date, required=True, metavar="YYYY-MM-DD")
    p.add_argument("--until", type=_date, metavar="YYYY-MM-DD", help="last day (default: today)")
    p.add_argument("--profile", action="store_true", help="log seconds per stage")

    with_config(sub.add_parser("daemon", help="run the scheduled daily briefing"))
    with_config(sub.add_parser("status", help="last run, next run and each source's health"))
    return parser


def _today(config: Config, now: datetime) -> date:
    return now.astimezone(config.tz).date()


def _now() -> datetime:
    return datetime.now(timezone.utc)


@command("render")
def cmd_render(args: argparse.Namespace) -> int:
    from digest.lock import instance_lock

    config = load_config(args.config)
    now = _now()
    day = args.date or _today(config, now)
    with instance_lock(config, "render"):
        from digest.pipeline import run_day  # after the lock: a refusal need not wait for spaCy

        result = run_day(config, day, now)
    for path in result.paths:
        print(path)
    for s in result.failed_sources:
        print(f"warning: source {s.name} failed: {s.error}", file=sys.stderr)
    return 0


@command("backfill")
def cmd_backfill(args: argparse.Namespace) -> int:
    from digest.lock import instance_lock
    from digest.progress import ProgressBar

    config = load_config(args.config)
    now = _now()
    until = args.until or _today(config, now)
    if until < args.since:
        print("digest: error: --until is before --since", file=sys.stderr)
        return 2
    bar = ProgressBar(sys.stderr)
    with instance_lock(config, "backfill"):
        from digest.pipeline import run_range  # after the lock: a refusal need not wait for spaCy

        results = run_range(config, args.since, until, now, progress=bar.update)
    bar.close()
    for result in results:
        for path in result.paths:
            print(path)
    if results:
        for s in results[-1].failed_sources:
            print(f"warning: source {s.name} failed: {s.error}", file=sys.stderr)
    else:
        print(f"no items published between {args.since} and {until}", file=sys.stderr)
    return 0


@command("daemon")
def cmd_daemon(args: argparse.Namespace) -> int:
    from digest.daemon import run_daemon

    return run_daemon(load_config(args.config))


@command("status")
def cmd_status(args: argparse.Namespace) -> int:
    from digest.status import print_status

    return print_status(load_config(args.config), _now(), sys.stdout)


def _configure_logging(verbosity: int) -> None:
    level = logging.WARNING if verbosity == 0 else logging.INFO if verbosity == 1 else logging.DEBUG
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    if verbosity < 2:
        for noisy in ("trafilatura", "htmldate", "urllib3", "charset_normalizer", "apscheduler"):
            logging.getLogger(noisy).setLevel(max(level, logging.WARNING))


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not args.command:
        parser.print_help(sys.stderr)
        return 2
    _configure_logging(args.verbose + (1 if getattr(args, "profile", False) else 0))
    try:
        return COMMANDS[args.command](args)
    except DigestError as exc:
        print(f"digest: error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("digest: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
