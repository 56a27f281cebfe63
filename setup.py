"""For scrapyd-deploy, which runs `setup.py bdist_egg` (and writes its own setup.py when there is none)."""

from setuptools import setup

setup()
