"""A centre's own history: interval exports read into one tidy table, and what they tell.

Pure data: nothing here simulates. :mod:`~simulator.history.table` is the table every other
part reads; :mod:`~simulator.history.reading` reads ACD and CCaaS exports into it.
"""
