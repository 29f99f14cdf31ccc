"""Impact accounting in the pure core: CO2 saved by using secondary material, transport, and
the attribution and deadweight shares a network applies when it reports."""
