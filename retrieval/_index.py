"""Building and opening the per-domain index: entries, BM25 and Chroma vectors.

On disk, under ``$SCIWAND_HOME/index``::

    manifest.json                     what is complete, per domain
    <domain>/<fingerprint>/entries.jsonl
    <domain>/<fingerprint>/bm25/

and the vectors in Chroma (``$SCIWAND_HOME/chroma``, or a server) in the collection
``sciwand_<domain>_<fingerprint>``; the vectors of each pack's recipes are cached in
``$SCIWAND_HOME/recipes/<domain>/<key>.npy``, keyed by their texts and the model. The
fingerprint covers the library version, the harvester and text versions and the
embedding model, so a change in any of them rebuilds that domain and nothing else.
A build interrupted at any point resumes: entries are written once, vectors already
in Chroma are not embedded again, BM25 and the manifest are replaced atomically at
the end.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from domains import DomainPack, get_pack
from retrieval._bm25 import LexicalIndex
from retrieval._config import chroma_url, sciwand_home
from retrieval._documents import TEXT_VERSION, attach_notes, dense_text, lexical_text
from retrieval._embed import Embedder, model_id
from retrieval._harvest import HARVESTER_VERSION, harvest, library_version
from retrieval._model import ApiEntry
from retrieval._recipes import recipe_vectors, recipe_vectors_path
from retrieval._resolve import defined_name, resolve
from retrieval._store import LAYOUT, VectorStore
from retrieval.errors import IndexNotBuiltError

# Words of a note that name code: dotted, snake_case or CamelCase ("Mol.HasSubstructMatch",
# "to_value", "GetFingerprint", "AltAz"), not plain words.
_CODE_WORD = re.compile(r"\b(?:[A-Za-z_]\w*\.)*(?:[A-Za-z]\w*_\w+|[A-Z]?[a-z0-9]+[A-Z]\w*|[A-Z][A-Z0-9]+[a-z]\w*)\b"
                        r"|\b[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+\b")

# progress(stage, done, total): stage is "harvest", "embed", "lexical" or "recipes".
Progress = Callable[[str, int, int], None]


@dataclass
class DomainIndex:
    """One domain's entries with their lexical index and vector collection."""

    domain: str
    entries: list[ApiEntry]
    lexical: LexicalIndex
    collection: str
    rows: dict[str, int] = field(default_factory=dict)
    _named: dict[str, int | None] = field(default_factory=dict, repr=False)
    _members: dict[str, list[int]] | None = field(default=None, repr=False)
    _classes: dict[str, str] | None = field(default=None, repr=False)
    _by_tail: dict[str, list[int]] | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        self.rows = {entry.name: row for row, entry in enumerate(self.entries)}

    def row_of(self, name: str) -> int | None:
        """Row of the entry whose canonical name or an alias is ``name``."""
        if not self._named:
            self._named = {alias: row for row, entry in enumerate(self.entries) for alias in entry.aliases}
            self._named.update(self.rows)
        if name not in self._named:
            # A public path this index did not walk (a smaller surface): go by where it is defined.
            self._named[name] = self.rows.get(defined_name(resolve(name)) or "")
        return self._named[name]

    def members_of(self, owner: str) -> list[int]:
        """Rows of the methods and properties of the class named ``owner``, its own
        and inherited (``Seq.translate`` is defined on a private base class)."""
        if self._members is None:
            self._members = {}
            for row, entry in enumerate(self.entries):
                if entry.owner:
                    for prefix in dict.fromkeys(name.rsplit(".", 1)[0] for name in entry.names):
                        self._members.setdefault(prefix, []).append(row)
        return self._members.get(owner, [])

    def companions(self, row: int) -> list[int]:
        """Rows of the entries ``row``'s search note names as used with it ("then
        GetFingerprint", "with Mol.HasSubstructMatch"): code-like words of the note,
        matched on the last one or two segments of entry names."""
        if self._by_tail is None:
            self._by_tail = {}
            for other, entry in enumerate(self.entries):
                parts = entry.public_name.split(".")
                for tail in {parts[-1], ".".join(parts[-2:])}:
                    self._by_tail.setdefault(tail, []).append(other)
        found: list[int] = []
        for word in _CODE_WORD.findall(self.entries[row].note):
            named = self._by_tail.get(word) or self._by_tail.get(word.rsplit(".", 1)[-1], ())
            rows = [r for r in named if r != row]
            if rows:
                best = min(rows, key=lambda r: (not self.entries[r].note, len(self.entries[r].public_name), r))
                if best not in found:
                    found.append(best)
        return found

    def class_named(self, type_text: str | None) -> str | None:
        """The canonical name of the class a return type names (``"Mol"``,
        ``"|SkyCoord|"``, ``"rdkit.Chem.rdchem.Mol"``), if this domain defines one."""
        words = re.findall(r"[A-Za-z_]\w*", type_text or "")
        if not words:
            return None
        if self._classes is None:
            self._classes = {}
            for entry in sorted((e for e in self.entries if e.kind == "class"), key=lambda e: len(e.public_name)):
                self._classes.setdefault(entry.name.rsplit(".", 1)[-1], entry.name)
        return self._classes.get(words[-1])


@dataclass(frozen=True)
class BuildReport:
    domain: str
    fingerprint: str
    entries: int
    embedded: int
    seconds: float
    skipped: bool


def fingerprint(pack: DomainPack) -> str:
    """Hash of everything that changes what the index holds for ``pack``."""
    surface = pack.surface
    key = {
        "domain": pack.name, "library": surface.library, "version": library_version(surface.library),
        "harvester": HARVESTER_VERSION, "text": TEXT_VERSION, "model": model_id(), "vectors": LAYOUT,
        "roots": list(surface.roots), "skip": list(surface.skip), "vocabulary": dict(pack.vocabulary),
        "notes": dict(pack.search_notes()),
    }
    return hashlib.sha256(json.dumps(key, sort_keys=True).encode()).hexdigest()[:16]


class IndexStore:
    """The index files under ``home`` and the vectors in Chroma.

    Vectors are stored ``embed_batch`` at a time: an interrupted build loses at most
    one batch of work.
    """

    embed_batch = 256

    def __init__(self, home: Path | None = None, url: str | None = None, embedder: Embedder | None = None) -> None:
        self.home = (home or sciwand_home()) / "index"
        self.url = url if url is not None else chroma_url()
        self.embedder = embedder or Embedder()
        self._vectors: VectorStore | None = None

    @property
    def recipe_cache(self) -> Path:
        """Where the vectors of the packs' recipes are cached (beside the index, so no
        domain folder can clash with it)."""
        return self.home.parent / "recipes"

    @property
    def vectors(self) -> VectorStore:
        if self._vectors is None:
            self._vectors = VectorStore(path=self.home.parent / "chroma", url=self.url)
        return self._vectors

    # -- manifest -------------------------------------------------------------
    def manifest(self) -> dict[str, dict]:
        path = self.home / "manifest.json"
        return json.loads(path.read_text()) if path.exists() else {}

    def _write_manifest(self, manifest: dict[str, dict]) -> None:
        self.home.mkdir(parents=True, exist_ok=True)
        tmp = self.home / "manifest.json.tmp"
        tmp.write_text(json.dumps(manifest, indent=2, sort_keys=True))
        os.replace(tmp, self.home / "manifest.json")

    def _store_key(self) -> str:
        return self.url or "embedded"

    def is_current(self, pack: DomainPack) -> bool:
        """True if the complete index for ``pack`` matches the installed library, and
        the vectors of its recipes are cached."""
        return self._index_current(pack) and recipe_vectors_path(pack.name, pack.recipes(), self.recipe_cache).exists()

    def _index_current(self, pack: DomainPack) -> bool:
        state = self.manifest().get(pack.name)
        return bool(state) and state["fingerprint"] == fingerprint(pack) and state.get("store") == self._store_key()

    # -- build ----------------------------------------------------------------
    def build(self, pack: DomainPack, rebuild: bool = False, progress: Progress | None = None) -> BuildReport:
        """Bring the index of ``pack`` and its recipe vectors up to date; does nothing
        if they already are."""
        report = self._build(pack, rebuild, progress)
        recipe_vectors(pack.name, pack.recipes(), self.embedder, self.recipe_cache, prune=True,
                       progress=(lambda done, total: progress("recipes", done, total)) if progress else None)
        return report

    def _build(self, pack: DomainPack, rebuild: bool, progress: Progress | None) -> BuildReport:
        started = time.perf_counter()
        fp = fingerprint(pack)
        folder, collection = self.home / pack.name / fp, f"sciwand_{pack.name}_{fp}"
        if rebuild:
            shutil.rmtree(folder, ignore_errors=True)
            self.vectors.drop(collection)
        elif self._index_current(pack):
            state = self.manifest()[pack.name]
            return BuildReport(pack.name, fp, state["entries"], 0, time.perf_counter() - started, True)
        entries = self._entries(pack, folder, progress)
        embedded = self._embed(pack, entries, collection, progress)
        self._lexical(pack, entries, folder, progress)
        manifest = self.manifest()
        manifest[pack.name] = {"fingerprint": fp, "collection": collection, "folder": str(folder.relative_to(self.home)),
                               "entries": len(entries), "store": self._store_key(), "built": time.time(),
                               "library": pack.surface.library, "version": library_version(pack.surface.library)}
        self._write_manifest(manifest)
        self._remove_stale(pack.name, fp)
        return BuildReport(pack.name, fp, len(entries), embedded, time.perf_counter() - started, False)

    def _entries(self, pack: DomainPack, folder: Path, progress: Progress | None) -> list[ApiEntry]:
        path = folder / "entries.jsonl"
        if path.exists():
            return read_entries(path)
        entries = harvest(pack, progress=(lambda done, total: progress("harvest", done, total)) if progress else None)
        entries = attach_notes(entries, pack.search_notes())
        folder.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        with tmp.open("w", encoding="utf-8") as out:
            for entry in entries:
                out.write(json.dumps(entry.to_dict(), ensure_ascii=False) + "\n")
        os.replace(tmp, path)
        return entries

    def _embed(self, pack: DomainPack, entries: list[ApiEntry], collection: str, progress: Progress | None) -> int:
        """Embed and store the entries Chroma does not hold yet, in batches, so an
        interruption loses at most one batch."""
        done = self.vectors.ids(collection)
        todo = [e for e in entries if e.name not in done]
        total, finished = len(entries), len(entries) - len(todo)
        if progress:
            progress("embed", finished, total)
        for start in range(0, len(todo), self.embed_batch):
            chunk = todo[start:start + self.embed_batch]
            vectors = self.embedder.encode([dense_text(e, pack.vocabulary) for e in chunk], reference=True)
            self.vectors.add(collection, [e.name for e in chunk], vectors)
            finished += len(chunk)
            if progress:
                progress("embed", finished, total)
        return len(todo)

    def _lexical(self, pack: DomainPack, entries: list[ApiEntry], folder: Path, progress: Progress | None) -> None:
        if progress:
            progress("lexical", 0, 1)
        index = LexicalIndex.build([lexical_text(e, pack.vocabulary) for e in entries])
        tmp, final = folder / "bm25.tmp", folder / "bm25"
        shutil.rmtree(tmp, ignore_errors=True)
        index.save(tmp)
        shutil.rmtree(final, ignore_errors=True)
        os.replace(tmp, final)
        if progress:
            progress("lexical", 1, 1)

    def _remove_stale(self, domain: str, keep: str) -> None:
        """Drop folders and collections of earlier fingerprints of ``domain``."""
        for old in (self.home / domain).iterdir():
            if old.name != keep:
                shutil.rmtree(old, ignore_errors=True)
        for name in self.vectors.names():
            if name.startswith(f"sciwand_{domain}_") and name != f"sciwand_{domain}_{keep}":
                self.vectors.drop(name)

    # -- open -----------------------------------------------------------------
    def load(self, domain: str) -> DomainIndex:
        """Open the built index of ``domain``; ``IndexNotBuiltError`` says how to build it."""
        state = self.manifest().get(domain)
        if not state or not (self.home / state["folder"] / "bm25").exists():
            raise IndexNotBuiltError(domain)
        folder = self.home / state["folder"]
        return DomainIndex(domain, read_entries(folder / "entries.jsonl"), LexicalIndex.load(folder / "bm25"),
                           state["collection"])

    def built_domains(self) -> list[str]:
        return sorted(self.manifest())


def read_entries(path: Path) -> list[ApiEntry]:
    with path.open(encoding="utf-8") as lines:
        return [ApiEntry.from_dict(json.loads(line)) for line in lines]


def build_all(store: IndexStore, domains: list[str], rebuild: bool = False,
              progress: Progress | None = None) -> list[BuildReport]:
    """Build every named domain in turn."""
    return [store.build(get_pack(d), rebuild=rebuild, progress=progress) for d in domains]
