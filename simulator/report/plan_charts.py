"""The plan's charts (``ccsim plan --html``): monthly cost per contact with its 95 % band, and
the head-count against the requirement, month by month. Drawn from the plan's JSON document,
in the projector style of :mod:`simulator.report.charts`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from simulator.report.charts import BASE_GREY, INK, RED, SERIES, WIDTH, new_figure, plain, style

if TYPE_CHECKING:
    from matplotlib.figure import Figure

Tree = dict[str, Any]


def _months(document: Tree) -> list[str]:
    return [m["month"] for m in document["months"]]


def plan_cost_figure(document: Tree) -> Figure:
    """Cost per contact a month, the line the mean and the band its 95 % interval."""
    months = document["months"]
    xs = list(range(len(months)))
    stats = [m["cost"]["per_contact"] for m in months]
    mean = [s["mean"] if s["mean"] is not None else float("nan") for s in stats]
    low = [s["ci_low"] if s["ci_low"] is not None else m for s, m in zip(stats, mean, strict=True)]
    high = [s["ci_high"] if s["ci_high"] is not None else m
            for s, m in zip(stats, mean, strict=True)]
    year = document["totals"]["per_contact"]["mean"]
    with style():
        fig = new_figure(WIDTH, 5.0)
        ax = fig.add_subplot()
        ax.fill_between(xs, low, high, color=SERIES[0], alpha=0.25, linewidth=0,
                        label="95 % interval")
        ax.plot(xs, mean, color=SERIES[0], marker="o", linewidth=3, label="cost per contact")
        if year is not None:
            ax.axhline(year, color=BASE_GREY, linestyle="--", linewidth=2,
                       label=f"whole plan: {year:,.2f}")
        ax.set_xticks(xs, _months(document), rotation=45, ha="right")
        ax.set_ylabel(f"cost per contact ({plain(document['currency'])})")
        ax.set_title("Cost per contact, month by month, with its 95 % band")
        ax.legend(loc="best")
    return fig


def plan_headcount_figure(document: Tree) -> Figure:
    """FTE a month, every group together: paid (employed), productive, and required at equal
    service; the months where the requirement is above the productive FTE are the gap."""
    months = document["months"]
    xs = list(range(len(months)))

    def total(key: str) -> list[float]:
        return [sum(g[key] for g in m["groups"]) for m in months]

    paid, productive, required = total("paid"), total("productive"), total("required")
    with style():
        fig = new_figure(WIDTH, 5.0)
        ax = fig.add_subplot()
        ax.plot(xs, paid, color=BASE_GREY, marker="s", linewidth=2, label="paid (employed)")
        ax.plot(xs, productive, color=SERIES[2], marker="o", linewidth=3, label="productive")
        ax.plot(xs, required, color=INK, marker="D", linewidth=3, linestyle="--",
                label="required at equal service")
        ax.fill_between(xs, productive, required, where=[r > p for r, p in zip(
            required, productive, strict=True)], color=RED, alpha=0.2, linewidth=0,
            interpolate=True, label="gap")
        ax.set_xticks(xs, _months(document), rotation=45, ha="right")
        ax.set_ylabel("FTE (all groups)")
        ax.set_title("Head-count against the requirement")
        ax.legend(loc="best")
    return fig


def plan_difference_figure(document: Tree) -> Figure:
    """Each plan's paired difference of cost per contact against the baseline plan (compare) or
    the plan before it (bridge), month by month, the line the mean and the band its 95 %
    interval; zero is no change."""
    base = document["baseline"]
    xs = list(range(len(base["months"])))
    with style():
        fig = new_figure(WIDTH, 5.0)
        ax = fig.add_subplot()
        for k, other in enumerate(document["others"]):
            stats = [m["per_contact"] for m in other["difference"]["months"]]
            mean = [s["mean"] if s["mean"] is not None else float("nan") for s in stats]
            low = [s["ci_low"] if s["ci_low"] is not None else m
                   for s, m in zip(stats, mean, strict=True)]
            high = [s["ci_high"] if s["ci_high"] is not None else m
                    for s, m in zip(stats, mean, strict=True)]
            colour = SERIES[k % len(SERIES)]
            ax.fill_between(xs, low, high, color=colour, alpha=0.25, linewidth=0)
            ax.plot(xs, mean, color=colour, marker="o", linewidth=3,
                    label=other["plan"]["scenario"])
        ax.axhline(0.0, color=BASE_GREY, linestyle="--", linewidth=2, label="no change")
        ax.set_xticks(xs, _months(base), rotation=45, ha="right")
        ax.set_ylabel(f"change in cost per contact ({plain(document['baseline']['currency'])})")
        against = "the plan before it" if document["kind"] == "bridge" else "the baseline plan"
        ax.set_title(f"Paired change in cost per contact against {against}, with its 95 % band")
        ax.legend(loc="best")
    return fig
