"""The curated tables made from kept per-document parts (`pipeline/runtime/parts.py`) are byte-identical
to those made with every part made afresh and none kept (`parts.curated_rows`), whether
every part is made, one document is added, renamed or removed, or the kept parts are damaged."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from pipeline.runtime import sealed
from pipeline.runtime import state as state_folder
from pipeline.runtime.parts import curated_rows, curated_tables
from pipeline.runtime.store import write_curated
from tests.fixtures import sample_corpus as sc

pytestmark = pytest.mark.slow  # reads whole documents, OCRs or runs the pipeline

VERSION = sc.VERSION


def _digests(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.glob("*.parquet"))}


def _from_rows(folder: Path, manifest: dict[str, str]) -> dict[str, str]:
    write_curated(folder, curated_rows(manifest, {d: sc.records()[d] for d in manifest}, VERSION))
    return _digests(folder)


def _store(state: Path, doc_ids) -> Path:
    """The records of these documents stored as the `pdf_records` step stores them (through the
    IO manager's function), in the state folder where the parts are kept."""
    state_folder.save_values(state, "pdf_records", {d: sc.records()[d] for d in doc_ids})
    return state


def _from_parts(folder: Path, manifest: dict[str, str], records: Path, state: Path):
    assert records == state  # the records are read from the state folder, as a run reads them
    result = curated_tables(manifest, state, VERSION)
    write_curated(folder, result.tables)
    return _digests(folder), result


@pytest.fixture(scope="module")
def corpus():
    manifest = sc.manifest()
    assert len(manifest) >= 3
    return manifest


def test_parts_equal_rows_full_and_incremental(corpus, tmp_path):
    records = _store(tmp_path / "state", corpus)
    state = tmp_path / "state"
    state.mkdir(exist_ok=True)
    full = _from_rows(tmp_path / "rows", corpus)
    assert any(sc.records()[d].tasks for d in corpus)

    # every part made
    got, result = _from_parts(tmp_path / "all", corpus, records, state)
    assert result.made == len(corpus) and got == full

    # nothing changed: no part made, same bytes
    got, result = _from_parts(tmp_path / "again", corpus, records, state)
    assert result.made == 0 and got == full

    # one document fewer, then back: only its part is made
    last = sorted(corpus, key=lambda d: corpus[d])[-1]
    fewer = {d: p for d, p in corpus.items() if d != last}
    got, result = _from_parts(tmp_path / "fewer", fewer, records, state)
    assert result.made == 0 and got == _from_rows(tmp_path / "fewer_rows", fewer)
    _store(records, [last])  # written again, as pdf_records does for a file put back
    got, result = _from_parts(tmp_path / "back", corpus, records, state)
    assert result.made == 1 and got == full

    # a renamed file: its part is made again (tasks carry source_file) and the order follows
    first = sorted(corpus, key=lambda d: corpus[d])[0]
    renamed = {**corpus, first: "zz/" + corpus[first]}
    got, result = _from_parts(tmp_path / "renamed", renamed, records, state)
    assert result.made == 1 and got == _from_rows(tmp_path / "renamed_rows", renamed)


def test_damaged_parts_are_made_again(corpus, tmp_path):
    records = _store(tmp_path / "state", corpus)
    state = tmp_path / "state"
    state.mkdir(exist_ok=True)
    state_folder.parts_file(state).write_bytes(b"not a pickle")
    got, result = _from_parts(tmp_path / "out", corpus, records, state)
    assert result.made == len(corpus) and got == _from_rows(tmp_path / "rows", corpus)


def test_missing_records_refused(corpus, tmp_path):
    records = _store(tmp_path / "state", list(corpus)[1:])
    with pytest.raises(RuntimeError, match="not processed yet"):
        curated_tables(corpus, records, VERSION)


def test_writer_refuses_a_table_of_another_schema(tmp_path):
    import pyarrow as pa

    with pytest.raises(ValueError, match="schema"):
        write_curated(tmp_path, {"pages": pa.table({"doc_id": ["x"]})})


def test_code_versions_read_each_event_once(tmp_path, monkeypatch):
    """plan.code_versions keeps the code version of each event it read; a new event is read,
    an event log of another instance does not use the cache."""
    from dagster import DagsterInstance, DynamicPartitionsDefinition, asset, materialize, mem_io_manager

    from pipeline.orchestration.plan import code_versions

    partitions = DynamicPartitionsDefinition(name="docs")

    def versioned(version: str):
        @asset(name="a", partitions_def=partitions, code_version=version)
        def a():
            return 1

        return a

    cache = tmp_path / "code-versions.json"
    for instance_no in range(2):
        with DagsterInstance.ephemeral() as instance:
            instance.add_dynamic_partitions("docs", ["x", "y"])
            for key in ("x", "y"):
                materialize([versioned(f"v{instance_no}")], instance=instance, partition_key=key,
                            resources={"io_manager": mem_io_manager})
            key = versioned("v").key
            assert code_versions(instance, key, cache) == {"x": f"v{instance_no}", "y": f"v{instance_no}"}
            fetched = []
            real = instance.fetch_materializations
            monkeypatch.setattr(instance, "fetch_materializations",
                                lambda f, **kw: fetched.append(list(f.storage_ids)) or real(f, **kw))
            assert code_versions(instance, key, cache) == {"x": f"v{instance_no}", "y": f"v{instance_no}"}
            assert fetched == []
            materialize([versioned("new")], instance=instance, partition_key="y", resources={"io_manager": mem_io_manager})
            assert code_versions(instance, key, cache) == {"x": f"v{instance_no}", "y": "new"}
            assert len(fetched) == 1 and len(fetched[0]) == 1
