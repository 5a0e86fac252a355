"""From raw e-Otinish records (appeals, reception requests) to indicator inputs."""
from ..extras import require
from .cpu import import_numpy

require("records", "records")
import_numpy()  # before any module here imports it, so that it sorts fast on this CPU (cpu.py)
