"""tenderwatch: social and environmental considerations in public-procurement notices."""

__version__ = "0.1.0"
