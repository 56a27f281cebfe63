"""Failure notification: an e-mail (smtplib) and/or a JSON POST to a webhook (urllib), as the schedule file says."""

from __future__ import annotations

import json
import logging
import os
import smtplib
import urllib.request
from email.message import EmailMessage

from tenderwatch.ops.schedule_file import Notify

logger = logging.getLogger(__name__)


def send_email(config: Notify, subject: str, body: str) -> None:
    message = EmailMessage()
    message["Subject"] = subject
    message["From"] = config.email_from
    message["To"] = ", ".join(config.email_to)
    message.set_content(body)
    with smtplib.SMTP(config.smtp_host, config.smtp_port, timeout=20) as smtp:
        if config.smtp_starttls:
            smtp.starttls()
        if config.smtp_user:
            smtp.login(config.smtp_user, os.environ.get(config.smtp_password_env or "", ""))
        smtp.send_message(message)


def post_webhook(url: str, payload: dict) -> None:
    request = urllib.request.Request(
        url, data=json.dumps(payload, default=str).encode("utf-8"), method="POST",
        headers={"Content-Type": "application/json", "User-Agent": "tenderwatch"},
    )
    with urllib.request.urlopen(request, timeout=20) as answer:
        answer.read()


def notify_failure(config: Notify, subject: str, body: str, payload: dict) -> list[str]:
    """Send every configured notification; the ones that could not be sent, as messages (never raises)."""
    problems = []
    if config.email_to:
        try:
            send_email(config, subject, body)
        except (OSError, smtplib.SMTPException) as exc:
            problems.append(f"e-mail to {', '.join(config.email_to)}: {exc}")
    if config.webhook_url:
        try:
            post_webhook(config.webhook_url, {"subject": subject, "text": body, **payload})
        except (OSError, ValueError) as exc:
            problems.append(f"webhook {config.webhook_url}: {exc}")
    for problem in problems:
        logger.error("notification failed: %s", problem)
    return problems
