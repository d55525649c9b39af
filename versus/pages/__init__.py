"""The pages stage: one module per page kind, each building its context and files."""
