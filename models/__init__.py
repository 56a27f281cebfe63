"""The domain: notices and their sections, normalisation, vocabulary, regions, ORM tables and settings.

The bottom layer: it imports nothing else of the project.
"""

#: The application's release, shown in the crawler's User-Agent and in `tenderwatch --version`.
VERSION = "0.1.0"
