"""``ccsim workshop``: the live what-if page (docs/workshop.md).

The pure parts are plain modules: the controls (:mod:`.controls`), a question as scenarios and
its cache key (:mod:`.question`), the runner and its cache (:mod:`.runner`), the room's record
and its files (:mod:`.record`); the Shiny page (:mod:`.page`) is the only module that imports
Shiny, and only ``ccsim workshop`` imports it.
"""
