"""`stats`, `runs`, `pictograms` in a narrow terminal, filter values checked, and the sentences that replace empty
or misleading tables (SQLite and PostgreSQL where the store is involved)."""

import io
import json
from datetime import datetime

import pytest
from rich.console import Console

from models.normalise import normalise
from models.notice import Notice
from storage.pictograms import regenerate_all
from storage.upsert import upsert_notices
from tenderwatch.cli import main
from tenderwatch.commands.runs import _runs_table
from tenderwatch.tables import truncate_words
from tests.store.test_stats import build_world

WIDTH = 100
LONG_TITLE = ("Fourniture et livraison de repas en liaison froide pour les écoles maternelles et élémentaires de la "
              "commune")


@pytest.fixture
def db(store):
    build_world(store)
    with store.session() as s:
        upsert_notices(s, [normalise(Notice(source="t", source_id="f1", title=LONG_TITLE, country="BE",
                                            buyer_name="Ville de Liège"))])
    regenerate_all(store, 0.5)
    return store.url


def run(db, *args, capsys, command="stats") -> tuple[int, str, str]:
    status = main(["--db", db, command, *args])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


@pytest.mark.parametrize("args", [
    ["--by", "year,region"], ["--by", "year,region", "--corrected"], ["--agreement"], ["--agreement", "--by", "source"],
    ["--national"], ["--levers", "--by", "year"], ["--readiness"], ["--by", "buyer"],
])
def test_no_line_is_wider_than_the_terminal(db, capsys, monkeypatch, args):
    monkeypatch.setenv("COLUMNS", str(WIDTH))
    status, out, _ = run(db, *args, capsys=capsys)
    assert status == 0
    lines = out.splitlines()
    assert len(lines) > 3
    assert max(len(line) for line in lines) <= WIDTH, "\n".join(line for line in lines if len(line) > WIDTH)
    assert all(not line.rstrip().endswith("━") for line in lines if line.startswith("┏"))  # right border kept


def test_runs_table_fits_the_terminal_with_long_errors():
    class Run:
        id, spider, status, log_path = 12, "atexo:megalis-bretagne", "failed", "/var/log/tenderwatch/" + "x" * 60
        started_at, finished_at = datetime(2026, 1, 2, 3, 4, 5), datetime(2026, 1, 2, 4, 4, 5)
        counts = {"seen": 1200, "new": 40, "updated": 3, "unchanged": 1157, "failed": 2}
        errors = {"errors/timeout": 2, "errors/http_503": 14, "errors/parse": "a very long message " * 4}

    out = io.StringIO()
    Console(file=out, width=WIDTH).print(_runs_table([Run()]))
    lines = out.getvalue().splitlines()
    assert max(len(line) for line in lines) <= WIDTH
    assert "atexo:megalis-bretagne" in out.getvalue()


@pytest.mark.parametrize("args, expected", [
    (["--region", "Bretagn"], "Bretagne"),
    (["--region", "ile de france"], None),  # accents and case forgiven
    (["--country", "XX"], "FR"),
    (["--country", "belgique"], None),
    (["--notice-type", "award,contract"], "award_notice"),
    (["--source", "nowhere"], "t"),
    (["--min-amount", "-5"], "0"),
    (["--comparable", "--country", "FR"], "--comparable"),
    (["--since", "2024-01-01", "--until", "2023-01-01"], "--since"),
    (["--corrected", "--origin", "all"], "--origin detected"),
])
def test_bad_filter_values_exit_2_naming_the_valid_ones(db, capsys, args, expected):
    status, _, err = run(db, *args, capsys=capsys)
    if expected is None:
        assert status == 0, err
        return
    assert status == 2 and err.count("\n") == 1 and expected in err, err


def test_region_error_suggests_the_close_name_and_lists_them_all(db, capsys):
    _, _, err = run(db, "--region", "Bretagn", capsys=capsys)
    assert "did you mean Bretagne?" in err and "Nouvelle-Aquitaine" in err and "Île-de-France" in err


def test_the_scope_is_said_with_the_foreign_buyers_excluded(db, capsys):
    status, out, _ = run(db, "--by", "year", capsys=capsys)
    out = " ".join(out.split())
    assert status == 0 and "1 avis d'acheteurs étrangers exclus (BE 1)" in out and "9 avis retenus sur 10" in out
    status, out, _ = run(db, "--by", "year", "--country", "all", "--format", "json", capsys=capsys)
    document = json.loads(out)
    assert sum(r["notices"] for r in document["rows"]) == 10 and document["scope"]["foreign"] == 0


def test_readiness_without_a_row_says_so_in_a_sentence(db, capsys):
    status, out, _ = run(db, "--readiness", "--region", "Bretagne", capsys=capsys)
    assert status == 0 and "Aucun avis publié depuis le 21/08/2026" in out and "┏" not in out


def test_agreement_shows_no_100_percent_where_nothing_was_declared_or_detected(db, capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "120")
    status, out, _ = run(db, "--agreement", capsys=capsys)
    selection = next(line for line in out.splitlines() if "Critères de sélection" in line)
    assert status == 0 and "100,0 %" not in selection and "–" in selection
    assert "rien de déclaré ni de détecté" in out


def test_corrected_stats_use_the_shipped_rates_only_for_their_version(db, capsys):
    # the world's detections come from classifier "test-1": the shipped rates are for another version
    status, out, _ = run(db, "--corrected", "--by", "year", "--format", "json", capsys=capsys)
    document = json.loads(out)
    assert status == 0 and document["kind"] == "corrected"
    assert document["correction"]["status"] == {"social": "version_mismatch", "environmental": "version_mismatch"}
    assert all(r["social_corrected"] is None for r in document["rows"])
    status, out, _ = run(db, "--corrected", "--by", "year", capsys=capsys)
    assert "Non corrigée" in out and "test-1" in out
    status, out, _ = run(db, "--corrected", "--origin", "declared", capsys=capsys)
    assert status == 0 and "n'ont pas à être corrigées" in " ".join(out.split())


def test_pictogram_titles_are_cut_at_a_word_with_an_ellipsis(db, capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")
    status, out, _ = run(db, "--source", "t", "--limit", "20", capsys=capsys, command="pictograms")
    assert status == 0
    assert "Fourniture et livraison de repas en liaison froide pour les…" in out
    assert truncate_words(LONG_TITLE, 60).endswith("les…")
    assert truncate_words("court", 60) == "court"
    assert truncate_words("unmotbienlongsansespace" * 4, 20) == "unmotbienlongsanses…"  # 20 characters, "…" included


def test_a_piped_table_is_written_whole_not_cropped_at_80_columns(db, capsys, monkeypatch):
    """Redirected to a file or a pipe there is no terminal width to fit: every line ends with its border."""
    monkeypatch.delenv("COLUMNS", raising=False)
    status, out, _ = run(db, "--corrected", "--by", "year,region", capsys=capsys)
    table = [line for line in out.splitlines() if line.startswith(("┃", "│", "┡", "├", "┏", "└"))]
    assert status == 0 and table
    assert all(line.rstrip()[-1] in "┃│┩┤┓┘" for line in table)
