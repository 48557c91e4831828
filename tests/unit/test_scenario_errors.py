"""Bad scenario files: one clear line per problem, naming file, key path and what is allowed.

SPEC §3: ``FILE: key.path: message``, exit code 2 from the command line, no traceback. Each
case starts from the canonical ``scenarios/erlang_a.toml`` and breaks one thing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from typer.testing import CliRunner

from simulator.cli import app
from simulator.spec import schema as config
from simulator.spec.distributions import DIST_NAMES, Empirical
from simulator.spec.layers import ScenarioError, load_scenario
from tests.text import says, unwrapped

CANONICAL = (Path(__file__).resolve().parents[2] / "scenarios" / "erlang_a.toml").read_text(
    encoding="utf-8"
)
PATIENCE = '{ dist = "exponential", mean = 180 }'
HANDLE = '{ dist = "exponential", mean = 300 }'
#: Words from pydantic's own vocabulary that must never reach a user.
INTERNAL = ("union_tag", "Input should", "Value error", "[key]", "after validation",
            "Field required", "Extra inputs", "pydantic", "type=", "Traceback")
_TAG_IN_PATH = re.compile(rf"\.({'|'.join(DIST_NAMES)})[.:\[]")


def edit(old: str, new: str, text: str = CANONICAL) -> str:
    """``text`` with the one occurrence of ``old`` replaced (fails loudly if it is not there)."""
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times"
    return text.replace(old, new)


def no_internals(lines: list[str]) -> None:
    for line in lines:
        for word in INTERNAL:
            assert word not in line, line
        assert not _TAG_IN_PATH.search(line.split(": ")[1] + ":"), line


@dataclass(frozen=True)
class Bad:
    """A broken scenario and the problem line it must give.

    The line must start with ``FILE: KEY: `` (``FILE: `` when ``key`` is None) and contain
    every fragment of ``says``; ``{tmp}`` in a fragment is the test's folder. ``lines`` is how
    many problems the file has in all (more than one only where a second one is a true,
    separate consequence).
    """

    text: str | bytes
    key: str | None
    says: tuple[str, ...]
    lines: int = 1
    files: dict[str, str] = field(default_factory=dict)
    where: str = "x.toml"  # the file the line must name
    overrides: tuple[str, ...] = ()


#: a list of agents for every interval of the canonical file's open day (24 h of 30 minutes)
DAY_OF_50 = "[" + ", ".join(["50"] * 48) + "]"
TOTAL_TOO_MANY = edit("days = 5 ", "days = 300 ",
                      edit("volume_per_day = 14400", "volume_per_day = 9000000"))
ANOTHER_TYPE = """
[[contact_types]]
name = "billing"
channel = "voice"
share = 0.5
handle_time = { dist = "fixed", value = 30 }
"""

TEMPLATE = """
[[shift_templates]]
name = "day"
length_hours = 8
starts = ["07:00", "08:00"]
breaks = [{ minutes = 30, earliest = "02:00", latest = "04:00" },
          { minutes = 30, earliest = "05:00", latest = "06:00" }]
"""

CASES: dict[str, Bad] = {
    # ------------------------------------------------------------------ not a scenario at all
    "not-toml": Bad(edit("days = 5 ", "days = = 5 "), None, ("not valid TOML", "line 5")),
    "not-utf8-binary": Bad(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", None,
                           ("not a UTF-8 text file", "0x89")),
    "not-utf8-latin1": Bad(edit("check", "check \xe9").encode("latin-1"), None,
                           ("not a UTF-8 text file", "0xe9")),
    "empty": Bad("", None, ("empty scenario file", "[scenario]", "[[channels]]")),
    "only-comments": Bad("# nothing here yet\n\n", None, ("empty scenario file",)),
    "table-not-array": Bad(edit("[[channels]]", "[channels]"), "channels",
                           ("must be an array of tables", "[[channels]]")),
    "missing-section": Bad(edit('[scenario]\nname = "Single queue, Erlang A check"\n', ""),
                           "scenario", ("required key is missing", "[scenario]")),
    # ------------------------------------------------------------------ unknown keys
    "unknown-top-level": Bad("colour = 1\n" + CANONICAL, "colour",
                             ("unknown key 'colour'",
                              "allowed here: scenario, run, hours, channels, contact_types")),
    "unknown-nested-typo": Bad(
        edit("volume_per_day", "volum_per_day"), "channels[0].volum_per_day",
        ("unknown key 'volum_per_day'", "did you mean 'volume_per_day'",
         "allowed here: name, kind, volume_per_day, profile"),
        lines=2,  # and channels[0].volume_per_day is missing
    ),
    "unknown-in-distribution": Bad(
        edit(PATIENCE, '{ dist = "lognormal", mean = 180, cv = 0.5, sd = 90 }'),
        "channels[0].patience.sd", ("unknown key 'sd'", "allowed here: dist, mean, cv")),
    "unknown-in-targets": Bad(CANONICAL + "\n[targets.voice]\nservice_levl = 0.8\n",
                              "targets.voice.service_levl",
                              ("unknown key", "did you mean 'service_level'",
                               "allowed here: service_level, max_abandon_rate")),
    # ------------------------------------------------------------------ wrong types
    "string-for-number": Bad(edit("volume_per_day = 14400", 'volume_per_day = "lots"'),
                             "channels[0].volume_per_day", ("must be a number", "got 'lots'")),
    "quoted-number": Bad(edit("volume_per_day = 14400", 'volume_per_day = "14400"'),
                         "channels[0].volume_per_day", ("must be a number", "got '14400'")),
    "boolean-for-count": Bad(edit("replications = 10", "replications = true"),
                             "run.replications", ("must be a whole number", "got true")),
    "fraction-for-count": Bad(edit("replications = 10", "replications = 2.5"),
                              "run.replications", ("must be a whole number", "got 2.5")),
    "number-for-time": Bad(edit('open = "00:00"', "open = 8"), "hours.open",
                           ("must be text", "got 8")),
    "string-for-distribution": Bad(edit(PATIENCE, '"exponential"'), "channels[0].patience",
                                   ('must be a table like { dist = "exponential"',
                                    "got 'exponential'")),
    "string-for-list": Bad(edit('skills = ["general"]', 'skills = "general"'),
                           "agent_groups[0].skills", ("must be a list", "got 'general'")),
    "bad-name": Bad(edit('name = "agents"', 'name = "the agents"'), "agent_groups[0].name",
                    ("letters, digits", "got 'the agents'")),
    "bad-literal": Bad(edit('close = "24:00"', 'close = "24:00"\ninterval_minutes = 20'),
                       "hours.interval_minutes", ("must be one of 15, 30 or 60", "got 20")),
    # ------------------------------------------------------------------ out of range
    "negative-mean": Bad(edit("mean = 180", "mean = -5"), "channels[0].patience.mean",
                         ("must be > 0, got -5",)),
    "zero-mean": Bad(edit("mean = 300", "mean = 0"), "contact_types[0].handle_time.mean",
                     ("must be > 0, got 0",)),
    "negative-volume": Bad(edit("volume_per_day = 14400", "volume_per_day = -1"),
                           "channels[0].volume_per_day", ("must be >= 0, got -1",)),
    "nan": Bad(edit("volume_per_day = 14400", "volume_per_day = nan"),
               "channels[0].volume_per_day", ("must be a finite number, got nan",)),
    "inf": Bad(edit("mean = 180", "mean = inf"), "channels[0].patience.mean",
               ("must be a finite number, got inf",)),
    "minus-inf": Bad(edit("days = 5 ", "days = -inf "), "run.days",
                     ("must be a finite number, got -inf",)),
    "share-above-one": Bad(edit('channel = "voice"', 'channel = "voice"\nshare = 1.5'),
                           "contact_types[0].share", ("must be <= 1, got 1.5",)),
    "empty-name": Bad(edit('name = "Single queue, Erlang A check"', 'name = ""'),
                      "scenario.name", ("must not be empty",)),
    "empty-skills": Bad(edit('skills = ["general"]', "skills = []"), "agent_groups[0].skills",
                        ("needs at least 1 entry, got 0",)),
    # ------------------------------------------------------------------ cross references
    "shares-do-not-add-up": Bad(edit('channel = "voice"', 'channel = "voice"\nshare = 0.6'),
                                "contact_types",
                                ("shares on channel 'voice' must add up to 1, got 0.6",)),
    "type-on-missing-channel": Bad(
        edit('channel = "voice"', 'channel = "phone"'), "contact_types[0].channel",
        ("unknown channel 'phone'; known: voice",),
        lines=2,  # and channel 'voice' is left with no contact types
    ),
    "unknown-skill": Bad(edit('skills = ["general"]', 'skills = ["general", "billing"]'),
                         "agent_groups[0].skills[1]",
                         ("unknown contact type 'billing'; known: general",)),
    "type-nobody-serves": Bad(
        edit('channel = "voice"', 'channel = "voice"\nshare = 0.5') + ANOTHER_TYPE,
        "contact_types[1]", ("no agent group has the skill 'billing'",)),
    "targets-unknown-channel": Bad(CANONICAL + "\n[targets.phone]\nservice_level = 0.8\n",
                                   "targets.phone", ("unknown channel 'phone'; known: voice",)),
    "targets-bad-key": Bad(CANONICAL + '\n[targets."1x"]\nservice_level = 0.8\n',
                           "targets.1x", ("letters, digits", "got '1x'")),
    # ------------------------------------------------------------------ times of day
    "hour-25": Bad(edit('close = "24:00"', 'close = "25:00"'), "hours.close",
                   ('must be a time of day "HH:MM" from "00:00" to "24:00"', "got '25:00'")),
    "time-8am": Bad(edit('open = "00:00"', 'open = "8am"'), "hours.open",
                    ('must be a time of day "HH:MM"', "got '8am'")),
    "close-before-open": Bad(edit('open = "00:00"\nclose = "24:00"',
                                  'open = "20:00"\nclose = "08:00"'),
                             "hours.close", ("must be after open (20:00), got 08:00",)),
    "hours-off-interval": Bad(edit('open = "00:00"', 'open = "08:10"'), "hours",
                              ("30-minute interval boundaries", "got 08:10-24:00")),
    "shift-ends-before-start": Bad(
        edit("agents = 50", 'shifts = [{ start = "09:00", end = "08:00", agents = 5 }]'),
        "agent_groups[0].shifts[0].end", ("must be after start (09:00), got 08:00",)),
    # ------------------------------------------------------------------ extends
    "extends-cycle": Bad('extends = "b.toml"\n' + CANONICAL, "extends",
                         ("cycle", "{tmp}/x.toml -> {tmp}/b.toml -> {tmp}/x.toml"),
                         files={"b.toml": 'extends = "x.toml"\n' + CANONICAL},
                         where="b.toml"),
    "extends-itself": Bad('extends = "x.toml"\n' + CANONICAL, "extends",
                          ("cycle", "{tmp}/x.toml -> {tmp}/x.toml")),
    "extends-missing-file": Bad('extends = "baseline.toml"\n' + CANONICAL, "extends",
                                ("file not found", "{tmp}/baseline.toml")),
    "extends-not-a-string": Bad("extends = 3\n" + CANONICAL, "extends",
                                ("must be a file name", "got 3")),
    "extends-bad-parent": Bad('extends = "base.toml"\n[run]\ndays = 3\n', None,
                              ("not valid TOML",), files={"base.toml": "[run\n"},
                              where="base.toml"),
    # ------------------------------------------------------------------ distributions
    "unknown-dist": Bad(edit(PATIENCE, '{ dist = "weibull", mean = 180 }'),
                        "channels[0].patience.dist",
                        ("must be one of exponential, lognormal, gamma, uniform, fixed, "
                         "empirical", "got 'weibull'")),
    "dist-missing": Bad(edit(PATIENCE, "{ mean = 180 }"), "channels[0].patience.dist",
                        ("required key is missing", "exponential, lognormal")),
    "lognormal-without-cv": Bad(edit(PATIENCE, '{ dist = "lognormal", mean = 180 }'),
                                "channels[0].patience.cv", ("required key is missing",)),
    "gamma-negative-cv": Bad(edit(HANDLE, '{ dist = "gamma", mean = 300, cv = -1 }'),
                             "contact_types[0].handle_time.cv", ("must be > 0, got -1",)),
    "uniform-high-below-low": Bad(edit(PATIENCE, '{ dist = "uniform", low = 40, high = 20 }'),
                                  "channels[0].patience.high",
                                  ("must be greater than low (40), got 20",)),
    "uniform-high-equals-low": Bad(edit(PATIENCE, '{ dist = "uniform", low = 40, high = 40 }'),
                                   "channels[0].patience.high",
                                   ("must be greater than low (40), got 40",)),
    "empirical-csv-missing": Bad(edit(HANDLE, '{ dist = "empirical", file = "aht.csv" }'),
                                 "contact_types[0].handle_time.file",
                                 ("file not found", "{tmp}/aht.csv")),
    "empirical-not-a-number": Bad(edit(HANDLE, '{ dist = "empirical", file = "aht.csv" }'),
                                  "contact_types[0].handle_time.file",
                                  ("{tmp}/aht.csv", "row 3", "not a number: 'n/a'"),
                                  files={"aht.csv": "seconds\n300\nn/a\n240\n"}),
    "empirical-no-rows": Bad(edit(HANDLE, '{ dist = "empirical", file = "aht.csv" }'),
                             "contact_types[0].handle_time.file",
                             ("{tmp}/aht.csv", "holds no observations"),
                             files={"aht.csv": "seconds\n"}),
    "empirical-without-file": Bad(edit(HANDLE, '{ dist = "empirical" }'),
                                  "contact_types[0].handle_time.file",
                                  ("required key is missing",)),
    # ------------------------------------------------------------------ absurd sizes
    "trillion-agents": Bad(edit("agents = 50", "agents = 1000000000000"),
                           "agent_groups[0].agents",
                           (f"from 0 to {config.MAX_AGENTS}", "got 1000000000000")),
    "trillion-volume": Bad(edit("volume_per_day = 14400", "volume_per_day = 1e12"),
                           "channels[0].volume_per_day",
                           (f"must be <= {int(config.MAX_VOLUME_PER_DAY)}",
                            "got 1000000000000.0")),
    "million-days": Bad(edit("days = 5 ", "days = 1e6 "), "run.days",
                        (f"must be <= {int(config.MAX_DAYS)}", "got 1000000.0")),
    "too-many-contacts": Bad(TOTAL_TOO_MANY, "run",
                             ("2.7e+10 contacts", "more than this tool simulates",
                              f"({config.MAX_TOTAL_CONTACTS:.0e})")),
    # ------------------------------------------------------------------ run and staffing
    "warmup-longer-than-run": Bad(edit("warmup_hours = 2", "warmup_hours = 200"),
                                  "run.warmup_hours",
                                  ("must be shorter than the run (120 hours), got 200",)),
    "agents-list-wrong-length": Bad(edit("agents = 50", "agents = [50, 50, 50]"),
                                    "agent_groups[0].agents",
                                    ("one number per 30-minute interval", "(48), got 3")),
    "agents-and-shifts": Bad(
        edit("agents = 50", 'agents = 50\nshifts = [{ start = "00:00", end = "24:00", '
                            "agents = 50 }]"),
        "agent_groups[0]", ("give exactly one of agents", "and shifts")),
    "neither-agents-nor-shifts": Bad(edit("agents = 50\n", ""), "agent_groups[0]",
                                     ("give exactly one of agents",)),
    "agents-table-bad-weekday": Bad(edit("agents = 50", f"agents = {{ monday = {DAY_OF_50} }}"),
                                    "agent_groups[0].agents.monday",
                                    ("unknown key 'monday'", "did you mean 'mon'",
                                     "allowed here: mon, tue, wed, thu, fri, sat, sun")),
    "agents-table-not-a-list": Bad(edit("agents = 50", "agents = { mon = 50 }"),
                                   "agent_groups[0].agents.mon",
                                   ("must be a list of whole numbers of agents", "got 50")),
    "agents-table-wrong-length": Bad(edit("agents = 50", "agents = { mon = [50, 50, 50] }"),
                                     "agent_groups[0].agents.mon",
                                     ("one number per 30-minute interval", "(48), got 3")),
    "agents-table-closed-day": Bad(
        edit('close = "24:00"', 'close = "24:00"\nopen_days = ["mon", "tue", "wed", "thu", "fri"]',
             edit("agents = 50", f"agents = {{ mon = {DAY_OF_50}, sat = {DAY_OF_50} }}")),
        "agent_groups[0].agents.sat",
        ("sat is not an open day", "(hours.open_days: mon, tue, wed, thu, fri)")),
    # ------------------------------------------------------------------ shift templates
    "template-break-time": Bad(CANONICAL + edit('latest = "06:00"', 'latest = "6pm"', TEMPLATE),
                               "shift_templates[0].breaks[1].latest",
                               ('must be "HH:MM" from "00:00" to "24:00"', "got '6pm'")),
    "template-breaks-out-of-order": Bad(
        CANONICAL + edit('earliest = "05:00"', 'earliest = "03:00"', TEMPLATE),
        "shift_templates[0].breaks[1].earliest",
        ("must not be before the window of breaks[0] ends (04:00), got 03:00",)),
    "template-break-past-the-end": Bad(
        CANONICAL + edit('latest = "06:00"', 'latest = "09:00"', TEMPLATE),
        "shift_templates[0].breaks[1].latest",
        ("must be before the end of the 8 h shift (09:00 after its start)", "got 09:00")),
    "template-off-the-grid": Bad(CANONICAL + edit("minutes = 30, earliest = \"05:00\"",
                                                  "minutes = 20, earliest = \"05:00\"", TEMPLATE),
                                 "shift_templates[0].breaks[1].minutes",
                                 ("20 is not a whole number of 30-minute intervals",)),
    "template-unknown-group": Bad(CANONICAL + TEMPLATE + 'groups = ["sales"]\n',
                                  "shift_templates[0].groups[0]",
                                  ("unknown agent group 'sales'; known: agents",)),
    "template-unknown-key": Bad(CANONICAL + TEMPLATE + "paid_hours = 8\n",
                                "shift_templates[0].paid_hours",
                                ("unknown key 'paid_hours'", "allowed here: name, length_hours")),
    "template-overnight": Bad(CANONICAL + edit('"08:00"]', '"17:00"]', TEMPLATE), "shift_templates[0]",
                              ("starting at 17:00 would end at 02:00 the next day",
                               "overnight shifts are not supported")),
    "template-more-days-than-open": Bad(
        edit('close = "24:00"', 'close = "24:00"\nopen_days = ["mon", "tue", "wed", "thu", "fri"]',
             CANONICAL) + TEMPLATE + 'days = ["fri", "sat", "sun"]\ndays_per_week = 2\n',
        "shift_templates[0].days_per_week", ("2 is more than the template's open days (fri)",)),
    # ------------------------------------------------------------------ --set
    "set-without-equals": Bad(CANONICAL, "--set run.days", ("expected KEY.PATH=VALUE",),
                              overrides=("run.days",)),
    "set-unknown-entry": Bad(CANONICAL, "--set channels.phone.volume_per_day=3",
                             ("channels.phone: no entry named 'phone'; known: voice",),
                             overrides=("channels.phone.volume_per_day=3",)),
    "set-array-without-name": Bad(CANONICAL, "--set agent_groups.agents=55",
                                  ("address an entry by its name",
                                   "agent_groups.agents.KEY=VALUE"),
                                  overrides=("agent_groups.agents=55",)),
    "set-into-a-value": Bad(CANONICAL, "--set run.days.x=3",
                            ("run.days is a value, not a table",),
                            overrides=("run.days.x=3",)),
    "set-empty-key": Bad(CANONICAL, "--set run..days=3", ("bad key path 'run..days'",),
                         overrides=("run..days=3",)),
    "set-bad-value": Bad(CANONICAL, "run.days",
                         ("must be <= 3660", "(from --set run.days=1e6)"),
                         overrides=("run.days=1e6",)),
    "set-unknown-key": Bad(CANONICAL, "run.dayz",
                           ("unknown key 'dayz'", "did you mean 'days'",
                            "(from --set run.dayz=3)"),
                           overrides=("run.dayz=3",)),
    # ------------------------------------------------------------------ levers and routing
    "concurrency-on-voice": Bad(edit('name = "voice"\nvolume', 'name = "voice"\nconcurrency = 2\nvolume'),
                                "channels[0].concurrency", ("is for chat and live social",)),
    "group-mixes-chat-and-calls": Bad(
        CANONICAL + '\n[[channels]]\nname = "chat"\nvolume_per_day = 10\nconcurrency = 3\n'
        '\n[[contact_types]]\nname = "web"\nchannel = "chat"\n'
        'handle_time = { dist = "fixed", value = 300 }\n',
        "agent_groups[0].skills", ("different concurrency", "give the chats a group"),
        overrides=('agent_groups.agents.skills=["general", "web"]',)),
    "email-with-patience": Bad(edit('name = "voice"\nvolume', 'name = "voice"\nkind = "email"\nvolume'),
                               "channels[0]", ("patience", "deferred work", "does not abandon")),
    "lever-on-unknown-channel": Bad(CANONICAL + "\n[self_service.web]\ntry_share = 0.2\n",
                                    "self_service.web", ("unknown channel 'web'", "known: voice")),
    "share-above-one-in-lever": Bad(CANONICAL + "\n[self_service.voice]\ntry_share = 1.5\n",
                                    "self_service.voice.try_share", ("must be <= 1", "1.5")),
    "callback-without-rule": Bad(CANONICAL + '\n[callback]\naccept_share = 0.4\n'
                                 'connect_time = { dist = "fixed", value = 10 }\n',
                                 "callback", ("offer_expected_wait_seconds",
                                              "offer_after_wait_seconds")),
    "overflow-to-group-without-skill": Bad(
        CANONICAL + '\n[[agent_groups]]\nname = "other"\nagents = 1\nskills = ["general"]\n'
        '\n[routing.contact_types.general]\noverflow = [{ group = "nobody", after_seconds = 60 }]\n',
        "routing.contact_types.general.overflow[0].group", ("unknown agent group 'nobody'",)),
    "proficiency-not-a-skill": Bad(edit('skills = ["general"]',
                                        'skills = ["general"]\nproficiency = { billing = 1.2 }'),
                                   "agent_groups[0].proficiency", ("billing", "not skills")),

}

#: The cases also run through ``ccsim check`` and ``ccsim run``.
CLI_CASES = ("not-toml", "not-utf8-binary", "empty", "unknown-nested-typo", "string-for-number",
             "negative-mean", "nan", "share-above-one", "type-on-missing-channel", "hour-25",
             "extends-cycle", "extends-missing-file", "unknown-dist", "empirical-csv-missing",
             "trillion-agents", "too-many-contacts", "warmup-longer-than-run",
             "agents-and-shifts", "agents-table-bad-weekday", "agents-table-closed-day",
             "template-break-time", "template-breaks-out-of-order", "template-unknown-group",
             "set-without-equals", "set-unknown-entry", "set-bad-value")


def write_case(case: Bad, tmp_path: Path) -> Path:
    for name, text in case.files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    path = tmp_path / "x.toml"
    if isinstance(case.text, bytes):
        path.write_bytes(case.text)
    else:
        path.write_text(case.text, encoding="utf-8")
    return path


def expected_start(case: Bad, tmp_path: Path) -> str:
    where = str(tmp_path / case.where)
    return f"{where}: {case.key}: " if case.key else f"{where}: "


def fragments(case: Bad, tmp_path: Path) -> list[str]:
    return [s.replace("{tmp}", str(tmp_path)) for s in case.says]


def matching(lines: list[str], case: Bad, tmp_path: Path) -> list[str]:
    start = expected_start(case, tmp_path)
    says = fragments(case, tmp_path)
    return [ln for ln in lines if ln.startswith(start) and all(s in ln for s in says)]


def problems_of(path: Path, overrides: tuple[str, ...] = ()) -> list[str]:
    with pytest.raises(ScenarioError) as caught:
        load_scenario(path, overrides)
    assert str(caught.value) == "\n".join(caught.value.problems)
    return caught.value.problems


# ---------------------------------------------------------------------------- library
def test_canonical_file_is_valid() -> None:
    """The cases are the canonical file with one thing broken: it must load as written."""
    loaded = load_scenario(Path(__file__).resolve().parents[2] / "scenarios" / "erlang_a.toml")
    assert loaded.scenario.agent_groups[0].agents == 50


@pytest.mark.parametrize("name", list(CASES))
def test_library_reports_file_key_and_reason(name: str, tmp_path: Path) -> None:
    case = CASES[name]
    problems = problems_of(write_case(case, tmp_path), case.overrides)
    assert matching(problems, case, tmp_path), (
        f"no line starting {expected_start(case, tmp_path)!r} with "
        f"{fragments(case, tmp_path)}; got:\n" + "\n".join(problems)
    )
    assert len(problems) == case.lines, "\n".join(problems)
    no_internals(problems)
    for line in problems:
        assert line.startswith(str(tmp_path)), line  # every line names a file
        assert "\n" not in line


def test_at_least_sixteen_kinds() -> None:
    assert len(CASES) >= 16


def test_all_independent_problems_at_once(tmp_path: Path) -> None:
    text = edit("mean = 180", "mean = -5", edit("days = 5 ", 'days = "five" '))
    text = edit("agents = 50", "agents = 1000000000000", text)
    path = tmp_path / "x.toml"
    path.write_text(text, encoding="utf-8")
    problems = problems_of(path)
    assert sorted(problems) == sorted([
        f"{path}: run.days: must be a number, got 'five'",
        f"{path}: channels[0].patience.mean: must be > 0, got -5",
        f"{path}: agent_groups[0].agents: must be a whole number of agents from 0 to "
        f"{config.MAX_AGENTS}, or a list of them (one per interval of the opening hours), "
        'or a table of such lists per weekday ({ mon = [..], sat = [..] }), or "auto", '
        "got 1000000000000",
    ])


def test_all_cross_reference_problems_at_once(tmp_path: Path) -> None:
    text = edit('skills = ["general"]', 'skills = ["general", "billing"]',
                edit('channel = "voice"', 'channel = "voice"\nshare = 0.6'))
    path = tmp_path / "x.toml"
    path.write_text(text, encoding="utf-8")
    problems = problems_of(path)
    assert len(problems) == 2, problems
    assert any(".skills[1]: unknown contact type 'billing'" in p for p in problems)
    assert any("must add up to 1, got 0.6" in p for p in problems)


def test_exact_line_for_the_spec_example(tmp_path: Path) -> None:
    path = tmp_path / "x.toml"
    path.write_text(edit("mean = 180", "mean = -5"), encoding="utf-8")
    assert problems_of(path) == [f"{path}: channels[0].patience.mean: must be > 0, got -5"]


def test_problem_names_the_file_that_sets_the_value(tmp_path: Path) -> None:
    """A bad value inherited through ``extends`` is reported against the parent file."""
    (tmp_path / "base.toml").write_text(edit("mean = 180", "mean = -5"), encoding="utf-8")
    child = tmp_path / "x.toml"
    child.write_text('extends = "base.toml"\n[[channels]]\nname = "voice"\n'
                     "volume_per_day = -1\n", encoding="utf-8")
    assert sorted(problems_of(child)) == sorted([
        f"{tmp_path / 'base.toml'}: channels[0].patience.mean: must be > 0, got -5",
        f"{child}: channels[0].volume_per_day: must be >= 0, got -1",
    ])


# ---------------------------------------------------------------------------- --set
def test_set_addresses_array_of_tables_by_name(tmp_path: Path) -> None:
    path = tmp_path / "x.toml"
    path.write_text(CANONICAL, encoding="utf-8")
    loaded = load_scenario(path, ["agent_groups.agents.agents=55", "run.replications=3",
                                  'channels.voice.patience={ dist = "fixed", value = 30 }'])
    s = loaded.scenario
    assert s.agent_groups[0].agents == 55
    assert s.agent_groups[0].skills == ("general",)
    assert s.run.replications == 3
    assert s.run.days == 5
    assert s.channels[0].patience is not None
    assert s.channels[0].patience.mean == 30
    assert loaded.overrides == ("agent_groups.agents.agents=55", "run.replications=3",
                                'channels.voice.patience={ dist = "fixed", value = 30 }')
    assert load_scenario(path).scenario.agent_groups[0].agents == 50  # the file is untouched


# ---------------------------------------------------------------------------- extends
PARENT_EXTRA = """
[[agent_groups]]
name = "backup"
agents = 5
skills = ["general"]
shrinkage = 0.3
hourly_wage = 21.5
"""


def test_extends_merges_tables_by_key_and_arrays_by_name(tmp_path: Path) -> None:
    parent = tmp_path / "base.toml"
    parent.write_text(edit("agents = 50", "agents = 50\nhourly_wage = 18.0") + PARENT_EXTRA,
                      encoding="utf-8")
    child = tmp_path / "x.toml"
    child.write_text('extends = "base.toml"\n[run]\nreplications = 3\n\n'
                     '[[agent_groups]]\nname = "agents"\nagents = 55\n', encoding="utf-8")
    expected = load_scenario(parent).scenario.model_dump()
    expected["run"]["replications"] = 3
    expected["agent_groups"][0]["agents"] = 55
    loaded = load_scenario(child)
    assert loaded.scenario.model_dump() == expected
    assert loaded.scenario.agent_groups[0].hourly_wage == 18.0  # kept from the parent
    assert [g.name for g in loaded.scenario.agent_groups] == ["agents", "backup"]
    assert loaded.files == (child.resolve(), parent.resolve())


def test_extends_adds_a_new_named_entry(tmp_path: Path) -> None:
    # the new group has a wage, so the file's own group must say its wage too (see below)
    (tmp_path / "base.toml").write_text(edit("agents = 50", "agents = 50\nhourly_wage = 18.0"),
                                        encoding="utf-8")
    child = tmp_path / "x.toml"
    child.write_text('extends = "base.toml"\n' + PARENT_EXTRA, encoding="utf-8")
    groups = load_scenario(child).scenario.agent_groups
    assert [(g.name, g.agents) for g in groups] == [("agents", 50), ("backup", 5)]


def test_extends_replaces_a_distribution_whose_dist_changes(tmp_path: Path) -> None:
    """The parent's ``mean`` must not leak into a child's ``fixed`` distribution."""
    (tmp_path / "base.toml").write_text(CANONICAL, encoding="utf-8")
    child = tmp_path / "x.toml"
    child.write_text('extends = "base.toml"\n[[channels]]\nname = "voice"\n'
                     'patience = { dist = "fixed", value = 30 }\n', encoding="utf-8")
    patience = load_scenario(child).scenario.channels[0].patience
    assert patience is not None
    assert patience.mean == 30


def test_extends_keeps_a_distribution_and_changes_one_parameter(tmp_path: Path) -> None:
    (tmp_path / "base.toml").write_text(
        edit(PATIENCE, '{ dist = "lognormal", mean = 180, cv = 0.5 }'), encoding="utf-8")
    child = tmp_path / "x.toml"
    child.write_text('extends = "base.toml"\n[[channels]]\nname = "voice"\n'
                     "patience = { mean = 240 }\n", encoding="utf-8")
    patience = load_scenario(child).scenario.channels[0].patience
    assert patience is not None
    assert patience.model_dump(by_alias=True) == {"dist": "lognormal", "mean": 240, "cv": 0.5}


def test_paths_are_relative_to_the_file_that_names_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    base_dir = tmp_path / "baselines"
    child_dir = tmp_path / "what-ifs" / "q3"
    elsewhere = tmp_path / "elsewhere"
    for d in (base_dir, child_dir, elsewhere):
        d.mkdir(parents=True)
    (base_dir / "aht.csv").write_text("seconds\n100\n200\n600\n", encoding="utf-8")
    (base_dir / "base.toml").write_text(
        edit(HANDLE, '{ dist = "empirical", file = "aht.csv" }'), encoding="utf-8")
    child = child_dir / "x.toml"
    child.write_text('extends = "../../baselines/base.toml"\n[run]\nreplications = 2\n',
                     encoding="utf-8")
    monkeypatch.chdir(elsewhere)
    handle = load_scenario(child).scenario.contact_types[0].handle_time
    assert isinstance(handle, Empirical)
    assert handle.mean == pytest.approx(300.0)
    # A CSV of the same name beside the child is not the one the parent means.
    (base_dir / "aht.csv").unlink()
    (child_dir / "aht.csv").write_text("seconds\n100\n", encoding="utf-8")
    problems = problems_of(child)
    assert len(problems) == 1
    assert problems[0].startswith(
        f"{base_dir / 'base.toml'}: contact_types[0].handle_time.file: file not found")
    assert str(base_dir / "aht.csv") in problems[0]


def test_empirical_file_in_the_child_is_relative_to_the_child(tmp_path: Path) -> None:
    (tmp_path / "base.toml").write_text(CANONICAL, encoding="utf-8")
    sub = tmp_path / "sub"
    sub.mkdir()
    (sub / "aht.csv").write_text("40\n60\n", encoding="utf-8")
    child = sub / "x.toml"
    child.write_text('extends = "../base.toml"\n[[contact_types]]\nname = "general"\n'
                     'handle_time = { dist = "empirical", file = "aht.csv" }\n',
                     encoding="utf-8")
    handle = load_scenario(child).scenario.contact_types[0].handle_time
    assert isinstance(handle, Empirical)
    assert handle.mean == pytest.approx(50.0)


# ---------------------------------------------------------------------------- command line
def _squash(text: str) -> str:
    return unwrapped(text)


def _invoke(command: str, case: Bad, tmp_path: Path) -> tuple[int, str, str]:
    path = write_case(case, tmp_path)
    args = [command, str(path)]
    for item in case.overrides:
        args += ["--set", item]
    result = CliRunner().invoke(app, args)
    assert isinstance(result.exception, SystemExit), repr(result.exception)
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize("command", ["check", "run"])
@pytest.mark.parametrize("name", CLI_CASES)
def test_cli_exit_2_with_message_and_no_traceback(name: str, command: str,
                                                  tmp_path: Path) -> None:
    case = CASES[name]
    code, out, err = _invoke(command, case, tmp_path)
    assert code == 2
    assert out == ""  # nothing on stdout: no half-report, no "ok"
    assert "Traceback" not in err
    # Compare with whitespace squashed: see test_cli_prints_one_line_per_problem.
    flat = _squash(err)
    assert _squash(expected_start(case, tmp_path)) in flat, err
    for s in fragments(case, tmp_path):
        assert _squash(s) in flat, err
    for word in INTERNAL:
        assert _squash(word) not in flat, err


def test_cli_check_reports_every_bad_file_and_passes_good_ones(tmp_path: Path) -> None:
    good = tmp_path / "good.toml"
    good.write_text(CANONICAL, encoding="utf-8")
    bad = tmp_path / "bad.toml"
    bad.write_text(edit("mean = 180", "mean = -5"), encoding="utf-8")
    missing = tmp_path / "missing.toml"
    result = CliRunner().invoke(app, ["check", str(good), str(bad), str(missing)])
    assert result.exit_code == 2
    assert says(result.stdout, f"{good}: ok")
    assert not says(result.stdout, f"{bad}: ")
    assert says(result.stderr, f"{bad}: channels[0].patience.mean: must be > 0, got -5")
    assert says(result.stderr, f"{missing}: file not found")
    assert not says(result.stderr, f"{good}: ")
    assert "Traceback" not in result.output


def test_cli_check_accepts_a_good_file(tmp_path: Path) -> None:
    good = tmp_path / "good.toml"
    good.write_text(CANONICAL, encoding="utf-8")
    result = CliRunner().invoke(app, ["check", str(good), "--set", "agent_groups.agents.agents=55"])
    assert result.exit_code == 0, result.output
    assert result.stderr == ""


def test_cli_prints_one_line_per_problem(tmp_path: Path) -> None:
    case = CASES["unknown-nested-typo"]
    path = write_case(case, tmp_path)
    problems = problems_of(path)
    assert any(len(p) > 80 for p in problems)
    _, _, err = _invoke("check", case, tmp_path)
    assert err.splitlines() == problems


# ---------------------------------------------------------------------------- wages
def test_a_group_without_a_wage_in_a_priced_scenario_is_an_error(tmp_path: Path) -> None:
    """A group left without hourly_wage would cost nothing, silently."""
    for extra in ('\n[costs]\ntelephony_per_minute = 0.01\n', PARENT_EXTRA):
        path = tmp_path / "x.toml"
        path.write_text(CANONICAL + extra, encoding="utf-8")
        with pytest.raises(ScenarioError) as caught:
            load_scenario(path)
        assert caught.value.problems == [
            f"{path}: agent_groups[0].hourly_wage: missing; this scenario prices its costs "
            "([costs] or other groups' wages), so every group needs its wage per hour (USD; 0 "
            "if it really costs nothing)"]


def test_a_scenario_without_money_needs_no_wage_and_a_stated_zero_is_a_wage(tmp_path: Path) -> None:
    canonical = Path(__file__).resolve().parents[2] / "scenarios" / "erlang_a.toml"
    assert load_scenario(canonical).scenario.agent_groups[0].hourly_wage == 0  # no money at all
    path = tmp_path / "x.toml"
    path.write_text(edit("agents = 50", "agents = 50\nhourly_wage = 0") +
                    "\n[costs]\ntelephony_per_minute = 0.01\n", encoding="utf-8")
    assert load_scenario(path).scenario.agent_groups[0].hourly_wage == 0


# ---------------------------------------------------------------------------- shift templates
def test_shift_templates_load_with_the_scenario(tmp_path: Path) -> None:
    path = tmp_path / "x.toml"
    path.write_text(CANONICAL + TEMPLATE, encoding="utf-8")
    (template,) = load_scenario(path).scenario.shift_templates
    assert template.name == "day"
    assert template.start_minutes(30) == (420, 480)
    assert [(b.minutes, b.earliest, b.latest, b.paid) for b in template.breaks] == [
        (30, "02:00", "04:00", False), (30, "05:00", "06:00", False)]
    assert load_scenario(Path(__file__).resolve().parents[2] / "scenarios" / "erlang_a.toml"
                         ).scenario.shift_templates == ()
