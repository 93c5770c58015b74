"""The project's settings with the benchmark's URL map (bench/urls.py: the bare baselines beside
the real site). Used only by bench/hot_paths.py."""

from grassroots.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
