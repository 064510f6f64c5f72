"""Geocoding throughput, against a plain ``rapidfuzz.process.extractOne`` over every spelling.

Workloads after the geocoder author's sketch: names drawn from the gazetteer's own spellings,
written the ways texts write them (exact), or with one typo (fuzzy).
"""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

from bench.config import AS_OF
from bench.measure import median_timed, timed
from bench.steps.common import data_source

PREFIXES = ["", "", "tỉnh ", "Tỉnh ", "TP. ", "thành phố ", "Province of ", "khoueng "]
SUFFIXES = ["", "", " Province", " province", " City"]
CASINGS: list[Callable[[str], str]] = [str.lower, str.upper, str.title, str]


def exact_names(spellings: list[str], n: int, seed: int, pool: int | None = 2000) -> list[str]:
    """``n`` spellings re-cased, with or without diacritics, prefixes, suffixes or extra spaces;
    drawn from ``pool`` distinct variants (names in records repeat), or all fresh (None)."""
    from unidecode import unidecode

    rng = random.Random(seed)
    if pool is not None:
        variants = exact_names(spellings, pool, seed + 1, pool=None)
        return [rng.choice(variants) for _ in range(n)]
    out = []
    for _ in range(n):
        name = rng.choice(spellings)
        name = unidecode(name) if rng.random() < 0.5 else name
        name = rng.choice(CASINGS)(name)
        name = rng.choice(PREFIXES) + name + rng.choice(SUFFIXES)
        if rng.random() < 0.2:
            name = "  " + name.replace(" ", "   ") + " "
        out.append(name)
    return out


def typo_names(spellings: list[str], n: int, seed: int) -> list[str]:
    """``n`` spellings of 8+ letters without diacritics, each with one random typo."""
    from unidecode import unidecode

    rng = random.Random(seed)
    long_names = [s for s in spellings if len(s.replace(" ", "")) >= 8]
    out = []
    for _ in range(n):
        name = unidecode(rng.choice(long_names))
        i, letter = rng.randrange(len(name)), rng.choice("abcdeghiklmnoprstuvxy")
        kind = rng.choice(["insert", "delete", "swap", "substitute"])
        if kind == "insert":
            name = name[:i] + letter + name[i:]
        elif kind == "delete":
            name = name[:i] + name[i + 1 :]
        elif kind == "swap" and i < len(name) - 1:
            name = name[:i] + name[i + 1] + name[i] + name[i + 2 :]
        else:
            name = name[:i] + letter + name[i + 1 :]
        out.append(name)
    return out


def geocode_workloads(spellings: list[str], n: int, seed: int) -> dict[str, list[str]]:
    exact = exact_names(spellings, n, seed)
    typos = typo_names(spellings, n, seed)
    mixed = [name for pair in zip(exact, typos, strict=True) for name in pair][:n]
    return {
        "exact": exact,
        "exact_fresh": exact_names(spellings, n, seed, pool=None),
        "fuzzy": typos,
        "mixed": mixed,
    }


def extract_one_baseline(names: list[str], spellings: list[str]) -> list[Any]:
    """The obvious implementation: best ``fuzz.ratio`` over every spelling, name by name."""
    from rapidfuzz import fuzz, process, utils

    return [
        process.extractOne(name, spellings, scorer=fuzz.ratio, processor=utils.default_process)
        for name in names
    ]


def step_geocode(p: dict[str, Any]) -> dict[str, Any]:
    from loaders.gazetteer import in_lao_or_khmer_script, iter_entries, load_gazetteer
    from loaders.geocode import geocode_many

    source = data_source(p)
    load_gazetteer(source)  # loading is measured elsewhere; this measures resolving
    geocode_many(["warm up"], AS_OF, source=source)
    # Latin-script spellings, as Vietnamese and English texts have them: the workloads strip
    # diacritics with unidecode, and unidecode of Lao or Khmer script is no one's spelling.
    entries = {entry.name for entry in iter_entries(source)}
    spellings = sorted(name for name in entries if not in_lao_or_khmer_script(name))
    found = {}
    for key, names in geocode_workloads(spellings, p["n"], p["seed"]).items():
        seconds, frame = median_timed(p["repeat"], geocode_many, names, AS_OF, None, source)
        sample = names[: p["sample"]]
        base_seconds, _ = timed(extract_one_baseline, sample, spellings)
        found[key] = {
            "names": len(names),
            "distinct": len(set(names)),
            "rate": len(names) / seconds,
            "baseline_rate": len(sample) / base_seconds,
            "baseline_names": len(sample),
            "status": frame["status"].value_counts().to_dict(),
            "spellings": len(spellings),
        }
    return found
