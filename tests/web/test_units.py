"""The web face's small parts: evidence cut into highlighted pieces, operators' tokens and signed sessions, URLs
a page may link to, and the serve command's settings."""

from __future__ import annotations

import pytest

from tenderwatch.cli import main
from tenderwatch.web.auth import session_cookie, session_operator
from tenderwatch.web.evidence import highlight
from tenderwatch.web.settings import SettingsError, WebSettings, parse_operators
from tenderwatch.web.templating import safe_url

TOKEN = "0123456789abcdef"


def test_overlapping_evidence_is_cut_at_every_edge():
    text = "aaa SOCIAL both ENV zzz"
    spans = [{"dimension": "social", "start": 4, "end": 15}, {"dimension": "environmental", "start": 11, "end": 19},
             {"dimension": "social", "start": None, "end": None}, {"dimension": "social", "start": 20, "end": 99}]
    segments, located = highlight(text, spans)
    assert "".join(s.text for s in segments) == text
    assert [(s.text, s.dimensions, s.anchors) for s in segments] == [
        ("aaa ", [], []), ("SOCIAL ", ["social"], [0]), ("both", ["environmental", "social"], [1]),
        (" ENV", ["environmental"], []), (" zzz", [], [])]
    assert [s["located"] for s in located] == [True, True, False, False]


def test_operators_are_read_from_one_token_or_named_tokens():
    assert parse_operators(TOKEN) == {TOKEN: "operator"}
    assert parse_operators(f"alice:{TOKEN}, bob:{TOKEN}x") == {TOKEN: "alice", TOKEN + "x": "bob"}
    assert parse_operators("") == {}
    with pytest.raises(SettingsError, match="at least 16"):
        parse_operators("alice:short")


def test_a_session_cookie_is_signed_and_expires():
    settings = WebSettings({TOKEN: "alice"})
    cookie = session_cookie(settings, "alice")
    assert session_operator(settings, cookie) == "alice"
    signature = cookie.rpartition(".")[2]
    forged = session_cookie(settings, "mallory").rpartition(".")[0] + "." + signature
    assert session_operator(settings, forged) is None
    assert session_operator(settings, session_cookie(settings, "alice", now=0)) is None  # expired long ago
    assert session_operator(WebSettings({TOKEN + "-new": "alice"}), cookie) is None  # tokens changed


@pytest.mark.parametrize("url, expected", [
    ("https://www.boamp.fr/avis/1", "https://www.boamp.fr/avis/1"), ("http://x/y", "http://x/y"),
    ("javascript:alert(1)", None), (" JavaScript:alert(1)", None), ("data:text/html,x", None), (None, None),
])
def test_pages_link_only_to_http_urls(url, expected):
    assert safe_url(url) == expected


def test_serve_refuses_a_short_token(monkeypatch, capsys, tmp_path):
    monkeypatch.setenv("TENDERWATCH_OPERATOR_TOKEN", "short")
    assert main(["--db", f"sqlite:///{tmp_path / 's.sqlite'}", "serve", "--port", "0"]) == 2
    assert "at least 16 characters" in capsys.readouterr().err


def test_serve_is_a_command_with_host_and_port(capsys):
    assert main(["serve", "--help"]) == 0
    out = capsys.readouterr().out
    assert "--host" in out and "--port" in out and "TENDERWATCH_OPERATOR_TOKEN" in out
