"""The OCR repair of the curated task names (`normalizers.repair.repair_text`, as
normalizers/records.py applies it to OCR'd names, lead and coordinating units) run over text
that is right: the text layers of real Vietnamese PDFs (../shared/realworld, vn-lamdong and
vn-congbao, the prints with a text layer; no test document is made from them and no lexicon
of the repair is built from them). Every line the repair changes there is a false repair:
the share of lines it leaves whole is the repair's held-out figure."""

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


def test_repair_leaves_real_text_whole(realworld):
    lines = _lines(realworld)
    assert len(lines) > 300  # the text layers were read
    whole = sum(repair_text(line) == line for line in lines)
    record("repair-held-out", {"lines left whole": whole / len(lines)})
