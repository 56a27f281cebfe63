"""The schedule file (TOML): nightly jobs and their crawls, cron, timeouts, notification and Scrapyd nodes."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from apscheduler.triggers.cron import CronTrigger

DEFAULT_SCHEDULE = Path(__file__).resolve().parent.parent / "schedule.toml"
PLACEMENTS = ("round_robin", "least_busy")
_JOB_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$")
_TOP_KEYS = {"timezone", "misfire_grace_hours", "kill_grace_seconds", "timeout_minutes", "notify", "scrapyd", "jobs"}
_JOB_KEYS = {"id", "cron", "spider", "platforms", "args", "crawls", "timeout_minutes", "settings", "tag", "snapshot"}
_NOTIFY_KEYS = {"email_to", "email_from", "smtp_host", "smtp_port", "smtp_user", "smtp_password_env", "smtp_starttls",
                "webhook_url"}
_SCRAPYD_KEYS = {"nodes", "placement", "project", "poll_seconds"}


class ScheduleError(ValueError):
    """The schedule file is unreadable or invalid; the message names the file and the key."""


@dataclass(frozen=True)
class Crawl:
    """One spider run: the spider and its arguments."""

    spider: str
    args: tuple[tuple[str, str], ...] = ()

    @property
    def arguments(self) -> dict[str, str]:
        return dict(self.args)

    @property
    def label(self) -> str:
        """A file-name-safe name: the spider, and the platform of an Atexo crawl."""
        platform = self.arguments.get("platform")
        return f"{self.spider}-{platform}" if platform else self.spider

    @property
    def run_name(self) -> str:
        """The name the spider records its runs under (atexo:<platform> for Atexo)."""
        platform = self.arguments.get("platform")
        return f"{self.spider}:{platform}" if platform else self.spider


@dataclass(frozen=True)
class Job:
    id: str
    cron: str
    crawls: tuple[Crawl, ...]
    timeout: float
    settings: tuple[tuple[str, str], ...] = ()
    tag: bool = True
    snapshot: bool = True


@dataclass(frozen=True)
class Notify:
    email_to: tuple[str, ...] = ()
    email_from: str = "tenderwatch@localhost"
    smtp_host: str = "localhost"
    smtp_port: int = 25
    smtp_user: str | None = None
    smtp_password_env: str | None = None
    smtp_starttls: bool = False
    webhook_url: str | None = None

    @property
    def enabled(self) -> bool:
        return bool(self.email_to or self.webhook_url)


@dataclass(frozen=True)
class ScrapydNodes:
    nodes: tuple[str, ...] = ()
    placement: str = "round_robin"
    project: str = "tenderwatch"
    poll_seconds: float = 10.0


@dataclass
class Schedule:
    path: Path
    timezone: str = "Europe/Paris"
    misfire_grace_hours: float = 6.0
    kill_grace_seconds: float = 60.0
    jobs: dict[str, Job] = field(default_factory=dict)
    notify: Notify = field(default_factory=Notify)
    scrapyd: ScrapydNodes = field(default_factory=ScrapydNodes)

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def trigger(self, job: Job) -> CronTrigger:
        return CronTrigger.from_crontab(job.cron, timezone=self.tz)

    def job(self, job_id: str) -> Job:
        try:
            return self.jobs[job_id]
        except KeyError:
            raise ScheduleError(f"no job {job_id!r} in {self.path}; jobs: {', '.join(self.jobs) or 'none'}") from None


def load_schedule(path: Path | str | None = None) -> Schedule:
    """Read and validate a schedule file (the packaged default when `path` is None)."""
    path = Path(path) if path else DEFAULT_SCHEDULE
    try:
        if not path.is_file():  # a folder, a FIFO (which would block), a device
            raise ScheduleError(f"cannot read {path}: not a regular file" if path.exists() else
                                f"cannot read {path}: No such file or directory")
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ScheduleError(f"cannot read {path}: {exc.strerror}") from None
    except UnicodeDecodeError as exc:
        raise ScheduleError(f"{path}: not a TOML text file (not UTF-8: byte {exc.start})") from None
    except tomllib.TOMLDecodeError as exc:
        raise ScheduleError(f"{path}: not valid TOML: {exc}") from None
    where = str(path)
    _keys(data, _TOP_KEYS, where)
    schedule = Schedule(
        path=path,
        timezone=_str(data, "timezone", where, "Europe/Paris"),
        misfire_grace_hours=_number(data, "misfire_grace_hours", where, 6.0),
        kill_grace_seconds=_number(data, "kill_grace_seconds", where, 60.0),
        notify=_notify(data.get("notify", {}), f"{where} [notify]"),
        scrapyd=_scrapyd(data.get("scrapyd", {}), f"{where} [scrapyd]"),
    )
    try:
        ZoneInfo(schedule.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise ScheduleError(f"{where}: unknown timezone {schedule.timezone!r}") from None
    default_timeout = _number(data, "timeout_minutes", where, 120.0)
    jobs = data.get("jobs", [])
    if not isinstance(jobs, list):
        raise ScheduleError(f"{where}: jobs must be an array of tables ([[jobs]])")
    for index, raw in enumerate(jobs):
        job = _job(raw, f"{where} jobs[{index}]", default_timeout)
        if job.id in schedule.jobs:
            raise ScheduleError(f"{where}: two jobs have the id {job.id!r}")
        try:
            schedule.trigger(job)
        except ValueError as exc:
            raise ScheduleError(f"{where} job {job.id!r}: invalid cron {job.cron!r}: {exc}") from None
        schedule.jobs[job.id] = job
    return schedule


def _job(raw: dict, where: str, default_timeout: float) -> Job:
    if not isinstance(raw, dict):
        raise ScheduleError(f"{where}: a job must be a table")
    _keys(raw, _JOB_KEYS, where)
    job_id = _str(raw, "id", where)
    if not _JOB_ID.match(job_id):
        raise ScheduleError(f"{where}: id {job_id!r} must be letters, digits, '.', '_' or '-'")
    where = f"{where} ({job_id})"
    if "crawls" in raw:
        if any(key in raw for key in ("spider", "platforms", "args")):
            raise ScheduleError(f"{where}: give either crawls or spider/platforms/args, not both")
        if not isinstance(raw["crawls"], list):
            raise ScheduleError(f"{where}: crawls must be an array of tables")
        crawls = [_crawl(item, f"{where} crawls[{i}]") for i, item in enumerate(raw["crawls"])]
    else:
        spider = _str(raw, "spider", where)
        args = _strings(raw.get("args", {}), f"{where} args")
        platforms = raw.get("platforms")
        if platforms is None:
            crawls = [Crawl(spider, tuple(args.items()))]
        elif isinstance(platforms, list) and platforms and all(isinstance(p, str) and p for p in platforms):
            crawls = [Crawl(spider, tuple({**args, "platform": p}.items())) for p in platforms]
        else:
            raise ScheduleError(f"{where}: platforms must be a non-empty list of platform keys")
    if not crawls:
        raise ScheduleError(f"{where}: no crawl")
    timeout = _number(raw, "timeout_minutes", where, default_timeout)
    return Job(
        id=job_id,
        cron=_str(raw, "cron", where),
        crawls=tuple(crawls),
        timeout=timeout * 60,
        settings=tuple(_strings(raw.get("settings", {}), f"{where} settings").items()),
        tag=_bool(raw, "tag", where, True),
        snapshot=_bool(raw, "snapshot", where, True),
    )


def _crawl(raw, where: str) -> Crawl:
    if not isinstance(raw, dict):
        raise ScheduleError(f"{where}: a crawl must be a table {{spider = ..., args = {{...}}}}")
    _keys(raw, {"spider", "args"}, where)
    return Crawl(_str(raw, "spider", where), tuple(_strings(raw.get("args", {}), f"{where} args").items()))


def _notify(raw, where: str) -> Notify:
    if not isinstance(raw, dict):
        raise ScheduleError(f"{where}: must be a table")
    _keys(raw, _NOTIFY_KEYS, where)
    to = raw.get("email_to", [])
    if isinstance(to, str):
        to = [to]
    if not isinstance(to, list) or not all(isinstance(a, str) and "@" in a for a in to):
        raise ScheduleError(f"{where}: email_to must be an address or a list of addresses")
    return Notify(
        email_to=tuple(to),
        email_from=_str(raw, "email_from", where, Notify.email_from),
        smtp_host=_str(raw, "smtp_host", where, Notify.smtp_host),
        smtp_port=int(_number(raw, "smtp_port", where, Notify.smtp_port)),
        smtp_user=_str(raw, "smtp_user", where, None),
        smtp_password_env=_str(raw, "smtp_password_env", where, None),
        smtp_starttls=_bool(raw, "smtp_starttls", where, False),
        webhook_url=_str(raw, "webhook_url", where, None),
    )


def _scrapyd(raw, where: str) -> ScrapydNodes:
    if not isinstance(raw, dict):
        raise ScheduleError(f"{where}: must be a table")
    _keys(raw, _SCRAPYD_KEYS, where)
    nodes = raw.get("nodes", [])
    if not isinstance(nodes, list) or not all(isinstance(n, str) and "://" in n for n in nodes):
        raise ScheduleError(f"{where}: nodes must be a list of URLs (http://host:6800)")
    placement = _str(raw, "placement", where, "round_robin")
    if placement not in PLACEMENTS:
        raise ScheduleError(f"{where}: placement must be one of {', '.join(PLACEMENTS)}, not {placement!r}")
    return ScrapydNodes(tuple(n.rstrip("/") for n in nodes), placement, _str(raw, "project", where, "tenderwatch"),
                        _number(raw, "poll_seconds", where, 10.0))


def _keys(raw: dict, allowed: set[str], where: str) -> None:
    unknown = sorted(set(raw) - allowed)
    if unknown:
        raise ScheduleError(f"{where}: unknown key {unknown[0]!r}; keys: {', '.join(sorted(allowed))}")


_MISSING = object()


def _str(raw: dict, key: str, where: str, default=_MISSING):
    value = raw.get(key, default)
    if value is _MISSING:
        raise ScheduleError(f"{where}: {key} is required")
    if value is not None and (not isinstance(value, str) or not value):
        raise ScheduleError(f"{where}: {key} must be a non-empty string")
    return value


def _number(raw: dict, key: str, where: str, default: float) -> float:
    value = raw.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
        raise ScheduleError(f"{where}: {key} must be a positive number")
    return float(value)


def _bool(raw: dict, key: str, where: str, default: bool) -> bool:
    value = raw.get(key, default)
    if not isinstance(value, bool):
        raise ScheduleError(f"{where}: {key} must be true or false")
    return value


def _strings(raw, where: str) -> dict[str, str]:
    if not isinstance(raw, dict):
        raise ScheduleError(f"{where}: must be a table of names and values")
    out = {}
    for key, value in raw.items():
        if isinstance(value, dict | list):
            raise ScheduleError(f"{where}: {key} must be a string, a number or a boolean")
        out[str(key)] = str(value).lower() if isinstance(value, bool) else str(value)
    return out
