"""The rule for shortening scenario keys, and the folding of unchanged comparison rows."""

from __future__ import annotations

from simulator.report.names import legend, short_keys
from simulator.report.terminal_studies import is_zero, unchanged_text
from simulator.results.estimate import Estimate


def test_a_key_keeps_its_last_two_parts() -> None:
    names = short_keys(["agent_groups.email_team.shrinkage", "channels.chat.concurrency",
                        "run.days"])
    assert names == {"agent_groups.email_team.shrinkage": "email_team.shrinkage",
                     "channels.chat.concurrency": "chat.concurrency", "run.days": "run.days"}
    assert legend(names) == ("email_team.shrinkage = agent_groups.email_team.shrinkage; "
                             "chat.concurrency = channels.chat.concurrency")


def test_keys_that_would_read_alike_keep_more_parts() -> None:
    names = short_keys(["a.x.team.agents", "b.x.team.agents", "c.y.agents"], parts=1)
    assert names == {"a.x.team.agents": "a.x.team.agents", "b.x.team.agents": "b.x.team.agents",
                     "c.y.agents": "y.agents"}
    assert len(set(names.values())) == 3


def test_nothing_shortened_needs_no_legend() -> None:
    assert legend(short_keys(["run.days"])) is None


def test_only_a_difference_of_nothing_is_no_change() -> None:
    assert is_zero(Estimate.of([0.0, 0.0, 0.0]))
    assert not is_zero(Estimate.of([0.1, -0.1, 0.0]))  # its interval covers zero: still shown
    assert not is_zero(Estimate.of([0.2, 0.2, 0.2]))


def test_unchanged_rows_fold_into_one_line_by_owner() -> None:
    text = unchanged_text([("chat", "service level"), ("chat", "AHT (s)"),
                           ("email", "AHT (s)"), ("chat_team", "occupancy")],
                          {"chat": 2, "email": 4, "chat_team": 1})
    assert text == "chat, email AHT (s), chat_team occupancy: no change"
