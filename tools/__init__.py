"""Scripts that maintain the repository (not imported by the bptt package)."""
