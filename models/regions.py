"""French departments and their regions: the current 18 regions (2016) and the former 27 (before 2016).

Researchers compare series across the 2016 reform, so both are kept. Codes are INSEE department codes.
"""

from __future__ import annotations

import re

# code: (department name, current region, former region before 2016)
DEPARTMENTS: dict[str, tuple[str, str, str]] = {
    "01": ("Ain", "Auvergne-Rhône-Alpes", "Rhône-Alpes"),
    "02": ("Aisne", "Hauts-de-France", "Picardie"),
    "03": ("Allier", "Auvergne-Rhône-Alpes", "Auvergne"),
    "04": ("Alpes-de-Haute-Provence", "Provence-Alpes-Côte d'Azur", "Provence-Alpes-Côte d'Azur"),
    "05": ("Hautes-Alpes", "Provence-Alpes-Côte d'Azur", "Provence-Alpes-Côte d'Azur"),
    "06": ("Alpes-Maritimes", "Provence-Alpes-Côte d'Azur", "Provence-Alpes-Côte d'Azur"),
    "07": ("Ardèche", "Auvergne-Rhône-Alpes", "Rhône-Alpes"),
    "08": ("Ardennes", "Grand Est", "Champagne-Ardenne"),
    "09": ("Ariège", "Occitanie", "Midi-Pyrénées"),
    "10": ("Aube", "Grand Est", "Champagne-Ardenne"),
    "11": ("Aude", "Occitanie", "Languedoc-Roussillon"),
    "12": ("Aveyron", "Occitanie", "Midi-Pyrénées"),
    "13": ("Bouches-du-Rhône", "Provence-Alpes-Côte d'Azur", "Provence-Alpes-Côte d'Azur"),
    "14": ("Calvados", "Normandie", "Basse-Normandie"),
    "15": ("Cantal", "Auvergne-Rhône-Alpes", "Auvergne"),
    "16": ("Charente", "Nouvelle-Aquitaine", "Poitou-Charentes"),
    "17": ("Charente-Maritime", "Nouvelle-Aquitaine", "Poitou-Charentes"),
    "18": ("Cher", "Centre-Val de Loire", "Centre"),
    "19": ("Corrèze", "Nouvelle-Aquitaine", "Limousin"),
    "2A": ("Corse-du-Sud", "Corse", "Corse"),
    "2B": ("Haute-Corse", "Corse", "Corse"),
    "21": ("Côte-d'Or", "Bourgogne-Franche-Comté", "Bourgogne"),
    "22": ("Côtes-d'Armor", "Bretagne", "Bretagne"),
    "23": ("Creuse", "Nouvelle-Aquitaine", "Limousin"),
    "24": ("Dordogne", "Nouvelle-Aquitaine", "Aquitaine"),
    "25": ("Doubs", "Bourgogne-Franche-Comté", "Franche-Comté"),
    "26": ("Drôme", "Auvergne-Rhône-Alpes", "Rhône-Alpes"),
    "27": ("Eure", "Normandie", "Haute-Normandie"),
    "28": ("Eure-et-Loir", "Centre-Val de Loire", "Centre"),
    "29": ("Finistère", "Bretagne", "Bretagne"),
    "30": ("Gard", "Occitanie", "Languedoc-Roussillon"),
    "31": ("Haute-Garonne", "Occitanie", "Midi-Pyrénées"),
    "32": ("Gers", "Occitanie", "Midi-Pyrénées"),
    "33": ("Gironde", "Nouvelle-Aquitaine", "Aquitaine"),
    "34": ("Hérault", "Occitanie", "Languedoc-Roussillon"),
    "35": ("Ille-et-Vilaine", "Bretagne", "Bretagne"),
    "36": ("Indre", "Centre-Val de Loire", "Centre"),
    "37": ("Indre-et-Loire", "Centre-Val de Loire", "Centre"),
    "38": ("Isère", "Auvergne-Rhône-Alpes", "Rhône-Alpes"),
    "39": ("Jura", "Bourgogne-Franche-Comté", "Franche-Comté"),
    "40": ("Landes", "Nouvelle-Aquitaine", "Aquitaine"),
    "41": ("Loir-et-Cher", "Centre-Val de Loire", "Centre"),
    "42": ("Loire", "Auvergne-Rhône-Alpes", "Rhône-Alpes"),
    "43": ("Haute-Loire", "Auvergne-Rhône-Alpes", "Auvergne"),
    "44": ("Loire-Atlantique", "Pays de la Loire", "Pays de la Loire"),
    "45": ("Loiret", "Centre-Val de Loire", "Centre"),
    "46": ("Lot", "Occitanie", "Midi-Pyrénées"),
    "47": ("Lot-et-Garonne", "Nouvelle-Aquitaine", "Aquitaine"),
    "48": ("Lozère", "Occitanie", "Languedoc-Roussillon"),
    "49": ("Maine-et-Loire", "Pays de la Loire", "Pays de la Loire"),
    "50": ("Manche", "Normandie", "Basse-Normandie"),
    "51": ("Marne", "Grand Est", "Champagne-Ardenne"),
    "52": ("Haute-Marne", "Grand Est", "Champagne-Ardenne"),
    "53": ("Mayenne", "Pays de la Loire", "Pays de la Loire"),
    "54": ("Meurthe-et-Moselle", "Grand Est", "Lorraine"),
    "55": ("Meuse", "Grand Est", "Lorraine"),
    "56": ("Morbihan", "Bretagne", "Bretagne"),
    "57": ("Moselle", "Grand Est", "Lorraine"),
    "58": ("Nièvre", "Bourgogne-Franche-Comté", "Bourgogne"),
    "59": ("Nord", "Hauts-de-France", "Nord-Pas-de-Calais"),
    "60": ("Oise", "Hauts-de-France", "Picardie"),
    "61": ("Orne", "Normandie", "Basse-Normandie"),
    "62": ("Pas-de-Calais", "Hauts-de-France", "Nord-Pas-de-Calais"),
    "63": ("Puy-de-Dôme", "Auvergne-Rhône-Alpes", "Auvergne"),
    "64": ("Pyrénées-Atlantiques", "Nouvelle-Aquitaine", "Aquitaine"),
    "65": ("Hautes-Pyrénées", "Occitanie", "Midi-Pyrénées"),
    "66": ("Pyrénées-Orientales", "Occitanie", "Languedoc-Roussillon"),
    "67": ("Bas-Rhin", "Grand Est", "Alsace"),
    "68": ("Haut-Rhin", "Grand Est", "Alsace"),
    "69": ("Rhône", "Auvergne-Rhône-Alpes", "Rhône-Alpes"),
    "70": ("Haute-Saône", "Bourgogne-Franche-Comté", "Franche-Comté"),
    "71": ("Saône-et-Loire", "Bourgogne-Franche-Comté", "Bourgogne"),
    "72": ("Sarthe", "Pays de la Loire", "Pays de la Loire"),
    "73": ("Savoie", "Auvergne-Rhône-Alpes", "Rhône-Alpes"),
    "74": ("Haute-Savoie", "Auvergne-Rhône-Alpes", "Rhône-Alpes"),
    "75": ("Paris", "Île-de-France", "Île-de-France"),
    "76": ("Seine-Maritime", "Normandie", "Haute-Normandie"),
    "77": ("Seine-et-Marne", "Île-de-France", "Île-de-France"),
    "78": ("Yvelines", "Île-de-France", "Île-de-France"),
    "79": ("Deux-Sèvres", "Nouvelle-Aquitaine", "Poitou-Charentes"),
    "80": ("Somme", "Hauts-de-France", "Picardie"),
    "81": ("Tarn", "Occitanie", "Midi-Pyrénées"),
    "82": ("Tarn-et-Garonne", "Occitanie", "Midi-Pyrénées"),
    "83": ("Var", "Provence-Alpes-Côte d'Azur", "Provence-Alpes-Côte d'Azur"),
    "84": ("Vaucluse", "Provence-Alpes-Côte d'Azur", "Provence-Alpes-Côte d'Azur"),
    "85": ("Vendée", "Pays de la Loire", "Pays de la Loire"),
    "86": ("Vienne", "Nouvelle-Aquitaine", "Poitou-Charentes"),
    "87": ("Haute-Vienne", "Nouvelle-Aquitaine", "Limousin"),
    "88": ("Vosges", "Grand Est", "Lorraine"),
    "89": ("Yonne", "Bourgogne-Franche-Comté", "Bourgogne"),
    "90": ("Territoire de Belfort", "Bourgogne-Franche-Comté", "Franche-Comté"),
    "91": ("Essonne", "Île-de-France", "Île-de-France"),
    "92": ("Hauts-de-Seine", "Île-de-France", "Île-de-France"),
    "93": ("Seine-Saint-Denis", "Île-de-France", "Île-de-France"),
    "94": ("Val-de-Marne", "Île-de-France", "Île-de-France"),
    "95": ("Val-d'Oise", "Île-de-France", "Île-de-France"),
    "971": ("Guadeloupe", "Guadeloupe", "Guadeloupe"),
    "972": ("Martinique", "Martinique", "Martinique"),
    "973": ("Guyane", "Guyane", "Guyane"),
    "974": ("La Réunion", "La Réunion", "La Réunion"),
    "976": ("Mayotte", "Mayotte", "Mayotte"),
}

# Overseas collectivities outside the 18 regions, kept as their own "region" so they are not lost in statistics.
OVERSEAS_COLLECTIVITIES: dict[str, str] = {
    "975": "Saint-Pierre-et-Miquelon",
    "977": "Saint-Barthélemy",
    "978": "Saint-Martin",
    "986": "Wallis-et-Futuna",
    "987": "Polynésie française",
    "988": "Nouvelle-Calédonie",
}

REGIONS: tuple[str, ...] = tuple(sorted({r for _, r, _ in DEPARTMENTS.values()}))
FORMER_REGIONS: tuple[str, ...] = tuple(sorted({r for _, _, r in DEPARTMENTS.values()}))

_CODE = re.compile(r"^\s*(2[ABab]|97[1-8]|98[6-8]|\d{1,2})\b")


def normalise_department(value: str | int | None) -> str | None:
    """Return the INSEE department code for '33', '033', 33, '2a', '(33) Gironde', '75 - Paris'; None if unknown."""
    if value is None:
        return None
    text = str(value).strip().strip("()").strip()
    if text.startswith("0") and len(text) >= 3 and text[:3].isdigit():
        text = text[1:]
    match = _CODE.match(text)
    if not match:
        return None
    code = match.group(1).upper()
    if code.isdigit() and len(code) == 1:
        code = "0" + code
    if code in DEPARTMENTS or code in OVERSEAS_COLLECTIVITIES:
        return code
    return None


def region_of(department: str | int | None) -> str | None:
    """The current (2016) region of a department code, or None."""
    code = normalise_department(department)
    if code is None:
        return None
    if code in OVERSEAS_COLLECTIVITIES:
        return OVERSEAS_COLLECTIVITIES[code]
    return DEPARTMENTS[code][1]


def former_region_of(department: str | int | None) -> str | None:
    """The region before the 2016 reform (e.g. '33' -> 'Aquitaine'), or None."""
    code = normalise_department(department)
    if code is None:
        return None
    if code in OVERSEAS_COLLECTIVITIES:
        return OVERSEAS_COLLECTIVITIES[code]
    return DEPARTMENTS[code][2]


def department_name(department: str | int | None) -> str | None:
    code = normalise_department(department)
    if code in DEPARTMENTS:
        return DEPARTMENTS[code][0]
    return OVERSEAS_COLLECTIVITIES.get(code) if code else None
