"""Purchases whose CPV code itself names an environmental purpose (Common Procurement Vocabulary, regulation (EC)
No 213/2008): the buyer's own classification of the subject, which `explain` shows when the text states no purpose.

Only codes whose official label states the environmental purpose are listed (environmental services, thermal
insulation, solar energy, waste recycling, electric vehicles): not waste collection or sanitation (ANNOTATION.md:
plain disposal and wastewater services are no consideration), not energy supply or heat pumps. Only the notice's
main code counts: an additional code lists a part of the work, not its purpose.

A code is no detection. Of the 19 DECP objects of the development part whose main code is listed here, all were
annotated environmental, but their titles said so too; where the title says nothing, the code was right about
half the time on the DECP held-out part of that day (4 contracts out of 8).
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = ["ENVIRONMENTAL_PURPOSE_CPV", "environmental_purpose"]

#: Prefix of a CPV code -> the official French label of the branch it opens.
ENVIRONMENTAL_PURPOSE_CPV: dict[str, str] = {
    "907": "services relatifs à l'environnement",  # 90700000-4 and its branch (assessment, protection, pollution)
    "45321": "travaux d'isolation thermique",  # 45321000-3
    "0933": "énergie solaire",  # 09330000-1: solar panels, solar installations
    "31712331": "cellules photovoltaïques",  # 31712331-9
    "90514": "services de recyclage des déchets",  # 90514000-3
    "34144900": "véhicules électriques",  # 34144900-7
    "34144910": "bus électriques",  # 34144910-0
    "713143": "services de conseil en efficacité énergétique",  # 71314300-5
}
_PREFIXES = tuple(sorted(ENVIRONMENTAL_PURPOSE_CPV, key=len, reverse=True))


def environmental_purpose(cpv_codes: Sequence[str] | None) -> tuple[str, str] | None:
    """(main code, label of its branch) when the notice's main CPV code names an environmental purpose."""
    if not cpv_codes:
        return None
    main = "".join(ch for ch in str(cpv_codes[0]) if ch.isdigit())[:8]
    for prefix in _PREFIXES:
        if main.startswith(prefix):
            return main, ENVIRONMENTAL_PURPOSE_CPV[prefix]
    return None
