"""From raw e-Otinish records (appeals, reception requests) to indicator inputs."""
