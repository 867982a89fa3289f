"""`make eval`: score briefbot on every development set beside the model alone (see run.py)."""
