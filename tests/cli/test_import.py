"""``ccsim import``: exports in, a scenario out that passes ``check`` and runs; what it found
and dropped printed; never written over a file unless asked; a bad export is exit 2 naming
the file, row and column, with nothing written."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from typer.testing import CliRunner

from simulator.cli import app
from simulator.history.writing import SCHEMA_HAS_BUSYNESS_CV
from tests.history.exports import HEADER, Truth, rows, write
from tests.text import says

runner = CliRunner()
SHORT = ["--set", "run.days=1", "--set", "run.replications=2", "--workers", "1"]
TRUTHS = {"Sales": Truth(volume_per_day=300), "Web Chat": Truth(volume_per_day=120,
                                                                 handle_mean=500)}


@pytest.fixture(scope="module")
def export(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("exports")
    data = rows(TRUTHS, np.random.default_rng(21), weeks=4)
    data = [r for r in data if r[0][:10] != "2026-03-10"] + [
        r for r in data if r[0].startswith("2026-03-10") and r[0][11:] < "12:00"]
    return write(folder / "export.csv", data)


def ccsim(*args: str | Path) -> Any:
    return runner.invoke(app, [str(a) for a in args])


def test_an_export_becomes_a_scenario_that_checks_and_runs(export: Path, tmp_path: Path) -> None:
    out = tmp_path / "centre.toml"
    result = ccsim("import", export, "--out", out)
    assert result.exit_code == 0, result.output
    for phrase in ["2 queue(s), 2026-03-02 to 2026-03-28, 30-minute intervals",
                   "2026-03-10 (Tuesday), queue 'Sales': partial day: 8 of the 24 intervals",
                   "Sales -> channel sales (voice)", "Web Chat -> channel web_chat (chat)",
                   "patience", "abandoned ÷ total wait", "fit: dispersion", "busyness cv",
                   f"wrote {out}"]:
        assert says(result.output, phrase), phrase
    data = tomllib.loads(out.read_text(encoding="utf-8"))
    assert "extends" not in data
    assert [c["name"] for c in data["channels"]] == ["sales", "web_chat"]
    assert [c["kind"] for c in data["channels"]] == ["voice", "chat"]
    assert [t["share"] for t in data["contact_types"]] == [1.0, 1.0]
    groups = {g["name"]: g for g in data["agent_groups"]}
    assert set(groups) == {"sales_agents", "web_chat_agents"}
    assert groups["sales_agents"]["shrinkage"] == 0.0
    assert "hourly_wage" not in groups["sales_agents"]
    assert sorted(groups["sales_agents"]["agents"]) == ["fri", "mon", "sat", "thu", "tue", "wed"]
    assert data["hours"] == {"open": "08:00", "close": "20:00", "interval_minutes": 30,
                             "open_days": ["mon", "tue", "wed", "thu", "fri", "sat"]}
    text = out.read_text(encoding="utf-8")
    assert f"source: {export}" in text
    assert "partial day" in text
    assert ("\nbusyness_cv = " if SCHEMA_HAS_BUSYNESS_CV else "\n# busyness_cv = ") in text
    assert ccsim("check", out).exit_code == 0
    run = ccsim("run", out, *SHORT)
    assert run.exit_code == 0, run.output


def test_without_agents_the_groups_are_auto_with_targets_and_wages_when_given(
        export: Path, tmp_path: Path) -> None:
    lines = export.read_text(encoding="utf-8").splitlines()
    plain = tmp_path / "no_agents.csv"
    plain.write_text("\n".join(line.rsplit(",", 1)[0] for line in lines) + "\n", encoding="utf-8")
    out = tmp_path / "auto.toml"
    result = ccsim("import", plain, "--out", out, "--target", "90/30", "--hourly-wage", "21.5",
                   "--kind", "Web Chat=voice")
    assert result.exit_code == 0, result.output
    data = tomllib.loads(out.read_text(encoding="utf-8"))
    assert {g["agents"] for g in data["agent_groups"]} == {"auto"}
    assert {g["hourly_wage"] for g in data["agent_groups"]} == {21.5}
    assert data["targets"]["sales"]["service_level"] == 0.9
    assert {c["service_level_seconds"] for c in data["channels"]} == {30.0}
    assert [c["kind"] for c in data["channels"]] == ["voice", "voice"]
    assert ccsim("check", out).exit_code == 0


def test_the_out_file_is_never_written_over_without_force(export: Path, tmp_path: Path) -> None:
    out = tmp_path / "centre.toml"
    out.write_text("# mine\n", encoding="utf-8")
    result = ccsim("import", export, "--out", out)
    assert result.exit_code == 2
    assert says(result.output, f"{out}: exists; ccsim import never writes over a file")
    assert out.read_text(encoding="utf-8") == "# mine\n"
    assert ccsim("import", export, "--out", out, "--force").exit_code == 0
    assert out.read_text(encoding="utf-8").startswith("# Imported by `ccsim import`")
    result = ccsim("import", export, "--out", export, "--force")
    assert result.exit_code == 2
    assert says(result.output, "is an export of this command")


@pytest.mark.parametrize(("row", "phrase"), [
    ("2026-03-02 08:30,Sales,-4,1,0,300,20,1,3", "row 3, column 'Calls Offered' (offered): "
     "'-4' is negative"),
    ("2026-03-02 09:30,Sales,4,1,0,300,20,1,3", "row 3, column 'Interval Start': missing "
     "intervals inside a day: queue 'Sales' has no row for 2026-03-02 08:30 to 09:30"),
    ("2026-03-02 08:30,Sales,4,5,0,300,20,1,3", "row 3, column 'Handled' (answered): more "
     "answered than offered"),
])
def test_a_bad_export_is_exit_2_with_file_row_and_column(tmp_path: Path, row: str,
                                                         phrase: str) -> None:
    path = write(tmp_path / "bad.csv", [
        ["2026-03-02 08:00", "Sales", "4", "3", "1", "300", "20", "3", "3"], row.split(","),
        ["2026-03-02 08:00", "Billing", "4", "3", "1", "300", "20", "3", "3"],
        ["2026-03-02 08:30", "Billing", "4", "3", "1", "300", "20", "3", "3"]], HEADER)
    out = tmp_path / "x.toml"
    result = ccsim("import", path, "--out", out)
    assert result.exit_code == 2, result.output
    assert says(result.output, f"{path}: {phrase}"), result.output
    assert "Traceback" not in result.output
    assert not out.exists()


def test_bad_options_are_exit_2(export: Path, tmp_path: Path) -> None:
    out = tmp_path / "x.toml"
    for options, phrase in [
        (["--target", "80%"], "--target '80%': give PERCENT/SECONDS"),
        (["--target", "80/20", "--threshold-seconds", "30"], "differ from --threshold-seconds"),
        (["--kind", "Sales=fax"], "'fax' is not a channel kind"),
        (["--kind", "Nope=chat"], "--kind Nope=...: no such queue"),
        (["--column", "offered"], "--column 'offered': give NAME=VALUE"),
        (["--column", "offerd=Calls Offered"], "unknown name 'offerd'"),
        (["--column", "Queue=Queue"], "unknown name 'Queue'"),
        (["--concurrency", "Sales=2"], "Sales is a voice queue; only chat and social"),
        (["--concurrency", "Nope=2"], "--concurrency Nope=...: no such queue"),
        (["--concurrency", "Web Chat=11"], "give a whole number 1-10"),
        (["--concurrency", "web_chat=two"], "give a whole number 1-10"),
    ]:
        result = ccsim("import", export, "--out", out, *options)
        assert result.exit_code == 2, (options, result.output)
        assert says(result.output, phrase), (options, result.output)
        assert not out.exists()


def test_an_unknown_column_is_exit_2_until_mapped_or_ignored(export: Path, tmp_path: Path
                                                             ) -> None:
    lines = export.read_text(encoding="utf-8").splitlines()
    extra = tmp_path / "extra.csv"
    extra.write_text("\n".join([lines[0] + ",Max Delay", *(line + ",12" for line in lines[1:])])
                     + "\n", encoding="utf-8")
    out = tmp_path / "x.toml"
    result = ccsim("import", extra, "--out", out)
    assert result.exit_code == 2
    assert says(result.output, f"{extra}: row 1, column 10 'Max Delay': unknown column")
    assert not out.exists()
    assert ccsim("import", extra, "--out", out, "--column", "ignore=Max Delay").exit_code == 0
    renamed = tmp_path / "renamed.csv"
    renamed.write_text("\n".join([lines[0].replace("Calls Offered", "Presented"), *lines[1:]])
                       + "\n", encoding="utf-8")
    result = ccsim("import", renamed, "--out", tmp_path / "y.toml", "--column",
                   'offered="Presented"')
    assert result.exit_code == 0, result.output


def test_a_queue_name_with_terminal_escapes_is_printed_escaped(tmp_path: Path) -> None:
    data = rows({"\x1b[2JSales": Truth(volume_per_day=200)}, np.random.default_rng(8), weeks=1)
    path = write(tmp_path / "e.csv", data)
    out = tmp_path / "x.toml"
    result = ccsim("import", path, "--out", out)
    assert result.exit_code == 0, result.output
    assert "\x1b" not in result.output
    assert says(result.output, "\\x1b[2JSales -> channel q_2jsales (voice)")
    assert "\x1b" not in out.read_text(encoding="utf-8")
    assert ccsim("check", out).exit_code == 0


def test_an_option_given_twice_is_exit_2(export: Path, tmp_path: Path) -> None:
    out = tmp_path / "x.toml"
    result = ccsim("import", export, "--out", out, "--kind", "Sales=chat", "--kind", "Sales=voice")
    assert result.exit_code == 2
    assert says(result.output, "--kind 'Sales=voice': Sales given twice")
    result = ccsim("import", export, "--out", out, "--column", "offered=Calls Offered",
                   "--column", "offered=Offered")
    assert result.exit_code == 2
    assert says(result.output, "offered given twice")
    assert not out.exists()


def test_concurrency_is_written_for_the_chat_queue_given(export: Path, tmp_path: Path) -> None:
    """Exports do not say how many chats an agent carries: --concurrency does, by the queue's
    name in the export or its channel's; without it the file says 1 was assumed."""
    for given in ("Web Chat=3", "web_chat=3"):
        out = tmp_path / f"{given[:3]}.toml"
        result = ccsim("import", export, "--out", out, "--concurrency", given)
        assert result.exit_code == 0, result.output
        text = out.read_text(encoding="utf-8")
        chat = {c["name"]: c for c in tomllib.loads(text)["channels"]}["web_chat"]
        assert chat["concurrency"] == 3
        assert "1 contact per agent assumed" not in text
    plain = tmp_path / "plain.toml"
    assert ccsim("import", export, "--out", plain).exit_code == 0
    text = plain.read_text(encoding="utf-8")
    assert "1 contact per agent assumed (--concurrency QUEUE=N)" in text
    assert all("concurrency" not in c for c in tomllib.loads(text)["channels"])
