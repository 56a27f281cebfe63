"""The workflow: ingestion, re-tagging and training from the store, where the store meets the classifier.

Above `storage` and `classifier`, below the crawler and the CLI, which both call it.
"""
