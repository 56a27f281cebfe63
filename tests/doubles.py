"""Test doubles the project's tests share (never shipped): a stub classifier, a fault plan for the demo platform."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass

from classifier import Detection
from models.vocabulary import Dimension, Lever
from tenderwatch.demo_site import error_page


class StubClassifier:
    """One social execution condition per notice: the store's behaviour is under test, not the model."""

    version = "stub-1"

    def classify_many(self, docs):
        for _doc in docs:
            yield [Detection(Dimension.SOCIAL, Lever.EXECUTION_CONDITION, 0.9, "Clause d'insertion", 0, 10,
                             "Conditions d'exécution", "rule", self.version)]


# --- faults of the demo platform -------------------------------------------------------------------------------------------------


@dataclass
class Fault:
    """One planned misbehaviour; `times` is how many requests it hits (None: every one)."""

    kind: str  # status | garbage | truncated | slow | hold | redirect_loop | oversized
    times: int | None = 1
    status: int = 500
    retry_after: int | None = None
    delay: float = 0.0
    size: int = 0  # oversized: the body's size in bytes
    gate: threading.Event | None = None  # hold: answer once it is set
    arrived: threading.Event | None = None  # hold: set when the request arrives


class FaultPlan:
    """Faults by key: a request path, a record's source_id, a consultation number, or "listing:<page>"; plugged
    into `tenderwatch.demo_site.serve(..., faults=plan)` as its AnswerHook."""

    def __init__(self) -> None:
        self._faults: dict[str, list[Fault]] = {}
        self._lock = threading.Lock()
        self.served: list[tuple[str, str]] = []

    def add(self, key: str | int, fault: Fault) -> FaultPlan:
        """Plan `fault` for requests matching `key` (after the faults already planned for it)."""
        self._faults.setdefault(str(key), []).append(fault)
        return self

    def server_error(self, key: str | int, times: int | None = 1, status: int = 500) -> FaultPlan:
        """Answer `status` (500 by default) `times` times, then normally: what a retry gets through."""
        return self.add(key, Fault("status", times, status))

    def throttle(self, key: str | int, retry_after: int = 1, times: int | None = 1) -> FaultPlan:
        """Answer 429 Too Many Requests with a Retry-After header."""
        return self.add(key, Fault("status", times, 429, retry_after))

    def not_found(self, key: str | int, times: int | None = None) -> FaultPlan:
        """Answer 404 (every time by default)."""
        return self.add(key, Fault("status", times, 404))

    def garbage(self, key: str | int, times: int | None = None) -> FaultPlan:
        """Answer 200 with bytes that are not an HTML page (every time by default: a broken page)."""
        return self.add(key, Fault("garbage", times))

    def truncated(self, key: str | int, times: int | None = 1) -> FaultPlan:
        """Answer 200 with the first third of the real page (once by default: a cut transfer)."""
        return self.add(key, Fault("truncated", times))

    def slow(self, key: str | int, delay: float = 0.5, times: int | None = None) -> FaultPlan:
        """Wait `delay` seconds before answering normally."""
        return self.add(key, Fault("slow", times, delay=delay))

    def hold(self, key: str | int, gate: threading.Event, arrived: threading.Event | None = None,
             times: int | None = 1, bound: float = 120.0) -> FaultPlan:
        """Hold the answer until `gate` is set (at most `bound` seconds, so that a failed test never hangs), setting
        `arrived` when the request comes: a test knows a crawl is in progress, and lets it go on when it says so."""
        return self.add(key, Fault("hold", times, delay=bound, gate=gate, arrived=arrived))

    def redirect_loop(self, key: str | int, times: int | None = None) -> FaultPlan:
        """Answer 302 to the same page with a `redirect=1` parameter added, or removed when it is there: A -> B -> A."""
        return self.add(key, Fault("redirect_loop", times, 302))

    def oversized(self, key: str | int, size: int = 4 * 1024 * 1024, times: int | None = None) -> FaultPlan:
        """Answer 200 with the real page padded (inside an HTML comment) to `size` bytes."""
        return self.add(key, Fault("oversized", times, size=size))

    def take(self, keys: Iterable[str]) -> Fault | None:
        """The next fault planned for the first of `keys` that has one, counted as used."""
        with self._lock:
            for key in keys:
                queue = self._faults.get(key)
                if not queue:
                    continue
                fault = queue[0]
                if fault.times is not None:
                    fault.times -= 1
                    if fault.times <= 0:
                        queue.pop(0)
                self.served.append((key, str(fault.status) if fault.kind == "status" else fault.kind))
                return fault
        return None

    def answer(self, keys: list[str], path: str, status: int, body: bytes, headers: dict,
               platform_name: str) -> tuple[int, bytes]:
        """The AnswerHook of the demo platform: the next planned fault applied, else the answer unchanged."""
        fault = self.take(keys)
        if fault is None:
            return status, body
        return apply_fault(fault, status, body, headers, platform_name, path)


def apply_fault(fault: Fault, status: int, body: bytes, headers: dict, platform_name: str,
           path: str = "/") -> tuple[int, bytes]:
    """The status and body a fault turns an answer into (headers updated in place)."""
    if fault.kind == "redirect_loop":
        headers["Location"] = path.replace("&redirect=1", "") if "&redirect=1" in path else path + "&redirect=1"
        return 302, b""
    if fault.kind == "oversized":
        return 200, body.replace(b"</body>", b"<!--" + b"x" * max(0, fault.size - len(body)) + b"--></body>", 1)
    if fault.kind == "slow":
        time.sleep(fault.delay)
        return status, body
    if fault.kind == "hold":
        if fault.arrived is not None:
            fault.arrived.set()
        fault.gate.wait(fault.delay)
        return status, body
    if fault.kind == "garbage":
        return 200, b"\x00\x1f\x8b\xff GARBAGE \xfe\xfd<<<" * 64
    if fault.kind == "truncated":
        return 200, body[: len(body) // 3]
    if fault.retry_after is not None:
        headers["Retry-After"] = str(fault.retry_after)
    return fault.status, error_page(f"Erreur {fault.status}", platform_name)
