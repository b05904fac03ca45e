import re
_SUFFIXES = ("metropolitan borough council", "metropolitan district council", "borough council", "city council",
             "county council", "district council", "council")


def short_name(council: str) -> str:
    """"Rotherham Metropolitan Borough Council" → "Rotherham"; "London Borough of Camden" → "Camden"."""
    name = re.sub(r"\s+", " ", council).strip()
    name = re.sub(r"^(the\s+)?(royal\s+|london\s+)?borough of\s+|^city of\s+|^council of the\s+", "", name, flags=re.I)
    for suffix in _SUFFIXES:
        if name.lower().endswith(" " + suffix):
            return name[: -len(suffix) - 1].strip()
    return name
