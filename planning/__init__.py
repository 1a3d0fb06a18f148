"""Planning: readiness scores, release batches, scenarios, the finder and supply–demand matching."""
