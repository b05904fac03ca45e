"""CQC assessment reports built in code, in each layout CQC has published (pilot 2023, 2024, 2025–26), as
one document or as the separate pages an officer saves, for the import tests (../shared/ not needed).

The council is fictional; headings, labels and the shape of each figure sentence are CQC's, as
../shared/cqc-report-layouts.md records them.
"""

from __future__ import annotations

import html
import re

from cqcdocs.contract import QUALITY_STATEMENTS, THEMES

COUNCIL = "Northmoor Metropolitan Borough Council"
SCORES = {qs.key: (2 if i == 2 else 3) for i, qs in enumerate(QUALITY_STATEMENTS)}
BAND = {1: "1 - Evidence shows significant shortfalls", 2: "2 - Evidence shows some shortfalls",
        3: "3 - Evidence shows a good standard", 4: "4 - Evidence shows an exceptional standard"}
THEME_TITLES = {1: "How {c} works with people", 2: "Providing support", 3: "How {c} ensures safety within the system",
                4: "Leadership"}


def findings(qs) -> list[tuple[str, list[str]]]:
    """(sub-heading, paragraphs) for QS: words of its own, so each summary paragraph has a likeliest statement."""
    word = re.sub(r"[^a-z]", "", qs.key)
    return [
        (f"{qs.name} arrangements", [
            f"The local authority worked on {qs.name.lower()} with partners; {word} practice was reviewed often.",
            f"Staff told us {word} records were clear and people were involved in {qs.name.lower()}."]),
        ("Timeliness and outcomes", [
            f"People waiting for a {word} review was 1066 with a median wait of 253 days and a maximum wait of "
            f"1,372 days.",
            f"Survey of Adult Carers in England (SACE) data showed 41.51% of carers were satisfied with {word} "
            "support, which was better than the England average of 36.83%."]),
    ]


def about(layout: str) -> list[str]:
    if layout == "pilot":
        return [f"About {COUNCIL}", "Demographics",
                "The population is currently 512,345, with approximately 24% of people over the age of 65 living "
                "in the borough.",
                "The Index of Multiple Deprivation (IMD) for the overall area is 6 (10 is the most deprived).",
                "Financial facts",
                "\u2022 The local authority estimated that in 2022/23, its total budget would be \u00a3612,400,000. "
                "Its actual spend for that year was \u00a3640,100,000, which was \u00a327,700,000 more than "
                "estimated.",
                "\u2022 The local authority estimated that it would spend \u00a3190,250,000 of its total budget on "
                "adult social care in 2022/23 Its actual spend was \u00a3201,300,000, which was \u00a311,050,000 "
                "more than estimated.",
                "\u2022 In 2022/2023, 31% of the budget was spent on adult social care.",
                "\u2022 Approximately 8,120 people were accessing long-term adult social care support."]
    return [f"About {COUNCIL}", "Demographics",
            f"{COUNCIL} serves a population of 290,488. It has an IMD score of 5, and around 18% of its "
            "population is aged 65 and over.",
            "Financial facts",
            "- The local authority estimated that in 2023/24, its total budget would be **\u00a3423,042,000**. Its "
            "actual spend for that year was **\u00a3463,014,000** which was **\u00a339,972,000** more than estimated.",
            "- In 2023/24, **29.32%** of the budget was spent on adult social care.",
            "- The local authority has raised the full adult social care precept for 2023/24, with a value of **2%**."]


def pages(layout: str = "2025", colon: bool = True, published: str = "20 March 2026") -> list[list[str]]:
    """The report as CQC's pages, each a list of lines: About, Overall summary, one per quality statement.
    LAYOUT: "2025" (the seed's), "2024" or "pilot"; COLON: "Score: 3" rather than "Score 3" (2025 only)."""
    title = f"{COUNCIL} assessment" if layout == "pilot" else f"{COUNCIL}: local authority assessment"
    furniture = [title, f"Published: {published} Page last updated: {published}", "Downloads"] \
        if layout == "2024" else [title]
    first = list(furniture)
    if layout == "pilot":
        first += ["How we assess local authorities", "Assessment start date: 2 May 2023",
                  f"Assessment published: {published}", "This assessment is one of five pilot assessments."]
    elif layout == "2025":
        first += ["[How we assess local authorities](#)", f"Assessment published: {published}"]
    out = [first + about(layout)]
    summary = list(furniture) + ["Overall summary", "Local authority rating and score"]
    if layout == "2024":
        summary += [f"\u2022 {COUNCIL}", "    Good", f"{COUNCIL} scored 71 out of 100 overall, indicating a good "
                                                      "standard", "Quality statement scores"]
        for qs in QUALITY_STATEMENTS:
            summary += [f"\u2022 {qs.name}", f"    Score: {SCORES[qs.key]}"]
    elif layout == "2025":
        summary += [COUNCIL, "Good", "Quality statement scores"]
        for qs in QUALITY_STATEMENTS:
            summary += [qs.name, f"Score: {SCORES[qs.key]}"]
    else:  # the pilot's summary gives the rating only; each statement's page its indicative score
        summary += [COUNCIL, "Good"]
    summary += ["Summary of people's experiences",
                "People told us assessing needs was person centred and assessing practice was good.",
                "Summary of strengths, areas for development and next steps",
                "Safeguarding was everyone's business and safeguarding practice was strong."]
    if layout == "2025":
        out[0] += summary[len(furniture):]
    else:
        out.append(summary)
    for theme in THEMES:
        for n, qs in enumerate(q for q in QUALITY_STATEMENTS if q.theme == theme.number):
            page = list(furniture)
            if layout == "2025" and n == 0:
                page += [f"Theme {theme.number}: {THEME_TITLES[theme.number].format(c=COUNCIL)}",
                         "This theme includes these quality statements:",
                         *(f"- {q.name}" for q in QUALITY_STATEMENTS if q.theme == theme.number),
                         "We may not always review all quality statements during every assessment."]
            score = SCORES[qs.key]
            if layout == "pilot":
                page += [qs.name, "Indicative score:", "", BAND[score], "The local authority commitment:",
                         "We work with people to do the things that matter."]
            else:
                page += [qs.name, f"Score: {score}" if colon and layout == "2025" else f"Score {score}", BAND[score],
                         "What people expect", "I can get the support I need.", "The local authority commitment",
                         "We work with people to do the things that matter."]
            page.append("Key findings for this quality statement")
            for sub, paragraphs in findings(qs):
                page += [sub, *paragraphs]
            if layout == "2025":
                out[-1] += page[len(furniture):]
            else:
                out.append(page)
    return out


def text(layout: str = "2025", **kw) -> str:
    """The whole report as one saved text file (its pages one after another, furniture and all)."""
    return "\n\n".join("\n\n".join(page) for page in pages(layout, **kw)) + "\n"


def web_page(lines: list[str], head: bool = True) -> str:
    """LINES as CQC's web page might be saved: a menu and footer around <main>, headings, lists, bold."""
    out = ["<!DOCTYPE html><html><head><title>CQC</title><style>p{}</style></head>" if head else
           "<!DOCTYPE html><html><head><title>CQC</title><meta charset=utf-8>",
           "<body><nav><p>Menu</p></nav><main>"]
    for line in lines:
        t = html.escape(line.strip(), quote=False)
        t = re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", t)
        t = re.sub(r"\[(.+?)\]\(#\)", r'<a href="#">\1</a>', t)
        if not t:
            continue
        if t.startswith(("- ", "\u2022 ")):
            out.append(f"<ul><li>{t[2:]}</li></ul>")
        elif len(t) < 70 and not t.endswith("."):
            out.append(f"<h2>{t}</h2>")
        else:
            out.append(f"<p>{t}</p>")
    out.append("</main><footer><p>Contact us</p></footer></body></html>")
    return "\n".join(out)


def finding_texts() -> list[str]:
    return [p for qs in QUALITY_STATEMENTS for _, ps in findings(qs) for p in ps]
