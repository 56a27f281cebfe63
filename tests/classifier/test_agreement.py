"""Inter-annotator agreement (classifier.agreement) on hand-made annotations."""

from __future__ import annotations

import pytest

from classifier.agreement import agreement


def notices(*labelled: bool) -> dict:
    return {f"n{i}": {"labels": [{"dimension": "environmental", "lever": "contract_subject"}] if x else []}
            for i, x in enumerate(labelled)}


def test_counts_precision_recall_and_kappa_over_common_notices():
    first = notices(True, True, False, False)
    second = notices(True, False, False, True)
    second["only-here"] = {"labels": [{"dimension": "environmental"}]}  # not in the first: not compared
    env = agreement(first, second)["environmental"]
    assert (env["notices"], env["first"], env["second"], env["both"]) == (4, 2, 2, 1)
    assert env["precision"] == env["recall"] == 0.5
    assert env["kappa"] == pytest.approx(0.0)  # observed 0.5, expected 0.5


def test_perfect_agreement_and_an_absent_dimension():
    first = notices(True, False, True)
    result = agreement(first, dict(first))
    assert result["environmental"]["kappa"] == pytest.approx(1.0)
    assert result["social"]["precision"] is None and result["social"]["recall"] is None
