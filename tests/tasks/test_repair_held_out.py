"""The OCR repair of the curated task names (`normalizers.repair.repair_text`, as
normalizers/records.py applies it to OCR'd names, lead and coordinating units) run over text
that is right: the text layers of real Vietnamese PDFs (../shared/realworld, vn-lamdong and
vn-congbao, the prints with a text layer, their first PAGES pages; no test document is made
from them, and the repair's administrative pairs (data/domain_pairs.csv) are counted from later
pages only). Every line the repair changes there is a false repair: the share of lines it
leaves whole is the repair's held-out figure."""

from pathlib import Path

from extractors.pdf import iter_pages, opened
from normalizers.repair import repair_text
from tests.fixtures.ratchet import record

# the prints with a text layer (ttr409 is a scan, vn-luatvietnam's text layer is a watermark)
FOLDERS = ("vn-lamdong", "vn-congbao")
PAGES = 2  # the first pages of each: a bounded set, a few seconds


def _lines(root: Path) -> list[str]:
    out: list[str] = []
    paths = sorted(p for folder in FOLDERS for p in (root / folder).glob("*.pdf") if "scan" not in p.name)
    for path in paths:
        with opened(path) as pdf:
            for _, page in iter_pages(pdf, 1, PAGES):
                if isinstance(page, Exception):
                    continue
                text = page.extract_text() or ""
                out += [" ".join(line.split()) for line in text.splitlines() if len(line.strip()) >= 10]
    return out


def test_domain_pairs_are_remade_by_their_builder_from_pages_the_held_out_text_is_not_on(realworld, tmp_path):
    """data/domain_pairs.csv is what `build_domain_pairs` counts from the prints' later pages,
    none of the first PAGES this module measures the repair on."""
    from normalizers.repair import DOMAIN_PAIRS, DOMAIN_SOURCES, build_domain_pairs

    assert all(first > PAGES for _, first, _ in DOMAIN_SOURCES)
    build_domain_pairs(realworld, tmp_path / "pairs.csv")
    assert (tmp_path / "pairs.csv").read_text(encoding="utf-8") == DOMAIN_PAIRS.read_text(encoding="utf-8")


def test_repair_leaves_real_text_whole(realworld):
    lines = _lines(realworld)
    assert len(lines) > 300  # the text layers were read
    whole = sum(repair_text(line) == line for line in lines)
    record("repair-held-out", {"lines left whole": whole / len(lines)})
