"""The run summary, on hand-built records: the spec's shape, each metric, null cases."""

from __future__ import annotations

import json

import pytest

from eval.metrics import save_summary, summarise

SPEC_KEYS = {"answer_accuracy", "execution_rate", "function_accuracy", "retrieval_recall@1", "retrieval_recall@5",
             "retrieval_recall@10", "mrr", "repair_gain", "latency_s"}


def rec(task_id, *, domain="chemistry", tags=(), correct=True, first=None, executed=True, ranks=(1,),
        selected=True, verified=True, total=1.0, stages=(0.1, 0.5, 0.2)):
    """A record with just the fields the metrics read."""
    listed = bool(ranks)
    return {
        "id": task_id, "domain": domain, "tags": list(tags), "ranks": list(ranks),
        "correct": correct, "first_correct": correct if first is None else first,
        "stages": {"retrieved": all(r is not None and r <= 8 for r in ranks) if listed else None,
                   "selected": selected if listed else None, "executed": executed, "verified": verified,
                   "correct": correct},
        "function_correct": (executed and selected) if listed else None,
        "timings": {"retrieval": stages[0], "model": stages[1], "execution": stages[2], "total": total},
    }


RECORDS = [
    rec("a", tags=["single-call"], ranks=(1, 2), total=1.0),
    rec("b", tags=["multi-step"], ranks=(3, None), correct=False, first=False, executed=False, total=2.0),
    rec("c", domain="biology", tags=["single-call"], ranks=(6,), correct=True, first=False, selected=False, total=3.0),
    rec("d", domain="biology", tags=["refusal"], ranks=(), correct=True, executed=False, total=4.0),
]


def test_summary_has_the_spec_shape_plus_funnel_and_stage_latency():
    summary = summarise(RECORDS, "local", "call")
    assert set(summary) == {"tasks", "model", "mode", "overall", "by_domain", "by_tag"}
    assert (summary["tasks"], summary["model"], summary["mode"]) == (4, "local", "call")
    assert set(summary["by_domain"]) == {"chemistry", "biology"}
    assert set(summary["by_tag"]) == {"single-call", "multi-step", "refusal"}
    for metrics in [summary["overall"], *summary["by_domain"].values(), *summary["by_tag"].values()]:
        assert set(metrics) == SPEC_KEYS | {"funnel", "stage_latency_s"}
        assert set(metrics["funnel"]) == {"retrieved", "selected", "executed", "verified", "correct"}
        assert set(metrics["stage_latency_s"]) == {"retrieval", "model", "execution"}
    json.dumps(summary)


def test_overall_metrics():
    overall = summarise(RECORDS, "local", "call")["overall"]
    assert overall["answer_accuracy"] == 0.75
    assert overall["execution_rate"] == 0.5
    assert overall["function_accuracy"] == pytest.approx(1 / 3, abs=1e-4)  # a only; d lists no functions
    assert overall["retrieval_recall@1"] == pytest.approx((0.5 + 0 + 0) / 3, abs=1e-4)
    assert overall["retrieval_recall@5"] == pytest.approx((1 + 0.5 + 0) / 3, abs=1e-4)
    assert overall["retrieval_recall@10"] == pytest.approx((1 + 0.5 + 1) / 3, abs=1e-4)
    assert overall["mrr"] == pytest.approx(((1 + 1 / 2) / 2 + (1 / 3) / 2 + 1 / 6) / 3, abs=1e-4)
    assert overall["repair_gain"] == 0.25  # c was fixed by repair
    assert overall["latency_s"] == {"p50": 2.5, "p95": 4.0}
    assert overall["stage_latency_s"]["model"] == {"p50": 0.5, "p95": 0.5}
    assert overall["funnel"] == {"retrieved": pytest.approx(0.6667), "selected": pytest.approx(0.6667),
                                 "executed": 0.5, "verified": 1.0, "correct": 0.75}


def test_slices():
    summary = summarise(RECORDS, "local", "call")
    assert summary["by_domain"]["chemistry"]["answer_accuracy"] == 0.5
    assert summary["by_tag"]["single-call"]["repair_gain"] == 0.5
    refusal = summary["by_tag"]["refusal"]
    assert refusal["answer_accuracy"] == 1.0
    for key in ("function_accuracy", "retrieval_recall@1", "retrieval_recall@5", "retrieval_recall@10", "mrr"):
        assert key in refusal and refusal[key] is None
    assert refusal["funnel"]["retrieved"] is None and refusal["funnel"]["correct"] == 1.0


def test_nothing_computable_is_null_not_missing():
    summary = summarise([], "local", "code")
    assert summary["tasks"] == 0 and summary["by_domain"] == {} and summary["by_tag"] == {}
    overall = summary["overall"]
    assert set(overall) >= SPEC_KEYS
    assert all(overall[key] is None for key in SPEC_KEYS - {"latency_s"})
    assert overall["latency_s"] == {"p50": None, "p95": None}
    untimed = rec("x", stages=(None, None, None))
    stage = summarise([untimed], "m", "call")["overall"]["stage_latency_s"]
    assert stage["retrieval"] == {"p50": None, "p95": None}


def test_repair_gain_can_be_negative_and_summary_is_saved(tmp_path):
    worse = [rec("a", correct=False, first=True), rec("b")]
    summary = summarise(worse, "m", "call")
    assert summary["overall"]["repair_gain"] == -0.5
    path = save_summary(summary, tmp_path)
    assert path.name == "summary.json" and json.loads(path.read_text()) == summary
