"""Settings of the web face, read once from the environment when the application is created."""

from __future__ import annotations

import hashlib
import hmac
import os
from dataclasses import dataclass, field

from models import config

ENV_OPERATOR_TOKEN = "TENDERWATCH_OPERATOR_TOKEN"
MIN_TOKEN_LENGTH = 16
DEFAULT_OPERATOR = "operator"


class SettingsError(ValueError):
    """A setting that cannot be used; the message names it."""


def parse_operators(raw: str | None) -> dict[str, str]:
    """TENDERWATCH_OPERATOR_TOKEN as {token: operator name}: one token ("s3cret...": the operator is "operator"),
    or one per operator, "alice:token1,bob:token2", so that every decision names who made it."""
    operators: dict[str, str] = {}
    for part in (raw or "").split(","):
        part = part.strip()
        if not part:
            continue
        name, sep, token = part.rpartition(":")
        name, token = (name.strip(), token.strip()) if sep else (DEFAULT_OPERATOR, part)
        if len(token) < MIN_TOKEN_LENGTH:
            raise SettingsError(f"{ENV_OPERATOR_TOKEN}: a token must have at least {MIN_TOKEN_LENGTH} characters")
        if not name:
            raise SettingsError(f"{ENV_OPERATOR_TOKEN}: an operator name is empty")
        operators[token] = name
    return operators


@dataclass(frozen=True)
class WebSettings:
    operators: dict[str, str] = field(default_factory=dict)  # token -> operator name; empty: no review queue
    threshold: float = config.DEFAULT_DETECTION_THRESHOLD

    @classmethod
    def from_env(cls) -> WebSettings:
        return cls(parse_operators(os.environ.get(ENV_OPERATOR_TOKEN)), config.detection_threshold())

    @property
    def secret(self) -> bytes:
        """The key that signs operators' sessions and CSRF tokens: derived from the tokens, so that every worker
        agrees on it and changing a token ends the sessions opened with the old ones."""
        material = "\n".join(sorted(self.operators)).encode()
        return hmac.new(b"tenderwatch-web-session", material, hashlib.sha256).digest()
