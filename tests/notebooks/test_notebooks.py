"""The workshop notebooks in notebooks/: they run top to bottom, plot, and are committed clean.

Each notebook is executed with nbclient in fast mode (``CCSIM_NOTEBOOK_FAST=1``: fewer
replications and days), in a kernel that runs *this* interpreter (a kernelspec for
``sys.executable`` installed in a temporary folder, so a python3 kernelspec elsewhere on the
machine cannot be picked up instead), with the notebook's folder as the working directory, as
Jupyter runs it.
"""

from __future__ import annotations

import base64
import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

# jupyter_core before 5.8 warns on import (DeprecationWarning: "Jupyter is migrating its paths to
# use standard platformdirs ...") unless this is set; opting in is what the warning asks for and
# changes nothing here (the kernelspec is found through JUPYTER_PATH below).
os.environ.setdefault("JUPYTER_PLATFORM_DIRS", "1")

import nbformat
from nbclient import NotebookClient

NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"
EXPECTED = ["01_baseline_tour.ipynb", "02_compare_levers.ipynb", "03_staffing_and_cost.ipynb"]
KERNEL = "ccsim-notebook-test"  # a name no other kernelspec on the machine will have
CELL_TIMEOUT = 300  # seconds per cell; a whole fast-mode notebook takes well under a minute
FAST_LINE = 'FAST = os.environ.get("CCSIM_NOTEBOOK_FAST") == "1"'
# appended to the executed copy: which interpreter did the kernel run?
WHICH_PYTHON = "import sys\nprint(sys.executable)"


def notebooks() -> list[Path]:
    return sorted(NOTEBOOKS.glob("*.ipynb"))


def test_the_three_workshop_notebooks_are_there() -> None:
    assert set(EXPECTED) <= {p.name for p in notebooks()}


@pytest.mark.parametrize("path", notebooks(), ids=lambda p: p.stem)
def test_notebook_is_committed_without_outputs(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    assert nb.metadata["kernelspec"]["name"] == "python3"
    code = [cell for cell in nb.cells if cell.cell_type == "code"]
    assert code, "a notebook without code"
    for i, cell in enumerate(code):
        assert cell.outputs == [], f"code cell {i} has outputs: clear them before committing"
        assert cell.execution_count is None, f"code cell {i} has an execution count"
    assert FAST_LINE in code[0].source, "the first code cell must read CCSIM_NOTEBOOK_FAST"


@pytest.fixture(scope="module")
def kernel(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A kernelspec running this interpreter, found through JUPYTER_PATH; the fast mode on."""
    from ipykernel.kernelspec import install

    prefix = tmp_path_factory.mktemp("jupyter")
    install(kernel_name=KERNEL, display_name="ccsim notebook test", prefix=str(prefix))
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("JUPYTER_PATH", str(prefix / "share" / "jupyter"))
        mp.setenv("CCSIM_NOTEBOOK_FAST", "1")
        # ipykernel only selects the inline backend (which sends PNGs) when none is set;
        # a CI machine with MPLBACKEND=Agg would otherwise make every plot vanish
        mp.delenv("MPLBACKEND", raising=False)
        yield KERNEL


@pytest.mark.parametrize("path", notebooks(), ids=lambda p: p.stem)
def test_notebook_runs_top_to_bottom_and_plots(path: Path, kernel: str) -> None:
    nb = nbformat.read(path, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell(WHICH_PYTHON))
    client = NotebookClient(nb, kernel_name=kernel, timeout=CELL_TIMEOUT, startup_timeout=120,
                            resources={"metadata": {"path": str(NOTEBOOKS)}})
    client.execute()  # raises CellExecutionError, with the traceback, if a cell fails

    *cells, which = [cell for cell in nb.cells if cell.cell_type == "code"]
    ran = "".join(o.get("text", "") for o in which.outputs if o.output_type == "stream")
    assert Path(ran.strip()).resolve() == Path(sys.executable).resolve()

    for i, cell in enumerate(cells):
        stderr = [o.text for o in cell.outputs if o.output_type == "stream" and o.name == "stderr"]
        assert not stderr, f"code cell {i} wrote to stderr (a warning?):\n{''.join(stderr)}"
    # the fast mode was on, and the repository was found from the notebook's folder
    first = "".join(o.get("text", "") for o in cells[0].outputs)
    assert first.startswith("fast mode - repository:"), first
    assert first.split(":", 1)[1].strip() == str(NOTEBOOKS.parent)

    plotting = [cell for cell in cells if "plt.show()" in cell.source]
    assert plotting, "a workshop notebook without a chart"
    for cell in plotting:
        images = [o.data["image/png"] for o in cell.outputs
                  if o.output_type == "display_data" and "image/png" in o.data]
        assert images, f"no chart came out of the cell:\n{cell.source[:200]}"
        for image in images:
            png = base64.b64decode(image)
            assert png.startswith(b"\x89PNG")
            assert len(png) > 10_000  # a real chart, not an empty figure
