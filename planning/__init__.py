"""Planning: readiness scores, release batches over the trial, and scenarios."""
