"""A centre's own history: interval exports read into one tidy table, and what they tell.

Pure data: nothing here simulates. :mod:`~simulator.history.table` is the table every other
part reads; :mod:`~simulator.history.reading` reads ACD and CCaaS exports into it,
:mod:`~simulator.history.cleaning` leaves out what the stated rules drop,
:mod:`~simulator.history.estimates` estimates each queue's figures and
:mod:`~simulator.history.writing` writes them as the scenario of ``ccsim import``
(docs/import.md), with the ``[plan]`` forecast of :mod:`~simulator.history.seasons`;
:mod:`~simulator.history.export` writes a history back as an export.
"""
