"""Scrapyd nodes: schedule a crawl (schedule.json), follow it (listjobs.json), cancel it, place jobs on nodes."""

from __future__ import annotations

import itertools
import json
import threading
import urllib.error
import urllib.parse
import urllib.request
import uuid

PROJECT = "tenderwatch"


class ScrapydError(RuntimeError):
    """A Scrapyd node is unreachable or refused a request; the message says which and why."""


class ScrapydNode:
    """The JSON API of one Scrapyd node."""

    def __init__(self, url: str, timeout: float = 15.0):
        self.url = url.rstrip("/")
        self.timeout = timeout

    def __repr__(self) -> str:
        return f"ScrapydNode({self.url!r})"

    def _call(self, endpoint: str, query: dict | None = None, form: list[tuple[str, str]] | None = None) -> dict:
        url = f"{self.url}/{endpoint}"
        if query:
            url += "?" + urllib.parse.urlencode(query)
        data = urllib.parse.urlencode(form).encode() if form is not None else None
        try:
            with urllib.request.urlopen(urllib.request.Request(url, data=data), timeout=self.timeout) as answer:
                body = json.loads(answer.read().decode("utf-8"))
        except urllib.error.HTTPError as exc:
            raise ScrapydError(f"Scrapyd at {self.url}: {endpoint} answered HTTP {exc.code}") from None
        except (urllib.error.URLError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise ScrapydError(f"cannot reach Scrapyd at {self.url}: {reason}") from None
        except ValueError:
            raise ScrapydError(f"Scrapyd at {self.url}: {endpoint} did not answer JSON") from None
        if body.get("status") != "ok":
            raise ScrapydError(f"Scrapyd at {self.url}: {endpoint}: {body.get('message', body)}")
        return body

    def schedule(self, project: str, spider: str, args: dict[str, str], settings: dict[str, str],
                 job_id: str | None = None) -> str:
        """Queue a crawl; the Scrapyd job id."""
        form = [("project", project), ("spider", spider), ("jobid", job_id or uuid.uuid4().hex)]
        form += [("setting", f"{key}={value}") for key, value in settings.items()]
        form += [(key, str(value)) for key, value in args.items()]
        return self._call("schedule.json", form=form)["jobid"]

    def job_state(self, project: str, job_id: str) -> str | None:
        """pending, running or finished; None when the node does not know the job."""
        jobs = self._call("listjobs.json", {"project": project})
        for state in ("pending", "running", "finished"):
            if any(job.get("id") == job_id for job in jobs.get(state, [])):
                return state
        return None

    def cancel(self, project: str, job_id: str, signal: str = "INT") -> None:
        self._call("cancel.json", form=[("project", project), ("job", job_id), ("signal", signal)])

    def check_project(self, project: str, spider: str) -> None:
        """ScrapydError unless `project` is deployed on the node with `spider` in it (listspiders.json)."""
        spiders = self._call("listspiders.json", {"project": project}).get("spiders", [])
        if spider not in spiders:
            raise ScrapydError(f"Scrapyd at {self.url}: project {project} has no spider {spider!r}")

    def load(self) -> int:
        """Jobs running or pending on the node (daemonstatus.json)."""
        status = self._call("daemonstatus.json")
        return int(status.get("running", 0)) + int(status.get("pending", 0))


class Placement:
    """Chooses a node for the next crawl: in turn (round_robin) or the least loaded reachable one (least_busy)."""

    def __init__(self, nodes: list[ScrapydNode], policy: str = "round_robin"):
        if not nodes:
            raise ValueError("no Scrapyd node")
        self.nodes = nodes
        self.policy = policy
        self._turn = itertools.cycle(nodes)
        self._lock = threading.Lock()

    def pick(self) -> ScrapydNode:
        if self.policy == "least_busy":
            loads = []
            for index, node in enumerate(self.nodes):
                try:
                    loads.append((node.load(), index, node))
                except ScrapydError:
                    continue
            if not loads:
                raise ScrapydError("no Scrapyd node is reachable: " + ", ".join(n.url for n in self.nodes))
            return min(loads)[2]
        with self._lock:
            return next(self._turn)
