"""From raw e-Otinish records (appeals, reception requests) to indicator inputs."""
from ..extras import require

require("records", "records")
