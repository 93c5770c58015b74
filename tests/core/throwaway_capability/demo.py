from collections.abc import Mapping
from typing import Any

LOADED: list[str] = []


def load(*, stdout: Any, options: Mapping[str, Any] | None = None) -> None:
    LOADED.append("load")
    stdout.write("Dữ liệu thử nghiệm: đã nạp")


def finish(*, stdout: Any, options: Mapping[str, Any] | None = None) -> None:
    LOADED.append("finish")
    stdout.write(f"Thử nghiệm xong (quiet_logins={bool((options or {}).get('quiet_logins'))})")
