"""Search: ranking over stored keys, and the writer of those keys."""
