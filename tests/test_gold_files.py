"""The project's gold files stay consistent with their articles and with the gold format."""

import importlib.util
from pathlib import Path

CHECK = Path(__file__).resolve().parent / "data" / "dev" / "check_gold.py"


def test_every_gold_file_is_consistent() -> None:
    spec = importlib.util.spec_from_file_location("check_gold", CHECK)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.main([]) == 0
    assert len(module.DEFAULT_SETS) == 5
