"""The ``digest`` command: parse options, load config, call the pipeline, map errors to exit codes.

Exit codes: 0 success (also when some sources failed: they are listed in the briefing), 1 a bad
config, unwritable output, a locked or broken state (one line on stderr, no traceback), 2 usage
(also a ``--date`` more than a day ahead), 3 every enabled source failed and nothing new was left
to report (no briefing written). Output for cron: ``--quiet`` prints errors only; by default
warnings (one line per failed source) go to stderr and the written paths to stdout; ``-v`` adds
progress lines with timestamps, ``-vv`` debug.
"""

from __future__ import annotations

import argparse
import logging
import sys
import time
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, timedelta, timezone

from digest import __version__
from digest.config import Config, load_config
from digest.errors import DigestError, NothingToReport

log = logging.getLogger("digest")

Command = Callable[[argparse.Namespace], int]
COMMANDS: dict[str, Command] = {}

EXIT_OK, EXIT_ERROR, EXIT_USAGE, EXIT_NOTHING = 0, 1, 2, 3
#: How far ahead of today (in the configured timezone) a briefing date may be.
MAX_AHEAD = timedelta(days=1)


def command(name: str) -> Callable[[Command], Command]:
    def register(fn: Command) -> Command:
        COMMANDS[name] = fn
        return fn

    return register


#: Briefing dates outside these years are refused (date arithmetic near year 1 or 9999 overflows).
DATE_YEARS = (1900, 9000)


def _date(text: str) -> date:
    try:
        value = date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None
    if not DATE_YEARS[0] <= value.year <= DATE_YEARS[1]:
        raise argparse.ArgumentTypeError(
            f"{text!r} is out of range (years {DATE_YEARS[0]} to {DATE_YEARS[1]})"
        )
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="digest",
        description=(
            "Daily news briefings from files and feeds: stories, key actors, new developments."
        ),
    )
    parser.add_argument("--version", action="version", version=f"digest {__version__}")
    _output_options(parser, top=True)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    def with_config(p: argparse.ArgumentParser) -> argparse.ArgumentParser:
        p.add_argument(
            "--config",
            metavar="FILE",
            help="config file (default: $DIGEST_CONFIG or ./config.yaml)",
        )
        _output_options(p, top=False)  # also accepted after the command
        return p

    p = with_config(sub.add_parser("render", help="collect new items and write one day's briefing"))
    p.add_argument(
        "--date",
        type=_date,
        metavar="YYYY-MM-DD",
        help="briefing date (default: today in the configured timezone)",
    )
    p.add_argument("--profile", action="store_true", help="log seconds per stage")

    p = with_config(
        sub.add_parser("backfill", help="write the briefing of every day in a range that has items")
    )
    p.add_argument("--since", type=_date, required=True, metavar="YYYY-MM-DD")
    p.add_argument("--until", type=_date, metavar="YYYY-MM-DD", help="last day (default: today)")
    p.add_argument("--profile", action="store_true", help="log seconds per stage")

    with_config(sub.add_parser("daemon", help="run the scheduled daily briefing"))
    with_config(sub.add_parser("status", help="last run, next run and each source's health"))

    p = sub.add_parser("sources", help="inspect the configured sources")
    subs = p.add_subparsers(dest="sources_command", metavar="SUBCOMMAND", required=True)
    with_config(
        subs.add_parser(
            "check",
            help=(
                "fetch every source once (nothing stored) and print its health;"
                " exit 1 if one failed"
            ),
        )
    )
    p = sub.add_parser("config", help="inspect the configuration")
    subs = p.add_subparsers(dest="config_command", metavar="SUBCOMMAND", required=True)
    with_config(
        subs.add_parser("show", help="print the effective configuration with secrets redacted")
    )
    return parser


def _output_options(p: argparse.ArgumentParser, top: bool) -> None:
    """``-v``/``-q`` on the main parser, and again after a command (where an absent option must
    not reset what was given before the command: its default is SUPPRESS)."""
    p.add_argument(
        "-v",
        "--verbose",
        action="count",
        default=0 if top else argparse.SUPPRESS,
        help="more log output with timestamps (-vv for debug)",
    )
    p.add_argument(
        "-q",
        "--quiet",
        action="store_true",
        default=False if top else argparse.SUPPRESS,
        help="errors only (for cron): no paths, warnings or progress",
    )


def _today(config: Config, now: datetime) -> date:
    return now.astimezone(config.tz).date()


def _now() -> datetime:
    return datetime.now(UTC)


def _too_far_ahead(option: str, day: date, config: Config, now: datetime) -> bool:
    """Refuse a date more than ``MAX_AHEAD`` after today: it would become the latest briefing."""
    today = _today(config, now)
    if day <= today + MAX_AHEAD:
        return False
    print(
        f"digest: error: {option} {day} is in the future (today is {today} in "
        f"{config.timezone}); at most one day ahead is accepted",
        file=sys.stderr,
    )
    return True


def _settle(config: Config, now: datetime, quiet: bool) -> datetime:
    """A one-shot run waits (at most the settle window) for inbox files still being written,
    instead of skipping them until the next run. Returns the time to run at."""
    from digest.sources.files import unsettled

    seconds, names = 0.0, list[str]()
    for src in config.sources:
        if src.type == "files" and src.enabled:
            wait, found = unsettled(src, now)
            seconds, names = max(seconds, wait), names + found
    if seconds <= 0:
        return now
    if not quiet:
        shown = ", ".join(names[:5]) + (f" and {len(names) - 5} more" if len(names) > 5 else "")
        print(
            f"digest: waiting {seconds:.1f} s for {len(names)} file(s) still being written:",
            shown,
            file=sys.stderr,
        )
    _sleep(seconds + 0.05)
    return _now()


def _sleep(seconds: float) -> None:
    time.sleep(seconds)


@command("render")
def cmd_render(args: argparse.Namespace) -> int:
    from digest.lock import instance_lock

    config = load_config(args.config)
    now = _now()
    day = args.date or _today(config, now)
    if _too_far_ahead("--date", day, config, now):
        return EXIT_USAGE
    with instance_lock(config, "render"):
        now = _settle(config, now, args.quiet)
        from digest.pipeline.run import run_day  # after the lock: a refusal need not wait for spaCy

        result = run_day(config, day, now)
    if not args.quiet:
        for path in result.paths:
            print(path)
    return EXIT_OK


@command("backfill")
def cmd_backfill(args: argparse.Namespace) -> int:
    from digest.lock import instance_lock
    from digest.progress import ProgressBar

    config = load_config(args.config)
    now = _now()
    until = args.until or _today(config, now)
    if until < args.since:
        print("digest: error: --until is before --since", file=sys.stderr)
        return EXIT_USAGE
    if _too_far_ahead("--until", until, config, now):
        return EXIT_USAGE
    bar = ProgressBar(sys.stderr, active=not args.quiet)
    with instance_lock(config, "backfill"):
        from digest.pipeline.run import (
            run_range,
        )  # after the lock: a refusal need not wait for spaCy

        results = run_range(config, args.since, until, now, progress=bar.update)
    bar.close()
    if args.quiet:
        return EXIT_OK
    for result in results:
        for path in result.paths:
            print(path)
    if not results:
        print(f"no items published between {args.since} and {until}", file=sys.stderr)
    return EXIT_OK


@command("daemon")
def cmd_daemon(args: argparse.Namespace) -> int:
    from digest.daemon import run_daemon

    return run_daemon(load_config(args.config))


@command("status")
def cmd_status(args: argparse.Namespace) -> int:
    from digest.status import print_status

    return print_status(load_config(args.config), _now(), sys.stdout)


def _cell(text: str | None, width: int = 160) -> str:
    """One table cell: untrusted text on one line, controls removed, URLs redacted."""
    from digest.sanitize import one_line, redact_text

    return one_line(redact_text(text or ""), limit=width)


def _when(value: datetime | None) -> str:
    return value.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%MZ") if value else "never"  # noqa: UP017


def check_sources(config: Config, now: datetime) -> list[tuple[str, str, str, str, str, str]]:
    """Collect every source once without storing anything: (source, type, status, items, last
    success, error).

    A files source is read whole (not just its new files) so ITEMS is what it holds; a feed is
    fetched exactly as the scheduled run would (its stored validators, vetted the same way, and its
    Retry-After), so STATUS is what the next run will see: "not modified" for a 304. LAST SUCCESS
    is from past runs.
    """
    from digest.errors import SourceError
    from digest.pipeline.run import open_store
    from digest.sources import collect
    from digest.sources.files import collect_files
    from digest.sources.opml import expand_sources

    sources, broken = expand_sources(config.sources)
    rows = [(s.name, "opml", "FAILED", "-", "-", _cell(s.error)) for s in broken]
    store = open_store(config)
    try:
        for src in sources:
            state = store.source_state(src.name)
            last = _when(state.last_success)
            if not src.enabled:
                rows.append((src.name, src.type, "disabled", "-", last, _cell(state.last_error)))
                continue
            status = "ok"
            try:
                if src.type == "files":
                    found = str(len(collect_files(src, {}).items))
                else:
                    batch = collect(src, config, {}, state, now)
                    found = str(len(batch.items))
                    if batch.not_modified:
                        status, found = "ok (not modified)", "-"
            except SourceError as exc:
                rows.append((src.name, src.type, "FAILED", "-", last, _cell(str(exc))))
                continue
            earlier = (
                f"{state.last_error} ({_when(state.last_error_at)})" if state.last_error else ""
            )
            rows.append((src.name, src.type, status, found, last, _cell(earlier)))
    finally:
        store.close()
    return rows


@command("sources")
def cmd_sources(args: argparse.Namespace) -> int:
    config = load_config(args.config)
    rows = check_sources(config, _now())
    header = ("SOURCE", "TYPE", "STATUS", "ITEMS", "LAST SUCCESS", "LAST ERROR")
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header) - 1)]
    for r in [header, *rows]:
        print("  ".join(c.ljust(w) for c, w in zip(r, widths)) + "  " + r[-1])
    failed = [r[0] for r in rows if r[2] == "FAILED"]
    if failed:
        print(f"{len(failed)} of {len(rows)} sources failed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


@command("config")
def cmd_config(args: argparse.Namespace) -> int:
    import yaml

    from digest.config import redacted

    config = load_config(args.config)
    print(f"# effective configuration of {config.path}; secrets redacted")
    print(
        yaml.safe_dump(_hide_url_secrets(redacted(config)), sort_keys=False, allow_unicode=True),
        end="",
    )
    return 0


def _hide_url_secrets(data: object) -> object:
    """Redact every URL value (a feed URL may carry credentials) with the one redaction."""
    from digest.sanitize import redact_text

    if isinstance(data, dict):
        return {k: _hide_url_secrets(v) for k, v in data.items()}
    if isinstance(data, list):
        return [_hide_url_secrets(v) for v in data]
    if isinstance(data, str):
        return redact_text(data)
    return data


class _Brief(logging.Formatter):
    """``digest: warning: ...``: one short line per message, as cron mails it (one clean line,
    URLs redacted: a message may carry a server's words or a feed URL)."""

    def format(self, record: logging.LogRecord) -> str:
        from digest.sanitize import one_line, redact_text

        return f"digest: {record.levelname.lower()}: {one_line(redact_text(record.getMessage()))}"


def _configure_logging(verbosity: int, quiet: bool = False, timestamps: bool = False) -> None:
    """Errors only with ``quiet``; else warnings, ``-v`` info, ``-vv`` debug. Verbose and daemon
    logs carry timestamps and logger names; the default is one short line per warning. Either way
    every record is one clean line (``digest.sanitize.LogFormatter``)."""
    from digest.sanitize import LogFormatter

    levels = (logging.WARNING, logging.INFO, logging.DEBUG)
    level = logging.ERROR if quiet else levels[min(verbosity, 2)]
    handler = logging.StreamHandler(sys.stderr)
    if verbosity or timestamps:
        handler.setFormatter(LogFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    else:
        handler.setFormatter(_Brief())
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
        return EXIT_USAGE
    # The daemon's one line per run is INFO, so the daemon logs at INFO even without -v.
    at_least_info = getattr(args, "profile", False) or args.command == "daemon"
    verbosity = max(args.verbose, 1) if at_least_info else args.verbose
    _configure_logging(verbosity, args.quiet, timestamps=args.command == "daemon")
    try:
        return COMMANDS[args.command](args)
    except NothingToReport as exc:
        print(f"digest: error: {_cell(str(exc), 2000)}", file=sys.stderr)
        return EXIT_NOTHING
    except DigestError as exc:
        print(f"digest: error: {_cell(str(exc), 2000)}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("digest: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
