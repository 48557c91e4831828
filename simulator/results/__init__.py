"""What a run or a study found, typed: the results renderers read (no engine, no drawing).

* :mod:`~simulator.results.estimate`: :class:`Estimate` (mean, 95 % interval, the values per
  replication), :class:`Spread` (percentiles over input samples).
* :mod:`~simulator.results.guardrails`: :class:`Guardrail` verdicts, judged once (:func:`judge`).
* :mod:`~simulator.results.run`: :class:`RunResult` and its sections (channels, agent groups,
  cost, intervals, provenance, uncertainty).
* :mod:`~simulator.results.studies`: comparison, staffing, sweep, bridge and sensitivity results.
* :mod:`~simulator.results.shifts`: :class:`ShiftPlan`, the shifts chosen to cover a staffing
  requirement (:class:`PlannedShift`, :class:`PlannedBreak`) and what they cover.

Each has ``to_document()``: the command's JSON.
"""
