"""tenderwatch: social and environmental considerations in public-procurement notices."""

from models import VERSION as __version__

__all__ = ["__version__"]
