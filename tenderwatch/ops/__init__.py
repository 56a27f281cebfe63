"""Nightly operations: the schedule file, crawls as subprocesses or Scrapyd jobs, job runs and their outcomes."""
