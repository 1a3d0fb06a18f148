"""Planning: the finder, supply–demand matching, readiness and release of carriers."""
