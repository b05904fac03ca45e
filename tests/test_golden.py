"""The example's documents, part by part, against the reviewed files in tests/golden (see tests/golden.py)."""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest

from golden import CASES, parts, reference

DOCUMENTS = [(case, name) for case, (_, _, names) in CASES.items() for name in names]


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    """Each case's documents, made once."""
    from golden import make

    cache: dict[str, dict[str, Path]] = {}

    def get(case: str) -> dict[str, Path]:
        if case not in cache:
            cache[case] = {p.name: p for p in make(case, tmp_path_factory.mktemp(case))}
        return cache[case]

    return get


@pytest.mark.parametrize("case,document", DOCUMENTS, ids=[f"{c}/{d}" for c, d in DOCUMENTS])
def test_document_matches_golden_files(made, case, document):
    expected = reference(case, document)
    assert expected, f"no golden files for {case}/{document}: run python tests/golden.py"
    actual = parts(made(case)[document])
    assert sorted(actual) == sorted(expected), "the package's parts differ"
    for name, text in expected.items():
        if actual[name] != text:
            diff = "".join(list(difflib.unified_diff(text.splitlines(True), actual[name].splitlines(True),
                                                     f"golden/{name}", f"made/{name}", n=1))[:60])
            pytest.fail(f"{case}/{document}: {name} differs from its golden file "
                        f"(if reviewed, run python tests/golden.py)\n{diff}")


def test_golden_files_mask_nothing_that_changes_between_runs(made, tmp_path):
    """Two runs give the same parts, so the comparison above can fail only for a real change."""
    from golden import make

    again = {p.name: p for p in make("rotherham", tmp_path)}
    for name, path in made("rotherham").items():
        assert parts(path) == parts(again[name])


@pytest.mark.parametrize("case,document", DOCUMENTS, ids=[f"{c}/{d}" for c, d in DOCUMENTS])
def test_document_passes_the_office_schemas(made, case, document):
    """openxml-audit checks each part against the Office schemas, as Word and Excel would on opening."""
    from openxml_audit import OpenXmlValidator

    result = OpenXmlValidator().validate(str(made(case)[document]))
    assert [str(e) for e in result.errors] == []
    assert result.is_valid
