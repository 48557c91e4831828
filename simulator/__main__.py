"""``python -m simulator`` runs the ccsim command line."""

from simulator.cli import main

main()
