"""The names users script against: listed in ``loaders.__all__``, each importable, none heavy."""

from __future__ import annotations

import subprocess
import sys

import loaders


def test_every_public_name_resolves_to_what_its_module_defines() -> None:
    assert set(loaders.__all__) == {"__version__", *loaders._EXPORTS}
    for name in loaders.__all__:
        value = getattr(loaders, name)
        if name != "__version__":
            assert getattr(value, "__name__", name) == name or name == "EMBEDDED", name
            assert not isinstance(value, type(sys)), f"{name} is a module, not the API"


def test_scripting_with_the_public_names_reaches_the_real_data() -> None:
    from loaders import EMBEDDED, load_crossings, read_units, unit_history

    assert any(u.id == "la-bolikhamxay" for u in read_units(EMBEDDED))
    assert (
        load_crossings(EMBEDDED).loc["lao-bao--densavan", "province_today"] == "vn-quang-tri-2025"
    )
    assert len(unit_history("vn-nghe-an", EMBEDDED)) > 10


def test_importing_the_package_imports_no_heavy_library() -> None:
    heavy = "('geopandas', 'pandas', 'shapely')"
    code = f"import sys, loaders; print(sorted(m for m in {heavy} if m in sys.modules))"
    found = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert found.stdout.strip() == "[]"


def test_an_unknown_name_is_an_attribute_error() -> None:
    try:
        loaders.no_such_thing  # noqa: B018
    except AttributeError as error:
        assert "no_such_thing" in str(error)
    else:
        raise AssertionError("expected AttributeError")


def test_the_readme_scripting_example_runs(capsys) -> None:
    import re
    from pathlib import Path

    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    [example] = re.findall(r"```python\n(.*?)```", readme, re.S)
    exec(compile(example, "README.md", "exec"), {})
    printed = capsys.readouterr().out.splitlines()
    assert len(printed) == 5 and all(line[:4].isdigit() for line in printed)
