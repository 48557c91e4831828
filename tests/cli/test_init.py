"""``ccsim init``: a commented starting scenario that passes ``check`` and runs, for many
centres; never written over a file unless asked; bad options named with exit 2."""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from simulator.cli import app
from tests.text import says

runner = CliRunner()
SHORT = ["--set", "run.days=1", "--set", "run.replications=2", "--workers", "1"]


def init(out: Path, *options: str) -> Any:
    return runner.invoke(app, ["init", str(out), *options])


#: (options, what the scenario must then say: channel -> volume per day, open days, wage)
CENTRES: list[tuple[list[str], dict[str, Any]]] = [
    ([], {"volumes": {"voice": 2000}, "days": ["mon", "tue", "wed", "thu", "fri"]}),
    (["--channels", "voice,chat,email", "--volume-per-day", "voice=4000,chat=1200",
      "--aht-seconds", "voice=360,chat=600,email=300", "--hours", "08:00-20:00",
      "--open-days", "mon-sat", "--hourly-wage", "22", "--shrinkage", "0.3", "--agents", "60"],
     {"volumes": {"voice": 4000, "chat": 1200, "email": 400},
      "days": ["mon", "tue", "wed", "thu", "fri", "sat"], "wage": 22}),
    (["--channels", "chat", "--volume-per-day", "300", "--agents", "auto"],
     {"volumes": {"chat": 300}}),
    (["--channels", "email", "--volume-per-day", "150", "--agents", "3",
      "--open-days", "mon,wed,fri"], {"volumes": {"email": 150}, "days": ["mon", "wed", "fri"]}),
    (["--channels", "voice,social", "--volume-per-day", "voice=500,social=80",
      "--agents", "voice=12,social=2", "--currency", "EUR", "--hourly-wage", "18.5"],
     {"volumes": {"voice": 500, "social": 80}, "wage": 18.5, "currency": "EUR"}),
    (["--hours", "07:45-19:15", "--volume-per-day", "800", "--agents", "14"],
     {"volumes": {"voice": 800}, "interval": 15}),
    (["--open-days", "mon-fri,sun", "--volume-per-day", "700", "--agents", "10",
      "--shrinkage", "0"], {"volumes": {"voice": 700},
                            "days": ["mon", "tue", "wed", "thu", "fri", "sun"]}),
    (["--channels", "email,voice", "--volume-per-day", "600", "--aht-seconds", "240",
      "--agents", "voice=9,email=4", "--hours", "09:00-17:00"],
     {"volumes": {"voice": 600, "email": 600}}),
    (["--channels", "voice,chat", "--volume-per-day", "voice=300,chat=100",
      "--agents", "auto", "--shrinkage", "0.35", "--currency", "GBP"],
     {"volumes": {"voice": 300, "chat": 100}, "currency": "GBP"}),
    (["--channels", "voice,chat,email,social", "--agents", "25", "--hourly-wage", "0",
      "--name", "Four ways in"], {"volumes": {"voice": 2000, "chat": 600, "email": 400,
                                              "social": 200}, "wage": 0}),
]


@pytest.mark.parametrize(("options", "expect"), CENTRES,
                         ids=[f"centre{i}" for i in range(len(CENTRES))])
def test_init_writes_a_scenario_that_checks_and_runs(tmp_path: Path, options: list[str],
                                                     expect: dict[str, Any]) -> None:
    out = tmp_path / "my_centre.toml"
    result = init(out, *options)
    assert result.exit_code == 0, result.output
    assert says(result.stdout, f"next: ccsim run {out}")
    checked = runner.invoke(app, ["check", str(out)])
    assert checked.exit_code == 0, checked.output
    assert says(checked.stdout, f"{out}: ok")
    ran = runner.invoke(app, ["run", str(out), *SHORT, "--format", "json"])
    assert ran.exit_code == 0, ran.output
    document = json.loads(ran.stdout)
    config = document["provenance"]["configuration"]
    assert {c["name"]: c["volume_per_day"] for c in config["channels"]} == expect["volumes"]
    assert set(document["channels"]) == set(expect["volumes"])
    assert config["hours"]["open_days"] == expect.get("days", ["mon", "tue", "wed", "thu", "fri"])
    assert config["hours"]["interval_minutes"] == expect.get("interval", 30)
    assert config["costs"]["currency"] == expect.get("currency", "USD")
    assert {g["hourly_wage"] for g in config["agent_groups"]} == {expect.get("wage", 20)}
    assert set(config["targets"]) == set(expect["volumes"])  # targets for every channel
    for channel in expect["volumes"]:  # the centre served its customers
        assert document["channels"][channel]["answered"]["mean"] > 0, channel
    assert document["cost"]["per_contact"]["mean"] > 0  # with on-costs, seats and prices


def test_every_section_and_figure_is_explained(tmp_path: Path) -> None:
    """A comment before every table, a unit or the option on every figure line."""
    out = tmp_path / "c.toml"
    assert init(out, "--channels", "voice,chat,email", "--volume-per-day", "voice=4000",
                "--hourly-wage", "22").exit_code == 0
    text = out.read_text(encoding="utf-8")
    lines = text.splitlines()
    headers = [i for i, line in enumerate(lines) if line.startswith("[")]
    assert len(headers) >= 15  # scenario, run, hours, 3 channels, 3 types, 3 groups, ...
    firsts: dict[str, int] = {}
    for i in headers:
        firsts.setdefault(lines[i].strip("[]").split(".")[0], i)
    assert set(firsts) == {"scenario", "run", "hours", "channels", "contact_types",
                           "agent_groups", "targets", "costs", "report"}
    for name, i in firsts.items():  # each kind of table explained where it first appears
        assert lines[i - 1].startswith("# "), name
    for i in headers:  # and every channel, type and team
        if lines[i].startswith("[["):
            assert lines[i - 1].startswith("# "), lines[i]
    figures = [line for line in lines if re.match(r"^[a-z_]+ = [0-9{]", line)]
    assert len(figures) > 30
    assert all("#" in line for line in figures), [line for line in figures if "#" not in line]
    assert "volume_per_day = 4000  # contacts per open day (--volume-per-day)" in text
    assert "volume_per_day = 600  # contacts per open day (GUESS" in text  # chat: not given
    assert "hourly_wage = 22  # USD per paid hour, before on-costs (--hourly-wage)" in text
    assert re.search(r"handle_time = .*# seconds", text)
    for table in ("targets.voice", "targets.chat", "targets.email"):
        assert f"[{table}]" in text
    assert tomllib.loads(text)["targets"]["voice"]["service_level"] == 0.8


def test_init_never_writes_over_a_file_unless_forced(tmp_path: Path) -> None:
    out = tmp_path / "mine.toml"
    out.write_text("# my own scenario\n", encoding="utf-8")
    result = init(out)
    assert result.exit_code == 2
    assert says(result.output, f"{out}: exists; ccsim init never writes over a file")
    assert says(result.output, "--force")
    assert "Traceback" not in result.output
    assert out.read_text(encoding="utf-8") == "# my own scenario\n"
    assert init(out, "--force").exit_code == 0
    assert "ccsim init" in out.read_text(encoding="utf-8")


@pytest.mark.parametrize("kind", ["folder", "symlink"])
def test_init_refuses_what_is_not_a_regular_file_even_forced(tmp_path: Path, kind: str) -> None:
    target = tmp_path / "target.toml"
    target.write_text("# keep\n", encoding="utf-8")
    out = tmp_path / "out.toml"
    if kind == "folder":
        out.mkdir()
    else:
        out.symlink_to(target)
    result = init(out, "--force")
    assert result.exit_code == 2
    assert says(result.output, "exists and is not a regular file")
    assert target.read_text(encoding="utf-8") == "# keep\n"


@pytest.mark.parametrize(("options", "phrase"), [
    (["--channels", "fax"], "--channels: unknown channel fax; allowed: voice, chat, email, social"),
    (["--channels", "voice", "--volume-per-day", "chat=10"], "--volume-per-day: 'chat=10': give "
     "CHANNEL=VALUE for a channel of --channels (voice)"),
    (["--volume-per-day", "lots"], "--volume-per-day: voice=lots: not a number"),
    (["--aht-seconds", "0"], "--aht-seconds: voice=0: must be more than 0"),
    (["--hours", "8-20"], "--hours: '8-20': give OPEN-CLOSE as HH:MM-HH:MM"),
    (["--hours", "20:00-08:00"], "closing after opening"),
    (["--open-days", "funday"], "--open-days: 'funday': give weekdays (mon, tue"),
    (["--agents", "many"], '--agents: voice=many: a whole number of agents from 1 to 100,000, '
     'or "auto"'),
    (["--shrinkage", "1.5"], "--shrinkage"),
    (["--currency", "US D"], "--currency: 'US D': give a code of 1 to 8 characters"),
    (["--agents", "1", "--shrinkage", "0.6"], "no agent on the floor can answer 'voice'"),
])
def test_bad_options_are_named_with_exit_2_and_nothing_written(
        tmp_path: Path, options: list[str], phrase: str) -> None:
    out = tmp_path / "c.toml"
    result = init(out, *options)
    assert result.exit_code == 2, result.output
    assert says(result.output, phrase), result.output
    assert "Traceback" not in result.output
    assert not out.exists()


def test_help_says_where_to_start() -> None:
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    assert says(result.output, "New here? ccsim init my_centre.toml")
    assert says(result.output, "then ccsim run my_centre.toml")
