"""Static files shipped in the package: the social and environmental pictograms (SVG)."""
